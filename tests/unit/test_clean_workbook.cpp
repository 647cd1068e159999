// The cleaned workbook, written from sample returns and read back: by planconv's own xlsx
// reader for the cells, and part by part (unzipped) for what the reader does not model —
// hyperlinks, comments, validations, conditional formats, properties. Findings are synthetic
// here (the rules have their own tests), placed on cells whose meaning the samples' README gives.
#include "write/CleanCell.hpp"
#include "write/CleanWorkbookWriter.hpp"
#include "read/WorkbookReader.hpp"
#include "write/XlsxBook.hpp"
#include "read/ZipArchive.hpp"
#include "mapping/Extractor.hpp"
#include "mapping/MappingLoader.hpp"

#include "sample_test_support.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

using namespace planconv;
using namespace planconv::test;
namespace fs = std::filesystem;

namespace {

// The cleaned workbook read back.
struct Cleaned {
    Workbook wb;
    fs::path file;

    explicit Cleaned(fs::path f) : wb(read_workbook(f)), file(std::move(f)) {}

    const Sheet& sheet(const std::string& name) const {
        const Sheet* s = wb.sheet(name);
        REQUIRE(s != nullptr);
        return *s;
    }
    std::vector<std::string> sheet_names() const {
        std::vector<std::string> out;
        for (const Sheet& s : wb.sheets) out.push_back(s.name);
        return out;
    }
    std::string text(const std::string& sheet_name, const std::string& a1) const {
        const Sheet& s = sheet(sheet_name);
        auto at = CellRef::parse(a1);
        REQUIRE(at);
        const Cell* c = s.at(at->row, at->col);
        return c ? display_value(wb, *c) : std::string();
    }
    const Cell* cell(const std::string& sheet_name, std::uint32_t row, std::uint32_t col) const {
        return sheet(sheet_name).at(row, col);
    }
    // The header row's column of a heading (0-based), or -1.
    int column(const std::string& sheet_name, const std::string& heading) const {
        const Sheet& s = sheet(sheet_name);
        for (const Cell& c : s.row(0))
            if (c.type == CellType::String && wb.text(c) == heading) return int(c.col);
        return -1;
    }
    // Every zip part whose name contains `fragment`, concatenated.
    std::string parts(const std::string& fragment) const {
        ZipArchive zip(file, ReadLimits{});
        std::string out;
        for (const std::string& n : zip.names())
            if (n.find(fragment) != std::string::npos) out += zip.read_all(n);
        return out;
    }
    // The worksheet part of a sheet, by its position in the workbook (sheet1.xml …).
    std::string sheet_part(const std::string& sheet_name) const {
        for (std::size_t i = 0; i < wb.sheets.size(); ++i)
            if (wb.sheets[i].name == sheet_name) {
                ZipArchive zip(file, ReadLimits{});
                return zip.read_all("xl/worksheets/sheet" + std::to_string(i + 1) + ".xml");
            }
        FAIL("no sheet " << sheet_name);
        return {};
    }
};

Finding finding(std::string rule, Severity s, std::string sheet, std::string cell, std::string message) {
    Finding f;
    f.rule = std::move(rule);
    f.severity = s;
    f.sheet = std::move(sheet);
    f.cell = std::move(cell);
    f.message = std::move(message);
    return f;
}

const std::string kPlanSheet = "Portfolio Plan 2016-17";

}  // namespace

TEST_CASE("a cleaned half-year plan has its Summary, a sheet per table, its outcomes, Findings and About") {
    Sample s("portfolio-plan-half-year.xlsx", "portfolio-plan-half-year");
    fs::path out = scratch("half-year-sheets.xlsx");
    write_clean_workbook(s.doc, {}, out);
    Cleaned c(out);
    CHECK(c.sheet_names() == std::vector<std::string>{"Summary", "Actions", "Indicators", "Outcomes", "Findings", "About"});
    CHECK(c.text("Actions", "A1") == "Outcome");
    CHECK(c.column("Actions", "No") >= 0);
    CHECK(c.column("Actions", "RAG status") >= 0);
    CHECK(c.column("Actions", "Half Year Update \u2013 end of November 2016") >= 0);  // the title with its fact
    CHECK(c.column("Actions", "Between December 2016 and June 2017 we are focusing on...") >= 0);  // as the return wrote it
}

