// XmlStream: libxml2's SAX2 push parser with no DTD, no entity substitution, no network, and
// <!DOCTYPE> refused outright (XML_PARSE_NONET; neither NOENT nor DTDLOAD is ever set; the
// handlers for a DTD's parts refuse the part should one get past the prolog scan).
#include "read/XmlStream.hpp"

#include "parse/Text.hpp"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>

#include <mutex>

namespace planconv {

namespace {

const char* cstr(const xmlChar* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

enum class Prolog { NeedMore, Clean, HasDoctype };

// Scans the prolog (XML declaration, comments, processing instructions, white space) up to the
// root element for a <!DOCTYPE. Refusing here, before libxml2 sees the bytes, means a
// billion-laughs DOCTYPE is never parsed at all. (A prolog in an encoding other than UTF-8 is
// left to the DTD handlers below.)
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
    static constexpr int kMaxDepth = 256;  // xmlParserMaxDepth without XML_PARSE_HUGE

    static XmlStream& self(void* ctx) { return *static_cast<XmlStream*>(ctx); }

    // False (and the part refused) when it declares a DOCTYPE.
    static bool check_prolog(XmlStream& self, std::string_view block) {
        constexpr std::size_t kLongestProlog = 64 << 10;  // past this, the DTD handlers remain
        self.prolog_.append(block);
        Prolog p = scan_prolog(self.prolog_);
        if (p == Prolog::NeedMore && !block.empty() && self.prolog_.size() < kLongestProlog) return true;
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

    static void start_element(void* ctx, const xmlChar* local, const xmlChar*, const xmlChar* uri, int, const xmlChar**,
                              int attribute_count, int, const xmlChar** attributes) {
        XmlStream& x = self(ctx);
        // libxml2's bound on nesting, which its push parser leaves to the tree builder.
        if (x.depth_ >= kMaxDepth) {
            x.stop("part '" + x.part_ + "' is not well-formed XML (line " + std::to_string(xmlSAX2GetLineNumber(x.ctxt_)) +
                   ": elements nested more than " + std::to_string(kMaxDepth) + " deep)");
            return;
        }
        XmlStream::Event& e = x.events_.emplace_back();
        e.kind = XmlStream::Node::Element;
        e.depth = x.depth_++;
        e.line = xmlSAX2GetLineNumber(x.ctxt_);
        e.name = cstr(local);
        e.uri = x.interned_uri(uri);
        e.first_attribute = std::uint32_t(x.attributes_.size());
        e.attribute_count = std::uint32_t(attribute_count);
        // Five pointers an attribute: local name, prefix, URI, value, end of the value.
        for (int i = 0; i < attribute_count; ++i) {
            const xmlChar** a = attributes + 5 * i;
            std::string_view value(cstr(a[3]), std::size_t(a[4] - a[3]));
            std::size_t at = x.arena_.size();
            if (value.find('&') == std::string_view::npos) {
                x.arena_.append(value);
            } else {
                // Without entity substitution libxml2 hands an ampersand over as "&#38;" (every
                // other reference is resolved, or refused, by then).
                for (std::size_t k = 0; k < value.size();) {
                    if (value.compare(k, 5, "&#38;") == 0) {
                        x.arena_ += '&';
                        k += 5;
                    } else {
                        x.arena_ += value[k++];
                    }
                }
            }
            x.attributes_.push_back({cstr(a[0]), x.interned_uri(a[2]), at, x.arena_.size() - at});
        }
    }

    static void end_element(void* ctx, const xmlChar* local, const xmlChar*, const xmlChar* uri) {
        XmlStream& x = self(ctx);
        --x.depth_;
        // <c/> (or <c></c>) is one node, as xmlTextReader reports it: an empty element with no end.
        if (x.events_.size() > x.pos_) {
            XmlStream::Event& last = x.events_.back();
            if (last.kind == XmlStream::Node::Element && last.depth == x.depth_ && !last.empty) {
                last.empty = true;
                return;
            }
        }
        XmlStream::Event& e = x.events_.emplace_back();
        e.kind = XmlStream::Node::EndElement;
        e.depth = x.depth_;
        e.line = xmlSAX2GetLineNumber(x.ctxt_);
        e.name = cstr(local);
        e.uri = x.interned_uri(uri);
    }

    // Text (and CDATA, and white space) in one node until the next element starts or ends.
    static void characters(void* ctx, const xmlChar* text, int size) {
        XmlStream& x = self(ctx);
        if (x.events_.size() <= x.pos_ || x.events_.back().kind != XmlStream::Node::Text) {
            XmlStream::Event& e = x.events_.emplace_back();
            e.kind = XmlStream::Node::Text;
            e.depth = x.depth_;
            e.line = xmlSAX2GetLineNumber(x.ctxt_);
            e.text = x.arena_.size();
        }
        XmlStream::Event& e = x.events_.back();
        x.arena_.append(cstr(text), std::size_t(size));
        e.text_size += std::size_t(size);
        // libxml2's own bound on one text node, which its tree builder would apply.
        if (e.text_size > XML_MAX_TEXT_LENGTH)
            x.stop("part '" + x.part_ + "' is not well-formed XML (line " + std::to_string(e.line) +
                   ": a text of more than " + grouped(XML_MAX_TEXT_LENGTH) + " bytes)");
    }

    static void dtd(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
        self(ctx).stop(doctype_refused(self(ctx).part_));
    }
    static void entity_declared(void* ctx, const xmlChar*, int, const xmlChar*, const xmlChar*, xmlChar*) {
        self(ctx).stop(doctype_refused(self(ctx).part_));
    }
    static void entity_used(void* ctx, const xmlChar*) {
        self(ctx).stop("part '" + self(ctx).part_ + "' uses an XML entity, which is refused for safety");
    }

    static void error(void* ctx, xmlErrorPtr e) {
        XmlStream& x = self(ctx);
        if (!e || e->level < XML_ERR_ERROR || !x.error_.empty()) return;
        // libxml2's messages can run over lines ("...\nBytes: 0xC3 0x28"); a refusal is one line.
        std::string m = collapse_whitespace(e->message ? e->message : "");
        if (m.empty()) m = "malformed XML";
        x.error_ = "part '" + x.part_ + "' is not well-formed XML (line " + std::to_string(e->line) + ": " + m + ")";
        // An error once the bytes have run out means the part stops in the middle of its XML.
        if (x.terminating_) x.error_ += "; it stops in the middle, so the file may be truncated";
    }

    static xmlSAXHandler handler() {
        xmlSAXHandler h{};
        h.initialized = XML_SAX2_MAGIC;
        h.startElementNs = start_element;
        h.endElementNs = end_element;
        h.characters = characters;
        h.ignorableWhitespace = characters;
        h.cdataBlock = characters;
        h.internalSubset = dtd;
        h.externalSubset = dtd;
        h.entityDecl = entity_declared;
        h.reference = entity_used;
        h.serror = error;
        return h;
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
    static xmlSAXHandler sax = XmlStreamCallbacks::handler();
    // No bytes yet: libxml2 detects the encoding from the first block it is handed.
    ctxt_ = xmlCreatePushParserCtxt(&sax, this, nullptr, 0, nullptr);
    if (!ctxt_) throw ReadError("part '" + part_ + "' cannot be parsed");
    xmlCtxtUseOptions(ctxt_, XML_PARSE_NONET);
    block_.resize(64 << 10);
    events_.reserve(1024);
}

XmlStream::~XmlStream() {
    if (ctxt_) xmlFreeParserCtxt(ctxt_);
}

void XmlStream::fail(const std::string& what) const { throw ReadError(what); }

void XmlStream::fail_text_too_long(std::uint64_t max_bytes) const {
    fail("part '" + part_ + "' has a text of more than " + grouped(max_bytes) + " bytes (line " +
         std::to_string(line()) + "), more than the limit for one cell");
}

void XmlStream::stop(std::string error) {
    if (error_.empty()) error_ = std::move(error);
    xmlStopParser(ctxt_);
}

const char* XmlStream::interned_uri(const unsigned char* uri) {
    if (!uri) return "";
    if (uri == last_uri_) return last_interned_uri_;
    // Namespace names come from libxml2's dictionary, where they live as long as the parser (and
    // so may be remembered by address); one that does not is looked up there.
    if (xmlDictOwns(ctxt_->dict, uri) != 1) return cstr(xmlDictLookup(ctxt_->dict, uri, -1));
    last_uri_ = uri;
    last_interned_uri_ = cstr(uri);
    return last_interned_uri_;
}

void XmlStream::feed() {
    std::size_t got = 0;
    try {
        got = source_.read(block_.data(), block_.size());
    } catch (const ReadError& e) {
        error_ = e.what();
        fail(error_);
    }
    if (!prolog_checked_ && !XmlStreamCallbacks::check_prolog(*this, std::string_view(block_.data(), got))) fail(error_);
    terminating_ = got == 0;
    int rc = xmlParseChunk(ctxt_, block_.data(), int(got), terminating_ ? 1 : 0);
    if (!error_.empty()) fail(error_);
    if (rc != 0 || (terminating_ && !ctxt_->wellFormed))
        fail("part '" + part_ + "' is not well-formed XML (it may be truncated)");
    finished_ = terminating_;
}

void XmlStream::compact() {
    if (pos_ == 0) return;
    if (pos_ >= events_.size()) {
        events_.clear();
        attributes_.clear();
        arena_.clear();
        pos_ = 0;
        return;
    }
    // The nodes not yet handed out, with their texts and attributes, move to the front.
    std::string arena;
    std::vector<Attribute> attributes;
    for (std::size_t i = pos_; i < events_.size(); ++i) {
        Event& e = events_[i];
        std::size_t at = arena.size();
        arena.append(arena_, e.text, e.text_size);
        e.text = at;
        auto first = std::uint32_t(attributes.size());
        for (std::uint32_t k = 0; k < e.attribute_count; ++k) {
            Attribute a = attributes_[e.first_attribute + k];
            std::size_t v = arena.size();
            arena.append(arena_, a.value, a.size);
            a.value = v;
            attributes.push_back(a);
        }
        e.first_attribute = first;
    }
    events_.erase(events_.begin(), events_.begin() + std::ptrdiff_t(pos_));
    attributes_ = std::move(attributes);
    arena_ = std::move(arena);
    pos_ = 0;
}

bool XmlStream::next() {
    for (;;) {
        // The newest node waits for the next block while it may still grow: a text continued, or
        // an element found empty.
        if (pos_ + 1 < events_.size() || (finished_ && pos_ < events_.size())) {
            node_ = events_[pos_++].kind;
            return true;
        }
        if (finished_) {
            node_ = Node::Other;
            return false;
        }
        compact();
        feed();
    }
}

int XmlStream::depth() const { return current().depth; }
bool XmlStream::is_empty_element() const { return node_ == Node::Element && current().empty; }
std::string_view XmlStream::local_name() const { return node_ == Node::Text ? std::string_view() : current().name; }
std::string_view XmlStream::namespace_uri() const { return current().uri; }
std::string_view XmlStream::value() const {
    const Event& e = current();
    return e.kind == Node::Text ? arena_view(e.text, e.text_size) : std::string_view();
}
XmlStream::Name XmlStream::intern(const char* local) {
    Name n;
    n.interned_ = xmlDictLookup(ctxt_->dict, reinterpret_cast<const xmlChar*>(local), -1);
    return n;
}

int XmlStream::line() const { return pos_ ? current().line : xmlSAX2GetLineNumber(ctxt_); }

void XmlStream::attributes(const std::function<void(std::string_view, std::string_view, std::string_view)>& fn) {
    if (node_ != Node::Element) return;
    const Event& e = current();
    for (std::uint32_t k = 0; k < e.attribute_count; ++k) {
        const Attribute& a = attributes_[e.first_attribute + k];
        fn(a.name, a.uri, arena_view(a.value, a.size));
    }
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

// One pass over the element's attributes: values[i] gets the first whose `matches(i, name)`.
// A value found empty is still non-null, so that found and absent differ.
template <class Attribute, class View, class Matches>
std::size_t collect_attributes(std::span<const Attribute> attributes, std::size_t wanted, std::span<std::string_view> values,
                               View&& view, Matches&& matches) {
    for (auto& v : values) v = {};
    std::size_t found = 0;
    for (const Attribute& a : attributes) {
        for (std::size_t i = 0; i < wanted && i < values.size(); ++i) {
            if (values[i].data() || !matches(i, a.name)) continue;
            values[i] = view(a);
            ++found;
            break;
        }
    }
    return found;
}

}  // namespace

std::size_t XmlStream::attributes(std::span<const std::string_view> names, std::span<std::string_view> values) {
    std::span<const Attribute> mine;
    if (node_ == Node::Element) mine = {attributes_.data() + current().first_attribute, current().attribute_count};
    return collect_attributes(mine, names.size(), values, [&](const Attribute& a) { return arena_view(a.value, a.size); },
                              [&](std::size_t i, const char* name) { return names[i] == name; });
}

std::size_t XmlStream::attributes(std::span<const Name> names, std::span<std::string_view> values) {
    std::span<const Attribute> mine;
    if (node_ == Node::Element) mine = {attributes_.data() + current().first_attribute, current().attribute_count};
    return collect_attributes(mine, names.size(), values, [&](const Attribute& a) { return arena_view(a.value, a.size); },
                              [&](std::size_t i, const char* name) { return names[i].interned_ == name; });
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
