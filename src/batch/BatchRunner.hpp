// BatchRunner: runs the Pipeline over every input on N worker threads; results come back in
// input order whatever order the workers finish in.
#pragma once

#include "batch/Pipeline.hpp"
#include "model/RunResult.hpp"

namespace planconv {

// After SIGINT/SIGTERM (see Interruption.hpp) no new input is taken: the result then holds only
// the inputs processed, with `interrupted` set and `not_processed` counted.
// `kept`: when given, receives each converted input's document (parallel to `inputs`), for a
// consolidation; without it each document is dropped once its outputs are written.
RunResult run_batch(const Pipeline& pipeline, const std::vector<InputFile>& inputs, unsigned jobs, bool progress,
                    std::vector<std::optional<KeptDocument>>* kept = nullptr);

// "2026-11-22T12:00:00Z"
std::string utc_timestamp();

}  // namespace planconv
