// The planconv command line: one function per command, dispatched from run().
#pragma once

#include <string>
#include <vector>

namespace planconv::cli {

// Exit codes of SPEC §4.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnreadable = 3;
inline constexpr int kExitUnwritten = 4;     // some outputs could not be written (permissions, disk full)
inline constexpr int kExitInterrupted = 128; // + the signal: 130 (SIGINT), 143 (SIGTERM)

// The exit codes in words, for --help.
inline constexpr const char* kExitCodesHelp =
    "exit codes:\n"
    "  0    no finding at or above --fail-on\n"
    "  1    findings at or above --fail-on\n"
    "  2    usage or mapping error, a clash between outputs, or the output folder stayed locked by\n"
    "       another run: nothing processed\n"
    "  3    at least one input could not be read (the others were processed and reported)\n"
    "  4    some outputs could not be written (permissions, disk full): the report and the summary\n"
    "       name each input concerned\n"
    "  130  interrupted by SIGINT (Ctrl-C), 143 by SIGTERM: the inputs in hand were finished and\n"
    "       the report says what was done (\"interrupted\": true)\n";

int run(int argc, char** argv);

// Each command takes the arguments after its name.
int inspect_command(const std::vector<std::string>& args);
// convert and validate share everything but the outputs.
int convert_command(const std::vector<std::string>& args, bool validate_only);
int mappings_command(const std::vector<std::string>& args);
int template_command(const std::vector<std::string>& args);

}  // namespace planconv::cli
