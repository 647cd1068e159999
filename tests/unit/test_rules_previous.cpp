// PREV-* rules and the pairing of records with last quarter's return (--previous), on small
// documents in the layouts of the seed papers: each rule fires on the change it is about and
// stays silent on an unchanged record.
#include "validate/PreviousPairing.hpp"
#include "test_rules_fixture.hpp"

#include <catch2/catch.hpp>

using namespace planconv;
using namespace planconv::test;

namespace {

// The quarterly portfolio plan (seed 004): action, target date, updates; plus a RAG column.
RulesDoc plan() {
    RulesDoc d;
    d.table("actions", "action", column("id", FieldType::Id), column("action", FieldType::RichText, true),
            column("target_date", FieldType::Timescale), column("rag", FieldType::Rag),
            column("updates", FieldType::RichText));
    d.spec("actions").columns[1].key = true;
    return d;
}

const Date kQ3 = ymd(2020, 12, 31);

std::vector<Finding> against(RulesDoc& now, RulesDoc& before, std::string_view rule) {
    PreviousReturn previous = pair_with_previous(now.document(), before.document(), "q2.xlsx");
    CheckContext ctx{kQ3, financial_year(2020)};
    ctx.previous = &previous;
    return of_rule(check_document(now.document(), ctx), rule);
}

const char* kReview = "Review the sufficiency of funded childcare places";
const char* kSchools = "Support schools to narrow the educational gap for disadvantaged pupils";
const char* kSend = "Implement the SEND strategy with health partners";

}  // namespace

TEST_CASE("without a previous return no PREV rule runs", "[rules][previous]") {
    RulesDoc d = plan();
    d.row("actions", {"1", kReview, "March 2021", "Green", "Work is under way with providers"});
    for (const Finding& f : d.check(kQ3)) CHECK_FALSE(f.rule.starts_with("PREV-"));
}

TEST_CASE("PREV-DROPPED: a record missing now, unless it was complete or closed", "[rules][previous]") {
    RulesDoc before = plan(), now = plan();
    before.row("actions", {"1", kReview, "March 2021", "Green", "Work is under way with providers"});
    before.row("actions", {"2", kSchools, "July 2021", "Amber", "Pupil premium reviews started"});
    before.row("actions", {"3", kSend, "March 2021", "Green", "Completed in September"});
    before.row("actions", {"4", "Open a new family hub in Penge", "March 2021", "Green", "Closed: merged into action 1"});
    now.row("actions", {"1", kReview, "March 2021", "Green", "Providers surveyed in November"});
    auto found = against(now, before, "PREV-DROPPED");
    REQUIRE(found.size() == 1);  // 3 was complete, 4 closed with a note
    CHECK(found[0].record == "2");
    CHECK(found[0].severity == Severity::Warning);
    CHECK(found[0].cell == "A" + std::to_string(now.last("actions").last_row + 2));  // where it would be: after action 1
    INFO(found[0].message);
    const std::string was_at = "Sheet1!A" + std::to_string(before.record("actions", 1).first_row + 1);
    CHECK(found[0].message.find("action 2 of the previous return (q2.xlsx " + was_at + ") is missing") != std::string::npos);
    CHECK(found[0].expected->find("narrow the educational gap") != std::string::npos);

    RulesDoc same = plan();
    same.row("actions", {"1", kReview, "March 2021", "Green", "Providers surveyed in November"});
    same.row("actions", {"2", kSchools, "July 2021", "Amber", "Reviews finished in 40 schools"});
    CHECK(against(same, before, "PREV-DROPPED").empty());
}

TEST_CASE("PREV-ADDED: a new record is info at its id cell", "[rules][previous]") {
    RulesDoc before = plan(), now = plan();
    before.row("actions", {"1", kReview, "March 2021", "Green", "Work is under way"});
    now.row("actions", {"1", kReview, "March 2021", "Green", "Providers surveyed"});
    now.row("actions", {"2", kSend, "March 2022", "Green", "Strategy drafted"});
    auto found = against(now, before, "PREV-ADDED");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == Severity::Info);
    CHECK(found[0].record == "2");
    CHECK(found[0].cell == "A" + std::to_string(now.last("actions").first_row + 1));

    RulesDoc same = plan();
    same.row("actions", {"1", kReview, "March 2021", "Green", "Providers surveyed"});
    CHECK(against(same, before, "PREV-ADDED").empty());
}

