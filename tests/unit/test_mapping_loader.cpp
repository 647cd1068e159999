// Mapping files: every shipped mapping loads, and each kind of mistake a mapping author makes
// is reported with the line of the mapping file and words that say what is wrong.
#include "mapping_text_support.hpp"
#include "write/XsdWriter.hpp"
#include "mapping/MappingLoader.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <unistd.h>

using namespace planconv;
using planconv::test::line_of;
using planconv::test::replaced;
namespace fs = std::filesystem;

namespace {

const fs::path kMappingsDir = PLANCONV_SOURCE_MAPPINGS;

// A small valid mapping; each test breaks one thing in it.
const std::string kGoodMapping = R"xml(<?xml version="1.0" encoding="UTF-8"?>
<mapping xmlns="urn:planconv:mapping:1" name="test-plan" element="plan">
  <description>A small action plan for tests</description>
  <facts>
    <fact name="title" from="row" pattern="^(.*Plan.*)$"/>
    <fact name="as_of" type="timescale" from="header" table="actions" field="update" pattern="Update (.+)$"/>
  </facts>
  <sections element="outcome" start="^Priority (\d+)">
    <claim name="summary" pattern="(?&lt;on_track&gt;\w+) of (?&lt;total&gt;\w+) actions"/>
  </sections>
  <table name="actions" element="action">
    <column field="id" type="id" header="^No$" key="true"/>
    <column field="rag" type="rag" header="^RAG"/>
    <column field="action" type="richtext" header="^Actions?$" key="true"/>
    <column field="update" type="richtext" header="^Update\b"/>
  </table>
  <rules>
    <rule id="FIELD-REQUIRED"/>
    <rule id="TIME-OVERDUE" table="actions">
      <param name="field" value="update"/>
    </rule>
  </rules>
</mapping>
)xml";

// Writes the text to a fresh file and returns its path.
class TempMapping {
public:
    explicit TempMapping(const std::string& text) {
        static int counter = 0;
        path_ = fs::temp_directory_path() / ("planconv-mapping-test-" + std::to_string(::getpid()) + "-" +
                                             std::to_string(counter++) + ".xml");
        std::ofstream(path_) << text;
    }
    ~TempMapping() { fs::remove(path_); }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

std::vector<MappingDiagnostic> diagnostics_of(const std::string& text) {
    TempMapping file(text);
    try {
        load_mapping(file.path(), kMappingsDir);
    } catch (const MappingError& e) {
        return e.diagnostics();
    }
    return {};
}

// The diagnostic on `line`, failing the test when there is none.
MappingDiagnostic on_line(const std::vector<MappingDiagnostic>& ds, int line) {
    for (const auto& d : ds)
        if (d.line == line) return d;
    std::string all;
    for (const auto& d : ds) all += std::to_string(d.line) + ": " + d.message + "\n";
    FAIL("no diagnostic on line " << line << "; got:\n" << all);
    return {};
}

}  // namespace

TEST_CASE("every shipped mapping loads, has a description and produces no XML name conflicts") {
    std::vector<Mapping> all = load_all_mappings(kMappingsDir);
    REQUIRE_FALSE(all.empty());
    for (const Mapping& m : all) {
        INFO(m.file);
        CHECK(fs::path(m.file).stem().string() == m.name);
        CHECK_FALSE(m.description.empty());
        CHECK(xml_name_conflicts(m).empty());
    }
}

TEST_CASE("the small test mapping itself is valid") {
    CHECK(diagnostics_of(kGoodMapping).empty());
}

TEST_CASE("a misspelt element is reported on its line by the schema") {
    std::string text = replaced(kGoodMapping, "<column field=\"rag\"", "<colum field=\"rag\"");
    auto d = on_line(diagnostics_of(text), line_of(text, "<colum "));
    CHECK_THAT(d.message, Catch::Contains("colum") && Catch::Contains("not expected"));
}

TEST_CASE("an invalid regular expression is reported with the attribute and PCRE2's reason") {
    std::string text = replaced(kGoodMapping, "header=\"^RAG\"", "header=\"^(RAG\"");
    auto d = on_line(diagnostics_of(text), line_of(text, "^(RAG"));
    CHECK_THAT(d.message, Catch::Contains("regular expression") && Catch::Contains("header=\"^(RAG\""));
    CHECK_THAT(d.message, Catch::Contains("missing closing parenthesis"));
}

TEST_CASE("a rule naming a field its table does not have is reported on the parameter's line") {
    std::string text = replaced(kGoodMapping, "<param name=\"field\" value=\"update\"/>", "<param name=\"field\" value=\"target_date\"/>");
    auto d = on_line(diagnostics_of(text), line_of(text, "value=\"target_date\""));
    CHECK_THAT(d.message, Catch::Contains("names field 'target_date'") && Catch::Contains("actions"));
    CHECK_THAT(d.hint, Catch::Contains("id, rag, action, update"));
}

