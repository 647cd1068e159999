// XmlStream: xmlTextReader with no DTD, no entity substitution, no network, and <!DOCTYPE>
// refused outright (XML_PARSE_NONET; neither NOENT nor DTDLOAD is ever set).
#include "read/XmlStream.hpp"

#include "parse/Text.hpp"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include <mutex>

namespace planconv {

namespace {

const char* cstr(const xmlChar* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

enum class Prolog { NeedMore, Clean, HasDoctype };

// Scans the prolog (XML declaration, comments, processing instructions, white space) up to the
// root element for a <!DOCTYPE. libxml2 parses ahead of what the reader has reported, so by
// the time the DOCTYPE node reaches next() the entities it declares may already have been
// expanded; refusing here, before libxml2 sees the bytes, means a billion-laughs DOCTYPE is never
// parsed at all. (An encoding other than UTF-8 is left to the node check in next().)
Prolog scan_prolog(std::string_view s) {
    std::size_t i = s.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // UTF-8 byte-order mark
    for (;;) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
        if (i >= s.size()) return Prolog::NeedMore;
        if (s[i] != '<') return Prolog::Clean;  // not XML: libxml2 reports it
        std::string_view rest = s.substr(i);
        std::string_view close;
        if (rest.starts_with("<?")) close = "?>";
        else if (rest.starts_with("<!--")) close = "-->";
        if (!close.empty()) {
            auto end = rest.find(close, 2);
            if (end == std::string_view::npos) return Prolog::NeedMore;
            i += end + close.size();
            continue;
        }
        if (rest.size() < 9) return Prolog::NeedMore;
        return rest.starts_with("<!DOCTYPE") ? Prolog::HasDoctype : Prolog::Clean;
    }
}

}  // namespace

struct XmlStreamCallbacks {
    static int read(void* ctx, char* buffer, int len) {
        auto* self = static_cast<XmlStream*>(ctx);
        try {
            std::size_t got = self->source_.read(buffer, std::size_t(len));
            if (got == 0) self->source_ended_ = true;
            self->bytes_read_ += got;
            if (!self->prolog_checked_ && !check_prolog(*self, std::string_view(buffer, got))) return -1;
            return int(got);
        } catch (const ReadError& e) {
            self->error_ = e.what();
            return -1;
        }
    }
    // False (and the error set) when the part declares a DOCTYPE.
    static bool check_prolog(XmlStream& self, std::string_view chunk) {
        constexpr std::size_t kLongestProlog = 64 << 10;  // past this, the node check in next() remains
        self.prolog_.append(chunk);
        Prolog p = scan_prolog(self.prolog_);
        if (p == Prolog::NeedMore && !chunk.empty() && self.prolog_.size() < kLongestProlog) return true;
        self.prolog_checked_ = true;
        self.prolog_.clear();
        self.prolog_.shrink_to_fit();
        if (p != Prolog::HasDoctype) return true;
        self.error_ = doctype_refused(self.part_);
        return false;
    }
    static std::string doctype_refused(const std::string& part) {
        return "part '" + part + "' contains a document type declaration (<!DOCTYPE>), which is refused for safety";
    }
    static int close(void*) { return 0; }
    static void error(void* ctx, const char* msg, xmlParserSeverities severity, xmlTextReaderLocatorPtr loc) {
        auto* self = static_cast<XmlStream*>(ctx);
        if (severity != XML_PARSER_SEVERITY_ERROR && severity != XML_PARSER_SEVERITY_VALIDITY_ERROR) return;
        if (!self->error_.empty()) return;
        // libxml2's messages can run over lines ("...\nBytes: 0xC3 0x28"); a refusal is one line.
        std::string m = collapse_whitespace(msg ? msg : "");
        if (m.empty()) m = "malformed XML";
        self->error_ = "part '" + self->part_ + "' is not well-formed XML (line " +
                       std::to_string(xmlTextReaderLocatorLineNumber(loc)) + ": " + m + ")";
        // An error where the bytes run out means the part stops in the middle of its XML.
        if (self->source_ended_ && xmlTextReaderByteConsumed(self->reader_) + 16 >= long(self->bytes_read_))
            self->error_ += "; it stops in the middle, so the file may be truncated";
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

void XmlStream::fail_text_too_long(std::uint64_t max_bytes) const {
    fail("part '" + part_ + "' has a text of more than " + grouped(max_bytes) + " bytes (line " +
         std::to_string(line()) + "), more than the limit for one cell");
}

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
    case XML_READER_TYPE_DOCUMENT_TYPE: fail(XmlStreamCallbacks::doctype_refused(part_));
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
XmlStream::Name XmlStream::intern(const char* local) {
    Name n;
    n.interned_ = xmlTextReaderConstString(reader_, reinterpret_cast<const xmlChar*>(local));
    return n;
}

const void* XmlStream::current_name() const { return xmlTextReaderConstLocalName(reader_); }

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

namespace {

// The attribute's value as one piece of text; libxml2 keeps it in several nodes only when it had
// entity references, and then `assembled` keeps the joined copy alive.
std::string_view attribute_value(const xmlNode* element, const xmlAttr* a, std::deque<std::string>& assembled) {
    const xmlNode* child = a->children;
    if (!child) return std::string_view("", 0);
    if (!child->next && child->type == XML_TEXT_NODE) return cstr(child->content);
    xmlChar* joined = xmlNodeListGetString(element->doc, child, 1);
    assembled.emplace_back(cstr(joined));
    xmlFree(joined);
    return assembled.back();
}

// One pass over the element's attribute list (directly: xmlTextReaderMoveToNextAttribute costs
// several calls per attribute, which shows in a 300,000-cell sheet). `matches(i, attr)` says
// whether the attribute is the i-th wanted one.
template <class Matches>
std::size_t collect_attributes(const xmlNode* element, std::size_t wanted, std::span<std::string_view> values,
                               std::deque<std::string>& assembled, Matches&& matches) {
    for (auto& v : values) v = {};
    if (!element || element->type != XML_ELEMENT_NODE) return 0;
    if (!assembled.empty()) assembled.clear();
    std::size_t found = 0;
    for (const xmlAttr* a = element->properties; a; a = a->next) {
        for (std::size_t i = 0; i < wanted && i < values.size(); ++i) {
            if (values[i].data() || !matches(i, a)) continue;
            values[i] = attribute_value(element, a, assembled);
            ++found;
            break;
        }
    }
    return found;
}

}  // namespace

std::size_t XmlStream::attributes(std::span<const std::string_view> names, std::span<std::string_view> values) {
    const xmlNode* element = node_ == Node::Element ? xmlTextReaderCurrentNode(reader_) : nullptr;
    return collect_attributes(element, names.size(), values, assembled_,
                              [&](std::size_t i, const xmlAttr* a) { return names[i] == cstr(a->name); });
}

std::size_t XmlStream::attributes(std::span<const Name> names, std::span<std::string_view> values) {
    const xmlNode* element = node_ == Node::Element ? xmlTextReaderCurrentNode(reader_) : nullptr;
    return collect_attributes(element, names.size(), values, assembled_,
                              [&](std::size_t i, const xmlAttr* a) { return names[i].interned_ == a->name; });
}

void XmlStream::read_text(std::string& out, std::uint64_t max_bytes) {
    out.clear();
    if (node_ != Node::Element || is_empty_element()) return;
    int d = depth();
    while (next()) {
        if (node_ == Node::EndElement && depth() == d) break;
        if (node_ == Node::Text) {
            out += value();
            if (out.size() > max_bytes) fail_text_too_long(max_bytes);
        }
    }
}

std::string XmlStream::text_content() {
    std::string out;
    read_text(out, max_text_);
    return out;
}

void XmlStream::skip() {
    if (node_ != Node::Element || is_empty_element()) return;
    int d = depth();
    while (next())
        if (node_ == Node::EndElement && depth() == d) break;
}

}  // namespace planconv
