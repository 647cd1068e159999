// TOTAL-* rules on small documents built from the seed papers' layouts and strings.
#include "test_rules_fixture.hpp"

#include <catch2/catch.hpp>

using namespace planconv;
using namespace planconv::test;

namespace {

// The half-year portfolio plan (seed 000): an "X out of Y" summary over the RAG column.
RulesDoc half_year_plan(std::map<std::string, std::string> params = {{"claim", "summary"}, {"on_track", "Green"}, {"more_work", "Amber Red"}}) {
    RulesDoc d;
    d.table("actions", "action", column("id", FieldType::Id), column("aim", FieldType::RichText),
            column("rag", FieldType::Rag), column("action", FieldType::RichText, true),
            column("update", FieldType::RichText));
    d.claim_pattern(
        "summary",
        R"((?<on_track>\w+) (?:out )?of (?:the )?(?<total>\w+) actions.*? on track,? with (?<more_work>\w+) actions? requiring more work)");
    d.rule("TOTAL-COUNT", "actions", std::move(params));
    return d;
}

const char* const kFiveOfEight =
    "As at the end of November, five out of eight actions being progressed during the first half of the year are on "
    "track with three actions requiring more work in the next half year.";

void add_actions(RulesDoc& d, const std::vector<std::string>& rags, const std::string& section = "1") {
    int n = 1;
    for (const std::string& rag : rags)
        d.row("actions", {section + "." + std::to_string(n++), "", rag, "An action", ""});
}

}  // namespace

TEST_CASE("summary 'five out of eight' agrees with 5 Green and 3 Amber", "[rules]") {
    RulesDoc d = half_year_plan();
    d.section("1").claim("summary", kFiveOfEight);
    add_actions(d, {"Green", "Green", "Amber", "Green", "Green", "Amber", "Green", "Amber"});
    CHECK(of_rule(d.check(), "TOTAL-COUNT").empty());
}

TEST_CASE("summary 'five out of eight' disagrees with 4 Green and 4 Amber", "[rules]") {
    RulesDoc d = half_year_plan();
    d.section("1").claim("summary", kFiveOfEight);
    add_actions(d, {"Green", "Green", "Amber", "Amber", "Green", "Amber", "Green", "Amber"});
    auto found = of_rule(d.check(), "TOTAL-COUNT");
    REQUIRE(found.size() == 1);
    const Finding& f = found.front();
    CHECK(f.severity == Severity::Error);
    CHECK(f.message ==
          "summary says 5 of 8 actions are on track and 3 more work; the table has 4 Green and 4 Amber or Red of 8");
    CHECK(f.sheet == "Sheet1");
    CHECK(f.cell == "A4");  // the claim's cell
    CHECK(f.record == "1");
    CHECK(f.expected == "4 on track, 4 more work, 8 in all");
    CHECK(f.actual == "5 on track, 3 more work, 8 in all");
}

TEST_CASE("a claim wrong in one number gives that number as expected and actual", "[rules]") {
    RulesDoc d = half_year_plan();
    d.section("2").claim("summary",
                         "As at the end of November, one of six actions being progressed during the first half of the "
                         "year is on track with five actions requiring more work in the next half year.");
    add_actions(d, {"Green", "Amber", "Amber", "Amber", "Amber", "Red", "Amber"}, "2");
    auto found = of_rule(d.check(), "TOTAL-COUNT");
    REQUIRE(found.size() == 1);
    CHECK(found[0].message ==
          "summary says 1 of 6 actions are on track and 5 more work; the table has 1 Green and 6 Amber or Red of 7");
    CHECK(found[0].expected == "1 on track, 6 more work, 7 in all");
    // "one of six" (no "out") is read, and only the two wrong numbers matter.
}

TEST_CASE("Amber (Central Government Delay) counts as Amber in a summary", "[rules]") {
    RulesDoc d = half_year_plan();
    d.section("1").claim("summary", kFiveOfEight);
    add_actions(d, {"Green", "Green", "Amber (Central Government Delay)", "Green", "Green", "Amber", "Green", "Red"});
    CHECK(of_rule(d.check(), "TOTAL-COUNT").empty());
}

