// Numbers written as words in narrative claims (SPEC §7.4, DOMAIN §1.1, §1.4).
#include "parse/NumberWords.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace planconv;

TEST_CASE("number words one to twenty, the tens and compounds", "[parse]") {
    const std::vector<std::pair<const char*, double>> words = {
        {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6}, {"seven", 7},
        {"eight", 8}, {"nine", 9}, {"ten", 10}, {"eleven", 11}, {"twelve", 12}, {"thirteen", 13},
        {"fourteen", 14}, {"fifteen", 15}, {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18},
        {"nineteen", 19}, {"twenty", 20}, {"thirty", 30}, {"forty", 40}, {"fifty", 50},
        {"sixty", 60}, {"seventy", 70}, {"eighty", 80}, {"ninety", 90},
        {"twenty-one", 21}, {"Twenty one", 21}, {"ninety-nine", 99}, {"FIVE", 5},
        {"one hundred and five", 105}, {"a hundred", 100}, {"two thousand", 2000},
        {"13", 13}, {"69", 69}, {"1,359", 1359}, {"zero", 0}, {"none", 0},
        {"all of the four", 4}, {"a third (19)", 19}, {" five ", 5}, {"(eight)", 8},
    };
    for (const auto& [text, value] : words) {
        INFO(text);
        const auto n = number_from_words(text);
        REQUIRE(n);
        CHECK(*n == value);
    }
    for (const char* text : {"", "actions", "five out of eight", "a third", "first", "Sep16"}) {
        INFO(text);
        CHECK_FALSE(number_from_words(text));
    }
}

TEST_CASE("'all of the four' is four of four and 'a third (19)' is 19, a third", "[parse]") {
    const auto all = find_numbers("all of the four aims being progressed are on track");
    REQUIRE(all.size() == 1);
    CHECK(*all[0].value == 4);
    CHECK(*all[0].whole == 4);
    CHECK(all[0].text == "all of the four");
    const auto third = find_numbers("a third (19) of cases");
    REQUIRE(third.size() == 1);
    CHECK(*third[0].value == 19);
    CHECK(*third[0].fraction == Approx(1.0 / 3));
    CHECK(third[0].text == "a third (19)");
    const auto bare = find_numbers("two thirds of cases");
    REQUIRE(bare.size() == 1);
    CHECK_FALSE(bare[0].value);
    CHECK(*bare[0].fraction == Approx(2.0 / 3));
}

TEST_CASE("numbers found in a summary keep their spans for the mapping's captures", "[parse]") {
    const std::string text = "As at the end of November, five out of eight actions being progressed during the "
                             "first half of the year are on track with three actions requiring more work in the "
                             "next half year.";
    const auto found = find_numbers(text);
    REQUIRE(found.size() == 3);
    CHECK(found[0].text == "five");
    CHECK(text.substr(found[0].begin, found[0].end - found[0].begin) == "five");
    CHECK(found[0].words);
    CHECK(*found[1].value == 8);
    CHECK(*found[2].value == 3);
}

TEST_CASE("digits inside codes and ordinals are not counts", "[parse]") {
    const auto found = find_numbers("ASCOF 2b(1): the 1st of 12 measures, 50% of them");
    REQUIRE(found.size() == 3);
    CHECK(*found[0].value == 1);  // the "(1)" of ASCOF 2b(1)
    CHECK(*found[1].value == 12);
    CHECK(found[2].percent);
    CHECK(find_numbers("no one knows").empty());
}

TEST_CASE("the half-year summaries state parts of a whole", "[parse]") {
    struct Case { const char* text; double whole; std::vector<double> parts; };
    const std::vector<Case> cases = {
        {"As at the end of November, five out of eight actions being progressed during the first half of "
         "the year are on track with three actions requiring more work in the next half year.", 8, {5, 3}},
        {"As at the end of November, one of six actions being progressed during the first half of the year "
         "is on track with five actions requiring more work in the next half year.", 6, {1, 5}},
        {"As at the end of November, nine out of thirteen actions being progressed during the first half of "
         "the year are on track with four actions requiring more work in the next half year.", 13, {9, 4}},
        {"As at the end of November, seven out of eight actions being progressed during the first half of "
         "the year are on track with one action requiring more work in the next half year.", 8, {7, 1}},
        {"At the end of the year, seven out of the eight aims being progressed are on track.", 8, {7}},
        {"At the end of the year, all of the four aims being progressed are on track.", 4, {4}},
        {"five out of eight actions ... on track with three actions requiring more work", 8, {5, 3}},
        {"Of the 69 actions, 28 \u2026 35 \u2026 six \u2026", 69, {28, 35, 6}},
        {"Of the 69 actions which were to be started or completed during the period, 28 have been completed "
         "on time, 35 are being progressed and six have not progressed.", 69, {28, 35, 6}},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        const auto statements = find_count_statements(c.text);
        REQUIRE(statements.size() == 1);
        CHECK(*statements[0].whole.value == c.whole);
        std::vector<double> parts;
        for (const auto& p : statements[0].parts) parts.push_back(*p.value);
        CHECK(parts == c.parts);
    }
}

TEST_CASE("count statements stay inside their sentence and skip years and percentages", "[parse]") {
    const auto st = find_count_statements(
        "Of the 36 cases, 15 (41%) were seen in 2016. Another 12 were closed. Two out of three were late.");
    REQUIRE(st.size() == 2);
    CHECK(*st[0].whole.value == 36);
    REQUIRE(st[0].parts.size() == 1);
    CHECK(*st[0].parts[0].value == 15);
    CHECK(*st[1].whole.value == 3);
    CHECK(*st[1].parts.at(0).value == 2);
    CHECK(find_count_statements("No numbers here.").empty());
}
