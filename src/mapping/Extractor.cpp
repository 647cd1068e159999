// The one pass from cells to records. See Extractor.hpp for the order of decisions per row.
#include "mapping/Extractor.hpp"

#include "mapping/NearMiss.hpp"

#include "parse/RichText.hpp"
#include "parse/Text.hpp"

#include <algorithm>
#include <forward_list>
#include <map>
#include <optional>
#include <tuple>

namespace planconv {

std::string_view to_string(RecordKind k) {
    switch (k) {
    case RecordKind::Record: return "record";
    case RecordKind::Note: return "note";
    case RecordKind::Total: return "total";
    case RecordKind::Group: return "group";
    }
    return "record";
}

std::string header_key(std::string_view text) {
    std::string s = normalise_text(text);
    while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
    return s;
}

namespace {

// Rows longer than this are data, not headers; skipping them keeps header detection cheap.
constexpr std::size_t kMaxHeaderCellBytes = 300;
// Only rows with this few filled cells can be section starts, titles or facts.
constexpr std::size_t kMaxNarrativeCells = 2;
// How far down a sheet detection looks for a table header.
constexpr std::uint32_t kDetectRows = 400;

// One row's non-empty cells as text.
struct RowText {
    struct Item {
        std::uint32_t col;
        std::string_view text;      // trimmed display text: in the workbook's pool or RowText::made
        const std::string* pooled;  // the pool's text, when `text` is all of it
        bool numeric;
        CellType type;
        double number;
        bool percent;
        // header_key(text), worked out once: every row is tried as a header of every table,
        // alone and joined with the row below. Most cells are already normal text and are
        // their own key but for a closing full stop.
        std::string_view key() const {
            if (!keyed) {
                if (is_normal_text(text)) {
                    key_text.clear();
                    std::size_t end = text.size();
                    while (end > 0 && (text[end - 1] == '.' || text[end - 1] == ' ')) --end;
                    key_end = end;
                } else {
                    key_text = header_key(text);
                    key_end = std::string::npos;
                }
                keyed = true;
            }
            return key_end == std::string::npos ? std::string_view(key_text) : std::string_view(text).substr(0, key_end);
        }
        mutable std::string key_text;
        mutable std::size_t key_end = std::string::npos;  // the key is text[0, key_end) unless npos
        mutable bool keyed = false;
    };
    std::vector<Item> items;
    // Text made for the row (numbers and dates as shown, joined headers): items refer to it, so
    // a RowText is moved, never copied.
    std::forward_list<std::string> made;

    RowText() = default;
    RowText(RowText&&) noexcept = default;
    RowText& operator=(RowText&&) noexcept = default;
    RowText(const RowText&) = delete;
    RowText& operator=(const RowText&) = delete;

    std::string_view keep(std::string text) { return made.emplace_front(std::move(text)); }

    const Item* at(std::uint32_t col) const {
        for (const Item& i : items)
            if (i.col == col) return &i;
        return nullptr;
    }
    bool headerish(std::size_t min_cells) const {
        if (items.size() < min_cells) return false;
        for (const Item& i : items)
            if (i.text.size() > kMaxHeaderCellBytes) return false;
        return true;
    }
};

// Text that is a figure as officers write them ("32,766", "(113)", "Cr 145", "-9", "£1.2m"):
// a csv holds every number as text, and figures must not read as labels.
bool looks_numeric(std::string_view t) {
    t = trim(t);
    for (std::string_view prefix : {"Cr", "Dr", "CR", "DR"})
        if (t.substr(0, prefix.size()) == prefix) t = trim(t.substr(prefix.size()));
    bool digit = false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(t[i]);
        if (c >= '0' && c <= '9') {
            digit = true;
        } else if (c == ',' || c == '.' || c == '(' || c == ')' || c == '-' || c == ' ' || c == '%') {
            continue;
        } else if (t.compare(i, 2, "£") == 0) {
            ++i;  // the two bytes of '£'
        } else if ((c == 'k' || c == 'm') && i + 1 == t.size() && digit) {
            continue;
        } else {
            return false;
        }
    }
    return digit;
}

RowText row_text(const Workbook& wb, const Sheet& sheet, std::uint32_t r) {
    RowText rt;
    for (const Cell& c : sheet.row(r)) {
        if (c.type == CellType::Empty) continue;
        std::string_view t;
        const std::string* pooled = nullptr;
        if (c.type == CellType::String) {
            const std::string& whole = wb.text_string(c);
            t = trim(whole);
            if (t.size() == whole.size()) pooled = &whole;
        } else {
            t = trim(rt.keep(display_value(wb, c)));
        }
        if (t.empty()) continue;
        bool percent = c.type == CellType::Number && wb.format(c).find('%') != std::string_view::npos;
        bool numeric = c.type == CellType::Number || (c.type == CellType::String && looks_numeric(t));
        rt.items.push_back({c.col, t, pooled, numeric, c.type, c.number, percent, {}, std::string::npos, false});
    }
    return rt;
}

// Which sheet column each mapped column sits in (-1 when absent).
struct HeaderMatch {
    std::vector<int> cols;
    int matched = 0;
    std::vector<std::string> texts;  // header text per column
};

std::optional<HeaderMatch> match_header(const TableSpec& t, const RowText& row) {
    if (!row.headerish(std::size_t(std::max(1, t.min_match)))) return std::nullopt;
    HeaderMatch h;
    h.cols.assign(t.columns.size(), -1);
    h.texts.assign(t.columns.size(), std::string());
    std::vector<bool> used(row.items.size(), false);
    for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
        const ColumnSpec& c = t.columns[ci];
        if (c.headers.empty()) continue;
        // occurrence="N" is the Nth cell whose header matches, counting the cells other
        // columns took too: the second "Target" column is the second one on the row.
        int seen = 0;
        for (std::size_t i = 0; i < row.items.size(); ++i) {
            // A cell's key starts with the cell's own first character when that is printable ASCII:
            // most cells are ruled out by it without working out their key.
            const RowText::Item& item = row.items[i];
            bool hit = std::any_of(c.headers.begin(), c.headers.end(), [&](const Pattern& p) {
                return p.may_start_with(item.text.front()) && p.search(item.key());
            });
            if (!hit || ++seen < c.occurrence) continue;
            if (used[i]) {
                if (c.occurrence > 1) break;  // the Nth such column belongs to another field
                continue;                     // the first free one
            }
            {
                used[i] = true;
                h.cols[ci] = int(row.items[i].col);
                h.texts[ci] = row.items[i].text;
                ++h.matched;
                break;
            }
        }
    }
    if (h.matched < t.min_match) return std::nullopt;
    for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
        const ColumnSpec& c = t.columns[ci];
        if (c.after.empty() && c.before.empty()) continue;
        const ColumnSpec* anchor = t.column(c.after.empty() ? c.before : c.after);
        int anchor_col = anchor ? h.cols[std::size_t(anchor - t.columns.data())] : -1;
        if (anchor_col < 0) continue;
        if (!c.after.empty())
            h.cols[ci] = anchor_col + 1;
        else if (anchor_col > 0)
            h.cols[ci] = anchor_col - 1;
    }
    return h;
}