TEST_CASE("N/A actions are not counted", "[rules]") {
    RulesDoc d = half_year_plan();
    d.section("1").claim("summary", kFiveOfEight);
    add_actions(d, {"Green", "N/A", "Green", "Amber", "Green", "Green", "Amber", "", "Green", "Amber"});
    CHECK(of_rule(d.check(), "TOTAL-COUNT").empty());
}

TEST_CASE("continuation rows merged into an action are counted once", "[rules]") {
    RulesDoc d = half_year_plan();
    d.section("1").claim("summary", kFiveOfEight);
    add_actions(d, {"Green", "Green", "Amber", "Green", "Green", "Amber", "Green", "Amber"});
    d.last("actions").continuations = 2;
    d.last("actions").last_row += 2;
    CHECK(of_rule(d.check(), "TOTAL-COUNT").empty());
}

TEST_CASE("each section's summary is checked against its own actions", "[rules]") {
    RulesDoc d = half_year_plan();
    d.section("1").claim("summary", kFiveOfEight);
    add_actions(d, {"Green", "Green", "Amber", "Green", "Green", "Amber", "Green", "Amber"}, "1");
    d.section("3").claim("summary",
                         "As at the end of November, eight out of ten actions being progressed during the first half "
                         "of the year are on track with two actions requiring more work in the next half year.");
    add_actions(d, {"Green", "Green", "Green", "Green", "Green", "Green", "Green", "Amber", "Amber", "Amber"}, "3");
    auto found = of_rule(d.check(), "TOTAL-COUNT");
    REQUIRE(found.size() == 1);
    CHECK(found[0].record == "3");
}

TEST_CASE("'all of the four actions' is four of four", "[rules]") {
    // A mapping's pattern captures "all" as the on-track part and "four" as the total.
    RulesDoc e = half_year_plan();
    e.section("4").claim("summary", "all of the four actions are on track", {{"on_track", "all"}, {"total", "four"}});
    add_actions(e, {"Green", "Green", "Green", "Green"}, "4");
    CHECK(of_rule(e.check(), "TOTAL-COUNT").empty());
    e.row("actions", {"4.5", "", "Amber", "A fifth action", ""});
    CHECK(of_rule(e.check(), "TOTAL-COUNT").size() == 1);
}

TEST_CASE("'Of the 69 actions, 28 … 35 … six …' is checked part by part", "[rules]") {
    RulesDoc d;
    d.table("actions", "action", column("id", FieldType::Id), column("rag", FieldType::Rag),
            column("action", FieldType::Text));
    d.claim_pattern(
        "progress",
        R"(Of the (?<total>\w+) actions.*?, (?<complete>\w+) have been completed.*?, (?<progressing>\w+) are being progressed and (?<stalled>\w+) have not progressed)");
    d.rule("TOTAL-COUNT", "actions",
           {{"claim", "progress"}, {"complete", "Blue"}, {"progressing", "Green Amber"}, {"stalled", "Red"}});
    d.section("1").claim("progress",
                         "Of the 69 actions which were to be started or completed during the period, 28 have been "
                         "completed on time, 35 are being progressed and six have not progressed.");
    std::vector<std::string> rags;
    for (int i = 0; i < 28; ++i) rags.push_back("Complete");
    for (int i = 0; i < 20; ++i) rags.push_back("Green");
    for (int i = 0; i < 15; ++i) rags.push_back("Amber");
    for (int i = 0; i < 6; ++i) rags.push_back("Red");
    int n = 1;
    for (const std::string& rag : rags) d.row("actions", {std::to_string(n++), rag, "action"});
    CHECK(of_rule(d.check(), "TOTAL-COUNT").empty());

    d.row("actions", {"70", "Red", "one more stalled action"});
    auto found = of_rule(d.check(), "TOTAL-COUNT");
    REQUIRE(found.size() == 1);
    CHECK(found[0].message ==
          "progress says 28 of 69 actions are complete and 35 progressing and 6 stalled; the table has 28 Blue and 35 "
          "Green or Amber and 7 Red of 70");
}

