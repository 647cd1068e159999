// report.html: the run for a person — one section per file, findings grouped by sheet, with
// severity colours and cell references. Self-contained: inline CSS, no scripts, no network.
#pragma once

#include "model/RunResult.hpp"

#include <string>

namespace planconv {

std::string html_report(const RunResult& run);

}  // namespace planconv
