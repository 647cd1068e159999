// FieldTyper: a field's raw cell text read as the type its mapping column declares, with the
// value parsers (parse/*), into one output-neutral shape — normalised text, typed attributes,
// and items for the types that hold several things (quantity observations, list items).
//
// Every writer uses this shape: the XML writer turns text into element content and attributes
// into attributes; the cleaned-workbook writer puts text in the cell. A value that does not read
// as its type says why in `problem`, for the FIELD-TYPE / TIME-UNPARSED / FIELD-ENUM findings.
//
// typed_shape() declares, per type, which attributes and items the typer can produce, so the XSD
// of the XML (write/XsdWriter) is generated from the same declaration the typer follows.
#pragma once

#include "mapping/Mapping.hpp"
#include "model/Date.hpp"
#include "model/Document.hpp"
#include "parse/Rag.hpp"
#include "parse/Timescale.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace planconv {

using TypedAttributes = std::vector<std::pair<std::string, std::string>>;

// One observation of a quantity, or one item of a list.
struct TypedItem {
    std::string text;
    TypedAttributes attributes;
};

struct TypedValue {
    bool parsed = false;
    std::string text;               // the normalised value (ISO dates, canonical RAG, pounds, ...)
    TypedAttributes attributes;     // in a stable order, only those that carry something
    std::vector<TypedItem> items;   // quantity and list only
    std::string problem;            // when !parsed: why, in words for an officer

    const std::string* attribute(std::string_view name) const;
};

// What the typer reads a plain cell as. Dates, periods and years come from the plan so that
// "March" and "Quarter 3" written without a year resolve (parse/Timescale.hpp).
struct TypingContext {
    TimescaleOptions timescale;
};

// One function per type. `raw` is the cell text as the Extractor read it.
TypedValue type_text(std::string_view raw);
TypedValue type_richtext(std::string_view raw);
TypedValue type_id(std::string_view raw, const Pattern* id_pattern);
TypedValue type_integer(std::string_view raw);
TypedValue type_number(std::string_view raw);
TypedValue type_percent(std::string_view raw);
TypedValue type_money(std::string_view raw, double scale);
TypedValue type_quantity(std::string_view raw);
TypedValue type_date(std::string_view raw);
TypedValue type_timescale(std::string_view raw, const TimescaleOptions& options);
TypedValue type_rag(std::string_view raw, const RagVocabulary& vocabulary);
TypedValue type_enum(std::string_view raw, const std::vector<EnumValue>& values);
TypedValue type_list(std::string_view raw, std::string_view split);
TypedValue type_bool(std::string_view raw);

// Dispatches on the column's type with the column's parameters (id pattern, scale, enum values,
// separators, extra RAG aliases). Holds the RAG vocabularies it builds, so use one per thread.
class FieldTyper {
public:
    explicit FieldTyper(TypingContext context = {});

    // A number or date cell is typed from the value it holds (FieldValue::number), so a
    // percent-formatted 0.815 is 81.5% and a date cell its day; other cells from their text.
    TypedValue type(const ColumnSpec& column, const FieldValue& value);
    TypedValue type(const ColumnSpec& column, std::string_view raw);
    // A value with no column behind it (plan facts): the type's defaults.
    TypedValue type(FieldType type, std::string_view raw) const;

    const TypingContext& context() const { return context_; }

private:
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    // A RAG vocabulary with the texts it has read. RAG texts repeat down a column ("Green",
    // "Amber (Central Government Delay)"): each is read once, up to kRagTextsKept texts, so a
    // column of distinct texts cannot grow it without bound.
    struct Rag {
        RagVocabulary vocabulary;
        std::unordered_map<std::string, TypedValue, TextHash, std::equal_to<>> seen;
    };
    static constexpr std::size_t kRagTextsKept = 4096;

    Rag& rag(const ColumnSpec& column);
    static TypedValue type_rag_seen(std::string_view raw, Rag& rag);

    TypingContext context_;
    Rag default_rag_;
    std::map<const ColumnSpec*, Rag> column_rag_;  // columns that add <value> aliases
};

// ---- The declared output of each type -------------------------------------------------------

// The lexical space of a text or attribute value.
enum class TypedLexical { String, Date, Boolean, Double, Integer, NonNegativeInteger, Token };

struct TypedAttributeSpec {
    std::string_view name;
    TypedLexical lexical = TypedLexical::String;
    std::vector<std::string_view> tokens;  // Token: the allowed values
};

struct TypedShape {
    TypedLexical content = TypedLexical::String;  // of TypedValue::text (when it has no items)
    std::vector<std::string_view> content_tokens; // Token content (Rag); Enum's come from the column
    std::vector<TypedAttributeSpec> attributes;
    std::string_view item_element;                // "" when the type has no items
    std::vector<TypedAttributeSpec> item_attributes;
};

const TypedShape& typed_shape(FieldType type);

}  // namespace planconv