// Two header rows read as one: each column's texts joined ("Timescale between" + "Jun 16 – Oct 17").
// The result refers to the texts of both: it lives no longer than they do.
RowText combine_rows(const RowText& a, const RowText& b) {
    RowText out;
    out.items = a.items;
    for (const auto& item : b.items) {
        auto it = std::find_if(out.items.begin(), out.items.end(), [&](const RowText::Item& x) { return x.col == item.col; });
        if (it == out.items.end())
            out.items.push_back(item);
        else {
            it->text = out.keep(std::string(it->text) + " " + std::string(item.text));
            it->pooled = nullptr;
            it->keyed = false;
            it->key_text.clear();
        }
    }
    std::sort(out.items.begin(), out.items.end(), [](const auto& x, const auto& y) { return x.col < y.col; });
    return out;
}

FieldValue field_from(const RowText::Item& item, std::uint32_t row) {
    if (item.pooled) return FieldValue::from_pool(*item.pooled, {row, item.col}, item.type, item.number, item.percent);
    return FieldValue{std::string(item.text), {row, item.col}, true, false, item.type, item.number, item.percent};
}

// A cell's paragraphs and list items, one per line written or per <p>/<li>, blanks dropped.
std::vector<std::string> text_blocks(std::string_view raw) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= raw.size()) {
        std::size_t nl = raw.find('\n', start);
        if (nl == std::string_view::npos) nl = raw.size();
        for (const RichBlock& b : parse_rich_text(raw.substr(start, nl - start)).blocks) {
            std::string_view t = trim(b.text);
            if (!t.empty()) out.emplace_back(t);
        }
        start = nl + 1;
    }
    return out;
}

// A header split over two rows: only when the two together match better than the second
// alone (a title row above a complete header must not swallow it).
// A two-row header: `joined` is the first row combined with `second`; it counts only when the
// second row alone matches fewer columns.
std::optional<HeaderMatch> match_joined_rows(const TableSpec& t, const RowText& joined, const RowText& second) {
    auto both = match_header(t, joined);
    if (!both) return std::nullopt;
    auto alone = match_header(t, second);
    if (alone && alone->matched >= both->matched) return std::nullopt;
    return both;
}

// Whether two rows joined could pass match_header's first tests: enough cells, none too long,
// and for at least min_match columns a cell whose first character one of its headers may start
// with. Worked out from the rows as they are, since nearly every row below a header fails here:
// joining each row with the next to find that out cost a tenth of a big return's reading.
bool could_match_joined(const TableSpec& t, const RowText& first, const RowText& second) {
    struct Joined {
        std::uint32_t col;
        std::size_t bytes;
        char front;
    };
    std::vector<Joined> cells;
    cells.reserve(first.items.size() + second.items.size());
    for (const auto& item : first.items) cells.push_back({item.col, item.text.size(), item.text.front()});
    for (const auto& item : second.items) {
        auto it = std::find_if(cells.begin(), cells.end(), [&](const Joined& j) { return j.col == item.col; });
        if (it == cells.end()) cells.push_back({item.col, item.text.size(), item.text.front()});
        else it->bytes += 1 + item.text.size();  // "first second"
    }
    if (cells.size() < std::size_t(std::max(1, t.min_match))) return false;
    for (const Joined& j : cells)
        if (j.bytes > kMaxHeaderCellBytes) return false;
    int columns = 0;
    for (const ColumnSpec& c : t.columns) {
        if (columns >= t.min_match) break;
        bool may = std::any_of(cells.begin(), cells.end(), [&](const Joined& j) {
            return std::any_of(c.headers.begin(), c.headers.end(), [&](const Pattern& p) { return p.may_start_with(j.front); });
        });
        columns += may;
    }
    return columns >= t.min_match;
}

std::optional<HeaderMatch> match_two_rows(const TableSpec& t, const RowText& first, const RowText& second) {
    if (!second.headerish(1) || !could_match_joined(t, first, second)) return std::nullopt;
    return match_joined_rows(t, combine_rows(first, second), second);
}

std::string capture_or_whole(const Pattern& p, std::string_view text) {
    auto m = p.match(text);
    if (!m) return {};
    for (const auto& g : m->groups)
        if (g) return std::string(trim(*g));
    return std::string(trim(text.substr(m->begin, m->end - m->begin)));
}

// The cell each paragraph of a field's text came from: continuation rows append their cells'
// text, so a paragraph after the first cell's sits on a row of its own.
std::vector<std::pair<std::string, CellRef>> blocks_with_cells(const FieldValue& v) {
    std::vector<std::pair<std::string, CellRef>> out;
    std::size_t start = 0;
    CellRef cell = v.cell;
    auto piece = [&](std::size_t end, CellRef at) {
        for (std::string& b : text_blocks(std::string_view(v.raw()).substr(start, end - start))) out.emplace_back(std::move(b), at);
    };
    for (const auto& [offset, at] : v.appended()) {
        if (offset > v.raw().size() || offset < start + 1) continue;
        piece(offset - 1, cell);  // the "\n" before the appended text is no one's
        start = offset;
        cell = at;
    }
    piece(v.raw().size(), cell);
    return out;
}

// "1.2", "Improve access to …": how a record is named in `inspect --explain`.
std::string short_text(std::string_view text) {
    constexpr std::size_t kMax = 40;
    std::string s = normalise_text(strip_markup(text));
    if (s.size() <= kMax) return s;
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut) + "…";
}

std::string record_name(const TableSpec& t, const Record& r) {
    for (FieldType want : {FieldType::Id, FieldType::Text, FieldType::RichText})
        for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
            const ColumnSpec& c = t.columns[ci];
            if (c.type != want || !r.values[ci].present) continue;
            if (want != FieldType::Id && !c.key) continue;
            return (want == FieldType::Id ? "" : "\"") + short_text(r.values[ci].raw()) + (want == FieldType::Id ? "" : "\"");
        }
    return "(no id)";
}

