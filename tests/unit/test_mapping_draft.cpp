// mappings draft on workbooks built cell by cell: the header found after a title, types guessed
// from the values, a column with no header kept (after=), numbered headings inside a table read
// as group rows and followed by headers as sections, total rows — and the draft, loaded like
// any mapping, reads every cell of the table.
#include "mapping/Extractor.hpp"
#include "mapping/MappingDraft.hpp"
#include "mapping/MappingLoader.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <unistd.h>

using namespace planconv;
namespace fs = std::filesystem;

namespace {

// Cells given row by row; "" is an empty cell, a number a Number cell.
struct Value {
    Value(const char* t) : text(t) {}
    Value(double n) : number(n), is_number(true) {}
    std::string text;
    double number = 0;
    bool is_number = false;
};

Workbook workbook(const std::string& sheet_name, const std::vector<std::vector<Value>>& rows) {
    Workbook wb;
    wb.sheets.emplace_back();
    Sheet& s = wb.sheets.back();
    s.name = sheet_name;
    for (std::uint32_t r = 0; r < rows.size(); ++r)
        for (std::uint32_t c = 0; c < rows[r].size(); ++c) {
            const Value& v = rows[r][c];
            if (v.is_number)
                s.add(Cell{r, c, CellType::Number, 0, 0, v.number});
            else if (!v.text.empty())
                s.add(Cell{r, c, CellType::String, wb.intern(v.text), 0, 0});
        }
    s.finish();
    return wb;
}

Mapping load(const std::string& xml) {
    fs::path path = fs::temp_directory_path() / ("planconv-draft-test-" + std::to_string(::getpid()) + ".xml");
    std::ofstream(path) << xml;
    Mapping m = load_mapping(path, PLANCONV_SOURCE_MAPPINGS);
    fs::remove(path);
    return m;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("mappings draft: types, an unheaded column, group and total rows, every cell read", "[mapping-draft]") {
    Workbook wb = workbook("Risk Register", {
        {"Corporate risk register 2016/17"},
        {},
        {"Ref", "Risk", "Rating", "Review date", "Cost"},
        {"R1", "Flooding of the depot", "Amber", "March 2017", 1200.0},
        {"Area 1"},
        {"R2", "Fire in the archive", "Green", "June 2017", 300.0},
        {"Area 2"},
        {"R3", "Theft of laptops", "Red (insurance claim)", "Sept 2016", 50.0, "see note"},
        {"Total", "", "", "", 1550.0},
    });
    MappingDraft d = draft_mapping(wb, "risk-register");
    INFO(d.xml);
    CHECK(has(d.xml, "name=\"risk-register\""));
    CHECK(has(d.xml, "<column field=\"ref\" type=\"id\" header=\"^Ref$\""));
    CHECK(has(d.xml, "<column field=\"rating\" type=\"rag\" header=\"^Rating$\""));
    CHECK(has(d.xml, "<column field=\"review_date\" type=\"timescale\""));
    CHECK(has(d.xml, "<column field=\"cost\" type=\"integer\""));
    CHECK(has(d.xml, "<column field=\"cost_next\" type=\"text\" after=\"cost\""));
    CHECK(has(d.xml, "group=\"^Area\\s+(\\d+)\\b\" group-field=\"ref\""));  // no header follows: group rows
    CHECK(has(d.xml, "total-field=\"ref\""));
    CHECK_FALSE(has(d.xml, "<sections"));
    CHECK(has(d.xml, "<rule id=\"FIELD-ENUM\" table=\"risk_register\"/>"));
    CHECK(has(d.xml, "<param name=\"fields\" value=\"review_date\"/>"));
    CHECK(has(d.xml, "<rule id=\"TOTAL-SUM\" table=\"risk_register\">"));
    CHECK(d.notes.empty());

    Mapping m = load(d.xml);
    Document doc = extract(wb, m);
    REQUIRE(doc.tables.size() == 1);
    const auto& records = doc.tables[0].records;
    std::vector<RecordKind> kinds;
    for (const Record& r : records) kinds.push_back(r.kind);
    CHECK(kinds == std::vector<RecordKind>{RecordKind::Record, RecordKind::Group, RecordKind::Record, RecordKind::Group,
                                           RecordKind::Record, RecordKind::Total});
    // Every non-empty cell under the header is in a field of its row's record.
    std::size_t cells = 0;
    for (const Record& r : records)
        for (const FieldValue& v : r.values)
            if (v.present && !v.raw().empty()) ++cells;
    CHECK(cells == 5 + 1 + 5 + 1 + 6 + 2);
    CHECK(records[4].values[5].raw() == "see note");
}

TEST_CASE("mappings draft: numbered headings followed by a header open sections", "[mapping-draft]") {
    Workbook wb = workbook("Plan", {
        {"Priority 1"},
        {"No", "Action", "Update"},
        {"1.1", "Open the hub", "Opened in May"},
        {"1.2", "Train staff", "Half trained"},
        {},
        {"Priority 2"},
        {"No", "Action", "Update"},
        {"2.1", "Review fees", "Done"},
    });
    MappingDraft d = draft_mapping(wb, "plan");
    INFO(d.xml);
    CHECK(has(d.xml, "<sections element=\"section\" start=\"^Priority\\s+(\\d+)\\b\"/>"));
    CHECK(has(d.xml, "<column field=\"no\" type=\"id\""));
    Document doc = extract(wb, load(d.xml));
    REQUIRE(doc.sections.size() == 2);
    CHECK(doc.tables[0].records.size() == 3);
    CHECK(doc.tables[0].records[2].section == "2");
}

TEST_CASE("mappings draft: odd header text still gives a mapping that loads", "[mapping-draft]") {
    Workbook wb = workbook("Sheet 1", {
        {"#", "Amount \xc2\xa3", "Amount \xc2\xa3", "Status <new> & \"old\""},
        {1.0, 10.0, 20.0, "Green"},
        {2.0, 30.0, 40.0, "Amber"},
    });
    MappingDraft d = draft_mapping(wb, "odd");
    INFO(d.xml);
    CHECK(has(d.xml, "<column field=\"col_a\" type=\"id\" header=\"^\\#$\""));
    CHECK(has(d.xml, "<column field=\"amount_2\" type=\"integer\" after=\"amount\""));  // the same header twice
    Mapping m = load(d.xml);
    Document doc = extract(wb, m);
    REQUIRE(doc.tables[0].records.size() == 2);
    CHECK(doc.tables[0].records[1].values[2].raw() == "40");
    CHECK(doc.tables[0].records[1].values[3].raw() == "Amber");
}

TEST_CASE("mappings draft: a workbook with no table is refused; names from file names", "[mapping-draft]") {
    Workbook wb = workbook("Notes", {{"Only a title"}, {"and a sentence"}});
    CHECK_THROWS_AS(draft_mapping(wb, "x"), MappingDraftError);
    CHECK(draft_name("Care Q2 (final)") == "care-q2-final");
    CHECK(draft_name("2016 returns") == "draft-2016-returns");
}

TEST_CASE("a header split over two rows is read as one; the rows under it stay records", "[extract]") {
    // "Lead" over "officer", "Target" over "date": only the two rows together name the columns.
    // The records' texts start with letters the headers may start with, so every row below is
    // weighed as the first of another two-row header, and must not become one.
    Workbook wb = workbook("Plan", {
        {"Action plan 2016/17"},
        {"Ref", "Action", "Lead", "Target"},
        {"", "", "officer", "date"},
        {"A1", "Lead the review", "Liz Lead", "March 2017"},
        {"A2", "Target the estates", "Tom Target", "June 2017"},
        {"A3", "Officer training", "Olu Officer", "Sept 2017"},
    });
    Mapping m = load(R"(<?xml version="1.0" encoding="UTF-8"?>
<mapping xmlns="urn:planconv:mapping:1" name="split-header" element="plan">
  <description>Actions under a header split over two rows</description>
  <table name="actions" element="action" min-match="4">
    <column field="ref" type="id" header="^Ref$" key="true"/>
    <column field="action" type="text" header="^Action$" key="true"/>
    <column field="lead" type="text" header="^Lead officer$"/>
    <column field="target" type="timescale" header="^Target date$"/>
  </table>
</mapping>
)");
    Document doc = extract(wb, m);
    REQUIRE(doc.tables.size() == 1);
    const TableRecords& t = doc.tables[0];
    CHECK(t.header_texts == std::vector<std::string>{"Ref", "Action", "Lead officer", "Target date"});
    std::vector<std::vector<std::string>> got;
    for (const Record& r : t.records) {
        std::vector<std::string> values;
        for (const FieldValue& v : r.values) values.emplace_back(v.raw());
        got.push_back(values);
    }
    CHECK(got == std::vector<std::vector<std::string>>{{"A1", "Lead the review", "Liz Lead", "March 2017"},
                                                       {"A2", "Target the estates", "Tom Target", "June 2017"},
                                                       {"A3", "Officer training", "Olu Officer", "Sept 2017"}});
}