TEST_CASE("every action is one row with its outcome filled in; continuation rows are merged into it") {
    Sample s("portfolio-plan-half-year.xlsx", "portfolio-plan-half-year");
    fs::path out = scratch("half-year-rows.xlsx");
    write_clean_workbook(s.doc, {}, out);
    Cleaned c(out);
    const Sheet& actions = c.sheet("Actions");
    REQUIRE(s.doc.tables[0].records.size() == 53);
    CHECK(actions.row_count() == 54);
    for (std::uint32_t r = 1; r < actions.row_count(); ++r) {
        const Cell* outcome = actions.at(r, 0);
        REQUIRE(outcome != nullptr);
        CHECK(c.wb.text(*outcome) == s.doc.tables[0].records[r - 1].section);
    }
    // The three continuation rows (76, 130, 159) are in the update of the action above them.
    int update = c.column("Actions", "Half Year Update \u2013 end of November 2016");
    REQUIRE(update >= 0);
    std::size_t multi = 0;
    for (std::size_t k = 0; k < s.doc.tables[0].records.size(); ++k)
        if (s.doc.tables[0].records[k].continuations > 0) {
            ++multi;
            const Cell* cell = actions.at(std::uint32_t(k + 1), std::uint32_t(update));
            REQUIRE(cell != nullptr);
            CHECK(std::string(c.wb.text(*cell)).find('\n') != std::string::npos);
        }
    CHECK(multi == 3);
}

TEST_CASE("RAG is canonical with a drop-down and colours; the qualifier is kept as written") {
    Sample s("portfolio-plan-half-year.xlsx", "portfolio-plan-half-year");
    fs::path out = scratch("half-year-rag.xlsx");
    write_clean_workbook(s.doc, {}, out);
    Cleaned c(out);
    int rag = c.column("Actions", "RAG status");
    int written = c.column("Actions", "RAG status (as written)");
    REQUIRE(rag >= 0);
    REQUIRE(written == rag + 1);
    bool qualifier_seen = false;
    const Sheet& actions = c.sheet("Actions");
    for (std::uint32_t r = 1; r < actions.row_count(); ++r) {
        const Cell* v = actions.at(r, std::uint32_t(rag));
        if (!v) continue;
        std::string value(c.wb.text(*v));
        CHECK((value == "Red" || value == "Amber" || value == "Green" || value == "Blue" || value == "NA"));
        if (const Cell* w = actions.at(r, std::uint32_t(written)); w && c.wb.text(*w) == "Amber (Central Government Delay)") {
            qualifier_seen = true;
            CHECK(value == "Amber");
        }
    }
    CHECK(qualifier_seen);
    std::string xml = c.sheet_part("Actions");
    CHECK(xml.find("<dataValidation type=\"list\"") != std::string::npos);
    CHECK(xml.find("\"Red,Amber,Green,Blue,NA\"") != std::string::npos);
    CHECK(xml.find("<conditionalFormatting") != std::string::npos);
    CHECK(xml.find("<autoFilter ref=\"A1:") != std::string::npos);
    CHECK(xml.find("state=\"frozen\"") != std::string::npos);
}

