// MappingDraft: a starter mapping file guessed from one workbook (`planconv mappings draft`).
//
// Nothing here knows a council layout: the draft is read off the workbook's own shapes. A header
// row is a row of short text cells after a break (a blank row, a title, the top of the sheet) or
// a row of text repeated through the workbook; the rows under it, up to the next header, are its
// table. Every column that holds anything in those rows becomes a field (a column with no
// header text is placed after= its left neighbour), so the draft reads every cell of its
// tables. Types are guessed from the values (RAG words, dates, timescales, figures, ids, long
// or marked-up text), rows that open sections (a "Word N" row followed by a header) become
// sections or, inside a table, group rows, and "Total" rows become total rows. The rules follow
// the types: FIELD-ENUM for RAG columns, TIME-* for timescales (TIME-ORDER for a start and an
// end date), FIELD-TYPE for figures and dates, ID-DUPLICATE for ids, TOTAL-SUM under total rows.
#pragma once

#include "model/Workbook.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace planconv {

// The workbook has nothing a mapping could describe (no header row with rows under it).
class MappingDraftError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct MappingDraft {
    std::string xml;                  // the mapping file, UTF-8
    std::vector<std::string> notes;   // what the author should look at (one sentence each)
};

// `name` is the mapping's name= (a lower-case name as the schema wants it; see draft_name()).
// Throws MappingDraftError.
MappingDraft draft_mapping(const Workbook& wb, const std::string& name);

// A mapping name from a file name: "Care Q2 (final).xlsx" -> "care-q2-final".
std::string draft_name(const std::string& file_stem);

}  // namespace planconv
