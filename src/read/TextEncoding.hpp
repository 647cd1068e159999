// Conversions to UTF-8 for the legacy text the readers meet: Windows-1252 (old csv exports,
// BIFF5 strings), UTF-16 (Excel "Unicode text", BIFF8 strings), and UTF-8 validation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "parse/Text.hpp"

// (In their own namespace: parse/Text.hpp has UTF-8 helpers of the same names for other stages.)
namespace planconv::encoding {

// UTF-8 validation and encoding (is_valid_utf8, append_utf8) live in parse/Text.hpp.

// Windows-1252 bytes -> UTF-8 (£ 0xA3, curly quotes 0x91-0x94, en dash 0x96, € 0x80 ...);
// the five unassigned bytes become U+FFFD.
std::string cp1252_to_utf8(std::string_view bytes);

// UTF-16 code units (little- or big-endian bytes) -> UTF-8; a lone surrogate becomes U+FFFD and
// an odd trailing byte is dropped.
std::string utf16_to_utf8(std::string_view bytes, bool big_endian = false);

// Bytes in a Windows code page as an Excel 5.0/95 CODEPAGE record names it (1252 Western,
// 1250 Central European, 10000 Mac Roman, 437/850 DOS, 1200 UTF-16LE, 932 Japanese ...) ->
// UTF-8. 1252, 367 (ASCII) and 1200 are decoded here; the others through the C library's
// iconv. nullopt when the code page is unknown to both or the bytes are not valid in it.
std::optional<std::string> codepage_to_utf8(std::string_view bytes, unsigned codepage);

}  // namespace planconv::encoding
