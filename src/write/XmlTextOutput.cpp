// XmlTextOutput over xmlTextWriter and a callback output buffer.
#include "write/XmlTextOutput.hpp"

#include "parse/Text.hpp"

#include <libxml/xmlwriter.h>

namespace planconv {

namespace {

const xmlChar* x(const std::string& s) { return reinterpret_cast<const xmlChar*>(s.c_str()); }

bool allowed_in_xml(char32_t cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
           (cp >= 0x10000 && cp <= 0x10FFFF);
}

bool needs_sanitising(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x80) {
            ++i;
            continue;
        }
        Utf8Char u = decode_utf8(s, i);
        if (!u.valid || !allowed_in_xml(u.cp)) return true;
        i += u.len;
    }
    return false;
}

void ignore_libxml_message(void*, const char*, ...) {}

}  // namespace

std::string xml_safe(std::string_view s) {
    if (!needs_sanitising(s)) return std::string(s);
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        Utf8Char u = decode_utf8(s, i);
        append_utf8(out, u.valid && allowed_in_xml(u.cp) ? u.cp : char32_t(0xFFFD));
        i += u.len;
    }
    return out;
}

XmlTextOutput::XmlTextOutput(Sink sink, bool xml_declaration) : sink_(std::move(sink)) {
    xmlOutputBufferPtr out = xmlOutputBufferCreateIO(&XmlTextOutput::write_callback, nullptr, this, nullptr);
    if (!out) throw XmlWriteError("cannot create an XML output buffer");
    writer_ = xmlNewTextWriter(out);  // owns `out` from here on
    if (!writer_) {
        xmlOutputBufferClose(out);
        throw XmlWriteError("cannot create an XML writer");
    }
    try {
        check(xmlTextWriterSetIndent(writer_, 1), "set indentation");
        check(xmlTextWriterSetIndentString(writer_, reinterpret_cast<const xmlChar*>("  ")), "set indentation");
        if (xml_declaration)
            check(xmlTextWriterStartDocument(writer_, nullptr, "UTF-8", nullptr), "start the document");
    } catch (...) {
        xmlFreeTextWriter(writer_);
        throw;
    }
    // Last, so that a constructor that throws has nothing to restore.
    saved_error_handler_ = xmlGenericError;
    saved_error_context_ = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(nullptr, ignore_libxml_message);
}

XmlTextOutput::~XmlTextOutput() {
    if (writer_) xmlFreeTextWriter(writer_);
    xmlSetGenericErrorFunc(saved_error_context_, saved_error_handler_);
}

int XmlTextOutput::write_callback(void* context, const char* buffer, int len) {
    auto* self = static_cast<XmlTextOutput*>(context);
    // Exceptions must not cross libxml2's C frames: keep it, fail the write, rethrow later.
    try {
        self->sink_(std::string_view(buffer, std::size_t(len)));
        return len;
    } catch (...) {
        if (!self->sink_error_) self->sink_error_ = std::current_exception();
        return -1;
    }
}

void XmlTextOutput::check(int rc, const char* what) {
    if (rc >= 0) return;
    if (sink_error_) std::rethrow_exception(sink_error_);
    throw XmlWriteError(std::string("XML writer failed to ") + what);
}

XmlTextOutput& XmlTextOutput::start(std::string_view element) {
    scratch_.assign(element);
    check(xmlTextWriterStartElement(writer_, x(scratch_)), "start an element");
    return *this;
}

XmlTextOutput& XmlTextOutput::attribute(std::string_view name, std::string_view value) {
    const std::string n(name);
    scratch_ = xml_safe(value);
    check(xmlTextWriterWriteAttribute(writer_, x(n), x(scratch_)), "write an attribute");
    return *this;
}

XmlTextOutput& XmlTextOutput::text(std::string_view content) {
    scratch_ = xml_safe(content);
    check(xmlTextWriterWriteString(writer_, x(scratch_)), "write text");
    return *this;
}

XmlTextOutput& XmlTextOutput::end() {
    check(xmlTextWriterEndElement(writer_), "end an element");
    return *this;
}

XmlTextOutput& XmlTextOutput::element(std::string_view name, std::string_view content) {
    return start(name).text(content).end();
}

void XmlTextOutput::finish() {
    check(xmlTextWriterEndDocument(writer_), "end the document");
    check(xmlTextWriterFlush(writer_), "flush");
    // Freeing the writer closes its output buffer, which may still hold bytes to send.
    xmlFreeTextWriter(writer_);
    writer_ = nullptr;
    if (sink_error_) std::rethrow_exception(sink_error_);
}

}  // namespace planconv
