// The xls reader against gnumeric's BIFF8 save of the fixture workbook, and against damaged and
// hostile variants of it made here (truncated, byte-flipped, encrypted, out-of-range dates).
#include "reader_test_support.hpp"

#include "read/BiffScanner.hpp"
#include "read/CompoundFile.hpp"

#include <catch2/catch.hpp>

#include <cstring>

using namespace planconv;
using planconv::test::cell_map;
using planconv::test::legacy_fixture;

namespace {

// Where the workbook-globals BOF record (BIFF8, type 0x0809, 16 bytes) sits in the file.
std::size_t globals_bof(const std::string& bytes) {
    static const std::string bof("\x09\x08\x10\x00\x00\x06\x05\x00", 8);
    auto at = bytes.find(bof);
    REQUIRE(at != std::string::npos);
    return at;
}

std::string read_error(const std::filesystem::path& f) {
    try {
        read_workbook(f);
    } catch (const ReadError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("xls from gnumeric: every value typed as the xlsx it came from", "[reader][xls]") {
    test::check_plan_fixture("plan.xls", "xls");
}

TEST_CASE("xls number formats come from the file's XF and FORMAT records, as in the xlsx", "[reader][xls]") {
    // FreeXL reports no formats; the scan reads them, so 0.81 shown as 81% is still a percentage.
    Workbook xls = read_xls(legacy_fixture("plan.xls"), {});
    Workbook xlsx = read_workbook(legacy_fixture("plan.xlsx"));
    const Sheet& s = xls.sheets[0];
    CHECK(xls.format(*s.at(2, 5)) == "0%");
    CHECK(xls.format(*s.at(3, 5)) == "0.0%");
    CHECK(xls.format(*s.at(2, 3)) == "dd/mm/yyyy");
    CHECK(xls.format(*s.at(6, 1)) == "dd/mm/yyyy hh:mm");
    CHECK(xls.format(*s.at(2, 2)) == "General");  // 36000, written with no format
    CHECK(xls.format(*s.at(2, 1)) == "General");  // text
    for (std::size_t i = 0; i < xls.sheets.size(); ++i)
        for (std::uint32_t r = 0; r < xls.sheets[i].row_count(); ++r)
            for (const Cell& c : xls.sheets[i].row(r)) {
                const Cell* twin = xlsx.sheets[i].at(c.row, c.col);
                if (!twin) continue;  // C5's =SUM has a cached result only in gnumeric's save
                INFO(xls.sheets[i].name << "!" << c.ref().a1());
                CHECK(xls.format(c) == xlsx.format(*twin));
            }
}

TEST_CASE("xls exact values: dates as 1900 serials, formula results FreeXL does not give", "[reader][xls]") {
    Workbook wb = read_xls(legacy_fixture("plan.xls"), {});
    const Sheet& s = wb.sheets[0];
    CHECK(s.at(2, 3)->number == 42704);
    CHECK(s.at(3, 3)->number == 42825);
    CHECK(s.at(2, 5)->number == 0.81);
    CHECK(s.at(6, 1)->number == Approx(42750 + 9.5 / 24).epsilon(1e-12));
    CHECK(s.at(6, 2)->number == Approx(12.5 / 24).epsilon(1e-12));
    REQUIRE(s.at(4, 2) != nullptr);  // =SUM(C3:C4): FreeXL skips formulas; the scan adds the result
    CHECK(s.at(4, 2)->number == 37234.5);
    CHECK(s.at(2, 4)->type == CellType::Bool);  // FreeXL reports 1; the scan knows it is TRUE
    CHECK(s.formulas.empty());                  // formula text is not kept for xls (documented)
}

TEST_CASE("xls merged ranges and sheet visibility come from the scan", "[reader][xls]") {
    Workbook wb = read_xls(legacy_fixture("plan.xls"), {});
    REQUIRE(wb.sheets[0].merged.size() == 1);
    CHECK(wb.sheets[0].merged[0].a1() == "A1:C1");
    REQUIRE(wb.sheets[1].merged.size() == 1);
    CHECK(wb.sheets[1].merged[0].a1() == "A5:C6");
    CHECK(wb.sheets[0].visibility == SheetVisibility::Visible);
}

TEST_CASE("FreeXL's date text goes back to the serial it came from, in both date systems", "[reader][xls]") {
    CHECK(freexl_date_serial("1900-01-01", false) == 1);
    CHECK(freexl_date_serial("1900-02-29", false) == 60);  // Excel's fictitious day
    CHECK(freexl_date_serial("1900-03-01", false) == 61);
    CHECK(freexl_date_serial("2016-11-30", false) == 42704);
    CHECK(freexl_date_serial("1904-01-02", true) == 1463);
    CHECK(freexl_date_serial("2016-11-30", true) == 42704);
    CHECK_FALSE(freexl_date_serial("30/11/2016", false));
}

TEST_CASE("a password-protected (FILEPASS) xls is refused as password-protected", "[reader][xls][robustness]") {
    std::string bytes = test::file_bytes(legacy_fixture("plan.xls"));
    std::size_t next = globals_bof(bytes) + 20;  // the record after the BOF
    bytes[next] = 0x2F;
    bytes[next + 1] = 0x00;
    test::TempDir dir;
    CHECK_THROWS_WITH(read_workbook(dir.write("locked.xls", bytes)), Catch::Contains("password-protected"));
}

TEST_CASE("a workbook stream of a BIFF version other than 5 or 8 is refused naming the version", "[reader][xls][robustness]") {
    std::string bytes = test::file_bytes(legacy_fixture("plan.xls"));
    bytes[globals_bof(bytes) + 5] = 0x04;  // BOF version 0x0400
    test::TempDir dir;
    CHECK_THROWS_WITH(read_workbook(dir.write("old.xls", bytes)), Catch::Contains("BIFF version 4"));
    std::string biff4("\x09\x04\x06\x00\x00\x00\x10\x00\x00\x00\x0A\x00\x00\x00", 14);
    CHECK_THROWS_WITH(read_workbook(dir.write("older.xls", biff4)), Catch::Contains("Excel 4.0"));
}

TEST_CASE("a date cell holding a number past 9999 is refused before FreeXL counts to it day by day",
          "[reader][xls][robustness]") {
    std::string bytes = test::file_bytes(legacy_fixture("plan.xls"));
    // D3 holds 42704 as a NUMBER (an IEEE double) or an RK integer; make it 500 million.
    double v = 42704;
    std::string as_double(8, '\0');
    std::memcpy(as_double.data(), &v, 8);
    auto at = bytes.find(as_double);
    if (at != std::string::npos) {
        double big = 5e8;
        std::memcpy(bytes.data() + at, &big, 8);
    } else {
        std::uint32_t rk = (42704u << 2) | 2u, big = (500000000u << 2) | 2u;
        at = bytes.find(std::string(reinterpret_cast<const char*>(&rk), 4));
        REQUIRE(at != std::string::npos);
        std::memcpy(bytes.data() + at, &big, 4);
    }
    test::TempDir dir;
    CHECK_THROWS_WITH(read_workbook(dir.write("farfuture.xls", bytes)), Catch::Contains("past the last date"));
}

TEST_CASE("a truncated xls is refused with one sentence", "[reader][xls][robustness]") {
    std::string bytes = test::file_bytes(legacy_fixture("plan.xls"));
    test::TempDir dir;
    for (std::size_t cut = 0; cut < bytes.size(); cut += 97) {
        std::string msg = read_error(dir.write("cut.xls", bytes.substr(0, cut)));
        CHECK(msg != "(no error)");
        CHECK(msg.find('\n') == std::string::npos);
    }
}

TEST_CASE("byte-flipped xls files give a ReadError or a workbook, never a crash or a hang",
          "[reader][xls][robustness]") {
    std::string bytes = test::file_bytes(legacy_fixture("plan.xls"));
    test::TempDir dir;
    std::uint32_t seed = 2024;
    int refused = 0;
    for (int i = 0; i < 2000; ++i) {
        std::string m = bytes;
        int flips = 1 + i % 8;
        for (int k = 0; k < flips; ++k) {
            seed = seed * 1664525u + 1013904223u;
            m[seed % m.size()] = char(seed >> 24);
        }
        if (read_error(dir.write("mutated.xls", m)) != "(no error)") ++refused;
    }
    CHECK(refused > 0);
}

TEST_CASE("the compound-file reader finds the workbook stream and refuses loops", "[reader][xls]") {
    CompoundFile cf(test::file_bytes(legacy_fixture("plan.xls")));
    const auto* wb = cf.find("Workbook");
    REQUIRE(wb != nullptr);
    std::string stream = cf.read_stream(*wb, 1 << 20);
    CHECK(stream.size() == wb->size);
    CHECK(static_cast<unsigned char>(stream[0]) == 0x09);
    CHECK_THROWS_AS(CompoundFile(std::string(600, 'x')), ReadError);
}

TEST_CASE("xls values hidden under merged ranges are dropped, as the xlsx reader drops them", "[reader][xls]") {
    // gnumeric's .xls keeps the values openpyxl's .xlsx left under A1:C1 and B3:B4; FreeXL reads them.
    Workbook xls = read_xls(legacy_fixture("merged.xls"), {});
    Workbook xlsx = read_workbook(legacy_fixture("merged.xlsx"));
    REQUIRE(xls.sheets.size() == 1);
    REQUIRE(xls.sheets[0].merged.size() == 2);
    CHECK(xls.sheets[0].at(0, 1) == nullptr);  // B1 held "old heading"
    CHECK(xls.sheets[0].at(0, 2) == nullptr);  // C1 held 2016
    CHECK(xls.sheets[0].at(3, 1) == nullptr);  // B4 held "stale aim"
    CHECK(cell_map(xls) == test::merged_fixture_cells());
    CHECK(cell_map(xlsx) == test::merged_fixture_cells());
}
