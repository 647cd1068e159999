// The shared-strings part (xl/sharedStrings.xml) and the rich-text string type it shares with
// inline strings (CT_Rst: <si>/<is> holding <t>, or runs <r><t>, and phonetic runs <rPh>).
#pragma once

#include "read/XmlStream.hpp"
#include "read/ZipArchive.hpp"
#include "model/Workbook.hpp"

#include <cstdint>
#include <string>

namespace planconv {

// Where a workbook's shared-strings table sits in its string pool: shared string i is
// wb.strings()[first + i], each text stored once however many cells use it.
struct SharedStrings {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
};
// Appends every string of the part to `out`, in order; returns how many.
std::uint32_t read_shared_strings(ZipArchive& zip, const std::string& part, StringPool& out);

// Reads the text of CT_Rst elements (<si>, <is>) from one stream: the plain <t>, or the <t> of
// each run <r> concatenated, without phonetic runs (<rPh>, furigana); `_xHHHH_` escapes decoded.
class RichTextReader {
public:
    RichTextReader(XmlStream& xml, std::uint64_t max_bytes);
    // The stream is on the start of the element; leaves it on the element's end.
    void read(std::string& out);

private:
    XmlStream& xml_;
    std::uint64_t max_bytes_;
    XmlStream::Name t_, r_;
    std::string piece_;  // reused between calls
};

// Decodes ECMA-376's `_xHHHH_` escapes in place (Excel writes a carriage return as "_x000D_",
// and a literal "_x000D_" as "_x005F_x000D_"); UTF-16 surrogate pairs become one character.
void decode_ooxml_escapes(std::string& s);

}  // namespace planconv
