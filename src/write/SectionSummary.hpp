// SectionSummary: a return counted per section for the committee summary — RAG ratings of the
// records of the main tables, TIME-OVERDUE findings and all findings — and the Summary sheet of
// a cleaned workbook that shows those figures with a stacked bar chart.
#pragma once

#include "model/Document.hpp"
#include "model/Finding.hpp"
#include "model/SectionTally.hpp"
#include "write/XlsxBook.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace planconv {

class FieldTyper;

// One tally per section in the document's order (one titled "The whole return" when it has no
// sections), then, when some findings lie outside every section, a last tally with id "" and
// title "Elsewhere in the return" for them. A record counts under the first RAG column of its
// table; records are those of main tables that are records (not totals, notes, groups).
std::vector<SectionTally> tally_sections(const Document& doc, const std::vector<Finding>& findings, FieldTyper& typer);

// The colour of SectionTally::rag[k] in charts (the RAG fills; a dark grey for not rated).
std::uint32_t rag_tally_fill(std::size_t k);

// One return's tallies on the Summary sheet (`source` "" for a return's own workbook).
struct SummaryPart {
    std::string source;
    std::vector<SectionTally> sections;
};

// Writes the Summary sheet `ws` (named `sheet_name`) — a table of the figures and a stacked bar
// chart of the RAG counts per section, a series per RAG value. `consolidated`: a leading
// Source column names each row's return.
void write_summary_sheet(XlsxBook& book, lxw_worksheet* ws, const std::string& sheet_name, const std::string& heading,
                         const std::vector<SummaryPart>& parts, bool consolidated);

}  // namespace planconv
