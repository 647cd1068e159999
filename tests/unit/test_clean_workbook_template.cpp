// The write direction's other half: planconv's XML read back (XmlDocumentReader), return
// templates written from it (TemplateWriter) and read again by the Extractor, and the mapping
// language that describes a template (titles, roles, section starts, <template>).
#include "write/DocumentXmlWriter.hpp"
#include "write/TemplateWriter.hpp"
#include "read/WorkbookReader.hpp"
#include "mapping/XmlDocumentReader.hpp"
#include "read/XmlStream.hpp"
#include "read/ZipArchive.hpp"
#include "mapping/Extractor.hpp"
#include "mapping/MappingLoader.hpp"
#include "mapping/PlanDates.hpp"
#include "parse/RichText.hpp"

#include "sample_test_support.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <unistd.h>

using namespace planconv;
using namespace planconv::test;
namespace fs = std::filesystem;

namespace {

// A workbook read and mapped again.
struct ReadBack {
    Workbook workbook;
    Document doc;
    ReadBack(const fs::path& file, const Mapping& m) : workbook(read_workbook(file)), doc(extract(workbook, m)) {}
};

fs::path write_xml(const Document& doc, const std::string& name) {
    fs::path file = scratch(name);
    write_document_xml(doc, file);
    return file;
}

std::string field(const Record& r, const TableSpec& t, const std::string& name) {
    const ColumnSpec* c = t.column(name);
    REQUIRE(c != nullptr);
    const FieldValue& v = r.values[std::size_t(c - t.columns.data())];
    return v.present ? v.raw() : std::string();
}

// What a text field means, however it was written (markup or bullets): its typed text.
std::string meaning(const Record& r, const TableSpec& t, const std::string& name) {
    const ColumnSpec* c = t.column(name);
    FieldTyper typer;
    return typer.type(*c, field(r, t, name)).text;
}

std::string part(const fs::path& file, const std::string& name) {
    ZipArchive zip(file, ReadLimits{});
    return zip.read_all(name);
}

std::size_t count_of(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
    return n;
}

Mapping mapping_from(const std::string& text, const std::string& name) {
    fs::path dir = scratch("mappings-" + name);
    fs::create_directories(dir);
    fs::copy_file(kMappings / "mapping.xsd", dir / "mapping.xsd", fs::copy_options::overwrite_existing);
    std::ofstream(dir / (name + ".xml")) << text;
    return load_mapping(dir / (name + ".xml"), dir);
}

const char* kSmallMapping = R"(<?xml version="1.0" encoding="UTF-8"?>
<mapping xmlns="urn:planconv:mapping:1" name="small">
  <description>A small plan</description>
  <sections start="^Priority\s+(\d+)\b" TEMPLATE/>
  <table name="actions" element="action">
    <column field="id" type="id" header="^No$" key="true" TITLE/>
    <column field="rag" type="rag" header="^RAG"/>
    <column field="note" type="text" header="^Notes?$" template="carried"/>
    <column field="due" type="date" header="^Due$" title="Due"/>
    <column field="when" type="timescale" header="^When$" title="When"/>
  </table>
  <template sheet="Plan" rows="3"><instruction>Write it all.</instruction></template>
</mapping>
)";

std::string small_mapping(const std::string& section_template, const std::string& title) {
    std::string text = kSmallMapping;
    text.replace(text.find("TEMPLATE"), 8, section_template);
    text.replace(text.find("TITLE"), 5, title);
    return text;
}

}  // namespace