class SheetWalker {
public:
    SheetWalker(const Workbook& wb, const Mapping& m, Document& doc, ExtractionTrace* trace)
        : wb_(wb), m_(m), doc_(doc), trace_(trace) {}

    void walk(const Sheet& sheet, std::size_t sheet_index) {
        sheet_ = &sheet;
        sheet_index_ = sheet_index;
        ahead_.reset();
        active_ = suspended_ = ended_ = -1;
        skip_rows_ = 0;
        blank_run_ = 0;
        group_.clear();
        group_until_.reset();
        start_sheet_section();
        for (std::uint32_t r = 0; r < sheet.row_count(); ++r) {
            RowText row = take_row(r);
            if (row.items.empty()) {
                blank_row(r);
                continue;
            }
            row_ = r;
            if (skip_rows_ > 0) {
                --skip_rows_;
                explain("header", table_name(active_), "its second line");
                continue;
            }
            taken_.clear();
            excluded_col_ = -1;
            handle(row);
        }
    }

private:
    static constexpr const char* kOutside = "ignored";

    // Row r's text, reusing the look-ahead read while handling row r - 1.
    RowText take_row(std::uint32_t r) {
        if (ahead_ && ahead_row_ == r) {
            RowText row = std::move(*ahead_);
            ahead_.reset();
            return row;
        }
        return row_text(wb_, *sheet_, r);
    }
    const RowText& peek_row(std::uint32_t r) {
        if (!ahead_ || ahead_row_ != r) {
            ahead_ = row_text(wb_, *sheet_, r);
            ahead_row_ = r;
        }
        return *ahead_;
    }

    std::string table_name(int ti) const { return ti < 0 ? std::string() : m_.tables[std::size_t(ti)].name; }

    void explain(std::string kind, std::string table, std::string detail) {
        if (!trace_) return;
        trace_->rows.push_back({sheet_->name, sheet_index_, row_, std::move(kind), std::move(table), std::move(detail)});
    }

    void handle(const RowText& row) {
        if (row.items.size() <= kMaxNarrativeCells) {
            if (section_start(row)) return;
            if (pending_title_) {
                doc_.sections.back().title = row.items.front().text;
                pending_title_ = false;
                explain("section title", {}, "of section " + doc_.sections.back().id);
                return;
            }
            row_facts(row);
        }
        if (header(row)) return;
        if (active_ >= 0 && ends_table(row)) return;
        if (active_ < 0 || (row.items.size() == 1 && row.items.front().col == leftmost_col())) {
            if (claims(row)) return;
        }
        // Sections as rows inside one table: the table runs on when its rows do.
        if (active_ < 0 && suspended_ >= 0 && resumes(row)) {
            active_ = suspended_;
            suspended_ = -1;
        }
        if (active_ >= 0) {
            blank_run_ = 0;
            row_why_.clear();
            table_row(row);
            account(row);
            return;
        }
        outside(row);
    }

    // A row no table holds: a fact, page furniture, or rows lost below a table that ended.
    void outside(const RowText& row) {
        if (!taken_.empty()) {
            explain("fact", {}, "");
            return;
        }
        if (ended_ >= 0 && tables_end_at(m_.tables[std::size_t(ended_)], row)) {
            explain("end", table_name(ended_), "the row matches end=\"" + m_.tables[std::size_t(ended_)].end->source() + "\"");
            ended_ = -1;
            return;
        }
        if (ended_ >= 0) {
            TableRecords& tr = doc_.tables[std::size_t(ended_)];
            bool in_columns = std::any_of(row.items.begin(), row.items.end(), [&](const RowText::Item& i) {
                return std::find(cols_.begin(), cols_.end(), int(i.col)) != cols_.end();
            });
            if (in_columns && row.items.size() >= 2) {
                EarlyEnd& e = tr.early_ends.back();
                if (e.rows == 0) e.first_row = row_;
                e.last_row = row_;
                ++e.rows;
                explain(kOutside, table_name(ended_), "below the end of table '" + table_name(ended_) + "' (" + e.reason + ")");
                return;
            }
        }
        if (suspended_ >= 0)
            explain(kOutside, {}, "after a section start, before the table resumes (at a row with two or more of its columns filled)");
        else
            explain(kOutside, {}, doc_.tables.empty() || active_ < 0 ? "outside every table" : "");
    }

    bool resumes(const RowText& row) const {
        int filled = 0;
        for (const auto& item : row.items)
            if (std::find(cols_.begin(), cols_.end(), int(item.col)) != cols_.end()) ++filled;
        return filled >= 2;
    }

    void blank_row(std::uint32_t r) {
        if (active_ < 0) return;
        block_start_ = true;
        const TableSpec& t = m_.tables[std::size_t(active_)];
        if (t.end_blank_rows > 0 && ++blank_run_ >= t.end_blank_rows) {
            row_ = r;
            explain("end", t.name, std::to_string(t.end_blank_rows) + " blank row" + (t.end_blank_rows == 1 ? "" : "s"));
            active_ = suspended_ = -1;
            group_.clear();
        }
    }

    static bool tables_end_at(const TableSpec& t, const RowText& row) {
        return t.end && std::any_of(row.items.begin(), row.items.end(), [&](const auto& i) { return t.end->search(normalise_text(i.text)); });
    }

    bool ends_table(const RowText& row) {
        const TableSpec& t = m_.tables[std::size_t(active_)];
        if (!tables_end_at(t, row)) return false;
        explain("end", t.name, "the row matches end=\"" + t.end->source() + "\"");
        active_ = suspended_ = -1;
        group_.clear();
        return true;
    }

    std::uint32_t leftmost_col() const {
        int best = -1;
        for (int c : cols_)
            if (c >= 0 && (best < 0 || c < best)) best = c;
        return best < 0 ? 0 : std::uint32_t(best);
    }

    void start_sheet_section() {
        const SectionSpec& s = m_.sections;
        if (s.kind != SectionSpec::Kind::PerSheet || !s.sheet_name) return;
        auto m = s.sheet_name->match(sheet_->name);
        if (!m) {
            in_section_sheet_ = false;
            return;
        }
        in_section_sheet_ = true;
        std::string id = m->group("id").value_or(m->group("1").value_or(sheet_->name));
        doc_.sections.push_back({id, sheet_->name, {sheet_->name, {0, 0}}, {}});
    }

