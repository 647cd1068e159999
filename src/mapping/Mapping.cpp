// Field type names and look-ups on the Mapping model.
#include "mapping/Mapping.hpp"

#include <array>
#include <utility>

namespace planconv {

namespace {
constexpr std::array<std::pair<FieldType, std::string_view>, 14> kTypeNames{{
    {FieldType::Text, "text"}, {FieldType::RichText, "richtext"}, {FieldType::Id, "id"},
    {FieldType::Integer, "integer"}, {FieldType::Number, "number"}, {FieldType::Money, "money"},
    {FieldType::Percent, "percent"}, {FieldType::Quantity, "quantity"}, {FieldType::Date, "date"},
    {FieldType::Timescale, "timescale"}, {FieldType::Rag, "rag"}, {FieldType::Enum, "enum"},
    {FieldType::List, "list"}, {FieldType::Bool, "bool"},
}};
}  // namespace

std::string_view to_string(FieldType t) {
    for (const auto& [type, name] : kTypeNames)
        if (type == t) return name;
    return "text";
}

std::optional<FieldType> field_type_from(std::string_view name) {
    for (const auto& [type, n] : kTypeNames)
        if (n == name) return type;
    return std::nullopt;
}

const ColumnSpec* TableSpec::column(std::string_view f) const {
    for (const ColumnSpec& c : columns)
        if (c.field == f) return &c;
    return nullptr;
}

const TableSpec* Mapping::table(std::string_view n) const {
    for (const TableSpec& t : tables)
        if (t.name == n) return &t;
    return nullptr;
}

}  // namespace planconv