TEST_CASE("PREV-SLIPPED: a later target date names both dates; an update that says why makes it info", "[rules][previous]") {
    RulesDoc before = plan(), now = plan();
    before.row("actions", {"1", kReview, "September 2020", "Green", "Work is under way"});
    before.row("actions", {"2", kSchools, "December 2020", "Green", "Reviews started"});
    before.row("actions", {"3", kSend, "March 2021", "Green", "Strategy drafted"});
    now.row("actions", {"1", kReview, "March 2021", "Green", "Providers surveyed"});
    now.row("actions", {"2", kSchools, "April 2021", "Amber", "Date revised: schools closed in lockdown"});
    now.row("actions", {"3", kSend, "January 2021", "Green", "Strategy agreed"});  // earlier: fine
    auto found = against(now, before, "PREV-SLIPPED");
    REQUIRE(found.size() == 2);
    CHECK(found[0].record == "1");
    CHECK(found[0].severity == Severity::Warning);
    CHECK(found[0].cell == "C" + std::to_string(now.record("actions", 0).first_row + 1));
    CHECK(found[0].expected == "September 2020");
    CHECK(found[0].actual == "March 2021");
    CHECK(found[0].message.find("'September 2020' (30 September 2020) then, 'March 2021' (31 March 2021) now") != std::string::npos);
    CHECK(found[1].record == "2");
    CHECK(found[1].severity == Severity::Info);

    RulesDoc same = plan();
    same.row("actions", {"1", kReview, "September 2020", "Green", "Providers surveyed"});
    CHECK(against(same, before, "PREV-SLIPPED").empty());
}

TEST_CASE("PREV-SLIPPED: the explaining words come from the mapping", "[rules][previous]") {
    RulesDoc before = plan(), now = plan();
    before.row("actions", {"1", kReview, "September 2020", "Green", "Work is under way"});
    now.row("actions", {"1", kReview, "March 2021", "Green", "Timetable agreed again with the DfE"});
    now.rule("PREV-SLIPPED", "", {{"words", "timetable"}});
    auto found = against(now, before, "PREV-SLIPPED");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == Severity::Info);
}

TEST_CASE("PREV-STATUS: two steps up, complete to open, or a change with the same update", "[rules][previous]") {
    RulesDoc before = plan(), now = plan();
    before.row("actions", {"1", kReview, "March 2021", "Red", "Providers have not answered"});
    before.row("actions", {"2", kSchools, "March 2021", "Blue", "Completed"});
    before.row("actions", {"3", kSend, "March 2021", "Amber", "Strategy drafted with partners"});
    before.row("actions", {"4", "Recruit foster carers", "March 2021", "Amber", "Campaign launched"});
    now.row("actions", {"1", kReview, "March 2021", "Green", "Providers surveyed"});
    now.row("actions", {"2", kSchools, "March 2021", "Amber", "Further reviews needed"});
    now.row("actions", {"3", kSend, "March 2021", "Green", "Strategy drafted with partners"});
    now.row("actions", {"4", "Recruit foster carers", "March 2021", "Green", "Twelve carers approved"});  // one step, new words
    auto found = against(now, before, "PREV-STATUS");
    REQUIRE(found.size() == 3);
    CHECK(found[0].record == "1");
    CHECK(found[0].message.find("improved 2 steps") != std::string::npos);
    CHECK(found[0].expected == "Red");
    CHECK(found[0].actual == "Green");
    CHECK(found[0].cell == "D" + std::to_string(now.record("actions", 0).first_row + 1));
    CHECK(found[1].record == "2");
    CHECK(found[1].message.find("was complete in the previous return and is not complete now") != std::string::npos);
    CHECK(found[2].record == "3");
    CHECK(found[2].message.find("word for word the same") != std::string::npos);

    RulesDoc same = plan();
    same.row("actions", {"1", kReview, "March 2021", "Red", "Providers have still not answered"});
    CHECK(against(same, before, "PREV-STATUS").empty());
}

