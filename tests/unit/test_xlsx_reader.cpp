// The xlsx reader on small workbooks made by xlsxwriter and openpyxl
// (tests/fixtures/make_xlsx_fixtures.py), one feature per fixture.
#include "read/WorkbookReader.hpp"
#include "reader_test_support.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace planconv;

namespace {

Workbook fixture(const std::string& name) {
    return read_xlsx(std::string(PLANCONV_TESTS_DIR) + "/fixtures/xlsx/" + name, ReadLimits{});
}

const Cell& cell(const Workbook& wb, const Sheet& sheet, std::string_view a1) {
    auto ref = CellRef::parse(a1);
    REQUIRE(ref);
    const Cell* c = sheet.at(ref->row, ref->col);
    INFO("cell " << a1 << " of sheet " << sheet.name << " in " << wb.source);
    REQUIRE(c);
    return *c;
}

std::string shown(const Workbook& wb, std::string_view a1, std::size_t sheet = 0) {
    return display_value(wb, cell(wb, wb.sheets.at(sheet), a1));
}

CellType type_of(const Workbook& wb, std::string_view a1, std::size_t sheet = 0) {
    return cell(wb, wb.sheets.at(sheet), a1).type;
}

}  // namespace

TEST_CASE("inline strings keep their spaces and decode _x000D_ but not an escaped literal", "[reader]") {
    Workbook wb = fixture("inline_strings.xlsx");
    REQUIRE(wb.sheets.size() == 1);
    CHECK(wb.sheets[0].name == "Inline");
    CHECK(shown(wb, "B1") == "We aimed to");
    CHECK(shown(wb, "B2") == "Earlier diagnosis\r\nand intervention");
    CHECK(shown(wb, "B3") == "  kept spaces  ");
    CHECK(shown(wb, "B4") == "literal _x000D_ stays");
    CHECK(type_of(wb, "A5") == CellType::Number);
    CHECK(shown(wb, "A5") == "36000");
}

TEST_CASE("rich text runs are joined and phonetic runs left out", "[reader]") {
    Workbook wb = fixture("rich_text.xlsx");
    CHECK(shown(wb, "A1") == "RAG: Amber (Central Government Delay)");
    CHECK(shown(wb, "A2") == "Red overdue");
    CHECK(shown(wb, "A3") == "plain");
}

TEST_CASE("shared strings are stored once and referenced by index", "[reader]") {
    Workbook wb = fixture("rich_text.xlsx");
    std::size_t pooled = wb.strings().size();
    const Sheet& s = wb.sheets[0];
    CHECK(wb.strings()[cell(wb, s, "A3").text] == "plain");
    CHECK(pooled == 1 + 3);  // "" plus the three shared strings, nothing copied per cell
}

TEST_CASE("number formats decide dates, times and durations", "[reader]") {
    Workbook wb = fixture("dates_1900.xlsx");
    CHECK(type_of(wb, "B1") == CellType::Date);
    CHECK(shown(wb, "B1") == "2016-11-30");
    CHECK(wb.format(cell(wb, wb.sheets[0], "B1")) == "d/m/yyyy");
    CHECK(type_of(wb, "B2") == CellType::DateTime);
    CHECK(shown(wb, "B2") == "2016-11-30T13:05:00");
    CHECK(type_of(wb, "B3") == CellType::Time);
    CHECK(shown(wb, "B3") == "13:05:00");
    // [h]:mm is elapsed time: a number of days, like openpyxl's timedelta
    CHECK(type_of(wb, "B4") == CellType::Number);
    CHECK(cell(wb, wb.sheets[0], "B4").number == Approx(36.5 / 24));
    CHECK(type_of(wb, "B5") == CellType::Date);    // "Due "d mmm yyyy
    CHECK(type_of(wb, "B6") == CellType::Number);  // [Red]0.00
    CHECK(type_of(wb, "B7") == CellType::Number);  // 0.00\h
    CHECK(type_of(wb, "B8") == CellType::Number);  // #,##0 "days"
    CHECK(shown(wb, "B9") == "2020-06-01");        // mmm-yy
    CHECK(shown(wb, "B10") == "2016-11-30T23:59:59.250");
    // built-in ids with no code in styles.xml
    CHECK(shown(wb, "B11") == "2016-04-01");
    CHECK(wb.format(cell(wb, wb.sheets[0], "B11")) == "mm-dd-yy");
    CHECK(shown(wb, "B12") == "2016-04-01T08:30:00");
    CHECK(type_of(wb, "B13") == CellType::Number);  // 46: [h]:mm:ss
}

