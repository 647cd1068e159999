// FIELD-* rules on small documents built from the seed papers' layouts and strings.
#include "test_rules_fixture.hpp"

#include <catch2/catch.hpp>

using namespace planconv;
using namespace planconv::test;

namespace {

RulesDoc half_year_actions() {
    RulesDoc d;
    d.table("actions", "action", column("id", FieldType::Id), column("aim", FieldType::RichText),
            column("rag", FieldType::Rag), column("action", FieldType::RichText, true),
            column("update", FieldType::RichText));
    return d;
}

}  // namespace

// ---- FIELD-REQUIRED -------------------------------------------------------------------------

TEST_CASE("an action row with no action text", "[rules]") {
    RulesDoc d = half_year_actions();
    d.rule("FIELD-REQUIRED");
    d.section("1").row("actions", {"1.3", "", "Amber", "", "Progress has been made on the review."});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "FIELD-REQUIRED");
    CHECK(found[0].record == "1.3");
    CHECK(found[0].cell == "D" + std::to_string(d.last("actions").first_row + 1));
    CHECK(found[0].message == "the required field 'action' is empty on this action");
}

TEST_CASE("filled-down values count as present, and notes and totals are not records", "[rules]") {
    RulesDoc d = half_year_actions();
    d.rule("FIELD-REQUIRED", "", {{"fields", "id action"}});
    d.section("1").row("actions", {"1.1", "Support people to live independently", "Green",
                                   "Review the market position statement", ""});
    d.row("actions", {"1.1", "", "Green", "Deliver the carers strategy", ""}).inherited("actions", "id");
    d.row("actions", {"A full dataset is being developed", "", "", "", ""}, RecordKind::Note);
    d.row("actions", {"", "", "", "", ""}, RecordKind::Group);
    CHECK(d.check().empty());
}

TEST_CASE("a cell of spaces and empty markup is empty", "[rules]") {
    RulesDoc d = half_year_actions();
    d.rule("FIELD-REQUIRED");
    d.row("actions", {"1.4", "", "Green", "<p> </p>", ""});
    CHECK(d.check().size() == 1);
}

// ---- FIELD-LOOKUP ---------------------------------------------------------------------------

namespace {

// Seed 003's improvement plan: sub-areas with a Lead of abbreviations, and the Key sheet.
RulesDoc improvement_plan_with_key(std::vector<std::string> abbreviations) {
    RulesDoc d;
    d.table("actions", "sub_area", column("id", FieldType::Id), column("key_actions", FieldType::RichText),
            column("lead", FieldType::Text));
    d.table("lead_key", "abbreviation", column("abbreviation", FieldType::Text), column("full_title", FieldType::Text));
    d.rule("FIELD-LOOKUP", "actions", {{"field", "lead"}, {"lookup", "lead_key.abbreviation"}});
    d.sheet("Key");
    for (const std::string& a : abbreviations) d.row("lead_key", {a, "(title)"});
    d.sheet("Priority 1");
    return d;
}

}  // namespace

TEST_CASE("leads made of abbreviations from the key pass, spaces inside abbreviations and all", "[rules]") {
    RulesDoc d = improvement_plan_with_key({"DCS", "HOS S&CP", "HOS QI", "GM CP Chairs", "HO LS", "BSCB"});
    for (const char* lead : {"DCS", "HOS S&CP", "hos s&cp / DCS", "HO LS HOS S&CP", "DCS and BSCB", "GM CP Chairs, HOS QI",
                             "HOS  QI", "<p>DCS</p>"})
        d.row("actions", {"1.1", "1.1.1 Review", lead});
    CHECK(d.check().empty());
}

TEST_CASE("a lead not in the key is a warning naming the words that are not", "[rules]") {
    RulesDoc d = improvement_plan_with_key({"DCS", "HOS S&CP", "HO LS", "BSCB"});
    d.row("actions", {"4.1", "4.1.1 Audit", "All HOS"});
    d.row("actions", {"4.2", "4.2.1 Train", "DCS and Chair of BSCB"});
    d.row("actions", {"10.1", "10.1.1 Court", "HO LS HOS S&CP Court Manager / DHR"});
    d.row("actions", {"10.2", "10.2.1 Plan", "HOS"});  // "HOS" alone is not "HOS S&CP"
    auto found = d.check();
    REQUIRE(found.size() == 4);
    for (const Finding& f : found) {
        CHECK(f.rule == "FIELD-LOOKUP");
        CHECK(f.severity == Severity::Warning);
    }
    CHECK(found[0].message == "lead 'All HOS' is not in the 'abbreviation' list on sheet 'Key'");
    CHECK(found[1].message == "lead 'DCS and Chair of BSCB' uses 'Chair of', not in the 'abbreviation' list on sheet 'Key'");
    CHECK(found[2].message ==
          "lead 'HO LS HOS S&CP Court Manager / DHR' uses 'Court Manager', 'DHR', not in the 'abbreviation' list on sheet 'Key'");
    CHECK(found[3].actual == "HOS");
}

TEST_CASE("a return without its key list is not judged", "[rules]") {
    RulesDoc d = improvement_plan_with_key({});
    d.row("actions", {"1.1", "1.1.1 Review", "Anyone at all"});
    CHECK(d.check().empty());
}