    bool section_start(const RowText& row) {
        const SectionSpec& s = m_.sections;
        if (s.kind != SectionSpec::Kind::RowPattern) return false;
        const auto& first = row.items.front();
        auto m = s.start->match(normalise_text(first.text));
        if (!m) return false;
        std::string id = m->group("id").value_or(m->group("1").value_or(std::to_string(doc_.sections.size() + 1)));
        std::string norm = normalise_text(first.text);
        std::string title(trim(std::string_view(norm).substr(m->end)));
        if (title.empty() && row.items.size() > 1) title = row.items[1].text;
        doc_.sections.push_back({id, title, {sheet_->name, {row_, first.col}}, {}});
        pending_title_ = title.empty() && s.title_on_next_row;
        group_.clear();
        group_until_.reset();
        block_start_ = true;
        if (active_ >= 0) {
            const TableSpec& t = m_.tables[std::size_t(active_)];
            if (t.end_at_section) {
                // The table ends here; rows in its columns below are reported as lost.
                explain("section start", {}, "id " + id + "; ends table '" + t.name + "' (sections=\"end\")");
                doc_.tables[std::size_t(active_)].early_ends.push_back(
                    {{sheet_->name, {row_, first.col}}, "at the section start '" + short_text(first.text) + "'", 0, 0, 0});
                ended_ = active_;
                active_ = -1;
                return true;
            }
            suspended_ = active_;
            active_ = -1;
            explain("section start", {}, "id " + id + " (table '" + t.name + "' runs on)");
            return true;
        }
        explain("section start", {}, "id " + id);
        return true;
    }

    std::string current_section() const {
        if (m_.sections.kind == SectionSpec::Kind::None || doc_.sections.empty()) return {};
        return doc_.sections.back().id;
    }

    void row_facts(const RowText& row) {
        for (const FactSpec& f : m_.facts) {
            if (f.source != FactSpec::Source::Row || !f.pattern || doc_.fact(f.name)) continue;
            for (const auto& item : row.items) {
                std::string norm = normalise_text(item.text);
                if (!f.pattern->search(norm)) continue;
                doc_.facts.push_back({f.name, capture_or_whole(*f.pattern, norm), {sheet_->name, {row_, item.col}}});
                taken_.push_back(item.col);
                break;
            }
        }
    }

