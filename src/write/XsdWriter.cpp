// XsdWriter: one named complex type per part of the document (document, facts, headers, header,
// section, claim, record.TABLE, subrecord.TABLE, field.TYPE) and the consolidation wrapping
// documents, written with XmlTextOutput.
#include "write/XsdWriter.hpp"

#include "model/DocumentXmlNames.hpp"
#include "write/XmlTextOutput.hpp"
#include "mapping/FieldTyper.hpp"

#include <map>
#include <set>

namespace planconv {

namespace names = xml_names;

namespace {

constexpr std::string_view kUnbounded = "unbounded";

// Every FieldType, for declaring the field types a mapping uses in a fixed order.
constexpr FieldType kAllTypes[] = {FieldType::Text,     FieldType::RichText, FieldType::Id,       FieldType::Integer,
                                   FieldType::Number,   FieldType::Money,    FieldType::Percent,  FieldType::Quantity,
                                   FieldType::Date,     FieldType::Timescale, FieldType::Rag,     FieldType::Enum,
                                   FieldType::List,     FieldType::Bool};

std::string field_type_name(FieldType t) { return "field." + std::string(to_string(t)); }
// An enum column with its own values gets its own type; without values it is open text.
bool has_own_type(const ColumnSpec& c) { return c.type == FieldType::Enum && !c.enum_values.empty(); }
std::string column_type_name(const TableSpec& t, const ColumnSpec& c) {
    return has_own_type(c) ? "field.enum." + t.name + "." + c.field : field_type_name(c.type);
}

// Writes xs: constructs; knows XSD, nothing about planconv documents.
class Xsd {
public:
    explicit Xsd(XmlTextOutput& out) : out_(out) {}

    void open(std::string_view construct) { out_.start("xs:" + std::string(construct)); }
    void close() { out_.end(); }

    void element(std::string_view name, std::string_view type, int min_occurs = 1, std::string_view max_occurs = "1") {
        open("element");
        out_.attribute("name", name);
        out_.attribute("type", type);
        if (min_occurs != 1) out_.attribute("minOccurs", std::to_string(min_occurs));
        if (max_occurs != "1") out_.attribute("maxOccurs", max_occurs);
        close();
    }
    void attribute(std::string_view name, std::string_view type, bool required = false, std::string_view fixed = {}) {
        open("attribute");
        out_.attribute("name", name);
        out_.attribute("type", type);
        if (required) out_.attribute("use", "required");
        if (!fixed.empty()) out_.attribute("fixed", fixed);
        close();
    }
    void attribute_tokens(std::string_view name, const std::vector<std::string_view>& tokens, bool required = false) {
        open("attribute");
        out_.attribute("name", name);
        if (required) out_.attribute("use", "required");
        enumeration(tokens);
        close();
    }
    // An anonymous simple type: one of these strings.
    void enumeration(const std::vector<std::string_view>& tokens) {
        open("simpleType");
        open("restriction");
        out_.attribute("base", "xs:string");
        for (std::string_view t : tokens) {
            open("enumeration");
            out_.attribute("value", t);
            close();
        }
        close();
        close();
    }
    void named(std::string_view construct, std::string_view name) {
        open(construct);
        out_.attribute("name", name);
    }
    void documentation(std::string_view text) {
        open("annotation");
        out_.start("xs:documentation");
        out_.text(text);
        out_.end();
        close();
    }
    XmlTextOutput& out() { return out_; }

private:
    XmlTextOutput& out_;
};

std::string_view xsd_builtin(TypedLexical l) {
    switch (l) {
    case TypedLexical::String: return "xs:string";
    case TypedLexical::Date: return "xs:date";
    case TypedLexical::Boolean: return "xs:boolean";
    case TypedLexical::Double: return "xs:double";
    case TypedLexical::Integer: return "xs:integer";
    case TypedLexical::NonNegativeInteger: return "xs:nonNegativeInteger";
    case TypedLexical::Token: return "xs:string";
    }
    return "xs:string";
}

// Field content may be empty: a value that did not parse, or a number column's "N/A".
std::string_view content_type(TypedLexical l) {
    switch (l) {
    case TypedLexical::Date: return "date-or-empty";
    case TypedLexical::Boolean: return "boolean-or-empty";
    case TypedLexical::Double: return "double-or-empty";
    case TypedLexical::Integer:
    case TypedLexical::NonNegativeInteger: return "integer-or-empty";
    case TypedLexical::String:
    case TypedLexical::Token: return "xs:string";
    }
    return "xs:string";
}

class SchemaWriter {
public:
    SchemaWriter(const Mapping& m, XmlTextOutput& out) : m_(m), xsd_(out) {}

