// TIME-* rules on small documents built from the seed papers' layouts and strings.
#include "test_rules_fixture.hpp"

#include <catch2/catch.hpp>

using namespace planconv;
using namespace planconv::test;

namespace {

// The quarterly portfolio plan (seed 004): no RAG column; target dates, leads and updates.
RulesDoc quarterly_plan() {
    RulesDoc d;
    d.table("actions", "action", column("id", FieldType::Id), column("detail", FieldType::RichText),
            column("target_date", FieldType::Timescale), column("lead", FieldType::List),
            column("updates", FieldType::RichText));
    return d;
}

const Date kQuarter3 = ymd(2020, 12, 31);  // Quarter 3 of 2020/21 ends 31 December 2020
const Period kPlan2020 = financial_year(2020);

}  // namespace

// ---- TIME-UNPARSED --------------------------------------------------------------------------

TEST_CASE("'SeptDec 16' is not a timescale and its text is kept", "[rules]") {
    RulesDoc d;
    d.table("key_actions", "key_action", column("id", FieldType::Id), column("timescale", FieldType::Timescale));
    d.rule("TIME-UNPARSED");
    d.row("key_actions", {"2.3", "SeptDec 16"});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "TIME-UNPARSED");
    CHECK(found[0].severity == Severity::Error);
    CHECK(found[0].message == "timescale 'SeptDec 16' cannot be read as a date, a period or a status such as Ongoing");
    CHECK(found[0].actual == "SeptDec 16");
    CHECK(found[0].record == "2.3");
    CHECK(found[0].cell == "B" + std::to_string(d.last("key_actions").first_row + 1));
}

TEST_CASE("April 2022 [AP] parses", "[rules]") {
    RulesDoc d = quarterly_plan();
    d.rule("TIME-UNPARSED", "actions");
    d.row("actions", {"2.", "Sufficiency for funded childcare", "April 2022 [AP]", "Director Education", ""});
    d.row("actions",
          {"4.", "Narrow the educational gap", "<p>April 2022</p> <p>April 2022</p>", "Director Education", ""});
    d.row("actions", {"7.", "Ongoing work", "Ongoing", "", ""});
    d.row("actions", {"8.", "Key action", "By end Sep16 then quarterly prog", "", ""});
    d.row("actions", {"9.", "Key action", "Aug 16 Implemented  May 16", "", ""});
    CHECK(d.check().empty());
}

TEST_CASE("'(insert month)' in a timescale cell cannot be read", "[rules]") {
    RulesDoc d = quarterly_plan();
    d.rule("TIME-UNPARSED");
    d.row("actions", {"1.", "Assurance test", "(insert month)", "", ""});
    CHECK(of_rule(d.check(), "TIME-UNPARSED").size() == 1);
}

// ---- TIME-OUTSIDE-PLAN ----------------------------------------------------------------------

TEST_CASE("April 2022 falls outside the 2020/21 plan", "[rules]") {
    RulesDoc d = quarterly_plan();
    d.rule("TIME-OUTSIDE-PLAN");
    d.row("actions", {"5.", "Keep young people in Education, Employment or Training", "April 2022 [AP]", "", ""});
    d.row("actions", {"6.", "Reduce permanent exclusions", "April 2021", "", ""});
    d.row("actions", {"3.", "Within the plan", "March 2021", "", ""});
    auto found = d.check(kQuarter3, kPlan2020);
    REQUIRE(found.size() == 2);
    CHECK(found[0].severity == Severity::Warning);
    CHECK(found[0].record == "5.");
    CHECK(found[0].message ==
          "target_date 'April 2022' (30 April 2022) is after the plan period 1 April 2020 to 31 March 2021");
    CHECK(found[0].actual == "30 April 2022");
    CHECK(found[1].record == "6.");
}

TEST_CASE("without a plan period nothing is outside it", "[rules]") {
    RulesDoc d = quarterly_plan();
    d.rule("TIME-OUTSIDE-PLAN");
    d.row("actions", {"5.", "Keep young people in Education", "April 2022 [AP]", "", ""});
    CHECK(d.check(kQuarter3, std::nullopt).empty());
}

// ---- TIME-OVERDUE ---------------------------------------------------------------------------

