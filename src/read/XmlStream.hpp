// A forward-only, hardened XML pull parser over libxml2's SAX2 push parser.
//
// Never builds a tree, never loads a DTD or resolves entities, never touches the network, and
// refuses any document with a <!DOCTYPE>. Errors become ReadError naming the part and line.
// libxml2 is handed a block of the part at a time; the nodes it reports are kept (names
// interned in its dictionary, texts and attribute values copied) and handed out by next(), which
// is about twice as fast as xmlTextReader, whose tree of nodes is built and freed on every node.
#pragma once

#include "read/ZipArchive.hpp"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

typedef struct _xmlParserCtxt xmlParserCtxt;

namespace planconv {

class XmlStream {
public:
    enum class Node { Element, EndElement, Text, Other };

    // Parses bytes pulled from `source`; `part` names the part in messages.
    XmlStream(ByteSource& source, std::string part, std::uint64_t max_text_bytes);
    ~XmlStream();
    XmlStream(const XmlStream&) = delete;
    XmlStream& operator=(const XmlStream&) = delete;

    // Advances to the next node; false at the end of the document.
    bool next();

    Node node() const { return node_; }
    int depth() const;
    bool is_empty_element() const;  // <c r="A1"/>
    std::string_view local_name() const;
    std::string_view namespace_uri() const;
    std::string_view value() const;  // text of a Text node (text, CDATA, significant whitespace)
    int line() const;

    bool is_element(std::string_view local) const { return node_ == Node::Element && local_name() == local; }

    // An element name looked up once in the parser's name table: comparing the current node's
    // name with it is one pointer comparison instead of a string comparison, for hot loops.
    class Name {
        const void* interned_ = nullptr;
        friend class XmlStream;
    };
    Name intern(const char* local);
    // attributes() for interned names: the fastest form, for per-cell attributes (r, t, s).
    std::size_t attributes(std::span<const Name> names, std::span<std::string_view> values);
    bool is_element(Name n) const { return node_ == Node::Element && current_name() == n.interned_; }
    bool has_name(Name n) const { return current_name() == n.interned_; }
    bool is_end(std::string_view local) const { return node_ == Node::EndElement && local_name() == local; }

    // Calls fn(local_name, namespace_uri, value) for each attribute of the current element.
    void attributes(const std::function<void(std::string_view, std::string_view, std::string_view)>& fn);
    // The value of the first attribute with this local name (any namespace), "" if absent.
    std::string attribute(std::string_view local);
    // The fast path for hot loops (a worksheet's <c r="B7" s="3" t="s">): one pass over the
    // current element's attributes, values[i] set to the attribute whose local name is names[i]
    // (any namespace), or left empty. No allocation in the usual case; the views stay valid
    // until the next call to next(). Returns how many of the names were found.
    std::size_t attributes(std::span<const std::string_view> names, std::span<std::string_view> values);

    // Like text_content(), but into a caller's buffer (cleared first) that is reused across
    // calls, and with an explicit cap on the bytes collected.
    void read_text(std::string& out, std::uint64_t max_bytes);

    // All text inside the current element (which must be a start element), moving past its end.
    std::string text_content();
    // Moves past the end of the current element without reading its content.
    void skip();

    const std::string& part() const { return part_; }
    [[noreturn]] void fail(const std::string& what) const;
    // The error for a text longer than a reader's limit, naming the part and line.
    [[noreturn]] void fail_text_too_long(std::uint64_t max_bytes) const;

private:
    // A node as libxml2 reported it. Names point into libxml2's dictionary (they live as long as
    // the parser); a text or an attribute value is a range of `arena_`.
    struct Event {
        Node kind = Node::Other;
        bool empty = false;  // an element whose end came straight after its start
        int depth = 0;
        int line = 0;
        const char* name = "";
        const char* uri = "";
        std::uint32_t first_attribute = 0, attribute_count = 0;
        std::size_t text = 0, text_size = 0;
    };
    struct Attribute {
        const char* name;
        const char* uri;
        std::size_t value, size;
    };

    const void* current_name() const { return current().name; }
    // The node next() moved to; before the first call, a node of no kind.
    const Event& current() const {
        static const Event kNone;
        return pos_ ? events_[pos_ - 1] : kNone;
    }
    std::string_view arena_view(std::size_t at, std::size_t size) const { return {arena_.data() + at, size}; }
    void feed();      // hands libxml2 the next block of the part, or tells it the part has ended
    void compact();   // drops the nodes handed out, keeping the one not yet handed out
    const char* interned_uri(const unsigned char* uri);
    void stop(std::string error);  // refuses the part: libxml2 stops, next() throws `error`

    xmlParserCtxt* ctxt_ = nullptr;
    ByteSource& source_;
    std::string part_;
    std::uint64_t max_text_;
    Node node_ = Node::Other;
    std::string error_;
    std::vector<Event> events_;       // reported by libxml2; those before pos_ were handed out
    std::vector<Attribute> attributes_;
    std::string arena_;
    std::size_t pos_ = 0;
    int depth_ = 0;                   // elements open in libxml2's parse
    bool finished_ = false;           // libxml2 has parsed the whole part
    bool terminating_ = false;        // the part has ended: errors now mean it stops mid-way
    std::vector<char> block_;
    const unsigned char* last_uri_ = nullptr;  // interned_uri()'s last answer, for the next call
    const char* last_interned_uri_ = "";
    std::string prolog_;                 // the bytes before the root element, until it is seen
    bool prolog_checked_ = false;
    friend struct XmlStreamCallbacks;
};

// Once per process, before threads start: quiet libxml2's default error printing.
void init_xml_library();

}  // namespace planconv