TEST_CASE("each finding links to the cleaned cell with its value, highlighted and commented") {
    Sample s("portfolio-plan-half-year.xlsx", "portfolio-plan-half-year");
    std::vector<Finding> findings = {
        finding("TOTAL-COUNT", Severity::Error, kPlanSheet, "A5", "summary says 6 of 8 on track; the table has 5 Green"),
        finding("TOTAL-RATIO", Severity::Error, kPlanSheet, "D30", "50.5% is not 92/181"),
        finding("FIELD-ENUM", Severity::Warning, kPlanSheet, "C22", "a qualified RAG status"),
        finding("VALUE-UNIT", Severity::Warning, kPlanSheet, "E7", "a header finding"),
        finding("ID-DUPLICATE", Severity::Info, "", "", "about the whole file"),
    };
    findings[1].expected = "50.8%";
    findings[1].actual = "50.5%";
    fs::path out = scratch("half-year-findings.xlsx");
    write_clean_workbook(s.doc, findings, out);
    Cleaned c(out);

    CHECK(c.text("Findings", "C2") == "TOTAL-COUNT");
    CHECK(c.text("Findings", "E3") == "D30");
    CHECK(c.text("Findings", "H3") == "50.8%");
    CHECK(c.text("Findings", "I3") == "50.5%");
    std::string links = c.sheet_part("Findings");
    // A5 is the outcome's summary: its claim cell on the Outcomes sheet.
    CHECK(links.find("location=\"'Outcomes'!B2\"") != std::string::npos);
    // D30 is outcome 1's fifth indicator: row 6 of Indicators, in its Outturn column.
    int outturn = c.column("Indicators", "Outturn");
    REQUIRE(outturn >= 0);
    std::string d30 = "'Indicators'!" + CellRef{5, std::uint32_t(outturn)}.a1();
    CHECK(links.find("location=\"" + d30 + "\"") != std::string::npos);
    CHECK(c.text("Indicators", CellRef{5, std::uint32_t(outturn)}.a1()) == "50.5% (92/181) October");
    // C22 is action 1.3's RAG cell.
    int rag = c.column("Actions", "RAG status");
    const Sheet& actions = c.sheet("Actions");
    std::uint32_t row_13 = 0;
    for (std::uint32_t r = 1; r < actions.row_count(); ++r)
        if (const Cell* w = actions.at(r, std::uint32_t(rag + 1)); w && c.wb.text(*w) == "Amber (Central Government Delay)") row_13 = r;
    REQUIRE(row_13 > 0);
    CHECK(links.find("location=\"'Actions'!" + CellRef{row_13, std::uint32_t(rag)}.a1() + "\"") != std::string::npos);
    // E7 is the update column's header.
    int update = c.column("Actions", "Half Year Update \u2013 end of November 2016");
    CHECK(links.find("location=\"'Actions'!" + CellRef{0, std::uint32_t(update)}.a1() + "\"") != std::string::npos);
    // Four links: the finding about the whole file has none.
    std::size_t count = 0;
    for (std::size_t p = links.find("<hyperlink "); p != std::string::npos; p = links.find("<hyperlink ", p + 1)) ++count;
    CHECK(count == 4);

    std::string comments = c.parts("comments");
    CHECK(comments.find("50.5% is not 92/181 (expected 50.8%, found 50.5%)") != std::string::npos);
    CHECK(comments.find("summary says 6 of 8 on track") != std::string::npos);
    CHECK(comments.find("about the whole file") == std::string::npos);
}

TEST_CASE("a workbook without findings says so on its Findings sheet") {
    Sample s("indicator-table.xlsx", "indicator-table");
    fs::path out = scratch("no-findings.xlsx");
    write_clean_workbook(s.doc, {}, out);
    Cleaned c(out);
    CHECK(c.text("Findings", "A1") == "#");
    CHECK(c.text("Findings", "G2").find("No findings") == 0);
}

