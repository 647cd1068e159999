// MarkupWriter: libxml2's xmlTextWriter into a string, so the HTML and JUnit reports never
// escape text by hand.
#pragma once

#include <string>
#include <string_view>

typedef struct _xmlTextWriter* xmlTextWriterPtr;
typedef struct _xmlBuffer* xmlBufferPtr;

namespace planconv {

class MarkupWriter {
public:
    explicit MarkupWriter(bool xml_declaration);
    ~MarkupWriter();
    MarkupWriter(const MarkupWriter&) = delete;
    MarkupWriter& operator=(const MarkupWriter&) = delete;

    MarkupWriter& open(std::string_view element);
    MarkupWriter& attr(std::string_view name, std::string_view value);
    MarkupWriter& text(std::string_view text);
    MarkupWriter& raw(std::string_view markup);  // trusted constant markup only (CSS, doctype)
    MarkupWriter& close();
    // open + text + close
    MarkupWriter& element(std::string_view name, std::string_view text);

    std::string finish();

private:
    xmlBufferPtr buffer_ = nullptr;
    xmlTextWriterPtr writer_ = nullptr;
};

// Text with invalid UTF-8 repaired and characters illegal in XML removed, safe to hand to
// libxml2 (which rejects both).
std::string xml_safe_text(std::string_view s);

}  // namespace planconv
