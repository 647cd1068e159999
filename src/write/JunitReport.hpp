// JUnit XML (--report x.xml): one testcase per input file, failing when it has a finding that
// --fail-on counts, so the CI verdict and planconv's exit code always agree.
#pragma once

#include "model/RunResult.hpp"

#include <optional>
#include <string>

namespace planconv {

// `fail_at`: the least severity that fails a file (--fail-on error: Error, warning: Warning);
// nullopt (--fail-on never) fails none — its findings are still listed in <system-out>.
std::string junit_report(const RunResult& run, std::optional<Severity> fail_at = Severity::Error);

}  // namespace planconv
