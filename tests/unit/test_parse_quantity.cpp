// Indicator targets and outturns as the plans' measure tables write them (SPEC §7.3, DOMAIN §2).
#include "parse/Quantity.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

using namespace planconv;

namespace {

// Whole numbers print without an exponent: 3500000, not 3.5e+06.
std::string num(double v) {
    std::ostringstream s;
    if (v == double(static_cast<long long>(v))) s << static_cast<long long>(v);
    else s << v;
    return s.str();
}

// One line per observation, e.g. "value 90.5 percent dp1 frac 191/211 period 'October'".
std::string describe(const Observation& o) {
    std::ostringstream s;
    s << quantity_status_name(o.status);
    if (o.comparator != Comparator::None) s << " " << comparator_symbol(o.comparator);
    if (o.value) s << " " << num(*o.value);
    if (o.upper) s << " to " << num(*o.upper);
    if (o.unit != QuantityUnit::None) s << " " << quantity_unit_name(o.unit);
    if (o.decimals) s << " dp" << o.decimals;
    if (o.numerator) s << " frac " << num(*o.numerator) << "/" << num(*o.denominator);
    if (o.secondary) s << " (" << num(*o.secondary) << " " << quantity_unit_name(o.secondary_unit) << ")";
    if (!o.period.empty()) s << " period '" << o.period << "'";
    if (!o.note.empty()) s << " note '" << o.note << "'";
    return s.str();
}

std::vector<std::string> describe(const Quantity& q) {
    std::vector<std::string> out;
    for (const auto& o : q.observations) out.push_back(describe(o));
    return out;
}

struct Case {
    const char* text;
    std::vector<std::string> observations;
};

void check_cases(const std::vector<Case>& cases) {
    for (const auto& c : cases) {
        INFO("cell: '" << c.text << "'");
        const Quantity q = parse_quantity(c.text);
        CHECK(q.raw == c.text);
        CHECK(q.parsed());
        CHECK(describe(q) == c.observations);
    }
}

}  // namespace

TEST_CASE("targets in the half-year plan's indicator tables", "[parse]") {
    check_cases({
        {"72", {"value 72 count"}},
        {"81%", {"value 81 percent"}},
        {">800", {"value > 800 count"}},
        {"<5.0", {"value < 5 count dp1"}},
        {"36,000", {"value 36000 count"}},
        {"New", {"new"}},
        {"N/A", {"not-applicable"}},
        {"TBC", {"tbc"}},
        {"-", {"no-value"}},
        {"65%", {"value 65 percent"}},
        {"100%", {"value 100 percent"}},
    });
}

TEST_CASE("outturns with fractions, shares, periods and notes", "[parse]") {
    check_cases({
        {"90.5% (191/211) October", {"value 90.5 percent dp1 frac 191/211 period 'October'"}},
        {"50.5% (92/181) October", {"value 50.5 percent dp1 frac 92/181 period 'October'"}},
        {"67.5%", {"value 67.5 percent dp1"}},
        {"234 (60%)", {"value 234 count (60 percent)"}},
        {"71.4% (Q1) 70% (Q2)", {"value 71.4 percent dp1 period 'Q1'", "value 70 percent period 'Q2'"}},
        {"1,359 (Q2)", {"value 1359 count period 'Q2'"}},
        {"964 96.2% (481/500) (Q1) 85.9% (483/562) (Q2)",
         {"value 964 count", "value 96.2 percent dp1 frac 481/500 period 'Q1'",
          "value 85.9 percent dp1 frac 483/562 period 'Q2'"}},
        {"29,704 November Increased from 25,528 in the same period for 2015",
         {"value 29704 count period 'November' note 'Increased from 25,528 in the same period for 2015'"}},
        {"Annual Indicator Outturn available Quarter Two 2017/18",
         {"not-yet-available period 'Quarter Two 2017/18' note 'Annual Indicator Outturn available "
          "Quarter Two 2017/18'"}},
        {"41% (15)", {"value 41 percent (15 count)"}},
        {"220 (Q1)", {"value 220 count period 'Q1'"}},
        {"50%", {"value 50 percent"}},
    });
}

