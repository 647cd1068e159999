// ID-* rules on small documents built from the seed papers' layouts and strings.
#include "test_rules_fixture.hpp"

#include <catch2/catch.hpp>

using namespace planconv;
using namespace planconv::test;

namespace {

RulesDoc actions() {
    RulesDoc d;
    d.table("actions", "action", column("id", FieldType::Id), column("rag", FieldType::Rag),
            column("action", FieldType::RichText));
    return d;
}

// The improvement plan (seed 003): sub-areas P.S with key actions P.S.A inside one cell.
RulesDoc improvement_plan() {
    RulesDoc d;
    d.table("sub_areas", "sub_area", column("id", FieldType::Id), column("issue", FieldType::RichText),
            column("key_actions", FieldType::RichText), column("timescale", FieldType::Timescale));
    return d;
}

void key_action(RulesDoc& d, const std::string& id, const std::string& text) {
    d.subrecord("sub_areas", id, {{"key_actions", text}});
}

}  // namespace

// ---- ID-DUPLICATE ---------------------------------------------------------------------------

TEST_CASE("two actions numbered 1.2", "[rules]") {
    RulesDoc d = actions();
    d.rule("ID-DUPLICATE");
    d.section("1").row("actions", {"1.1", "Green", "Review the market position statement"});
    d.row("actions", {"1.2", "Green", "Deliver the carers strategy"});
    d.row("actions", {"1.2", "Amber", "Implement the dementia strategy"});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "ID-DUPLICATE");
    CHECK(found[0].record == "1.2");
    CHECK(found[0].cell == "A" + std::to_string(d.last("actions").first_row + 1));
    CHECK(found[0].message ==
          "id '1.2' is used twice: it was already used on row " + std::to_string(d.record("actions", 1).first_row + 1));
}

TEST_CASE("a filled-down id and an id restarting in a new section are not duplicates", "[rules]") {
    RulesDoc d = actions();
    d.rule("ID-DUPLICATE");
    d.section("1").row("actions", {"1.", "Green", "Indicator one"});
    d.row("actions", {"1.", "Green", "Its second action"}).inherited("actions", "id");
    d.section("2").row("actions", {"1", "Green", "Indicator one of section two"});
    CHECK(d.check().empty());
}

TEST_CASE("the same key action number twice in one sub-area", "[rules]") {
    RulesDoc d = improvement_plan();
    d.rule("ID-DUPLICATE");
    d.section("2").row("sub_areas", {"2.7", "Management oversight", "…", "Oct 16"});
    key_action(d, "2.7.1", "Write an overview of management oversight expectations");
    key_action(d, "2.7.1", "Assurance test of management oversight to be undertaken via case audits");
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].message == "id '2.7.1' is used twice: it was already used earlier in the same cell");
}

// ---- ID-SEQUENCE ----------------------------------------------------------------------------

TEST_CASE("actions 1, 2, 4 have a gap", "[rules]") {
    RulesDoc d = actions();
    d.rule("ID-SEQUENCE");
    d.section("1").row("actions", {"1)", "", "Protect children"}).row("actions", {"2)", "", "Sufficiency"});
    d.row("actions", {"4)", "", "Narrow the educational gap"});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "ID-SEQUENCE");
    CHECK(found[0].severity == Severity::Warning);
    CHECK(found[0].record == "1.4");  // action 4 of section 1
    CHECK(found[0].message == "the numbering jumps from '2)' to '4)': 3 is missing");
    CHECK(found[0].expected == "3");
}

TEST_CASE("actions numbered 1. 2. 3. and 3.1 3.2 3.3 run in order", "[rules]") {
    RulesDoc d = actions();
    d.rule("ID-SEQUENCE");
    d.section("1").row("actions", {"1.", "", "a"}).row("actions", {"2.", "", "b"}).row("actions", {"3.", "", "c"});
    d.section("3").row("actions", {"3.1", "", "a"}).row("actions", {"3.2", "", "b"}).row("actions", {"3.3", "", "c"});
    d.row("actions", {"3.3", "", "same id again: ID-DUPLICATE's"});
    CHECK(d.check().empty());
}

TEST_CASE("3.1, 3.2, 3.4 has a gap and 3.3 after 3.4 is out of order", "[rules]") {
    RulesDoc d = actions();
    d.rule("ID-SEQUENCE");
    d.section("3").row("actions", {"3.1", "", "a"}).row("actions", {"3.2", "", "b"}).row("actions", {"3.4", "", "c"});
    d.row("actions", {"3.3", "", "d"});
    auto found = d.check();
    REQUIRE(found.size() == 2);
    CHECK(found[0].message == "the numbering jumps from '3.2' to '3.4': 3.3 is missing");
    CHECK(found[1].message == "'3.3' comes after '3.4': the numbering is out of order");
}