TEST_CASE("a 1904 workbook's dates are moved to the 1900 system; times are not", "[reader]") {
    Workbook w1900 = fixture("dates_1900.xlsx");
    Workbook w1904 = fixture("dates_1904.xlsx");
    for (std::string_view a1 : {"B1", "B2", "B3", "B4", "B5", "B9", "B10", "B11", "B12", "B13"}) {
        INFO(a1);
        CHECK(type_of(w1904, a1) == type_of(w1900, a1));
        CHECK(cell(w1904, w1904.sheets[0], a1).number == Approx(cell(w1900, w1900.sheets[0], a1).number));
    }
    CHECK(cell(w1904, w1904.sheets[0], "B1").number == 42704);
}

TEST_CASE("a strict-namespace workbook reads like a transitional one", "[reader]") {
    Workbook wb = fixture("strict.xlsx");
    REQUIRE(wb.sheets.size() == 2);
    CHECK(wb.sheets[0].name == "Strict");
    CHECK(shown(wb, "A1") == "Indicator");
    CHECK(shown(wb, "B1") == "72");
    CHECK(shown(wb, "B2") == "2016-11-30");
    CHECK(shown(wb, "A1", 1) == "x");
}

TEST_CASE("rows and cells without r follow on from the previous ones", "[reader]") {
    Workbook wb = fixture("no_refs.xlsx");
    CHECK(shown(wb, "A1") == "a");
    CHECK(shown(wb, "C1") == "c");
    CHECK(shown(wb, "A2") == "1");
    CHECK(shown(wb, "C2") == "3");
    CHECK(shown(wb, "B4") == "skips");
    CHECK(shown(wb, "C4") == "a row");
    CHECK(wb.sheets[0].cells().size() == 8);
}

TEST_CASE("hidden and very hidden sheets keep their state; chart sheets are not read", "[reader]") {
    Workbook wb = fixture("sheet_states.xlsx");
    REQUIRE(wb.sheets.size() == 3);
    CHECK(wb.sheets[0].visibility == SheetVisibility::Visible);
    CHECK(wb.sheets[1].name == "Hidden");
    CHECK(wb.sheets[1].visibility == SheetVisibility::Hidden);
    CHECK(wb.sheets[2].name == "VeryHidden");
    CHECK(wb.sheets[2].visibility == SheetVisibility::VeryHidden);
    CHECK(shown(wb, "A1", 2) == "very hidden");
}

TEST_CASE("merged ranges are kept and a value hidden under one is dropped", "[reader]") {
    Workbook wb = fixture("merged.xlsx");
    const Sheet& s = wb.sheets[0];
    REQUIRE(s.merged.size() == 2);
    CHECK(s.merged[0].a1() == "A1:C1");
    CHECK(s.merged[1].a1() == "A2:A4");
    CHECK(shown(wb, "A1") == "Priority Outcome 1");
    CHECK(s.at(0, 2) == nullptr);  // C1 held "hidden under the merge"
    REQUIRE(s.merge_at(3, 0));
    CHECK(s.merge_at(3, 0)->first == CellRef{1, 0});
    CHECK(shown(wb, "B2") == "first action");
}

TEST_CASE("formulas keep their text and cached values; shared formulas are moved", "[reader]") {
    Workbook wb = fixture("formulas.xlsx");
    const Sheet& s = wb.sheets[0];
    CHECK(shown(wb, "A3") == "34");
    CHECK(s.formulas.at({2, 0}) == "SUM(A1:A2)");
    CHECK(type_of(wb, "B1") == CellType::String);
    CHECK(shown(wb, "B1") == "Total: 34");
    CHECK(type_of(wb, "B2") == CellType::Bool);
    CHECK(shown(wb, "B2") == "TRUE");
    CHECK(type_of(wb, "B3") == CellType::Error);
    CHECK(shown(wb, "B3") == "#DIV/0!");
    CHECK(s.formulas.at({0, 2}) == "A1:A2*2");  // the array formula, on its first cell
    CHECK(s.formulas.at({0, 3}) == "A1*2");
    CHECK(s.formulas.at({1, 3}) == "A2*2");
    CHECK(s.formulas.at({2, 3}) == "A3*2");
    CHECK(shown(wb, "D3") == "68");
}

