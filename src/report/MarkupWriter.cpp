// xmlTextWriter over an in-memory buffer.
#include "report/MarkupWriter.hpp"

#include "parse/Text.hpp"

#include <libxml/xmlwriter.h>

#include <stdexcept>

namespace planconv {

namespace {
const xmlChar* x(const std::string& s) { return reinterpret_cast<const xmlChar*>(s.c_str()); }
}  // namespace

std::string xml_safe_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        Utf8Char c = decode_utf8(s, i);
        i += c.len;
        char32_t cp = c.valid ? c.cp : 0xFFFD;
        bool legal = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                     (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
        if (legal) append_utf8(out, cp);
    }
    return out;
}

MarkupWriter::MarkupWriter(bool xml_declaration) {
    buffer_ = xmlBufferCreate();
    writer_ = buffer_ ? xmlNewTextWriterMemory(buffer_, 0) : nullptr;
    if (!writer_) throw std::runtime_error("cannot create an XML writer");
    xmlTextWriterSetIndent(writer_, 1);
    xmlTextWriterSetIndentString(writer_, reinterpret_cast<const xmlChar*>("  "));
    if (xml_declaration) xmlTextWriterStartDocument(writer_, nullptr, "UTF-8", nullptr);
}

MarkupWriter::~MarkupWriter() {
    if (writer_) xmlFreeTextWriter(writer_);
    if (buffer_) xmlBufferFree(buffer_);
}

MarkupWriter& MarkupWriter::open(std::string_view element) {
    xmlTextWriterStartElement(writer_, x(std::string(element)));
    return *this;
}
MarkupWriter& MarkupWriter::attr(std::string_view name, std::string_view value) {
    xmlTextWriterWriteAttribute(writer_, x(std::string(name)), x(xml_safe_text(value)));
    return *this;
}
MarkupWriter& MarkupWriter::text(std::string_view t) {
    xmlTextWriterWriteString(writer_, x(xml_safe_text(t)));
    return *this;
}
MarkupWriter& MarkupWriter::raw(std::string_view markup) {
    xmlTextWriterWriteRaw(writer_, x(std::string(markup)));
    return *this;
}
MarkupWriter& MarkupWriter::close() {
    xmlTextWriterEndElement(writer_);
    return *this;
}
MarkupWriter& MarkupWriter::element(std::string_view name, std::string_view t) { return open(name).text(t).close(); }

std::string MarkupWriter::finish() {
    xmlTextWriterEndDocument(writer_);
    xmlTextWriterFlush(writer_);
    return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer_)), std::size_t(xmlBufferLength(buffer_)));
}

}  // namespace planconv