TEST_CASE("text that looks like a formula is written as text, never as a formula") {
    Sample s("portfolio-plan-half-year.xlsx", "portfolio-plan-half-year");
    std::size_t action = std::size_t(s.mapping.tables[0].column("action") - s.mapping.tables[0].columns.data());
    s.doc.tables[0].records[0].values[action].set_raw("=HYPERLINK(\"http://x\",\"y\")");
    s.doc.tables[0].records[1].values[action].set_raw("+44 20 8464 3333");
    s.doc.tables[0].records[2].values[action].set_raw("@SUM(A1:A9)\x01");
    fs::path out = scratch("formula.xlsx");
    write_clean_workbook(s.doc, {}, out);
    Cleaned c(out);
    int col = c.column("Actions", "Actions");
    REQUIRE(col >= 0);
    const Cell* first = c.cell("Actions", 1, std::uint32_t(col));
    REQUIRE(first != nullptr);
    CHECK(first->type == CellType::String);
    CHECK(c.wb.text(*first) == "=HYPERLINK(\"http://x\",\"y\")");
    CHECK(c.wb.text(*c.cell("Actions", 2, std::uint32_t(col))) == "+44 20 8464 3333");
    CHECK(c.wb.text(*c.cell("Actions", 3, std::uint32_t(col))) == "@SUM(A1:A9)");  // the control character gone
    for (const Sheet& sheet : c.wb.sheets) CHECK(c.sheet_part(sheet.name).find("<f>") == std::string::npos);
}

TEST_CASE("dates are Excel dates and money is numbers in a contracts register") {
    Sample s("contracts-register-mistakes.xlsx", "contracts-register");
    fs::path out = scratch("contracts.xlsx");
    write_clean_workbook(s.doc, {}, out);
    Cleaned c(out);
    int start = c.column("Contracts", "Start Date");
    int start_written = c.column("Contracts", "Start Date (as written)");
    int total = c.column("Contracts", "Total Contract Value");
    REQUIRE(start >= 0);
    REQUIRE(start_written == start + 1);
    REQUIRE(total >= 0);
    const Cell* date = c.cell("Contracts", 1, std::uint32_t(start));
    REQUIRE(date != nullptr);
    CHECK((date->type == CellType::Date || date->type == CellType::DateTime));
    CHECK(c.wb.format(*date) == std::string_view(kDateFormat));
    CHECK(c.text("Contracts", CellRef{1, std::uint32_t(start_written)}.a1()) == "01-Sep-11");
    const Cell* money = c.cell("Contracts", 1, std::uint32_t(total));
    REQUIRE(money != nullptr);
    CHECK(money->type == CellType::Number);
    CHECK(money->number == 476276);
    CHECK(std::string(c.wb.format(*money)).find("#,##0") != std::string::npos);
}

TEST_CASE("sub-actions get a sheet of their own with the section and the parent action's number") {
    Sample s("portfolio-plan-quarterly.xlsx", "portfolio-plan-quarterly");
    fs::path out = scratch("quarterly.xlsx");
    write_clean_workbook(s.doc, {}, out);
    Cleaned c(out);
    CHECK(c.sheet_names() == std::vector<std::string>{"Summary", "Actions", "Sub actions", "Priorities", "Findings", "About"});
    CHECK(c.text("Sub actions", "A1") == "Priority");
    int parent = c.column("Sub actions", "No");
    int own = c.column("Sub actions", "Sub action");
    int due = c.column("Sub actions", "TARGET DATE (due date)");
    REQUIRE(parent >= 0);
    REQUIRE(own >= 0);
    REQUIRE(due >= 0);
    CHECK(c.text("Sub actions", CellRef{1, std::uint32_t(parent)}.a1()) == "2");
    CHECK(c.text("Sub actions", CellRef{1, std::uint32_t(own)}.a1()) == "A");
    const Cell* d = c.cell("Sub actions", 1, std::uint32_t(due));
    REQUIRE(d != nullptr);
    CHECK(d->type == CellType::Date);
    std::size_t subs = 0;
    for (const Record& r : s.doc.tables[0].records) subs += r.subrecords.size();
    CHECK(c.sheet("Sub actions").row_count() == subs + 1);
}

