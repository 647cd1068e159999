// XmlStream: xmlTextReader with no DTD, no entity substitution, no network, and <!DOCTYPE>
// refused outright (XML_PARSE_NONET; neither NOENT nor DTDLOAD is ever set).
#include "io/XmlStream.hpp"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include <mutex>

namespace planconv {

namespace {
const char* cstr(const xmlChar* s) { return s ? reinterpret_cast<const char*>(s) : ""; }
}  // namespace

struct XmlStreamCallbacks {
    static int read(void* ctx, char* buffer, int len) {
        auto* self = static_cast<XmlStream*>(ctx);
        try {
            return int(self->source_.read(buffer, std::size_t(len)));
        } catch (const ReadError& e) {
            self->error_ = e.what();
            return -1;
        }
    }
    static int close(void*) { return 0; }
    static void error(void* ctx, const char* msg, xmlParserSeverities severity, xmlTextReaderLocatorPtr loc) {
        auto* self = static_cast<XmlStream*>(ctx);
        if (severity != XML_PARSER_SEVERITY_ERROR && severity != XML_PARSER_SEVERITY_VALIDITY_ERROR) return;
        if (!self->error_.empty()) return;
        std::string m = msg ? msg : "malformed XML";
        while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
        self->error_ = "part '" + self->part_ + "' is not well-formed XML (line " +
                       std::to_string(xmlTextReaderLocatorLineNumber(loc)) + ": " + m + ")";
    }
};

namespace {
void ignore_generic_error(void*, const char*, ...) {}
}  // namespace

void init_xml_library() {
    static std::once_flag once;
    std::call_once(once, [] {
        xmlInitParser();
        xmlSetGenericErrorFunc(nullptr, ignore_generic_error);
    });
}

XmlStream::XmlStream(ByteSource& source, std::string part, std::uint64_t max_text_bytes)
    : source_(source), part_(std::move(part)), max_text_(max_text_bytes) {
    init_xml_library();
    reader_ = xmlReaderForIO(&XmlStreamCallbacks::read, &XmlStreamCallbacks::close, this, nullptr, nullptr,
                             XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
    if (!reader_) throw ReadError("part '" + part_ + "' cannot be parsed");
    xmlTextReaderSetErrorHandler(reader_, &XmlStreamCallbacks::error, this);
}

XmlStream::~XmlStream() {
    if (reader_) xmlFreeTextReader(reader_);
}

void XmlStream::fail(const std::string& what) const { throw ReadError(what); }

bool XmlStream::next() {
    int rc = xmlTextReaderRead(reader_);
    if (rc < 0 || !error_.empty()) {
        if (error_.empty()) error_ = "part '" + part_ + "' is not well-formed XML (it may be truncated)";
        fail(error_);
    }
    if (rc == 0) return false;
    switch (xmlTextReaderNodeType(reader_)) {
    case XML_READER_TYPE_ELEMENT: node_ = Node::Element; break;
    case XML_READER_TYPE_END_ELEMENT: node_ = Node::EndElement; break;
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
    case XML_READER_TYPE_WHITESPACE: node_ = Node::Text; break;
    case XML_READER_TYPE_DOCUMENT_TYPE:
        fail("part '" + part_ + "' contains a document type declaration (<!DOCTYPE>), which is refused for safety");
    case XML_READER_TYPE_ENTITY_REFERENCE:
    case XML_READER_TYPE_ENTITY:
        fail("part '" + part_ + "' uses an XML entity, which is refused for safety");
    default: node_ = Node::Other; break;
    }
    return true;
}

int XmlStream::depth() const { return xmlTextReaderDepth(reader_); }
bool XmlStream::is_empty_element() const { return xmlTextReaderIsEmptyElement(reader_) == 1; }
std::string_view XmlStream::local_name() const { return cstr(xmlTextReaderConstLocalName(reader_)); }
std::string_view XmlStream::namespace_uri() const { return cstr(xmlTextReaderConstNamespaceUri(reader_)); }
std::string_view XmlStream::value() const { return cstr(xmlTextReaderConstValue(reader_)); }
int XmlStream::line() const { return xmlTextReaderGetParserLineNumber(reader_); }

void XmlStream::attributes(const std::function<void(std::string_view, std::string_view, std::string_view)>& fn) {
    if (xmlTextReaderHasAttributes(reader_) != 1) return;
    while (xmlTextReaderMoveToNextAttribute(reader_) == 1) {
        std::string_view ns = cstr(xmlTextReaderConstNamespaceUri(reader_));
        if (ns == "http://www.w3.org/2000/xmlns/") continue;  // namespace declarations
        fn(cstr(xmlTextReaderConstLocalName(reader_)), ns, cstr(xmlTextReaderConstValue(reader_)));
    }
    xmlTextReaderMoveToElement(reader_);
}

std::string XmlStream::attribute(std::string_view local) {
    std::string out;
    bool found = false;
    attributes([&](std::string_view name, std::string_view, std::string_view v) {
        if (!found && name == local) {
            out.assign(v);
            found = true;
        }
    });
    return out;
}

std::string XmlStream::text_content() {
    std::string out;
    if (node_ != Node::Element || is_empty_element()) return out;
    int d = depth();
    while (next()) {
        if (node_ == Node::EndElement && depth() == d) break;
        if (node_ == Node::Text) {
            out += value();
            if (out.size() > max_text_)
                fail("part '" + part_ + "' has a text of more than " + std::to_string(max_text_) +
                     " bytes (line " + std::to_string(line()) + ")");
        }
    }
    return out;
}

void XmlStream::skip() {
    if (node_ != Node::Element || is_empty_element()) return;
    int d = depth();
    while (next())
        if (node_ == Node::EndElement && depth() == d) break;
}

}  // namespace planconv
