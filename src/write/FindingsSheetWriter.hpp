// FindingsSheetWriter: the Findings sheet of a cleaned workbook — one row per finding (rule,
// severity, the source sheet and cell, record, message, expected, actual, count) with an
// internal hyperlink to the cell of the cleaned workbook that carries the value — and the
// severity look shared with the highlighted cells and their comments.
#pragma once

#include "write/XlsxBook.hpp"
#include "model/Finding.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

typedef struct lxw_worksheet lxw_worksheet;

namespace planconv {

// A cell of the cleaned workbook.
struct CleanCellRef {
    std::string sheet;
    std::uint32_t row = 0;  // 0-based
    std::uint32_t col = 0;
};

// The fill and border of a cell a finding of this severity points at.
CellStyle severity_style(Severity s);

// "error TOTAL-COUNT: summary says … (expected 4, found 5)": one finding in a cell comment.
std::string finding_comment_line(const Finding& f);

// Writes the whole sheet. `targets` is parallel to `findings` (nullopt: no cell to link to).
// `sources`, when given (a consolidated workbook), is too: a leading "Source" column names the
// return each finding is about. With no findings the sheet says so.
void write_findings_sheet(XlsxBook& book, lxw_worksheet* ws, const std::vector<Finding>& findings,
                          const std::vector<std::optional<CleanCellRef>>& targets,
                          const std::vector<std::string_view>* sources = nullptr);

}  // namespace planconv