TEST_CASE("planconv's XML reads back into the Document it was written from") {
    Sample s("portfolio-plan-quarterly.xlsx", "portfolio-plan-quarterly");
    fs::path xml = write_xml(s.doc, "quarterly.xml");
    Document back = read_document_xml(xml, s.mapping);
    const TableSpec& t = s.mapping.tables[0];
    REQUIRE(back.sections.size() == s.doc.sections.size());
    for (std::size_t i = 0; i < back.sections.size(); ++i) {
        CHECK(back.sections[i].id == s.doc.sections[i].id);
        CHECK(back.sections[i].title == s.doc.sections[i].title);
    }
    REQUIRE(back.fact("title"));
    CHECK(back.fact("title")->raw == s.doc.fact("title")->raw);
    CHECK(back.fact("as_of")->raw == "Quarter 3");
    CHECK(plan_dates(back).as_of == plan_dates(s.doc).as_of);
    REQUIRE(back.tables[0].records.size() == s.doc.tables[0].records.size());
    for (std::size_t k = 0; k < back.tables[0].records.size(); ++k) {
        const Record& a = s.doc.tables[0].records[k];
        const Record& b = back.tables[0].records[k];
        CHECK(b.section == a.section);
        CHECK(b.first_row == a.first_row);
        CHECK(meaning(b, t, "action") == meaning(a, t, "action"));
        CHECK(field(b, t, "target_date") == field(a, t, "target_date"));  // as written: "April 2022 [AP]"
        REQUIRE(b.subrecords.size() == a.subrecords.size());
        for (std::size_t j = 0; j < b.subrecords.size(); ++j) {
            CHECK(b.subrecords[j].group == a.subrecords[j].group);
            CHECK(field(b.subrecords[j], t, "target_date") == field(a.subrecords[j], t, "target_date"));
        }
    }
}

TEST_CASE("planconv's XML reads back each table's header texts and cells as the workbook had them") {
    for (auto [file, mapping] : {std::pair{"indicator-table.xlsx", "indicator-table"},
                                 std::pair{"portfolio-plan-half-year.xlsx", "portfolio-plan-half-year"},
                                 std::pair{"portfolio-plan-quarterly.xlsx", "portfolio-plan-quarterly"}}) {
        INFO(file);
        Sample s(file, mapping);
        Document back = read_document_xml(write_xml(s.doc, std::string(mapping) + "-headers.xml"), s.mapping);
        REQUIRE(back.tables.size() == s.doc.tables.size());
        bool any = false;
        for (std::size_t ti = 0; ti < back.tables.size(); ++ti) {
            const TableRecords& was = s.doc.tables[ti];
            const TableRecords& now = back.tables[ti];
            INFO(was.spec->name);
            CHECK(now.header_texts == was.header_texts);
            REQUIRE(now.header_cells.size() == was.header_cells.size());
            for (std::size_t ci = 0; ci < now.header_cells.size(); ++ci) {
                CHECK(now.header_cells[ci].sheet == was.header_cells[ci].sheet);
                if (!was.header_cells[ci].sheet.empty()) CHECK(now.header_cells[ci].a1() == was.header_cells[ci].a1());
            }
            any = any || !was.header_texts.empty();
        }
        CHECK(any);
    }
    // The indicator table's period columns, which PREV-RESTATED compares by their headers.
    Sample s("indicator-table.xlsx", "indicator-table");
    Document back = read_document_xml(write_xml(s.doc, "indicator-periods.xml"), s.mapping);
    const TableSpec& t = s.mapping.tables[0];
    auto header = [&](const char* field) { return back.tables[0].header_texts[std::size_t(t.column(field) - t.columns.data())]; };
    CHECK(header("previous_outturn") == "Outturn 2011/12");
    CHECK(header("target") == "Target 2012/13");
}