TEST_CASE("a Total row stating how many records it closes is counted", "[rules]") {
    RulesDoc d;
    d.table("escalations", "escalation", column("stage", FieldType::Text), column("count", FieldType::Integer));
    d.rule("TOTAL-COUNT", "escalations", {{"count_field", "count"}});
    d.row("escalations", {"Stage 1", "26"}).row("escalations", {"Stage 2", "8"}).row("escalations", {"Stage 3", "2"});
    d.row("escalations", {"Total", "3"}, RecordKind::Total);
    CHECK(of_rule(d.check(), "TOTAL-COUNT").empty());
    d.row("escalations", {"Stage 4", "1"}).row("escalations", {"Total", "1"}, RecordKind::Total);
    d.row("escalations", {"Stage 5", "1"}).row("escalations", {"Total", "two"}, RecordKind::Total);
    auto found = of_rule(d.check(), "TOTAL-COUNT");
    REQUIRE(found.size() == 1);  // the first two totals are right, "two" over one row is not
    CHECK(found[0].expected == "1");
    CHECK(found[0].actual == "2");
}

// ---- TOTAL-SUM ------------------------------------------------------------------------------

namespace {

// The budget monitoring appendix (seed 002), in £'000: services, unlabelled subtotals, named
// totals and totals of totals. Every figure here reconciles.
RulesDoc budget() {
    RulesDoc d;
    auto money = [](std::string field) {
        ColumnSpec c = column(std::move(field), FieldType::Money);
        c.scale = 1000;
        return c;
    };
    d.table("lines", "line", column("service", FieldType::Text), money("original"), money("latest_approved"),
            money("outturn"), money("variation"));
    d.spec("lines").total_field = "service";
    d.spec("lines").unlabelled_subtotals = true;
    d.sheet("Appendix 1");
    auto line = [&](std::vector<std::string> cells, RecordKind kind = RecordKind::Record) {
        d.row("lines", std::move(cells), kind);
    };
    line({"EDUCATION & CARE SERVICES DEPARTMENT", "", "", "", ""}, RecordKind::Group);
    line({"Adult Social Care AIDS-HIV Service", "120", "45", "36", "-9"});
    line({"Assessment and Care Management", "31,603", "32,092", "31,979", "(113)"});
    line({"Direct Services", "4,627", "4,244", "4,203", "Cr 41"});
    line({"Learning Disabilities Care Management", "2,451", "2,551", "2,621", "70"});
    line({"Learning Disabilities Day Services", "2,050", "2,051", "1,853", "-198"});
    line({"Learning Disabilities Housing & Support", "1,211", "1,259", "1,184", "-75"});
    line({"", "42,062", "42,242", "41,876", "-366"}, RecordKind::Total);
    line({"Operational Housing Housing Needs", "2,160", "2,549", "3,773", "1,224"});
    line({"Enabling Activities", "-4", "-4", "-1", "3"});
    line({"Housing Benefits", "-1,016", "-1,814", "-1,815", "-1"});
    line({"", "1,140", "731", "1,957", "1,226"}, RecordKind::Total);
    line({"TOTAL CONTROLLABLE FOR ECS DEPT", "43,202", "42,973", "43,833", "860"}, RecordKind::Total);
    line({"ENVIRONMENTAL SERVICES DEPARTMENT", "", "", "", ""}, RecordKind::Group);
    line({"Housing Improvement", "476", "476", "254", "-222"});
    line({"Housing Enforcement", "254", "254", "242", "-12"});
    line({"TOTAL CONTROLLABLE FOR ENV SERV DEPT", "730", "730", "496", "-234"}, RecordKind::Total);
    line({"TOTAL CONTROLLABLE BUDGET FOR THE PORTFOLIO", "43,932", "43,703", "44,329", "626"}, RecordKind::Total);
    line({"TOTAL NON CONTROLLABLE", "3,987", "3,436", "3,436", "0"}, RecordKind::Total);
    line({"TOTAL EXCLUDED RECHARGES", "9,047", "9,780", "9,780", "0"}, RecordKind::Total);
    line({"CARE SERVICES PORTFOLIO TOTAL", "56,966", "56,919", "57,545", "626"}, RecordKind::Total);
    return d;
}

}  // namespace

