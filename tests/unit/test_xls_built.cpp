// The xls reader on workbooks built here byte by byte (tests/unit/biff_test_support.hpp), one
// case each for what other readers' test files showed it getting wrong: elapsed times, 1904
// formula dates, stream names in another case or under the other version's name, empty shared
// strings; and Excel 5.0/95 (BIFF5) workbooks, read cell for cell in their code page.
#include "biff_test_support.hpp"
#include "reader_test_support.hpp"

#include "read/BiffScanner.hpp"
#include "read/ExcelNumberFormat.hpp"

#include <catch2/catch.hpp>

using namespace planconv;
namespace biff = planconv::test::biff;
using biff::Version;

namespace {

const Cell& cell_at(const Workbook& wb, std::size_t sheet, const char* a1) {
    auto ref = CellRef::parse(a1);
    REQUIRE(ref);
    REQUIRE(sheet < wb.sheets.size());
    const Cell* c = wb.sheets[sheet].at(ref->row, ref->col);
    INFO("cell " << a1);
    REQUIRE(c);
    return *c;
}

Workbook read_built(const test::TempDir& dir, const std::string& name, const std::string& bytes) {
    return read_workbook(dir.write(name, bytes));
}

// A BIFF8 workbook of one sheet "S" holding `cells`; XF 0 General, XF 1 "[hh]:mm:ss", XF 2
// mm-dd-yy (built-in 14), XF 3 h:mm:ss (built-in 21).
std::string biff8_stream(const std::string& cells, const std::string& extra_globals = "", const std::string& sst = "") {
    std::string globals = extra_globals + biff::format(Version::Biff8, 164, "[hh]:mm:ss") + biff::xf(Version::Biff8, 0) +
                          biff::xf(Version::Biff8, 164) + biff::xf(Version::Biff8, 14) + biff::xf(Version::Biff8, 21);
    return biff::workbook_stream(Version::Biff8, globals, {{"S", 4, 4, cells}}, sst);
}

}  // namespace

TEST_CASE("xls elapsed time [hh]:mm:ss keeps its days, by the rule the xlsx reader follows", "[reader][xls]") {
    // 10 days 15:10:10 as a stored number and as a formula's result; 12:00 as a time of day.
    const double elapsed = 10 + (15 * 3600 + 10 * 60 + 10) / 86400.0;
    test::TempDir dir;
    Workbook wb = read_built(dir, "elapsed.xls",
                             biff::compound_file({{"Workbook", biff8_stream(biff::number(0, 0, 1, elapsed) +
                                                                            biff::formula_number(0, 1, 1, elapsed) +
                                                                            biff::number(0, 2, 3, 0.5))}}));
    for (const char* a1 : {"A1", "B1"}) {
        INFO(a1);
        const Cell& c = cell_at(wb, 0, a1);
        // The rule (ExcelNumberFormat.hpp): a duration format keeps the number of days.
        CHECK(c.type == CellType::Number);
        CHECK(c.number == elapsed);
        CHECK(wb.format(c) == "[hh]:mm:ss");
        TypedNumber as_xlsx = type_formatted_number(elapsed, classify_number_format("[hh]:mm:ss"), false);
        CHECK(c.type == as_xlsx.type);
        CHECK(c.number == as_xlsx.number);
    }
    CHECK(cell_at(wb, 0, "C1").type == CellType::Time);
    CHECK(cell_at(wb, 0, "C1").number == 0.5);
}

TEST_CASE("xls formula dates in a 1904-system workbook move to the 1900 system like stored ones", "[reader][xls]") {
    test::TempDir dir;
    // 1904-system serial 40000 is 1900-system serial 41462 (2013-07-07).
    Workbook wb = read_built(dir, "1904.xls",
                             biff::compound_file({{"Workbook", biff8_stream(biff::number(0, 0, 2, 40000) +
                                                                                biff::formula_number(0, 1, 2, 40000),
                                                                            biff::datemode_1904())}}));
    for (const char* a1 : {"A1", "B1"}) {
        INFO(a1);
        CHECK(cell_at(wb, 0, a1).type == CellType::Date);
        CHECK(cell_at(wb, 0, a1).number == 41462);
    }
    CHECK(test::cell_map(wb) ==
          std::map<std::string, std::string>{{"S!A1", "date 2013-07-07"}, {"S!B1", "date 2013-07-07"}});
}

