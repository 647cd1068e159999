// RuleTally: the findings of a run counted per rule and severity — the "by rule" summary of
// report.json and report.html.
#pragma once

#include "model/RunResult.hpp"

#include <string>
#include <vector>

namespace planconv {

struct RuleCount {
    std::string rule;
    Severity severity = Severity::Error;
    std::size_t findings = 0;  // folded findings counted as many
    std::size_t files = 0;     // files with at least one
};

// Most severe first, then the most frequent, then by rule id.
std::vector<RuleCount> count_by_rule(const RunResult& run);

}  // namespace planconv
