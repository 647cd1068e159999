// ID-* rules: the numbering of records — unique, without gaps or reversals, and under the
// section or parent record it belongs to. Ids are read as numbering: "3.1.2" is 3, 1, 2;
// "1)" and "1." are 1; "2a" is 2 then letter a (1); a sub-action "A" is letter 1. A sub-record's
// id (the marker the extractor split it at) counts under its parent record.
#include "mapping/Mapping.hpp"
#include "parse/Text.hpp"
#include "validate/Rule.hpp"
#include "validate/RuleParams.hpp"
#include "validate/TableView.hpp"
#include "validate/Wording.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace planconv {

namespace {

struct IdNumber {
    std::vector<int> parts;
    bool letter = false;  // the last part is a letter ("2a", "A")

    std::vector<int> prefix() const { return {parts.begin(), parts.end() - 1}; }
    int last() const { return parts.back(); }
};

std::string_view strip_id_punctuation(std::string_view s) {
    s = trim(s);
    while (!s.empty() && (s.front() == '(' || s.front() == '[')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == '.' || s.back() == ')' || s.back() == ']' || s.back() == ':')) s.remove_suffix(1);
    return trim(s);
}

std::optional<IdNumber> parse_id_number(std::string_view text) {
    std::string_view s = strip_id_punctuation(text);
    if (s.empty()) return std::nullopt;
    IdNumber id;
    std::size_t i = 0;
    while (i < s.size()) {
        if (is_ascii_digit(s[i])) {
            int v = 0;
            std::size_t b = i;
            while (i < s.size() && is_ascii_digit(s[i]) && i - b < 6) v = v * 10 + (s[i++] - '0');
            if (i < s.size() && is_ascii_digit(s[i])) return std::nullopt;
            id.parts.push_back(v);
        } else if (is_ascii_alpha(s[i]) && (i + 1 == s.size() || s[i + 1] == '.')) {
            // One letter: a part of its own ("A", "1.A") or a suffix ("2a").
            id.parts.push_back(to_lower_ascii(s[i]) - 'a' + 1);
            ++i;
            if (i < s.size()) return std::nullopt;  // letters only close an id
            id.letter = true;
            break;
        } else {
            return std::nullopt;
        }
        if (i < s.size() && s[i] == '.')
            ++i;
        else if (i < s.size() && !is_ascii_alpha(s[i]))
            return std::nullopt;
    }
    if (id.parts.empty()) return std::nullopt;
    return id;
}

// "8.6.3" -> "8.6": what an id says its parent is.
std::string prefix_text(const IdNumber& n) {
    std::string out;
    for (std::size_t i = 0; i + 1 < n.parts.size(); ++i) out += (i ? "." : "") + std::to_string(n.parts[i]);
    return out;
}

bool starts_with_parts(const std::vector<int>& whole, const std::vector<int>& prefix) {
    return prefix.size() < whole.size() && std::equal(prefix.begin(), prefix.end(), whole.begin());
}

// Every id of a table, in order: records' own (not filled-down) ids, then their sub-records'.
struct IdEntry {
    std::string id;  // as written (a bare sub-record marker under its parent's id)
    std::optional<IdNumber> number;
    const Record* row;         // where it is (the top-level record)
    const Record* sub_record;  // the sub-record, or nullptr
    std::string section;
    std::string parent;  // the parent record's id for a sub-record, "" for a record
    bool sub = false;
    bool constructed = false;  // "1.A" made from a bare marker "A" under record 1
    CellRef cell;
};

std::vector<IdEntry> id_entries(const TableView& view, std::optional<std::size_t> id_ci) {
    std::vector<IdEntry> out;
    for (const Record& r : view.records()) {
        if (r.kind != RecordKind::Record) continue;
        if (id_ci && written(view.value(r, *id_ci)) && !is_blank(view.value(r, *id_ci))) {
            std::string id = plain_text(view.value(r, *id_ci));
            out.push_back({id, parse_id_number(id), &r, nullptr, r.section, "", false, false, view.cell(r, *id_ci)});
        }
        std::string parent = id_ci ? plain_text(view.value(r, *id_ci)) : std::string();
        for (const Record& sub : r.subrecords) {
            if (sub.group.empty()) continue;
            std::string full = view.sub_number(r, sub);
            CellRef cell = r.src().cell;
            for (const FieldValue& v : sub.values)
                if (v.present) {
                    cell = v.cell;
                    break;
                }
            out.push_back({full, parse_id_number(full), &r, &sub, r.section, parent, true, full != sub.group, cell});
        }
    }
    return out;
}