    void write() {
        xsd_.open("schema");
        xsd_.out().attribute("xmlns:xs", "http://www.w3.org/2001/XMLSchema");
        xsd_.documentation("The XML planconv writes with the mapping '" + m_.name + "': " + m_.description);
        xsd_.element(m_.root_element, "document");
        xsd_.element(names::kConsolidation, "consolidation");
        document_type();
        consolidation_type();
        if (!m_.facts.empty()) facts_type();
        headers_types();
        if (has_sections()) {
            section_type();
            claim_type();
        }
        for (const TableSpec& t : m_.tables) {
            record_type(t);
            if (t.subrecords) subrecord_type(t);
        }
        field_types();
        simple_types();
        xsd_.close();
    }

private:
    bool has_sections() const { return m_.sections.kind != SectionSpec::Kind::None; }

    void record_elements() {
        for (const TableSpec& t : m_.tables) xsd_.element(t.element, "record." + t.name, 0, kUnbounded);
    }

    void document_type() {
        xsd_.named("complexType", "document");
        xsd_.open("sequence");
        if (!m_.facts.empty()) xsd_.element(names::kFacts, "facts", 0);
        // Optional: XML written before planconv kept the headers has none.
        xsd_.element(names::kHeaders, "headers", 0, kUnbounded);
        if (has_sections()) xsd_.element(m_.sections.element, "section", 0, kUnbounded);
        record_elements();
        xsd_.close();
        xsd_.attribute(names::kMapping, "xs:string", true, m_.name);
        xsd_.attribute(names::kSource, "xs:string", true);
        xsd_.attribute(names::kAsOf, "xs:date");
        xsd_.attribute(names::kPlanStart, "xs:date");
        xsd_.attribute(names::kPlanEnd, "xs:date");
        xsd_.close();
    }

    // convert --consolidate: the documents of several returns, each as its own XML's root.
    void consolidation_type() {
        xsd_.named("complexType", "consolidation");
        xsd_.open("sequence");
        xsd_.element(m_.root_element, "document", 0, kUnbounded);
        xsd_.close();
        xsd_.attribute(names::kName, "xs:string", true);
        xsd_.attribute(names::kMapping, "xs:string", true, m_.name);
        xsd_.close();
    }

    void facts_type() {
        xsd_.named("complexType", "facts");
        xsd_.open("sequence");
        std::set<std::string> seen;
        for (const FactSpec& f : m_.facts)
            if (seen.insert(f.name).second) xsd_.element(f.name, field_type_name(f.type), 0);
        xsd_.close();
        xsd_.close();
    }

    // <headers record>: the header a table was read under, a <header field src?> per column
    // found. XSD 1.0 cannot tie a field to its record, so field is any field element.
    void headers_types() {
        std::vector<std::string_view> records, fields;
        std::set<std::string_view> seen;
        for (const TableSpec& t : m_.tables) {
            records.push_back(t.element);
            for (const ColumnSpec& c : t.columns)
                if (seen.insert(c.element).second) fields.push_back(c.element);
        }
        xsd_.named("complexType", "headers");
        xsd_.open("sequence");
        xsd_.element(names::kHeader, "header", 0, kUnbounded);
        xsd_.close();
        if (records.empty())
            xsd_.attribute(names::kRecord, "xs:string", true);
        else
            xsd_.attribute_tokens(names::kRecord, records, true);
        xsd_.close();
        xsd_.named("complexType", "header");
        simple_content_open("xs:string");
        if (fields.empty())
            xsd_.attribute(names::kField, "xs:string", true);
        else
            xsd_.attribute_tokens(names::kField, fields, true);
        xsd_.attribute(names::kSrc, "cell");
        simple_content_close();
        xsd_.close();
    }

    void section_type() {
        xsd_.named("complexType", "section");
        xsd_.open("sequence");
        xsd_.element(names::kClaim, "claim", 0, kUnbounded);
        record_elements();
        xsd_.close();
        xsd_.attribute(names::kId, "xs:string", true);
        xsd_.attribute(names::kTitle, "xs:string");
        xsd_.attribute(names::kSrc, "cell", true);
        xsd_.close();
    }

    void claim_type() {
        std::vector<std::string_view> claim_names;
        std::set<std::string> part_set;
        for (const ClaimSpec& c : m_.sections.claims) {
            claim_names.push_back(c.name);
            for (const std::string& g : c.pattern.group_names())
                if (!g.empty()) part_set.insert(g);
        }
        std::vector<std::string_view> part_names(part_set.begin(), part_set.end());
        xsd_.named("complexType", "claim");
        xsd_.open("sequence");
        xsd_.element(names::kClaimText, "xs:string");
        if (!part_names.empty()) {
            xsd_.open("element");
            xsd_.out().attribute("name", names::kClaimPart);
            xsd_.out().attribute("minOccurs", "0");
            xsd_.out().attribute("maxOccurs", kUnbounded);
            xsd_.open("complexType");
            simple_content_open("xs:string");
            xsd_.attribute_tokens(names::kName, part_names, true);
            xsd_.attribute(names::kValue, "xs:double");
            simple_content_close();
            xsd_.close();
            xsd_.close();
        }
        xsd_.close();
        if (claim_names.empty())
            xsd_.attribute(names::kName, "xs:string", true);
        else
            xsd_.attribute_tokens(names::kName, claim_names, true);
        xsd_.attribute(names::kSrc, "cell", true);
        xsd_.close();
    }