TEST_CASE("budget lines keep their groups, totals and the division they sit in") {
    Sample s("budget-monitoring.xlsx", "budget-monitoring");
    fs::path out = scratch("budget.xlsx");
    write_clean_workbook(s.doc, {}, out);
    Cleaned c(out);
    CHECK(c.text("Lines", "A1") == "Group");
    CHECK(c.text("Lines", "B1") == "Row type");
    std::size_t totals = 0;
    const Sheet& lines = c.sheet("Lines");
    for (std::uint32_t r = 1; r < lines.row_count(); ++r)
        if (const Cell* k = lines.at(r, 1); k && c.wb.text(*k) == "Total") ++totals;
    CHECK(totals > 0);
    CHECK(lines.row_count() == s.doc.tables[0].records.size() + 1);
}

TEST_CASE("the About sheet and the document properties say where the workbook came from") {
    Sample s("portfolio-plan-quarterly.xlsx", "portfolio-plan-quarterly");
    CleanWorkbookOptions o;
    o.source_name = "cef-q3.xlsx";
    o.generated = "2026-11-22T12:00:00Z";
    o.as_of = Date::from_ymd(2020, 12, 31);
    fs::path out = scratch("about.xlsx");
    write_clean_workbook(s.doc, {}, out, o);
    Cleaned c(out);
    CHECK(c.text("About", "A2") == "Title");
    CHECK(c.text("About", "B2") == "Children, Education and Families Portfolio Plan for 2020/21 Quarter 3 Update");
    std::string core = c.parts("docProps/core.xml");
    CHECK(core.find("<dc:title>Children, Education and Families Portfolio Plan for 2020/21 Quarter 3 Update</dc:title>") !=
          std::string::npos);
    std::string custom = c.parts("docProps/custom.xml");
    CHECK(custom.find("cef-q3.xlsx") != std::string::npos);
    CHECK(custom.find("2026-11-22T12:00:00Z") != std::string::npos);
    CHECK(custom.find("portfolio-plan-quarterly") != std::string::npos);
    CHECK(custom.find(PLANCONV_VERSION) != std::string::npos);
}

TEST_CASE("the workbook appears whole under its name and leaves no temporary file") {
    Sample s("indicator-table.xlsx", "indicator-table");
    fs::path dir = scratch("atomic");
    fs::remove_all(dir);
    fs::create_directories(dir);
    write_clean_workbook(s.doc, {}, dir / "out.xlsx");
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    CHECK(names == std::vector<std::string>{"out.xlsx"});
    CHECK_THROWS(write_clean_workbook(s.doc, {}, dir / "missing" / "out.xlsx"));
    CHECK_FALSE(fs::exists(dir / "missing"));
}

TEST_CASE("constant-memory and in-memory writing give the same cells") {
    Sample s("portfolio-plan-half-year.xlsx", "portfolio-plan-half-year");
    CleanWorkbookOptions streamed, held;
    streamed.generated = held.generated = "2026-01-01T00:00:00Z";
    held.constant_memory = false;
    fs::path a = scratch("streamed.xlsx"), b = scratch("held.xlsx");
    write_clean_workbook(s.doc, {}, a, streamed);
    write_clean_workbook(s.doc, {}, b, held);
    Cleaned ca(a), cb(b);
    REQUIRE(ca.wb.sheets.size() == cb.wb.sheets.size());
    for (std::size_t i = 0; i < ca.wb.sheets.size(); ++i) {
        const Sheet& x = ca.wb.sheets[i];
        const Sheet& y = cb.wb.sheets[i];
        REQUIRE(x.row_count() == y.row_count());
        for (std::uint32_t r = 0; r < x.row_count(); ++r)
            for (const Cell& cell : x.row(r)) {
                const Cell* other = y.at(r, cell.col);
                REQUIRE(other != nullptr);
                CHECK(display_value(ca.wb, cell) == display_value(cb.wb, *other));
            }
    }
}

