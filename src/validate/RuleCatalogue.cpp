// The rule catalogue: every rule's declaration in one list, and the checks of a mapping's rule
// declarations that need to know the rules (parameter names and values).
#include "mapping/ClosestName.hpp"
#include "mapping/Mapping.hpp"
#include "mapping/MappingLoader.hpp"
#include "parse/Rag.hpp"
#include "validate/Rule.hpp"
#include "validate/RuleParams.hpp"

#include <algorithm>
#include <sstream>

namespace planconv {

const std::vector<RuleInfo>& rule_catalogue() {
    static const std::vector<RuleInfo> all = [] {
        std::vector<RuleInfo> out;
        for (auto family : {total_rules, time_rules, field_rules, id_rules, value_rules, mapping_rules, previous_rules})
            for (RuleInfo& r : family()) out.push_back(std::move(r));
        return out;
    }();
    return all;
}

const RuleInfo* find_rule(std::string_view id) {
    for (const RuleInfo& r : rule_catalogue())
        if (r.id == id) return &r;
    return nullptr;
}

std::optional<ParamKind> param_kind(std::string_view rule_id, std::string_view param) {
    const RuleInfo* info = find_rule(rule_id);
    if (!info) return std::nullopt;
    for (const RuleParam& p : info->params)
        if (p.name == param) return p.kind;
    // `field` names the one column of a rule that takes `fields`.
    if (param == "field")
        for (const RuleParam& p : info->params)
            if (p.name == "fields") return ParamKind::Column;
    if (info->open_params) return ParamKind::RagValues;
    return std::nullopt;
}

namespace {

// One problem of a declaration: the line to look at, the sentence, how to fix it.
struct Found {
    int line = 0;
    std::string message;
    std::string hint;
};

int line_of_param(const RuleSpec& spec, const std::string& name) {
    auto it = spec.param_lines.find(name);
    return it != spec.param_lines.end() && it->second > 0 ? it->second : spec.line;
}

std::string param_list(const RuleInfo& info) {
    std::string out;
    for (const RuleParam& p : info.params)
        if (!p.name.starts_with("<")) out += (out.empty() ? "" : ", ") + std::string(p.name);
    return out;
}

std::vector<std::string> words_of(const std::string& value) {
    std::vector<std::string> out;
    std::istringstream in(value);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

// Where a column a rule names must be: its table, or (a rule for every table) any table.
bool column_exists(const RuleSpec& spec, const Mapping& mapping, const std::string& field) {
    if (!spec.table.empty()) {
        const TableSpec* t = mapping.table(spec.table);
        return !t || t->column(field);  // an unknown table is the loader's to report
    }
    return std::any_of(mapping.tables.begin(), mapping.tables.end(),
                       [&](const TableSpec& t) { return t.column(field); });
}

std::string where_columns(const RuleSpec& spec) {
    return spec.table.empty() ? "no table of this mapping has" : "table '" + spec.table + "' does not have";
}

// Every field name a rule may mean: its table's, or (a rule for every table) every table's.
std::vector<std::string> field_names(const RuleSpec& spec, const Mapping& mapping) {
    std::vector<std::string> out;
    for (const TableSpec& t : mapping.tables)
        if (spec.table.empty() || t.name == spec.table)
            for (const ColumnSpec& c : t.columns) out.push_back(c.field);
    return out;
}

// The sentences of one parameter's value, each a Found at the parameter's line.
class ValueProblems {
public:
    ValueProblems(const RuleSpec& spec, const std::string& name, std::vector<Found>& out)
        : line_(line_of_param(spec, name)), out_(out) {}
    void push_back(std::string message, std::string hint = "") { out_.push_back({line_, std::move(message), std::move(hint)}); }

private:
    int line_;
    std::vector<Found>& out_;
};

void check_value(const RuleSpec& spec, const Mapping& mapping, const std::string& name, const std::string& value,
                 ParamKind kind, std::vector<Found>& found) {
    ValueProblems out(spec, name, found);
    const std::string rule = "rule " + spec.id + " parameter " + name;
    auto words = words_of(value);
    switch (kind) {
    case ParamKind::Column:
    case ParamKind::ColumnOrSection:
        if (words.size() != 1) {
            out.push_back(rule + " names one column, not '" + value + "'");
            return;
        }
        if (kind == ParamKind::ColumnOrSection && value == "section") return;
        [[fallthrough]];
    case ParamKind::Columns:
        if (words.empty()) out.push_back(rule + " names no column");
        for (const std::string& f : words)
            if (!column_exists(spec, mapping, f))
                out.push_back(rule + " names field '" + f + "', which " + where_columns(spec),
                              did_you_mean(f, field_names(spec, mapping)));
        return;
    case ParamKind::Number: {
        auto n = parse_param_number(value);
        if (!n || *n < 0) out.push_back(rule + "='" + value + "' is not a number of zero or more");
        return;
    }
    case ParamKind::RagValues:
        for (const std::string& w : words)
            if (!parse_rag(w).parsed())
                out.push_back(rule + " lists '" + w + "', which is not a RAG value (Red, Amber, Green, Blue, NA)");
        return;
    case ParamKind::Claim:
        if (std::none_of(mapping.sections.claims.begin(), mapping.sections.claims.end(),
                         [&](const ClaimSpec& c) { return c.name == value; })) {
            std::vector<std::string> claims;
            for (const ClaimSpec& c : mapping.sections.claims) claims.push_back(c.name);
            out.push_back(rule + " names claim '" + value + "', which the sections do not capture", did_you_mean(value, claims));
        }
        return;
    case ParamKind::Words:
        if (name == "polarity" && value != "higher" && value != "lower")
            out.push_back(rule + "='" + value + "' must be higher or lower");
        return;
    case ParamKind::TableColumn: {
        auto dot = value.find('.');
        const TableSpec* t = dot == std::string::npos ? nullptr : mapping.table(value.substr(0, dot));
        if (dot == std::string::npos)
            out.push_back(rule + "='" + value + "' must name a table and its field, as table.field");
        else if (!t)
            out.push_back(rule + " names table '" + value.substr(0, dot) + "', which the mapping does not have");
        else if (!t->column(value.substr(dot + 1))) {
            std::vector<std::string> fields;
            for (const ColumnSpec& c : t->columns) fields.push_back(c.field);
            out.push_back(rule + " names field '" + value.substr(dot + 1) + "', which table '" + t->name +
                              "' does not have",
                          did_you_mean(value.substr(dot + 1), fields));
        }
        return;
    }
    }
}

// The named captures of the claims a TOTAL-COUNT compares: its claim=, else every claim.
std::vector<std::string> claim_parts(const RuleSpec& spec, const Mapping& mapping) {
    std::vector<std::string> out;
    auto claim = spec.params.find("claim");
    for (const ClaimSpec& c : mapping.sections.claims)
        if (claim == spec.params.end() || claim->second == c.name)
            for (const std::string& g : c.pattern.group_names())
                if (!g.empty() && std::find(out.begin(), out.end(), g) == out.end()) out.push_back(g);
    return out;
}

// A parameter the rule does not take, with the name that was probably meant.
void unknown_param(const RuleSpec& spec, const RuleInfo& info, const Mapping& mapping, const std::string& name,
                   std::vector<Found>& out) {
    std::vector<std::string> names;
    for (const RuleParam& p : info.params)
        if (!p.name.starts_with("<")) names.emplace_back(p.name);
    std::string takes = param_list(info);
    if (info.open_params) {
        std::vector<std::string> parts;
        for (std::string& p : claim_parts(spec, mapping))
            if (std::find(names.begin(), names.end(), p) == names.end()) parts.push_back(std::move(p));
        names.insert(names.end(), parts.begin(), parts.end());
        takes += parts.empty() ? ", and any other named part of the claim"
                               : ", and the claim's other parts: " + [&] {
                                     std::string s;
                                     for (const std::string& p : parts) s += (s.empty() ? "" : ", ") + p;
                                     return s;
                                 }();
    }
    std::string near = did_you_mean(name, names);
    out.push_back({line_of_param(spec, name), "rule " + spec.id + " has no parameter '" + name + "' (it takes: " + takes + ")",
                   near.empty() ? "see src/validate/RULES.md for the rule's parameters" : near});
}

void declaration_problems(const RuleSpec& spec, const Mapping& mapping, std::vector<Found>& out) {
    const RuleInfo* info = find_rule(spec.id);
    if (!info) return;  // the loader reports unknown ids
    if (!spec.severity.empty() && spec.severity != "off" && !severity_from(spec.severity))
        out.push_back({spec.line, "rule " + spec.id + " has severity '" + spec.severity + "'; use error, warning, info or off", ""});
    for (const auto& [name, value] : spec.params) {
        auto kind = param_kind(spec.id, name);
        // An open parameter (a TOTAL-COUNT category) must be a part the claim captures, or it
        // counts nothing: `ontrack` for `on_track` would silently leave on_track unchecked.
        bool documented = std::any_of(info->params.begin(), info->params.end(), [&](const RuleParam& p) {
            return p.name == name || (name == "field" && p.name == "fields");
        });
        if (kind && !documented) {
            auto parts = claim_parts(spec, mapping);
            if (std::find(parts.begin(), parts.end(), name) == parts.end()) kind.reset();
        }
        if (!kind)
            unknown_param(spec, *info, mapping, name, out);
        else
            check_value(spec, mapping, name, value, *kind, out);
    }
    // Parameters the rule cannot do without, and pairs that only work together.
    auto has = [&](std::string_view n) { return spec.params.count(std::string(n)) > 0; };
    for (const RuleParam& p : info->params) {
        if (p.required && !has(p.name))
            out.push_back({spec.line, "rule " + spec.id + " needs the parameter " + std::string(p.name), ""});
        else if (!p.with.empty() && has(p.name) && !has(p.with))
            out.push_back({line_of_param(spec, std::string(p.name)),
                           "rule " + spec.id + " needs the parameter " + std::string(p.with) + " (" +
                               std::string(p.name) + " and " + std::string(p.with) + " go together)",
                           ""});
    }
}

// ---- What a rule's columns must be able to hold ----------------------------------------------

struct ColumnNeed {
    std::vector<FieldType> types;  // the column must be one of these
    std::string_view words;        // what that is, for the message
};

// The types a column named by a parameter must have for the rule to read it; nullopt: any.
std::optional<ColumnNeed> column_need(std::string_view rule, std::string_view param) {
    const ColumnNeed figure{{FieldType::Integer, FieldType::Number, FieldType::Money, FieldType::Percent, FieldType::Quantity},
                            "a figure (integer, number, money, percent or quantity)"};
    const ColumnNeed dated{{FieldType::Timescale, FieldType::Date}, "a timescale or date"};
    const ColumnNeed rag{{FieldType::Rag}, "a rag column"};
    if (param == "rag") return rag;
    if (rule == "TOTAL-SUM" && (param == "fields" || param == "field")) return figure;
    if (rule == "TOTAL-RATIO" && (param == "fields" || param == "field"))
        return ColumnNeed{{FieldType::Quantity, FieldType::Percent}, "a quantity or percent column"};
    if (rule == "TOTAL-RATIO" && param == "denominator_field") return figure;
    if (rule == "TOTAL-DIFF" && (param == "result" || param == "minuend" || param == "subtrahend")) return figure;
    if (rule == "TOTAL-PART" && param != "tolerance") return figure;
    if (rule.starts_with("TIME-") && (param == "fields" || param == "field" || param == "start" || param == "end"))
        return dated;
    if (rule == "TIME-DURATION" && param == "months") return figure;
    if (rule == "FIELD-ENUM") return ColumnNeed{{FieldType::Rag, FieldType::Enum}, "a rag or enum column"};
    if (rule == "FIELD-TYPE")
        return ColumnNeed{{FieldType::Id, FieldType::Integer, FieldType::Number, FieldType::Money, FieldType::Percent,
                           FieldType::Quantity, FieldType::Date, FieldType::Timescale, FieldType::Rag, FieldType::Enum,
                           FieldType::List, FieldType::Bool},
                          "a typed column (text holds anything, so there is nothing to check)"};
    if ((rule == "STATUS-MISMATCH" || rule == "VALUE-UNIT") && param != "polarity") return figure;
    if (rule == "TEXT-DUPLICATE" && param == "field")
        return ColumnNeed{{FieldType::Text, FieldType::RichText, FieldType::List}, "a text or richtext column"};
    return std::nullopt;
}

// What a rule reads when no parameter names its columns, for "nothing to check" messages.
std::string_view default_need(std::string_view rule) {
    if (rule == "TOTAL-SUM") return "a money, number or integer column that is not a key";
    if (rule == "TOTAL-COUNT" || rule == "STATUS-MISMATCH") return "a rag column (or rag=)";
    if (rule == "TOTAL-RATIO") return "a quantity column (or fields=)";
    if (rule.starts_with("TIME-")) return "a timescale column (or fields= naming a date column)";
    if (rule == "FIELD-REQUIRED") return "a column marked required=\"true\" (or fields=)";
    if (rule == "FIELD-ENUM") return "a rag or enum column";
    if (rule == "FIELD-TYPE") return "an integer, number, money, percent, date or quantity column";
    if (rule.starts_with("ID-")) return "an id column (or field=), or <subrecords>";
    if (rule == "TEXT-DUPLICATE") return "a required text column (or field=), or <subrecords>";
    if (rule == "VALUE-UNIT") return "a quantity column (or target= and outturn=)";
    return "the columns its parameters name";
}

bool has_type(const ColumnSpec& c, const std::vector<FieldType>& types) {
    return std::find(types.begin(), types.end(), c.type) != types.end();
}

// Whether the rule can find anything to check in `table` (applies() says which tables a rule
// without table= runs on; a rule given a table runs there regardless, so the same test says
// whether it would find anything there).
bool can_check(const RuleInfo& info, const RuleSpec& spec, const TableSpec& table) {
    if (info.id == "TOTAL-SUM" && !table.has_total_rows()) return false;
    return info.applies(table, spec);
}

void fit_problems(const RuleSpec& spec, const Mapping& mapping, std::vector<Found>& out) {
    const RuleInfo* info = find_rule(spec.id);
    if (!info || spec.severity == "off") return;
    // Columns of a type the rule cannot read.
    for (const auto& [name, value] : spec.params) {
        auto need = column_need(spec.id, name);
        auto kind = param_kind(spec.id, name);
        if (!need || !kind || *kind == ParamKind::Number || *kind == ParamKind::Words || *kind == ParamKind::Claim ||
            *kind == ParamKind::RagValues || *kind == ParamKind::TableColumn)
            continue;
        for (const std::string& f : words_of(value))
            for (const TableSpec& t : mapping.tables) {
                if (!spec.table.empty() && t.name != spec.table) continue;
                const ColumnSpec* c = t.column(f);
                if (!c || has_type(*c, need->types)) continue;
                out.push_back({line_of_param(spec, name),
                               "rule " + spec.id + " parameter " + name + " names '" + f + "', a " +
                                   std::string(to_string(c->type)) + " column of table '" + t.name + "', but needs " +
                                   std::string(need->words),
                               "give the column the type its values have (type=\"...\" on line " +
                                   std::to_string(c->line) + "), or name another column"});
            }
    }
    // Tables with nothing for the rule to check.
    auto explain = [&](const TableSpec& t) {
        if (info->id == "TOTAL-SUM" && !t.has_total_rows())
            return "table '" + t.name + "' has no total rows";
        return "table '" + t.name + "' has no column it can check";
    };
    if (!spec.table.empty()) {
        const TableSpec* t = mapping.table(spec.table);
        if (t && !can_check(*info, spec, *t))
            out.push_back({spec.line, "rule " + spec.id + " has nothing to check: " + explain(*t),
                           info->id == "TOTAL-SUM" && !t->has_total_rows()
                               ? "declare the total rows: <rows total=\"^Total\\b\"/>, unlabelled-subtotals=\"true\" or first-row-total=\"true\""
                               : "it needs " + std::string(default_need(info->id)) + "; see src/validate/RULES.md"});
    } else if (!mapping.tables.empty() &&
               std::none_of(mapping.tables.begin(), mapping.tables.end(),
                            [&](const TableSpec& t) { return can_check(*info, spec, t); })) {
        out.push_back({spec.line, "rule " + spec.id + " fits no table of this mapping",
                       "it needs " + std::string(default_need(info->id)) + "; see src/validate/RULES.md"});
    }
    // A count with nothing stated to compare with.
    if (info->id == "TOTAL-COUNT" && !spec.params.count("count_field") && mapping.sections.claims.empty())
        out.push_back({spec.line, "rule TOTAL-COUNT has no claim to compare: the sections capture none and count_field is not given",
                       "add <claim name=\"summary\" pattern=\"(?<on_track>\\w+) of (?<total>\\w+) actions\"/> to <sections>"});
}

}  // namespace

std::vector<std::string> rule_declaration_problems(const RuleSpec& spec, const Mapping& mapping) {
    std::vector<Found> found;
    declaration_problems(spec, mapping, found);
    std::vector<std::string> out;
    for (Found& f : found) out.push_back(std::move(f.message));
    return out;
}

std::vector<MappingDiagnostic> rule_declaration_diagnostics(const RuleSpec& spec, const Mapping& mapping) {
    std::vector<Found> found;
    declaration_problems(spec, mapping, found);
    // Whether the columns fit is only worth saying of a declaration that is otherwise right.
    if (found.empty()) fit_problems(spec, mapping, found);
    std::vector<MappingDiagnostic> out;
    for (Found& f : found) {
        if (f.hint.empty()) f.hint = "see src/validate/RULES.md for the rule's parameters";
        out.push_back({f.line, std::move(f.message), std::move(f.hint)});
    }
    return out;
}

}  // namespace planconv