std::optional<std::size_t> id_field(const TableView& view, const RuleSpec& spec) {
    return field_param(view, spec, "field", view.first_of(FieldType::Id));
}

Problem id_problem(const TableView& view, const IdEntry& e, std::string message) {
    Problem p;
    p.finding.sheet = e.row->sheet;
    p.finding.cell = e.cell.a1();
    p.finding.record = e.sub_record ? view.sub_id(*e.row, *e.sub_record) : view.record_id(*e.row);
    p.finding.message = std::move(message);
    p.field = view.spec().name;  // numbering problems of one table fold together
    return p;
}

std::string row_words(const Record& r) { return "row " + std::to_string(r.first_row + 1); }

bool applies_ids(const TableSpec& t, const RuleSpec& spec) {
    if (auto parent = param(spec, "parent"); parent && *parent != "section" && !t.column(*parent)) return false;
    return table_has_param_fields(t, spec, {"field"}) &&
           (param(spec, "field") || table_has_type(t, {FieldType::Id}) || t.subrecords);
}

// ---- ID-DUPLICATE ---------------------------------------------------------------------------
// Params: field  the id column (default: the first id column)
// Ids are compared within their section, ignoring case, spacing and closing punctuation
// ("1." = "1"); an id filled down from the row above is not a second use.

void check_id_duplicate(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    std::unordered_map<std::string, const IdEntry*> first;  // section + '\n' + id key
    auto entries = id_entries(view, id_field(view, s.spec));
    for (const IdEntry& e : entries) {
        std::string key = e.section + '\n' + comparison_key(strip_id_punctuation(e.id));
        auto [it, fresh] = first.emplace(std::move(key), &e);
        if (fresh) continue;
        const IdEntry& earlier = *it->second;
        std::string where = earlier.row == e.row ? "earlier in the same cell" : "on " + row_words(*earlier.row);
        Problem p = id_problem(view, e, "id " + quoted(e.id) + " is used twice: it was already used " + where);
        p.what = "ids are used twice";
        p.finding.expected = "a unique id";
        p.finding.actual = e.id;
        out.push_back(std::move(p));
    }
}

// ---- ID-SEQUENCE ----------------------------------------------------------------------------
// Params: field  the id column (default: the first id column)
// Ids are taken in order within their section and parent ("3.1, 3.2, 3.4": 3.3 is missing;
// "1), 2), 4)": 3 is missing; "A), C)": B is missing). A run of sub-numbers ("3.1", "1.1.1")
// must start at 1; top-level numbers may continue from the previous section. Repeats are
// ID-DUPLICATE's, and ids filed under another parent are ID-PARENT's.

std::string part_name(int v, bool letter) {
    if (letter && v >= 1 && v <= 26) return std::string(1, char('A' + v - 1));
    return std::to_string(v);
}

std::string id_with_last(const IdNumber& n, int last) {
    std::string out;
    for (std::size_t i = 0; i + 1 < n.parts.size(); ++i) out += std::to_string(n.parts[i]) + ".";
    return out + part_name(last, n.letter);
}

std::string missing_words(const IdNumber& n, int from, int to) {
    if (from == to) return id_with_last(n, from) + " is missing";
    return id_with_last(n, from) + " to " + id_with_last(n, to) + " are missing";
}

// Whether an id is filed under the parent it sits in (when the parent reads as a number).
bool under_parent(const IdNumber& n, const std::string& parent) {
    if (n.parts.size() < 2) return true;
    auto p = parse_id_number(parent);
    return !p || p->letter || starts_with_parts(n.parts, p->parts);
}

