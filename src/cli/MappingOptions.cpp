// --mappings-dir and --no-shipped-mappings -> MappingLibrary.
#include "cli/MappingOptions.hpp"

namespace po = boost::program_options;

namespace planconv::cli {

void add_mapping_library_options(po::options_description& opts) {
    opts.add_options()
        ("mappings-dir", po::value<std::vector<std::string>>(),
         "a folder of your own mappings, searched before the shipped ones (repeatable); one with a shipped "
         "mapping's name replaces it")
        ("no-shipped-mappings", "use only the --mappings-dir folders, not the shipped mappings");
}

MappingLibrary mapping_library(const po::variables_map& vm) {
    MappingLibrary lib;
    if (vm.count("mappings-dir"))
        for (const std::string& dir : vm["mappings-dir"].as<std::vector<std::string>>()) lib.folders.emplace_back(dir);
    lib.shipped = !vm.count("no-shipped-mappings");
    return lib;
}

}  // namespace planconv::cli
