// The fixed names of planconv's document XML — everything that is not named by the mapping.
// The writer (DocumentXmlWriter) and the schema generator (XsdWriter) both use these, so the
// XML and its XSD cannot drift apart.
#pragma once

#include <string_view>

namespace planconv::xml_names {

// Elements.
inline constexpr std::string_view kConsolidation = "consolidation";  // root of a consolidated XML
inline constexpr std::string_view kFacts = "facts";  // plan facts, one child per fact name
// The header a table was read under, one per table: <headers record> holding a <header field>
// with the header's text per column found (record and field name the elements of its records).
inline constexpr std::string_view kHeaders = "headers";
inline constexpr std::string_view kHeader = "header";
inline constexpr std::string_view kClaim = "claim";  // a narrative claim inside a section
inline constexpr std::string_view kClaimText = "text";
inline constexpr std::string_view kClaimPart = "part";

// Attributes of the root.
inline constexpr std::string_view kMapping = "mapping";
inline constexpr std::string_view kSource = "source";
inline constexpr std::string_view kAsOf = "as_of";
inline constexpr std::string_view kPlanStart = "plan_start";
inline constexpr std::string_view kPlanEnd = "plan_end";

// Attributes of sections, records, claims and fields.
inline constexpr std::string_view kId = "id";
inline constexpr std::string_view kTitle = "title";
inline constexpr std::string_view kSrc = "src";
inline constexpr std::string_view kKind = "kind";
inline constexpr std::string_view kSection = "section";
inline constexpr std::string_view kGroup = "group";
inline constexpr std::string_view kName = "name";
inline constexpr std::string_view kValue = "value";
inline constexpr std::string_view kRaw = "raw";
inline constexpr std::string_view kInherited = "inherited";
inline constexpr std::string_view kParsed = "parsed";

// Attributes of headers.
inline constexpr std::string_view kRecord = "record";
inline constexpr std::string_view kField = "field";

}  // namespace planconv::xml_names