TEST_CASE("the budget appendix reconciles: subtotals, department totals and portfolio total", "[rules]") {
    RulesDoc d = budget();
    d.rule("TOTAL-SUM", "lines");
    d.rule("TOTAL-DIFF", "lines", {{"result", "variation"}, {"minuend", "outturn"}, {"subtrahend", "latest_approved"}});
    CHECK(d.check().empty());
}

TEST_CASE("a subtotal that is not the sum of the service rows above it", "[rules]") {
    RulesDoc d = budget();
    d.rule("TOTAL-SUM");                             // every table it fits
    d.value("lines", 7, "original").set_raw("42,162");  // 42,062 mistyped
    auto found = of_rule(d.check(), "TOTAL-SUM");
    REQUIRE_FALSE(found.empty());
    const Finding& f = found.front();
    CHECK(f.sheet == "Appendix 1");
    CHECK(f.cell == "B" + std::to_string(d.record("lines", 7).first_row + 1));
    CHECK(f.message == "the subtotal of original is 42,162 but the 6 rows above it add up to 42,062");
    CHECK(f.expected == "42,062");
    CHECK(f.actual == "42,162");
}

TEST_CASE("a total within ±1 in a £'000 table is rounding, not a mistake", "[rules]") {
    RulesDoc d = budget();
    d.rule("TOTAL-SUM", "lines");
    d.value("lines", 7, "original").set_raw("42,063");
    CHECK(of_rule(d.check(), "TOTAL-SUM").empty());
    d.mapping().rules.back().params["tolerance"] = "0";
    auto found = of_rule(d.check(), "TOTAL-SUM");
    REQUIRE(found.size() == 2);  // the subtotal, and the department total over the subtotal as shown
    CHECK(found[0].message == "the subtotal of original is 42,063 but the 6 rows above it add up to 42,062");
    CHECK(found[1].message == "'TOTAL CONTROLLABLE FOR ECS DEPT' original is 43,202 but its 2 parts add up to 43,203");
}

TEST_CASE("a named total that is not the sum of its subtotals", "[rules]") {
    RulesDoc d = budget();
    d.rule("TOTAL-SUM", "lines", {{"fields", "outturn"}});
    d.value("lines", 12, "outturn").set_raw("43,883");  // TOTAL CONTROLLABLE FOR ECS DEPT, was 43,833
    auto found = of_rule(d.check(), "TOTAL-SUM");
    // Each total is judged by the figures shown above it, so the portfolio total over the wrong
    // department total is reported too: fixing the first fixes both.
    REQUIRE(found.size() == 2);
    CHECK(found[0].message == "'TOTAL CONTROLLABLE FOR ECS DEPT' outturn is 43,883 but its 2 parts add up to 43,833");
    CHECK(found[1].message ==
          "'TOTAL CONTROLLABLE BUDGET FOR THE PORTFOLIO' outturn is 44,329 but the 2 totals above it add up to 44,379");
}

TEST_CASE("a total of totals that is slightly off is reported against the totals above it", "[rules]") {
    RulesDoc d = budget();
    d.rule("TOTAL-SUM", "lines", {{"fields", "original"}});
    d.value("lines", 17, "original").set_raw("43,923");  // the portfolio's controllable total, was 43,932
    auto found = of_rule(d.check(), "TOTAL-SUM");
    REQUIRE(found.size() == 2);
    CHECK(
        found[0].message ==
        "'TOTAL CONTROLLABLE BUDGET FOR THE PORTFOLIO' original is 43,923 but the 2 totals above it add up to 43,932");
    CHECK(found[1].message ==
          "'CARE SERVICES PORTFOLIO TOTAL' original is 56,966 but the 3 totals above it add up to 56,957");
}