TEST_CASE("PREV-STATUS: complete to open without a RAG column, from the update text", "[rules][previous]") {
    RulesDoc before, now;
    for (RulesDoc* d : {&before, &now})
        d->table("actions", "action", column("id", FieldType::Id), column("action", FieldType::RichText, true),
                 column("updates", FieldType::RichText));
    for (RulesDoc* d : {&before, &now}) d->spec("actions").columns[1].key = true;
    before.row("actions", {"1", kReview, "Review completed in September (completed)"});
    now.row("actions", {"1", kReview, "Further work needed on places for two-year-olds"});
    auto found = against(now, before, "PREV-STATUS");
    REQUIRE(found.size() == 1);
    CHECK(found[0].expected == "complete");
    CHECK(found[0].cell == "C" + std::to_string(now.last("actions").first_row + 1));
}

TEST_CASE("PREV-STALE: the same update on an open record, not on a complete one", "[rules][previous]") {
    RulesDoc before = plan(), now = plan();
    before.row("actions", {"1", kReview, "March 2021", "Green", "<p>Work is under way with providers.</p>"});
    before.row("actions", {"2", kSchools, "March 2021", "Blue", "All reviews done (completed)"});
    before.row("actions", {"3", kSend, "March 2021", "Green", "On track"});
    now.row("actions", {"1", kReview, "March 2021", "Green", "Work is under way with  providers"});
    now.row("actions", {"2", kSchools, "March 2021", "Blue", "All reviews done (completed)"});
    now.row("actions", {"3", kSend, "March 2021", "Green", "On track"});  // shorter than min_words
    auto found = against(now, before, "PREV-STALE");
    REQUIRE(found.size() == 1);
    CHECK(found[0].record == "1");
    CHECK(found[0].cell == "E" + std::to_string(now.record("actions", 0).first_row + 1));
    CHECK(found[0].message.find("'Work is under way with providers.'") != std::string::npos);

    RulesDoc fresh = plan();
    fresh.row("actions", {"1", kReview, "March 2021", "Green", "Providers surveyed in November"});
    CHECK(against(fresh, before, "PREV-STALE").empty());
}

namespace {

RulesDoc indicators(const char* latest_header) {
    RulesDoc d;
    d.table("indicators", "indicator", column("no", FieldType::Id), column("indicator", FieldType::Text, true),
            column("latest", FieldType::Quantity), column("target", FieldType::Quantity),
            column("previous_outturn", FieldType::Quantity));
    d.spec("indicators").columns[1].key = true;
    d.header_texts("indicators", {"#", "Indicator", latest_header, "Target 2012/13", "Outturn 2011/12"});
    return d;
}

}  // namespace

TEST_CASE("PREV-RESTATED: a figure for a period both returns report has changed", "[rules][previous]") {
    RulesDoc before = indicators("Quarter 3 12/13"), now = indicators("Quarter 4 12/13");
    before.row("indicators", {"1", "Children looked after per 10,000", "52", "55", "54"});
    before.row("indicators", {"2", "Adoptions within 21 months", "60%", "70%", "65%"});
    now.row("indicators", {"1", "Children looked after per 10,000", "50", "55", "57"});  // outturn 2011/12 restated
    now.row("indicators", {"2", "Adoptions within 21 months", "62%", "75%", "65%"});     // target 2012/13 changed
    auto found = against(now, before, "PREV-RESTATED");
    REQUIRE(found.size() == 2);
    CHECK(found[0].record == "1");
    CHECK(found[0].cell == "E" + std::to_string(now.record("indicators", 0).first_row + 1));
    CHECK(found[0].expected == "54");
    CHECK(found[0].actual == "57");
    CHECK(found[1].record == "2");
    CHECK(found[1].cell == "D" + std::to_string(now.record("indicators", 1).first_row + 1));
    // The latest quarter moved on (Q3 -> Q4): another period, never compared.

    RulesDoc same = indicators("Quarter 4 12/13");
    same.row("indicators", {"1", "Children looked after per 10,000", "50", "55", "54"});
    CHECK(against(same, before, "PREV-RESTATED").empty());
}

