// UTF-8 validation and the Windows-1252 / UTF-16 / code-page decoders.
#include "read/TextEncoding.hpp"

#include <iconv.h>

#include <cerrno>
#include <string>

namespace planconv::encoding {

std::string cp1252_to_utf8(std::string_view bytes) {
    // 0x80-0x9F are where Windows-1252 differs from Latin-1; 0 marks the unassigned bytes.
    static constexpr std::uint16_t kHigh[32] = {
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 8);
    for (char ch : bytes) {
        auto c = static_cast<unsigned char>(ch);
        if (c < 0x80)
            out += ch;
        else if (c < 0xA0)
            append_utf8(out, kHigh[c - 0x80] ? kHigh[c - 0x80] : 0xFFFD);
        else
            append_utf8(out, c);
    }
    return out;
}

std::string utf16_to_utf8(std::string_view bytes, bool big_endian) {
    std::string out;
    out.reserve(bytes.size());
    const std::size_t units = bytes.size() / 2;
    auto unit = [&](std::size_t i) -> std::uint32_t {
        auto a = static_cast<unsigned char>(bytes[2 * i]);
        auto b = static_cast<unsigned char>(bytes[2 * i + 1]);
        return big_endian ? (std::uint32_t(a) << 8 | b) : (std::uint32_t(b) << 8 | a);
    };
    for (std::size_t i = 0; i < units; ++i) {
        std::uint32_t u = unit(i);
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
            std::uint32_t lo = unit(i + 1);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
                ++i;
                continue;
            }
        }
        append_utf8(out, u);  // a lone surrogate becomes U+FFFD there
    }
    return out;
}

std::optional<std::string> codepage_to_utf8(std::string_view bytes, unsigned codepage) {
    switch (codepage) {
    case 1252: case 367: case 20127: case 0x8001:  // 0x8001: BIFF's "Windows 1252 (Latin I)" alias
        return cp1252_to_utf8(bytes);
    case 1200: return utf16_to_utf8(bytes);
    default: break;
    }
    std::string name = codepage == 10000 ? "MACINTOSH" : codepage == 0x8000 ? "MACINTOSH" : "CP" + std::to_string(codepage);
    iconv_t cd = iconv_open("UTF-8", name.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    std::string out(bytes.size() * 4 + 8, '\0');
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size(), out_left = out.size();
    char* dst = out.data();
    std::size_t rc = iconv(cd, &in, &in_left, &dst, &out_left);
    iconv_close(cd);
    if (rc == std::size_t(-1)) return std::nullopt;
    out.resize(out.size() - out_left);
    return out;
}

}  // namespace planconv::encoding
