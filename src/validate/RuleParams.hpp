// Reading a rule's <param>s: columns (by field name), numbers, words and lists of words. What
// each parameter of each rule is, is declared in the rule catalogue (validate/Rule.hpp).
#pragma once

#include "mapping/Mapping.hpp"
#include "validate/TableView.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planconv {

std::optional<std::string> param(const RuleSpec& spec, std::string_view name);
// A space-separated list ("Amber Red"); empty when the parameter is absent.
std::vector<std::string> param_words(const RuleSpec& spec, std::string_view name);
// A number; `fallback` when absent or not a number.
double param_number(const RuleSpec& spec, std::string_view name, double fallback);
std::optional<double> parse_param_number(std::string_view text);

// The column a field parameter names; `fallback` when the parameter is absent; nullopt when it
// names a field this table does not have (a rule declared for every table skips such tables).
std::optional<std::size_t> field_param(const TableView& view, const RuleSpec& spec, std::string_view name,
                                       std::optional<std::size_t> fallback = std::nullopt);
// The columns a list parameter names (unknown names dropped), else `fallback`. For "fields",
// a `field` parameter naming one column is taken when there is no `fields`.
std::vector<std::size_t> fields_param(const TableView& view, const RuleSpec& spec, std::string_view name,
                                      std::vector<std::size_t> fallback);

// For applies(): every field the named parameters give exists in the table (absent ones pass).
bool table_has_param_fields(const TableSpec& table, const RuleSpec& spec,
                            std::initializer_list<std::string_view> names);
// Whether the rule names its columns itself (`fields`, or `field` for one).
bool has_fields_param(const RuleSpec& spec);
bool table_has_type(const TableSpec& table, std::initializer_list<FieldType> types);

}  // namespace planconv
