// Command-line parsing and the run options several commands share.
#include "cli/CommandLine.hpp"

#include "cli/Commands.hpp"
#include "cli/Help.hpp"
#include "cli/MappingOptions.hpp"
#include "mapping/MappingLoader.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace po = boost::program_options;

namespace planconv::cli {

std::optional<int> parse_command_line(const std::string& command, const std::vector<std::string>& args,
                                      const po::options_description& visible, po::variables_map& vm, const char* positional,
                                      bool one_positional) {
    po::options_description all;
    all.add(visible);
    po::positional_options_description pos;
    if (positional) {
        po::options_description hidden;
        if (one_positional)
            hidden.add_options()(positional, po::value<std::string>(), positional);
        else
            hidden.add_options()(positional, po::value<std::vector<std::string>>(), positional);
        all.add(hidden);
        pos.add(positional, one_positional ? 1 : -1);
    }
    try {
        po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "planconv " << command << ": " << e.what() << "\n";
        return kExitUsage;
    }
    if (vm.count("help")) {
        print_command_help(std::cout, command.substr(0, command.find(' ')), visible);
        return kExitOk;
    }
    return std::nullopt;
}

bool read_fail_on(const po::variables_map& vm, const std::string& command, std::optional<Severity>& fail_at) {
    const std::string fail_on = vm["fail-on"].as<std::string>();
    if (fail_on == "never")
        fail_at = std::nullopt;
    else if (fail_on == "warning")
        fail_at = Severity::Warning;
    else if (fail_on == "error")
        fail_at = Severity::Error;
    else {
        std::cerr << "planconv " << command << ": --fail-on takes error, warning or never, not '" << fail_on << "'\n";
        return false;
    }
    return true;
}

bool read_as_of(const po::variables_map& vm, const std::string& command, std::optional<Date>& as_of) {
    if (!vm.count("as-of")) return true;
    const std::string s = vm["as-of"].as<std::string>();
    as_of = Date::parse_iso(s);
    int d = 0, m = 0, y = 0;
    char a = 0, b = 0;
    if (!as_of && std::sscanf(s.c_str(), "%d%c%d%c%d", &d, &a, &m, &b, &y) == 5 && a == '/' && b == '/' && y > 999)
        as_of = Date::from_ymd(y, m, d);
    if (!as_of) std::cerr << "planconv " << command << ": --as-of takes a date like 2016-11-30 or 30/11/2016, not '" << s << "'\n";
    return as_of.has_value();
}

void add_memory_budget_option(po::options_description& opts) {
    opts.add_options()("memory-budget", po::value<unsigned>(),
                       "MB the files being read may hold together, shared by the -j workers (a file that needs more "
                       "alone fails; default: half the machine's memory)");
}

std::uint64_t memory_budget_bytes(const po::variables_map& vm) {
    return vm.count("memory-budget") ? std::uint64_t(std::max(1u, vm["memory-budget"].as<unsigned>())) << 20 : 0;
}

bool read_previous(const po::variables_map& vm, const std::string& command, std::filesystem::path& previous) {
    if (!vm.count("previous")) return true;
    previous = vm["previous"].as<std::string>();
    std::error_code ec;
    const auto status = std::filesystem::status(previous, ec);
    if (std::filesystem::is_regular_file(status) || std::filesystem::is_directory(status)) return true;
    // A FIFO or a device would hang the read: only files and folders are taken.
    std::cerr << "planconv " << command << ": --previous " << previous.string()
              << (std::filesystem::exists(status) ? " is not a file or a folder" : " does not exist")
              << ": give last quarter's planconv XML, its workbook, or a folder of them\n";
    return false;
}

void say_previous(const RunResult& run, std::ostream& out) {
    for (const FileResult& f : run.files) {
        if (f.status != FileResult::Status::Converted) continue;
        if (!f.previous_problem.empty()) {
            out << "planconv: " << f.input << ": " << f.previous_problem << " (PREV-* rules not run)\n";
            continue;
        }
        if (f.previous.empty()) continue;
        out << "planconv: " << f.input << ": compared with " << f.previous << " (" << f.previous_pairing << ")";
        if (!f.previous_text_pairs.empty()) {
            out << "; paired by text, not id: ";
            for (std::size_t i = 0; i < f.previous_text_pairs.size(); ++i) out << (i ? ", " : "") << f.previous_text_pairs[i];
        }
        out << "\n";
    }
}

std::optional<MappingChoice> read_mappings(const po::variables_map& vm, const std::string& command) {
    const MappingLibrary library = mapping_library(vm);
    MappingChoice choice;
    try {
        if (vm.count("mapping"))
            choice.forced = library.load(vm["mapping"].as<std::string>());
        else
            choice.candidates = library.load_all();
    } catch (const MappingError& e) {
        std::cerr << "planconv: mapping error:\n" << e.what() << "\n";
        return std::nullopt;
    }
    if (!choice.forced && choice.candidates.empty()) {
        std::cerr << "planconv " << command << ": no mappings found (--no-shipped-mappings, and no mapping in the "
                     "--mappings-dir folders)\n";
        return std::nullopt;
    }
    return choice;
}

}  // namespace planconv::cli
