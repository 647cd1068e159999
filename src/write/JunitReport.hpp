// JUnit XML (--report x.xml): one testcase per input file, failures = error findings, so CI
// systems can gate circulation of committee papers.
#pragma once

#include "model/RunResult.hpp"

#include <string>

namespace planconv {

std::string junit_report(const RunResult& run);

}  // namespace planconv
