// The document XML: Documents built in code (as the Extractor would produce them) written with
// DocumentXmlWriter, validated by libxml2 against the XSD that XsdWriter generates for the same
// mapping, and read back with XPath. Also AtomicFile, which every output goes through.
#include "files/AtomicFile.hpp"
#include "write/DocumentXmlWriter.hpp"
#include "write/XmlTextOutput.hpp"
#include "write/XsdWriter.hpp"
#include "mapping/MappingLoader.hpp"
#include "parse/Text.hpp"

#include <catch2/catch.hpp>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace planconv;
namespace fs = std::filesystem;

namespace {

const fs::path kMappingsDir = PLANCONV_SOURCE_MAPPINGS;

void collect_error(void* ctx, xmlErrorPtr err) {
    if (err && err->message) *static_cast<std::string*>(ctx) += std::to_string(err->line) + ": " + err->message;
}

// A parsed XML document with XPath look-ups.
class ParsedXml {
public:
    explicit ParsedXml(const std::string& xml) {
        doc_ = xmlReadMemory(xml.data(), int(xml.size()), "doc.xml", nullptr, XML_PARSE_NONET);
        REQUIRE(doc_ != nullptr);
    }
    ~ParsedXml() { xmlFreeDoc(doc_); }
    ParsedXml(const ParsedXml&) = delete;
    ParsedXml& operator=(const ParsedXml&) = delete;

    std::string str(const std::string& xpath) const {
        xmlXPathContextPtr ctx = xmlXPathNewContext(doc_);
        xmlXPathObjectPtr r = xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(("string(" + xpath + ")").c_str()), ctx);
        std::string out = r && r->stringval ? reinterpret_cast<const char*>(r->stringval) : "";
        xmlXPathFreeObject(r);
        xmlXPathFreeContext(ctx);
        return out;
    }
    int count(const std::string& xpath) const { return std::stoi(str("count(" + xpath + ")")); }

    // "" when the document is valid, else libxml2's messages.
    std::string validate(const std::string& xsd) const {
        std::string errors;
        xmlSchemaParserCtxtPtr pctx = xmlSchemaNewMemParserCtxt(xsd.data(), int(xsd.size()));
        xmlSchemaSetParserStructuredErrors(pctx, collect_error, &errors);
        xmlSchemaPtr schema = xmlSchemaParse(pctx);
        xmlSchemaFreeParserCtxt(pctx);
        if (!schema) return "the XSD does not parse: " + errors;
        xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(schema);
        xmlSchemaSetValidStructuredErrors(vctx, collect_error, &errors);
        int rc = xmlSchemaValidateDoc(vctx, doc_);
        xmlSchemaFreeValidCtxt(vctx);
        xmlSchemaFree(schema);
        return rc == 0 ? "" : errors.empty() ? "invalid" : errors;
    }

private:
    xmlDocPtr doc_ = nullptr;
};

FieldValue at(std::string raw, std::uint32_t row, std::uint32_t col, bool inherited = false) {
    return FieldValue{std::move(raw), CellRef{row, col}, true, inherited};
}

// A record of `table` with the given fields set (others absent).
Record record(const TableSpec& table, const std::string& sheet, std::uint32_t row, const std::string& section,
              const std::vector<std::pair<std::string, FieldValue>>& fields, RecordKind kind = RecordKind::Record) {
    Record r;
    r.kind = kind;
    r.sheet = sheet;
    r.first_row = r.last_row = row;
    r.section = section;
    r.values.resize(table.columns.size());
    for (const auto& [field, value] : fields) {
        const ColumnSpec* c = table.column(field);
        REQUIRE(c != nullptr);
        r.values[std::size_t(c - table.columns.data())] = value;
    }
    return r;
}

Document empty_document(const Mapping& m, std::string source) {
    Document doc;
    doc.mapping = &m;
    doc.source = std::move(source);
    doc.tables.resize(m.tables.size());
    for (std::size_t i = 0; i < m.tables.size(); ++i) doc.tables[i].spec = &m.tables[i];
    return doc;
}

