// Reading a rule's <param>s.
#include "validate/RuleParams.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace planconv {

std::optional<std::string> param(const RuleSpec& spec, std::string_view name) {
    auto it = spec.params.find(std::string(name));
    if (it == spec.params.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> param_words(const RuleSpec& spec, std::string_view name) {
    std::vector<std::string> out;
    if (auto v = param(spec, name)) {
        std::istringstream words(*v);
        for (std::string w; words >> w;) out.push_back(w);
    }
    return out;
}

std::optional<double> parse_param_number(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return v;
}

double param_number(const RuleSpec& spec, std::string_view name, double fallback) {
    auto v = param(spec, name);
    if (!v) return fallback;
    return parse_param_number(*v).value_or(fallback);
}

std::optional<std::size_t> field_param(const TableView& view, const RuleSpec& spec, std::string_view name,
                                       std::optional<std::size_t> fallback) {
    auto v = param(spec, name);
    if (!v) return fallback;
    auto words = param_words(spec, name);
    if (words.empty()) return fallback;
    return view.index(words.front());
}

std::vector<std::size_t> fields_param(const TableView& view, const RuleSpec& spec, std::string_view name,
                                      std::vector<std::size_t> fallback) {
    // A rule on a list of columns also takes `field` for one ("field" is what one column is
    // called everywhere else).
    if (!param(spec, name) && name == "fields" && param(spec, "field")) name = "field";
    if (!param(spec, name)) return fallback;
    std::vector<std::size_t> out;
    for (const std::string& f : param_words(spec, name))
        if (auto ci = view.index(f)) out.push_back(*ci);
    return out;
}

bool table_has_param_fields(const TableSpec& table, const RuleSpec& spec,
                            std::initializer_list<std::string_view> names) {
    for (std::string_view n : names) {
        if (n == "fields" && !param(spec, n) && !table_has_param_fields(table, spec, {"field"})) return false;
        for (const std::string& f : param_words(spec, n))
            if (!table.column(f)) return false;
    }
    return true;
}

bool has_fields_param(const RuleSpec& spec) { return param(spec, "fields") || param(spec, "field"); }

bool table_has_type(const TableSpec& table, std::initializer_list<FieldType> types) {
    return std::any_of(table.columns.begin(), table.columns.end(), [&](const ColumnSpec& c) {
        return std::find(types.begin(), types.end(), c.type) != types.end();
    });
}

}  // namespace planconv
