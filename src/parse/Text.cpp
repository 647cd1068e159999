// Text normalisation: UTF-8 decoding, trimming, case folding and typographic unification.
#include "parse/Text.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>

namespace planconv {

Utf8Char decode_utf8(std::string_view s, std::size_t pos) {
    const auto invalid = Utf8Char{0xFFFD, 1, false};
    if (pos >= s.size()) return invalid;
    const auto b0 = static_cast<unsigned char>(s[pos]);
    if (b0 < 0x80) return Utf8Char{b0, 1, true};
    std::size_t len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) { len = 2; cp = b0 & 0x1F; min = 0x80; }
    else if (b0 >= 0xE0 && b0 <= 0xEF) { len = 3; cp = b0 & 0x0F; min = 0x800; }
    else if (b0 >= 0xF0 && b0 <= 0xF4) { len = 4; cp = b0 & 0x07; min = 0x10000; }
    else return invalid;
    if (pos + len > s.size()) return invalid;
    for (std::size_t i = 1; i < len; ++i) {
        const auto b = static_cast<unsigned char>(s[pos + i]);
        if ((b & 0xC0) != 0x80) return invalid;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return invalid;
    return Utf8Char{cp, len, true};
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = decode_utf8(s, i);
        if (!c.valid) return false;
        i += c.len;
    }
    return true;
}

