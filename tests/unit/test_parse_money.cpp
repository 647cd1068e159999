// Money cells of budget monitoring tables and contract registers (SPEC §6, DOMAIN §3, §4).
#include "parse/Money.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace planconv;

TEST_CASE("negatives written as minus, brackets and Cr; Dr is positive", "[parse]") {
    struct Case { const char* text; double value; bool credit; };
    const std::vector<Case> cases = {
        {"-113", -113, true},
        {"(113)", -113, true},
        {"Cr 145", -145, true},
        {"Cr \u00A3113k", -113000, true},
        {"Dr \u00A370k", 70000, false},
        {"113", 113, false},
        {"\u00A3372,000", 372000, false},
        {"\u00A3164,920", 164920, false},
        {"145 Cr", -145, true},
        {"\u00A3(113)", -113, true},
        {"\u2013113", -113, true},
        {"\u00A31.2m", 1200000, false},
        {"\u00A30.5bn", 500000000, false},
        {"  2,345.50 ", 2345.5, false},
    };
    for (const auto& c : cases) {
        INFO("cell: '" << c.text << "'");
        const auto m = parse_money(c.text);
        CHECK(m.raw == c.text);
        REQUIRE(m.parsed());
        CHECK(m.value == Approx(c.value));
        CHECK(m.credit == c.credit);
        CHECK(m.note.empty());
    }
}

TEST_CASE("'£3,500,000 estimated (part of …)' is a value with a note", "[parse]") {
    const auto m = parse_money("\u00A33,500,000 estimated (part of \u2026)");
    REQUIRE(m.parsed());
    CHECK(m.value == 3500000);
    CHECK(m.note == "estimated (part of \u2026)");
    CHECK_FALSE(m.credit);
}

TEST_CASE("in a £'000 column plain figures stay in thousands and k/m amounts are converted", "[parse]") {
    constexpr double kThousands = 1000;
    CHECK(parse_money("113", kThousands).value == 113);
    CHECK(parse_money("(113)", kThousands).value == -113);
    CHECK(parse_money("Cr \u00A3113k", kThousands).value == -113);
    CHECK(parse_money("Dr \u00A370k", kThousands).value == 70);
    CHECK(parse_money("\u00A31.5m", kThousands).value == 1500);
}

TEST_CASE("a dash in a budget table is zero, n/a is not applicable, words are unparsed", "[parse]") {
    CHECK(parse_money("-").parsed());
    CHECK(parse_money("-").value == 0);
    CHECK(parse_money("nil").value == 0);
    CHECK(parse_money("n/a").kind == MoneyKind::NotApplicable);
    CHECK(parse_money("N/A").kind == MoneyKind::NotApplicable);
    CHECK(parse_money("#N/A").kind == MoneyKind::Unparsed);
    CHECK(parse_money("see note").kind == MoneyKind::Unparsed);
    CHECK(parse_money("5%").kind == MoneyKind::Unparsed);
    CHECK(parse_money("").kind == MoneyKind::Empty);
}

TEST_CASE("numeric money cells pass through as doubles", "[parse]") {
    const auto m = money_from_number(-113.25);
    CHECK(m.parsed());
    CHECK(m.value == -113.25);
    CHECK(m.credit);
    CHECK(m.raw == "-113.25");
}

TEST_CASE("a figure that refers to another paper ('see Appendix 2') is not an amount", "[parse]") {
    for (const char* text : {"see Appendix 2", "Refer to note 3", "Annex 1", "Annexe 4", "para 4.2",
                             "See paragraph 12", "section 5", "page 7", "Table 3", "item 4", "(see note 3)",
                             "see Appendix (2)", "Appendix(2)", "notes 3 and 4", "see paras. 3.1", "Note: 5",
                             "SEE APPENDIX 2", "see footnote 1", "<p>see Appendix 2</p>"}) {
        INFO("cell: '" << text << "'");
        const auto m = parse_money(text);
        CHECK(m.kind == MoneyKind::Unparsed);
        CHECK(m.raw == text);
    }
}

TEST_CASE("words before an amount that are not references still leave a value", "[parse]") {
    struct Case { const char* text; double value; const char* note; };
    const std::vector<Case> cases = {
        {"approx \u00A3500", 500, "approx"},
        {"Total 1,234", 1234, "Total"},
        {"\u00A31,234k", 1234000, ""},
        {"32,766", 32766, ""},
        {"Item: \u00A3500", 500, "Item:"},          // the currency sign makes it an amount
        {"note Cr 145", -145, "note"},
        {"\u00A31.2m (see note 3)", 1200000, "(see note 3)"},
        {"Notional 40", 40, "Notional"},            // "note" only as a whole word
    };
    for (const auto& c : cases) {
        INFO("cell: '" << c.text << "'");
        const auto m = parse_money(c.text);
        REQUIRE(m.parsed());
        CHECK(m.value == Approx(c.value));
        CHECK(m.note == c.note);
    }
}