    bool header(const RowText& row) {
        for (std::size_t ti = 0; ti < m_.tables.size(); ++ti) {
            const TableSpec& t = m_.tables[ti];
            auto h = match_header(t, row);
            int rows_used = 1;
            if (!h && row.headerish(1) && row_ + 1 < sheet_->row_count()) {
                h = match_two_rows(t, row, peek_row(row_ + 1));
                rows_used = 2;
            }
            if (!h) continue;
            if (rows_used == 1) absorb_header_tail(t, row, *h, rows_used);
            bool repeat = (active_ == int(ti) || suspended_ == int(ti)) && t.skip_repeated_header;
            active_ = int(ti);
            suspended_ = ended_ = -1;
            cols_ = h->cols;
            skip_rows_ = rows_used - 1;
            block_start_ = true;
            blank_run_ = 0;
            TableRecords& tr = doc_.tables[ti];
            if (tr.column_found.size() != t.columns.size()) tr.column_found.assign(t.columns.size(), false);
            for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
                const ColumnSpec& c = t.columns[ci];
                const ColumnSpec* from = c.derive_from.empty() ? nullptr : t.column(c.derive_from);
                if (h->cols[ci] >= 0 || (from && h->cols[std::size_t(from - t.columns.data())] >= 0)) tr.column_found[ci] = true;
            }
            if (tr.header_texts.empty()) {
                tr.header_texts = h->texts;
                tr.header_cells.assign(t.columns.size(), SourceRef{});
                for (std::size_t ci = 0; ci < t.columns.size(); ++ci)
                    if (h->cols[ci] >= 0) tr.header_cells[ci] = {sheet_->name, {row_, std::uint32_t(h->cols[ci])}};
                header_facts(t, *h);
            }
            // Header cells no column takes name the stray columns below them.
            header_names_.clear();
            for (const auto& item : row.items)
                if (std::find(cols_.begin(), cols_.end(), int(item.col)) == cols_.end()) {
                    header_names_[item.col] = item.text;
                    if (!repeat)
                        tr.unread.push_back({{sheet_->name, {row_, item.col}}, std::string(item.text),
                                             "the header '" + short_text(item.text) + "', which no column of table '" + t.name + "' reads"});
                }
            if (!repeat) {
                group_.clear();
                group_until_.reset();
            }
            int found = 0;
            for (std::size_t ci = 0; ci < t.columns.size(); ++ci)
                if (h->cols[ci] >= 0 || (!t.columns[ci].derive_from.empty() && tr.column_found[ci])) ++found;
            explain("header", t.name, std::string(repeat ? "repeated; " : "") + std::to_string(found) + " of " +
                                          std::to_string(t.columns.size()) + " columns found");
            return true;
        }
        return false;
    }

    // The second line of a header split over two rows ("Timescale between" / "Jun 16 – Oct 17")
    // is short text under header columns with no key filled; read it as part of the header.
    void absorb_header_tail(const TableSpec& t, const RowText& row, HeaderMatch& h, int& rows_used) {
        constexpr std::size_t kMaxTailBytes = 40;
        if (row_ + 1 >= sheet_->row_count()) return;
        const RowText& next = peek_row(row_ + 1);
        if (next.items.empty()) return;
        for (const auto& item : next.items) {
            if (item.text.size() > kMaxTailBytes) return;
            auto it = std::find(h.cols.begin(), h.cols.end(), int(item.col));
            if (it == h.cols.end()) return;
            const ColumnSpec& c = t.columns[std::size_t(it - h.cols.begin())];
            if (c.key || c.headers.empty()) return;
        }
        auto combined = match_header(t, combine_rows(row, next));
        if (!combined || combined->matched < h.matched) return;
        h = *combined;
        rows_used = 2;
    }

    void header_facts(const TableSpec& t, const HeaderMatch& h) {
        for (const FactSpec& f : m_.facts) {
            if (f.source != FactSpec::Source::Header || f.table != t.name || doc_.fact(f.name)) continue;
            const ColumnSpec* c = t.column(f.field);
            if (!c) continue;
            std::size_t ci = std::size_t(c - t.columns.data());
            if (h.cols[ci] < 0) continue;
            std::string text = normalise_text(h.texts[ci]);
            std::string value = f.pattern ? capture_or_whole(*f.pattern, text) : text;
            if (!value.empty()) doc_.facts.push_back({f.name, value, {sheet_->name, {row_, std::uint32_t(h.cols[ci])}}});
        }
    }

    bool claims(const RowText& row) {
        if (doc_.sections.empty()) return false;
        for (const auto& item : row.items) {
            std::string norm = normalise_text(item.text);
            for (const ClaimSpec& c : m_.sections.claims) {
                auto m = c.pattern.match(norm);
                if (!m) continue;
                Claim claim{c.name, norm, {sheet_->name, {row_, item.col}}, {}};
                std::string parts;
                for (std::size_t g = 0; g < m->groups.size(); ++g)
                    if (!m->names[g].empty() && m->groups[g]) {
                        claim.parts[m->names[g]] = *m->groups[g];
                        parts += (parts.empty() ? "" : ", ") + m->names[g] + "=" + std::string(*m->groups[g]);
                    }
                doc_.sections.back().claims.push_back(std::move(claim));
                explain("claim", {}, c.name + " of section " + doc_.sections.back().id + (parts.empty() ? "" : ": " + parts));
                return true;
            }
        }
        return false;
    }

    // The text of the mapped column `ci` on this row ("" when absent).
    const RowText::Item* cell_of(const RowText& row, std::size_t ci) const {
        if (cols_[ci] < 0 || cols_[ci] == excluded_col_) return nullptr;
        return row.at(std::uint32_t(cols_[ci]));
    }

    void take(const RowText::Item& item) { taken_.push_back(item.col); }
    void take_all(const RowText& row) {
        for (const auto& item : row.items) take(item);
    }

    std::string label_of(const TableSpec& t, const RowText& row, const std::string& field) const {
        if (!field.empty())
            if (const ColumnSpec* c = t.column(field))
                if (const auto* item = cell_of(row, std::size_t(c - t.columns.data()))) return std::string(item->text);
        for (const auto& item : row.items)
            if (!item.numeric) return std::string(item.text);
        return {};
    }

    // Every cell of a table row that nothing took is reported (MAP-UNREAD).
    void account(const RowText& row) {
        TableRecords& tr = doc_.tables[std::size_t(active_ >= 0 ? active_ : last_active_)];
        const TableSpec& t = *tr.spec;
        for (const auto& item : row.items) {
            if (std::find(taken_.begin(), taken_.end(), item.col) != taken_.end()) continue;
            std::string why;
            auto mapped = std::find(cols_.begin(), cols_.end(), int(item.col));
            if (mapped != cols_.end()) {
                const ColumnSpec& c = t.columns[std::size_t(mapped - cols_.begin())];
                why = "in column '" + c.field + "'" + (row_why_.empty() ? ", which this row's kind does not read" : ", " + row_why_);
            } else if (auto h = header_names_.find(item.col); h != header_names_.end()) {
                why = "under the header '" + short_text(h->second) + "', which no column of table '" + t.name + "' reads";
            } else {
                why = "in a column with no header, which no column of table '" + t.name + "' reads";
            }
            tr.unread.push_back({{sheet_->name, {row_, item.col}}, std::string(item.text), std::move(why)});
        }
    }

    void push(TableRecords& tr, Record rec, const char* kind) {
        std::string name = rec.kind == RecordKind::Group ? "\"" + short_text(group_) + "\"" : record_name(*tr.spec, rec);
        tr.records.push_back(std::move(rec));
        explain(kind, tr.spec->name, std::string(kind) == "record" ? "id " + name : name);
    }

    void table_row(const RowText& row) {
        const TableSpec& t = m_.tables[std::size_t(active_)];
        TableRecords& tr = doc_.tables[std::size_t(active_)];
        last_active_ = active_;
        if (group_until_ && row_ > *group_until_) {
            group_.clear();
            group_until_.reset();
        }
        if (t.separator) {
            auto is_sep = [&](const auto& i) { return t.separator->search(i.text); };
            bool sep = t.separator_any_cell ? std::any_of(row.items.begin(), row.items.end(), is_sep)
                                            : std::all_of(row.items.begin(), row.items.end(), is_sep);
            if (sep) {
                take_all(row);
                block_start_ = true;
                explain("separator", t.name, "");
                return;
            }
        }

        if (!t.group_merged_field.empty()) merged_group(t, tr, row);

        if (t.total) {
            std::string label = normalise_text(label_of(t, row, t.total_field));
            if (!label.empty() && t.total->search(label)) {
                push(tr, make_record(t, row, RecordKind::Total), "total");
                block_start_ = false;
                return;
            }
        }
        if (t.group) {
            std::string label = normalise_text(label_of(t, row, t.group_field));
            bool numbers = std::any_of(row.items.begin(), row.items.end(), [](const auto& i) { return i.numeric; });
            if (!numbers && !label.empty() && t.group->search(label)) {
                group_ = label;
                group_until_.reset();
                push(tr, make_record(t, row, RecordKind::Group), "group");
                block_start_ = true;
                return;
            }
        }

        bool keys_empty = true;
        bool any_key = false;
        for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
            if (!t.columns[ci].key) continue;
            any_key = true;
            if (cell_of(row, ci)) keys_empty = false;
        }

        if (row.items.size() == 1 && excluded_col_ < 0) {
            const auto& only = row.items.front();
            const ColumnSpec* owner = nullptr;
            for (std::size_t ci = 0; ci < t.columns.size(); ++ci)
                if (cols_[ci] == int(only.col)) owner = &t.columns[ci];
            bool looks_like_id = owner && owner->id_pattern && owner->id_pattern->search(only.text);
            bool not_an_id = owner && owner->key && owner->id_pattern && !looks_like_id;
            if (t.notes && (!owner || not_an_id)) {
                push(tr, make_record(t, row, RecordKind::Note), "note");
                if (!owner) row_why_ = "a note outside the table's columns";
                return;
            }
            // A caption between tables ("Priority Two - … performance measures") sits in the id
            // column of a table that keeps no notes: it is not a record.
            if (not_an_id) {
                row_why_ = "a single cell that is not an id (id-pattern) in a table without notes=\"true\"";
                explain(kOutside, t.name, row_why_);
                return;
            }
        }

        bool numbers = std::any_of(row.items.begin(), row.items.end(), [](const auto& i) { return i.numeric; });
        if (t.unlabelled_subtotals && !t.total_field.empty()) {
            const ColumnSpec* label = t.column(t.total_field);
            if (label && !cell_of(row, std::size_t(label - t.columns.data())) && numbers) {
                push(tr, make_record(t, row, RecordKind::Total), "total");
                return;
            }
        }
        if (t.first_row_total && block_start_ && numbers) {
            block_start_ = false;
            push(tr, make_record(t, row, RecordKind::Total), "total");
            return;
        }

        if (t.continuation && any_key && keys_empty) {
            Record* prev = previous_record(tr);
            if (prev) {
                append_continuation(t, row, *prev);
                explain("continuation", t.name, "of record " + record_name(t, *prev));
                return;
            }
        }
        bool any_mapped = false;
        for (std::size_t ci = 0; ci < t.columns.size(); ++ci)
            if (cell_of(row, ci)) any_mapped = true;
        if (!any_mapped) {
            if (taken_.empty()) explain(kOutside, t.name, "no cell in the table's columns");
            return;  // text outside the table's columns: not part of it
        }
        block_start_ = false;
        push(tr, make_record(t, row, RecordKind::Record), "record");
    }

    // A cell of the group-merged column merged down over rows opens a group of those rows.
    void merged_group(const TableSpec& t, TableRecords& tr, const RowText& row) {
        const ColumnSpec* gc = t.column(t.group_merged_field);
        std::size_t gi = std::size_t(gc - t.columns.data());
        const RowText::Item* item = cell_of(row, gi);
        if (!item) return;
        const CellRange* mr = sheet_->merge_at(row_, item->col);
        if (!mr || mr->first.row != row_ || mr->last.row <= row_) return;
        Record g;
        g.kind = RecordKind::Group;
        g.sheet = sheet_->name;
        g.first_row = g.last_row = row_;
        g.section = current_section();
        g.values.resize(t.columns.size());
        g.values[gi] = field_from(*item, row_);
        take(*item);
        group_ = normalise_text(item->text);
        group_until_ = mr->last.row;
        block_start_ = true;
        push(tr, std::move(g), "group");
        excluded_col_ = int(item->col);  // the rest of the row is read without it
    }

    Record* previous_record(TableRecords& tr) {
        for (auto it = tr.records.rbegin(); it != tr.records.rend(); ++it) {
            if (it->section != current_section()) return nullptr;
            if (it->kind == RecordKind::Record) return &*it;
            if (it->kind != RecordKind::Note && it->kind != RecordKind::Group) return nullptr;
            if (it->kind == RecordKind::Group && !group_until_) return nullptr;
        }
        return nullptr;
    }

    void append_continuation(const TableSpec& t, const RowText& row, Record& prev) {
        bool any_append = std::any_of(t.columns.begin(), t.columns.end(), [](const ColumnSpec& c) { return c.append; });
        for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
            const ColumnSpec& c = t.columns[ci];
            if (c.key || (any_append && !c.append)) continue;
            const auto* item = cell_of(row, ci);
            if (!item) continue;
            take(*item);
            FieldValue& v = prev.values[ci];
            if (!v.present || v.inherited) {
                v = field_from(*item, row_);
            } else {
                v.append(item->text, CellRef{row_, item->col});
            }
        }
        row_why_ = "which continuation rows do not append to (only append=\"true\" columns do)";
        prev.last_row = row_;
        ++prev.continuations;
    }

    Record make_record(const TableSpec& t, const RowText& row, RecordKind kind) {
        TableRecords& tr = doc_.tables[std::size_t(active_)];
        Record rec;
        rec.kind = kind;
        rec.sheet = sheet_->name;
        rec.first_row = rec.last_row = row_;
        rec.section = current_section();
        rec.group = kind == RecordKind::Group ? std::string() : group_;
        rec.values.resize(t.columns.size());
        const Record* prev = nullptr;
        if (kind == RecordKind::Record)
            for (auto it = tr.records.rbegin(); it != tr.records.rend(); ++it)
                if (it->kind == RecordKind::Record) {
                    if (it->section == rec.section) prev = &*it;
                    break;
                }
        for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
            FieldValue& v = rec.values[ci];
            if (const auto* item = cell_of(row, ci)) {
                v = field_from(*item, row_);
                take(*item);
                continue;
            }
            if (cols_[ci] < 0 || kind != RecordKind::Record) continue;
            if (t.columns[ci].field == t.group_merged_field) continue;  // the group, not a value
            // A merged range covering this cell from above carries its value down.
            if (const CellRange* mr = sheet_->merge_at(row_, std::uint32_t(cols_[ci]));
                mr && mr->first.row < row_) {
                if (const Cell* anchor = sheet_->at(mr->first.row, mr->first.col)) {
                    v = FieldValue{std::string(trim(display_value(wb_, *anchor))), mr->first, true, true, anchor->type, anchor->number, false};
                    continue;
                }
            }
            if (t.columns[ci].fill_down && prev && prev->values[ci].present) {
                v = prev->values[ci];
                v.inherited = true;
            }
        }
        derive_values(t, rec.values);
        return rec;
    }

    // Columns read out of another field's text (the "1)" that starts an ACTION cell).
    static void derive_values(const TableSpec& t, std::vector<FieldValue>& values) {
        for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
            const ColumnSpec& c = t.columns[ci];
            if (c.derive_from.empty() || !c.extract) continue;
            const FieldValue& from = values[std::size_t(t.column(c.derive_from) - t.columns.data())];
            if (!from.present) continue;
            std::string value = capture_or_whole(*c.extract, normalise_text(strip_markup(from.raw())));
            if (value.empty()) continue;
            values[ci] = FieldValue{std::move(value), from.cell, true, from.inherited};
        }
    }

