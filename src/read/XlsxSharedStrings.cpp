// Shared strings, rich text and the _xHHHH_ escapes of OOXML strings.
#include "read/XlsxSharedStrings.hpp"

#include "parse/Text.hpp"

#include "read/XlsxPackage.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace planconv {

namespace {

// The code unit of "_xHHHH_" at s[i], or -1.
long escape_at(const std::string& s, std::size_t i) {
    if (i + 7 > s.size() || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return -1;
    unsigned value = 0;
    auto [end, ec] = std::from_chars(s.data() + i + 2, s.data() + i + 6, value, 16);
    if (ec != std::errc() || end != s.data() + i + 6) return -1;
    return long(value);
}

}  // namespace

void decode_ooxml_escapes(std::string& s) {
    std::size_t i = s.find("_x");
    if (i == std::string::npos) return;  // the common case: nothing to do
    std::string out(s, 0, i);
    while (i < s.size()) {
        long unit = escape_at(s, i);
        if (unit < 0) {
            out += s[i++];
            continue;
        }
        std::uint32_t cp = std::uint32_t(unit);
        std::size_t used = 7;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long low = escape_at(s, i + 7);
            if (low < 0xDC00 || low > 0xDFFF) {  // a lone surrogate is no character: keep the text
                out.append(s, i, 7);
                i += 7;
                continue;
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (std::uint32_t(low) - 0xDC00);
            used = 14;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            out.append(s, i, 7);
            i += 7;
            continue;
        }
        append_utf8(out, cp);
        i += used;
    }
    s.swap(out);
}

RichTextReader::RichTextReader(XmlStream& xml, std::uint64_t max_bytes)
    : xml_(xml), max_bytes_(max_bytes), t_(xml.intern("t")), r_(xml.intern("r")) {}

void RichTextReader::read(std::string& out) {
    out.clear();
    if (xml_.is_empty_element()) return;
    const int d = xml_.depth();
    bool in_run = false;
    while (xml_.next()) {
        const XmlStream::Node node = xml_.node();
        if (node == XmlStream::Node::EndElement) {
            if (xml_.depth() == d) break;
            if (xml_.depth() == d + 1) in_run = false;
            continue;
        }
        if (node != XmlStream::Node::Element) continue;
        const int depth = xml_.depth();
        if (xml_.has_name(t_) && (depth == d + 1 || (depth == d + 2 && in_run))) {
            xml_.read_text(piece_, max_bytes_);
            out += piece_;
            if (out.size() > max_bytes_) xml_.fail_text_too_long(max_bytes_);
        } else if (xml_.has_name(r_) && depth == d + 1 && !xml_.is_empty_element()) {
            in_run = true;  // its <t> follows its <rPr>
        } else {
            xml_.skip();  // <rPh> phonetic runs, <rPr> run formatting, <phoneticPr>
        }
    }
    decode_ooxml_escapes(out);
}

std::uint32_t read_shared_strings(ZipArchive& zip, const std::string& part_name, StringPool& out) {
    const ReadLimits& limits = zip.limits();
    XmlPart part(zip, part_name, limits.max_string_bytes);
    XmlStream& xml = part.xml();
    std::uint32_t count = 0;
    if (part.root() != "sst") xml.fail("part '" + part_name + "' is not a shared-strings table");
    static constexpr std::array<std::string_view, 1> kNames{"uniqueCount"};
    std::array<std::string_view, 1> v;
    xml.attributes(kNames, v);
    std::uint64_t declared = 0;
    std::from_chars(v[0].data(), v[0].data() + v[0].size(), declared);
    // A hint only (and a hostile file may lie): reserve no more than the limit allows.
    out.reserve(out.size() + std::size_t(std::min<std::uint64_t>(declared, limits.max_strings)));

    RichTextReader rich_text(xml, limits.max_string_bytes);
    const XmlStream::Name si = xml.intern("si");
    std::string text;
    while (xml.next()) {
        if (xml.node() != XmlStream::Node::Element || xml.depth() != 1) continue;
        if (!xml.has_name(si)) {
            xml.skip();
            continue;
        }
        rich_text.read(text);
        if (++count > limits.max_strings)
            xml.fail("the shared-strings table holds more than " + std::to_string(limits.max_strings) +
                     " strings, more than the limit");
        out.emplace_back(text);
    }
    return count;
}

}  // namespace planconv