// One outcome of the half-year plan, as the seed lays it out on sheet "Care Services".
Document half_year_document(const Mapping& m) {
    const std::string sheet = "Care Services";
    Document doc = empty_document(m, "/inbox/sub/care-q2.xlsx");
    doc.facts.push_back({"title", "Care Services Portfolio Plan Half Year Update 2016/17", {sheet, {0, 0}}});
    doc.facts.push_back({"plan_period", "2016/17", {sheet, {0, 0}}});
    doc.facts.push_back({"as_of", "end of November 2016", {sheet, {5, 4}}});
    Section s{"1", "Safeguarding", {sheet, {2, 0}}, {}};
    s.claims.push_back({"summary",
                        "As at the end of November, five out of eight actions being progressed during the first half of the year "
                        "are on track with three actions requiring more work in the next half year.",
                        {sheet, {3, 0}},
                        {{"on_track", "five"}, {"total", "eight"}, {"more_work", "three"}}});
    doc.sections.push_back(s);

    const TableSpec& actions = *m.table("actions");
    TableRecords& a = doc.tables[0];
    a.records.push_back(record(actions, sheet, 6, "1",
                               {{"id", at("1.1", 6, 0)},
                                {"aim", at("<p>Vulnerable adults & children are safeguarded</p>", 6, 1)},
                                {"rag", at("Green", 6, 2)},
                                {"action", at("Deliver the <ul style=\"list-style-type: none\"> - Practice standards - Training", 6, 3)},
                                {"update", at("Practice standards were launched in July.", 6, 4)}}));
    a.records.push_back(record(actions, sheet, 7, "1",
                               {{"id", at("1.2", 7, 0)},
                                {"aim", at("<p>Vulnerable adults & children are safeguarded</p>", 6, 1, true)},
                                {"rag", at("Amber (Central Government Delay)", 7, 2)},
                                {"action", at("Produce a plan for the integration of health and social care, by 2017", 7, 3)},
                                {"update", at("Guidance is still awaited.\nThe Council continues to plan locally.", 7, 4)},
                                {"next_steps", at("<p>Focus on the Better Care Fund.</p> <p>Report to the Board 1st December.</p>", 7, 5)}}));
    a.records.push_back(record(actions, sheet, 8, "1", {{"id", at("1.3", 8, 0)}, {"rag", at("Purple", 8, 2)}, {"action", at("Review", 8, 3)}}));

    const TableSpec& indicators = *m.table("indicators");
    TableRecords& i = doc.tables[1];
    i.records.push_back(record(indicators, sheet, 12, "1",
                               {{"no", at("1.", 12, 0)},
                                {"indicator", at("ASCOF 2b(1): The proportion of older people at home 91 days after discharge (%)", 12, 1)},
                                {"target", at("81%", 12, 2)},
                                {"outturn", at("90.5% (191/211) October", 12, 3)}}));
    i.records.push_back(record(indicators, sheet, 13, "1", {{"no", at("A full dataset is being developed", 13, 0)}}, RecordKind::Note));
    // A record the Extractor found before any section started.
    i.records.push_back(record(indicators, sheet, 1, "", {{"no", at("9.", 1, 0)}, {"indicator", at("Unsectioned", 1, 1)}}));
    return doc;
}

// Every field type, subrecords, groups and totals: a mapping that exercises the whole XSD.
const std::string kEveryTypeMapping = R"xml(<?xml version="1.0" encoding="UTF-8"?>
<mapping xmlns="urn:planconv:mapping:1" name="every-type" element="register">
  <description>Every field type</description>
  <facts>
    <fact name="title" from="row" pattern="^(.*)$"/>
    <fact name="reported" type="date" from="cell" cell="B2"/>
    <fact name="band" type="enum" from="cell" cell="B3"/>
  </facts>
  <table name="lines" element="line">
    <column field="code" type="id" header="^Code$" key="true"/>
    <column field="name" type="text" header="^Name$"/>
    <column field="notes" type="richtext" header="^Notes$"/>
    <column field="count" type="integer" header="^Count$"/>
    <column field="share" type="number" header="^Share$"/>
    <column field="budget" type="money" header="^Budget$" scale="1000"/>
    <column field="rate" type="percent" header="^Rate$"/>
    <column field="outturn" type="quantity" header="^Outturn$"/>
    <column field="start" type="date" header="^Start$"/>
    <column field="due" type="timescale" header="^Due$"/>
    <column field="rag" type="rag" header="^RAG$"/>
    <column field="frequency" type="enum" header="^Frequency$">
      <value name="Annual" aliases="Annually|Yearly"/>
      <value name="Quarterly"/>
    </column>
    <column field="leads" type="list" header="^Leads?$" split=" / |;"/>
    <column field="waiver" type="bool" header="^Waiver$"/>
    <rows continuation="false" total="^total" total-field="name" group="division$" group-field="name"/>
    <subrecords element="sub_line" from="notes" marker="^([A-E])\)" align="due leads"/>
  </table>
</mapping>
)xml";

