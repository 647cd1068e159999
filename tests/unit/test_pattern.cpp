// Pattern: PCRE2 behind the mapping language, with the cheap rejections taken from PCRE2's own
// study of each pattern (minimum length, an anchored first code unit). Each case would go
// wrong if a rejection were wider than PCRE2's own matching.
#include "mapping/Pattern.hpp"

#include <catch2/catch.hpp>

using planconv::Pattern;

TEST_CASE("an anchored header pattern matches whatever the case, and only at the start", "[pattern]") {
    Pattern p("^We aim(ed)? to");
    CHECK(p.search("We aimed to"));
    CHECK(p.search("we aim to reduce"));
    CHECK(p.search("WE AIMED TO"));
    CHECK_FALSE(p.search("So we aimed to"));
    CHECK_FALSE(p.search("We aim"));  // shorter than any match
    CHECK_FALSE(p.search(""));
}

TEST_CASE("a case-sensitive anchored pattern rejects the other case", "[pattern]") {
    Pattern p("^No$", false);
    CHECK(p.search("No"));
    CHECK_FALSE(p.search("no"));
    CHECK_FALSE(p.search("NO"));
}

TEST_CASE("caseless matching keeps Unicode's other cases of ASCII letters", "[pattern]") {
    // U+017F LATIN SMALL LETTER LONG S folds to 's'; U+212A KELVIN SIGN to 'k'.
    CHECK(Pattern("^status").search("\xC5\xBFtatus"));
    CHECK(Pattern("^key").search("\xE2\x84\xAA" "ey"));
    // and a non-ASCII first letter matches its other case
    CHECK(Pattern("^\xC3\x89valuation").search("\xC3\xA9valuation"));  // É / é
}

TEST_CASE("patterns that are not anchored, or anchored per line, search the whole text", "[pattern]") {
    CHECK(Pattern("focusing on").search("Between December and June we are focusing on"));
    CHECK(Pattern("(?m)^Target").search("Indicator\nTarget 2016/17"));
    CHECK(Pattern("^(Target|Outturn)\\b").search("Outturn 2016/17"));
    CHECK_FALSE(Pattern("^(Target|Outturn)\\b").search("The Outturn"));
}

TEST_CASE("a match reports its groups after the cheap checks pass", "[pattern]") {
    Pattern p("^Priority Outcome\\s+(?<id>\\d+)\\b");
    auto m = p.match("Priority Outcome 3 Supporting independence");
    REQUIRE(m);
    CHECK(m->group("id") == "3");
    CHECK(m->group("1") == "3");
    CHECK_FALSE(p.match("Outcome 3"));
    CHECK_FALSE(p.match("Priority"));
}

TEST_CASE("invalid UTF-8 in a subject reads as no match, not an error", "[pattern]") {
    Pattern p("^RAG( status)?$");
    CHECK_FALSE(p.search("\xFF\xFE"));
    CHECK(p.search("RAG status"));
}

TEST_CASE("may_start_with rules out only first characters no match can begin with", "[pattern]") {
    Pattern header("^Half Year Update\\b");
    CHECK(header.may_start_with('H'));
    CHECK(header.may_start_with('h'));  // caseless
    CHECK_FALSE(header.may_start_with('T'));
    CHECK(header.may_start_with('\xC3'));  // not ASCII: not judged
    CHECK_FALSE(Pattern("^No$", false).may_start_with('n'));
    CHECK(Pattern("^status").may_start_with('S'));
    CHECK(Pattern("focusing on").may_start_with('x'));       // not anchored
    CHECK(Pattern("^(Target|Outturn)").may_start_with('O'));  // no single first character
    CHECK(Pattern("^(Target|Outturn)").may_start_with('x'));
}
