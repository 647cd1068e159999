// TableView: field lookup and cell positions for rules.
#include "validate/TableView.hpp"

#include "parse/RichText.hpp"
#include "parse/Text.hpp"

#include <algorithm>

namespace planconv {

TableView::TableView(const TableSpec& spec, const TableRecords& records) : spec_(spec), records_(records) {
    // Where each column sits: from its header; a table built without headers falls back on
    // the first value read from it.
    sheet_cols_.resize(spec.columns.size());
    for (std::size_t ci = 0; ci < spec.columns.size(); ++ci) {
        std::optional<std::uint32_t> col;
        if (ci < records.header_cells.size() && !records.header_cells[ci].sheet.empty())
            col = records.header_cells[ci].cell.col;
        for (const Record& r : records.records) {
            if (col) break;
            if (ci < r.values.size() && written(r.values[ci])) col = r.values[ci].cell.col;
        }
        sheet_cols_[ci] = col.value_or(std::uint32_t(ci));
    }
    id_col_ = first_of(FieldType::Id);
    // Without ids, the text that identifies a record: its required key, else its first key.
    for (bool need_required : {true, false}) {
        if (id_col_ || name_col_) break;
        for (std::size_t ci = 0; ci < spec.columns.size() && !name_col_; ++ci) {
            const ColumnSpec& c = spec.columns[ci];
            bool texty = c.type == FieldType::Text || c.type == FieldType::RichText;
            if (c.key && texty && (c.required || !need_required)) name_col_ = ci;
        }
    }
}

namespace {

std::string_view strip_closing(std::string_view id) {
    while (!id.empty() && (id.back() == '.' || id.back() == ')' || id.back() == ':')) id.remove_suffix(1);
    return id;
}

// "2", "12", "A": a number with no parent part of its own.
bool is_bare_number(std::string_view id) {
    if (id.empty()) return false;
    bool digits = std::all_of(id.begin(), id.end(), [](char c) { return is_ascii_digit(c); });
    return digits || (id.size() == 1 && is_ascii_alpha(id[0]));
}

std::string join_id(std::string_view parent, std::string_view own) {
    return std::string(strip_closing(parent)) + "." + std::string(strip_closing(own));
}

}  // namespace

std::optional<std::size_t> TableView::index(std::string_view field) const {
    for (std::size_t ci = 0; ci < spec_.columns.size(); ++ci)
        if (spec_.columns[ci].field == field) return ci;
    return std::nullopt;
}

std::vector<std::size_t> TableView::columns_of(std::initializer_list<FieldType> types) const {
    std::vector<std::size_t> out;
    for (std::size_t ci = 0; ci < spec_.columns.size(); ++ci)
        if (std::find(types.begin(), types.end(), spec_.columns[ci].type) != types.end()) out.push_back(ci);
    return out;
}

std::optional<std::size_t> TableView::first_of(FieldType type) const {
    auto cols = columns_of({type});
    if (cols.empty()) return std::nullopt;
    return cols.front();
}

const FieldValue& TableView::value(const Record& r, std::size_t ci) const {
    static const FieldValue none;
    return ci < r.values.size() ? r.values[ci] : none;
}

std::string TableView::label(std::size_t ci) const {
    if (ci < records_.header_texts.size()) {
        std::string text = normalise_text(records_.header_texts[ci]);
        if (!text.empty()) return text;
    }
    return spec_.columns[ci].field;
}

CellRef TableView::cell(const Record& r, std::size_t ci) const {
    const FieldValue& v = value(r, ci);
    // An inherited value's cell is the one above; the problem is on this record's row.
    if (v.present && !v.inherited) return v.cell;
    return CellRef{r.first_row, ci < sheet_cols_.size() ? sheet_cols_[ci] : 0};
}

std::string TableView::own_id(const Record& r) const {
    if (!id_col_) return {};
    return plain_text(value(r, *id_col_));
}

std::string TableView::record_id(const Record& r) const {
    if (!id_col_) return name_col_ ? plain_text(value(r, *name_col_)) : std::string();
    std::string id = own_id(r);
    std::string_view bare = strip_closing(id);
    // Only a numbered section prefixes its records' numbers ("3.2"); "Adults.2" would help no one.
    bool numbered_section = !r.section.empty() && std::all_of(r.section.begin(), r.section.end(),
                                                              [](char c) { return is_ascii_digit(c) || c == '.'; });
    if (!numbered_section || !is_bare_number(bare)) return id;
    return join_id(r.section, bare);
}

// The extractor keeps a sub-record's own marker ("A", "1.1.1") in `group`. A dotted marker is
// already a full id; a bare one ("A") is only unique under its parent.
std::string TableView::sub_id(const Record& parent, const Record& sub) const {
    std::string parent_id = record_id(parent);
    if (sub.group.find('.') != std::string::npos || parent_id.empty()) return sub.group;
    return join_id(parent_id, sub.group);
}

std::string TableView::sub_number(const Record& parent, const Record& sub) const {
    std::string parent_id = own_id(parent);
    if (sub.group.find('.') != std::string::npos || parent_id.empty()) return sub.group;
    return join_id(parent_id, sub.group);
}

std::string TableView::noun() const { return spec_.element.empty() ? spec_.name : spec_.element; }
std::string TableView::plural() const { return spec_.name; }

Problem problem_at(const TableView& view, const Record& r, std::size_t ci, std::string message, std::string what) {
    Problem p;
    p.finding.sheet = r.sheet;
    p.finding.cell = view.cell(r, ci).a1();
    p.finding.record = view.record_id(r);
    p.finding.message = std::move(message);
    p.field = view.column(ci).field;
    p.what = std::move(what);
    return p;
}

std::string plain_text(const FieldValue& v) {
    if (!v.present) return {};
    bool markup = find_either(v.raw(), '<', '&') != std::string_view::npos;
    return normalise_text(markup ? strip_markup(v.raw()) : v.raw());
}

// Scans to the first thing a reader would see, so a long narrative costs a few bytes, not a
// normalised copy of itself.
bool is_blank(const FieldValue& v) {
    if (!v.present) return true;
    std::string_view s = v.raw();
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] == '<') {
            auto tag = match_tag(s, i);
            if (!tag) return false;
            i += tag->len;
        } else if (s[i] == '&') {
            auto entity = match_entity(s, i);
            if (!entity || !is_space_cp(entity->cp)) return false;
            i += entity->len;
        } else {
            Utf8Char u = decode_utf8(s, i);
            if (!is_space_cp(u.cp)) return false;
            i += u.len;
        }
    }
    return true;
}

}  // namespace planconv
