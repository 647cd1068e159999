// The one pass from cells to records. See Extractor.hpp for the order of decisions per row.
#include "mapping/Extractor.hpp"

#include "mapping/NearMiss.hpp"

#include "parse/RichText.hpp"
#include "parse/Text.hpp"

#include <algorithm>
#include <optional>

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
        std::string text;  // trimmed display text
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
        std::string t = c.type == CellType::String ? std::string(trim(wb.text(c))) : display_value(wb, c);
        if (t.empty()) continue;
        bool percent = c.type == CellType::Number && wb.format(c).find('%') != std::string_view::npos;
        bool numeric = c.type == CellType::Number || (c.type == CellType::String && looks_numeric(t));
        rt.items.push_back({c.col, std::move(t), numeric, c.type, c.number, percent, {}, std::string::npos, false});
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
        int seen = 0;
        for (std::size_t i = 0; i < row.items.size(); ++i) {
            if (used[i]) continue;
            // A cell's key starts with the cell's own first character when that is printable ASCII:
            // most cells are ruled out by it without working out their key.
            const RowText::Item& item = row.items[i];
            bool hit = std::any_of(c.headers.begin(), c.headers.end(), [&](const Pattern& p) {
                return p.may_start_with(item.text.front()) && p.search(item.key());
            });
            if (hit && ++seen == c.occurrence) {
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
        if (c.after.empty()) continue;
        const ColumnSpec* anchor = t.column(c.after);
        int anchor_col = anchor ? h.cols[std::size_t(anchor - t.columns.data())] : -1;
        if (anchor_col >= 0) h.cols[ci] = anchor_col + 1;
    }
    return h;
}

// Two header rows read as one: each column's texts joined ("Timescale between" + "Jun 16 – Oct 17").
RowText combine_rows(const RowText& a, const RowText& b) {
    RowText out = a;
    for (const auto& item : b.items) {
        auto it = std::find_if(out.items.begin(), out.items.end(), [&](const RowText::Item& x) { return x.col == item.col; });
        if (it == out.items.end())
            out.items.push_back(item);
        else {
            it->text += " " + item.text;
            it->keyed = false;
        }
    }
    std::sort(out.items.begin(), out.items.end(), [](const auto& x, const auto& y) { return x.col < y.col; });
    return out;
}

