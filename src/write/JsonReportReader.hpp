// report.json read back into a RunResult — the inverse of json_report(), so that the reports
// of a run split into shards (`convert --shard K/N` on several machines) can be merged into
// the one report a single run would have written (`planconv report merge`).
#pragma once

#include "model/RunResult.hpp"

#include <filesystem>
#include <stdexcept>
#include <vector>

namespace planconv {

class ReportReadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Throws ReportReadError with a plain sentence naming the file when it cannot be read or is not
// a planconv report.json.
RunResult read_json_report(const std::filesystem::path& file);

// One run's result from shard results: every file once, in the order a single run over the
// same inputs lists them (by path, as a folder is scanned); `generated` is left to the caller.
// Throws ReportReadError when one input appears in two reports.
RunResult merge_run_results(std::vector<RunResult> parts);

}  // namespace planconv