TEST_CASE("rows prepared on a second thread give the same workbook, part for part") {
    // Past the rows that take a second thread: the half-year plan's actions many times over,
    // with findings on some of them (highlights and comments are the writing thread's).
    Sample s("portfolio-plan-half-year.xlsx", "portfolio-plan-half-year");
    TableRecords* actions = nullptr;
    for (TableRecords& t : s.doc.tables)
        if (!actions || t.records.size() > actions->records.size()) actions = &t;
    REQUIRE(actions != nullptr);
    const std::vector<Record> one = actions->records;
    REQUIRE(!one.empty());
    while (actions->records.size() < 9000) actions->records.insert(actions->records.end(), one.begin(), one.end());
    std::vector<Finding> findings = {
        finding("FIELD-ENUM", Severity::Warning, kPlanSheet, "C22", "a qualified RAG status"),
        finding("VALUE-UNIT", Severity::Warning, kPlanSheet, "E7", "a header finding"),
        finding("TOTAL-RATIO", Severity::Error, kPlanSheet, "D30", "50.5% is not 92/181"),
    };
    CleanWorkbookOptions alone, ahead;
    alone.generated = ahead.generated = "2026-01-01T00:00:00Z";
    ahead.spare_core = true;
    fs::path a = scratch("rows-alone.xlsx"), b = scratch("rows-ahead.xlsx");
    write_clean_workbook(s.doc, findings, a, alone);
    write_clean_workbook(s.doc, findings, b, ahead);
    ZipArchive za(a, ReadLimits{}), zb(b, ReadLimits{});
    REQUIRE(za.names() == zb.names());
    for (const std::string& n : za.names()) {
        INFO(n);
        CHECK(za.read_all(n) == zb.read_all(n));
    }
    Cleaned c(b);
    CHECK(c.sheet("Actions").row_count() == actions->records.size() + 1);
    CHECK(c.parts("comments").find("a qualified RAG status") != std::string::npos);
}

namespace {

// Every internal hyperlink's location on a worksheet part, in order ("'Indicators'!H41").
std::vector<std::string> link_locations(const std::string& sheet_xml) {
    std::vector<std::string> out;
    const std::string key = "location=\"";
    for (std::size_t p = sheet_xml.find(key); p != std::string::npos; p = sheet_xml.find(key, p + 1)) {
        std::size_t start = p + key.size();
        out.push_back(sheet_xml.substr(start, sheet_xml.find('"', start) - start));
    }
    return out;
}

// "'Indicators'!H41" -> the cell.
CellRef link_cell(const std::string& location) {
    auto at = CellRef::parse(location.substr(location.find('!') + 1));
    REQUIRE(at);
    return *at;
}

}  // namespace

TEST_CASE("a finding about a sub-action links to its row on the sub-actions sheet, not its parent's") {
    // Seed 004: 3.2.B and 3.2.C are overdue; both are written in one cell of action 3.2 (D82).
    Sample s("portfolio-plan-quarterly.xlsx", "portfolio-plan-quarterly");
    const std::string sheet = "CEF Portfolio Plan Q3";
    std::vector<Finding> findings = {
        finding("TIME-OVERDUE", Severity::Warning, sheet, "D82", "3.2.B ended in September 2020"),
        finding("TIME-OVERDUE", Severity::Warning, sheet, "D82", "3.2.C ended in June 2020"),
        finding("ID-SEQUENCE", Severity::Warning, sheet, "A83", "3.3 is missing"),
    };
    findings[0].record = "3.2.B";
    findings[1].record = "3.2.C";
    findings[2].record = "3.4";
    fs::path out = scratch("quarterly-sub-findings.xlsx");
    write_clean_workbook(s.doc, findings, out);
    Cleaned c(out);
    int priority = c.column("Sub actions", "Priority");
    int parent = c.column("Sub actions", "No");
    int own = c.column("Sub actions", "Sub action");
    REQUIRE(priority >= 0);
    REQUIRE(parent >= 0);
    REQUIRE(own >= 0);
    auto sub_row = [&](const std::string& section, const std::string& id, const std::string& marker) {
        const Sheet& subs = c.sheet("Sub actions");
        auto at = [&](std::uint32_t r, int col) { return c.text("Sub actions", CellRef{r, std::uint32_t(col)}.a1()); };
        for (std::uint32_t r = 1; r < subs.row_count(); ++r)
            if (at(r, priority) == section && at(r, parent) == id && at(r, own) == marker) return r;
        return 0u;
    };
    std::uint32_t b = sub_row("3", "2", "B"), cc = sub_row("3", "2", "C");
    REQUIRE(b > 0);
    REQUIRE(cc > 0);
    std::vector<std::string> links = link_locations(c.sheet_part("Findings"));
    REQUIRE(links.size() == 3);
    CHECK(links[0].rfind("'Sub actions'!", 0) == 0);
    CHECK(link_cell(links[0]).row == b);
    CHECK(links[1].rfind("'Sub actions'!", 0) == 0);
    CHECK(link_cell(links[1]).row == cc);
    CHECK(links[2].rfind("'Actions'!", 0) == 0);  // an action's own finding stays on Actions
}

