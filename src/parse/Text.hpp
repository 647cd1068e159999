// Text normalisation shared by the value parsers and the header matcher: UTF-8 decoding,
// trimming (including non-breaking spaces), case folding, whitespace collapsing and the
// unification of typographic dashes, quotes and ellipses that council workbooks are full of.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace planconv {

// One decoded UTF-8 sequence. Invalid or truncated bytes decode as U+FFFD with length 1,
// so a loop over `len` always advances and never reads past the end.
struct Utf8Char {
    char32_t cp = 0;
    std::size_t len = 1;
    bool valid = true;
};
Utf8Char decode_utf8(std::string_view s, std::size_t pos);
void append_utf8(std::string& out, char32_t cp);
bool is_valid_utf8(std::string_view s);

// Character classes (code points).
bool is_space_cp(char32_t cp);  // ASCII whitespace, NBSP, the U+2000 block, BOM, zero-width space
bool is_dash_cp(char32_t cp);   // '-', hyphen, figure/en/em dash, horizontal bar, minus sign
inline bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline char to_lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

// Removes leading and trailing whitespace, Unicode spaces included.
std::string_view trim(std::string_view s);

// Case-insensitive comparisons of ASCII letters (other bytes compare exactly).
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view text, std::string_view prefix);
std::size_t ifind(std::string_view text, std::string_view needle, std::size_t from = 0);

// Lower-cases ASCII and Latin-1 letters (É -> é); everything else is copied unchanged.
std::string fold_case(std::string_view s);

// Collapses every run of whitespace (Unicode spaces, tabs, line breaks) into one ASCII space
// and trims; nothing else changes.
std::string collapse_whitespace(std::string_view s);

// The canonical form for matching text written by hand: whitespace collapsed and trimmed,
// dashes (– — ‒ − ‐) -> '-', curly quotes -> ' and ", ellipsis -> "...", invalid UTF-8 -> U+FFFD.
// Case is kept.
std::string normalise_text(std::string_view s);

// The length of the run at `pos` of characters `plain(byte)` accepts, with single spaces between
// them (none at either end): text a normaliser can copy in one piece.
template <class Plain>
std::size_t plain_run(std::string_view s, std::size_t pos, Plain plain) {
    std::size_t end = pos;
    while (end < s.size()) {
        if (plain(static_cast<unsigned char>(s[end]))) {
            ++end;
        } else if (s[end] == ' ' && end > pos && end + 1 < s.size() && plain(static_cast<unsigned char>(s[end + 1]))) {
            end += 2;
        } else {
            break;
        }
    }
    return end - pos;
}

// The first position at or after `from` holding `a` or `b`, or npos. (string_view's
// find_first_of calls memchr once a character: far slower on long cells.)
std::size_t find_either(std::string_view s, char a, char b, std::size_t from = 0);

// True when `s` is already in normal form for all of the above (printable ASCII, single
// spaces, no space at either end): the normalisers would return it unchanged.
bool is_normal_text(std::string_view s);

// Only whitespace collapsing and dash unification: for number parsing, where an en dash is
// a minus or a range and every other character (quotes in notes) must survive.
std::string normalise_space_and_dashes(std::string_view s);

// normalise_text + fold_case: the key two hand-typed labels are compared by.
std::string comparison_key(std::string_view s);

// A decimal number written at s[pos]: digits with optional thousands commas ("36,000" — a comma
// counts only when exactly three digits follow it) and a fraction ("50.5", ".5"). `decimals`
// is how many digits follow the point. nullopt when no digit starts there.
struct DecimalLiteral {
    double value = 0;
    int decimals = 0;
    std::size_t len = 0;  // bytes consumed
};
std::optional<DecimalLiteral> read_decimal(std::string_view s, std::size_t pos);

}  // namespace planconv
