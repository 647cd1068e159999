// What `mappings check` says about mistakes a schema cannot see: misspelt rule ids and
// parameters (with the name probably meant), header patterns that match nothing or everything,
// claims with nothing named to check, and rules whose columns cannot hold what they check —
// each at the line of the mapping file to look at.
#include "mapping_text_support.hpp"
#include "mapping/ClosestName.hpp"
#include "mapping/MappingLoader.hpp"
#include "validate/Rule.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <unistd.h>

using namespace planconv;
using planconv::test::line_of;
using planconv::test::replaced;
namespace fs = std::filesystem;

namespace {

const fs::path kMappingsDir = PLANCONV_SOURCE_MAPPINGS;

// A valid mapping every rule of which has something to check; each test breaks one thing.
const std::string kMapping = R"xml(<?xml version="1.0" encoding="UTF-8"?>
<mapping xmlns="urn:planconv:mapping:1" name="check-plan">
  <description>A plan for the checks of mappings check</description>
  <sections start="^Priority (\d+)">
    <claim name="summary" pattern="(?&lt;on_track&gt;\w+) of (?&lt;total&gt;\w+) actions"/>
  </sections>
  <table name="actions" element="action">
    <column field="no" type="id" header="^No$" key="true"/>
    <column field="rag" type="rag" header="^RAG"/>
    <column field="action" type="text" header="^Actions?$"/>
    <column field="due" type="timescale" header="^Target date$"/>
    <column field="cost" type="money" header="^Cost$"/>
    <rows total="^Total\b" total-field="action"/>
  </table>
  <rules>
    <rule id="TOTAL-COUNT" table="actions">
      <param name="claim" value="summary"/>
      <param name="on_track" value="Green"/>
    </rule>
    <rule id="TIME-OVERDUE" table="actions"><param name="fields" value="due"/></rule>
    <rule id="TOTAL-SUM" table="actions"><param name="fields" value="cost"/></rule>
    <rule id="FIELD-ENUM"/>
  </rules>
</mapping>
)xml";