class TempFile {
public:
    TempFile(const std::string& name, const std::string& text) : path_(fs::temp_directory_path() / name) {
        std::ofstream(path_) << text;
    }
    ~TempFile() { fs::remove(path_); }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

fs::path fresh_dir(const std::string& name) {
    fs::path dir = fs::temp_directory_path() / ("planconv-xml-test-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::vector<std::string> files_in(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("a half-year plan document validates against the XSD of its mapping") {
    Mapping m = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    Document doc = half_year_document(m);
    std::string xml = document_xml(doc);
    ParsedXml parsed(xml);
    CHECK(parsed.validate(mapping_xsd(m)) == "");
}

TEST_CASE("the root carries the mapping, the input's file name, the reporting date and the plan period") {
    Mapping m = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    ParsedXml x(document_xml(half_year_document(m)));
    CHECK(x.str("/portfolio_plan/@mapping") == "portfolio-plan-half-year");
    CHECK(x.str("/portfolio_plan/@source") == "care-q2.xlsx");
    CHECK(x.str("/portfolio_plan/@as_of") == "2016-11-30");
    CHECK(x.str("/portfolio_plan/@plan_start") == "2016-04-01");
    CHECK(x.str("/portfolio_plan/@plan_end") == "2017-03-31");
    CHECK(x.str("/portfolio_plan/facts/plan_period/@raw") == "2016/17");
    CHECK(x.str("/portfolio_plan/facts/plan_period") == "2016-04-01/2017-03-31");
    CHECK(x.str("/portfolio_plan/facts/as_of") == "2016-11-30");
    CHECK(x.str("/portfolio_plan/facts/title/@raw") == "");  // unchanged text has no raw copy
}

TEST_CASE("an explicit as_of overrides the workbook's reporting date") {
    Mapping m = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    XmlWriteOptions options;
    options.as_of = Date::parse_iso("2016-12-31");
    options.source = "inbox/sub/care-q2.xlsx";
    ParsedXml x(document_xml(half_year_document(m), options));
    CHECK(x.str("/portfolio_plan/@as_of") == "2016-12-31");
    CHECK(x.str("/portfolio_plan/@source") == "inbox/sub/care-q2.xlsx");
}

TEST_CASE("sections hold their claim with its numbers and their records in table order") {
    Mapping m = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    ParsedXml x(document_xml(half_year_document(m)));
    CHECK(x.str("/portfolio_plan/outcome/@id") == "1");
    CHECK(x.str("/portfolio_plan/outcome/@title") == "Safeguarding");
    CHECK(x.str("/portfolio_plan/outcome/@src") == "Care Services!A3");
    CHECK(x.str("//outcome/claim[@name='summary']/@src") == "Care Services!A4");
    CHECK(x.str("//claim/part[@name='on_track']") == "five");
    CHECK(x.str("//claim/part[@name='on_track']/@value") == "5");
    CHECK(x.str("//claim/part[@name='total']/@value") == "8");
    CHECK(x.count("/portfolio_plan/outcome/action") == 3);
    CHECK(x.count("/portfolio_plan/outcome/indicator") == 2);
    CHECK(x.str("name(/portfolio_plan/outcome/*[last()])") == "indicator");
    CHECK(x.count("/portfolio_plan/indicator") == 1);
    CHECK(x.str("/portfolio_plan/indicator/indicator") == "Unsectioned");
}

TEST_CASE("an action's fields: normalised text, raw where it differs, cell references, filled-down aims") {
    Mapping m = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    ParsedXml x(document_xml(half_year_document(m)));
    const std::string a2 = "//action[id='1.2']";
    CHECK(x.str(a2 + "/@src") == "Care Services!A8");
    CHECK(x.str(a2 + "/@section") == "1");
    CHECK(x.str(a2 + "/rag") == "Amber");
    CHECK(x.str(a2 + "/rag/@qualifier") == "Central Government Delay");
    CHECK(x.str(a2 + "/rag/@raw") == "Amber (Central Government Delay)");
    CHECK(x.str(a2 + "/rag/@src") == "Care Services!C8");
    CHECK(x.str(a2 + "/aim") == "Vulnerable adults & children are safeguarded");
    CHECK(x.str(a2 + "/aim/@inherited") == "true");
    CHECK(x.str(a2 + "/aim/@src") == "Care Services!B7");
    CHECK(x.str(a2 + "/next_steps") == "Focus on the Better Care Fund.\nReport to the Board 1st December.");
    CHECK(x.str(a2 + "/update") == "Guidance is still awaited.\nThe Council continues to plan locally.");
    CHECK(x.str(a2 + "/update/@raw") == "");
    CHECK(x.str("//action[id='1.1']/action") == "Deliver the\n\u2022 Practice standards\n\u2022 Training");
    CHECK(x.str("//action[id='1.1']/rag/@raw") == "");
    CHECK(x.str("//action[id='1.1']/@kind") == "");
}

TEST_CASE("a value that does not read as its type is written empty with its raw text") {
    Mapping m = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    ParsedXml x(document_xml(half_year_document(m)));
    CHECK(x.str("//action[id='1.3']/rag/@parsed") == "false");
    CHECK(x.str("//action[id='1.3']/rag/@raw") == "Purple");
    CHECK(x.str("//action[id='1.3']/rag") == "");
}

TEST_CASE("indicator values are written as observations, note rows with kind=note") {
    Mapping m = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    ParsedXml x(document_xml(half_year_document(m)));
    const std::string i1 = "//indicator[no='1']";
    CHECK(x.str(i1 + "/no/@raw") == "1.");
    CHECK(x.str(i1 + "/outturn/@raw") == "90.5% (191/211) October");
    CHECK(x.str(i1 + "/outturn/observation/@value") == "90.5");
    CHECK(x.str(i1 + "/outturn/observation/@numerator") == "191");
    CHECK(x.str(i1 + "/outturn/observation/@period") == "October");
    CHECK(x.str(i1 + "/target/observation/@unit") == "percent");
    CHECK(x.str("//indicator[@kind='note']/no/@raw") == "A full dataset is being developed");
    CHECK(x.str("//indicator[@kind='note']/no/@parsed") == "false");
}

// The headers the Extractor found: actions' on row 6, indicators' on row 11 with the indicator
// column placed after= the number (a cell, no text of its own).
Document half_year_with_headers(const Mapping& m) {
    Document doc = half_year_document(m);
    const std::string sheet = "Care Services";
    TableRecords& a = doc.tables[0];
    a.header_texts = {"No", "We aimed to", "RAG status", "Actions", "Half Year Update \u2013 end of November 2016", ""};
    a.header_cells.assign(6, SourceRef{});
    for (std::uint32_t ci = 0; ci < 5; ++ci) a.header_cells[ci] = {sheet, {5, ci}};
    TableRecords& i = doc.tables[1];
    i.header_texts = {"We will measure this achievement by:", "", "Target 2016/17", "Outturn & <notes>"};
    i.header_cells = {{sheet, {11, 0}}, {sheet, {11, 1}}, {sheet, {11, 2}}, {sheet, {11, 3}}};
    return doc;
}

TEST_CASE("each table's headers are written once, after the facts, each column's text at its cell") {
    Mapping m = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    const std::string xml = document_xml(half_year_with_headers(m));
    ParsedXml x(xml);
    INFO(xml);
    CHECK(x.validate(mapping_xsd(m)) == "");
    CHECK(x.count("//headers") == 2);
    CHECK(x.str("name(/portfolio_plan/*[2])") == "headers");
    CHECK(x.str("/portfolio_plan/headers[1]/@record") == "action");
    CHECK(x.str("/portfolio_plan/headers[2]/@record") == "indicator");
    const std::string actions = "/portfolio_plan/headers[@record='action']";
    CHECK(x.str(actions + "/header[@field='rag']") == "RAG status");
    CHECK(x.str(actions + "/header[@field='rag']/@src") == "Care Services!C6");
    CHECK(x.str(actions + "/header[@field='update']") == "Half Year Update \u2013 end of November 2016");
    CHECK(x.count(actions + "/header") == 5);  // next_steps' header was not found
    CHECK(x.str(actions + "/header[1]/@field") == "id");
    CHECK(x.count(actions + "/header[@field='next_steps']") == 0);
    const std::string indicators = "/portfolio_plan/headers[@record='indicator']";
    CHECK(x.str(indicators + "/header[@field='outturn']") == "Outturn & <notes>");
    CHECK(x.str(indicators + "/header[@field='indicator']") == "");  // placed after= the number: a cell, no text
    CHECK(x.str(indicators + "/header[@field='indicator']/@src") == "Care Services!B12");
    // Field elements are still only in records: //rag finds the records' RAG, not the header.
    CHECK(x.count("//rag") == 3);
    CHECK(x.count("/portfolio_plan/outcome/action") == 3);
}

TEST_CASE("a document with no header found writes no <headers>") {
    Mapping m = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    Document doc = half_year_document(m);
    doc.tables[0].header_texts.assign(6, "");
    doc.tables[0].header_cells.assign(6, SourceRef{});
    ParsedXml x(document_xml(doc));
    CHECK(x.count("//headers") == 0);
    CHECK(x.validate(mapping_xsd(m)) == "");
}

TEST_CASE("the XSD's <headers> is optional, comes after the facts and names only the mapping's records and fields") {
    Mapping m = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    const std::string xsd = mapping_xsd(m);
    const std::string head = "<?xml version=\"1.0\"?>\n<portfolio_plan mapping=\"portfolio-plan-half-year\" source=\"a.xlsx\">";
    const std::string action = "<action src=\"S!A7\"><id src=\"S!A7\">1.1</id></action>";
    auto valid = [&](const std::string& body) { return ParsedXml(head + body + "</portfolio_plan>").validate(xsd); };
    CHECK(valid(action) == "");  // XML written before the headers were kept
    CHECK(valid("<headers record=\"action\"/>" + action) == "");
    CHECK(valid("<headers record=\"action\"><header field=\"id\" src=\"S!A6\">No</header><header field=\"rag\">RAG</header>"
                "</headers><headers record=\"indicator\"><header field=\"outturn\"/></headers>" + action) == "");
    CHECK(valid("<headers/>") != "");                                                     // which table's?
    CHECK(valid("<headers record=\"outcome\"/>") != "");                                  // not a record element
    CHECK(valid("<headers record=\"action\"><header>No</header></headers>") != "");       // which field's?
    CHECK(valid("<headers record=\"action\"><header field=\"rag_status\">RAG</header></headers>") != "");
    CHECK(valid("<headers record=\"action\"><header field=\"id\" src=\"nowhere\">No</header></headers>") != "");
    CHECK(valid("<headers record=\"action\"><header field=\"id\">No<b/></header></headers>") != "");
    CHECK(valid("<headers record=\"action\"><rag>RAG</rag></headers>") != "");
    CHECK(valid(action + "<headers record=\"action\"/>") != "");                         // after the records
}

TEST_CASE("a table or sections writing <headers> is a name conflict") {
    Mapping m = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    CHECK(xml_name_conflicts(m).empty());
    Mapping table = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    table.tables[1].element = "headers";
    REQUIRE(xml_name_conflicts(table).size() == 1);
    CHECK(xml_name_conflicts(table)[0].message.find("the tables' headers") != std::string::npos);
    Mapping sections = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    sections.sections.element = "headers";
    REQUIRE(xml_name_conflicts(sections).size() == 1);
    CHECK(xml_name_conflicts(sections)[0].message.find("<headers>") != std::string::npos);
}

TEST_CASE("every field type, subrecords, groups and totals validate against the generated XSD") {
    TempFile file("planconv-every-type-" + std::to_string(::getpid()) + ".xml", kEveryTypeMapping);
    Mapping m = load_mapping(file.path(), kMappingsDir);
    const TableSpec& t = m.tables.front();
    Document doc = empty_document(m, "register.ods");
    doc.facts.push_back({"title", "Contracts <Register> & \"more\"", {"Reg", {0, 0}}});
    doc.facts.push_back({"reported", "31/03/2017", {"Reg", {1, 1}}});
    doc.facts.push_back({"band", "Gold", {"Reg", {2, 1}}});
    auto& records = doc.tables[0].records;
    Record group = record(t, "Reg", 4, "", {{"name", at("Adult Social Care Division", 4, 1)}}, RecordKind::Group);
    records.push_back(group);
    Record line = record(t, "Reg", 5, "",
                         {{"code", at("C-1", 5, 0)},
                          {"name", at("Domiciliary care\x01 =SUM(A1)", 5, 1)},
                          {"notes", at("A) Retender the contract B) Extend to March", 5, 2)},
                          {"count", at("12", 5, 3)},
                          {"share", at("N/A", 5, 4)},
                          {"budget", at("Cr \u00a3113k", 5, 5)},
                          {"rate", at("81%", 5, 6)},
                          {"outturn", at("964 96.2% (481/500) (Q1) 85.9% (483/562) (Q2)", 5, 7)},
                          {"start", at("01-Sep-11", 5, 8)},
                          {"due", at("Jun / Sep 16", 5, 9)},
                          {"rag", at("Amber/Green", 5, 10)},
                          {"frequency", at("annually", 5, 11)},
                          {"leads", at("HOS S&CP / DCS", 5, 12)},
                          {"waiver", at("Yes", 5, 13)}});
    line.group = "Adult Social Care Division";
    Record sub_a = record(t, "Reg", 5, "", {{"notes", at("Retender the contract", 5, 2)}, {"due", at("Jun 16", 5, 9)}});
    sub_a.group = "A";
    Record sub_b = record(t, "Reg", 5, "", {{"notes", at("Extend to March", 5, 2)}, {"due", at("Jun / Sep 16", 5, 9, true)}});
    sub_b.group = "B";
    line.subrecords = {sub_a, sub_b};
    records.push_back(line);
    records.push_back(record(t, "Reg", 6, "",
                             {{"code", at("C-2", 6, 0)},
                              {"count", at("twelve and a half", 6, 3)},
                              {"start", at("Spring 2017", 6, 8)},
                              {"due", at("SeptDec 16", 6, 9)},
                              {"frequency", at("Weekly", 6, 11)},
                              {"waiver", at("maybe", 6, 13)},
                              {"outturn", at("#DIV/0!", 6, 7)}}));
    Record total = record(t, "Reg", 7, "", {{"name", at("Total", 7, 1)}, {"budget", at("(113)", 7, 5)}}, RecordKind::Total);
    total.group = "Adult Social Care Division";
    records.push_back(total);

    std::string xml = document_xml(doc);
    ParsedXml x(xml);
    INFO(xml);
    CHECK(x.validate(mapping_xsd(m)) == "");
    CHECK(x.str("/register/facts/title") == "Contracts <Register> & \"more\"");
    CHECK(x.str("/register/facts/reported") == "2017-03-31");
    CHECK(x.str("/register/facts/band") == "Gold");
    CHECK(x.str("/register/line[@kind='group']/name") == "Adult Social Care Division");
    const std::string c1 = "/register/line[code='C-1']";
    CHECK(x.str(c1 + "/@group") == "Adult Social Care Division");
    CHECK(x.str(c1 + "/name") == "Domiciliary care\uFFFD =SUM(A1)");  // a control character cannot be XML
    CHECK(x.str(c1 + "/budget") == "-113000");
    CHECK(x.str(c1 + "/budget/@credit") == "true");
    CHECK(x.str(c1 + "/share/@status") == "not-applicable");
    CHECK(x.count(c1 + "/outturn/observation") == 3);
    CHECK(x.str(c1 + "/outturn/observation[2]/@denominator") == "500");
    CHECK(x.str(c1 + "/start") == "2011-09-01");
    CHECK(x.str(c1 + "/due/@kind") == "milestones");
    CHECK(x.str(c1 + "/rag") == "Amber");
    CHECK(x.str(c1 + "/rag/@secondary") == "Green");
    CHECK(x.str(c1 + "/frequency") == "Annual");
    CHECK(x.count(c1 + "/leads/item") == 2);
    CHECK(x.str(c1 + "/leads/item[1]") == "HOS S&CP");
    CHECK(x.str(c1 + "/waiver") == "true");
    CHECK(x.count(c1 + "/sub_line") == 2);
    CHECK(x.str(c1 + "/sub_line[1]/@id") == "A");
    CHECK(x.str(c1 + "/sub_line[2]/due/@inherited") == "true");
    const std::string c2 = "/register/line[code='C-2']";
    for (const char* field : {"count", "start", "due", "frequency", "waiver", "outturn"}) {
        INFO(field);
        CHECK(x.str(c2 + "/" + field + "/@parsed") == "false");
    }
    CHECK(x.str("/register/line[@kind='total']/budget") == "-113000");
}

TEST_CASE("the generated XSD rejects what the writer never produces") {
    Mapping m = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    const std::string xsd = mapping_xsd(m);
    const std::string head = "<?xml version=\"1.0\"?>\n<portfolio_plan mapping=\"portfolio-plan-half-year\" source=\"a.xlsx\">";
    CHECK(ParsedXml(head + "</portfolio_plan>").validate(xsd) == "");
    // A RAG that is not canonical, a field out of order, a record without src, a wrong mapping.
    CHECK(ParsedXml(head + "<action src=\"S!A1\"><rag src=\"S!C1\">Amberish</rag></action></portfolio_plan>").validate(xsd) != "");
    CHECK(ParsedXml(head + "<action src=\"S!A1\"><rag src=\"S!C1\">Red</rag><id src=\"S!A1\">1</id></action></portfolio_plan>").validate(xsd) != "");
    CHECK(ParsedXml(head + "<action><id src=\"S!A1\">1</id></action></portfolio_plan>").validate(xsd) != "");
    CHECK(ParsedXml("<portfolio_plan mapping=\"other\" source=\"a.xlsx\"/>").validate(xsd) != "");
    CHECK(ParsedXml(head + "<action src=\"S!A1\"><id src=\"nowhere\">1</id></action></portfolio_plan>").validate(xsd) != "");
}

TEST_CASE("every shipped mapping's XSD is a schema libxml2 accepts") {
    for (const Mapping& m : load_all_mappings(kMappingsDir)) {
        INFO(m.name);
        Document doc = empty_document(m, "x.xlsx");
        CHECK(ParsedXml(document_xml(doc)).validate(mapping_xsd(m)) == "");
    }
}

TEST_CASE("a consolidation holds each return's document as its own XML has it, and validates") {
    Mapping m = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    Document care = half_year_with_headers(m);
    Document adults = half_year_document(m);
    adults.sections.clear();
    Consolidation c{"q2", &m, {}};
    c.returns.push_back({&care, nullptr, "sub/care-q2.xlsx", Date::parse_iso("2016-11-30")});
    c.returns.push_back({&adults, nullptr, "adults-q2.xlsx", Date::parse_iso("2016-12-31")});
    const std::string xml = consolidated_xml(c);
    ParsedXml x(xml);
    CHECK(x.validate(mapping_xsd(m)) == "");
    CHECK(x.str("/consolidation/@name") == "q2");
    CHECK(x.str("/consolidation/@mapping") == "portfolio-plan-half-year");
    CHECK(x.count("/consolidation/*") == 2);
    CHECK(x.str("/consolidation/portfolio_plan[1]/@source") == "sub/care-q2.xlsx");
    CHECK(x.str("/consolidation/portfolio_plan[2]/@source") == "adults-q2.xlsx");
    CHECK(x.str("/consolidation/portfolio_plan[2]/@as_of") == "2016-12-31");
    CHECK(x.count("/consolidation/portfolio_plan[1]/outcome") == 1);
    CHECK(x.count("/consolidation/portfolio_plan[2]/outcome") == 0);
    CHECK(x.count("/consolidation/portfolio_plan[1]/headers[@record='action']/header") == 5);
    CHECK(x.count("/consolidation/portfolio_plan[2]/headers") == 0);
    // The first document line for line as its own file (but for the indentation, one level deeper).
    XmlWriteOptions own;
    own.source = "sub/care-q2.xlsx";
    own.as_of = Date::parse_iso("2016-11-30");
    auto lines = [](const std::string& text, std::size_t skip) {
        std::istringstream in(text);
        std::vector<std::string> out;
        for (std::string line; std::getline(in, line);)
            if (skip > 0) --skip;
            else out.emplace_back(trim(line));
        return out;
    };
    std::vector<std::string> alone = lines(document_xml(care, own), 1);         // after the declaration
    std::vector<std::string> wrapped = lines(xml, 2);                            // and <consolidation>
    REQUIRE(wrapped.size() > alone.size());
    CHECK(std::vector<std::string>(wrapped.begin(), wrapped.begin() + std::ptrdiff_t(alone.size())) == alone);
    CHECK(alone.size() > 20);
}

TEST_CASE("a consolidation refuses a return mapped with another mapping") {
    Mapping m = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    Mapping other = load_mapping_by_name_or_file("indicator-table", kMappingsDir);
    Document care = half_year_document(m);
    Document table = empty_document(other, "table.xlsx");
    Consolidation c{"q2", &m, {{&care, nullptr, "care.xlsx", std::nullopt}, {&table, nullptr, "table.xlsx", std::nullopt}}};
    CHECK_THROWS_AS(consolidated_xml(c), XmlWriteError);
}

TEST_CASE("the XSD's consolidation root takes only documents of its mapping, under a name") {
    Mapping m = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    const std::string xsd = mapping_xsd(m);
    const std::string doc = "<portfolio_plan mapping=\"portfolio-plan-half-year\" source=\"a.xlsx\"/>";
    CHECK(ParsedXml("<consolidation name=\"q2\" mapping=\"portfolio-plan-half-year\"/>").validate(xsd) == "");
    CHECK(ParsedXml("<consolidation name=\"q2\" mapping=\"portfolio-plan-half-year\">" + doc + doc + "</consolidation>").validate(xsd) == "");
    CHECK(ParsedXml("<consolidation mapping=\"portfolio-plan-half-year\">" + doc + "</consolidation>").validate(xsd) != "");
    CHECK(ParsedXml("<consolidation name=\"q2\" mapping=\"indicator-table\">" + doc + "</consolidation>").validate(xsd) != "");
    CHECK(ParsedXml("<consolidation name=\"q2\" mapping=\"portfolio-plan-half-year\"><plan/></consolidation>").validate(xsd) != "");
    CHECK(ParsedXml("<consolidation name=\"q2\" mapping=\"portfolio-plan-half-year\"><consolidation name=\"x\" "
                    "mapping=\"portfolio-plan-half-year\"/></consolidation>")
              .validate(xsd) != "");
}

TEST_CASE("a mapping whose root element is <consolidation> is a name conflict") {
    Mapping m = load_mapping_by_name_or_file("indicator-table", kMappingsDir);
    CHECK(xml_name_conflicts(m).empty());
    m.root_element = "consolidation";
    REQUIRE(xml_name_conflicts(m).size() == 1);
    CHECK(xml_name_conflicts(m)[0].message.find("<consolidation>") != std::string::npos);
    CHECK_THROWS_AS(mapping_xsd(m), MappingError);
}

TEST_CASE("the XML file is written atomically beside its final name") {
    Mapping m = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    fs::path dir = fresh_dir("atomic");
    write_document_xml(half_year_document(m), dir / "care-q2.xml");
    CHECK(files_in(dir) == std::vector<std::string>{"care-q2.xml"});
    std::ifstream in(dir / "care-q2.xml");
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str().rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<portfolio_plan", 0) == 0);
    fs::remove_all(dir);
}

TEST_CASE("an AtomicFile that is not committed leaves the old file and no temporary") {
    fs::path dir = fresh_dir("discard");
    {
        std::ofstream(dir / "out.xml") << "old";
    }
    {
        AtomicFile f(dir / "out.xml");
        f.write("half a docu");
        CHECK(files_in(dir).size() == 2);
    }  // destroyed without commit: as if the run was interrupted
    CHECK(files_in(dir) == std::vector<std::string>{"out.xml"});
    std::ifstream in(dir / "out.xml");
    std::string content;
    in >> content;
    CHECK(content == "old");
    fs::remove_all(dir);
}

TEST_CASE("a failing sink stops the XML and the final file is never created") {
    Mapping m = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappingsDir);
    Document doc = half_year_document(m);
    std::size_t written = 0;
    auto failing = [&written](std::string_view bytes) {
        written += bytes.size();
        if (written > 100) throw std::runtime_error("disk full");
    };
    CHECK_THROWS_WITH(write_document_xml(doc, failing), "disk full");
    CHECK_THROWS_AS(write_document_xml(doc, fs::path("/nonexistent-dir/x.xml")), AtomicFileError);
}

TEST_CASE("AtomicFile commits what a library wrote to the temporary name") {
    fs::path dir = fresh_dir("by-name");
    AtomicFile f(dir / "book.xlsx");
    std::ofstream(f.temp_path()) << "written by a library";
    f.commit();
    CHECK(f.committed());
    CHECK(files_in(dir) == std::vector<std::string>{"book.xlsx"});
    CHECK_THROWS_AS(f.commit(), AtomicFileError);
    fs::remove_all(dir);
}

TEST_CASE("inside a DeferredDirectorySync each folder's flush is owed once, and paid when the last scope ends") {
    fs::path a = fresh_dir("deferred-a"), b = fresh_dir("deferred-b");
    REQUIRE(DeferredDirectorySync::pending() == 0);
    {
        DeferredDirectorySync outer;
        {
            DeferredDirectorySync inner;
            for (const char* name : {"1.xml", "2.xml", "3.xml"}) write_file_atomically(a / name, "x");
            write_file_atomically(b / "1.xml", "y");
        }
        CHECK(DeferredDirectorySync::pending() == 2);  // the outer scope still owes them
        CHECK(files_in(a) == std::vector<std::string>{"1.xml", "2.xml", "3.xml"});
    }
    CHECK(DeferredDirectorySync::pending() == 0);
    write_file_atomically(a / "4.xml", "z");  // no scope: flushed at once, nothing owed
    CHECK(DeferredDirectorySync::pending() == 0);
    fs::remove_all(a);
    fs::remove_all(b);
}

TEST_CASE("inside a DeferredCommits scope a commit is flushed and renamed by the queue; outside it at once") {
    fs::path dir = fresh_dir("deferred-commits");
    DeferredCommits commits;
    {
        DeferredCommits::Scope scope(commits, 7);
        CHECK(DeferredCommits::current() == &commits);
        AtomicFile f(dir / "a.xml");
        f.write("deferred");
        f.commit();
        CHECK(f.committed());  // the queue owns it: destroying f must not remove it
        CHECK_THROWS_AS(f.commit(), AtomicFileError);
    }
    CHECK(DeferredCommits::current() == nullptr);
    write_file_atomically(dir / "b.xml", "at once");  // no scope on this thread now
    CHECK(fs::exists(dir / "b.xml"));
    std::vector<DeferredCommits::Failure> failures = commits.finish();
    CHECK(failures.empty());
    CHECK(files_in(dir) == std::vector<std::string>{"a.xml", "b.xml"});
    std::ifstream in(dir / "a.xml");
    std::string content;
    in >> content;
    CHECK(content == "deferred");
    fs::remove_all(dir);
}

TEST_CASE("a deferred commit that fails is reported under its owner and leaves no temporary") {
    fs::path dir = fresh_dir("deferred-fails");
    DeferredCommits commits;
    {
        DeferredCommits::Scope scope(commits, 3);
        AtomicFile ok(dir / "ok.xml");
        ok.write("fine");
        ok.commit();
        // A folder stands where the file is to go: the rename cannot replace it.
        fs::create_directories(dir / "taken.xml" / "inside");
        AtomicFile blocked(dir / "taken.xml");
        blocked.write("nowhere to go");
        blocked.commit();
    }
    std::vector<DeferredCommits::Failure> failures = commits.finish();
    REQUIRE(failures.size() == 1);
    CHECK(failures[0].owner == 3);
    CHECK(failures[0].file == dir / "taken.xml");
    CHECK(std::string(failures[0].error.what()).find("cannot rename the finished file to") != std::string::npos);
    CHECK(failures[0].error.error_number() != 0);
    CHECK(files_in(dir) == std::vector<std::string>{"ok.xml", "taken.xml"});  // the folder, no temporary
    CHECK(fs::is_directory(dir / "taken.xml"));
    fs::remove_all(dir);
}

TEST_CASE("xml_safe keeps valid text and replaces what XML 1.0 cannot carry") {
    CHECK(xml_safe("Priority Outcome 1 \u2013 \u00a3 \u2022") == "Priority Outcome 1 \u2013 \u00a3 \u2022");
    CHECK(xml_safe(std::string("a\x01" "b\xff" "c", 5)) == "a\uFFFDb\uFFFDc");
    CHECK(xml_safe("tab\tline\nend") == "tab\tline\nend");
}
