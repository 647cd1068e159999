// The committee summary: counting a return per section, and the Summary sheet with its native
// stacked bar chart (libxlsxwriter's chart API, so Excel and LibreOffice draw it themselves).
#include "write/SectionSummary.hpp"

#include "write/RagCells.hpp"
#include "mapping/FieldTyper.hpp"
#include "mapping/Mapping.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <map>
#include <unordered_map>

namespace planconv {

namespace {

constexpr std::uint32_t kNotRatedFill = 0x7F7F7F;
constexpr const char* kWholeReturn = "The whole return";
constexpr const char* kElsewhere = "Elsewhere in the return";

std::size_t rag_slot(RagValue v) {
    switch (v) {
    case RagValue::Green: return 0;
    case RagValue::Amber: return 1;
    case RagValue::Red: return 2;
    case RagValue::Blue: return 3;
    case RagValue::NA: return 4;
    }
    return 5;
}

std::optional<std::uint32_t> finding_row(const Finding& f) {
    if (f.sheet.empty() || f.cell.empty()) return std::nullopt;
    if (auto at = CellRef::parse(f.cell)) return at->row;
    if (auto range = CellRange::parse(f.cell)) return range->first.row;
    return std::nullopt;
}

}  // namespace

std::uint32_t rag_tally_fill(std::size_t k) {
    constexpr RagValue kOrder[] = {RagValue::Green, RagValue::Amber, RagValue::Red, RagValue::Blue, RagValue::NA};
    return k < 5 ? rag_look(kOrder[k]).fill : kNotRatedFill;
}

std::vector<SectionTally> tally_sections(const Document& doc, const std::vector<Finding>& findings, FieldTyper& typer) {
    std::vector<SectionTally> out;
    std::unordered_map<std::string, std::size_t> index;
    for (const Section& s : doc.sections)
        if (index.emplace(s.id, out.size()).second) out.push_back({s.id, s.title, {}, 0, 0});
    if (out.empty()) out.push_back({"", kWholeReturn, {}, 0, 0});
    auto slot_of = [&](const std::string& section) -> std::size_t {
        auto it = index.find(section);
        return it == index.end() ? 0 : it->second;  // records before the first section: the first
    };
    // The section of each source row a finding points at: the first, in document order, whose
    // heading, claims or records' rows take that row.
    constexpr std::size_t kNoSection = SIZE_MAX;
    std::map<std::pair<std::string_view, std::uint32_t>, std::size_t> by_row;
    for (const Finding& f : findings)
        if (auto row = finding_row(f)) by_row.emplace(std::make_pair(std::string_view(f.sheet), *row), kNoSection);
    auto take_rows = [&](std::string_view sheet, std::uint32_t first, std::uint32_t last, std::size_t slot) {
        for (auto it = by_row.lower_bound({sheet, first}); it != by_row.end() && it->first.first == sheet && it->first.second <= last; ++it)
            if (it->second == kNoSection) it->second = slot;
    };
    for (const Section& s : doc.sections) {
        take_rows(s.where.sheet, s.where.cell.row, s.where.cell.row, slot_of(s.id));
        for (const Claim& c : s.claims) take_rows(c.where.sheet, c.where.cell.row, c.where.cell.row, slot_of(s.id));
    }
    for (const TableRecords& t : doc.tables) {
        const TableSpec& spec = *t.spec;
        std::size_t rag_column = SIZE_MAX;
        for (std::size_t ci = 0; ci < spec.columns.size() && rag_column == SIZE_MAX; ++ci)
            if (spec.columns[ci].type == FieldType::Rag) rag_column = ci;
        for (const Record& r : t.records) {
            std::size_t slot = slot_of(r.section);
            if (!by_row.empty()) take_rows(r.sheet, r.first_row, r.last_row, slot);
            if (!spec.main || r.kind != RecordKind::Record || rag_column == SIZE_MAX) continue;
            std::optional<RagValue> rag;
            if (rag_column < r.values.size() && r.values[rag_column].present) {
                TypedValue v = typer.type(spec.columns[rag_column], r.values[rag_column]);
                if (v.parsed) rag = rag_from_name(v.text);
            }
            ++out[slot].rag[rag ? rag_slot(*rag) : 5];
        }
    }
    SectionTally elsewhere{"", kElsewhere, {}, 0, 0};
    for (const Finding& f : findings) {
        SectionTally* t = &elsewhere;
        if (auto row = finding_row(f))
            if (auto it = by_row.find({f.sheet, *row}); it != by_row.end() && it->second != kNoSection) t = &out[it->second];
        t->findings += f.count;
        if (f.rule == "TIME-OVERDUE") t->overdue += f.count;
    }
    if (elsewhere.findings) out.push_back(std::move(elsewhere));
    return out;
}

void write_summary_sheet(XlsxBook& book, lxw_worksheet* ws, const std::string& sheet_name, const std::string& heading,
                         const std::vector<SummaryPart>& parts, bool consolidated) {
    const CellStyle head = cleaned_header_style();
    CellStyle text;
    text.wrap = true;
    CellStyle count;
    count.num_format = "0";
    CellStyle total_text = text;
    total_text.bold = true;
    CellStyle total_count = count;
    total_count.bold = true;

    std::vector<std::string> headings;
    if (consolidated) headings.push_back("Source");
    headings.insert(headings.end(), {"Section", "Title"});
    const auto first_count = lxw_col_t(headings.size());
    for (const char* r : kRagTallyNames) headings.push_back(r);
    headings.insert(headings.end(), {"Overdue", "Findings"});
    const auto id_col = lxw_col_t(consolidated ? 1 : 0);

    auto put = [&](lxw_row_t row, lxw_col_t col, const std::string& s, const CellStyle& st) {
        std::string safe = safe_cell_text(s);
        if (!safe.empty()) check_lxw(worksheet_write_string(ws, row, col, safe.c_str(), book.format(st)), "a Summary cell");
    };
    // Column widths from the content (titles wrap at 50 characters).
    std::size_t source_w = 6, id_w = 7, title_w = 5;
    for (const SummaryPart& p : parts) {
        source_w = std::max(source_w, longest_line(p.source));
        for (const SectionTally& s : p.sections) {
            id_w = std::max(id_w, longest_line(s.id));
            title_w = std::max(title_w, longest_line(s.title));
        }
    }
    const double title_width = double(std::min<std::size_t>(title_w + 1, 50));
    if (consolidated) check_lxw(worksheet_set_column(ws, 0, 0, double(std::min<std::size_t>(source_w + 1, 40)), nullptr), "a column width");
    check_lxw(worksheet_set_column(ws, id_col, id_col, double(std::min<std::size_t>(id_w + 1, 20)), nullptr), "a column width");
    check_lxw(worksheet_set_column(ws, id_col + 1, id_col + 1, title_width, nullptr), "a column width");
    check_lxw(worksheet_set_column(ws, first_count, lxw_col_t(headings.size() - 1), 10, nullptr), "a column width");

    check_lxw(worksheet_set_row(ws, 0, 30, nullptr), "a row height");
    for (std::size_t c = 0; c < headings.size(); ++c) put(0, lxw_col_t(c), headings[c], head);
    lxw_row_t row = 0;
    std::array<std::size_t, 6> rag_total{};
    std::size_t overdue_total = 0, findings_total = 0;
    for (const SummaryPart& p : parts)
        for (const SectionTally& s : p.sections) {
            ++row;
            std::size_t lines = std::max<std::size_t>(1, wrapped_lines(s.title, title_width));
            if (lines > 1) check_lxw(worksheet_set_row(ws, row, 15.0 * double(lines) + 2, nullptr), "a row height");
            if (consolidated) put(row, 0, p.source, text);
            put(row, id_col, s.id, text);
            put(row, id_col + 1, s.title, text);
            for (std::size_t k = 0; k < s.rag.size(); ++k) {
                check_lxw(worksheet_write_number(ws, row, lxw_col_t(first_count + k), double(s.rag[k]), book.format(count)), "a Summary cell");
                rag_total[k] += s.rag[k];
            }
            check_lxw(worksheet_write_number(ws, row, lxw_col_t(first_count + 6), double(s.overdue), book.format(count)), "a Summary cell");
            check_lxw(worksheet_write_number(ws, row, lxw_col_t(first_count + 7), double(s.findings), book.format(count)), "a Summary cell");
            overdue_total += s.overdue;
            findings_total += s.findings;
        }
    const lxw_row_t last = row;
    ++row;
    put(row, id_col, "Total", total_text);
    for (std::size_t k = 0; k < rag_total.size(); ++k)
        check_lxw(worksheet_write_number(ws, row, lxw_col_t(first_count + k), double(rag_total[k]), book.format(total_count)), "a Summary cell");
    check_lxw(worksheet_write_number(ws, row, lxw_col_t(first_count + 6), double(overdue_total), book.format(total_count)), "a Summary cell");
    check_lxw(worksheet_write_number(ws, row, lxw_col_t(first_count + 7), double(findings_total), book.format(total_count)), "a Summary cell");
    worksheet_freeze_panes(ws, 1, 0);

    if (last == 0) return;  // nothing to chart
    lxw_chart* chart = workbook_add_chart(book.get(), LXW_CHART_BAR_STACKED);
    if (!chart) throw XlsxWriteError("libxlsxwriter could not make the Summary chart");
    chart_title_set_name(chart, heading.empty() ? "RAG ratings per section" : heading.c_str());
    // Section ids are short; without sections the titles name the rows.
    bool ids = std::any_of(parts.begin(), parts.end(), [](const SummaryPart& p) {
        return std::any_of(p.sections.begin(), p.sections.end(), [](const SectionTally& s) { return !s.id.empty(); });
    });
    const lxw_col_t category_col = ids ? id_col : id_col + 1;
    for (std::size_t k = 0; k < kRagTallyNames.size(); ++k) {
        lxw_chart_series* series = chart_add_series(chart, nullptr, nullptr);
        if (!series) throw XlsxWriteError("libxlsxwriter could not add a series to the Summary chart");
        chart_series_set_categories(series, sheet_name.c_str(), 1, category_col, last, category_col);
        chart_series_set_values(series, sheet_name.c_str(), 1, lxw_col_t(first_count + k), last, lxw_col_t(first_count + k));
        chart_series_set_name_range(series, sheet_name.c_str(), 0, lxw_col_t(first_count + k));
        lxw_chart_fill fill{};
        fill.color = rag_tally_fill(k);
        chart_series_set_fill(series, &fill);
    }
    // In a bar chart libxlsxwriter's y axis is the (vertical) category axis: reversed, the first
    // section is at the top, as in the table.
    chart_axis_set_reverse(chart->y_axis);
    chart_axis_set_name(chart->x_axis, "Records");
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options where{};
    where.x_scale = 1.6;
    where.y_scale = std::clamp(0.5 + 0.12 * double(last), 1.0, 4.0);
    check_lxw(worksheet_insert_chart_opt(ws, row + 2, 0, chart, &where), "the Summary chart");
}

}  // namespace planconv
