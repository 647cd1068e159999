// What `watch` and `serve` (the officer's two doors) share: the convert options they take and
// the Pipeline those options make, built as `convert` builds it.
#pragma once

#include "batch/Pipeline.hpp"

#include <boost/program_options.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace planconv::cli {

// -m/--mapping, --mappings-dir/--no-shipped-mappings, -o/--out, --as-of, -j/--jobs, --fail-on,
// --no-xml, --no-workbook, -q/--quiet.
void add_door_options(boost::program_options::options_description& opts);

struct DoorSetup {
    std::unique_ptr<Pipeline> pipeline;
    PipelineOptions options;
    unsigned jobs = 1;
    bool quiet = false;
};

// The Pipeline the options ask for; nullopt after saying why on stderr (a usage or mapping error).
// `out_dir`: where the Pipeline writes instead of -o OUT.
std::optional<DoorSetup> door_setup(const boost::program_options::variables_map& vm, const char* command,
                                    const std::filesystem::path* out_dir = nullptr);

// A self-pipe written by SIGTERM/SIGINT: its read end becomes readable when a stop is asked for.
// Returns the read end; `stop_signal()` is the signal received (0: none yet).
int install_stop_pipe();
int stop_signal();

}  // namespace planconv::cli
