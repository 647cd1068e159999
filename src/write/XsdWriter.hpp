// XsdWriter: the XML Schema of the document XML that DocumentXmlWriter produces for a mapping
// (`planconv mappings xsd NAME`). Element and attribute names come from the mapping; field
// contents and attributes from each field type's declared shape (mapping/FieldTyper.hpp); the
// order is the order the writer uses. No target namespace, like the documents themselves. Two
// roots are declared: the mapping's own (one return) and <consolidation> (convert --consolidate).
#pragma once

#include "mapping/Mapping.hpp"
#include "mapping/MappingLoader.hpp"

#include <string>
#include <vector>

namespace planconv {

// The XSD text. Throws MappingError when the mapping's XML names collide (see below).
std::string mapping_xsd(const Mapping& mapping);

// XML names that would make the document ambiguous: two columns of a table with one element
// name, a table element reused by another table, or a mapping name equal to a fixed name
// (facts, headers, claim, consolidation) in the same place. Each with the mapping file's line.
std::vector<MappingDiagnostic> xml_name_conflicts(const Mapping& mapping);

}  // namespace planconv