void check_id_sequence(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    struct Last {
        int value;
        std::string id;
    };
    using Key = std::tuple<std::string, std::string, std::vector<int>, bool>;  // section, parent, prefix, letter
    std::map<Key, Last> last;
    for (const IdEntry& e : id_entries(view, id_field(view, s.spec))) {
        if (!e.number) continue;
        const IdNumber& n = *e.number;
        const std::string& parent = e.sub ? e.parent : e.section;
        if (!under_parent(n, parent)) {
            // A misnumbered id still takes the next place under its real parent (8.6.3 between
            // 5.6.2 and 5.6.5 stands for 5.6.3), so the parent's numbering shows no gap for it.
            if (auto p = parse_id_number(parent); p && !p->letter)
                if (auto it = last.find(Key{e.section, e.parent, p->parts, false}); it != last.end())
                    ++it->second.value;
            continue;
        }
        Key key{e.section, e.parent, n.prefix(), n.letter};
        auto it = last.find(key);
        if (it == last.end()) {
            last.emplace(key, Last{n.last(), e.id});
            bool sub_number = n.parts.size() >= 2 || n.letter;
            if (sub_number && n.last() > 1) {
                Problem p = id_problem(
                    view, e, "the numbering starts at " + quoted(e.id) + ": " + missing_words(n, 1, n.last() - 1));
                p.what = "numbering has gaps or is out of order";
                p.finding.expected = id_with_last(n, 1);
                p.finding.actual = e.id;
                out.push_back(std::move(p));
            }
            continue;
        }
        Last& prev = it->second;
        if (n.last() == prev.value) continue;
        if (n.last() > prev.value + 1) {
            Problem p = id_problem(view, e,
                                   "the numbering jumps from " + quoted(prev.id) + " to " + quoted(e.id) + ": " +
                                       missing_words(n, prev.value + 1, n.last() - 1));
            p.what = "numbering has gaps or is out of order";
            p.finding.expected = id_with_last(n, prev.value + 1);
            p.finding.actual = e.id;
            out.push_back(std::move(p));
        } else if (n.last() < prev.value) {
            Problem p = id_problem(
                view, e, quoted(e.id) + " comes after " + quoted(prev.id) + ": the numbering is out of order");
            p.what = "numbering has gaps or is out of order";
            p.finding.expected = id_with_last(n, prev.value + 1);
            p.finding.actual = e.id;
            out.push_back(std::move(p));
            continue;  // keep counting from the higher number
        }
        prev = {n.last(), e.id};
    }
}

// ---- ID-PARENT ------------------------------------------------------------------------------
// Params: field         the id column (default: the first id column)
//         parent  "section" (the default: the section's id) or the column holding the parent id
// A numbered id of two or more parts must begin with its parent's number: action 1.2 in
// Priority Outcome 1; key action 5.6.1 in sub-area 5.6 (not 8.6.3). A sub-record's parent is
// its record. Parents that are not numbers (sections named by sheet) are not judged.

void check_id_parent(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    std::optional<std::size_t> parent_ci;
    if (auto parent = param(s.spec, "parent"); parent && *parent != "section") {
        parent_ci = view.index(*parent);
        if (!parent_ci) return;  // a table without that column: nothing to judge against
    }
    for (const IdEntry& e : id_entries(view, id_field(view, s.spec))) {
        if (!e.number || e.constructed || e.number->parts.size() < 2) continue;
        std::string parent = e.sub ? e.parent : parent_ci ? plain_text(view.value(*e.row, *parent_ci)) : e.section;
        auto p_num = parse_id_number(parent);
        if (!p_num || p_num->letter) continue;
        if (starts_with_parts(e.number->parts, p_num->parts)) continue;
        std::string under = e.sub       ? view.noun() + " " + quoted(parent)
                            : parent_ci ? quoted(parent)
                                        : "section " + quoted(parent);
        Problem p = id_problem(
            view, e,
            "id " + quoted(e.id) + " is numbered for " + quoted(prefix_text(*e.number)) + " but sits under " + under);
        p.what = "ids do not sit under their parent";
        p.finding.expected = std::string(strip_id_punctuation(parent)) + ".n";
        p.finding.actual = e.id;
        out.push_back(std::move(p));
    }
}

// ---- TEXT-DUPLICATE -------------------------------------------------------------------------
// Params: field       the text column (default: the column split into sub-records, else the
//                     first required text or rich-text column)
//         min_length  texts shorter than this many characters are not compared (default 25:
//                     "Review" or "See above" may well repeat)
// One action's text under two ids (DOMAIN §1.3, a numbering fault of the real plan): a later
// record or sub-record whose text is the same as an earlier one's, compared without regard to
// case, spacing, dashes, markup, a leading number or a closing full stop.

std::optional<std::size_t> text_field(const TableView& view, const RuleSpec& spec) {
    std::optional<std::size_t> fallback;
    if (view.spec().subrecords) fallback = view.index(view.spec().subrecords->from);
    for (std::size_t ci = 0; !fallback && ci < view.spec().columns.size(); ++ci) {
        const ColumnSpec& c = view.column(ci);
        if (c.required && (c.type == FieldType::Text || c.type == FieldType::RichText)) fallback = ci;
    }
    return field_param(view, spec, "field", fallback);
}