// The rules compare figures of the previous return by number: a number read back from its text
// could differ (planconv once showed 200000 as "2e+05", which as text reads as 2).
TEST_CASE("a figure that was a number cell reads back from the XML as that number") {
    for (auto [file, mapping] : {std::pair{"indicator-table.xlsx", "indicator-table"},
                                 std::pair{"portfolio-plan-half-year.xlsx", "portfolio-plan-half-year"},
                                 std::pair{"budget-monitoring.xlsx", "budget-monitoring"}}) {
        INFO(file);
        Sample s(file, mapping);
        Document back = read_document_xml(write_xml(s.doc, std::string(mapping) + "-figures.xml"), s.mapping);
        int numbers = 0;
        for (std::size_t ti = 0; ti < back.tables.size(); ++ti) {
            const TableSpec& t = s.mapping.tables[ti];
            REQUIRE(back.tables[ti].records.size() == s.doc.tables[ti].records.size());
            for (std::size_t k = 0; k < back.tables[ti].records.size(); ++k)
                for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
                    const FieldValue& was = s.doc.tables[ti].records[k].values[ci];
                    const FieldValue& now = back.tables[ti].records[k].values[ci];
                    bool figure = t.columns[ci].type == FieldType::Number || t.columns[ci].type == FieldType::Quantity ||
                                  t.columns[ci].type == FieldType::Money || t.columns[ci].type == FieldType::Integer ||
                                  t.columns[ci].type == FieldType::Percent;
                    if (!figure || !was.present || was.cell_type != CellType::Number) continue;
                    INFO(t.name << " " << was.raw());
                    CHECK(now.cell_type == CellType::Number);
                    CHECK(now.number == was.number);
                    CHECK(now.percent_format == was.percent_format);
                    ++numbers;
                }
        }
        CHECK(numbers > 0);
    }
}

TEST_CASE("XML without <headers> (written before planconv kept them) reads back with no header texts") {
    Sample s("indicator-table.xlsx", "indicator-table");
    fs::path xml = write_xml(s.doc, "with-headers.xml");
    std::ifstream in(xml);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string end_tag = "</headers>";
    auto from = text.find("<headers "), to = text.rfind(end_tag);
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    const std::string before = text.substr(0, from), after = text.substr(to + end_tag.size());
    fs::path old = scratch("without-headers.xml");
    std::ofstream(old) << before << after;
    Document back = read_document_xml(old, s.mapping);
    CHECK(back.tables[0].header_texts.empty());
    CHECK(back.tables[0].header_cells.empty());
    CHECK(back.tables[0].records.size() == s.doc.tables[0].records.size());

    // Hardened: unknown tables and fields are skipped, a src naming no cell leaves the cell unknown.
    std::string odd = before +
                      "<headers record=\"nothing\"><header field=\"no\">x</header></headers>"
                      "<headers record=\"indicator\"><header field=\"no\" src=\"Appendix B!\">#</header><stray field=\"type\">y</stray>"
                      "<header field=\"nothing\">z</header><header>w</header>"
                      "<header field=\"indicator\" src=\"nowhere\">Indicator</header></headers>"
                      "<headers record=\"indicator\"><header field=\"no\">second</header></headers>" +
                      after;
    fs::path odd_file = scratch("odd-headers.xml");
    std::ofstream(odd_file) << odd;
    Document o = read_document_xml(odd_file, s.mapping);
    const TableSpec& t = s.mapping.tables[0];
    REQUIRE(o.tables[0].header_texts.size() == t.columns.size());
    REQUIRE(o.tables[0].header_cells.size() == t.columns.size());
    CHECK(o.tables[0].header_texts[0] == "#");  // the table's first <headers> kept
    CHECK(o.tables[0].header_texts[1].empty());  // <stray> is no header
    CHECK(o.tables[0].header_cells[0].sheet.empty());
    std::size_t indicator = std::size_t(t.column("indicator") - t.columns.data());
    CHECK(o.tables[0].header_texts[indicator] == "Indicator");
    CHECK(o.tables[0].header_cells[indicator].sheet.empty());
}