FieldValue field_from(const RowText::Item& item, std::uint32_t row) {
    return FieldValue{item.text, {row, item.col}, true, false, item.type, item.number, item.percent};
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
std::optional<HeaderMatch> match_two_rows(const TableSpec& t, const RowText& first, const RowText& second) {
    if (!second.headerish(1)) return std::nullopt;
    auto both = match_header(t, combine_rows(first, second));
    if (!both) return std::nullopt;
    auto alone = match_header(t, second);
    if (alone && alone->matched >= both->matched) return std::nullopt;
    return both;
}

std::string capture_or_whole(const Pattern& p, std::string_view text) {
    auto m = p.match(text);
    if (!m) return {};
    for (const auto& g : m->groups)
        if (g) return std::string(trim(*g));
    return std::string(trim(text.substr(m->begin, m->end - m->begin)));
}

class SheetWalker {
public:
    SheetWalker(const Workbook& wb, const Mapping& m, Document& doc) : wb_(wb), m_(m), doc_(doc) {}

    void walk(const Sheet& sheet) {
        sheet_ = &sheet;
        ahead_.reset();
        active_ = -1;
        start_sheet_section();
        for (std::uint32_t r = 0; r < sheet.row_count(); ++r) {
            RowText row = take_row(r);
            if (row.items.empty()) continue;
            if (skip_rows_ > 0) {
                --skip_rows_;
                continue;
            }
            row_ = r;
            handle(row);
        }
    }

private:
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

    void handle(const RowText& row) {
        if (row.items.size() <= kMaxNarrativeCells) {
            if (section_start(row)) return;
            if (pending_title_) {
                doc_.sections.back().title = row.items.front().text;
                pending_title_ = false;
                return;
            }
            row_facts(row);
        }
        if (header(row)) return;
        if (active_ < 0 || (row.items.size() == 1 && row.items.front().col == leftmost_col())) {
            if (claims(row)) return;
        }
        if (active_ >= 0) table_row(row);
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
        active_ = -1;  // a table never runs across a section start
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
            bool repeat = active_ == int(ti) && t.skip_repeated_header;
            active_ = int(ti);
            cols_ = h->cols;
            skip_rows_ = rows_used - 1;
            TableRecords& tr = doc_.tables[ti];
            if (tr.header_texts.empty()) {
                tr.header_texts = h->texts;
                tr.header_cells.assign(t.columns.size(), SourceRef{});
                for (std::size_t ci = 0; ci < t.columns.size(); ++ci)
                    if (h->cols[ci] >= 0) tr.header_cells[ci] = {sheet_->name, {row_, std::uint32_t(h->cols[ci])}};
                header_facts(t, *h);
            }
            if (!repeat) group_.clear();
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
                for (std::size_t g = 0; g < m->groups.size(); ++g)
                    if (!m->names[g].empty() && m->groups[g]) claim.parts[m->names[g]] = *m->groups[g];
                doc_.sections.back().claims.push_back(std::move(claim));
                return true;
            }
        }
        return false;
    }

    // The text of the mapped column `ci` on this row ("" when absent).
    const RowText::Item* cell_of(const RowText& row, std::size_t ci) const {
        return cols_[ci] < 0 ? nullptr : row.at(std::uint32_t(cols_[ci]));
    }

    std::string label_of(const TableSpec& t, const RowText& row, const std::string& field) const {
        if (!field.empty())
            if (const ColumnSpec* c = t.column(field))
                if (const auto* item = cell_of(row, std::size_t(c - t.columns.data()))) return item->text;
        for (const auto& item : row.items)
            if (!item.numeric) return item.text;
        return {};
    }

    void table_row(const RowText& row) {
        const TableSpec& t = m_.tables[std::size_t(active_)];
        TableRecords& tr = doc_.tables[std::size_t(active_)];
        if (t.separator && std::all_of(row.items.begin(), row.items.end(), [&](const auto& i) { return t.separator->search(i.text); }))
            return;

        if (t.total) {
            std::string label = normalise_text(label_of(t, row, t.total_field));
            if (!label.empty() && t.total->search(label)) {
                tr.records.push_back(make_record(t, row, RecordKind::Total));
                return;
            }
        }
        if (t.group) {
            std::string label = normalise_text(label_of(t, row, t.group_field));
            bool numbers = std::any_of(row.items.begin(), row.items.end(), [](const auto& i) { return i.numeric; });
            if (!numbers && !label.empty() && t.group->search(label)) {
                group_ = label;
                tr.records.push_back(make_record(t, row, RecordKind::Group));
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

        if (row.items.size() == 1) {
            const auto& only = row.items.front();
            const ColumnSpec* owner = nullptr;
            for (std::size_t ci = 0; ci < t.columns.size(); ++ci)
                if (cols_[ci] == int(only.col)) owner = &t.columns[ci];
            bool looks_like_id = owner && owner->id_pattern && owner->id_pattern->search(only.text);
            bool not_an_id = owner && owner->key && owner->id_pattern && !looks_like_id;
            if (t.notes && (!owner || not_an_id)) {
                tr.records.push_back(make_record(t, row, RecordKind::Note));
                return;
            }
            // A caption between tables ("Priority Two - … performance measures") sits in the id
            // column of a table that keeps no notes: it is not a record.
            if (not_an_id) return;
        }

        if (t.unlabelled_subtotals && !t.total_field.empty()) {
            const ColumnSpec* label = t.column(t.total_field);
            bool numbers = std::any_of(row.items.begin(), row.items.end(), [](const auto& i) { return i.numeric; });
            if (label && !cell_of(row, std::size_t(label - t.columns.data())) && numbers) {
                tr.records.push_back(make_record(t, row, RecordKind::Total));
                return;
            }
        }

        if (t.continuation && any_key && keys_empty) {
            Record* prev = previous_record(tr);
            if (prev) {
                append_continuation(t, row, *prev);
                return;
            }
        }
        bool any_mapped = false;
        for (std::size_t ci = 0; ci < t.columns.size(); ++ci)
            if (cell_of(row, ci)) any_mapped = true;
        if (!any_mapped) return;  // text outside the table's columns: not part of it
        tr.records.push_back(make_record(t, row, RecordKind::Record));
    }

    Record* previous_record(TableRecords& tr) {
        for (auto it = tr.records.rbegin(); it != tr.records.rend(); ++it) {
            if (it->section != current_section()) return nullptr;
            if (it->kind == RecordKind::Record) return &*it;
            if (it->kind != RecordKind::Note) return nullptr;
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
            FieldValue& v = prev.values[ci];
            if (!v.present || v.inherited) {
                v = field_from(*item, row_);
            } else {
                v.raw += "\n";
                v.raw += item->text;
            }
        }
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
                continue;
            }
            if (cols_[ci] < 0 || kind != RecordKind::Record) continue;
            // A merged range covering this cell from above carries its value down.
            if (const CellRange* mr = sheet_->merge_at(row_, std::uint32_t(cols_[ci]));
                mr && mr->first.row < row_) {
                if (const Cell* anchor = sheet_->at(mr->first.row, mr->first.col)) {
                    v = FieldValue{std::string(trim(display_value(wb_, *anchor))), mr->first, true, true, anchor->type, anchor->number, false};
                    continue;
                }
            }
            if (t.columns[ci].fill_down && prev && prev->values[ci].present)
                {
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
            std::string value = capture_or_whole(*c.extract, normalise_text(strip_markup(from.raw)));
            if (value.empty()) continue;
            values[ci] = FieldValue{value, from.cell, true, from.inherited};
        }
    }

public:
    // Sub-records are split once a record is complete, continuation rows included.
    static void split_subrecords(const TableSpec& t, Record& rec) {
        const SubrecordSpec& s = *t.subrecords;
        const ColumnSpec* from = t.column(s.from);
        std::size_t fi = std::size_t(from - t.columns.data());
        if (!rec.values[fi].present) return;
        // Split on every place the marker matches, scanning the text as blocks of rich text.
        std::vector<std::pair<std::string, std::string>> parts;  // id, text
        std::vector<std::string> lead;                           // text before the first marker
        for (const std::string& text : text_blocks(rec.values[fi].raw)) {
            std::size_t pos = 0;
            while (pos < text.size()) {
                auto m = s.marker.match(std::string_view(text).substr(pos));
                if (!m) break;
                std::size_t start = pos + m->begin, end = pos + m->end;
                if (start > pos) {
                    std::string before(trim(std::string_view(text).substr(pos, start - pos)));
                    if (!before.empty()) (parts.empty() ? lead.emplace_back(before) : parts.back().second += (parts.back().second.empty() ? "" : " ") + before);
                }
                std::string id = m->group("id").value_or(m->group("1").value_or(std::to_string(parts.size() + 1)));
                parts.emplace_back(id, std::string());
                if (end == start) ++end;  // never loop on an empty match
                pos = end;
            }
            std::string rest(trim(std::string_view(text).substr(std::min(pos, text.size()))));
            if (rest.empty()) continue;
            if (parts.empty())
                lead.push_back(rest);
            else
                parts.back().second += (parts.back().second.empty() ? "" : "\n") + rest;
        }
        if (parts.empty()) return;
        // Aligned fields: one paragraph per sub-record when the counts agree, else shared.
        std::vector<std::vector<std::string>> aligned(t.columns.size());
        for (const std::string& f : s.align) {
            const ColumnSpec* c = t.column(f);
            std::size_t ai = std::size_t(c - t.columns.data());
            if (!rec.values[ai].present) continue;
            aligned[ai] = text_blocks(rec.values[ai].raw);
        }
        for (std::size_t i = 0; i < parts.size(); ++i) {
            Record sub;
            sub.kind = RecordKind::Record;
            sub.sheet = rec.sheet;
            sub.first_row = rec.first_row;
            sub.last_row = rec.last_row;
            sub.section = rec.section;
            sub.values.resize(t.columns.size());
            FieldValue& text = sub.values[fi];
            text = FieldValue{parts[i].second, rec.values[fi].cell, true, false};
            sub.group = parts[i].first;  // the sub-record's own id ("A", "1.1.1")
            for (const std::string& f : s.align) {
                std::size_t ai = std::size_t(t.column(f) - t.columns.data());
                const FieldValue& whole = rec.values[ai];
                if (!whole.present) continue;
                if (aligned[ai].size() == parts.size())
                    sub.values[ai] = FieldValue{aligned[ai][i], whole.cell, true, false};
                else
                    sub.values[ai] = FieldValue{whole.raw, whole.cell, true, true};
            }
            rec.subrecords.push_back(std::move(sub));
        }
    }

private:
    const Workbook& wb_;
    const Mapping& m_;
    Document& doc_;
    const Sheet* sheet_ = nullptr;
    std::optional<RowText> ahead_;  // the row below the one being handled, once read
    std::uint32_t ahead_row_ = 0;
    std::uint32_t row_ = 0;
    int active_ = -1;               // index of the table whose header is in force
    std::vector<int> cols_;         // its column positions
    int skip_rows_ = 0;             // the second row of a two-row header
    bool pending_title_ = false;
    bool in_section_sheet_ = true;
    std::string group_;
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

Document extract(const Workbook& wb, const Mapping& mapping) {
    Document doc;
    doc.mapping = &mapping;
    doc.source = wb.source;
    doc.tables.resize(mapping.tables.size());
    for (std::size_t i = 0; i < mapping.tables.size(); ++i) doc.tables[i].spec = &mapping.tables[i];
    cell_facts(wb, mapping, doc);
    SheetWalker walker(wb, mapping, doc);
    for (const Sheet& sheet : wb.sheets) {
        if (sheet.visibility != SheetVisibility::Visible) continue;
        walker.walk(sheet);
    }
    for (TableRecords& t : doc.tables)
        if (t.spec->subrecords)
            for (Record& rec : t.records)
                if (rec.kind == RecordKind::Record) SheetWalker::split_subrecords(*t.spec, rec);
    bool any_header = std::any_of(doc.tables.begin(), doc.tables.end(), [](const TableRecords& t) { return !t.header_texts.empty(); });
    if (!any_header)
        throw MappingMismatch("no table of mapping '" + mapping.name + "' was found: " + describe(nearest_header(wb, mapping)));
    return doc;
}

DetectionScore score_mapping(const Workbook& wb, const Mapping& mapping) {
    DetectionScore s;
    s.mapping = &mapping;
    s.texts_wanted = int(mapping.detect.texts.size());
    std::vector<bool> text_found(mapping.detect.texts.size(), false);
    std::vector<int> best(mapping.tables.size(), 0);
    std::vector<std::string> where(mapping.tables.size());
    for (const Sheet& sheet : wb.sheets) {
        if (sheet.visibility != SheetVisibility::Visible) continue;
        std::uint32_t rows = std::min(sheet.row_count(), kDetectRows);
        for (std::uint32_t r = 0; r < rows; ++r) {
            RowText row = row_text(wb, sheet, r);
            if (row.items.empty()) continue;
            for (std::size_t i = 0; i < mapping.detect.texts.size(); ++i)
                if (!text_found[i])
                    for (const auto& item : row.items)
                        if (mapping.detect.texts[i].search(normalise_text(item.text))) text_found[i] = true;
            for (std::size_t ti = 0; ti < mapping.tables.size(); ++ti) {
                const TableSpec& t = mapping.tables[ti];
                auto h = match_header(t, row);
                if (!h && r + 1 < sheet.row_count() && row.headerish(1)) h = match_two_rows(t, row, row_text(wb, sheet, r + 1));
                if (h && h->matched > best[ti]) {
                    best[ti] = h->matched;
                    where[ti] = "'" + sheet.name + "' row " + std::to_string(r + 1);
                }
            }
        }
    }
    for (std::size_t ti = 0; ti < mapping.tables.size(); ++ti) {
        if (best[ti] > 0) {
            ++s.tables_found;
            s.header_cells += best[ti];
            s.reasons.push_back("table '" + mapping.tables[ti].name + "': header found at " + where[ti] + " (" +
                                std::to_string(best[ti]) + " columns matched)");
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
