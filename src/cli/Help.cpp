// Grouped, GNU-style option help with examples and exit codes.
#include "cli/Help.hpp"

#include <boost/program_options.hpp>

#include <map>
#include <vector>

namespace po = boost::program_options;

namespace planconv::cli {

namespace {

struct CommandHelp {
    std::string_view usage;
    std::string_view summary;
    std::vector<std::string_view> examples;
};

const std::map<std::string_view, CommandHelp>& command_help() {
    static const std::map<std::string_view, CommandHelp> help = {
        {"convert",
         {"planconv convert [options] INPUT...",
          "Reads returns (files and folders, recursed), maps them, checks them, and writes a cleaned workbook and an\n"
          "XML file per input and one report (report.json, report.html) over all of them.",
          {"planconv convert samples -o out",
           "planconv convert samples/portfolio-plan-quarterly.xlsx -m portfolio-plan-quarterly --as-of 31/12/2020",
           "planconv convert samples -o out/committee --consolidate all-returns --fail-on warning"}}},
        {"validate",
         {"planconv validate [options] INPUT...",
          "The same reading and checks as convert; writes only the report.",
          {"planconv validate samples -o out/check",
           "planconv validate samples/indicator-table-mistakes.xlsx --report out/check/junit.xml --fail-on warning",
           "planconv validate samples/portfolio-plan-quarterly.xlsx --previous samples/previous -o out/check"}}},
        {"inspect",
         {"planconv inspect [--cells] FILE",
          "Shows a workbook's sheets, used ranges, merged ranges and header-like rows, and which mapping fits it\n"
          "and why; with --cells, every non-empty cell.",
          {"planconv inspect samples/budget-monitoring.xlsx",
           "planconv inspect --cells samples/indicator-table.csv"}}},
        {"template",
         {"planconv template -m MAPPING [--from FILE.xml] -o OUT.xlsx",
          "Writes a return workbook in a mapping's layout for a service to fill in: blank, or pre-filled from the\n"
          "XML planconv wrote for last quarter's return.",
          {"planconv template -m portfolio-plan-quarterly -o out/blank-return.xlsx",
           "planconv template -m indicator-table --sections 2 --rows 10 -o out/indicators-return.xlsx"}}},
        {"mappings",
         {"planconv mappings list|check FILE|xsd NAME [--mappings-dir DIR]",
          "Lists the shipped mappings, checks a mapping file (every mistake with its line), or prints the XML\n"
          "Schema of the XML a mapping produces.",
          {"planconv mappings list", "planconv mappings check mappings/budget-monitoring.xml",
           "planconv mappings xsd contracts-register"}}},
        {"report",
         {"planconv report merge REPORT.json... [-o OUT]",
          "Merges the reports of a run split with --shard K/N into the report one run would have written.",
          {"planconv validate samples --shard 1/2 -o out -q", "planconv validate samples --shard 2/2 -o out -q",
           "planconv report merge out/report.shard-1-of-2.json out/report.shard-2-of-2.json -o out"}}},
        {"watch",
         {"planconv watch INBOX -o OUT [options]",
          "A drop folder: returns saved or copied anywhere under INBOX are converted as they arrive, and OUT holds\n"
          "their outputs and one report.json/report.html over every return in the inbox. Runs until SIGTERM/SIGINT.",
          {"planconv watch samples -o out/watched",
           "planconv watch samples -o out/watched --poll 5 --as-of 30/11/2016"}}},
        {"serve",
         {"planconv serve [--listen ADDR:PORT] [--inbox DIR] -o OUT [options]",
          "A web page to drop returns on: each upload is converted and its findings shown, with its cleaned workbook,\n"
          "XML and report to download; with --inbox, the page also lists every return of that drop folder.",
          {"planconv serve -o out/web",
           "planconv serve --inbox samples -o out/watched --as-of 30/11/2016"}}},
    };
    return help;
}

// Which group each option belongs to; options not listed here fall under "Other options".
const std::map<std::string_view, std::string_view>& option_groups() {
    static const std::map<std::string_view, std::string_view> groups = {
        {"mapping", "Reading"}, {"mappings-dir", "Reading"}, {"no-shipped-mappings", "Reading"}, {"as-of", "Reading"}, {"previous", "Reading"},
        {"shard", "Reading"}, {"cells", "Reading"}, {"from", "Reading"},
        {"out", "Output"}, {"report", "Output"}, {"no-xml", "Output"}, {"no-workbook", "Output"},
        {"consolidate", "Output"}, {"csv", "Output"}, {"csv-bom", "Output"}, {"feedback", "Output"},
        {"sections", "Output"}, {"rows", "Output"}, {"spare-rows", "Output"},
        {"jobs", "Running"}, {"poll", "Running"}, {"listen", "Running"}, {"inbox", "Reading"},
        {"token-file", "Running"}, {"max-upload-mb", "Running"}, {"fail-on", "Running"}, {"quiet", "Running"}, {"progress", "Running"},
        {"no-progress", "Running"}, {"explain", "Reading"}, {"lock-wait", "Running"}, {"memory-budget", "Running"},
        {"help", "Help"},
    };
    return groups;
}

// The placeholder shown after an option that takes a value.
std::string_view value_name(std::string_view long_name) {
    static const std::map<std::string_view, std::string_view> names = {
        {"mapping", "NAME|FILE"}, {"mappings-dir", "DIR"}, {"out", "DIR"}, {"report", "FILE"},
        {"as-of", "DATE"}, {"jobs", "N"}, {"fail-on", "LEVEL"}, {"consolidate", "NAME"},
        {"shard", "K/N"}, {"previous", "PATH"}, {"from", "FILE.xml"}, {"sections", "N"},
        {"rows", "N"}, {"spare-rows", "N"},
        {"poll", "SECONDS"}, {"listen", "ADDR:PORT"}, {"inbox", "DIR"}, {"token-file", "FILE"}, {"max-upload-mb", "N"},
        {"lock-wait", "SECONDS"}, {"memory-budget", "MB"},
    };
    auto it = names.find(long_name);
    return it == names.end() ? "VALUE" : it->second;
}

// Wraps `text` to `width` columns, every line after the first indented by `indent`.
std::string wrap(std::string_view text, std::size_t indent, std::size_t width) {
    std::string out;
    std::size_t column = indent;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t end = text.find(' ', i);
        if (end == std::string_view::npos) end = text.size();
        std::string_view word = text.substr(i, end - i);
        if (column > indent && column + 1 + word.size() > width) {
            out += "\n" + std::string(indent, ' ');
            column = indent;
        } else if (column > indent) {
            out += ' ';
            ++column;
        }
        out += word;
        column += word.size();
        i = end + 1;
    }
    return out;
}

}  // namespace

