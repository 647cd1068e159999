// The OPC package layer of an xlsx file: relationship parts (`_rels/*.rels`) and XML parts
// opened for streaming.
//
// Parts are always found by following relationships from the package root
// (`_rels/.rels` -> officeDocument -> its rels -> worksheets, sharedStrings, styles), never by
// assuming Excel's file names: other producers name them differently. Relationship types are
// matched on their last segment, which is the same in the transitional
// (http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet) and strict
// (http://purl.oclc.org/ooxml/officeDocument/relationships/worksheet) vocabularies.
#pragma once

#include "read/XmlStream.hpp"
#include "read/ZipArchive.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace planconv {

struct Relationship {
    std::string id;      // "rId3"
    std::string kind;    // last segment of the type: "worksheet", "sharedStrings", "officeDocument"
    std::string target;  // the part it points to, resolved to a zip entry name ("xl/worksheets/sheet1.xml")
};

// The relationships of `source_part` ("" for the package itself), from its .rels part.
// External targets (hyperlinks, linked files) are left out: they are not parts. A missing .rels
// part is no relationships.
std::vector<Relationship> read_relationships(ZipArchive& zip, std::string_view source_part);

// The .rels part that holds the relationships of `part`: "xl/workbook.xml" ->
// "xl/_rels/workbook.xml.rels", "" -> "_rels/.rels".
std::string relationships_part_for(std::string_view part);

const Relationship* find_by_kind(const std::vector<Relationship>& rels, std::string_view kind);
const Relationship* find_by_id(const std::vector<Relationship>& rels, std::string_view id);

// An XML part inflated and parsed as it is read, for parts of any size.
class XmlPart {
public:
    XmlPart(ZipArchive& zip, const std::string& part, std::uint64_t max_text_bytes);
    XmlStream& xml() { return xml_; }
    // Advances to the root element and returns its local name; fails on an empty part.
    std::string_view root();
    // True when the current element is in the SpreadsheetML main namespace (transitional or strict).
    bool in_spreadsheet_namespace() const;

private:
    std::unique_ptr<ZipEntryReader> entry_;
    XmlStream xml_;
};

// Whether an xsd:boolean attribute value is true ("1", "true").
bool xml_true(std::string_view v);

}  // namespace planconv
