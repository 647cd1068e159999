// PreviousPairing: the records of this quarter's return paired with last quarter's (--previous),
// which is what the PREV-* rules (PreviousRules.cpp) judge. Both documents are mapped with the
// same mapping, so their tables correspond by name.
//
// Pairing, per table, over the records proper (not notes, totals or group rows):
//   1. by id: the same record id in both returns, kept when the records' identifying texts still
//      look alike (or one of them has none) — an id reused for another action is not a pair;
//   2. by text: what is left is paired by the similarity of the identifying texts (the words
//      both share, Dice coefficient of their word sets, at least kTextPairing), best first —
//      this is what pairs records whose ids were renumbered, and each such pair is reported.
// The identifying text is the table's first key text column (the action, the indicator), else
// its first text column; numbers in it (the written numbering) are ignored.
#pragma once

#include "model/Document.hpp"
#include "model/RecordChange.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace planconv {

inline constexpr double kIdPairing = 0.5;    // an id pair is kept at this text likeness or above
inline constexpr double kTextPairing = 0.6;  // records without an id pair are paired from here

struct TablePairing {
    std::string table;                                // the table's name in both returns
    const TableRecords* before = nullptr;             // the previous return's table (null: it has none)
    std::vector<std::optional<std::size_t>> before_of;  // per current record: its previous record's index
    std::vector<std::optional<std::size_t>> now_of;     // per previous record: its current record's index
    std::vector<bool> by_text;                        // per current record: paired by text, not id
};

// Last quarter's return as the checks see it.
struct PreviousReturn {
    const Document* doc = nullptr;
    std::string name;                   // how findings name it ("portfolio-plan-q2.xlsx")
    std::vector<TablePairing> tables;   // parallel to the current document's tables

    const TablePairing* table(const std::string& name) const;
};

PreviousReturn pair_with_previous(const Document& now, const Document& before, std::string name);

// "action 1.2 with the previous 1.1 (ids renumbered)": one line per pair made by text, for the
// run to say.
std::vector<std::string> text_pairings(const Document& now, const PreviousReturn& previous);

// What a reader would call the same text: words and figures only, lower case, one space
// between ("Review the QA framework." and "review the QA  framework" are the same).
std::string comparable_text(const std::string& plain);

// Every difference, table by table in the current return's order: the records dropped (where
// the previous return had them), the records added, and each field of a paired record whose
// text changed (words and figures compared; case, markup and spacing aside).
std::vector<RecordChange> changes_since(const Document& now, const PreviousReturn& previous);

// The words of a text that identify it: lower case, numbers and one-letter words left out.
std::vector<std::string> identifying_words(const std::string& text);
// Dice coefficient of two word sets: 1 = the same words, 0 = none shared.
double word_likeness(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace planconv
