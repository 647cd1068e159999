// Dispatch: `planconv COMMAND ...`, plus --help and --version.
#include "cli/Commands.hpp"
#include "cli/Help.hpp"

#include "read/XmlStream.hpp"

#include <cstring>
#include <iostream>

namespace planconv::cli {

namespace {

constexpr const char* kUsage =
    "usage: planconv COMMAND [options] ...\n"
    "\n"
    "commands:\n"
    "  convert  [options] INPUT...   read, map and check returns; write XML per input and a report\n"
    "  validate [options] INPUT...   the same reading and checks; write only the report\n"
    "  inspect [--cells] FILE   sheets, used ranges, merged ranges and header-like rows of a workbook;\n"
    "                           with --cells every non-empty cell as sheet<TAB>A1<TAB>type<TAB>value;\n"
    "                           with -m MAPPING [--explain] how that mapping reads it, row by row\n"
    "  template -m MAPPING [--from FILE.xml] -o OUT.xlsx\n"
    "                           a return workbook in the mapping's layout, pre-filled from last return's XML\n"
    "  mappings list            the shipped mappings with one-line descriptions\n"
    "  mappings check FILE      validate a mapping file; every mistake with its line\n"
    "  mappings xsd NAME        the XML Schema of the XML that mapping produces\n"
    "  mappings draft FILE [-o OUT.xml]\n"
    "                           a starter mapping for a workbook's layout, guessed from its headers and values\n"
    "  report merge REPORT.json... -o OUT\n"
    "                           the reports of a run split with --shard K/N merged into one\n"
    "  watch INBOX -o OUT       a drop folder: returns converted as they arrive, OUT/report.html over all\n"
    "  serve [--listen ADDR:PORT] [--inbox DIR] -o OUT\n"
    "                           a web page to drop returns on, with their findings and outputs\n"
    "\n"
    "  planconv --help | --version\n"
    "  planconv help COMMAND    (or planconv COMMAND --help) a command's options, examples and exit codes\n";

}  // namespace

int run(int argc, char** argv) {
    init_xml_library();
    if (argc < 2) {
        std::cerr << kUsage;
        return kExitUsage;
    }
    std::string command = argv[1];
    std::vector<std::string> args(argv + 2, argv + argc);
    if (command == "help" && !args.empty()) {
        // `planconv help COMMAND [SUB]` is `planconv COMMAND [SUB] --help`.
        command = args[0];
        args.erase(args.begin());
        if (command == "report" && args.empty()) args.push_back("merge");
        args.push_back("--help");
    } else if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kUsage << "\nExit codes:\n" << exit_codes_text();
        return kExitOk;
    }
    if (command == "--version" || command == "-V") {
        std::cout << "planconv " << PLANCONV_VERSION << "\n";
        return kExitOk;
    }
    try {
        if (command == "inspect") return inspect_command(args);
        if (command == "convert") return convert_command(args, false);
        if (command == "validate") return convert_command(args, true);
        if (command == "mappings") return mappings_command(args);
        if (command == "template") return template_command(args);
        if (command == "report") return report_command(args);
        if (command == "watch") return watch_command(args);
        if (command == "serve") return serve_command(args);
    } catch (const std::exception& e) {
        std::cerr << "planconv: " << e.what() << "\n";
        return kExitUsage;
    }
    std::cerr << "planconv: unknown command '" << command << "'\n" << kUsage;
    return kExitUsage;
}

}  // namespace planconv::cli
