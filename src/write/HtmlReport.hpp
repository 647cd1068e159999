// report.html: the run for a person — one section per file, findings grouped by sheet, with
// severity colours and cell references, each return opening with its committee summary.
// Self-contained (inline CSS and script, no network): with script, findings filter by
// severity, rule and file and the file table sorts; without, everything shows and returns
// without findings are folded by <details>.
#pragma once

#include "model/RunResult.hpp"

#include <string>

namespace planconv {

std::string html_report(const RunResult& run);

// The style report.html and the web page of `planconv serve` share (type, badges, tables).
std::string report_base_css();

}  // namespace planconv
