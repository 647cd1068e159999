// The rule catalogue: every rule's declaration in one list, and the checks of a mapping's rule
// declarations that need to know the rules (parameter names and values).
#include "mapping/Mapping.hpp"
#include "parse/Rag.hpp"
#include "validate/Rule.hpp"
#include "validate/RuleParams.hpp"

#include <algorithm>
#include <sstream>

namespace planconv {

const std::vector<RuleInfo>& rule_catalogue() {
    static const std::vector<RuleInfo> all = [] {
        std::vector<RuleInfo> out;
        for (auto family : {total_rules, time_rules, field_rules, id_rules, value_rules, mapping_rules})
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

void check_value(const RuleSpec& spec, const Mapping& mapping, const std::string& name, const std::string& value,
                 ParamKind kind, std::vector<std::string>& out) {
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
                out.push_back(rule + " names field '" + f + "', which " + where_columns(spec));
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
                         [&](const ClaimSpec& c) { return c.name == value; }))
            out.push_back(rule + " names claim '" + value + "', which the sections do not capture");
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
        else if (!t->column(value.substr(dot + 1)))
            out.push_back(rule + " names field '" + value.substr(dot + 1) + "', which table '" + t->name +
                          "' does not have");
        return;
    }
    }
}

}  // namespace

std::vector<std::string> rule_declaration_problems(const RuleSpec& spec, const Mapping& mapping) {
    std::vector<std::string> out;
    const RuleInfo* info = find_rule(spec.id);
    if (!info) return out;  // the loader reports unknown ids
    if (!spec.severity.empty() && spec.severity != "off" && !severity_from(spec.severity))
        out.push_back("rule " + spec.id + " has severity '" + spec.severity + "'; use error, warning, info or off");
    for (const auto& [name, value] : spec.params) {
        auto kind = param_kind(spec.id, name);
        if (!kind)
            out.push_back("rule " + spec.id + " has no parameter '" + name + "' (it takes: " + param_list(*info) + ")");
        else
            check_value(spec, mapping, name, value, *kind, out);
    }
    // Parameters the rule cannot do without, and pairs that only work together.
    auto has = [&](std::string_view n) { return spec.params.count(std::string(n)) > 0; };
    for (const RuleParam& p : info->params) {
        if (p.required && !has(p.name))
            out.push_back("rule " + spec.id + " needs the parameter " + std::string(p.name));
        else if (!p.with.empty() && has(p.name) && !has(p.with))
            out.push_back("rule " + spec.id + " needs the parameter " + std::string(p.with) + " (" +
                          std::string(p.name) + " and " + std::string(p.with) + " go together)");
    }
    return out;
}

}  // namespace planconv
