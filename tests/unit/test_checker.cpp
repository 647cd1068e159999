// The Checker: declared rules and severities, order, de-duplication and folding of findings, and
// the rule catalogue against what mapping files may declare.
#include "mapping/MappingLoader.hpp"
#include "validate/Rule.hpp"
#include "test_rules_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace planconv;
using namespace planconv::test;

namespace {

RulesDoc actions() {
    RulesDoc d;
    d.table("actions", "action", column("id", FieldType::Id), column("rag", FieldType::Rag),
            column("action", FieldType::RichText, true));
    return d;
}

}  // namespace

TEST_CASE("every rule of SPEC §8 is in the catalogue, and only those the loader knows", "[rules]") {
    std::set<std::string> catalogue;
    for (const RuleInfo& r : rule_catalogue()) catalogue.insert(std::string(r.id));
    std::set<std::string> known(known_rule_ids().begin(), known_rule_ids().end());
    CHECK(catalogue == known);
    for (const char* id : {"TOTAL-SUM", "TOTAL-COUNT", "TOTAL-RATIO", "TOTAL-DIFF", "TOTAL-PART", "TIME-UNPARSED",
                           "TIME-OUTSIDE-PLAN", "TIME-OVERDUE", "TIME-ORDER", "TIME-DURATION", "FIELD-REQUIRED",
                           "FIELD-ENUM", "FIELD-TYPE", "ID-DUPLICATE", "ID-SEQUENCE", "ID-PARENT", "VALUE-UNIT",
                           "VALUE-PLACEHOLDER", "STATUS-MISMATCH", "MAP-UNREAD", "PREV-DROPPED", "PREV-ADDED",
                           "PREV-SLIPPED", "PREV-STATUS", "PREV-STALE", "PREV-RESTATED"})
        CHECK(catalogue.count(id) == 1);
    CHECK(catalogue.size() == 29);  // SPEC §8's 26 and planconv's own FIELD-LOOKUP, TEXT-DUPLICATE and TIME-ASOF
    for (const RuleInfo& r : rule_catalogue()) {
        CHECK_FALSE(r.fires_when.empty());
        CHECK(r.check != nullptr);
        CHECK(r.applies != nullptr);
    }
}

TEST_CASE("a declared severity overrides the rule's default and 'off' silences it", "[rules]") {
    RulesDoc d = actions();
    d.rule("FIELD-REQUIRED", "actions", {}, "info");
    d.row("actions", {"1.1", "Green", ""});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == Severity::Info);

    RulesDoc off = actions();
    off.rule("FIELD-REQUIRED", "actions", {}, "off");
    off.row("actions", {"1.1", "Green", ""});
    CHECK(off.check().empty());
}

TEST_CASE("findings come in sheet order, then row, column and rule", "[rules]") {
    RulesDoc d = actions();
    d.rule("VALUE-PLACEHOLDER");
    d.rule("FIELD-REQUIRED");
    d.rule("FIELD-ENUM");
    d.sheet("Priority Outcome 2");
    d.row("actions", {"2.1", "Purple", ""});
    d.sheet("Priority Outcome 1");
    d.row("actions", {"1.1", "Green", "TBC"});
    d.sheet("Priority Outcome 2");
    d.row("actions", {"2.2", "Green", ""});
    auto found = d.check();
    REQUIRE(found.size() == 4);
    // Priority Outcome 2 appeared first in the document, so its findings come first.
    CHECK(found[0].sheet == "Priority Outcome 2");
    CHECK(found[0].rule == "FIELD-ENUM");      // B column before C
    CHECK(found[1].rule == "FIELD-REQUIRED");  // same row, column C
    CHECK(found[2].record == "2.2");
    CHECK(found[3].sheet == "Priority Outcome 1");
    CHECK(found[3].rule == "VALUE-PLACEHOLDER");
}

TEST_CASE("the same rule declared twice reports each problem once", "[rules]") {
    RulesDoc d = actions();
    d.rule("FIELD-REQUIRED");
    d.rule("FIELD-REQUIRED", "actions");
    d.row("actions", {"1.1", "Green", ""});
    CHECK(d.check().size() == 1);
}

TEST_CASE("thousands of blank required cells fold into one finding with a count", "[rules]") {
    RulesDoc d = actions();
    d.rule("FIELD-REQUIRED");
    for (int i = 1; i <= 10000; ++i) d.row("actions", {"1." + std::to_string(i), "Green", ""});
    auto found = d.check();
    REQUIRE(found.size() == 1);
    CHECK(found[0].count == 10000);
    CHECK(found[0].record == "1.1");
    CHECK(found[0].cell == "C3");
    CHECK(found[0].message == "the required field 'action' is empty in 10,000 places; the first is Sheet1!C3");
    CHECK(found[0].expected == "a value");
}

TEST_CASE("a few problems of one kind are reported one by one", "[rules]") {
    RulesDoc d = actions();
    d.rule("FIELD-REQUIRED");
    for (int i = 1; i <= 20; ++i) d.row("actions", {"1." + std::to_string(i), "Green", ""});
    auto found = d.check();
    CHECK(found.size() == 20);
    CHECK(std::all_of(found.begin(), found.end(), [](const Finding& f) { return f.count == 1; }));
}