TEST_CASE("a field declared twice is reported on the second declaration") {
    std::string text = replaced(kGoodMapping, "<column field=\"update\"", "<column field=\"rag\"");
    auto d = on_line(diagnostics_of(text), line_of(text, "<column field=\"rag\" type=\"richtext\""));
    CHECK_THAT(d.message, Catch::Contains("'rag'") && Catch::Contains("declared twice"));
}

TEST_CASE("a fact naming a table the mapping does not declare is reported on the fact's line") {
    std::string text = replaced(kGoodMapping, "table=\"actions\" field=\"update\"", "table=\"action\" field=\"update\"");
    auto d = on_line(diagnostics_of(text), line_of(text, "<fact name=\"as_of\""));
    CHECK_THAT(d.message, Catch::Contains("fact 'as_of'") && Catch::Contains("table 'action'"));
}

TEST_CASE("an unknown rule id is reported with the rules planconv knows") {
    std::string text = replaced(kGoodMapping, "<rule id=\"FIELD-REQUIRED\"/>", "<rule id=\"FIELD-MANDATORY\"/>");
    auto d = on_line(diagnostics_of(text), line_of(text, "FIELD-MANDATORY"));
    CHECK_THAT(d.message, Catch::Contains("unknown rule id 'FIELD-MANDATORY'"));
}

TEST_CASE("several mistakes are all reported, each on its own line") {
    std::string text = replaced(kGoodMapping, "header=\"^RAG\"", "header=\"[RAG\"");
    text = replaced(text, "table=\"actions\" field=\"update\"", "table=\"actions\" field=\"updates\"");
    auto ds = diagnostics_of(text);
    CHECK(ds.size() >= 2);
    on_line(ds, line_of(text, "[RAG"));
    CHECK_THAT(on_line(ds, line_of(text, "<fact name=\"as_of\"")).message, Catch::Contains("field 'updates'"));
}

TEST_CASE("two columns writing one XML element are an XML name conflict on the second column's line") {
    std::string text = replaced(kGoodMapping, "<column field=\"update\" type=\"richtext\"",
                                "<column field=\"update\" element=\"action\" type=\"richtext\"");
    TempMapping file(text);
    Mapping m = load_mapping(file.path(), kMappingsDir);
    auto ds = xml_name_conflicts(m);
    auto d = on_line(ds, line_of(text, "<column field=\"update\""));
    CHECK_THAT(d.message, Catch::Contains("'action' and 'update'") && Catch::Contains("<action>"));
    CHECK_THROWS_AS(mapping_xsd(m), MappingError);
}

TEST_CASE("a table element that collides with the sections' element is a conflict") {
    std::string text = replaced(kGoodMapping, "element=\"action\"", "element=\"outcome\"");
    TempMapping file(text);
    auto ds = xml_name_conflicts(load_mapping(file.path(), kMappingsDir));
    CHECK_THAT(on_line(ds, line_of(text, "<table name=\"actions\"")).message, Catch::Contains("sections"));
}

TEST_CASE("the row language of <rows> and before= is read, and its mistakes are reported on their lines") {
    std::string text = replaced(kGoodMapping, "  </table>",
                                "    <rows sections=\"end\" end=\"^Page \\d\" end-blank-rows=\"2\" separator=\"^-+$\" "
                                "separator-match=\"any\" total=\"^Total\" total-position=\"above\" group-merged=\"rag\"/>\n  </table>");
    TempMapping file(text);
    Mapping m = load_mapping(file.path(), kMappingsDir);
    const TableSpec& t = m.tables.front();
    CHECK(t.end_at_section);
    CHECK(t.end.has_value());
    CHECK(t.end_blank_rows == 2);
    CHECK(t.separator_any_cell);
    CHECK(t.totals_above);
    CHECK(t.group_merged_field == "rag");
    Mapping defaults = load_mapping(TempMapping(kGoodMapping).path(), kMappingsDir);
    CHECK_FALSE(defaults.tables.front().end_at_section);  // tables run on across sections
    CHECK_FALSE(defaults.tables.front().separator_any_cell);

    std::string before = replaced(kGoodMapping, "<column field=\"rag\" type=\"rag\" header=\"^RAG\"/>",
                                  "<column field=\"rag\" type=\"rag\" before=\"nothing\"/>");
    auto d = on_line(diagnostics_of(before), line_of(before, "before=\"nothing\""));
    CHECK_THAT(d.message, Catch::Contains("'nothing'") && Catch::Contains("not a field"));

    std::string rows = replaced(kGoodMapping, "  </table>", "    <rows separator-match=\"any\" group-merged=\"nothing\"/>\n  </table>");
    auto r = on_line(diagnostics_of(rows), line_of(rows, "<rows separator-match"));
    CHECK_THAT(r.message, Catch::Contains("separator-match") || Catch::Contains("'nothing'"));
    CHECK(diagnostics_of(rows).size() >= 2);
}