TEST_CASE("reading XML back keeps the normalised text of rich text and the raw text of RAG") {
    Sample s("portfolio-plan-half-year.xlsx", "portfolio-plan-half-year");
    Document back = read_document_xml(write_xml(s.doc, "half-year.xml"), s.mapping);
    const TableSpec& t = s.mapping.tables[0];
    const Record& first = back.tables[0].records[0];
    CHECK(field(first, t, "update").find("<p>") == std::string::npos);
    CHECK(field(first, t, "update") == meaning(s.doc.tables[0].records[0], t, "update"));
    bool qualified = false;
    for (const Record& r : back.tables[0].records) qualified = qualified || field(r, t, "rag") == "Amber (Central Government Delay)";
    CHECK(qualified);
    REQUIRE(back.sections.size() == 6);
    REQUIRE(back.sections[0].claims.size() == 1);
    CHECK(back.sections[0].claims[0].parts.at("on_track") == "five");
}

TEST_CASE("XML written with another mapping, or with a DOCTYPE, is refused") {
    Sample s("portfolio-plan-half-year.xlsx", "portfolio-plan-half-year");
    Mapping quarterly = load_mapping_by_name_or_file("portfolio-plan-quarterly", kMappings);
    fs::path xml = write_xml(s.doc, "other.xml");
    CHECK_THROWS_WITH(read_document_xml(xml, quarterly), Catch::Contains("portfolio-plan-half-year"));
    fs::path doctype = scratch("doctype.xml");
    std::ofstream(doctype) << "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e \"boom\">]>\n<portfolio_plan>&e;</portfolio_plan>\n";
    CHECK_THROWS_AS(read_document_xml(doctype, s.mapping), ReadError);
    CHECK_THROWS_AS(read_document_xml(scratch("absent.xml"), s.mapping), ReadError);
}

TEST_CASE("a half-year template from last return's XML reads back with the same outcomes, ids, aims and actions") {
    Sample s("portfolio-plan-half-year.xlsx", "portfolio-plan-half-year");
    Document last = read_document_xml(write_xml(s.doc, "hy-last.xml"), s.mapping);
    fs::path out = scratch("hy-template.xlsx");
    write_template(s.mapping, &last, out);
    ReadBack back(out, s.mapping);
    const TableSpec& t = s.mapping.tables[0];
    CHECK(back.doc.sections.size() == 6);
    REQUIRE(back.doc.tables[0].records.size() == 53);
    REQUIRE(back.doc.tables[1].records.size() == s.doc.tables[1].records.size());
    for (std::size_t k = 0; k < 53; ++k) {
        const Record& a = s.doc.tables[0].records[k];
        const Record& b = back.doc.tables[0].records[k];
        CHECK(b.section == a.section);
        CHECK(field(b, t, "id") == field(a, t, "id"));
        CHECK(meaning(b, t, "aim") == meaning(a, t, "aim"));
        CHECK(meaning(b, t, "action") == meaning(a, t, "action"));
        CHECK(field(b, t, "rag").empty());     // this return's answer: blank
        CHECK(field(b, t, "update").empty());
    }
    // The reporting date comes back from the update column's header.
    CHECK(plan_dates(back.doc).as_of == Date::from_ymd(2016, 11, 30));
    CHECK(plan_dates(back.doc).plan == plan_dates(s.doc).plan);
    // Claims are carried over for the service to rewrite.
    CHECK(back.doc.sections[0].claims.size() == 1);
}

TEST_CASE("a template protects its layout and leaves the input cells open") {
    Sample s("portfolio-plan-half-year.xlsx", "portfolio-plan-half-year");
    Document last = read_document_xml(write_xml(s.doc, "hy-protect.xml"), s.mapping);
    fs::path out = scratch("hy-protect.xlsx");
    write_template(s.mapping, &last, out);
    std::string sheet = part(out, "xl/worksheets/sheet1.xml");
    CHECK(sheet.find("<sheetProtection") != std::string::npos);
    CHECK(sheet.find("password=") == std::string::npos);
    CHECK(sheet.find("insertRows=\"0\"") != std::string::npos);  // inserting rows is allowed
    CHECK(sheet.find("\"Red,Amber,Green,Blue,NA\"") != std::string::npos);
    CHECK(count_of(sheet, "<dataValidation type=\"list\"") == 6);  // the RAG column of each outcome's action table
    CHECK(sheet.find("<f>") == std::string::npos);
    std::string styles = part(out, "xl/styles.xml");
    CHECK(styles.find("locked=\"0\"") != std::string::npos);
    Workbook wb = read_workbook(out);
    REQUIRE(wb.sheets.size() == 2);
    CHECK(wb.sheets[0].name == "Portfolio Plan");
    CHECK(wb.sheets[1].name == "Instructions");
}