    void field_elements(const TableSpec& t) {
        for (const ColumnSpec& c : t.columns) xsd_.element(c.element, column_type_name(t, c), 0);
    }

    void record_type(const TableSpec& t) {
        xsd_.named("complexType", "record." + t.name);
        xsd_.open("sequence");
        field_elements(t);
        if (t.subrecords) xsd_.element(t.subrecords->element, "subrecord." + t.name, 0, kUnbounded);
        xsd_.close();
        xsd_.attribute(names::kSrc, "cell", true);
        xsd_.attribute_tokens(names::kKind, {to_string(RecordKind::Note), to_string(RecordKind::Total), to_string(RecordKind::Group)});
        xsd_.attribute(names::kSection, "xs:string");
        xsd_.attribute(names::kGroup, "xs:string");
        xsd_.close();
    }

    void subrecord_type(const TableSpec& t) {
        xsd_.named("complexType", "subrecord." + t.name);
        xsd_.open("sequence");
        field_elements(t);
        xsd_.close();
        xsd_.attribute(names::kId, "xs:string", true);
        xsd_.attribute(names::kSrc, "cell", true);
        xsd_.close();
    }

    // ---- fields ----

    void field_types() {
        std::set<FieldType> used;
        for (const FactSpec& f : m_.facts) used.insert(f.type);
        for (const TableSpec& t : m_.tables)
            for (const ColumnSpec& c : t.columns)
                if (!has_own_type(c)) used.insert(c.type);
        for (FieldType type : kAllTypes)
            if (used.count(type)) field_type(field_type_name(type), typed_shape(type), {});
        for (const TableSpec& t : m_.tables)
            for (const ColumnSpec& c : t.columns)
                if (has_own_type(c)) {
                    std::vector<std::string_view> values;
                    for (const EnumValue& v : c.enum_values) values.push_back(v.value);
                    field_type(column_type_name(t, c), typed_shape(c.type), values);
                }
    }

    void field_type(const std::string& name, const TypedShape& shape, const std::vector<std::string_view>& enum_values) {
        xsd_.named("complexType", name);
        if (!shape.item_element.empty()) {
            xsd_.open("sequence");
            xsd_.element(shape.item_element, name + ".item", 0, kUnbounded);
            xsd_.close();
            field_attributes(shape);
            xsd_.close();
            item_type(name + ".item", shape);
            return;
        }
        const std::vector<std::string_view>& tokens = enum_values.empty() ? shape.content_tokens : enum_values;
        if (shape.content == TypedLexical::Token && !tokens.empty()) {
            // One of the values, or empty when the cell did not read as one of them.
            xsd_.open("simpleContent");
            xsd_.open("extension");
            xsd_.out().attribute("base", name + ".value");
            field_attributes(shape);
            simple_content_close();
            xsd_.close();
            std::vector<std::string_view> with_empty = tokens;
            with_empty.push_back("");
            xsd_.named("simpleType", name + ".value");
            xsd_.open("restriction");
            xsd_.out().attribute("base", "xs:string");
            for (std::string_view t : with_empty) {
                xsd_.open("enumeration");
                xsd_.out().attribute("value", t);
                xsd_.close();
            }
            xsd_.close();
            xsd_.close();
            return;
        }
        simple_content_open(content_type(shape.content));
        field_attributes(shape);
        simple_content_close();
        xsd_.close();
    }

    void field_attributes(const TypedShape& shape) {
        xsd_.attribute(names::kSrc, "cell", true);
        xsd_.attribute(names::kRaw, "xs:string");
        xsd_.attribute(names::kInherited, "xs:boolean");
        xsd_.attribute(names::kParsed, "xs:boolean");
        typed_attributes(shape.attributes);
    }

    void typed_attributes(const std::vector<TypedAttributeSpec>& attributes) {
        for (const TypedAttributeSpec& a : attributes) {
            if (a.lexical == TypedLexical::Token)
                xsd_.attribute_tokens(a.name, a.tokens);
            else
                xsd_.attribute(a.name, xsd_builtin(a.lexical));
        }
    }

