// A forward-only, hardened XML pull parser over libxml2's xmlTextReader.
//
// Never builds a tree, never loads a DTD or resolves entities, never touches the network, and
// refuses any document with a <!DOCTYPE>. Errors become ReadError naming the part and line.
#pragma once

#include "io/ZipArchive.hpp"

#include <functional>
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
    bool is_end(std::string_view local) const { return node_ == Node::EndElement && local_name() == local; }

    // Calls fn(local_name, namespace_uri, value) for each attribute of the current element.
    void attributes(const std::function<void(std::string_view, std::string_view, std::string_view)>& fn);
    // The value of the first attribute with this local name (any namespace), "" if absent.
    std::string attribute(std::string_view local);

    // All text inside the current element (which must be a start element), moving past its end.
    std::string text_content();
    // Moves past the end of the current element without reading its content.
    void skip();

    const std::string& part() const { return part_; }
    [[noreturn]] void fail(const std::string& what) const;

private:
    xmlTextReader* reader_ = nullptr;
    ByteSource& source_;
    std::string part_;
    std::uint64_t max_text_;
    Node node_ = Node::Other;
    std::string error_;
    friend struct XmlStreamCallbacks;
};

// Once per process, before threads start: quiet libxml2's default error printing.
void init_xml_library();

}  // namespace planconv
