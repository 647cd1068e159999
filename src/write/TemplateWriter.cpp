// TemplateWriter: lays a mapping's return out as a workbook; see TemplateWriter.hpp.
#include "write/TemplateWriter.hpp"

#include "write/CleanCell.hpp"
#include "write/RagCells.hpp"
#include "write/XlsxBook.hpp"
#include "mapping/Extractor.hpp"
#include "mapping/FieldTyper.hpp"
#include "mapping/TemplateText.hpp"
#include "parse/RichText.hpp"
#include "parse/Text.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <map>
#include <unordered_map>

namespace planconv {

namespace {

constexpr std::uint32_t kInputFill = 0xFFF2CC;   // cells the service completes
constexpr std::uint32_t kHeaderFill = 0xD9E1F2;
constexpr std::uint32_t kGrid = 0xBFBFBF;
constexpr double kRowHeight = 15;
constexpr double kMaxRowHeight = 409;
constexpr std::size_t kMaxPrompt = 255;          // Excel's limit on a validation's message
constexpr std::size_t kMaxPromptTitle = 32;

double type_width(FieldType t) {
    switch (t) {
    case FieldType::Id: return 10;
    case FieldType::RichText: return 50;
    case FieldType::Text: return 32;
    case FieldType::List: return 30;
    case FieldType::Rag: return 14;
    case FieldType::Timescale: return 20;
    case FieldType::Date: return 13;
    case FieldType::Quantity: return 18;
    case FieldType::Money: return 15;
    case FieldType::Enum: return 16;
    case FieldType::Bool: return 9;
    case FieldType::Integer:
    case FieldType::Number:
    case FieldType::Percent: return 12;
    }
    return 20;
}

// What may be written in a column of this type, for prompts and the Instructions sheet.
std::string type_hint(const ColumnSpec& c) {
    switch (c.type) {
    case FieldType::Rag: return "Red, Amber, Green, Blue (complete) or NA from the drop-down; a reason may follow in brackets.";
    case FieldType::Timescale:
        return "A month and year (April 2022), a date (31/03/2021), a quarter or financial year (Q3 2020/21, 2021/22) "
               "or Ongoing / TBC; a flag such as [AP] may follow.";
    case FieldType::Date: return "A date, e.g. 31/03/2021.";
    case FieldType::Quantity: return "A number, a percentage (81%), a comparison (>800) or New, N/A, TBC; a period may follow in brackets.";
    case FieldType::Money: return "An amount in pounds, e.g. 1,200 or -350.";
    case FieldType::Integer: return "A whole number.";
    case FieldType::Number: return "A number.";
    case FieldType::Percent: return "A percentage, e.g. 81%.";
    case FieldType::Bool: return "Yes or No.";
    case FieldType::List: {
        std::string sep = c.split.empty() ? std::string(", ") : c.split.substr(0, c.split.find('|'));
        return "One or more, separated by \"" + sep + "\".";
    }
    case FieldType::Enum: {
        std::string values;
        for (const EnumValue& v : c.enum_values) values += (values.empty() ? "" : ", ") + v.value;
        return "One of: " + values + ".";
    }
    case FieldType::RichText: return "Text; start each bullet point on a new line with \u2022.";
    case FieldType::Text:
    case FieldType::Id: return "";
    }
    return "";
}

std::string role_words(TemplateRole r) {
    switch (r) {
    case TemplateRole::Given: return "filled in from the last return and locked";
    case TemplateRole::Carried: return "filled in from the last return: change it if it has changed";
    case TemplateRole::Input: return "yours to write for this return";
    }
    return "";
}

std::vector<std::string> lines_of(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) nl = text.size();
        std::string line(trim(text.substr(start, nl - start)));
        if (!line.empty()) out.push_back(std::move(line));
        start = nl + 1;
    }
    return out;
}