TEST_CASE("xls workbook streams are found in any case and their version read from the BOF record", "[reader][xls]") {
    test::TempDir dir;
    const std::string biff8 = biff8_stream(biff::number(0, 0, 0, 8));
    const std::map<std::string, std::string> eight{{"S!A1", "number 8"}};

    SECTION("a BIFF8 stream named BOOK") {
        CHECK(test::cell_map(read_built(dir, "upper.xls", biff::compound_file({{"BOOK", biff8}}))) == eight);
    }
    SECTION("a BIFF8 stream named Book (the Excel 5.0/95 name)") {
        CHECK(test::cell_map(read_built(dir, "book.xls", biff::compound_file({{"Book", biff8}}))) == eight);
    }
    SECTION("a WorkBook stream beside a Book stream: the WorkBook is read") {
        std::string biff5 = biff::workbook_stream(Version::Biff5, biff::xf(Version::Biff5, 0),
                                                  {{"Old", 1, 1, biff::number(0, 0, 0, 5)}});
        CHECK(test::cell_map(read_built(dir, "both.xls", biff::compound_file({{"Book", biff5}, {"WorkBook", biff8}}))) ==
              eight);
    }
    SECTION("a BIFF5 stream named Workbook") {
        std::string biff5 = biff::workbook_stream(Version::Biff5, biff::xf(Version::Biff5, 0),
                                                  {{"Old", 1, 1, biff::number(0, 0, 0, 5)}});
        CHECK(test::cell_map(read_built(dir, "five.xls", biff::compound_file({{"Workbook", biff5}}))) ==
              std::map<std::string, std::string>{{"Old!A1", "number 5"}});
    }
}

TEST_CASE("a zero-length shared string in xls is an empty text, not damage", "[reader][xls]") {
    test::TempDir dir;
    // The table as producers write it: plain, empty, rich (one formatting run) and UTF-16 texts.
    std::string table = biff::u32(5) + biff::u32(5) + biff::text8("Ref") + biff::text8("") +
                        biff::u16(4) + biff::u8(0x08) + biff::u16(1) + "Done" + biff::u16(0) + biff::u16(1) +
                        biff::u16(1) + biff::u8(0x01) + biff::u16(0x20AC) + biff::text8("");
    std::string stream = biff8_stream(biff::labelsst(0, 0, 0) + biff::labelsst(0, 1, 1) + biff::labelsst(0, 2, 2) +
                                          biff::labelsst(0, 3, 3) + biff::labelsst(1, 0, 4) + biff::number(1, 1, 0, 5),
                                      "", biff::record(0x00FC, table));
    Workbook wb = read_built(dir, "empty_sst.xls", biff::compound_file({{"Workbook", stream}}));
    CHECK(test::cell_map(wb) == std::map<std::string, std::string>{{"S!A1", "string Ref"},
                                                                   {"S!C1", "string Done"},
                                                                   {"S!D1", "string €"},
                                                                   {"S!B2", "number 5"}});
}

