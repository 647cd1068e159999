// Checker: runs the rules a mapping declares over a Document and returns its findings, sorted,
// de-duplicated and folded. The only entry point of the check stage (records -> findings).
//
// Order (deterministic): findings about the file as a whole (no sheet) first; then by sheet in
// the order the document's sheets appear; then row, column, rule id, record and message.
// De-duplication: findings equal in rule, sheet, cell, record and message are one finding.
// Folding: when one rule reports more than `fold_threshold` problems for one field of one table
// (10,000 blank required cells), they become one finding at the first cell whose `count` is
// their number and whose message says how many there are; fewer are reported one by one.
#pragma once

#include "model/Date.hpp"
#include "model/Document.hpp"
#include "model/Finding.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace planconv {

struct PreviousReturn;  // validate/PreviousPairing.hpp

struct CheckContext {
    Date as_of;                         // the reporting date timescales are judged against
    std::optional<Period> plan_period;  // the plan's window (TIME-OUTSIDE-PLAN); none = unknown
    std::size_t fold_threshold = 20;    // more problems than this per rule, table and field fold
    unsigned threads = 1;               // rules run on this many threads (the findings are the same)
    bool as_of_is_today = false;        // no --as-of and no date the workbook states: as_of is the run's day
    // Last quarter's return with its records paired to this one's (--previous): the PREV-* rules
    // apply when it is given. It must outlive the check.
    const PreviousReturn* previous = nullptr;
};

std::vector<Finding> check_document(const Document& doc, const CheckContext& ctx);

}  // namespace planconv