TEST_CASE("folding is per field: other problems of the file stay separate", "[rules]") {
    RulesDoc d = actions();
    d.rule("FIELD-REQUIRED", "", {{"fields", "rag action"}});
    for (int i = 1; i <= 30; ++i) d.row("actions", {"1." + std::to_string(i), i == 7 ? "" : "Green", ""});
    auto found = d.check();
    REQUIRE(found.size() == 2);
    CHECK(found[0].count == 30);
    CHECK(found[1].count == 1);
    CHECK(found[1].record == "1.7");
}

TEST_CASE("a rule declared without a table runs on every table it fits", "[rules]") {
    RulesDoc d = actions();
    d.table("indicators", "indicator", column("no", FieldType::Id), column("outturn", FieldType::Quantity));
    d.rule("TOTAL-RATIO");   // only the indicators have quantities
    d.rule("ID-DUPLICATE");  // both have ids
    d.row("actions", {"1.1", "Green", "a"}).row("actions", {"1.1", "Green", "b"});
    d.row("indicators", {"5.", "50.5% (92/181) October"}).row("indicators", {"5.", "90.5% (191/211)"});
    auto found = d.check();
    CHECK(of_rule(found, "TOTAL-RATIO").size() == 1);
    CHECK(of_rule(found, "ID-DUPLICATE").size() == 2);
}

TEST_CASE("a document without a mapping or rules has nothing to say", "[rules]") {
    Document doc;
    CHECK(check_document(doc, CheckContext{ymd(2016, 11, 30), std::nullopt}).empty());
    RulesDoc d = actions();
    d.row("actions", {"1.1", "Purple", ""});
    CHECK(d.check().empty());
}

TEST_CASE("rule declarations: unknown parameters and bad values are explained", "[rules]") {
    Mapping m;
    RuleSpec r;
    r.id = "STATUS-MISMATCH";
    r.params = {{"target", "target"}, {"outturn", "outturn"}, {"polarity", "up"}, {"colour", "x"}};
    auto problems = rule_declaration_problems(r, m);
    REQUIRE(problems.size() >= 2);
    CHECK(std::any_of(problems.begin(), problems.end(),
                      [](const std::string& p) { return p.find("polarity='up'") != std::string::npos; }));
    CHECK(std::any_of(problems.begin(), problems.end(),
                      [](const std::string& p) { return p.find("no parameter 'colour'") != std::string::npos; }));

    m.sections.claims.push_back({"summary", Pattern("(?<on_track>\\w+) out of (?<total>\\w+)"), 0});
    RuleSpec count;
    count.id = "TOTAL-COUNT";
    count.params = {{"claim", "summary"}, {"on_track", "Green"}, {"more_work", "Amber Crimson"}};
    auto count_problems = rule_declaration_problems(count, m);
    REQUIRE(count_problems.size() == 1);
    CHECK(count_problems[0].find("'Crimson'") != std::string::npos);

    RuleSpec diff;
    diff.id = "TOTAL-DIFF";
    diff.params = {{"result", "variation"}};
    auto diff_problems = rule_declaration_problems(diff, m);
    REQUIRE(diff_problems.size() == 3);
    CHECK(diff_problems[0] ==
          "rule TOTAL-DIFF parameter result names field 'variation', which no table of this mapping has");
    CHECK(diff_problems[1] == "rule TOTAL-DIFF needs the parameter minuend");
    CHECK(diff_problems[2] == "rule TOTAL-DIFF needs the parameter subtrahend");
}

TEST_CASE("rule declarations: parameters that only work together", "[rules]") {
    Mapping m;
    RuleSpec order;
    order.id = "TIME-ORDER";
    order.params = {{"start", "start"}};
    auto problems = rule_declaration_problems(order, m);
    REQUIRE(problems.size() == 2);  // 'start' is no column of this empty mapping, and 'end' is missing
    CHECK(problems[1] == "rule TIME-ORDER needs the parameter end (start and end go together)");

    RuleSpec required;
    required.id = "FIELD-REQUIRED";
    required.severity = "fatal";
    CHECK(rule_declaration_problems(required, m) ==
          std::vector<std::string>{"rule FIELD-REQUIRED has severity 'fatal'; use error, warning, info or off"});
}

TEST_CASE("the shipped mappings declare their rules as the rules expect", "[rules]") {
    for (const Mapping& m : load_all_mappings(PLANCONV_SOURCE_MAPPINGS)) {
        INFO(m.name);
        for (const RuleSpec& r : m.rules) {
            INFO(r.id);
            CHECK(rule_declaration_problems(r, m).empty());
        }
    }
}

TEST_CASE("findings name records by a document-wide id", "[rules]") {
    RulesDoc d;
    d.table("indicators", "indicator", column("no", FieldType::Id), column("indicator", FieldType::Text, true));
    d.table("contracts", "contract", column("manager", FieldType::Text), column("title", FieldType::Text, true),
            column("value", FieldType::Money, true));
    d.spec("contracts").columns[0].key = true;
    d.spec("contracts").columns[1].key = true;
    d.rule("FIELD-REQUIRED");
    d.section("5").row("indicators", {"5.", ""});      // indicator 5 of outcome 5
    d.section("Adults").row("indicators", {"2", ""});  // a section that is not numbered
    d.row("contracts", {"Joe Bloggs", "Older People - Respite at Home Services", ""});
    auto found = d.check();
    REQUIRE(found.size() == 3);
    CHECK(found[0].record == "5.5");
    CHECK(found[1].record == "2");
    CHECK(found[2].record == "Older People - Respite at Home Services");  // the required key, not the manager
}