TEST_CASE("sub-actions A), B), D) miss C", "[rules]") {
    RulesDoc d = actions();
    d.rule("ID-SEQUENCE");
    d.section("1").row("actions", {"2.", "", "Sufficiency for funded childcare"});
    d.subrecord("actions", "A", {{"action", "Ensure there is sufficient capacity"}});
    d.subrecord("actions", "B", {{"action", "Procure a digital solution"}});
    d.subrecord("actions", "D", {{"action", "Produce an updated sufficiency report"}});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].record == "1.2.D");
    CHECK(found[0].message == "the numbering jumps from '2.B' to '2.D': 2.C is missing");
}

// ---- ID-PARENT ------------------------------------------------------------------------------

TEST_CASE("key action 8.6.3 inside sub-area 5.6", "[rules]") {
    RulesDoc d = improvement_plan();
    d.rule("ID-PARENT");
    d.rule("ID-SEQUENCE");
    d.section("5").row("sub_areas", {"5.6", "Care plans (CLA)", "…", "Jun / Sep 16  Oct 16  Dec 16"});
    key_action(d, "5.6.1", "Write a set of practice standards for CLA");
    key_action(d, "5.6.2", "Undertake a review of all placement plans");
    key_action(d, "8.6.3", "Review and revise the placement plan template");
    key_action(d, "8.6.4", "Review and revise the current delegated authority policy");
    auto all = d.check();
    // ID-SEQUENCE leaves ids filed under another parent to ID-PARENT ("8.6.3 starts at 3").
    for (const Finding& f : of_rule(all, "ID-SEQUENCE")) CHECK(f.record.find("8.6") == std::string::npos);
    auto found = of_rule(all, "ID-PARENT");
    REQUIRE(found.size() == 2);
    CHECK(found[0].record == "8.6.3");
    CHECK(found[0].message == "id '8.6.3' is numbered for '8.6' but sits under sub_area '5.6'");
    CHECK(found[0].expected == "5.6.n");
    CHECK(found[1].record == "8.6.4");
}

TEST_CASE("actions 1.1 and 1.2 sit in Priority Outcome 1", "[rules]") {
    RulesDoc d = actions();
    d.rule("ID-PARENT");
    d.section("1").row("actions", {"1.1", "", "a"}).row("actions", {"1.2", "", "b"});
    d.row("actions", {"1.", "", "single-part ids are not judged"});
    CHECK(d.check().empty());
    d.row("actions", {"2.1", "", "filed under the wrong outcome"});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].message == "id '2.1' is numbered for '2' but sits under section '1'");
}

TEST_CASE("measure 3a in priority 2", "[rules]") {
    RulesDoc d = actions();
    d.rule("ID-PARENT");
    d.section("2").row("actions", {"2a", "", "Audit"}).row("actions", {"3a", "", "X% of staff"});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].record == "3a");
}

// ---- TEXT-DUPLICATE -------------------------------------------------------------------------

TEST_CASE("a key action repeating an earlier one's text under another number", "[rules]") {
    RulesDoc d = improvement_plan();
    d.rule("TEXT-DUPLICATE", "sub_areas", {{"field", "key_actions"}});
    d.section("10").row("sub_areas", {"10.5", "Legal", "", "Dec 16"});
    key_action(d, "10.5.3", "10.5.3 Review and update the case management system used by Legal Department to ensure it is fit for purpose.");
    d.row("sub_areas", {"10.6", "Courts", "", "Mar 17"});
    key_action(d, "10.6.1", "10.6.1 review and update the case management  system used by Legal Department to ensure it is fit for purpose");
    key_action(d, "10.6.2", "Review and update the case management system used by Children's Social Care.");
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "TEXT-DUPLICATE");
    CHECK(found[0].severity == Severity::Warning);
    CHECK(found[0].record == "10.6.1");
    CHECK(found[0].message.rfind("sub area 10.6.1 has the same text as 10.5.3 (Sheet1!", 0) == 0);
}

TEST_CASE("short texts and different texts are not duplicates", "[rules]") {
    RulesDoc d = actions();
    d.rule("TEXT-DUPLICATE", "actions", {{"field", "action"}});
    d.section("1").row("actions", {"1.1", "Green", "Ongoing"});
    d.row("actions", {"1.2", "Green", "Ongoing"});  // short: may well repeat
    d.row("actions", {"1.3", "Amber", "Deliver the carers strategy with partners"});
    d.row("actions", {"1.4", "Amber", "Deliver the dementia strategy with partners"});
    CHECK(d.check().empty());
    RulesDoc strict = actions();
    strict.rule("TEXT-DUPLICATE", "actions", {{"field", "action"}, {"min_length", "5"}});
    strict.section("1").row("actions", {"1.1", "Green", "Ongoing"});
    strict.row("actions", {"1.2", "Green", "Ongoing."});
    CHECK(strict.check().size() == 1);
}
