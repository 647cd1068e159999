// The csv reader against files written by Python's codecs (fixtures/legacy/make_fixtures.py)
// and against hostile text built here.
#include "reader_test_support.hpp"

#include <catch2/catch.hpp>

using namespace planconv;
using planconv::test::cell_map;
using planconv::test::legacy_fixture;

namespace {

const std::map<std::string, std::string> kActionRows = {
    {"A1", "Ref"}, {"B1", "Action"}, {"C1", "Budget £"}, {"D1", "Lead"},
    {"A2", "H1"}, {"B2", "Deliver 2016–17 programme"}, {"C2", "36,000"}, {"D2", "Head of Housing"},
    {"A3", "H2"}, {"B3", "Review ‘temporary’ accommodation"}, {"D3", "J. Smith"},
};

void check_action_rows(const std::string& fixture, const std::string& sheet) {
    Workbook wb = read_workbook(legacy_fixture(fixture));
    CHECK(wb.format_name == "csv");
    REQUIRE(wb.sheets.size() == 1);
    CHECK(wb.sheets[0].name == sheet);
    std::map<std::string, std::string> expected;
    for (const auto& [a1, v] : kActionRows) expected[sheet + "!" + a1] = "string " + v;
    CHECK(cell_map(wb) == expected);
}

}  // namespace

TEST_CASE("csv in UTF-8 with a byte-order mark reads £ and en dash, CRLF line ends", "[reader][csv]") {
    check_action_rows("utf8-bom.csv", "utf8-bom");
}

TEST_CASE("csv in UTF-8 without a byte-order mark, LF line ends", "[reader][csv]") {
    check_action_rows("utf8.csv", "utf8");
}

TEST_CASE("csv from Excel's Windows-1252 export turns £, curly quotes and en dash into UTF-8", "[reader][csv]") {
    check_action_rows("cp1252.csv", "cp1252");
}

TEST_CASE("semicolon-separated csv is recognised", "[reader][csv]") {
    check_action_rows("semicolon.csv", "semicolon");
}

TEST_CASE("tab-separated text with old Mac CR line ends and no final newline", "[reader][csv]") {
    check_action_rows("tab.txt", "tab");
}

TEST_CASE("Excel 'Unicode text' (UTF-16 with BOM, tab-separated) is read", "[reader][csv]") {
    check_action_rows("utf16.txt", "utf16");
}

TEST_CASE("quoted csv fields keep line breaks (as \\n), delimiters and doubled quotes; empty fields are left out",
          "[reader][csv]") {
    Workbook wb = read_workbook(legacy_fixture("quoted.csv"));
    CHECK(cell_map(wb) == std::map<std::string, std::string>{
                              {"quoted!A1", "string Ref"}, {"quoted!B1", "string Update"}, {"quoted!C1", "string Note"},
                              {"quoted!A2", "string H1"}, {"quoted!B2", "string First line\nsecond line"},
                              {"quoted!C2", "string He said \"done\""},
                              {"quoted!A3", "string H2"}, {"quoted!B3", "string a, b and c"},
                              {"quoted!A5", "string H3"}, {"quoted!B5", "string multi\nline\nthree"},
                              {"quoted!C5", "string last"}});
}

TEST_CASE("csv values are never typed: numbers, dates and percentages stay text", "[reader][csv]") {
    test::TempDir dir;
    Workbook wb = read_csv(dir.write("typed.csv", "36000,30/11/2016,81%,TRUE\n"), {});
    for (const Cell& c : wb.sheets[0].cells()) CHECK(c.type == CellType::String);
    CHECK(wb.sheets[0].cells().size() == 4);
}

TEST_CASE("an Excel 'sep=' first line names the delimiter", "[reader][csv]") {
    test::TempDir dir;
    Workbook wb = read_csv(dir.write("sep.csv", "sep=;\na,b;c\n1,5;2\n"), {});
    CHECK(cell_map(wb) == std::map<std::string, std::string>{
                              {"sep!A1", "string a,b"}, {"sep!B1", "string c"}, {"sep!A2", "string 1,5"}, {"sep!B2", "string 2"}});
}

TEST_CASE("a comma csv whose text holds semicolons keeps the comma", "[reader][csv]") {
    test::TempDir dir;
    Workbook wb = read_csv(dir.write("c.csv", "Ref,Action,Lead\nH1,Plan; consult; deliver,Ann\nH2,Review,Bob\n"), {});
    CHECK(wb.sheets[0].at(1, 1) != nullptr);
    CHECK(wb.strings()[wb.sheets[0].at(1, 1)->text] == "Plan; consult; deliver");
}

TEST_CASE("an empty csv is one empty sheet", "[reader][csv]") {
    test::TempDir dir;
    Workbook wb = read_csv(dir.write("empty.csv", "\xEF\xBB\xBF"), {});
    REQUIRE(wb.sheets.size() == 1);
    CHECK(wb.sheets[0].cells().empty());
}

TEST_CASE("a csv with a 10 MB single line is refused with one sentence", "[reader][csv][robustness]") {
    test::TempDir dir;
    auto one_field = dir.write("huge-field.csv", std::string(10 << 20, 'x'));
    CHECK_THROWS_WITH(read_workbook(one_field), Catch::Contains("has a field of more than"));
    std::string many;
    for (int i = 0; i < (10 << 20) / 2; ++i) many += "x,";
    auto many_fields = dir.write("huge-line.csv", many);
    CHECK_THROWS_WITH(read_workbook(many_fields), Catch::Contains("fields, the most a sheet can hold"));
}

TEST_CASE("a csv whose quote never closes is refused, naming the line", "[reader][csv][robustness]") {
    test::TempDir dir;
    auto f = dir.write("open.csv", "a,b\nc,\"never closed\nmore\n");
    CHECK_THROWS_WITH(read_csv(f, {}), Catch::Contains("starts on line 2 is never closed"));
}

TEST_CASE("csv limits: rows and file size", "[reader][csv][robustness]") {
    test::TempDir dir;
    ReadLimits limits;
    limits.max_rows = 3;
    CHECK_THROWS_AS(read_csv(dir.write("rows.csv", "1\n2\n3\n4\n"), limits), ReadError);
    limits = {};
    limits.max_file_bytes = 10;
    CHECK_THROWS_WITH(read_csv(dir.write("big.csv", std::string(100, 'a')), limits), Catch::Contains("more than the limit"));
}