TEST_CASE("renumbered ids: every id shifted by one still pairs by text, and says so", "[rules][previous]") {
    RulesDoc before = plan(), now = plan();
    before.row("actions", {"1", kReview, "September 2020", "Green", "Work is under way"});
    before.row("actions", {"2", kSchools, "March 2021", "Green", "Reviews started"});
    before.row("actions", {"3", kSend, "March 2021", "Green", "Strategy drafted"});
    now.row("actions", {"2", kReview, "March 2021", "Green", "Providers surveyed"});
    now.row("actions", {"3", kSchools, "March 2021", "Green", "Reviews finished"});
    now.row("actions", {"4", kSend, "March 2021", "Green", "Strategy agreed"});
    PreviousReturn previous = pair_with_previous(now.document(), before.document(), "q2.xlsx");
    auto lines = text_pairings(now.document(), previous);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "action 2 with the previous 1 (ids renumbered)");
    CHECK(lines[2] == "action 4 with the previous 3 (ids renumbered)");
    CHECK(against(now, before, "PREV-DROPPED").empty());
    CHECK(against(now, before, "PREV-ADDED").empty());
    auto slipped = against(now, before, "PREV-SLIPPED");
    REQUIRE(slipped.size() == 1);
    CHECK(slipped[0].record == "2");
    CHECK(slipped[0].message.find("paired with action 1 of the previous return by its text: the ids were renumbered") !=
          std::string::npos);
}

TEST_CASE("a mapping's declaration changes a PREV rule's severity or turns it off", "[rules][previous]") {
    RulesDoc before = plan(), now = plan();
    before.row("actions", {"1", kReview, "September 2020", "Green", "Work is under way"});
    now.row("actions", {"1", kReview, "March 2021", "Green", "Providers surveyed"});
    now.row("actions", {"2", kSend, "March 2022", "Green", "Strategy drafted"});
    now.rule("PREV-SLIPPED", "", {}, "error").rule("PREV-ADDED", "", {}, "off");
    auto slipped = against(now, before, "PREV-SLIPPED");
    REQUIRE(slipped.size() == 1);
    CHECK(slipped[0].severity == Severity::Error);
    CHECK(against(now, before, "PREV-ADDED").empty());
}

TEST_CASE("word likeness ignores numbering, case and order", "[previous]") {
    CHECK(word_likeness(identifying_words("1) Review the places"), identifying_words("REVIEW places, the")) == 1.0);
    CHECK(word_likeness(identifying_words("Review places"), identifying_words("Recruit carers")) == 0.0);
}

TEST_CASE("an id several records share pairs each with the likest record of that id", "[rules][previous]") {
    RulesDoc before = plan(), now = plan();
    before.row("actions", {"1.1", kReview, "March 2021", "Green", "Work is under way"});
    before.row("actions", {"1.1", kSchools, "March 2021", "Green", "Reviews started"});
    now.row("actions", {"1.1", kSchools, "March 2021", "Green", "Reviews finished"});
    now.row("actions", {"1.1", kReview, "March 2021", "Green", "Providers surveyed"});
    PreviousReturn previous = pair_with_previous(now.document(), before.document(), "q2.xlsx");
    const TablePairing* t = previous.table("actions");
    REQUIRE(t);
    CHECK(t->before_of[0] == std::optional<std::size_t>(1));
    CHECK(t->before_of[1] == std::optional<std::size_t>(0));
    CHECK(text_pairings(now.document(), previous).empty());  // both by id
}

TEST_CASE("changes_since lists dropped, added and changed fields, not unchanged ones", "[previous]") {
    RulesDoc before = plan(), now = plan();
    before.row("actions", {"1", kReview, "September 2020", "Green", "Work is under way"});
    before.row("actions", {"2", kSchools, "March 2021", "Green", "Reviews started"});
    now.row("actions", {"1", kReview, "March 2021", "Green", "<p>Work is  under way.</p>"});
    now.row("actions", {"3", kSend, "March 2021", "Green", "Strategy agreed"});
    PreviousReturn previous = pair_with_previous(now.document(), before.document(), "q2.xlsx");
    auto changes = changes_since(now.document(), previous);
    REQUIRE(changes.size() == 3);
    CHECK(changes[0].kind == RecordChange::Kind::Dropped);
    CHECK(changes[0].record == "2");
    CHECK(changes[1].kind == RecordChange::Kind::Changed);
    CHECK(changes[1].record == "1");
    CHECK(changes[1].field == "target_date");
    CHECK(changes[1].previous == "September 2020");
    CHECK(changes[1].now == "March 2021");
    CHECK(changes[1].cell == "Sheet1!C" + std::to_string(now.record("actions", 0).first_row + 1));
    CHECK(changes[2].kind == RecordChange::Kind::Added);
    CHECK(changes[2].record == "3");
}
