// A1 notation for CellRef and CellRange.
#include "model/CellRef.hpp"

namespace planconv {

std::string CellRef::column_name(std::uint32_t col) {
    std::string name;
    std::uint32_t n = col + 1;
    while (n > 0) {
        n -= 1;
        name.insert(name.begin(), char('A' + n % 26));
        n /= 26;
    }
    return name;
}

std::string CellRef::a1() const { return column_name(col) + std::to_string(row + 1); }

std::optional<CellRef> CellRef::parse(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && s[i] == '$') ++i;
    std::uint64_t col = 0;
    std::size_t letters = 0;
    while (i < s.size() && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) {
        char c = char(s[i] & ~0x20);
        col = col * 26 + std::uint64_t(c - 'A' + 1);
        if (col > kMaxCols) return std::nullopt;
        ++i;
        ++letters;
    }
    if (letters == 0) return std::nullopt;
    if (i < s.size() && s[i] == '$') ++i;
    std::uint64_t row = 0;
    std::size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        row = row * 10 + std::uint64_t(s[i] - '0');
        if (row > kMaxRows) return std::nullopt;
        ++i;
        ++digits;
    }
    if (digits == 0 || row == 0 || i != s.size()) return std::nullopt;
    return CellRef{std::uint32_t(row - 1), std::uint32_t(col - 1)};
}

std::string CellRange::a1() const {
    if (first == last) return first.a1();
    return first.a1() + ":" + last.a1();
}

std::optional<CellRange> CellRange::parse(std::string_view s) {
    auto colon = s.find(':');
    if (colon == std::string_view::npos) {
        auto one = CellRef::parse(s);
        if (!one) return std::nullopt;
        return CellRange{*one, *one};
    }
    auto a = CellRef::parse(s.substr(0, colon));
    auto b = CellRef::parse(s.substr(colon + 1));
    if (!a || !b || b->row < a->row || b->col < a->col) return std::nullopt;
    return CellRange{*a, *b};
}

}  // namespace planconv