public:
    // Sub-records are split once a record is complete, continuation rows included. Each
    // sub-record points at the cells its own text came from (its own row when it has one).
    static void split_subrecords(const TableSpec& t, Record& rec) {
        const SubrecordSpec& s = *t.subrecords;
        const ColumnSpec* from = t.column(s.from);
        std::size_t fi = std::size_t(from - t.columns.data());
        if (!rec.values[fi].present) return;
        struct Part {
            std::string id, text;
            CellRef cell;
        };
        std::vector<Part> parts;
        std::vector<std::string> lead;  // text before the first marker
        for (const auto& [text, cell] : blocks_with_cells(rec.values[fi])) {
            std::size_t pos = 0;
            while (pos < text.size()) {
                auto m = s.marker.match(std::string_view(text).substr(pos));
                if (!m) break;
                std::size_t start = pos + m->begin, end = pos + m->end;
                if (start > pos) {
                    std::string before(trim(std::string_view(text).substr(pos, start - pos)));
                    if (!before.empty()) (parts.empty() ? lead.emplace_back(before) : parts.back().text += (parts.back().text.empty() ? "" : " ") + before);
                }
                std::string id = m->group("id").value_or(m->group("1").value_or(std::to_string(parts.size() + 1)));
                parts.push_back({id, std::string(), cell});
                if (end == start) ++end;  // never loop on an empty match
                pos = end;
            }
            std::string rest(trim(std::string_view(text).substr(std::min(pos, text.size()))));
            if (rest.empty()) continue;
            if (parts.empty())
                lead.push_back(rest);
            else
                parts.back().text += (parts.back().text.empty() ? "" : "\n") + rest;
        }
        if (parts.empty()) return;
        // Aligned fields: one paragraph per sub-record when the counts agree, else shared.
        std::vector<std::vector<std::pair<std::string, CellRef>>> aligned(t.columns.size());
        for (const std::string& f : s.align) {
            const ColumnSpec* c = t.column(f);
            std::size_t ai = std::size_t(c - t.columns.data());
            if (!rec.values[ai].present) continue;
            aligned[ai] = blocks_with_cells(rec.values[ai]);
        }
        for (std::size_t i = 0; i < parts.size(); ++i) {
            Record sub;
            sub.kind = RecordKind::Record;
            sub.sheet = rec.sheet;
            sub.first_row = parts[i].cell.row;
            sub.last_row = i + 1 < parts.size() && parts[i + 1].cell.row > sub.first_row ? parts[i + 1].cell.row - 1 : rec.last_row;
            if (sub.last_row < sub.first_row) sub.last_row = sub.first_row;
            sub.section = rec.section;
            sub.values.resize(t.columns.size());
            FieldValue& text = sub.values[fi];
            text = FieldValue{parts[i].text, parts[i].cell, true, false};
            sub.group = parts[i].id;  // the sub-record's own id ("A", "1.1.1")
            for (const std::string& f : s.align) {
                std::size_t ai = std::size_t(t.column(f) - t.columns.data());
                const FieldValue& whole = rec.values[ai];
                if (!whole.present) continue;
                if (aligned[ai].size() == parts.size())
                    sub.values[ai] = FieldValue{aligned[ai][i].first, aligned[ai][i].second, true, false};
                else
                    sub.values[ai] = FieldValue{whole.raw(), whole.cell, true, true};
            }
            rec.subrecords.push_back(std::move(sub));
        }
    }

