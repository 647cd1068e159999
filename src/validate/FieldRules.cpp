// FIELD-* rules: one cell against its column's declaration — required, one of the allowed
// values, readable as its type. Only records are judged: notes, totals and group headings are
// not records, and a filled-down value is judged where it was written.
#include "mapping/Mapping.hpp"
#include "parse/Text.hpp"
#include "validate/Rule.hpp"
#include "validate/RuleParams.hpp"
#include "validate/TableView.hpp"
#include "validate/ValueReaders.hpp"
#include "validate/Wording.hpp"

#include <algorithm>

namespace planconv {

namespace {

// ---- FIELD-REQUIRED -------------------------------------------------------------------------
// Params: fields  the columns that must be filled (default: the columns marked required="true")
// A value filled down from the row above (merged or blanked-out cells) counts as present.

void check_field_required(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    std::vector<std::size_t> required;
    for (std::size_t ci = 0; ci < s.table.columns.size(); ++ci)
        if (s.table.columns[ci].required) required.push_back(ci);
    required = fields_param(view, s.spec, "fields", required);
    for (const Record& r : view.records()) {
        if (r.kind != RecordKind::Record) continue;
        for (std::size_t ci : required) {
            const FieldValue& v = view.value(r, ci);
            if (v.present && (v.inherited || !is_blank(v))) continue;
            std::string what = "the required field " + quoted(view.label(ci)) + " is empty";
            Problem p = problem_at(view, r, ci, what + " on this " + view.noun(), what);
            p.finding.expected = "a value";
            out.push_back(std::move(p));
        }
    }
}

// ---- FIELD-ENUM -----------------------------------------------------------------------------
// Params: fields  the rag and enum columns to check (default: all of them)
// RAG cells are read with the default vocabulary plus the column's <value> aliases; a qualifier
// in brackets is kept and fine ("Amber (Central Government Delay)"). Enum cells must equal one
// of the column's values or aliases, compared without regard to case, spacing or dashes.

std::string allowed_enum_values(const ColumnSpec& c) {
    std::string out;
    for (const EnumValue& v : c.enum_values) out += (out.empty() ? "" : ", ") + v.value;
    return out;
}

bool enum_matches(const ColumnSpec& c, std::string_view text) {
    std::string key = comparison_key(text);
    for (const EnumValue& v : c.enum_values) {
        if (comparison_key(v.value) == key) return true;
        for (const std::string& a : v.aliases)
            if (comparison_key(a) == key) return true;
    }
    return false;
}

void check_field_enum(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    for (std::size_t ci : fields_param(view, s.spec, "fields", view.columns_of({FieldType::Rag, FieldType::Enum}))) {
        const ColumnSpec& c = view.column(ci);
        bool rag = c.type == FieldType::Rag;
        RagVocabulary vocabulary = rag ? rag_vocabulary(c) : RagVocabulary{};
        for (const Record& r : view.records()) {
            if (r.kind != RecordKind::Record) continue;
            const FieldValue& v = view.value(r, ci);
            if (!written(v) || is_blank(v)) continue;
            std::string text = plain_text(v);
            bool known = rag ? read_rag(vocabulary, v).parsed() : enum_matches(c, text);
            if (known) continue;
            std::string allowed = rag ? "Red, Amber, Green, Blue (complete) or N/A" : allowed_enum_values(c);
            Problem p = problem_at(view, r, ci,
                                   view.label(ci) + " " + quoted(text) + " is not a known value; expected " + allowed,
                                   view.label(ci) + " holds values that are not allowed");
            p.finding.expected = allowed;
            p.finding.actual = text;
            out.push_back(std::move(p));
        }
    }
}

bool applies_field_enum(const TableSpec& t, const RuleSpec& spec) {
    return table_has_param_fields(t, spec, {"fields"}) &&
           (has_fields_param(spec) || table_has_type(t, {FieldType::Rag, FieldType::Enum}));
}

// ---- FIELD-LOOKUP ---------------------------------------------------------------------------
// Params: field   the column whose values must come from the list (required)
//         lookup  the list, as table.field of another table of the mapping (required)
// A cell may hold several entries of the list, joined by spaces, '/', ',', ';' or "and"
// ("HOS S&CP / DCS"); entries may themselves hold spaces, so the longest entry that fits is
// taken at each point. Compared without regard to case, spacing or dashes. A return whose list
// table is empty (the key sheet left out) is not judged.

// The entries of `text` that are not in `keys` (comparison keys), in order, each once.
std::vector<std::string> unknown_entries(std::string_view text, const std::vector<std::string>& keys) {
    const std::string shown = normalise_text(text);
    const std::string s = fold_case(shown);  // same length as `shown`: positions carry over
    auto separator = [&](std::size_t i) { return s[i] == ' ' || s[i] == '/' || s[i] == ',' || s[i] == ';'; };
    auto boundary = [&](std::size_t i) { return i >= s.size() || separator(i); };
    std::vector<std::string> unknown;
    // Unknown words with only spaces between are one entry ("Court Manager").
    std::size_t run_begin = std::string::npos, run_end = 0;
    auto close_run = [&] {
        if (run_begin == std::string::npos) return;
        std::string entry = shown.substr(run_begin, run_end - run_begin);
        if (std::find(unknown.begin(), unknown.end(), entry) == unknown.end()) unknown.push_back(std::move(entry));
        run_begin = std::string::npos;
    };
    std::size_t i = 0;
    while (i < s.size()) {
        if (separator(i)) {
            ++i;
            continue;
        }
        if (s.compare(i, 3, "and") == 0 && boundary(i + 3)) {
            close_run();
            i += 3;
            continue;
        }
        if (run_begin != std::string::npos && s.find_first_not_of(' ', run_end) < i) close_run();  // '/' or ',' between
        std::size_t best = 0;
        for (const std::string& k : keys)
            if (k.size() > best && s.compare(i, k.size(), k) == 0 && boundary(i + k.size())) best = k.size();
        if (best == 0) {
            std::size_t end = i;
            while (!boundary(end)) ++end;
            if (run_begin == std::string::npos) run_begin = i;
            run_end = end;
            best = end - i;
        } else {
            close_run();
        }
        i += best;
    }
    close_run();
    return unknown;
}

void check_field_lookup(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    auto ci = field_param(view, s.spec, "field");
    auto lookup = param(s.spec, "lookup");
    if (!ci || !lookup) return;
    auto dot = lookup->find('.');
    if (dot == std::string::npos) return;
    const TableRecords* list = nullptr;
    for (const TableRecords& t : s.doc.tables)
        if (t.spec->name == lookup->substr(0, dot)) list = &t;
    if (!list) return;
    TableView list_view(*list->spec, *list);
    auto key_col = list_view.index(lookup->substr(dot + 1));
    if (!key_col) return;
    std::vector<std::string> keys;
    for (const Record& r : list_view.records()) {
        if (r.kind != RecordKind::Record) continue;
        std::string k = comparison_key(plain_text(list_view.value(r, *key_col)));
        if (!k.empty()) keys.push_back(std::move(k));
    }
    if (keys.empty()) return;  // no list in this return: nothing to judge by
    // "the 'Abbrev.' list on sheet 'Key'": where an officer finds the list to add to.
    std::string in_list = "the '" + list_view.label(*key_col) + "' list";
    if (!list->records.empty() && !list->records.front().sheet.empty())
        in_list += " on sheet '" + list->records.front().sheet + "'";
    for (const Record& r : view.records()) {
        if (r.kind != RecordKind::Record) continue;
        const FieldValue& v = view.value(r, *ci);
        if (!written(v) || is_blank(v)) continue;
        std::string text = plain_text(v);
        std::vector<std::string> unknown = unknown_entries(text, keys);
        if (unknown.empty()) continue;
        std::string message = view.label(*ci) + " " + quoted(text);
        if (unknown.size() == 1 && unknown.front() == normalise_text(text)) {
            message += " is not in " + in_list;
        } else {
            std::string listed;
            for (const std::string& u : unknown) listed += (listed.empty() ? "'" : "', '") + u;
            message += " uses " + listed + "', not in " + in_list;
        }
        Problem p = problem_at(view, r, *ci, message, view.label(*ci) + " uses entries not in " + in_list);
        p.finding.expected = "entries of " + in_list;
        p.finding.actual = text;
        out.push_back(std::move(p));
    }
}

bool applies_field_lookup(const TableSpec& t, const RuleSpec& spec) {
    return param(spec, "field") && param(spec, "lookup") && table_has_param_fields(t, spec, {"field"});
}

// ---- FIELD-TYPE -----------------------------------------------------------------------------
// Params: fields  the columns to check (default: every integer, number, money, percent, date and
//                 quantity column)
// "N/A", "-" and "nil" are deliberate non-values, and placeholders ("TBC", "X%") are
// VALUE-PLACEHOLDER's, so neither is a type error. Timescales are TIME-UNPARSED's. Money and
// indicator values written wholly in words ("Not allocated by contractor", "Greater than budget
// dependent on usage") are statements, kept as text; there only an error value ("#N/A",
// "#REF!") or a figure that will not read is a type error.

bool is_error_value(const FieldValue& v) {
    if (v.cell_type == CellType::Error) return true;
    std::string text = plain_text(v);
    static constexpr std::string_view errors[] = {"#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"};
    return std::any_of(std::begin(errors), std::end(errors), [&](std::string_view e) { return iequals(text, e); });
}

bool has_digit(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return is_ascii_digit(c); });
}

