// CellRef and CellRange: the one cell-reference type, 0-based internally, A1 on the outside.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace planconv {

inline constexpr std::uint32_t kMaxRows = 1048576;  // Excel's sheet limits
inline constexpr std::uint32_t kMaxCols = 16384;

struct CellRef {
    std::uint32_t row = 0;  // 0-based
    std::uint32_t col = 0;  // 0-based

    friend auto operator<=>(const CellRef&, const CellRef&) = default;

    std::string a1() const;                 // "C5"
    static std::string column_name(std::uint32_t col);  // 0 -> "A", 27 -> "AB"
    // "C5", "$C$5", "c5" -> CellRef; nullopt when malformed or past Excel's limits.
    static std::optional<CellRef> parse(std::string_view a1);
};

struct CellRange {
    CellRef first;
    CellRef last;  // inclusive

    friend auto operator<=>(const CellRange&, const CellRange&) = default;

    bool contains(CellRef r) const {
        return r.row >= first.row && r.row <= last.row && r.col >= first.col && r.col <= last.col;
    }
    std::uint64_t area() const {
        return std::uint64_t(last.row - first.row + 1) * (last.col - first.col + 1);
    }
    std::string a1() const;  // "A1:C3" (a single cell prints as "A1")
    // "A1:C3" or "B2"; nullopt when malformed, reversed or past Excel's limits.
    static std::optional<CellRange> parse(std::string_view a1);
};

}  // namespace planconv