// What `mappings check` reports: the loader's diagnostics, else every rule declaration's.
std::vector<MappingDiagnostic> check(const std::string& text) {
    static int counter = 0;
    fs::path path = fs::temp_directory_path() /
                    ("planconv-check-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".xml");
    std::ofstream(path) << text;
    std::vector<MappingDiagnostic> out;
    try {
        Mapping m = load_mapping(path, kMappingsDir);
        for (const RuleSpec& r : m.rules)
            for (MappingDiagnostic& d : rule_declaration_diagnostics(r, m)) out.push_back(std::move(d));
    } catch (const MappingError& e) {
        out = e.diagnostics();
    }
    fs::remove(path);
    return out;
}

// The one diagnostic whose message holds `words`.
MappingDiagnostic only(const std::vector<MappingDiagnostic>& ds, const std::string& words) {
    std::string all;
    for (const auto& d : ds) all += std::to_string(d.line) + ": " + d.message + " (" + d.hint + ")\n";
    INFO("looking for: " << words << "\nin:\n" << all);
    auto n = std::count_if(ds.begin(), ds.end(), [&](const MappingDiagnostic& d) { return d.message.find(words) != std::string::npos; });
    REQUIRE(n == 1);
    return *std::find_if(ds.begin(), ds.end(), [&](const MappingDiagnostic& d) { return d.message.find(words) != std::string::npos; });
}

std::size_t occurrences(const std::string& text, const std::string& word) {
    std::size_t n = 0;
    for (auto p = text.find(word); p != std::string::npos; p = text.find(word, p + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("did you mean: the nearest known name within a slip or two", "[mapping-check]") {
    const std::vector<std::string> params = {"claim", "rag", "on_track", "more_work", "total", "count_field"};
    CHECK(closest_name("ontrack", params) == "on_track");
    CHECK(closest_name("More_Work", params) == "more_work");
    CHECK(closest_name("colour", params) == std::nullopt);
    CHECK(closest_name("on_track", params) == std::nullopt);  // nothing to suggest for a known name
    CHECK(closest_name("FIELD-ENUMS", known_rule_ids()) == "FIELD-ENUM");
    CHECK(did_you_mean("TIME-OVERDEU", known_rule_ids()) == "did you mean 'TIME-OVERDUE'?");
    CHECK(did_you_mean("XYZ", known_rule_ids()).empty());
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("feild", "field") == 1);  // a swap is one slip
    CHECK(closest_name("feild", {"field"}) == "field");
}

TEST_CASE("mappings check: the test mapping is right as written", "[mapping-check]") {
    auto ds = check(kMapping);
    CHECK(ds.empty());
    if (!ds.empty()) FAIL(ds.front().line << ": " << ds.front().message);
}

TEST_CASE("mappings check: an unknown rule parameter is named at its line with the one meant", "[mapping-check]") {
    std::string text = replaced(kMapping, "name=\"on_track\"", "name=\"ontrack\"");
    auto d = only(check(text), "'ontrack'");
    CHECK(d.line == line_of(text, "ontrack"));
    CHECK(d.hint == "did you mean 'on_track'?");
    CHECK(occurrences(d.message, "TOTAL-COUNT") == 1);  // the rule is named once

    // A claim part the claim captures is a category; one it does not capture is a typo.
    CHECK(check(replaced(kMapping, "name=\"on_track\"", "name=\"total\"")).empty());
    text = replaced(kMapping, "name=\"fields\" value=\"due\"", "name=\"feilds\" value=\"due\"");
    d = only(check(text), "'feilds'");
    CHECK(d.line == line_of(text, "feilds"));
    CHECK(d.hint == "did you mean 'fields'?");
}

TEST_CASE("mappings check: an unknown rule id suggests the rule meant and points to RULES.md", "[mapping-check]") {
    std::string text = replaced(kMapping, "id=\"FIELD-ENUM\"", "id=\"FIELD-ENUMS\"");
    auto d = only(check(text), "unknown rule id 'FIELD-ENUMS'");
    CHECK(d.line == line_of(text, "FIELD-ENUMS"));
    CHECK(d.hint.find("did you mean 'FIELD-ENUM'?") != std::string::npos);
    CHECK(d.hint.find("src/validate/RULES.md") != std::string::npos);

    // Nothing close: the whole catalogue.
    d = only(check(replaced(kMapping, "id=\"FIELD-ENUM\"", "id=\"BUDGET-CHECK\"")), "unknown rule id 'BUDGET-CHECK'");
    for (const std::string& id : known_rule_ids()) CHECK(d.hint.find(id) != std::string::npos);
    CHECK(d.hint.find("...") == std::string::npos);
}

TEST_CASE("mappings check: header patterns that match nothing or everything", "[mapping-check]") {
    std::string text = replaced(kMapping, "header=\"^Cost$\"", "header=\"^$\"");
    auto d = only(check(text), "header=\"^$\"");
    CHECK(d.line == line_of(text, "header=\"^$\""));
    CHECK(d.message.find("only an empty text") != std::string::npos);

    text = replaced(kMapping, "header=\"^Cost$\"", "header=\".*\"");
    d = only(check(text), "header=\".*\"");
    CHECK(d.line == line_of(text, "header=\".*\""));
    CHECK(d.message.find("matches every header") != std::string::npos);

    text = replaced(kMapping, "header=\"^Cost$\"/>", "header=\"^Cost$\"><alias header=\"\"/></column>");
    d = only(check(text), "header=\"\"");
    CHECK(d.line == line_of(text, "<alias"));

    // A pattern that may be empty but also matches real text is fine: cells are never empty.
    CHECK(check(replaced(kMapping, "header=\"^Cost$\"", "header=\"^(Cost)?$\"")).empty());
}

TEST_CASE("mappings check: a claim with no named group has nothing to compare", "[mapping-check]") {
    std::string text = replaced(kMapping, "(?&lt;on_track&gt;\\w+) of (?&lt;total&gt;\\w+) actions", "\\w+ of \\w+ actions");
    auto d = only(check(text), "the claim 'summary' has no named group");
    CHECK(d.line == line_of(text, "<claim"));
    CHECK(d.hint.find("(?<on_track>") != std::string::npos);
}

TEST_CASE("mappings check: rules whose columns cannot hold what they check", "[mapping-check]") {
    // TOTAL-SUM over a text column.
    std::string text = replaced(kMapping, "name=\"fields\" value=\"cost\"", "name=\"fields\" value=\"action\"");
    auto d = only(check(text), "TOTAL-SUM parameter fields names 'action'");
    CHECK(d.line == line_of(text, "value=\"action\""));
    CHECK(d.message.find("a text column") != std::string::npos);
    CHECK(d.hint.find("line " + std::to_string(line_of(text, "field=\"action\""))) != std::string::npos);

    // TIME-OVERDUE on a table with no timescale column.
    text = replaced(kMapping, "<rule id=\"TIME-OVERDUE\" table=\"actions\"><param name=\"fields\" value=\"due\"/></rule>",
                    "<rule id=\"TIME-OVERDUE\" table=\"actions\"/>");
    text = replaced(text, "field=\"due\" type=\"timescale\"", "field=\"due\" type=\"text\"");
    d = only(check(text), "TIME-OVERDUE has nothing to check");
    CHECK(d.line == line_of(text, "TIME-OVERDUE"));
    CHECK(d.hint.find("timescale column") != std::string::npos);

    // ... or named a column that holds no dates.
    text = replaced(kMapping, "name=\"fields\" value=\"due\"", "name=\"fields\" value=\"rag\"");
    d = only(check(text), "TIME-OVERDUE parameter fields names 'rag'");
    CHECK(d.message.find("needs a timescale or date") != std::string::npos);

    // TOTAL-SUM on a table without total rows.
    text = replaced(kMapping, "<rows total=\"^Total\\b\" total-field=\"action\"/>", "");
    d = only(check(text), "TOTAL-SUM has nothing to check");
    CHECK(d.message.find("no total rows") != std::string::npos);

    // A rule for every table that fits none of them.
    text = replaced(kMapping, "field=\"rag\" type=\"rag\"", "field=\"rag\" type=\"text\"");
    text = replaced(text, "<param name=\"on_track\" value=\"Green\"/>", "<param name=\"rag\" value=\"action\"/>");
    auto ds = check(text);
    d = only(ds, "FIELD-ENUM fits no table");
    CHECK(d.line == line_of(text, "FIELD-ENUM"));
    // TOTAL-COUNT's rag= must be a rag column.
    d = only(ds, "TOTAL-COUNT parameter rag names 'action'");
    CHECK(d.message.find("needs a rag column") != std::string::npos);

    // TOTAL-COUNT with no claim to compare and no count rows.
    text = replaced(kMapping, "<claim name=\"summary\" pattern=\"(?&lt;on_track&gt;\\w+) of (?&lt;total&gt;\\w+) actions\"/>", "");
    text = replaced(text, "<param name=\"claim\" value=\"summary\"/>", "");
    text = replaced(text, "<param name=\"on_track\" value=\"Green\"/>", "");
    d = only(check(text), "TOTAL-COUNT has no claim to compare");
    CHECK(d.line == line_of(text, "TOTAL-COUNT"));
}

TEST_CASE("mappings check: the shipped mappings have nothing to report", "[mapping-check]") {
    for (const Mapping& m : load_all_mappings(kMappingsDir)) {
        INFO(m.name);
        for (const RuleSpec& r : m.rules) {
            INFO(r.id);
            auto ds = rule_declaration_diagnostics(r, m);
            CHECK(ds.empty());
        }
    }
}
