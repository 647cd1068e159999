// XmlDocumentReader: planconv's own document XML (DocumentXmlWriter) read back into a Document,
// so that next quarter's return template can be made from this quarter's XML
// (`planconv template --from FILE.xml`).
//
// What comes back: the plan facts, each table's header texts and cells (XML written before
// planconv kept them has none: header_texts stays empty), the sections with their claims, and
// every record of every table with its sub-records, section, group and kind, each field's
// source cell from `src`.
// A field's `raw` is what a return should show again: for text-like types (text, richtext,
// id, enum) the normalised text (markup already turned into lines and bullets); for the others
// the text as written (`raw=`) — "April 2022 [AP]" rather than its ISO period, "Amber (Central
// Government Delay)" rather than Amber. A figure whose text is a plain number (a number cell's
// "2e+05", a percentage's raw= 0.75) comes back as the number cell it was, as rules read it from
// the workbook. The file is read with the hardened XmlStream: no DTD, no entities, no network;
// a file written for another mapping is refused.
#pragma once

#include "mapping/Mapping.hpp"
#include "model/Document.hpp"

#include <cstdint>
#include <filesystem>

namespace planconv {

// Throws ReadError (read/WorkbookReader.hpp) with a plain sentence when the file cannot be read,
// is not planconv XML, or was written with a different mapping.
Document read_document_xml(const std::filesystem::path& file, const Mapping& mapping,
                           std::uint64_t max_bytes = 512ull << 20);

}  // namespace planconv
