// FindingsSheetWriter: the Findings sheet and the severity look; see FindingsSheetWriter.hpp.
#include "write/FindingsSheetWriter.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <array>

namespace planconv {

namespace {

// Excel keeps at most this many hyperlinks on one sheet; later findings list the cell as text.
constexpr std::size_t kMaxLinks = 65530;

struct FindingsColumn {
    const char* heading;
    double width;
};
constexpr std::array<FindingsColumn, 11> kColumns{{
    {"#", 6}, {"Severity", 11}, {"Rule", 19}, {"Sheet in your workbook", 22}, {"Cell in your workbook", 12}, {"Record", 10},
    {"Message", 60}, {"Expected", 16}, {"Actual", 16}, {"Count", 8}, {"Go to the cleaned row", 26},
}};

std::string display_of(const CleanCellRef& t) {
    char ref[32];
    lxw_rowcol_to_cell(ref, t.row, static_cast<lxw_col_t>(t.col));
    return t.sheet + "!" + ref;
}

}  // namespace

CellStyle severity_style(Severity s) {
    CellStyle st;
    st.wrap = true;
    st.align = CellStyle::Align::Left;
    switch (s) {
    case Severity::Error: st.fill = 0xFFC7CE; st.border = 0x9C0006; break;
    case Severity::Warning: st.fill = 0xFFEB9C; st.border = 0x9C5700; break;
    case Severity::Info: st.fill = 0xDDEBF7; st.border = 0x1F4E79; break;
    }
    return st;
}

std::string finding_comment_line(const Finding& f) {
    std::string line = std::string(to_string(f.severity)) + " " + f.rule + ": " + f.message;
    if (f.expected || f.actual) {
        line += " (";
        if (f.expected) line += "expected " + *f.expected;
        if (f.expected && f.actual) line += ", ";
        if (f.actual) line += "found " + *f.actual;
        line += ")";
    }
    if (f.count > 1) line += " [" + std::to_string(f.count) + " times]";
    return line;
}

void write_findings_sheet(XlsxBook& book, lxw_worksheet* ws, const std::vector<Finding>& findings,
                          const std::vector<std::optional<CleanCellRef>>& targets, const std::vector<std::string_view>* sources) {
    CellStyle header;
    header.bold = true;
    header.wrap = true;
    header.fill = 0x1F4E78;
    header.font_colour = 0xFFFFFF;
    lxw_format* header_format = book.format(header);
    CellStyle body;
    body.wrap = true;
    body.align = CellStyle::Align::Left;
    lxw_format* body_format = book.format(body);
    CellStyle number = body;
    number.align = CellStyle::Align::Right;
    lxw_format* number_format = book.format(number);
    CellStyle link = body;
    link.underline = true;
    link.font_colour = 0x0563C1;
    lxw_format* link_format = book.format(link);

    // A consolidated workbook's findings start with the return they are about.
    const bool with_source = sources != nullptr;
    const lxw_col_t first = with_source ? 1 : 0;
    const lxw_col_t last = lxw_col_t(first + kColumns.size() - 1);
    double source_width = 0;
    if (with_source) {
        std::size_t widest = 10;
        for (std::string_view s : *sources) widest = std::max(widest, longest_line(s) + 1);
        source_width = double(std::min<std::size_t>(widest, 60));
        check_lxw(worksheet_set_column(ws, 0, 0, source_width, nullptr), "Findings column");
        check_lxw(worksheet_write_string(ws, 0, 0, "Source", header_format), "Findings header");
    }
    std::size_t header_lines = 1;
    for (std::size_t c = 0; c < kColumns.size(); ++c) {
        check_lxw(worksheet_set_column(ws, lxw_col_t(first + c), lxw_col_t(first + c), kColumns[c].width, nullptr), "Findings column");
        check_lxw(worksheet_write_string(ws, 0, lxw_col_t(first + c), kColumns[c].heading, header_format), "Findings header");
        header_lines = std::max(header_lines, wrapped_lines(kColumns[c].heading, kColumns[c].width));
    }
    check_lxw(worksheet_set_row(ws, 0, row_height_for(header_lines), nullptr), "Findings header");
    worksheet_freeze_panes(ws, 1, 0);

    if (findings.empty()) {
        check_lxw(worksheet_write_string(ws, 1, lxw_col_t(first + 6), "No findings: every check of the mapping passed.", body_format),
                  "Findings");
        check_lxw(worksheet_autofilter(ws, 0, 0, 1, last), "Findings filter");
        return;
    }

    // One row per finding; a sheet holds a little over a million.
    const std::size_t max_rows = LXW_ROW_MAX - 2;
    std::size_t rows = std::min(findings.size(), max_rows);
    std::size_t links = 0;
    for (std::size_t i = 0; i < rows; ++i) {
        const Finding& f = findings[i];
        lxw_row_t r = lxw_row_t(i + 1);
        auto put = [&](lxw_col_t col, std::string_view s, lxw_format* fmt) {
            std::string safe = safe_cell_text(s);
            if (!safe.empty()) check_lxw(worksheet_write_string(ws, r, col, safe.c_str(), fmt), "Findings row");
        };
        auto text = [&](lxw_col_t c, std::string_view s, lxw_format* fmt) { put(lxw_col_t(first + c), s, fmt); };
        // The row's height fits its longest wrapped text: Excel and LibreOffice do not grow the
        // rows of a file they did not lay out, and text beyond the height is cut off in print.
        std::size_t lines = 1;
        auto fit = [&](std::size_t c, std::string_view s) { lines = std::max(lines, wrapped_lines(s, kColumns[c].width)); };
        fit(3, f.sheet);
        fit(5, f.record);
        fit(6, f.message);
        fit(7, f.expected.value_or(""));
        fit(8, f.actual.value_or(""));
        if (i < targets.size() && targets[i]) fit(10, display_of(*targets[i]));
        if (with_source && i < sources->size())
            lines = std::max(lines, wrapped_lines((*sources)[i], source_width));
        check_lxw(worksheet_set_row(ws, r, row_height_for(lines), nullptr), "Findings row height");
        if (with_source && i < sources->size()) put(0, (*sources)[i], body_format);
        check_lxw(worksheet_write_number(ws, r, first, double(i + 1), number_format), "Findings row");
        text(1, std::string(to_string(f.severity)), book.format(severity_style(f.severity)));
        text(2, f.rule, body_format);
        text(3, f.sheet, body_format);
        text(4, f.cell, body_format);
        text(5, f.record, body_format);
        text(6, f.message, body_format);
        if (f.expected) text(7, *f.expected, body_format);
        if (f.actual) text(8, *f.actual, body_format);
        check_lxw(worksheet_write_number(ws, r, lxw_col_t(first + 9), double(f.count), number_format), "Findings row");
        if (i < targets.size() && targets[i]) {
            const CleanCellRef& t = *targets[i];
            std::string shown = safe_cell_text(display_of(t));
            if (links < kMaxLinks) {
                std::string url = "internal:" + sheet_cell_location(t.sheet, t.row, t.col);
                check_lxw(worksheet_write_url_opt(ws, r, lxw_col_t(first + 10), url.c_str(), link_format, shown.c_str(), "Go to the cell"),
                          "Findings link");
                ++links;
            } else {
                text(10, shown, body_format);
            }
        }
    }
    if (rows < findings.size()) {
        std::string more = "… and " + std::to_string(findings.size() - rows) + " more findings: see the report";
        check_lxw(worksheet_write_string(ws, lxw_row_t(rows + 1), lxw_col_t(first + 6), more.c_str(), body_format), "Findings");
    }
    check_lxw(worksheet_autofilter(ws, 0, 0, lxw_row_t(rows), last), "Findings filter");
}

}  // namespace planconv
