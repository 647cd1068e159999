// Editing a mapping file's text in a test, and finding the line a diagnostic should name.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <string>

namespace planconv::test {

// `text` with its first `from` replaced by `to` (the test fails when `from` is not there).
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

// The 1-based line of the first occurrence of `needle`.
inline int line_of(const std::string& text, const std::string& needle) {
    auto at = text.find(needle);
    REQUIRE(at != std::string::npos);
    return 1 + int(std::count(text.begin(), text.begin() + std::ptrdiff_t(at), '\n'));
}

}  // namespace planconv::test
