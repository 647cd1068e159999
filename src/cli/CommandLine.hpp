// What every command does with its command line, and the options convert, validate, watch and
// serve share: parsing (with --help and one-line errors), --fail-on, --as-of and the mappings
// to use. One place, so the commands say the same thing the same way.
#pragma once

#include "mapping/Mapping.hpp"
#include "model/Date.hpp"
#include "model/Finding.hpp"
#include "model/RunResult.hpp"

#include <boost/program_options.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace planconv::cli {

// Parses `args` against `visible` (plus, when `positional` is given, a hidden option of that
// name taking every positional argument as a list of strings; with `one_positional`, taking a
// single one as a string). Prints the help (`help` set) or the parse error.
// Returns nullopt to go on with `vm`, else the exit code to return. `command` is the words
// after `planconv` ("report merge"); its first word names the help.
std::optional<int> parse_command_line(const std::string& command, const std::vector<std::string>& args,
                                      const boost::program_options::options_description& visible,
                                      boost::program_options::variables_map& vm, const char* positional = nullptr,
                                      bool one_positional = false);

// "--fail-on error|warning|never" -> the lowest severity that fails (nullopt: never). False,
// after saying why on stderr, for anything else.
bool read_fail_on(const boost::program_options::variables_map& vm, const std::string& command,
                  std::optional<Severity>& fail_at);

// "--as-of 2016-11-30" or "30/11/2016" (unset when not given). False, after saying why, when
// the date cannot be read.
bool read_as_of(const boost::program_options::variables_map& vm, const std::string& command, std::optional<Date>& as_of);

// --memory-budget MB: what the files in hand may hold together (default: half the machine's).
void add_memory_budget_option(boost::program_options::options_description& opts);
// Its value in bytes (0 when not given: the default).
std::uint64_t memory_budget_bytes(const boost::program_options::variables_map& vm);

// "--previous PATH" (empty when not given). False, after saying why, when PATH does not exist.
bool read_previous(const boost::program_options::variables_map& vm, const std::string& command,
                   std::filesystem::path& previous);

// For each return compared with last quarter's (--previous): one line saying which file and how
// it was found, or why none was, and the records paired by text rather than id.
void say_previous(const RunResult& run, std::ostream& out);

// The mapping given with -m, else every mapping on the search path to detect from.
struct MappingChoice {
    std::vector<Mapping> candidates;
    std::optional<Mapping> forced;
};
// nullopt after saying why on stderr (a broken mapping, a name that is no mapping, none left).
std::optional<MappingChoice> read_mappings(const boost::program_options::variables_map& vm, const std::string& command);

}  // namespace planconv::cli