TEST_CASE("September 2020 target is overdue at Quarter 3 2020/21 while work continues", "[rules]") {
    RulesDoc d = quarterly_plan();
    d.rule("TIME-OVERDUE", "actions", {{"update_field", "updates"}});
    d.row("actions",
          {"3.", "Procure a digital solution to manage and process Early Years funding", "September 2020",
           "Director Education",
           "Roll out of digital solution in progress. Automated monthly payments went live from September 2020 "
           "and working well. Parent portal now under development."});
    auto found = d.check(kQuarter3, kPlan2020);
    REQUIRE(found.size() == 1);
    const Finding& f = found[0];
    CHECK(f.rule == "TIME-OVERDUE");
    CHECK(f.severity == Severity::Warning);
    CHECK(f.record == "3.");
    CHECK(
        f.message ==
        "target_date 'September 2020' was due by 30 September 2020, before the reporting date 31 December 2020, and the "
        "action is not marked complete");
}

TEST_CASE("January 2021 is not overdue at 31 December 2020", "[rules]") {
    RulesDoc d = quarterly_plan();
    d.rule("TIME-OVERDUE");
    d.row("actions", {"3.", "Produce an updated sufficiency report", "January 2021", "",
                      "Contract due to commence January 2021."});
    d.row("actions", {"4.", "Narrow the educational gap", "April 2022 [AP]", "", ""});
    d.row("actions", {"5.", "Ongoing monitoring", "Ongoing", "", ""});
    CHECK(d.check(kQuarter3, kPlan2020).empty());
}

TEST_CASE("a past target whose update says it is complete is not overdue", "[rules]") {
    RulesDoc d = quarterly_plan();
    d.rule("TIME-OVERDUE", "actions", {{"update_field", "updates detail"}});
    d.row("actions", {"1.", "1.1.1 Review and refine the threshold document (completed)", "Sep 16", "", ""});
    d.row("actions",
          {"2.", "Write a set of practice standards", "Oct 16", "", "The practice standards have been completed."});
    d.row("actions", {"3.", "Recruit staff", "Oct 16", "", "Recruitment is not yet complete"});
    d.row("actions", {"4.", "Key action", "Aug 16 Implemented  May 16", "", ""});
    auto found = d.check(ymd(2016, 11, 30));
    REQUIRE(found.size() == 1);
    CHECK(found[0].record == "3.");
}

TEST_CASE("a Blue (complete) action is not overdue and an N/A one is not judged", "[rules]") {
    RulesDoc d;
    d.table("actions", "action", column("id", FieldType::Id), column("rag", FieldType::Rag),
            column("deadline", FieldType::Timescale));
    d.rule("TIME-OVERDUE");
    d.row("actions", {"1.1", "Complete", "By Dec 16"});
    d.row("actions", {"1.2", "N/A", "By Dec 16"});
    d.row("actions", {"1.3", "Amber", "By Dec 16"});
    auto found = d.check(ymd(2017, 3, 31));
    REQUIRE(found.size() == 1);
    CHECK(found[0].record == "1.3");
}

TEST_CASE("each sub-action's own target date is judged", "[rules]") {
    RulesDoc d = quarterly_plan();
    d.rule("TIME-OVERDUE", "actions", {{"update_field", "updates"}});
    d.row(
        "actions",
        {"2.",
         "<p>A) Ensure there is sufficient capacity</p> <p>B) Procure a digital solution</p> <p>C) Produce an updated sufficiency report</p>",
         "<p>April 2022 [AP]</p> <p>September 2020</p> <p>June 2020</p>", "Director Education", ""});
    d.subrecord("actions", "A",
                {{"detail", "Ensure there is sufficient capacity"},
                 {"target_date", "April 2022 [AP]"},
                 {"updates", "Weekly monitoring of take up and unmet demand in progress."}});
    d.subrecord("actions", "B",
                {{"detail", "Procure a digital solution"},
                 {"target_date", "September 2020"},
                 {"updates", "Roll out of digital solution in progress."}});
    d.subrecord("actions", "C",
                {{"detail", "Produce an updated sufficiency report"},
                 {"target_date", "June 2020"},
                 {"updates", "Report due April 2021"}});
    auto found = d.check(kQuarter3, kPlan2020);
    REQUIRE(found.size() == 2);
    CHECK(found[0].record == "2.B");
    CHECK(found[1].record == "2.C");
}

// ---- TIME-ORDER -----------------------------------------------------------------------------

namespace {

RulesDoc contracts() {
    RulesDoc d;
    d.table("contracts", "contract", column("title", FieldType::Text), column("start", FieldType::Date),
            column("end", FieldType::Date), column("months", FieldType::Integer));
    return d;
}

}  // namespace

