// XmlTextOutput: the one way planconv writes XML — libxml2's xmlTextWriter (which does all the
// escaping), UTF-8, indented two spaces, streamed in chunks to a sink (a file, a string).
//
// Text is made safe for XML 1.0 on the way in: invalid UTF-8 and the control characters XML
// cannot carry (cells can hold both) become U+FFFD instead of producing a broken document.
#pragma once

#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

typedef struct _xmlTextWriter xmlTextWriter;

namespace planconv {

class XmlWriteError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class XmlTextOutput {
public:
    using Sink = std::function<void(std::string_view)>;

    // Starts the document, with the XML declaration unless told not to (HTML). Throws XmlWriteError.
    explicit XmlTextOutput(Sink sink, bool xml_declaration = true);
    ~XmlTextOutput();
    XmlTextOutput(const XmlTextOutput&) = delete;
    XmlTextOutput& operator=(const XmlTextOutput&) = delete;

    XmlTextOutput& start(std::string_view element);
    XmlTextOutput& attribute(std::string_view name, std::string_view value);
    XmlTextOutput& text(std::string_view content);
    XmlTextOutput& end();
    // One element with text content: <name>content</name>.
    XmlTextOutput& element(std::string_view name, std::string_view content);

    // Closes every open element and flushes to the sink. Rethrows what the sink threw.
    void finish();

private:
    static int write_callback(void* context, const char* buffer, int len);
    void check(int rc, const char* what);

    Sink sink_;
    std::exception_ptr sink_error_;
    xmlTextWriter* writer_ = nullptr;
    // libxml2 prints I/O failures to stderr; the sink's own error says it better. Restored on
    // destruction (the handler is per thread, like the writer's use).
    void (*saved_error_handler_)(void*, const char*, ...) = nullptr;
    void* saved_error_context_ = nullptr;
    std::string scratch_;  // the sanitised copy of the last value written
};

// `s` with invalid UTF-8 and characters XML 1.0 does not allow replaced by U+FFFD.
std::string xml_safe(std::string_view s);

}  // namespace planconv
