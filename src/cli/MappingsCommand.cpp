// `planconv mappings list | check FILE | xsd NAME | draft FILE`: the shipped mappings, a mapping
// file's mistakes with their lines, the schema of the XML a mapping produces, and a starter
// mapping drafted from a workbook.
#include "cli/CommandLine.hpp"
#include "cli/Commands.hpp"
#include "cli/Help.hpp"
#include "cli/MappingOptions.hpp"
#include "validate/Rule.hpp"

#include "files/AtomicFile.hpp"
#include "mapping/MappingDraft.hpp"
#include "mapping/MappingLoader.hpp"
#include "read/WorkbookReader.hpp"
#include "write/XsdWriter.hpp"

#include <boost/program_options.hpp>

#include <algorithm>
#include <iostream>
#include <optional>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace planconv::cli {

namespace {

constexpr const char* kMappingsUsage =
    "usage: planconv mappings list [--mappings-dir DIR]\n"
    "       planconv mappings check FILE [--mappings-dir DIR]\n"
    "       planconv mappings xsd NAME|FILE [--mappings-dir DIR]\n"
    "       planconv mappings draft FILE [-o OUT.xml] [--name NAME]\n"
    "\n"
    "  list    the mappings in the mappings folder, with what each is for\n"
    "  check   validate a mapping file (schema and meaning); every mistake with its line\n"
    "  xsd     print the XML Schema of the XML that mapping produces\n"
    "  draft   write a starter mapping for a workbook's layout (to stdout, or -o OUT.xml)\n";

// "FILE:LINE: message (hint)", or "FILE: message" for problems of the whole file.
void print_diagnostics(std::ostream& out, const std::string& file, const std::vector<MappingDiagnostic>& diagnostics) {
    for (const MappingDiagnostic& d : diagnostics) {
        out << file;
        if (d.line > 0) out << ":" << d.line;
        out << ": " << d.message;
        if (!d.hint.empty()) out << " (" << d.hint << ")";
        out << "\n";
    }
}

struct MappingsArgs {
    MappingLibrary library;
    std::optional<std::string> operand;
};

// Parses `[--mappings-dir DIR] [OPERAND]`; nullopt after printing help or a usage error
// (exit code in `exit_code`).
std::optional<MappingsArgs> parse_args(const std::string& sub, const std::vector<std::string>& args, const char* operand_name,
                                       int& exit_code) {
    po::options_description opts(std::string("planconv mappings ") + sub + (operand_name ? std::string(" ") + operand_name : "") +
                                 " [options]");
    opts.add_options()
        ("help,h", "show this help");
    add_mapping_library_options(opts);
    po::options_description hidden;
    hidden.add_options()("operand", po::value<std::string>());
    po::options_description all;
    all.add(opts).add(hidden);
    po::positional_options_description pos;
    if (operand_name) pos.add("operand", 1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "planconv mappings " << sub << ": " << e.what() << "\n" << opts;
        exit_code = kExitUsage;
        return std::nullopt;
    }
    if (vm.count("help")) {
        std::cout << opts;
        exit_code = kExitOk;
        return std::nullopt;
    }
    MappingsArgs out;
    out.library = mapping_library(vm);
    if (vm.count("operand")) out.operand = vm["operand"].as<std::string>();
    if (operand_name && !out.operand) {
        std::cerr << "planconv mappings " << sub << ": name the " << operand_name << "\n" << opts;
        exit_code = kExitUsage;
        return std::nullopt;
    }
    return out;
}

int list_mappings(const MappingsArgs& a) {
    for (const fs::path& dir : a.library.folders) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) {
            std::cerr << "planconv: the mappings folder " << dir.string() << " is not a folder that can be read\n";
            return kExitUsage;
        }
    }
    const std::vector<fs::path> files = a.library.files();
    // One broken file does not hide the others: it is named on stderr and the exit code says so.
    std::vector<Mapping> mappings;
    int status = kExitOk;
    for (const fs::path& f : files) {
        try {
            mappings.push_back(load_mapping(f, f.parent_path()));
        } catch (const MappingError&) {
            std::cerr << "planconv: " << f.string() << " is not a usable mapping (see: planconv mappings check " << f.string()
                      << ")\n";
            status = kExitUsage;
        }
    }
    std::sort(mappings.begin(), mappings.end(), [](const Mapping& x, const Mapping& y) { return x.name < y.name; });
    std::size_t width = 0;
    for (const Mapping& m : mappings) width = std::max(width, m.name.size());
    for (const Mapping& m : mappings) std::cout << m.name << std::string(width - m.name.size() + 2, ' ') << m.description << "\n";
    return status;
}

