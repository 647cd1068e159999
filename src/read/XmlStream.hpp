// A forward-only, hardened XML pull parser over libxml2's xmlTextReader.
//
// Never builds a tree, never loads a DTD or resolves entities, never touches the network, and
// refuses any document with a <!DOCTYPE>. Errors become ReadError naming the part and line.
#pragma once

#include "read/ZipArchive.hpp"

#include <deque>
#include <functional>
#include <span>
#include <string>
#include <string_view>

typedef struct _xmlTextReader xmlTextReader;

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
    const void* current_name() const;

    xmlTextReader* reader_ = nullptr;
    ByteSource& source_;
    std::string part_;
    std::uint64_t max_text_;
    Node node_ = Node::Other;
    std::string error_;
    std::deque<std::string> assembled_;  // attribute values libxml2 keeps in pieces (rare)
    std::string prolog_;                 // the bytes before the root element, until it is seen
    bool prolog_checked_ = false;
    bool source_ended_ = false;          // the whole part has been handed to libxml2
    std::uint64_t bytes_read_ = 0;
    friend struct XmlStreamCallbacks;
};

// Once per process, before threads start: quiet libxml2's default error printing.
void init_xml_library();

}  // namespace planconv