private:
    const Workbook& wb_;
    const Mapping& m_;
    Document& doc_;
    ExtractionTrace* trace_;
    const Sheet* sheet_ = nullptr;
    std::size_t sheet_index_ = 0;
    std::optional<RowText> ahead_;  // the row below the one being handled, once read
    std::uint32_t ahead_row_ = 0;
    std::uint32_t row_ = 0;
    int active_ = -1;               // index of the table whose header is in force
    int suspended_ = -1;            // the table a section start interrupted; it runs on after
    int ended_ = -1;                // the table a section start ended (sections="end")
    int last_active_ = -1;
    std::vector<int> cols_;         // its column positions
    std::map<std::uint32_t, std::string> header_names_;  // header cells no column takes
    int skip_rows_ = 0;             // the second row of a two-row header
    int blank_run_ = 0;             // blank rows in a row inside the active table
    bool block_start_ = true;       // the next row of figures is the first of its block
    bool pending_title_ = false;
    bool in_section_sheet_ = true;
    std::string group_;
    std::optional<std::uint32_t> group_until_;  // a merged group label's last row
    std::vector<std::uint32_t> taken_;          // columns of this row some field or row kind took
    int excluded_col_ = -1;                     // this row's group label column
    std::string row_why_;                       // why a mapped cell of this row was not read
};

void cell_facts(const Workbook& wb, const Mapping& m, Document& doc) {
    for (const FactSpec& f : m.facts) {
        if (doc.fact(f.name)) continue;
        if (f.source == FactSpec::Source::Cell) {
            std::string sheet_name, ref = f.cell;
            if (auto bang = ref.rfind('!'); bang != std::string::npos) {
                sheet_name = ref.substr(0, bang);
                if (sheet_name.size() >= 2 && sheet_name.front() == '\'' && sheet_name.back() == '\'')
                    sheet_name = sheet_name.substr(1, sheet_name.size() - 2);
                ref = ref.substr(bang + 1);
            }
            const Sheet* sheet = sheet_name.empty() ? (wb.sheets.empty() ? nullptr : &wb.sheets.front()) : wb.sheet(sheet_name);
            auto at = CellRef::parse(ref);
            if (!sheet || !at) continue;
            const Cell* c = sheet->at(at->row, at->col);
            if (!c) continue;
            std::string text = normalise_text(display_value(wb, *c));
            std::string value = f.pattern ? capture_or_whole(*f.pattern, text) : text;
            if (!value.empty()) doc.facts.push_back({f.name, value, {sheet->name, *at}});
        } else if (f.source == FactSpec::Source::SheetName && f.pattern) {
            for (const Sheet& s : wb.sheets) {
                std::string value = capture_or_whole(*f.pattern, s.name);
                if (!value.empty()) {
                    doc.facts.push_back({f.name, value, {s.name, {0, 0}}});
                    break;
                }
            }
        }
    }
}

}  // namespace

Document extract(const Workbook& wb, const Mapping& mapping, ExtractionTrace* trace) {
    Document doc;
    doc.mapping = &mapping;
    doc.strings = wb.shared_strings();
    doc.source = wb.source;
    doc.tables.resize(mapping.tables.size());
    for (std::size_t i = 0; i < mapping.tables.size(); ++i) doc.tables[i].spec = &mapping.tables[i];
    cell_facts(wb, mapping, doc);
    SheetWalker walker(wb, mapping, doc, trace);
    for (std::size_t si = 0; si < wb.sheets.size(); ++si) {
        if (wb.sheets[si].visibility != SheetVisibility::Visible) continue;
        walker.walk(wb.sheets[si], si);
    }
    for (TableRecords& t : doc.tables) {
        if (!t.spec->subrecords) continue;
        for (Record& rec : t.records) {
            if (rec.kind != RecordKind::Record) continue;
            SheetWalker::split_subrecords(*t.spec, rec);
            if (!trace) continue;
            std::size_t si = std::size_t(std::find_if(wb.sheets.begin(), wb.sheets.end(), [&](const Sheet& s) { return s.name == rec.sheet; }) - wb.sheets.begin());
            for (const Record& sub : rec.subrecords)
                trace->rows.push_back({rec.sheet, si, sub.first_row, "sub-record", t.spec->name,
                                       sub.group + " of record " + record_name(*t.spec, rec)});
        }
    }
    if (trace)
        std::stable_sort(trace->rows.begin(), trace->rows.end(), [](const RowReading& a, const RowReading& b) {
            return std::tie(a.sheet_index, a.row) < std::tie(b.sheet_index, b.row);
        });
    bool any_header = std::any_of(doc.tables.begin(), doc.tables.end(), [](const TableRecords& t) { return !t.header_texts.empty(); });
    if (!any_header)
        throw MappingMismatch("no table of mapping '" + mapping.name + "' was found: " + describe(nearest_header(wb, mapping)));
    return doc;
}