// The text two copies share: without a leading "10.6.1" or "3)", case folded, no closing stop.
std::string duplicate_key(std::string_view text) {
    std::string key = comparison_key(text);
    std::size_t i = 0;
    while (i < key.size() && (is_ascii_digit(key[i]) || key[i] == '.' || key[i] == ')')) ++i;
    if (i > 0 && i < key.size() && key[i] == ' ') key.erase(0, i + 1);
    while (!key.empty() && (key.back() == '.' || key.back() == ' ')) key.pop_back();
    return key;
}

void check_text_duplicate(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    auto ci = text_field(view, s.spec);
    if (!ci) return;
    const std::size_t min_length = std::size_t(param_number(s.spec, "min_length", 25));
    struct Seen {
        std::string id;
        std::string where;
    };
    std::unordered_map<std::string, Seen> first;
    auto consider = [&](const Record& r, const Record* sub, const FieldValue& v, CellRef cell) {
        if (!written(v) || is_blank(v)) return;
        std::string text = plain_text(v);
        std::string key = duplicate_key(text);
        if (key.size() < min_length) return;
        std::string id = sub ? view.sub_id(r, *sub) : view.record_id(r);
        std::string where = r.sheet + "!" + cell.a1();
        auto [it, fresh] = first.emplace(std::move(key), Seen{id, where});
        if (fresh) return;
        Problem p;
        p.finding.sheet = r.sheet;
        p.finding.cell = cell.a1();
        p.finding.record = id;
        std::string noun = sub && view.spec().subrecords ? view.spec().subrecords->element : view.noun();
        std::replace(noun.begin(), noun.end(), '_', ' ');  // "key action 10.6.1"
        p.finding.message = noun + " " + id + " has the same text as " + it->second.id + " (" + it->second.where +
                            "): " + quoted(text);
        p.finding.expected = "a text of its own";
        p.finding.actual = text;
        p.field = view.column(*ci).field;
        p.what = view.plural() + " repeat another's text";
        out.push_back(std::move(p));
    };
    for (const Record& r : view.records()) {
        if (r.kind != RecordKind::Record) continue;
        if (r.subrecords.empty()) {
            consider(r, nullptr, view.value(r, *ci), view.cell(r, *ci));
            continue;
        }
        for (const Record& sub : r.subrecords)
            if (*ci < sub.values.size()) consider(r, &sub, sub.values[*ci], sub.values[*ci].cell);
    }
}

bool applies_text_duplicate(const TableSpec& t, const RuleSpec& spec) {
    return table_has_param_fields(t, spec, {"field"}) &&
           (param(spec, "field") || t.subrecords ||
            std::any_of(t.columns.begin(), t.columns.end(), [](const ColumnSpec& c) {
                return c.required && (c.type == FieldType::Text || c.type == FieldType::RichText);
            }));
}

}  // namespace

std::vector<RuleInfo> id_rules() {
    using K = ParamKind;
    return {
        {"ID-DUPLICATE",
         Severity::Error,
         "two records (or sub-records) of one section share an id",
         {{"field", K::Column, "the id column (default: the first id column)"}},
         applies_ids,
         check_id_duplicate},
        {"ID-SEQUENCE",
         Severity::Warning,
         "a numbering gap or an out-of-order id within a section or parent (actions 1, 2, 4)",
         {{"field", K::Column, "the id column (default: the first id column)"}},
         applies_ids,
         check_id_sequence},
        {"ID-PARENT",
         Severity::Error,
         "an id does not sit under its parent (8.6.3 inside sub-area 5.6)",
         {{"field", K::Column, "the id column (default: the first id column)"},
          {"parent", K::ColumnOrSection, "\"section\" (the default) or the column holding each record's parent id"}},
         applies_ids,
         check_id_parent},
        {"TEXT-DUPLICATE",
         Severity::Warning,
         "a record's text repeats an earlier record's under another id (10.6.1 the same as 10.5.3)",
         {{"field", K::Column,
           "the text column (default: the column split into sub-records, else the first required text column)"},
          {"min_length", K::Number, "shorter texts are not compared (default 25 characters)"}},
         applies_text_duplicate,
         check_text_duplicate},
    };
}

}  // namespace planconv