// Why the value cannot be read as the column's type ("" when it can).
std::string type_problem(const ColumnSpec& c, const FieldValue& v) {
    bool statement = !is_error_value(v) && !has_digit(plain_text(v));
    switch (c.type) {
    case FieldType::Integer: {
        NumberReading n = read_number(v);
        if (n.kind == NumberReading::Kind::Unreadable) return "is not a whole number";
        if (n.kind == NumberReading::Kind::Value && n.value != double(static_cast<long long>(n.value)))
            return "is not a whole number";
        return {};
    }
    case FieldType::Number:
    case FieldType::Percent: return read_number(v).kind == NumberReading::Kind::Unreadable ? "is not a number" : "";
    case FieldType::Money:
        return !statement && read_money(v, c.scale).kind == MoneyKind::Unparsed ? "is not an amount of money" : "";
    case FieldType::Date: {
        Timescale t = read_timescale(v, {});
        return t.kind == TimescaleKind::Unparsed ? "is not a date" : "";
    }
    case FieldType::Quantity:
        return !statement && read_quantity(v).kind == QuantityKind::Unparsed
                   ? "is not a figure, a percentage or a status such as New or N/A"
                   : "";
    default: return {};
    }
}

void check_field_type(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    auto typed = view.columns_of({FieldType::Integer, FieldType::Number, FieldType::Money, FieldType::Percent,
                                  FieldType::Date, FieldType::Quantity});
    for (std::size_t ci : fields_param(view, s.spec, "fields", typed)) {
        const ColumnSpec& c = view.column(ci);
        for (const Record& r : view.records()) {
            if (r.kind != RecordKind::Record && r.kind != RecordKind::Total) continue;
            const FieldValue& v = view.value(r, ci);
            if (!written(v) || is_blank(v) || find_placeholder(v.raw())) continue;
            std::string why = type_problem(c, v);
            if (why.empty()) continue;
            Problem p = problem_at(view, r, ci, view.label(ci) + " " + quoted(v.raw()) + " " + why,
                                   view.label(ci) + " holds text that " + why);
            p.finding.expected = std::string(to_string(c.type));
            p.finding.actual = v.raw();
            out.push_back(std::move(p));
        }
    }
}

