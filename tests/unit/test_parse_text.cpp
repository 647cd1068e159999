// Shared text normalisation: trimming, case folding, whitespace and typographic unification.
#include "parse/Text.hpp"

#include <catch2/catch.hpp>

using namespace planconv;

TEST_CASE("headers compare equal across case, spacing, line breaks and en dashes", "[parse]") {
    CHECK(comparison_key("Half Year Update \u2013 end of November 2016") ==
          comparison_key("half year update - end of  November\n2016"));
    CHECK(comparison_key("RAG\u00A0status ") == "rag status");
    CHECK(comparison_key("Between \u2026 we\u2019re focusing") == "between ... we're focusing");
    CHECK(comparison_key("\u00C9COLE") == "\u00E9cole");
    CHECK(normalise_text("\u201CQuoted\u201D") == "\"Quoted\"");
    CHECK(normalise_space_and_dashes("\u2013113 \u201Cnote\u201D") == "-113 \u201Cnote\u201D");
}

TEST_CASE("trim removes Unicode spaces but keeps text intact", "[parse]") {
    CHECK(trim("  \u00A0text\u2003 \n") == "text");
    CHECK(trim("\u00A0") == "");
    CHECK(trim("") == "");
    CHECK(trim("a\xC2") == "a\xC2");  // a truncated sequence is not a space
    CHECK(collapse_whitespace(" a \t\n b ") == "a b");
}

TEST_CASE("invalid UTF-8 decodes one byte at a time as U+FFFD", "[parse]") {
    CHECK_FALSE(is_valid_utf8("\xC3"));
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));  // a surrogate
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));      // overlong
    CHECK(is_valid_utf8("\u00A3\u2013\U0001F600"));
    CHECK(normalise_text("a\xFF" "b") == "a\uFFFDb");
    const auto c = decode_utf8("\xE2\x80", 0);
    CHECK_FALSE(c.valid);
    CHECK(c.len == 1);
}

TEST_CASE("decimal literals with thousands commas and stated decimals", "[parse]") {
    CHECK(read_decimal("36,000", 0)->value == 36000);
    CHECK(read_decimal("36,000", 0)->len == 6);
    CHECK(read_decimal("1,5", 0)->len == 1);  // not a thousands group
    CHECK(read_decimal("50.5%", 0)->decimals == 1);
    CHECK(read_decimal(".5", 0)->value == 0.5);
    CHECK(read_decimal("5.", 0)->len == 1);
    CHECK_FALSE(read_decimal("x5", 0));
    CHECK(iequals("GREEN", "green"));
    CHECK(ifind("Target 2016/17", "TARGET") == 0);
}

TEST_CASE("find_either finds the first of two characters from a position", "[text]") {
    using planconv::find_either;
    CHECK(find_either("plain text", '<', '&') == std::string_view::npos);
    CHECK(find_either("a & b <p>", '<', '&') == 2);
    CHECK(find_either("a <p> & b", '<', '&') == 2);
    CHECK(find_either("a <p> & b", '<', '&', 3) == 6);
    CHECK(find_either("<", '<', '&', 1) == std::string_view::npos);
    CHECK(find_either("", '<', '&') == std::string_view::npos);
    CHECK(find_either("x&", '<', '&', 5) == std::string_view::npos);
}
