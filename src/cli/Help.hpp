// Help for people: `planconv help [COMMAND]` and `planconv COMMAND --help` print a command's
// usage, its options grouped by what they are for (GNU style: `-m, --mapping NAME|FILE`), two
// or three examples that run as written from a checkout, and the exit codes. The man page is
// generated from the same text at build time (scripts/manpage), so the two never drift.
#pragma once

#include <boost/program_options/options_description.hpp>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace planconv::cli {

// A command's whole help: usage line, grouped options, examples, exit codes.
void print_command_help(std::ostream& out, std::string_view command, const boost::program_options::options_description& opts);

// A command's examples and the exit codes (the end of its help), for commands whose usage is
// written by hand (`mappings`).
void print_examples_and_exit_codes(std::ostream& out, std::string_view command);

// The examples of a command (each a complete command line starting with "planconv"); empty
// for an unknown command. tests/e2e/test_help.py runs every one.
const std::vector<std::string_view>& command_examples(std::string_view command);

// The exit codes of SPEC §4, one per line, for help and the man page.
std::string_view exit_codes_text();

}  // namespace planconv::cli
