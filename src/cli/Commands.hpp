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

int run(int argc, char** argv);

// Each command takes the arguments after its name.
int inspect_command(const std::vector<std::string>& args);
// convert and validate share everything but the outputs.
int convert_command(const std::vector<std::string>& args, bool validate_only);
int mappings_command(const std::vector<std::string>& args);
int template_command(const std::vector<std::string>& args);
// `report merge`: shard reports merged into one.
int report_command(const std::vector<std::string>& args);
// The officer's doors: a drop folder and a web page (issue 12).
int watch_command(const std::vector<std::string>& args);
int serve_command(const std::vector<std::string>& args);

}  // namespace planconv::cli