TEST_CASE("Excel 5.0/95 (BIFF5) workbooks are read cell for cell, text in their code page", "[reader][xls]") {
    // Windows-1252 bytes: é 0xE9, “ ” 0x93 0x94, £ 0xA3, – 0x96, € 0x80.
    const std::string globals = biff::codepage(1252) + biff::format(Version::Biff5, 164, "0.0%") +
                                biff::xf(Version::Biff5, 0) + biff::xf(Version::Biff5, 14) + biff::xf(Version::Biff5, 164);
    const std::string plan = biff::label(Version::Biff5, 0, 0, "Caf\xE9 \x93quoted\x94") + biff::number(0, 1, 0, 3.5) +
                             biff::rk_integer(0, 2, 0, 42) + biff::number(0, 3, 1, 42704) +
                             biff::mulrk_integers(1, 0, 0, {1, 2, 3}) + biff::number(1, 3, 2, 0.125) +
                             biff::rstring5(2, 0, "rich \x80") + biff::formula_number(2, 1, 1, 42705) +
                             biff::label(Version::Biff5, 3, 0, "merged") + biff::number(3, 1, 0, 9) +
                             biff::merged_cells(3, 3, 0, 1);
    const std::string notes = biff::label(Version::Biff5, 0, 0, "second sheet");
    std::string stream = biff::workbook_stream(Version::Biff5, globals,
                                               {{"Budget \xA3", 4, 4, plan}, {"Notes \x96 2", 1, 1, notes}});
    test::TempDir dir;
    Workbook wb = read_built(dir, "excel95.xls", biff::compound_file({{"Book", stream}}));
    CHECK(wb.format_name == "xls");
    REQUIRE(wb.sheets.size() == 2);
    CHECK(wb.sheets[0].name == "Budget £");
    CHECK(wb.sheets[1].name == "Notes – 2");
    CHECK(test::cell_map(wb) == std::map<std::string, std::string>{
                                    {"Budget £!A1", "string Café “quoted”"},
                                    {"Budget £!B1", "number 3.5"},
                                    {"Budget £!C1", "number 42"},
                                    {"Budget £!D1", "date 2016-11-30"},
                                    {"Budget £!A2", "number 1"},
                                    {"Budget £!B2", "number 2"},
                                    {"Budget £!C2", "number 3"},
                                    {"Budget £!D2", "number 0.125"},
                                    {"Budget £!A3", "string rich €"},
                                    {"Budget £!B3", "date 2016-12-01"},
                                    {"Budget £!A4", "string merged"},  // B4 lies under the merge
                                    {"Notes – 2!A1", "string second sheet"},
                                });
    CHECK(wb.format(cell_at(wb, 0, "D2")) == "0.0%");
    REQUIRE(wb.sheets[0].merged.size() == 1);
    CHECK(wb.sheets[0].merged[0].a1() == "A4:B4");
}

TEST_CASE("Excel 5.0/95 text in another code page (1250, Central European) is converted", "[reader][xls]") {
    // cp1250: ń 0xF1, ą 0xB9, Ł 0xA3 (which cp1252 would read as ñ, ¹, £).
    std::string stream = biff::workbook_stream(Version::Biff5, biff::codepage(1250) + biff::xf(Version::Biff5, 0),
                                               {{"Gda\xF1sk", 1, 1, biff::label(Version::Biff5, 0, 0, "\xA3\xB9ka")}});
    test::TempDir dir;
    Workbook wb = read_built(dir, "cp1250.xls", biff::compound_file({{"Book", stream}}));
    CHECK(test::cell_map(wb) == std::map<std::string, std::string>{{"Gdańsk!A1", "string Łąka"}});
}

TEST_CASE("Excel 2.x-4.0 worksheets are refused naming the version", "[reader][xls][robustness]") {
    test::TempDir dir;
    // A bare BIFF4 worksheet: BOF 0x0409 (version 0, worksheet 0x0010), then EOF.
    std::string biff4 = biff::record(0x0409, biff::u16(0) + biff::u16(0x0010) + biff::u16(0)) + biff::eof();
    CHECK_THROWS_WITH(read_workbook(dir.write("excel4.xls", biff4)), Catch::Contains("Excel 4.0 format"));
    std::string biff3 = biff::record(0x0209, biff::u16(0) + biff::u16(0x0010)) + biff::eof();
    CHECK_THROWS_WITH(read_workbook(dir.write("excel3.xls", biff3)), Catch::Contains("Excel 3.0 format"));
    std::string biff2 = biff::record(0x0009, biff::u16(0) + biff::u16(0x0010)) + biff::eof();
    CHECK_THROWS_WITH(read_workbook(dir.write("excel2.xls", biff2)), Catch::Contains("Excel 2.x format"));
}