const std::vector<std::string_view>& command_examples(std::string_view command) {
    static const std::vector<std::string_view> none;
    auto it = command_help().find(command);
    return it == command_help().end() ? none : it->second.examples;
}

std::string_view exit_codes_text() {
    return "  0    no finding at or above --fail-on\n"
           "  1    findings at or above --fail-on\n"
           "  2    usage or mapping error, a clash between outputs, or the output folder stayed locked by\n"
           "       another run: nothing processed\n"
           "  3    at least one input could not be read (the others were processed and reported)\n"
           "  4    some outputs could not be written (permissions, disk full): the report and the summary\n"
           "       name each input concerned\n"
           "  130  interrupted by SIGINT (Ctrl-C), 143 by SIGTERM: the inputs in hand were finished and\n"
           "       the report says what was done (\"interrupted\": true)\n";
}

void print_command_help(std::ostream& out, std::string_view command, const po::options_description& opts) {
    auto help = command_help().find(command);
    if (help != command_help().end()) out << "usage: " << help->second.usage << "\n\n" << help->second.summary << "\n";
    // Options by group, in the order groups first appear in this list.
    static const std::vector<std::string_view> order = {"Reading", "Output", "Running", "Other options", "Help"};
    std::map<std::string_view, std::vector<std::pair<std::string, std::string>>> grouped;
    constexpr std::size_t kDescColumn = 30, kWidth = 100;
    for (const auto& option : opts.options()) {
        const std::string& long_name = option->long_name();
        std::string name;
        std::string shorts = option->canonical_display_name(po::command_line_style::allow_dash_for_short);
        if (shorts.size() == 2 && shorts[0] == '-' && shorts[1] != '-') name = shorts + ", ";
        name += "--" + long_name;
        if (option->semantic()->max_tokens() > 0) name += " " + std::string(value_name(long_name));
        std::string description = option->description();
        // Boost shows a default as "arg (=out)": keep the "(=out)" as "(default: out)".
        std::string parameter = option->format_parameter();
        if (auto at = parameter.find("(="); at != std::string::npos)
            description += " (default: " + parameter.substr(at + 2, parameter.size() - at - 3) + ")";
        auto group = option_groups().find(long_name);
        grouped[group == option_groups().end() ? "Other options" : group->second].emplace_back(name, description);
    }
    for (std::string_view group : order) {
        auto it = grouped.find(group);
        if (it == grouped.end()) continue;
        out << "\n" << group << ":\n";
        for (const auto& [name, description] : it->second) {
            std::string line = "  " + name;
            if (line.size() + 2 > kDescColumn) line += "\n" + std::string(kDescColumn, ' ');
            else line += std::string(kDescColumn - line.size(), ' ');
            out << line << wrap(description, kDescColumn, kWidth) << "\n";
        }
    }
    print_examples_and_exit_codes(out, command);
}

void print_examples_and_exit_codes(std::ostream& out, std::string_view command) {
    if (const auto& examples = command_examples(command); !examples.empty()) {
        out << "\nExamples (from a checkout, with build/planconv on PATH as planconv):\n";
        for (std::string_view e : examples) out << "  " << e << "\n";
    }
    out << "\nExit codes:\n" << exit_codes_text();
}

}  // namespace planconv::cli