int check_mapping(const MappingsArgs& a) {
    const std::string& file = *a.operand;
    std::vector<MappingDiagnostic> problems;
    try {
        Mapping m = a.library.load(file);
        problems = xml_name_conflicts(m);
        // What each rule's parameters must name (fields of its table, numbers, claims).
        for (const RuleSpec& r : m.rules)
            for (MappingDiagnostic& d : rule_declaration_diagnostics(r, m)) problems.push_back(std::move(d));
        std::stable_sort(problems.begin(), problems.end(),
                         [](const MappingDiagnostic& x, const MappingDiagnostic& y) { return x.line < y.line; });
    } catch (const MappingError& e) {
        problems = e.diagnostics();
    }
    if (problems.empty()) {
        std::cout << file << ": OK\n";
        return kExitOk;
    }
    print_diagnostics(std::cout, file, problems);
    return kExitUsage;
}

int print_xsd(const MappingsArgs& a) {
    try {
        Mapping m = a.library.load(*a.operand);
        std::cout << mapping_xsd(m);
        return kExitOk;
    } catch (const MappingError& e) {
        std::cerr << "planconv: the mapping '" << *a.operand << "' cannot be used:\n";
        print_diagnostics(std::cerr, e.file(), e.diagnostics());
        return kExitUsage;
    }
}

// `mappings draft FILE [-o OUT.xml] [--name NAME]`: the mapping to stdout or, atomically, to OUT.
int draft(const std::vector<std::string>& args) {
    po::options_description opts("planconv mappings draft FILE [options]");
    opts.add_options()
        ("help,h", "show this help")
        ("output,o", po::value<std::string>(), "write the mapping to this file (default: standard output)")
        ("name", po::value<std::string>(), "the mapping's name= (default: from the workbook's file name)");
    po::variables_map vm;
    if (auto done = parse_command_line("mappings draft", args, opts, vm, "file", true)) return *done;
    if (!vm.count("file")) {
        std::cerr << "planconv mappings draft: name the workbook to draft a mapping for\n" << opts;
        return kExitUsage;
    }
    const fs::path file = vm["file"].as<std::string>();
    std::string name = vm.count("name") ? vm["name"].as<std::string>() : draft_name(file.stem().string());
    if (name != draft_name(name)) {
        std::cerr << "planconv mappings draft: --name takes lower-case letters, digits and dashes, starting with a letter, "
                     "such as '" << draft_name(name) << "'\n";
        return kExitUsage;
    }
    std::optional<fs::path> output;
    if (vm.count("output")) {
        output = fs::path(vm["output"].as<std::string>());
        std::error_code ec;
        if (fs::equivalent(*output, file, ec)) {
            std::cerr << "planconv mappings draft: the output " << output->string() << " is the workbook itself\n";
            return kExitUsage;
        }
    }
    Workbook wb;
    try {
        wb = read_workbook(file);
    } catch (const ReadError& e) {
        std::cerr << "planconv: " << file.string() << ": " << e.what() << "\n";
        return kExitUnreadable;
    }
    MappingDraft drafted;
    try {
        drafted = draft_mapping(wb, name);
    } catch (const MappingDraftError& e) {
        std::cerr << "planconv mappings draft: " << file.string() << ": " << e.what() << "\n";
        return kExitUsage;
    }
    for (const std::string& note : drafted.notes) std::cerr << "planconv mappings draft: note: " << note << "\n";
    if (!output) {
        std::cout << drafted.xml;
        return kExitOk;
    }
    try {
        AtomicFile out(*output);
        out.write(drafted.xml);
        out.commit();
    } catch (const AtomicFileError& e) {
        std::cerr << "planconv mappings draft: cannot write " << output->string() << ": " << e.what() << "\n";
        return kExitUsage;
    }
    std::cerr << "planconv mappings draft: wrote " << output->string() << " (check it with: planconv mappings check "
              << output->string() << ")\n";
    return kExitOk;
}

}  // namespace

int mappings_command(const std::vector<std::string>& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        if (args.empty()) {
            std::cerr << kMappingsUsage;
            return kExitUsage;
        }
        std::cout << kMappingsUsage;
        print_examples_and_exit_codes(std::cout, "mappings");
        return kExitOk;
    }
    const std::string& sub = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    int exit_code = kExitOk;
    if (sub == "list") {
        auto a = parse_args(sub, rest, nullptr, exit_code);
        return a ? list_mappings(*a) : exit_code;
    }
    if (sub == "check") {
        auto a = parse_args(sub, rest, "FILE", exit_code);
        return a ? check_mapping(*a) : exit_code;
    }
    if (sub == "draft") return draft(rest);
    if (sub == "xsd") {
        auto a = parse_args(sub, rest, "NAME", exit_code);
        return a ? print_xsd(*a) : exit_code;
    }
    std::cerr << "planconv mappings: unknown subcommand '" << sub << "'\n" << kMappingsUsage;
    return kExitUsage;
}

}  // namespace planconv::cli