TEST_CASE("a consolidated workbook has each return's rows in turn under a Source column, findings linking into them") {
    Sample care("indicator-table.xlsx", "indicator-table");
    Sample adults("indicator-table-mistakes.xlsx", "indicator-table");
    const std::string sheet = "Appendix B";
    std::vector<Finding> care_findings = {finding("VALUE-PLACEHOLDER", Severity::Warning, sheet, "E41", "in the first return")};
    std::vector<Finding> adults_findings = {finding("TOTAL-RATIO", Severity::Error, sheet, "E41", "in the second return"),
                                            finding("FIELD-TYPE", Severity::Info, sheet, "A1", "on the second return's title")};
    Consolidation c{"q4", &care.mapping, {}};
    c.returns.push_back({&care.doc, &care_findings, "care/indicators.xlsx", std::nullopt});
    c.returns.push_back({&adults.doc, &adults_findings, "adults/indicators.xlsx", Date::from_ymd(2013, 3, 31)});
    fs::path out = scratch("consolidated.xlsx");
    write_consolidated_workbook(c, out);
    Cleaned cons(out);
    fs::path own = scratch("consolidated-own.xlsx");
    write_clean_workbook(adults.doc, adults_findings, own);
    Cleaned alone(own);

    CHECK(cons.sheet_names() == alone.sheet_names());
    // Records: the first return's, then the second's, each row as its own workbook has it.
    const std::uint32_t per_return = alone.sheet("Indicators").row_count() - 1;
    REQUIRE(per_return == 39);
    CHECK(cons.sheet("Indicators").row_count() == 1 + 2 * per_return);
    CHECK(cons.text("Indicators", "A1") == "Source");
    CHECK(cons.text("Indicators", "A2") == "care/indicators.xlsx");
    CHECK(cons.text("Indicators", "A40") == "care/indicators.xlsx");
    CHECK(cons.text("Indicators", "A41") == "adults/indicators.xlsx");
    CHECK(cons.text("Indicators", "A79") == "adults/indicators.xlsx");
    for (const Cell& heading : alone.sheet("Indicators").row(0)) {
        const std::string name(alone.wb.text(heading));
        int col = cons.column("Indicators", name);
        REQUIRE(col >= 1);
        for (std::uint32_t r : {1u, 20u, per_return}) {
            INFO(name << " row " << r);
            CHECK(cons.text("Indicators", CellRef{r + per_return, std::uint32_t(col)}.a1()) ==
                  alone.text("Indicators", CellRef{r, heading.col}.a1()));
        }
    }
    CHECK(cons.sheet("Outcomes").row_count() == 1 + care.doc.sections.size() + adults.doc.sections.size());
    CHECK(cons.text("Outcomes", "A2") == "care/indicators.xlsx");

    // Findings: both returns', each with its Source; E41 of each return lands in that return's row.
    CHECK(cons.text("Findings", "A1") == "Source");
    CHECK(cons.text("Findings", "B1") == "#");
    CHECK(cons.text("Findings", "A2") == "care/indicators.xlsx");
    CHECK(cons.text("Findings", "D2") == "VALUE-PLACEHOLDER");
    CHECK(cons.text("Findings", "A3") == "adults/indicators.xlsx");
    CHECK(cons.text("Findings", "D3") == "TOTAL-RATIO");
    std::vector<std::string> links = link_locations(cons.sheet_part("Findings"));
    std::vector<std::string> own_links = link_locations(alone.sheet_part("Findings"));
    REQUIRE(links.size() == 3);
    REQUIRE(own_links.size() == 2);
    CellRef theirs = link_cell(own_links[0]);
    const std::string outturn_heading = alone.text("Indicators", CellRef{0, theirs.col}.a1());
    const auto outturn = std::uint32_t(cons.column("Indicators", outturn_heading));
    CHECK(links[0] == "'Indicators'!" + CellRef{theirs.row, outturn}.a1());
    CHECK(links[1] == "'Indicators'!" + CellRef{theirs.row + per_return, outturn}.a1());
    CHECK(cons.parts("comments").find("in the second return") != std::string::npos);
    // The title finding lands on the second return's title, on the About sheet.
    REQUIRE(links[2].rfind("'About'!B", 0) == 0);
    std::uint32_t title_row = link_cell(links[2]).row;
    CHECK(cons.text("About", CellRef{title_row, 0}.a1()) == "Title");
    std::string nearest_source;
    for (std::uint32_t r = 1; r < title_row; ++r)
        if (cons.text("About", CellRef{r, 0}.a1()) == "Source file") nearest_source = cons.text("About", CellRef{r, 1}.a1());
    CHECK(nearest_source == "adults/indicators.xlsx");

    // About: the consolidation, then each return merged.
    CHECK(cons.text("About", "A2") == "Consolidation");
    CHECK(cons.text("About", "B2") == "q4");
    std::vector<std::string> sources;
    for (std::uint32_t r = 1; r < cons.sheet("About").row_count(); ++r) {
        if (cons.text("About", CellRef{r, 0}.a1()) == "Returns merged") CHECK(cons.text("About", CellRef{r, 1}.a1()) == "2");
        if (cons.text("About", CellRef{r, 0}.a1()) == "Source file") sources.push_back(cons.text("About", CellRef{r, 1}.a1()));
    }
    CHECK(sources == std::vector<std::string>{"care/indicators.xlsx", "adults/indicators.xlsx"});
    CHECK(cons.parts("docProps/core.xml").find("<dc:title>q4</dc:title>") != std::string::npos);
}