    void item_type(const std::string& name, const TypedShape& shape) {
        xsd_.named("complexType", name);
        simple_content_open("xs:string");
        typed_attributes(shape.item_attributes);
        simple_content_close();
        xsd_.close();
    }

    void simple_content_open(std::string_view base) {
        xsd_.open("simpleContent");
        xsd_.open("extension");
        xsd_.out().attribute("base", base);
    }
    void simple_content_close() {
        xsd_.close();
        xsd_.close();
    }

    // ---- simple types ----

    void simple_types() {
        xsd_.named("simpleType", "cell");
        xsd_.open("restriction");
        xsd_.out().attribute("base", "xs:string");
        xsd_.open("pattern");
        xsd_.out().attribute("value", ".*![A-Z]{1,3}[1-9][0-9]*");  // Sheet!C5
        xsd_.close();
        xsd_.close();
        xsd_.close();

        xsd_.named("simpleType", "empty");
        xsd_.open("restriction");
        xsd_.out().attribute("base", "xs:string");
        xsd_.open("length");
        xsd_.out().attribute("value", "0");
        xsd_.close();
        xsd_.close();
        xsd_.close();

        for (auto [name, base] : {std::pair{"date-or-empty", "xs:date"}, std::pair{"boolean-or-empty", "xs:boolean"},
                                  std::pair{"double-or-empty", "xs:double"}, std::pair{"integer-or-empty", "xs:integer"}}) {
            xsd_.named("simpleType", name);
            xsd_.open("union");
            xsd_.out().attribute("memberTypes", std::string(base) + " empty");
            xsd_.close();
            xsd_.close();
        }
    }

    const Mapping& m_;
    Xsd xsd_;
};

void conflict(std::vector<MappingDiagnostic>& out, int line, std::string message, std::string hint) {
    out.push_back({line, std::move(message), std::move(hint)});
}

}  // namespace

std::vector<MappingDiagnostic> xml_name_conflicts(const Mapping& m) {
    std::vector<MappingDiagnostic> out;
    const bool sections = m.sections.kind != SectionSpec::Kind::None;
    std::set<std::string> facts;
    for (const FactSpec& f : m.facts)
        if (!facts.insert(f.name).second)
            conflict(out, f.line, "the fact '" + f.name + "' is declared twice", "give each fact its own name");
    std::map<std::string, const TableSpec*> record_elements;
    for (const TableSpec& t : m.tables) {
        auto [it, fresh] = record_elements.emplace(t.element, &t);
        if (!fresh)
            conflict(out, t.line, "tables '" + it->second->name + "' and '" + t.name + "' both write element <" + t.element + ">",
                     "give each table its own element=");
        if (t.element == names::kFacts || t.element == names::kHeaders ||
            (sections && (t.element == names::kClaim || t.element == m.sections.element)))
            conflict(out, t.line, "table '" + t.name + "' writes element <" + t.element + ">, which the XML already uses for " +
                                      (t.element == names::kFacts     ? "the plan facts"
                                       : t.element == names::kHeaders ? "the tables' headers"
                                       : t.element == names::kClaim   ? "claims"
                                                                      : "sections"),
                     "choose another element= for the table");
        std::map<std::string, const ColumnSpec*> fields;
        for (const ColumnSpec& c : t.columns) {
            auto [f, new_field] = fields.emplace(c.element, &c);
            if (!new_field)
                conflict(out, c.line, "fields '" + f->second->field + "' and '" + c.field + "' of table '" + t.name +
                                          "' both write element <" + c.element + ">",
                         "give one of them element=\"...\"");
        }
        if (t.subrecords && fields.count(t.subrecords->element))
            conflict(out, t.subrecords->line, "subrecords of table '" + t.name + "' write element <" + t.subrecords->element +
                                                  ">, which is also a field's element",
                     "choose another element= for the subrecords");
    }
    if (m.root_element == names::kConsolidation)
        conflict(out, 0, "the mapping's element= is <consolidation>, which planconv uses for the root of consolidated XML",
                 "choose another element= for the mapping");
    if (sections && m.sections.element == names::kFacts)
        conflict(out, m.sections.line, "sections write element <facts>, which the XML uses for the plan facts",
                 "choose another element= for the sections");
    if (sections && m.sections.element == names::kHeaders)
        conflict(out, m.sections.line, "sections write element <headers>, which the XML uses for the tables' headers",
                 "choose another element= for the sections");
    return out;
}

std::string mapping_xsd(const Mapping& mapping) {
    if (auto conflicts = xml_name_conflicts(mapping); !conflicts.empty()) throw MappingError(mapping.file, conflicts);
    std::string xsd;
    XmlTextOutput out([&xsd](std::string_view bytes) { xsd.append(bytes); });
    SchemaWriter(mapping, out).write();
    out.finish();
    return xsd;
}

}  // namespace planconv