// "<p>April 2022</p> <p>June 2020</p>" -> "April 2022\nJune 2020": a value's paragraphs without
// the markup around them (and without the bullets rich text would add).
std::string without_tags(const std::string& raw) {
    bool tagged = false;
    for (std::size_t p = raw.find('<'); p != std::string::npos && !tagged; p = raw.find('<', p + 1)) tagged = match_tag(raw, p).has_value();
    if (!tagged) return raw;
    std::string out;
    for (const RichBlock& b : parse_rich_text(raw).blocks) {
        if (b.text.empty()) continue;
        if (!out.empty()) out += '\n';
        out += b.text;
    }
    return out;
}

// A cell of a planned table row.
struct PlannedCell {
    std::string text;
    TemplateRole role = TemplateRole::Input;
    bool fill_down_run = false;  // blank because it continues the merged value above
    bool continuation = false;   // on a record's second or later row (a sub-record's own row)
};

class TemplateBuilder {
public:
    TemplateBuilder(const Mapping& m, const Document* doc, const TemplateOptions& o, XlsxBook& book)
        : m_(m), doc_(doc), o_(o), t_(*m.template_spec), book_(book) {
        if (doc_)
            for (const Fact& f : doc_->facts) facts_.emplace(f.name, f.raw);
    }

    void write() {
        place_columns();
        std::vector<std::size_t> outside, inside;
        split_tables(outside, inside);

        std::string main_name = t_.sheet.empty() ? humanise_name(m_.root_element) : t_.sheet;
        lxw_worksheet* main = book_.add_sheet(main_name);
        Sheet s{main, 0};
        sheet_setup(s);
        title_row(s);
        ++s.row;
        for (std::size_t ti : outside) table_block(s, ti, records_outside(ti));

        bool per_sheet = m_.sections.kind == SectionSpec::Kind::PerSheet;
        auto sections = planned_sections();
        for (const PlannedSection& sec : sections) {
            if (per_sheet) {
                finish_sheet(s);
                lxw_worksheet* ws = book_.add_sheet(section_text(sec));
                s = Sheet{ws, 0};
                sheet_setup(s);
                put(s, 0, 0, section_text(sec), style_section(false));
                s.row = 2;
            } else {
                section_rows(s, sec);
            }
            for (std::size_t ti : inside) table_block(s, ti, sec.records.empty() ? std::vector<const Record*>{} : sec.records.at(ti));
        }
        if (m_.sections.kind == SectionSpec::Kind::None)
            for (std::size_t ti : inside) table_block(s, ti, records_outside(ti));
        finish_sheet(s);
        instructions();
        properties();
    }

private:
    struct Sheet {
        lxw_worksheet* ws;
        std::uint32_t row;
    };

    using Runs = std::vector<std::optional<std::pair<std::uint32_t, std::string>>>;

    struct PlannedSection {
        std::string id, title;
        const Section* from = nullptr;
        std::map<std::size_t, std::vector<const Record*>> records;  // by table
    };

    // ---- layout ---------------------------------------------------------------------------