TEST_CASE("an end date before its start date", "[rules]") {
    RulesDoc d = contracts();
    d.rule("TIME-ORDER", "contracts", {{"start", "start"}, {"end", "end"}});
    d.row("contracts", {"Carers Support Services", "01-Apr-16", "31-Mar-15", "12"});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "TIME-ORDER");
    CHECK(found[0].message == "end '31-Mar-15' (31 March 2015) is before start '01-Apr-16' (1 April 2016)");
    CHECK(found[0].cell == "C" + std::to_string(d.last("contracts").first_row + 1));
}

TEST_CASE("an end date after its start date, date cells included", "[rules]") {
    RulesDoc d = contracts();
    d.rule("TIME-ORDER", "contracts", {{"start", "start"}, {"end", "end"}});
    d.row("contracts", {"Home Care", "01-Sep-11", "31-Aug-14", "36"});
    d.row("contracts", {"Day Services", "", "", "12"});
    d.number("contracts", "start", 42461, "01/04/2016");  // Excel serial of 1 April 2016
    d.number("contracts", "end", 42825, "31/03/2017");
    CHECK(d.check().empty());
}

TEST_CASE("milestones out of order within one cell", "[rules]") {
    RulesDoc d;
    d.table("key_actions", "key_action", column("id", FieldType::Id), column("timescale", FieldType::Timescale));
    d.rule("TIME-ORDER");
    d.row("key_actions", {"5.6", "Jun / Sep 16  Oct 16  Dec 16"});
    d.row("key_actions", {"4.2", "Aug 16 Implemented  May 16"});
    CHECK(d.check().empty());
    d.row("key_actions", {"3.1", "Dec 16  Oct 16"});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].record == "3.1");
    CHECK(found[0].message ==
          "timescale 'Dec 16 Oct 16' lists 'Oct 16' after 'Dec 16': the milestones are out of order");
}

// ---- TIME-DURATION --------------------------------------------------------------------------

TEST_CASE("01-Apr-16 to 31-Mar-17 is 12 months", "[rules]") {
    RulesDoc d = contracts();
    d.rule("TIME-DURATION", "contracts", {{"start", "start"}, {"end", "end"}, {"months", "months"}});
    d.row("contracts", {"Carers Support Services", "01-Apr-16", "31-Mar-17", "12"});
    d.row("contracts", {"Home Care", "01-Sep-11", "31-Aug-14", "36"});
    d.row("contracts", {"Part month", "15-Apr-16", "31-Mar-17", "12"});
    d.row("contracts", {"Part month, stated low", "15-Apr-16", "31-Mar-17", "11"});
    CHECK(d.check().empty());
}

TEST_CASE("a duration that disagrees with its dates", "[rules]") {
    RulesDoc d = contracts();
    d.rule("TIME-DURATION", "contracts", {{"start", "start"}, {"end", "end"}, {"months", "months"}});
    d.row("contracts", {"Carers Support Services", "01-Apr-16", "31-Mar-17", "24"});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].message == "months says 24 but 1 April 2016 to 31 March 2017 is 12 months");
    CHECK(found[0].expected == "12");
    CHECK(found[0].actual == "24");
}

TEST_CASE("a #N/A duration is not a duration", "[rules]") {
    RulesDoc d = contracts();
    d.rule("TIME-DURATION", "contracts", {{"start", "start"}, {"end", "end"}, {"months", "months"}});
    d.row("contracts", {"Carers Support Services", "01-Apr-16", "31-Mar-17", "#N/A"});
    d.row("contracts", {"Advocacy", "01-Apr-16", "31-Mar-17", "Rolling"});
    CHECK(d.check().empty());
}

TEST_CASE("a contract still listed after its end date, when the mapping asks", "[rules]") {
    RulesDoc d = contracts();
    d.spec("contracts").columns[0].key = true;  // the title names a contract
    d.rule("TIME-OVERDUE", "contracts", {{"field", "end"}});
    d.row("contracts", {"Adults - Supporting People - Floating Support Young People", "01-Sep-13", "31-Aug-16", "36"});
    d.row("contracts", {"Carers Support Services", "01-Apr-16", "", "12"});
    d.number("contracts", "end", 42825, "31/03/2017");
    auto found = d.check(ymd(2016, 11, 2));
    REQUIRE(found.size() == 1);
    CHECK(found[0].record == "Adults - Supporting People - Floating Support Young People");
    CHECK(found[0].actual == "not complete at 2 November 2016");
}