TEST_CASE("a stated breakdown that does not add up to its total: 26+8+2 shown as 34", "[rules]") {
    RulesDoc d;
    d.table("escalations", "escalation", column("stage", FieldType::Text), column("count", FieldType::Integer));
    d.spec("escalations").total_field = "stage";
    d.rule("TOTAL-SUM", "escalations");
    d.row("escalations", {"Stage 1", "26"}).row("escalations", {"Stage 2", "8"}).row("escalations", {"Stage 3", "2"});
    d.row("escalations", {"Total", "34"}, RecordKind::Total);
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "TOTAL-SUM");
    CHECK(found[0].message == "'Total' count is 34 but its 3 parts add up to 36");
    CHECK(found[0].expected == "36");
    CHECK(found[0].actual == "34");
}

// ---- TOTAL-RATIO ----------------------------------------------------------------------------

namespace {

RulesDoc indicators() {
    RulesDoc d;
    d.table("indicators", "indicator", column("no", FieldType::Id), column("indicator", FieldType::Text, true),
            column("target", FieldType::Quantity), column("outturn", FieldType::Quantity));
    d.rule("TOTAL-RATIO", "indicators");
    return d;
}

}  // namespace

TEST_CASE("'50.5% (92/181)' is really 50.8%", "[rules]") {
    RulesDoc d = indicators();
    d.section("1").row(
        "indicators",
        {"5.",
         "ASCOF 2d(1): Proportion of those that received a short term service during the year where the sequel to the service was either no ongoing support or support at a lower level (%)",
         "70", "50.5% (92/181) October"});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    const Finding& f = found[0];
    CHECK(f.rule == "TOTAL-RATIO");
    CHECK(f.cell == "D" + std::to_string(d.last("indicators").first_row + 1));  // the outturn cell
    CHECK(f.record == "1.5");                                                   // indicator 5 of outcome 1
    CHECK(f.message == "'50.5% (92/181) October' states 50.5% but 92/181 is 50.8%");
    CHECK(f.expected == "50.8%");
    CHECK(f.actual == "50.5%");
}

TEST_CASE("'90.5% (191/211)' is right", "[rules]") {
    RulesDoc d = indicators();
    d.section("1").row(
        "indicators",
        {"4.",
         "ASCOF 2b(1): The proportion of older people (65 and over) who were still at home 91 days after discharge (%)",
         "90", "90.5% (191/211) October"});
    d.row("indicators", {"6.", "Reablement", "", "964 96.2% (481/500) (Q1) 85.9% (483/562) (Q2)"});
    CHECK(d.check().empty());
}

TEST_CASE("'41% (15)' of 36 cases is 41.7%", "[rules]") {
    RulesDoc d;
    d.table("panel", "case_group", column("what", FieldType::Text), column("cases", FieldType::Integer),
            column("within_four_weeks", FieldType::Quantity));
    d.rule("TOTAL-RATIO", "panel", {{"denominator_field", "cases"}});
    d.row("panel", {"Early Permanency Panel plans", "36", "41% (15)"});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].message == "'41% (15)' states 41% but 15 of 36 is 41.7%");
    d.row("panel", {"Completed within two weeks", "36", "33% (12)"});
    CHECK(d.check().size() == 1);  // one third (12) of 36 is 33.3%: right
}

// ---- TOTAL-DIFF -----------------------------------------------------------------------------

TEST_CASE("a variation that is not outturn minus latest approved", "[rules]") {
    RulesDoc d = budget();
    d.rule("TOTAL-DIFF", "lines", {{"result", "variation"}, {"minuend", "outturn"}, {"subtrahend", "latest_approved"}});
    d.value("lines", 2, "variation").set_raw("Cr 131");  // Assessment and Care Management: 31,979 − 32,092 = −113
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "TOTAL-DIFF");
    CHECK(found[0].message == "variation is -131 but outturn − latest_approved is 31,979 − 32,092 = -113");
    CHECK(found[0].expected == "-113");
    CHECK(found[0].cell == "E" + std::to_string(d.record("lines", 2).first_row + 1));
}

TEST_CASE("variations that agree with outturn minus latest approved", "[rules]") {
    RulesDoc d = budget();
    d.rule("TOTAL-DIFF", "", {{"result", "variation"}, {"minuend", "outturn"}, {"subtrahend", "latest_approved"}});
    CHECK(d.check().empty());
}

// ---- TOTAL-PART -----------------------------------------------------------------------------

