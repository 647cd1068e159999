// Dispatch: `planconv COMMAND ...`, plus --help and --version.
#include "cli/Commands.hpp"

#include "io/XmlStream.hpp"

#include <cstring>
#include <iostream>

namespace planconv::cli {

namespace {

constexpr const char* kUsage =
    "usage: planconv COMMAND [options] ...\n"
    "\n"
    "commands:\n"
    "  inspect [--cells] FILE   sheets, used ranges, merged ranges and header-like rows of a workbook;\n"
    "                           with --cells every non-empty cell as sheet<TAB>A1<TAB>type<TAB>value\n"
    "\n"
    "  planconv --help | --version\n"
    "  planconv COMMAND --help  options of one command\n";

}  // namespace

int run(int argc, char** argv) {
    init_xml_library();
    if (argc < 2) {
        std::cerr << kUsage;
        return kExitUsage;
    }
    std::string command = argv[1];
    std::vector<std::string> args(argv + 2, argv + argc);
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kUsage;
        return kExitOk;
    }
    if (command == "--version" || command == "-V") {
        std::cout << "planconv " << PLANCONV_VERSION << "\n";
        return kExitOk;
    }
    try {
        if (command == "inspect") return inspect_command(args);
    } catch (const std::exception& e) {
        std::cerr << "planconv: " << e.what() << "\n";
        return kExitUsage;
    }
    std::cerr << "planconv: unknown command '" << command << "'\n" << kUsage;
    return kExitUsage;
}

}  // namespace planconv::cli