TEST_CASE("a consolidated workbook without findings says so under the Source column") {
    Sample s("budget-monitoring.xlsx", "budget-monitoring");
    Consolidation c{"budgets", &s.mapping, {{&s.doc, nullptr, "budget.xlsx", std::nullopt}}};
    fs::path out = scratch("consolidated-clean.xlsx");
    write_consolidated_workbook(c, out);
    Cleaned cons(out);
    CHECK(cons.text("Findings", "A1") == "Source");
    CHECK(cons.text("Findings", "H2") == "No findings: every check of the mapping passed.");
}

TEST_CASE("a consolidation with no returns, or a return of another mapping, is refused") {
    Sample table("indicator-table.xlsx", "indicator-table");
    Sample budget("budget-monitoring.xlsx", "budget-monitoring");
    fs::path out = scratch("refused.xlsx");
    CHECK_THROWS_AS(write_consolidated_workbook(Consolidation{"none", &table.mapping, {}}, out), XlsxWriteError);
    Consolidation mixed{"mixed", &table.mapping, {{&table.doc, nullptr, "a.xlsx", std::nullopt}, {&budget.doc, nullptr, "b.xlsx", std::nullopt}}};
    CHECK_THROWS_AS(write_consolidated_workbook(mixed, out), XlsxWriteError);
    CHECK_FALSE(fs::exists(out));
}