TEST_CASE("the quarterly template writes each sub-action on its own row and reads back the same sub-actions") {
    Sample s("portfolio-plan-quarterly.xlsx", "portfolio-plan-quarterly");
    Document last = read_document_xml(write_xml(s.doc, "q-last.xml"), s.mapping);
    fs::path out = scratch("q-template.xlsx");
    write_template(s.mapping, &last, out);
    ReadBack back(out, s.mapping);
    const TableSpec& t = s.mapping.tables[0];
    REQUIRE(back.doc.sections.size() == s.doc.sections.size());
    for (std::size_t i = 0; i < back.doc.sections.size(); ++i) CHECK(back.doc.sections[i].title == s.doc.sections[i].title);
    REQUIRE(back.doc.tables[0].records.size() == s.doc.tables[0].records.size());
    for (std::size_t k = 0; k < s.doc.tables[0].records.size(); ++k) {
        const Record& a = s.doc.tables[0].records[k];
        const Record& b = back.doc.tables[0].records[k];
        CHECK(field(b, t, "no") == field(a, t, "no"));
        CHECK(meaning(b, t, "action") == meaning(a, t, "action"));
        REQUIRE(b.subrecords.size() == a.subrecords.size());
        for (std::size_t j = 0; j < a.subrecords.size(); ++j) {
            CHECK(b.subrecords[j].group == a.subrecords[j].group);
            CHECK(meaning(b.subrecords[j], t, "detail") == meaning(a.subrecords[j], t, "detail"));
            CHECK(meaning(b.subrecords[j], t, "target_date") == meaning(a.subrecords[j], t, "target_date"));
            // The template writes a value's paragraphs without their <p> tags.
            CHECK(strip_markup(field(b.subrecords[j], t, "lead")) == strip_markup(field(a.subrecords[j], t, "lead")));
        }
    }
    CHECK(plan_dates(back.doc).as_of == Date::from_ymd(2020, 12, 31));
}

TEST_CASE("an improvement plan template has the key sheet first and a sheet per priority") {
    Sample s("improvement-action-plan.xlsx", "improvement-action-plan");
    Document last = read_document_xml(write_xml(s.doc, "imp-last.xml"), s.mapping);
    fs::path out = scratch("imp-template.xlsx");
    write_template(s.mapping, &last, out);
    ReadBack back(out, s.mapping);
    std::vector<std::string> names;
    for (const Sheet& sh : back.workbook.sheets) names.push_back(sh.name);
    CHECK(names == std::vector<std::string>{"Key", "Priority 1", "Priority 2", "Priority 4", "Priority 5", "Priority 10", "Instructions"});
    for (std::size_t ti = 0; ti < s.doc.tables.size(); ++ti) {
        REQUIRE(back.doc.tables[ti].records.size() == s.doc.tables[ti].records.size());
        for (std::size_t k = 0; k < s.doc.tables[ti].records.size(); ++k) {
            CHECK(back.doc.tables[ti].records[k].section == s.doc.tables[ti].records[k].section);
            CHECK(back.doc.tables[ti].records[k].subrecords.size() == s.doc.tables[ti].records[k].subrecords.size());
        }
    }
    CHECK(plan_dates(back.doc).plan == plan_dates(s.doc).plan);
}

