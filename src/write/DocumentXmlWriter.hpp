// DocumentXmlWriter: a mapped Document as XML for publishing systems (SPEC §9 "XML").
//
// Shape (element names from the mapping; fixed names in model/DocumentXmlNames.hpp):
//   <ROOT mapping source as_of? plan_start? plan_end?>
//     <facts> <FACT src raw? parsed? ...typed>normalised</FACT>* </facts>
//     <headers record=RECORD>                         the header a table was read under, per table
//       <header field=FIELD src?>header text</header>*  columns found, in mapping order
//     </headers>*
//     <SECTION id title? src>
//       <claim name src> <text>…</text> <part name value?>five</part>* </claim>*
//       <RECORD src kind? section? group?>            one per record, tables in mapping order
//         <FIELD src raw? inherited? parsed? ...typed>normalised</FIELD>*   present fields only
//         <SUBRECORD id src> <FIELD …/>* </SUBRECORD>*
//       </RECORD>*
//     </SECTION>*
//     <RECORD …/>*                                    records outside any section
//   </ROOT>
// A field holds its normalised text, or — quantity and list — one child per observation/item
// (and then always `raw`). A value that does not read as its type is written empty with
// parsed="false" and its raw text. `planconv mappings xsd NAME` prints the schema (XsdWriter).
//
// A consolidation (`convert --consolidate NAME`) wraps the documents of several returns:
//   <consolidation name mapping>  <ROOT …/>* </consolidation>
// each ROOT exactly as that return's own XML has it, in the consolidation's order.
#pragma once

#include "model/Consolidation.hpp"
#include "model/Date.hpp"
#include "model/Document.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace planconv {

struct XmlWriteOptions {
    std::optional<Date> as_of;  // overrides the reporting date the workbook states (--as-of)
    std::string source;         // the source attribute; default: the input's file name
};

// Streams the XML to `sink` in chunks. Throws XmlWriteError (or what the sink throws).
void write_document_xml(const Document& doc, const std::function<void(std::string_view)>& sink,
                        const XmlWriteOptions& options = {});

// Writes the file atomically (temporary file beside it, then rename). Throws XmlWriteError or
// AtomicFileError; the final name is then untouched.
void write_document_xml(const Document& doc, const std::filesystem::path& file, const XmlWriteOptions& options = {});

// The whole XML as a string (tests, small documents).
std::string document_xml(const Document& doc, const XmlWriteOptions& options = {});

// The consolidated XML, likewise streamed, written atomically, or returned whole. Throws
// XmlWriteError when a return was mapped with another mapping than the consolidation's.
void write_consolidated_xml(const Consolidation& c, const std::function<void(std::string_view)>& sink);
void write_consolidated_xml(const Consolidation& c, const std::filesystem::path& file);
std::string consolidated_xml(const Consolidation& c);

}  // namespace planconv
