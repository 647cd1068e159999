// The workbook model: A1 references, dates and Excel serials, sheet indexing.
#include "model/CellRef.hpp"
#include "model/Date.hpp"
#include "model/Workbook.hpp"

#include <catch2/catch.hpp>

using namespace planconv;

TEST_CASE("A1 references round-trip and respect Excel's limits") {
    CHECK(CellRef{4, 2}.a1() == "C5");
    CHECK(CellRef::column_name(27) == "AB");
    CHECK(CellRef::column_name(16383) == "XFD");
    CHECK(CellRef::parse("$XFD$1048576") == CellRef{1048575, 16383});
    CHECK_FALSE(CellRef::parse("XFE1"));
    CHECK_FALSE(CellRef::parse("A1048577"));
    CHECK_FALSE(CellRef::parse("A0"));
    CHECK_FALSE(CellRef::parse("5C"));
    CHECK(CellRange::parse("A3:F3")->area() == 6);
    CHECK_FALSE(CellRange::parse("C3:A1"));
}

TEST_CASE("Excel serials map to UK calendar dates in both date systems") {
    CHECK(Date::from_excel_serial(42704)->iso() == "2016-11-30");
    CHECK(Date::from_excel_serial(1)->iso() == "1900-01-01");
    CHECK(Date::from_excel_serial(61)->iso() == "1900-03-01");
    CHECK(Date::from_excel_serial(0, true)->iso() == "1904-01-01");
    CHECK(Date::parse_iso("2016-11-30")->excel_serial() == 42704);
    CHECK_FALSE(Date::from_ymd(2017, 2, 29));
    CHECK(Date::last_of_month(2020, 2).iso() == "2020-02-29");
}

TEST_CASE("a sheet indexes its rows after cells arrive out of order") {
    Workbook wb;
    wb.sheets.emplace_back();
    Sheet& s = wb.sheets.back();
    s.add(Cell{2, 1, CellType::Number, 0, 0, 5});
    s.add(Cell{0, 0, CellType::String, wb.intern("No"), 0, 0});
    s.add(Cell{2, 1, CellType::Number, 0, 0, 7});  // the later duplicate wins
    s.finish();
    REQUIRE(s.cells().size() == 2);
    CHECK(s.row(1).empty());
    REQUIRE(s.at(2, 1));
    CHECK(s.at(2, 1)->number == 7);
    CHECK(display_value(wb, *s.at(0, 0)) == "No");
    CHECK(s.used_range()->a1() == "A1:B3");
}

TEST_CASE("numbers print in shortest round-trip form") {
    CHECK(format_number(36000) == "36000");
    CHECK(format_number(200000) == "200000");  // not the shorter "2e+05", which reads back as 2
    CHECK(format_number(-3000000) == "-3000000");
    CHECK(format_number(0.00025) == "0.00025");
    CHECK(format_number(1e20) == "1e+20");
    CHECK(format_number(1.5e-7) == "1.5e-07");
    CHECK(format_number(0.1) == "0.1");
    CHECK(format_number(-0.0) == "0");
    CHECK(format_number(90.5) == "90.5");
}