TEST_CASE("values of the 2012/13 indicator table and the improvement plan's measures", "[parse]") {
    check_cases({
        {"79.3% (3718)", {"value 79.3 percent dp1 (3718 count)"}},
        {">7", {"value > 7 count"}},
        {"<290", {"value < 290 count"}},
        {"NEW INDICATOR", {"new note 'INDICATOR'"}},
        {"n/a", {"not-applicable"}},
        {"2% year on year reduction", {"value 2 percent note 'year on year reduction'"}},
        {"17 (Quarter 3)", {"value 17 count period 'Quarter 3'"}},
        {"70% (revised national target)", {"value 70 percent note 'revised national target'"}},
        {"60 -120", {"value 60 to 120 count"}},
        {"33 (13%)", {"value 33 count (13 percent)"}},
        {"50 (21%)", {"value 50 count (21 percent)"}},
        {"16.6%", {"value 16.6 percent dp1"}},
        {"X%", {"placeholder percent"}},
        {"XX", {"placeholder"}},
    });
}

TEST_CASE("'50.5% (92/181)' keeps one decimal place for the ratio check", "[parse]") {
    const auto q = parse_quantity("50.5% (92/181)");
    const Observation* o = q.first_value();
    REQUIRE(o);
    CHECK(o->decimals == 1);
    CHECK(*o->numerator == 92);
    CHECK(*o->denominator == 181);
    CHECK(o->unit == QuantityUnit::Percent);
}

TEST_CASE("a '50%' target and a '220 (Q1)' outturn have different units", "[parse]") {
    CHECK(parse_quantity("50%").first_value()->unit == QuantityUnit::Percent);
    CHECK(parse_quantity("220 (Q1)").first_value()->unit == QuantityUnit::Count);
}

TEST_CASE("placeholders and statuses carry no value", "[parse]") {
    for (const char* text : {"X%", "XX", "(insert figure)", "TBC", "New", "N/A", "-", "–"}) {
        INFO(text);
        const auto q = parse_quantity(text);
        CHECK(q.parsed());
        CHECK_FALSE(q.first_value());
        REQUIRE(q.observations.size() == 1);
        CHECK(q.observations[0].status != QuantityStatus::Value);
    }
    CHECK(parse_quantity("(insert figure)").observations[0].status == QuantityStatus::Placeholder);
}

TEST_CASE("text with no figure and Excel errors are unparsed with the raw text kept", "[parse]") {
    for (const char* text : {"A full dataset is being developed to enable reporting",
                             "#N/A", "#DIV/0!", "Collected via annual user survey"}) {
        INFO(text);
        const auto q = parse_quantity(text);
        CHECK(q.kind == QuantityKind::Unparsed);
        CHECK(q.observations.empty());
        CHECK(q.raw == text);
    }
    CHECK(parse_quantity("").kind == QuantityKind::Empty);
    CHECK(parse_quantity("   ").kind == QuantityKind::Empty);
}

TEST_CASE("comparators, money and ranges written in other ways", "[parse]") {
    check_cases({
        {">=95%", {"value >= 95 percent"}},
        {"\u2264 10", {"value <= 10 count"}},
        {"at least 80%", {"value >= 80 percent"}},
        {"less than 5", {"value < 5 count"}},
        {"\u00A336,000", {"value 36000 money"}},
        {"\u00A33.5m", {"value 3500000 money dp1"}},
        {"5 – 10 per month", {"value 5 to 10 count note 'per month'"}},
        {"67 (2015/16)", {"value 67 count period '2015/16'"}},
        {"79.3% (3,718)", {"value 79.3 percent dp1 (3718 count)"}},
        {"-5", {"value -5 count"}},
    });
}

TEST_CASE("numeric cells keep their value and a percent format's fraction becomes a percent", "[parse]") {
    const auto plain = quantity_from_number(36000);
    CHECK(describe(plain) == std::vector<std::string>{"value 36000 count"});
    CHECK(plain.raw == "36000");
    const auto pct = quantity_from_number(0.905, true);
    CHECK(describe(pct) == std::vector<std::string>{"value 90.5 percent dp1"});
}