namespace {

RulesDoc contracts() {
    RulesDoc d;
    d.table("contracts", "contract", column("title", FieldType::Text), column("total_value", FieldType::Money),
            column("annual_value", FieldType::Money), column("budget", FieldType::Money));
    d.rule("TOTAL-PART", "contracts", {{"part", "budget"}, {"whole", "total_value"}});
    return d;
}

}  // namespace

TEST_CASE("a year's budget larger than the whole contract", "[rules]") {
    RulesDoc d = contracts();
    d.row("contracts", {"Domiciliary Care", "£400,000", "£100,000", "£500,000"});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "TOTAL-PART");
    CHECK(found[0].message == "budget (500,000) is larger than total_value (400,000), which it is part of");
}

TEST_CASE("a budget within its contract's value, and words after the figure", "[rules]") {
    RulesDoc d = contracts();
    d.row("contracts",
          {"Extra Care Housing", "£3,500,000 estimated (part of a wider contract)", "£700,000", "£650,000"});
    CHECK(d.check().empty());
}

TEST_CASE("percentage shares that add up to more than 100", "[rules]") {
    RulesDoc d;
    d.table("placements", "placement", column("type", FieldType::Text), column("in_borough", FieldType::Percent),
            column("out_of_borough", FieldType::Percent), column("unknown", FieldType::Percent));
    d.rule("TOTAL-PART", "placements", {{"fields", "in_borough out_of_borough unknown"}});
    d.row("placements", {"Foster care", "62%", "33%", "5%"});
    d.row("placements", {"Residential", "60.4%", "30.3%", "9.4%"});  // 100.1: rounding
    CHECK(d.check().empty());
    d.row("placements", {"Adoption", "70%", "40%", ""});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].message == "the shares in in_borough to unknown add up to 110%, more than 100%");
}

TEST_CASE("TOTAL-COUNT keeps its documented defaults when a mapping declares one category", "[rules]") {
    // Only more_work declared: on_track is still Green, and the total counts Green too.
    RulesDoc d = half_year_plan({{"claim", "summary"}, {"more_work", "Amber Red"}});
    d.section("1").claim("summary", kFiveOfEight);
    add_actions(d, {"Green", "Green", "Amber", "Green", "Green", "Amber", "Green", "Amber"});
    CHECK(of_rule(d.check(), "TOTAL-COUNT").empty());
    d.row("actions", {"1.9", "", "Green", "A ninth action", ""});
    auto found = of_rule(d.check(), "TOTAL-COUNT");
    REQUIRE(found.size() == 1);
    CHECK(found[0].message ==
          "summary says 5 of 8 actions are on track and 3 more work; the table has 6 Green and 3 Amber or Red of 9");
}

TEST_CASE("an unreadable status makes a disagreeing summary unconfirmable, never a wrong denominator", "[rules]") {
    RulesDoc d = half_year_plan();
    d.rule("FIELD-ENUM", "actions", {});
    d.section("1").claim("summary", kFiveOfEight);
    add_actions(d, {"Green", "Green", "Amber", "Green", "Green", "Amber", "Green", "Amberish"});
    auto all = d.check();
    auto enums = of_rule(all, "FIELD-ENUM");
    REQUIRE(enums.size() == 1);
    auto counts = of_rule(all, "TOTAL-COUNT");
    REQUIRE(counts.size() == 1);
    CHECK(counts[0].message.find("cannot be confirmed") != std::string::npos);
    CHECK(counts[0].message.find(enums[0].cell) != std::string::npos);  // the cell FIELD-ENUM reports
    CHECK(counts[0].message.find("of 7") == std::string::npos);
    CHECK_FALSE(counts[0].expected.has_value());
    // A summary that agrees with every readable status stays silent (FIELD-ENUM has the cell).
    RulesDoc agrees = half_year_plan();
    agrees.section("1").claim("summary", kFiveOfEight);
    add_actions(agrees, {"Green", "Green", "Amber", "Green", "Green", "Amber", "Green", "Amber", "Amberish"});
    CHECK(of_rule(agrees.check(), "TOTAL-COUNT").empty());
}