TEST_CASE("a blank template of every return layout reads back with its sections and no records") {
    for (const Mapping& m : load_all_mappings(kMappings)) {
        INFO(m.name);
        fs::path out = scratch("blank-" + m.name + ".xlsx");
        if (!m.template_spec) {
            CHECK_THROWS_AS(write_template(m, nullptr, out), TemplateError);
            CHECK_FALSE(fs::exists(out));
            continue;
        }
        TemplateOptions o;
        o.sections = 2;
        write_template(m, nullptr, out, o);
        ReadBack back(out, m);
        if (m.sections.kind != SectionSpec::Kind::None) CHECK(back.doc.sections.size() == 2);
        for (const TableRecords& t : back.doc.tables) {
            CHECK_FALSE(t.header_texts.empty());
            CHECK(t.records.empty());
        }
        for (const Fact& f : back.doc.facts) CHECK(f.where.sheet != "Instructions");
    }
}

TEST_CASE("the supported return layouts are the two portfolio plans, the improvement plan and the indicator table") {
    std::vector<std::string> with_template;
    for (const Mapping& m : load_all_mappings(kMappings))
        if (m.template_spec) with_template.push_back(m.name);
    CHECK(with_template ==
          std::vector<std::string>{"improvement-action-plan", "indicator-table", "portfolio-plan-half-year", "portfolio-plan-quarterly"});
}

TEST_CASE("the mapping language: titles, roles, section starts and the template element") {
    Mapping m = mapping_from(small_mapping("template=\"Priority {id}\"", "title=\"No\""), "small");
    REQUIRE(m.template_spec);
    CHECK(m.template_spec->sheet == "Plan");
    CHECK(m.template_spec->rows == 3);
    CHECK(m.template_spec->instructions == std::vector<std::string>{"Write it all."});
    CHECK(m.sections.template_text == "Priority {id}");
    const TableSpec& t = m.tables[0];
    CHECK(t.column("id")->title == "No");
    CHECK(t.column("id")->template_role == TemplateRole::Given);      // key and id: given
    CHECK(t.column("rag")->template_role == TemplateRole::Input);     // the rest: input
    CHECK(t.column("note")->template_role == TemplateRole::Carried);  // as declared
}

TEST_CASE("a title its own header would not find again is a mapping error with its line") {
    CHECK_THROWS_WITH(mapping_from(small_mapping("template=\"Priority {id}\"", "title=\"Number\""), "bad-title"),
                      Catch::Contains("bad-title.xml:6:") && Catch::Contains("does not match its own header pattern"));
    CHECK_THROWS_WITH(mapping_from(small_mapping("template=\"Section {id}\"", "title=\"No\""), "bad-section"),
                      Catch::Contains("bad-section.xml:4:") && Catch::Contains("does not match start="));
}

TEST_CASE("an instruction that would read back as part of the return stops the template") {
    std::string text = small_mapping("template=\"Priority {id}\"", "title=\"No\"");
    text.replace(text.find("Write it all."), 13, "Priority 7 comes last.");
    Mapping m = mapping_from(text, "chatty");
    CHECK_THROWS_WITH(write_template(m, nullptr, scratch("chatty.xlsx")), Catch::Contains("start of a section"));
}

TEST_CASE("date cells get date validation, timescale cells a text check with a prompt, RAG cells a drop-down") {
    Mapping m = mapping_from(small_mapping("template=\"Priority {id}\"", "title=\"No\""), "validated");
    fs::path out = scratch("validated.xlsx");
    write_template(m, nullptr, out);
    std::string sheet = part(out, "xl/worksheets/sheet1.xml");
    CHECK(sheet.find("<dataValidation type=\"date\"") != std::string::npos);
    CHECK(sheet.find("<dataValidation type=\"textLength\"") != std::string::npos);
    CHECK(sheet.find("promptTitle=\"When\"") != std::string::npos);
    CHECK(sheet.find("A month and year (April 2022)") != std::string::npos);
    CHECK(sheet.find("<dataValidation type=\"list\"") != std::string::npos);
    Workbook wb = read_workbook(out);
    CHECK(wb.sheets.front().name == "Plan");
    CHECK(wb.sheets.back().name == "Instructions");
}