bool is_space_cp(char32_t cp) {
    switch (cp) {
    case ' ': case '\t': case '\n': case '\r': case '\v': case '\f':
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202F: case 0x205F: case 0x3000: case 0xFEFF: case 0x200B:
        return true;
    default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
}

bool is_dash_cp(char32_t cp) {
    return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE58 ||
           cp == 0xFE63 || cp == 0xFF0D;
}

std::string_view trim(std::string_view s) {
    std::size_t b = 0;
    while (b < s.size()) {
        const auto c = decode_utf8(s, b);
        if (!c.valid || !is_space_cp(c.cp)) break;
        b += c.len;
    }
    std::size_t e = s.size();
    while (e > b) {
        // Step back to the start of the previous UTF-8 sequence (at most 3 continuation bytes).
        std::size_t p = e - 1;
        while (p > b && e - p < 4 && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) --p;
        const auto c = decode_utf8(s, p);
        if (!c.valid || p + c.len != e || !is_space_cp(c.cp)) break;
        e = p;
    }
    return s.substr(b, e - b);
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (to_lower_ascii(a[i]) != to_lower_ascii(b[i])) return false;
    return true;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::size_t ifind(std::string_view text, std::string_view needle, std::size_t from) {
    if (needle.empty()) return from <= text.size() ? from : std::string_view::npos;
    for (std::size_t i = from; i + needle.size() <= text.size(); ++i)
        if (iequals(text.substr(i, needle.size()), needle)) return i;
    return std::string_view::npos;
}

std::string fold_case(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = decode_utf8(s, i);
        if (c.cp < 0x80) {
            out += to_lower_ascii(s[i]);
        } else if (c.valid && c.cp >= 0xC0 && c.cp <= 0xDE && c.cp != 0xD7) {
            append_utf8(out, c.cp + 0x20);
        } else {
            out.append(s.substr(i, c.len));
        }
        i += c.len;
    }
    return out;
}

namespace {

// Printable ASCII with single spaces: what every normaliser here copies unchanged.
std::size_t plain_ascii_run(std::string_view s, std::size_t pos) {
    return plain_run(s, pos, [](unsigned char b) { return b > ' ' && b < 0x80; });
}

}  // namespace

std::string collapse_whitespace(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool pending_space = false;
    for (std::size_t i = 0; i < s.size();) {
        if (const std::size_t run = plain_ascii_run(s, i)) {
            if (pending_space) out += ' ';
            pending_space = false;
            out.append(s.substr(i, run));
            i += run;
            continue;
        }
        const auto c = decode_utf8(s, i);
        if (c.valid && is_space_cp(c.cp)) {
            pending_space = !out.empty();
        } else {
            if (pending_space) out += ' ';
            pending_space = false;
            out.append(s.substr(i, c.len));
        }
        i += c.len;
    }
    return out;
}

namespace {

std::string normalise(std::string_view s, bool typography) {
    std::string out;
    out.reserve(s.size());
    bool pending_space = false;
    for (std::size_t i = 0; i < s.size();) {
        if (const std::size_t run = plain_ascii_run(s, i)) {  // ASCII '-' is already a plain dash
            if (pending_space) out += ' ';
            pending_space = false;
            out.append(s.substr(i, run));
            i += run;
            continue;
        }
        const auto c = decode_utf8(s, i);
        i += c.len;
        if (c.valid && is_space_cp(c.cp)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        if (!c.valid) {
            append_utf8(out, 0xFFFD);
        } else if (is_dash_cp(c.cp)) {
            out += '-';
        } else if (!typography) {
            append_utf8(out, c.cp);
        } else if (c.cp == 0x2018 || c.cp == 0x2019 || c.cp == 0x201A || c.cp == 0x201B ||
                   c.cp == 0x2032) {
            out += '\'';
        } else if (c.cp == 0x201C || c.cp == 0x201D || c.cp == 0x201E || c.cp == 0x201F ||
                   c.cp == 0x2033) {
            out += '"';
        } else if (c.cp == 0x2026) {
            out += "...";
        } else {
            append_utf8(out, c.cp);
        }
    }
    return out;
}

}  // namespace

std::size_t find_either(std::string_view s, char a, char b, std::size_t from) {
    if (from >= s.size()) return std::string_view::npos;
    const char* p = s.data() + from;
    const std::size_t n = s.size() - from;
    const auto* at_a = static_cast<const char*>(std::memchr(p, a, n));
    const std::size_t before_a = at_a ? std::size_t(at_a - p) : n;
    if (const auto* at_b = static_cast<const char*>(std::memchr(p, b, before_a))) return from + std::size_t(at_b - p);
    return at_a ? from + before_a : std::string_view::npos;
}

bool is_normal_text(std::string_view s) { return plain_ascii_run(s, 0) == s.size(); }

std::string normalise_text(std::string_view s) { return normalise(s, true); }
std::string normalise_space_and_dashes(std::string_view s) { return normalise(s, false); }

std::string comparison_key(std::string_view s) { return fold_case(normalise_text(s)); }

std::optional<DecimalLiteral> read_decimal(std::string_view s, std::size_t pos) {
    auto digit_at = [&](std::size_t k) { return k < s.size() && is_ascii_digit(s[k]); };
    const bool leading_point = pos < s.size() && s[pos] == '.' && digit_at(pos + 1);
    if (!digit_at(pos) && !leading_point) return std::nullopt;
    std::string digits;
    std::size_t i = pos;
    while (digit_at(i) || (i < s.size() && s[i] == ',' && digit_at(i + 1) && digit_at(i + 2) &&
                           digit_at(i + 3) && !digit_at(i + 4) && i > pos)) {
        if (s[i] != ',') digits += s[i];
        ++i;
    }
    DecimalLiteral lit;
    if (i < s.size() && s[i] == '.' && digit_at(i + 1)) {
        digits += '.';
        ++i;
        while (digit_at(i)) {
            digits += s[i++];
            ++lit.decimals;
        }
    }
    lit.len = i - pos;
    if (digits.front() == '.') digits.insert(digits.begin(), '0');
    const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), lit.value);
    if (ec != std::errc{} || p != digits.data() + digits.size()) {
        // Out of range: absurdly many digits before the point overflow, after it underflow.
        const std::size_t whole = std::min(digits.find('.'), digits.size());
        lit.value = whole > 300 ? std::numeric_limits<double>::max() : 0.0;
    }
    return lit;
}

}  // namespace planconv