TEST_CASE("Excel 5.0/95 sheets declaring far more cells than they use are cut to them for FreeXL", "[reader][xls]") {
    // Four sheets each declaring the whole BIFF5 grid (16,384 x 256), past FreeXL's budget.
    std::vector<biff::SheetSpec> sheets;
    for (int i = 0; i < 4; ++i)
        sheets.push_back({"S" + std::to_string(i), 16384, 256, biff::number(2, 1, 0, i + 1)});
    std::string stream =
        biff::workbook_stream(Version::Biff5, biff::codepage(1252) + biff::xf(Version::Biff5, 0), sheets);
    BiffScan scan = scan_biff(stream, ReadLimits{});
    REQUIRE(scan.needs_rebuild);
    std::string rebuilt = rebuild_for_freexl(stream, scan);
    // Every DIMENSION (0x0200, 10 bytes) now says rows 0-3, columns 0-2: B3 is the last cell used.
    const std::string cut = biff::record(0x0200, biff::u16(0) + biff::u16(3) + biff::u16(0) + biff::u16(2) + biff::u16(0));
    std::size_t found = 0;
    for (std::size_t at = rebuilt.find(cut); at != std::string::npos; at = rebuilt.find(cut, at + 1)) ++found;
    CHECK(found == 4);
    test::TempDir dir;
    Workbook wb = read_built(dir, "wide95.xls", biff::compound_file({{"Book", stream}}));
    CHECK(test::cell_map(wb) == std::map<std::string, std::string>{
                                    {"S0!B3", "number 1"}, {"S1!B3", "number 2"}, {"S2!B3", "number 3"}, {"S3!B3", "number 4"}});
}

TEST_CASE("byte-flipped Excel 5.0/95 workbooks give a ReadError or a workbook, never a crash or a hang",
          "[reader][xls][robustness]") {
    const std::string globals = biff::codepage(1252) + biff::format(Version::Biff5, 164, "dd/mm/yyyy") +
                                biff::xf(Version::Biff5, 0) + biff::xf(Version::Biff5, 164);
    const std::string cells = biff::label(Version::Biff5, 0, 0, "Caf\xE9") + biff::number(0, 1, 1, 42704) +
                              biff::mulrk_integers(1, 0, 0, {1, 2, 3}) + biff::rstring5(2, 0, "rich") +
                              biff::formula_number(2, 1, 1, 42705) + biff::merged_cells(3, 3, 0, 1);
    const std::string stream = biff::workbook_stream(Version::Biff5, globals, {{"One", 4, 4, cells}, {"Two", 1, 1, ""}});
    const std::string bytes = biff::compound_file({{"Book", stream}});
    test::TempDir dir;
    std::uint32_t seed = 95;
    int refused = 0, read = 0;
    for (int i = 0; i < 1500; ++i) {
        std::string m = bytes;
        for (int k = 0; k < 1 + i % 4; ++k) {
            seed = seed * 1664525u + 1013904223u;
            m[512 + seed % stream.size()] = char(seed >> 24);  // inside the workbook stream
        }
        try {
            read_workbook(dir.write("mutated.xls", m));
            ++read;
        } catch (const ReadError&) {
            ++refused;
        }
    }
    CHECK(refused > 0);
    CHECK(read > 0);
}

TEST_CASE("an xls cell given twice is refused as damage (FreeXL would leak the first value's text)",
          "[reader][xls][robustness]") {
    test::TempDir dir;
    std::string stream = biff8_stream(biff::number(0, 1, 2, 42704) + biff::label(Version::Biff8, 0, 1, "again"));
    CHECK_THROWS_WITH(read_built(dir, "twice.xls", biff::compound_file({{"Workbook", stream}})),
                      Catch::Contains("gives cell B1 twice"));
}