// Cells of the detection rows kept as text for every mapping to try; the rows beyond (a
// workbook of many wide sheets) are read again for each mapping, as a row at a time costs no
// memory to speak of.
constexpr std::size_t kDetectionCellsKept = 200'000;

// One sheet's rows as detection reads them: the first kDetectRows, and the row after the
// last (a two-row header may start on the last row read). The first `rows.size()` are kept.
struct DetectionSheet {
    const Sheet* sheet;
    std::vector<RowText> rows;
    std::vector<std::vector<std::string>> normalised;  // normalise_text of each item, for detect texts
    // Each kept row joined with the next, made when a mapping first tries it as a two-row header.
    mutable std::vector<std::optional<RowText>> joined;
};

struct DetectionWindow::Rows {
    const Workbook* wb;
    std::vector<DetectionSheet> sheets;
};

DetectionWindow::DetectionWindow(const Workbook& wb) : rows_(std::make_unique<Rows>()) {
    rows_->wb = &wb;
    std::size_t room = kDetectionCellsKept;
    for (const Sheet& sheet : wb.sheets) {
        if (sheet.visibility != SheetVisibility::Visible) continue;
        DetectionSheet& ds = rows_->sheets.emplace_back();
        ds.sheet = &sheet;
        const std::uint32_t rows = std::min(sheet.row_count(), kDetectRows + 1);
        for (std::uint32_t r = 0; r < rows && sheet.row(r).size() <= room; ++r) {
            room -= sheet.row(r).size();
            ds.rows.push_back(row_text(wb, sheet, r));
            std::vector<std::string>& normalised = ds.normalised.emplace_back();
            for (const auto& item : ds.rows.back().items) normalised.push_back(normalise_text(item.text));
        }
        ds.joined.resize(ds.rows.size());
    }
}

DetectionWindow::~DetectionWindow() = default;

DetectionScore score_mapping(const Workbook& wb, const Mapping& mapping) { return score_mapping(DetectionWindow(wb), mapping); }

DetectionScore score_mapping(const DetectionWindow& window, const Mapping& mapping) {
    DetectionScore s;
    s.mapping = &mapping;
    s.texts_wanted = int(mapping.detect.texts.size());
    std::vector<bool> text_found(mapping.detect.texts.size(), false);
    std::vector<int> best(mapping.tables.size(), 0);
    std::vector<std::string> where(mapping.tables.size());
    std::vector<std::vector<int>> best_cols(mapping.tables.size());
    const Workbook& wb = *window.rows().wb;
    RowText here, after, joined_here;  // rows beyond those kept, read for this mapping alone
    std::vector<std::string> normalised_here;
    for (const DetectionSheet& ds : window.rows().sheets) {
        const Sheet& sheet = *ds.sheet;
        const std::size_t kept = ds.rows.size();
        std::uint32_t rows = std::min(sheet.row_count(), kDetectRows);
        for (std::uint32_t r = 0; r < rows; ++r) {
            if (r >= kept) {
                here = row_text(wb, sheet, r);
                normalised_here.clear();
                for (const auto& item : here.items) normalised_here.push_back(normalise_text(item.text));
            }
            const RowText& row = r < kept ? ds.rows[r] : here;
            if (row.items.empty()) continue;
            for (std::size_t i = 0; i < mapping.detect.texts.size(); ++i)
                if (!text_found[i])
                    for (const std::string& text : r < kept ? ds.normalised[r] : normalised_here)
                        if (mapping.detect.texts[i].search(text)) text_found[i] = true;
            for (std::size_t ti = 0; ti < mapping.tables.size(); ++ti) {
                const TableSpec& t = mapping.tables[ti];
                auto h = match_header(t, row);
                if (!h && r + 1 < sheet.row_count() && row.headerish(1)) {
                    if (r + 1 >= kept) after = row_text(wb, sheet, r + 1);
                    const RowText& next = r + 1 < kept ? ds.rows[r + 1] : after;
                    if (next.headerish(1) && could_match_joined(t, row, next)) {
                        const RowText* joined = &joined_here;
                        if (r + 1 < kept) {
                            std::optional<RowText>& j = ds.joined[r];
                            if (!j) j = combine_rows(row, next);
                            joined = &*j;
                        } else {
                            joined_here = combine_rows(row, next);
                        }
                        h = match_joined_rows(t, *joined, next);
                    }
                }
                if (h && h->matched > best[ti]) {
                    best[ti] = h->matched;
                    best_cols[ti] = h->cols;
                    where[ti] = "'" + sheet.name + "' row " + std::to_string(r + 1);
                }
            }
        }
    }
    for (std::size_t ti = 0; ti < mapping.tables.size(); ++ti) {
        if (best[ti] > 0) {
            ++s.tables_found;
            s.header_cells += best[ti];
            const TableSpec& t = mapping.tables[ti];
            int with_header = int(std::count_if(t.columns.begin(), t.columns.end(), [](const ColumnSpec& c) { return !c.headers.empty(); }));
            std::string missing;
            for (std::size_t ci = 0; ci < t.columns.size(); ++ci)
                if (!t.columns[ci].headers.empty() && best_cols[ti][ci] < 0) missing += (missing.empty() ? "" : ", ") + t.columns[ci].field;
            s.reasons.push_back("table '" + t.name + "': header found at " + where[ti] + " (" + std::to_string(best[ti]) + " of " +
                                std::to_string(with_header) + " columns matched" + (missing.empty() ? "" : "; not found: " + missing) + ")");
        } else {
            s.reasons.push_back("table '" + mapping.tables[ti].name + "': header not found");
        }
    }
    for (std::size_t i = 0; i < text_found.size(); ++i) {
        if (text_found[i]) ++s.texts_found;
        s.reasons.push_back(std::string("text /") + mapping.detect.texts[i].source() + "/: " + (text_found[i] ? "present" : "absent"));
    }
    for (const Pattern& p : mapping.detect.sheet_names) {
        bool ok = std::any_of(wb.sheets.begin(), wb.sheets.end(), [&](const Sheet& sh) { return p.search(sh.name); });
        if (!ok) s.sheet_names_ok = false;
        s.reasons.push_back(std::string("sheet name /") + p.source() + "/: " + (ok ? "present" : "absent"));
    }
    return s;
}

}  // namespace planconv