TEST_CASE("ISO 8601 date cells (t=\"d\") are dates, date-times and times", "[reader]") {
    Workbook wb = fixture("iso_dates.xlsx");
    CHECK(type_of(wb, "A1") == CellType::Date);
    CHECK(shown(wb, "A1") == "2016-11-30");
    CHECK(type_of(wb, "A2") == CellType::DateTime);
    CHECK(shown(wb, "A2") == "2016-11-30T13:05:00");
    CHECK(type_of(wb, "A3") == CellType::Time);
    CHECK(shown(wb, "A3") == "13:05:00");
}

TEST_CASE("read_workbook picks the xlsx reader from the bytes", "[reader]") {
    Workbook wb = read_workbook(std::string(PLANCONV_TESTS_DIR) + "/fixtures/xlsx/merged.xlsx");
    CHECK(wb.format_name == "xlsx");
}

TEST_CASE("ReadLimits stop a workbook past them, with the reason", "[reader]") {
    auto refused = [](const std::string& name, ReadLimits limits) -> std::string {
        try {
            read_xlsx(std::string(PLANCONV_TESTS_DIR) + "/fixtures/xlsx/" + name, limits);
        } catch (const ReadError& e) {
            return e.what();
        }
        return "(read without error)";
    };
    ReadLimits cells;
    cells.max_cells = 5;
    CHECK_THAT(refused("no_refs.xlsx", cells), Catch::Contains("more than 5 non-empty cells"));
    ReadLimits sheets;
    sheets.max_sheets = 1;
    CHECK_THAT(refused("strict.xlsx", sheets), Catch::Contains("more than 1 sheets"));
    ReadLimits rows;
    rows.max_rows = 3;
    CHECK_THAT(refused("no_refs.xlsx", rows), Catch::Contains("beyond the limit of 3 rows"));
    ReadLimits cols;
    cols.max_cols = 2;
    CHECK_THAT(refused("no_refs.xlsx", cols), Catch::Contains("beyond the limit of 2 columns"));
    ReadLimits text;
    text.max_string_bytes = 10;
    CHECK_THAT(refused("inline_strings.xlsx", text), Catch::Contains("text of more than 10 bytes"));
    ReadLimits strings;
    strings.max_strings = 2;
    CHECK_THAT(refused("rich_text.xlsx", strings), Catch::Contains("more than 2 strings"));
    ReadLimits merged;
    merged.max_merged_area = 4;
    CHECK_THAT(refused("merged.xlsx", merged), Catch::Contains("merged ranges covering more than 4 cells"));
}

TEST_CASE("a shared-string cell with an empty <v/> is an empty cell, not damage", "[reader]") {
    test::TempDir dir;
    auto file = dir.path() / "empty_v.xlsx";
    test::write_zip(file, test::minimal_xlsx_parts(R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v/></c>)"
                                                   R"(<c r="C1" t="s"><v></v></c><c r="D1"><v>4</v></c></row>)",
                                                   "<si><t>Ref</t></si>"));
    Workbook wb = read_workbook(file);
    CHECK(test::cell_map(wb) == std::map<std::string, std::string>{{"Sheet1!A1", "string Ref"}, {"Sheet1!D1", "number 4"}});
}

TEST_CASE("zip entry names written with backslashes are read as folders", "[reader][robustness]") {
    test::TempDir dir;
    auto file = dir.path() / "backslashes.xlsx";
    test::write_zip(file, test::minimal_xlsx_parts(R"(<row r="1"><c r="A1" t="s"><v>0</v></c></row>)",
                                                   "<si><t>Ref</t></si>", "\\"));
    Workbook wb = read_workbook(file);
    CHECK(test::cell_map(wb) == std::map<std::string, std::string>{{"Sheet1!A1", "string Ref"}});

    // Still refused when the name, once normalised, climbs out or is absolute.
    for (const std::string bad : {"xl\\..\\..\\evil.xml", "\\\\server\\share.xml", "\\evil.xml"}) {
        INFO(bad);
        auto parts = test::minimal_xlsx_parts(R"(<row r="1"><c r="A1"><v>1</v></c></row>)", "", "\\");
        parts.emplace_back(bad, "<x/>");
        auto hostile = dir.path() / "hostile.xlsx";
        test::write_zip(hostile, parts);
        CHECK_THROWS_WITH(read_workbook(hostile), Catch::Contains("unsafe name"));
    }
}
