// The options every command that looks mappings up shares: `--mappings-dir DIR` (repeatable;
// adds a folder searched before the shipped mappings) and `--no-shipped-mappings`.
#pragma once

#include "mapping/MappingLibrary.hpp"

#include <boost/program_options.hpp>

namespace planconv::cli {

void add_mapping_library_options(boost::program_options::options_description& opts);
MappingLibrary mapping_library(const boost::program_options::variables_map& vm);

}  // namespace planconv::cli
