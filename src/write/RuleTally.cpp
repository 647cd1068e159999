// Counting findings per (rule, severity): a rule's severity may be raised or lowered per
// mapping, so the pair, not the rule alone, is what is counted.
#include "write/RuleTally.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace planconv {

std::vector<RuleCount> count_by_rule(const RunResult& run) {
    std::map<std::pair<std::string, Severity>, RuleCount> tally;
    for (const FileResult& f : run.files) {
        std::set<std::pair<std::string, Severity>> seen;
        for (const Finding& x : f.findings) {
            auto key = std::make_pair(x.rule, x.severity);
            RuleCount& c = tally[key];
            c.rule = x.rule;
            c.severity = x.severity;
            c.findings += x.count;
            if (seen.insert(key).second) ++c.files;
        }
    }
    std::vector<RuleCount> out;
    for (auto& [key, c] : tally) out.push_back(std::move(c));
    std::stable_sort(out.begin(), out.end(), [](const RuleCount& a, const RuleCount& b) {
        if (a.severity != b.severity) return a.severity > b.severity;
        if (a.findings != b.findings) return a.findings > b.findings;
        return a.rule < b.rule;
    });
    return out;
}

}  // namespace planconv