    // Sheet column of every mapping column (derived columns have none); widths per sheet column.
    void place_columns() {
        pos_.resize(m_.tables.size());
        for (std::size_t ti = 0; ti < m_.tables.size(); ++ti) {
            const TableSpec& t = m_.tables[ti];
            int next = 0;
            for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
                const ColumnSpec& c = t.columns[ci];
                if (!c.derive_from.empty()) {
                    pos_[ti].push_back(-1);
                    continue;
                }
                if (!c.after.empty()) {
                    const ColumnSpec* anchor = t.column(c.after);
                    int anchor_pos = anchor ? pos_[ti][std::size_t(anchor - t.columns.data())] : -1;
                    if (anchor_pos < 0 || anchor_pos != next - 1)
                        throw TemplateError("mapping '" + m_.name + "': column '" + c.field + "' of table '" + t.name +
                                            "' sits after '" + c.after + "', which must be the column declared just before it");
                }
                if (!c.before.empty() && (ci + 1 >= t.columns.size() || t.columns[ci + 1].field != c.before))
                    throw TemplateError("mapping '" + m_.name + "': column '" + c.field + "' of table '" + t.name +
                                        "' sits before '" + c.before + "', which must be the column declared just after it");
                pos_[ti].push_back(next++);
                double w = std::max(type_width(c.type), std::min(20.0, double(longest_line(title_of(c))) / 2));
                if (widths_.size() < std::size_t(next)) widths_.resize(std::size_t(next), 8);
                widths_[std::size_t(next - 1)] = std::max(widths_[std::size_t(next - 1)], w);
            }
            width_cols_ = std::max(width_cols_, next);
        }
        if (width_cols_ == 0) width_cols_ = 1;
    }

    std::optional<std::string> fact(std::string_view name) const {
        auto it = facts_.find(std::string(name));
        if (it == facts_.end() || trim(it->second).empty()) return std::nullopt;
        return it->second;
    }

    std::string title_of(const ColumnSpec& c) const {
        if (c.title.empty()) return c.headers.empty() ? std::string() : humanise_name(c.field);
        return fill_template_text(c.title, [this](std::string_view n) { return fact(n); });
    }

    // Which tables sit in sections: where the document has their records; else main tables.
    void split_tables(std::vector<std::size_t>& outside, std::vector<std::size_t>& inside) const {
        bool has_sections = m_.sections.kind != SectionSpec::Kind::None;
        for (std::size_t ti = 0; ti < m_.tables.size(); ++ti) {
            bool in = false, out = false;
            if (doc_ && ti < doc_->tables.size())
                for (const Record& r : doc_->tables[ti].records) (r.section.empty() ? out : in) = true;
            if (!in && !out) (has_sections && m_.tables[ti].main ? in : out) = true;
            if (!has_sections) {
                out = false;
                in = true;
            }
            if (out) outside.push_back(ti);
            if (in) inside.push_back(ti);
        }
    }

    std::vector<const Record*> records_outside(std::size_t ti) const {
        std::vector<const Record*> out;
        if (!doc_ || ti >= doc_->tables.size()) return out;
        for (const Record& r : doc_->tables[ti].records)
            if (r.section.empty() || m_.sections.kind == SectionSpec::Kind::None) out.push_back(&r);
        return out;
    }

    std::vector<PlannedSection> planned_sections() const {
        std::vector<PlannedSection> out;
        if (m_.sections.kind == SectionSpec::Kind::None) return out;
        if (!doc_ || doc_->sections.empty()) {
            for (int k = 1; k <= std::max(1, o_.sections); ++k) out.push_back({std::to_string(k), "", nullptr, {}});
            return out;
        }
        std::unordered_map<std::string, std::size_t> first;
        for (const Section& s : doc_->sections) {
            first.emplace(s.id, out.size());
            out.push_back({s.id, s.title, &s, {}});
        }
        for (std::size_t ti = 0; ti < doc_->tables.size(); ++ti)
            for (const Record& r : doc_->tables[ti].records)
                if (auto it = first.find(r.section); it != first.end()) out[it->second].records[ti].push_back(&r);
        // Every section lays out every table it holds, even with no records yet.
        for (PlannedSection& s : out)
            for (std::size_t ti = 0; ti < m_.tables.size(); ++ti) s.records[ti];
        return out;
    }

    std::string section_text(const PlannedSection& s) const {
        std::string text = m_.sections.template_text;
        if (text.empty()) text = humanise_name(m_.sections.element) + " {id}";
        return fill_template_text(text, [&](std::string_view n) -> std::optional<std::string> {
            if (n == "id") return s.id;
            if (n == "title" && !s.title.empty()) return s.title;
            return std::nullopt;
        });
    }

    // ---- styles ---------------------------------------------------------------------------

    CellStyle style_given() const {
        CellStyle st;
        st.wrap = true;
        st.border = kGrid;
        return st;
    }
    CellStyle style_input() const {
        CellStyle st = style_given();
        st.locked = false;
        st.fill = kInputFill;
        return st;
    }
    CellStyle style_header(bool open) const {
        CellStyle st = style_given();
        st.bold = true;
        st.fill = open ? kInputFill : kHeaderFill;
        st.locked = !open;
        return st;
    }
    CellStyle style_section(bool open) const {
        CellStyle st;
        st.bold = true;
        st.font_size = 12;
        st.locked = !open;
        if (open) st.fill = kInputFill;
        return st;
    }

    // ---- writing --------------------------------------------------------------------------

    void put(Sheet& s, std::uint32_t row, std::uint32_t col, std::string_view text, const CellStyle& st) {
        std::string safe = safe_cell_text(text);
        lxw_format* f = book_.format(st);
        // Always a string: a cell that begins with '=' stays text.
        if (safe.empty())
            check_lxw(worksheet_write_blank(s.ws, row, lxw_col_t(col), f), "a template cell");
        else
            check_lxw(worksheet_write_string(s.ws, row, lxw_col_t(col), safe.c_str(), f), "a template cell");
    }

    // A row-wide cell (title, claim): merged across the layout's columns.
    void put_wide(Sheet& s, std::string_view text, const CellStyle& st, double height) {
        std::string safe = safe_cell_text(text);
        if (width_cols_ > 1)
            check_lxw(worksheet_merge_range(s.ws, s.row, 0, s.row, lxw_col_t(width_cols_ - 1), safe.c_str(), book_.format(st)),
                      "a merged cell");
        else
            put(s, s.row, 0, safe, st);
        if (height > kRowHeight) check_lxw(worksheet_set_row(s.ws, s.row, height, nullptr), "a row height");
        ++s.row;
    }

    void prompt(Sheet& s, std::uint32_t row, std::uint32_t col, const std::string& title, const std::string& message) {
        lxw_data_validation dv{};
        dv.validate = LXW_VALIDATION_TYPE_ANY;
        std::string t = safe_cell_text(title, kMaxPromptTitle);
        std::string msg = safe_cell_text(message, kMaxPrompt);
        dv.input_title = t.data();
        dv.input_message = msg.data();
        check_lxw(worksheet_data_validation_cell(s.ws, row, lxw_col_t(col), &dv), "a prompt");
    }

    void sheet_setup(Sheet& s) {
        for (std::size_t c = 0; c < widths_.size(); ++c)
            check_lxw(worksheet_set_column(s.ws, lxw_col_t(c), lxw_col_t(c), std::min(60.0, widths_[c]), nullptr), "a column width");
    }

    void finish_sheet(Sheet& s) {
        lxw_protection p{};
        p.format_columns = LXW_TRUE;
        p.format_rows = LXW_TRUE;
        p.insert_rows = LXW_TRUE;
        p.delete_rows = LXW_TRUE;
        worksheet_protect(s.ws, nullptr, &p);
    }

    void title_row(Sheet& s) {
        std::string title = fill_template_text(t_.title.empty() ? "{title}" : t_.title, [this](std::string_view n) { return fact(n); });
        CellStyle st = style_section(true);
        st.font_size = 14;
        st.wrap = true;
        std::uint32_t row = s.row;
        put_wide(s, title, st, 2 * kRowHeight);
        prompt(s, row, 0, "Title of the return", "Keep the title up to date: planconv reads the plan year and the reporting period from it.");
    }

    void section_rows(Sheet& s, const PlannedSection& sec) {
        ++s.row;
        bool blank = !sec.from;
        put(s, s.row++, 0, section_text(sec), style_section(blank));
        if (m_.sections.title_on_next_row) {
            std::string title = sec.title.empty() ? "[" + humanise_name(m_.sections.element) + " title]" : sec.title;
            CellStyle st = style_section(true);
            st.wrap = true;
            std::uint32_t row = s.row;
            put_wide(s, title, st, kRowHeight);
            prompt(s, row, 0, humanise_name(m_.sections.element) + " title", "The title of this " + humanise_name(m_.sections.element) + ".");
        }
        std::vector<std::string> claim_names;
        for (const ClaimSpec& c : m_.sections.claims)
            if (std::find(claim_names.begin(), claim_names.end(), c.name) == claim_names.end()) claim_names.push_back(c.name);
        for (const std::string& name : claim_names) {
            std::string text;
            if (sec.from)
                for (const Claim& c : sec.from->claims)
                    if (c.name == name) text = c.text;
            CellStyle st = style_input();
            std::uint32_t row = s.row;
            double height = std::min(kMaxRowHeight, kRowHeight * double(std::max<std::size_t>(3, wrapped_lines(text, total_width()))));
            put_wide(s, text, st, height);
            prompt(s, row, 0, humanise_name(name),
                   "The statement of this " + humanise_name(m_.sections.element) + " with its " + humanise_name(name) +
                       " in words; planconv checks the figures in it against the table below.");
        }
        ++s.row;
    }

    double total_width() const {
        double w = 0;
        for (double x : widths_) w += x;
        return std::max(w, 20.0);
    }

    // The rows one record takes: one, or one per sub-record when the mapping aligns fields by
    // position ("A) …" in DETAIL with its TARGET DATE and LEAD on the same row).
    std::vector<std::vector<PlannedCell>> record_rows(std::size_t ti, const Record& r) const {
        const TableSpec& t = m_.tables[ti];
        const auto& pos = pos_[ti];
        bool aligned = t.subrecords && !t.subrecords->align.empty() && r.subrecords.size() > 1;
        std::size_t n = aligned ? r.subrecords.size() : 1;
        std::vector<std::vector<PlannedCell>> rows(n, std::vector<PlannedCell>(std::size_t(width_cols_)));
        for (std::size_t j = 1; j < n; ++j)
            for (PlannedCell& c : rows[j]) c.continuation = true;
        for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
            if (pos[ci] < 0) continue;
            const ColumnSpec& c = t.columns[ci];
            // Text as people read it: markup from a workbook becomes lines and bullets (XML read
            // back already holds it so); other values as they were written.
            auto text_of = [&](const FieldValue& v) {
                if (!v.present) return std::string();
                if (c.type != FieldType::Text && c.type != FieldType::RichText) return without_tags(v.raw());
                TypedValue typed = typer_.type(c, v);
                return typed.parsed ? typed.text : v.raw();
            };
            auto p = std::size_t(pos[ci]);
            TemplateRole role = r.kind == RecordKind::Record ? c.template_role : TemplateRole::Given;
            for (auto& row : rows) row[p].role = role;
            const FieldValue none;
            const FieldValue& v = ci < r.values.size() ? r.values[ci] : none;
            if (c.fill_down && v.present && v.inherited) {
                for (auto& row : rows) row[p].fill_down_run = true;
                continue;
            }
            if (!aligned) {
                rows[0][p].text = text_of(v);
                continue;
            }
            const SubrecordSpec& sr = *t.subrecords;
            bool is_aligned = std::find(sr.align.begin(), sr.align.end(), c.field) != sr.align.end();
            if (c.field == sr.from) {
                std::vector<std::string> lines = lines_of(text_of(v));
                bool by_line = lines.size() == n;
                for (std::size_t j = 0; j < n; ++j) {
                    const Record& sub = r.subrecords[j];
                    if (by_line && lines[j].find(sub.group) != std::string::npos)
                        rows[j][p].text = lines[j];
                    else
                        rows[j][p].text = sub.group + ") " + text_of(sub.values[ci]);
                }
            } else if (is_aligned) {
                bool own = std::all_of(r.subrecords.begin(), r.subrecords.end(),
                                       [&](const Record& sub) { return sub.values[ci].present && !sub.values[ci].inherited; });
                if (own)
                    for (std::size_t j = 0; j < n; ++j) rows[j][p].text = text_of(r.subrecords[j].values[ci]);
                else
                    rows[0][p].text = text_of(v);
            } else if (c.key) {
                rows[0][p].text = text_of(v);
            } else {
                std::vector<std::string> lines = lines_of(text_of(v));
                if (lines.size() == n)
                    for (std::size_t j = 0; j < n; ++j) rows[j][p].text = lines[j];
                else
                    rows[0][p].text = text_of(v);
            }
            // Continuation rows of a fill-down column continue its merged value.
            if (c.fill_down)
                for (std::size_t j = 1; j < n; ++j) rows[j][p].fill_down_run = true;
        }
        return rows;
    }

    void table_block(Sheet& s, std::size_t ti, const std::vector<const Record*>& records) {
        const TableSpec& t = m_.tables[ti];
        const auto& pos = pos_[ti];
        // Header.
        std::size_t header_lines = 1;
        for (std::size_t ci = 0; ci < t.columns.size(); ++ci)
            if (pos[ci] >= 0) header_lines = std::max(header_lines, wrapped_lines(title_of(t.columns[ci]), widths_[std::size_t(pos[ci])]));
        if (header_lines > 1) check_lxw(worksheet_set_row(s.ws, s.row, std::min(kMaxRowHeight, kRowHeight * double(header_lines)), nullptr), "a row height");
        for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
            if (pos[ci] < 0) continue;
            const ColumnSpec& c = t.columns[ci];
            bool open = template_text_has_blanks(c.title);
            put(s, s.row, std::uint32_t(pos[ci]), title_of(c), style_header(open));
            if (open)
                prompt(s, s.row, std::uint32_t(pos[ci]), "Header to complete",
                       "Complete this header for this return (replace anything in [brackets]); keep its first words, by which planconv finds the column.");
        }
        ++s.row;

        std::uint32_t first = s.row;
        bool blank = !doc_;
        if (blank) {
            int rows = o_.rows > 0 ? o_.rows : t_.rows;
            for (int k = 0; k < rows; ++k) blank_row(s, ti);
        } else {
            Runs runs(static_cast<std::size_t>(width_cols_));  // merged fill-down values: start row, text
            for (const Record* r : records)
                for (const auto& row : record_rows(ti, *r)) planned_row(s, ti, row, runs);
            close_runs(s, ti, runs);
            for (int k = 0; k < o_.spare_rows; ++k) blank_row(s, ti);
        }
        std::uint32_t last = s.row > first ? s.row - 1 : first;
        validations(s, ti, first, last, blank);
        ++s.row;
    }

    void blank_row(Sheet& s, std::size_t ti) {
        for (int p : pos_[ti])
            if (p >= 0) put(s, s.row, std::uint32_t(p), "", style_input());
        ++s.row;
    }

    void close_run(Sheet& s, Runs& runs, std::size_t p, std::uint32_t end_row) {
        if (!runs[p]) return;
        auto [start, text] = *runs[p];
        runs[p].reset();
        if (end_row > start)
            check_lxw(worksheet_merge_range(s.ws, start, lxw_col_t(p), end_row, lxw_col_t(p), safe_cell_text(text).c_str(),
                                            book_.format(style_given())),
                      "a merged value");
    }

    void close_runs(Sheet& s, std::size_t, Runs& runs) {
        for (std::size_t p = 0; p < runs.size(); ++p) close_run(s, runs, p, s.row - 1);
    }

    void planned_row(Sheet& s, std::size_t ti, const std::vector<PlannedCell>& row, Runs& runs) {
        const TableSpec& t = m_.tables[ti];
        std::size_t lines = 1;
        for (int p : pos_[ti]) {
            if (p < 0) continue;
            const PlannedCell& c = row[std::size_t(p)];
            if (c.role != TemplateRole::Input && !c.text.empty())
                lines = std::max(lines, wrapped_lines(c.text, widths_[std::size_t(p)]));
        }
        if (lines > 1) check_lxw(worksheet_set_row(s.ws, s.row, std::min(kMaxRowHeight, kRowHeight * double(lines)), nullptr), "a row height");
        for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
            int pi = pos_[ti][ci];
            if (pi < 0) continue;
            auto p = std::size_t(pi);
            const PlannedCell& c = row[p];
            if (c.fill_down_run && runs[p]) continue;  // merged over when the run closes
            if (t.columns[ci].fill_down) close_run(s, runs, p, s.row - 1);
            bool written = c.role != TemplateRole::Input && !c.text.empty();
            // A given column stays shut on a record's further rows even where blank: text typed
            // there would start a new record.
            bool locked = c.role == TemplateRole::Given && (written || c.continuation);
            put(s, s.row, std::uint32_t(p), written ? c.text : std::string(), locked ? style_given() : style_input());
            if (t.columns[ci].fill_down && locked) runs[p] = std::make_pair(s.row, c.text);
        }
        ++s.row;
    }

    void validations(Sheet& s, std::size_t ti, std::uint32_t first, std::uint32_t last, bool blank) {
        const TableSpec& t = m_.tables[ti];
        for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
            int p = pos_[ti][ci];
            if (p < 0) continue;
            const ColumnSpec& c = t.columns[ci];
            if (!blank && c.template_role == TemplateRole::Given) continue;
            auto col = lxw_col_t(p);
            std::string title = safe_cell_text(title_of(c).empty() ? humanise_name(c.field) : title_of(c), kMaxPromptTitle);
            std::string hint = safe_cell_text(type_hint(c), kMaxPrompt);
            lxw_data_validation dv{};
            dv.input_title = title.data();
            dv.input_message = hint.data();
            if (c.type == FieldType::Rag) {
                add_rag_column(book_, s.ws, first, std::uint32_t(col), last);
                continue;
            }
            if (c.type == FieldType::Date) {
                dv.validate = LXW_VALIDATION_TYPE_DATE;
                dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
                dv.minimum_datetime = lxw_datetime{1990, 1, 1, 0, 0, 0};
                dv.maximum_datetime = lxw_datetime{2100, 12, 31, 0, 0, 0};
                dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
                dv.error_title = const_cast<char*>("Not a date");
                dv.error_message = const_cast<char*>("Enter a date such as 31/03/2021.");
            } else if (c.type == FieldType::Timescale) {
                // Timescales are text ("April 2022", "Q3 2020/21"): a length check with the prompt.
                dv.validate = LXW_VALIDATION_TYPE_LENGTH;
                dv.criteria = LXW_VALIDATION_CRITERIA_LESS_THAN_OR_EQUAL_TO;
                dv.value_number = 255;
                dv.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
                dv.error_title = const_cast<char*>("A long timescale");
                dv.error_message = const_cast<char*>("A timescale is a short date or period, such as April 2022.");
            } else if (!hint.empty()) {
                dv.validate = LXW_VALIDATION_TYPE_ANY;
            } else {
                continue;
            }
            check_lxw(worksheet_data_validation_range(s.ws, first, col, last, col, &dv), "a validation");
        }
    }

    // ---- instructions -----------------------------------------------------------------------

    // Text on the Instructions sheet must never be read back as part of the return.
    void check_inert(const std::string& line) const {
        std::string norm = normalise_text(line);
        auto refuse = [&](const std::string& what) {
            throw TemplateError("mapping '" + m_.name + "': the instruction \"" + line + "\" would be read back as " + what +
                                "; reword it");
        };
        for (const FactSpec& f : m_.facts)
            if (f.source == FactSpec::Source::Row && f.pattern && f.pattern->search(norm)) refuse("the fact '" + f.name + "'");
        if (m_.sections.start && m_.sections.start->match(norm)) refuse("the start of a section");
        for (const ClaimSpec& c : m_.sections.claims)
            if (c.pattern.match(norm)) refuse("the claim '" + c.name + "'");
        std::string key = header_key(line);
        for (const TableSpec& t : m_.tables)
            if (t.min_match <= 1)
                for (const ColumnSpec& c : t.columns)
                    for (const Pattern& p : c.headers)
                        if (p.search(key)) refuse("a header of table '" + t.name + "'");
    }

    void instructions() {
        std::vector<std::pair<std::string, bool>> lines;  // text, bold
        auto add = [&](std::string text, bool bold = false) { lines.emplace_back(std::move(text), bold); };
        add("How to fill in this return", true);
        add("This workbook is laid out for planconv's mapping '" + m_.name + "'.");
        add("Cells with a yellow fill are yours to complete. Headers, ids and texts carried over from the last return are "
            "locked so that the return can be read back; the sheets are protected without a password (Review, Unprotect "
            "Sheet) in case the layout must change.");
        add("Use the spare rows at the end of each table for new entries, or insert rows; a row that leaves the key "
            "columns empty is read as a continuation of the row above.");
        for (const std::string& text : t_.instructions) add(text);
        add("");
        add("The columns", true);
        for (std::size_t ti = 0; ti < m_.tables.size(); ++ti) {
            const TableSpec& t = m_.tables[ti];
            add(humanise_name(t.name), true);
            for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
                if (pos_[ti][ci] < 0) continue;
                const ColumnSpec& c = t.columns[ci];
                std::string title = title_of(c).empty() ? humanise_name(c.field) : title_of(c);
                std::string hint = type_hint(c);
                add("\u2022 \u201c" + title + "\u201d: " + role_words(c.template_role) + (hint.empty() ? "." : ". " + hint));
            }
        }
        add("");
        add("Send the completed workbook back as .xlsx.");

        lxw_worksheet* ws = book_.add_sheet("Instructions");
        check_lxw(worksheet_set_column(ws, 0, 0, 110, nullptr), "a column width");
        CellStyle plain;
        plain.wrap = true;
        CellStyle bold = plain;
        bold.bold = true;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (lines[i].first.empty()) continue;
            check_inert(lines[i].first);
            std::string safe = safe_cell_text(lines[i].first);
            std::size_t n = wrapped_lines(safe, 110);
            if (n > 1) check_lxw(worksheet_set_row(ws, lxw_row_t(i), kRowHeight * double(n), nullptr), "a row height");
            check_lxw(worksheet_write_string(ws, lxw_row_t(i), 0, safe.c_str(), book_.format(lines[i].second ? bold : plain)),
                      "an instruction");
        }
    }

    void properties() {
        BookProperties p;
        std::optional<std::string> title = fact("title");
        p.title = "Return template: " + (title ? *title : m_.name);
        p.subject = m_.description;
        p.author = "planconv";
        p.keywords = m_.name;
        p.comments = std::string("Made by planconv ") + PLANCONV_VERSION + " from " + (o_.made_from.empty() ? "nothing (blank)" : o_.made_from);
        p.custom = {{"Mapping", m_.name}, {"Made from", o_.made_from}, {"planconv version", PLANCONV_VERSION}};
        book_.set_properties(p);
    }

    const Mapping& m_;
    const Document* doc_;
    const TemplateOptions& o_;
    const TemplateSpec& t_;
    XlsxBook& book_;
    std::unordered_map<std::string, std::string> facts_;
    mutable FieldTyper typer_;
    std::vector<std::vector<int>> pos_;  // [table][column] -> sheet column, -1 when not written
    std::vector<double> widths_;         // per sheet column
    int width_cols_ = 0;
};

}  // namespace

void write_template(const Mapping& mapping, const Document* from, const std::filesystem::path& file, const TemplateOptions& options) {
    if (!mapping.template_spec)
        throw TemplateError("mapping '" + mapping.name + "' describes no return template (it has no <template> element)");
    if (from && from->mapping && from->mapping != &mapping && from->mapping->name != mapping.name)
        throw TemplateError("the document was read with mapping '" + from->mapping->name + "', not '" + mapping.name + "'");
    XlsxBook book(file, false);
    TemplateBuilder(mapping, from, options, book).write();
    book.close();
}

}  // namespace planconv
