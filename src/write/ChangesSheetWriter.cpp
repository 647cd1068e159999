// ChangesSheetWriter: the Changes sheet; see ChangesSheetWriter.hpp.
#include "write/ChangesSheetWriter.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <array>

namespace planconv {

namespace {

struct ChangesColumn {
    const char* heading;
    double width;
};
constexpr std::array<ChangesColumn, 8> kColumns{{
    {"Table", 14}, {"Record", 10}, {"Change", 10}, {"Field", 22}, {"Previous", 50}, {"Now", 50}, {"Cell in your workbook", 22},
    {"Paired by", 10},
}};

const char* kind_text(RecordChange::Kind k) {
    switch (k) {
    case RecordChange::Kind::Changed: return "changed";
    case RecordChange::Kind::Dropped: return "dropped";
    case RecordChange::Kind::Added: return "added";
    }
    return "";
}

}  // namespace

void write_changes_sheet(XlsxBook& book, lxw_worksheet* ws, const std::vector<RecordChange>& changes,
                         const std::string& previous_name) {
    lxw_format* header_format = book.format(cleaned_header_style());
    CellStyle body;
    body.wrap = true;
    body.align = CellStyle::Align::Left;
    lxw_format* body_format = book.format(body);
    // The header row (row 1, repeated on every printed page); the Previous column names the return.
    const std::string previous_heading = "Previous (" + previous_name + ")";
    std::size_t header_lines = 1;
    for (std::size_t c = 0; c < kColumns.size(); ++c) {
        std::string heading = c == 4 ? previous_heading : kColumns[c].heading;
        check_lxw(worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), kColumns[c].width, nullptr), "Changes column");
        check_lxw(worksheet_write_string(ws, 0, lxw_col_t(c), safe_cell_text(heading).c_str(), header_format), "Changes header");
        header_lines = std::max(header_lines, wrapped_lines(heading, kColumns[c].width));
    }
    check_lxw(worksheet_set_row(ws, 0, row_height_for(header_lines), nullptr), "Changes header");
    worksheet_freeze_panes(ws, 1, 0);
    const lxw_col_t last = lxw_col_t(kColumns.size() - 1);
    if (changes.empty()) {
        check_lxw(worksheet_write_string(ws, 1, 4, "No changes: every record and field is as last quarter.", body_format), "Changes");
        check_lxw(worksheet_autofilter(ws, 0, 0, 1, last), "Changes filter");
        return;
    }
    const std::size_t rows = std::min<std::size_t>(changes.size(), LXW_ROW_MAX - 2);
    for (std::size_t i = 0; i < rows; ++i) {
        const RecordChange& c = changes[i];
        lxw_row_t r = lxw_row_t(i + 1);
        const std::array<std::string_view, 8> cells{c.table, c.record, kind_text(c.kind), c.field, c.previous, c.now, c.cell,
                                                    c.kind == RecordChange::Kind::Changed ? (c.paired_by_text ? "text" : "id") : ""};
        std::size_t lines = 1;
        for (std::size_t col = 0; col < cells.size(); ++col) {
            if (cells[col].empty()) continue;
            std::string safe = safe_cell_text(cells[col]);
            lines = std::max(lines, wrapped_lines(safe, kColumns[col].width));
            check_lxw(worksheet_write_string(ws, r, lxw_col_t(col), safe.c_str(), body_format), "Changes row");
        }
        check_lxw(worksheet_set_row(ws, r, row_height_for(std::min<std::size_t>(lines, 20)), nullptr), "Changes row height");
    }
    check_lxw(worksheet_autofilter(ws, 0, 0, lxw_row_t(rows), last), "Changes filter");
}

}  // namespace planconv