// ---- FIELD-ENUM -----------------------------------------------------------------------------

TEST_CASE("Amber (Central Government Delay) is a known RAG value", "[rules]") {
    RulesDoc d = half_year_actions();
    d.rule("FIELD-ENUM");
    for (const char* rag :
         {"Green", "Amber", "Amber (Central Government Delay)", "N/A", "", "GREEN", "Complete", "Red"})
        d.row("actions", {"1.1", "", rag, "An action", ""});
    CHECK(d.check().empty());
}

TEST_CASE("a RAG value nobody defined is reported with its text", "[rules]") {
    RulesDoc d = half_year_actions();
    d.rule("FIELD-ENUM");
    d.row("actions", {"2.4", "", "Purple", "An action", ""});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].message == "rag 'Purple' is not a known value; expected Red, Amber, Green, Blue (complete) or N/A");
    CHECK(found[0].actual == "Purple");
}

TEST_CASE("a mapping's own RAG aliases are known", "[rules]") {
    RulesDoc d = half_year_actions();
    EnumValue green{"Green", {"On schedule"}};
    d.spec("actions").columns[2].enum_values.push_back(green);
    d.rule("FIELD-ENUM");
    d.row("actions", {"2.4", "", "On schedule", "An action", ""});
    CHECK(d.check().empty());
}

TEST_CASE("an enum value must be one of the values or aliases", "[rules]") {
    RulesDoc d;
    ColumnSpec frequency = column("frequency", FieldType::Enum);
    frequency.enum_values = {
        {"Annual", {"Annual (Survey)", "Annually"}}, {"Six monthly", {}}, {"Quarterly", {}}, {"Monthly", {}}};
    d.table("indicators", "indicator", column("no", FieldType::Id), std::move(frequency));
    d.rule("FIELD-ENUM");
    d.row("indicators", {"1", "Annual (Survey)"})
        .row("indicators", {"2", "six  monthly"})
        .row("indicators", {"3", "QUARTERLY"});
    CHECK(d.check().empty());
    d.row("indicators", {"4", "Fortnightly"});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].message ==
          "frequency 'Fortnightly' is not a known value; expected Annual, Six monthly, Quarterly, Monthly");
}

// ---- FIELD-TYPE -----------------------------------------------------------------------------

TEST_CASE("a number column holding text", "[rules]") {
    RulesDoc d;
    d.table("contracts", "contract", column("title", FieldType::Text), column("value", FieldType::Money),
            column("months", FieldType::Integer), column("share", FieldType::Percent),
            column("start", FieldType::Date));
    d.rule("FIELD-TYPE");
    d.row("contracts", {"Home Care", "#REF!", "36", "40%", "01-Sep-11"});
    d.row("contracts", {"Carers", "£120k", "12.5", "40%", "01-Sep-11"});
    d.row("contracts", {"Advocacy", "£120k", "12", "about half", "01-Sep-11"});
    d.row("contracts", {"Day Care", "£120k", "12", "50", "the first of April"});
    auto found = d.check();
    REQUIRE(found.size() == 4);
    CHECK(found[0].message == "value '#REF!' is not an amount of money");
    CHECK(found[0].expected == "money");
    CHECK(found[1].message == "months '12.5' is not a whole number");
    CHECK(found[2].message == "share 'about half' is not a number");
    CHECK(found[3].message == "start 'the first of April' is not a date");
}

TEST_CASE("money, numbers and dates as councils write them are readable", "[rules]") {
    RulesDoc d;
    d.table("contracts", "contract", column("title", FieldType::Text), column("value", FieldType::Money),
            column("months", FieldType::Integer), column("share", FieldType::Percent), column("start", FieldType::Date),
            column("outturn", FieldType::Quantity));
    d.rule("FIELD-TYPE");
    d.row("contracts", {"Extra Care", "£3,500,000 estimated (part of a wider contract)", "36", "81%", "01-Sep-11",
                        "90.5% (191/211) October"});
    d.row("contracts",
          {"Housing", "Cr £113k", "N/A", "-", "31/03/2017", "Annual Indicator Outturn available Quarter Two 2017/18"});
    d.row("contracts", {"Respite", "(113)", "1,200", "TBC", "1st April 2017", "New"});
    d.number("contracts", "months", 24, "24");
    CHECK(d.check().empty());
}

TEST_CASE("money written wholly in words is a statement, not a type error", "[rules]") {
    RulesDoc d;
    d.table("contracts", "contract", column("title", FieldType::Text), column("budget", FieldType::Money),
            column("projected", FieldType::Money));
    d.rule("FIELD-TYPE");
    d.row("contracts", {"Direct Payments", "Not allocated by contractor", "Greater than budget dependent on usage"});
    d.row("contracts", {"Carelink", "£335,000 Variable, cost on a client by client basis", "£36,000 Lower usage"});
    CHECK(d.check().empty());
}

TEST_CASE("'#N/A' in a quantity column cannot be read", "[rules]") {
    RulesDoc d;
    d.table("indicators", "indicator", column("no", FieldType::Id), column("outturn", FieldType::Quantity));
    d.rule("FIELD-TYPE");
    d.row("indicators", {"1.", "#N/A"});
    CHECK(d.check().size() == 1);
}