bool applies_field_type(const TableSpec& t, const RuleSpec& spec) {
    return table_has_param_fields(t, spec, {"fields"}) &&
           (has_fields_param(spec) || table_has_type(t, {FieldType::Integer, FieldType::Number, FieldType::Money,
                                                         FieldType::Percent, FieldType::Date, FieldType::Quantity}));
}

bool applies_field_required(const TableSpec& t, const RuleSpec& spec) {
    return table_has_param_fields(t, spec, {"fields"}) &&
           (has_fields_param(spec) ||
            std::any_of(t.columns.begin(), t.columns.end(), [](const ColumnSpec& c) { return c.required; }));
}

}  // namespace

std::vector<RuleInfo> field_rules() {
    using K = ParamKind;
    return {
        {"FIELD-REQUIRED",
         Severity::Error,
         "a required field of a record is empty (a filled-down value counts as present)",
         {{"fields", K::Columns, "the columns that must be filled (default: those marked required=\"true\")"}},
         applies_field_required,
         check_field_required},
        {"FIELD-ENUM",
         Severity::Error,
         "a RAG or enum value is not one of the allowed values (after aliases)",
         {{"fields", K::Columns, "the rag and enum columns to check (default: all of them)"}},
         applies_field_enum,
         check_field_enum},
        {"FIELD-LOOKUP",
         Severity::Warning,
         "a value is not in the list another table of the return holds (a lead not in the key of abbreviations)",
         {{"field", K::Column, "the column whose values must come from the list (required)", true},
          {"lookup", K::TableColumn, "the list, as table.field of another table of the mapping (required)", true}},
         applies_field_lookup,
         check_field_lookup},
        {"FIELD-TYPE",
         Severity::Error,
         "a value cannot be read as its column's type (a number column holding text)",
         {{"fields", K::Columns,
           "the columns to check (default: every integer, number, money, percent, date and quantity column)"}},
         applies_field_type,
         check_field_type},
    };
}

}  // namespace planconv
