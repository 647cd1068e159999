// VALUE-* and STATUS-MISMATCH rules on small documents built from the seed papers' strings.
#include "test_rules_fixture.hpp"

#include <catch2/catch.hpp>

using namespace planconv;
using namespace planconv::test;

namespace {

RulesDoc indicators() {
    RulesDoc d;
    d.table("indicators", "indicator", column("no", FieldType::Id), column("indicator", FieldType::Text, true),
            column("rag", FieldType::Rag), column("target", FieldType::Quantity),
            column("outturn", FieldType::Quantity));
    return d;
}

}  // namespace

// ---- VALUE-UNIT -----------------------------------------------------------------------------

TEST_CASE("a 50% target for the number of homeless acceptances", "[rules]") {
    RulesDoc d = indicators();
    d.rule("VALUE-UNIT", "indicators", {{"target", "target"}, {"outturn", "outturn"}});
    d.row("indicators", {"3.", "Number of homeless acceptances", "", "50%", "220 (Q1)"});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "VALUE-UNIT");
    CHECK(found[0].severity == Severity::Warning);
    CHECK(found[0].cell == "D" + std::to_string(d.last("indicators").first_row + 1));  // the target
    CHECK(found[0].message == "target '50%' is a percentage but outturn '220 (Q1)' is a count");
    CHECK(found[0].expected == "a count, like outturn");
    CHECK(found[0].actual == "50%");
}

TEST_CASE("a percentage target for a count typed as a percentage-formatted cell", "[rules]") {
    RulesDoc d = indicators();
    d.rule("VALUE-UNIT");
    d.row("indicators", {"5.", "Number of newly approved foster carer households", "", "", "6"});
    d.number("indicators", "target", 0.5, "0.5");
    d.last("indicators").values[3].percent_format = true;
    CHECK(d.check().size() == 1);
    // A percentage target beside an outturn with percentages among its counts agrees.
    d.row("indicators", {"1.", "Reablement (%)", "", "65%", "964 96.2% (481/500) (Q1) 85.9% (483/562) (Q2)"});
    CHECK(d.check().size() == 1);
}

TEST_CASE("a bare target beside a percentage outturn is a percentage without its sign", "[rules]") {
    RulesDoc d = indicators();
    d.rule("VALUE-UNIT");  // every quantity column of every table
    d.row("indicators", {"4.", "ASCOF 2b(1): older people still at home 91 days after discharge (%)", "", "90",
                         "90.5% (191/211) October"});
    d.row("indicators", {"7.", "Number of carers assessed", "", ">800", "1,359 (Q2)"});
    d.row("indicators", {"8.", "Adoptions", "", "New", "234 (60%)"});
    d.row("indicators", {"9.", "ASCOF 1b (%)", "", "72", "Annual Indicator Outturn available Quarter Two 2017/18"});
    CHECK(d.check().empty());
}

// ---- VALUE-PLACEHOLDER ----------------------------------------------------------------------

TEST_CASE("'(insert month)' left in a key action", "[rules]") {
    RulesDoc d;
    d.table("sub_areas", "sub_area", column("id", FieldType::Id), column("key_actions", FieldType::RichText),
            column("timescale", FieldType::Timescale), column("lead", FieldType::List));
    d.rule("VALUE-PLACEHOLDER");
    d.row("sub_areas",
          {"2.7",
           "<ul> <li>2.7.1 Write an overview of management oversight expectations.</li> <li>2.7.2 Assurance "
           "test of management oversight to be undertaken via case audits and review of cases by Quality "
           "Improvement team in (insert month).</li> </ul>",
           "Oct 16", "HOS QI"});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "VALUE-PLACEHOLDER");
    CHECK(found[0].severity == Severity::Warning);
    CHECK(found[0].message == "key_actions still holds the placeholder '(insert month)' where a value is due");
    CHECK(found[0].actual == "(insert month)");
}

TEST_CASE("'X% of staff', TBC targets, XX and ?? are placeholders", "[rules]") {
    RulesDoc d = indicators();
    d.rule("VALUE-PLACEHOLDER");
    d.row("indicators",
          {"3a", "X% of staff in each partner agency states that they are confident to escalate", "", "TBC", "TBC"});
    d.row("indicators", {"3b", "Number of audits", "", "XX", "??"});
    d.row("indicators", {"3c", "Spend", "", "£Xk", ""});
    auto found = d.check();
    REQUIRE(found.size() == 6);
    CHECK(found[0].actual == "X%");
    CHECK(found[1].actual == "TBC");
    CHECK(found[3].actual == "XX");
    CHECK(found[4].actual == "??");
    CHECK(found[5].actual == "£Xk");
}

TEST_CASE("N/A, New and ordinary words are not placeholders", "[rules]") {
    RulesDoc d = indicators();
    d.rule("VALUE-PLACEHOLDER");
    d.row("indicators",
          {"1.", "ASCOF 1b: Proportion of people who use services who have control over their daily lives (%)", "",
           "N/A", "New"});
    d.row("indicators", {"2.", "Exam results at GCSE (X-ray of progress) for pupils aged 11-16", "", "72",
                         "XXL-sized box of 60 -120"});
    d.row("indicators", {"3.", "Insert new providers into the framework (to be agreed)", "", "-", "n/a"});
    CHECK(d.check().empty());
}

// ---- STATUS-MISMATCH ------------------------------------------------------------------------

TEST_CASE("Green while the outturn misses a higher-is-better target", "[rules]") {
    RulesDoc d = indicators();
    d.rule("STATUS-MISMATCH", "indicators", {{"target", "target"}, {"outturn", "outturn"}, {"polarity", "higher"}});
    d.row("indicators", {"5.", "ASCOF 2d(1): Proportion of those that received a short term service (%)", "Green", "70",
                         "50.5% (92/181) October"});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "STATUS-MISMATCH");
    CHECK(found[0].cell == "C" + std::to_string(d.last("indicators").first_row + 1));  // the RAG cell
    CHECK(found[0].message == "rag is 'Green' but the outturn 50.5% misses the target '70' (higher is better)");
    CHECK(found[0].expected == "Amber or Red");
}

TEST_CASE("Red while the latest outturn meets the target", "[rules]") {
    RulesDoc d = indicators();
    d.rule("STATUS-MISMATCH", "indicators", {{"target", "target"}, {"outturn", "outturn"}});
    d.row("indicators", {"6.", "Reablement", "Red", "80%", "71.4% (Q1) 85% (Q2)"});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].expected == "Green");
}

TEST_CASE("statuses that agree with the figures, lower being better", "[rules]") {
    RulesDoc d = indicators();
    d.rule("STATUS-MISMATCH", "indicators", {{"target", "target"}, {"outturn", "outturn"}, {"polarity", "lower"}});
    d.row("indicators", {"1.", "Average days between entering care and adoption", "Green", "<290", "274"});
    d.row("indicators", {"2.", "Delayed transfers of care per 100,000", "Green", "5.0", "4.2"});
    d.row("indicators", {"3.", "Re-referrals", "Amber", "20%", "24%"});
    d.row("indicators", {"4.", "Placements", "Red", "10", "14"});
    d.row("indicators", {"5.", "Homeless acceptances", "Green", "50%", "220 (Q1)"});  // units disagree: VALUE-UNIT's
    CHECK(d.check().empty());
    d.row("indicators", {"7.", "Average days to adoption", "Green", "<290", "310"});
    CHECK(d.check().size() == 1);
}
