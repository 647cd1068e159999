// Excel number-format codes, shared-formula moves and OOXML string escapes: the pieces of the
// xlsx reader that are plain functions.
#include "read/ExcelNumberFormat.hpp"
#include "read/FormulaShift.hpp"
#include "read/XlsxSharedStrings.hpp"

#include <catch2/catch.hpp>

using namespace planconv;
using K = NumberFormatKind;

TEST_CASE("format codes: dates, times and plain numbers", "[reader]") {
    CHECK(classify_number_format("General") == K::Number);
    CHECK(classify_number_format("0.00") == K::Number);
    CHECK(classify_number_format("#,##0_);[Red](#,##0)") == K::Number);
    CHECK(classify_number_format("0.00E+00") == K::Number);
    CHECK(classify_number_format("@") == K::Text);
    CHECK(classify_number_format("d/m/yyyy") == K::Date);
    CHECK(classify_number_format("dd/mm/yy;@") == K::Date);
    CHECK(classify_number_format("mmm-yy") == K::Date);
    CHECK(classify_number_format("[$-809]dd mmmm yyyy") == K::Date);
    CHECK(classify_number_format("h:mm") == K::Time);
    CHECK(classify_number_format("h:mm AM/PM") == K::Time);
    CHECK(classify_number_format("mm:ss") == K::Time);  // m next to s is minutes
    CHECK(classify_number_format("d/m/yyyy h:mm") == K::DateTime);
    CHECK(classify_number_format("yyyy-mm-dd\"T\"hh:mm:ss") == K::DateTime);
}

TEST_CASE("format codes: literals, colours and escapes are not date codes", "[reader]") {
    CHECK(classify_number_format("0.00\\h") == K::Number);
    CHECK(classify_number_format("#,##0 \"days\"") == K::Number);
    CHECK(classify_number_format("[Red]0.0%\\ \"a\"") == K::Number);
    CHECK(classify_number_format("_(* #,##0_);_(* \\(#,##0\\);_(* \"-\"_);_(@_)") == K::Number);
    CHECK(classify_number_format("0;[Red]-0;\"dd\"") == K::Number);  // only the first section counts
    CHECK(classify_number_format("*d0") == K::Number);                 // fill character
}

TEST_CASE("format codes: [h] [mm] [ss] are elapsed time", "[reader]") {
    CHECK(classify_number_format("[h]:mm:ss") == K::Duration);
    CHECK(classify_number_format("[hh]:mm") == K::Duration);
    CHECK(classify_number_format("[mm]:ss") == K::Duration);
    CHECK(classify_number_format("[Red][h]:mm") == K::Duration);
}

TEST_CASE("built-in format ids", "[reader]") {
    CHECK(builtin_number_format(0) == "General");
    CHECK(builtin_number_format(14) == "mm-dd-yy");
    CHECK(classify_number_format(builtin_number_format(22)) == K::DateTime);
    CHECK(classify_number_format(builtin_number_format(45)) == K::Time);
    CHECK(classify_number_format(builtin_number_format(46)) == K::Duration);
    CHECK(classify_number_format(builtin_number_format(47)) == K::Time);
    for (std::uint32_t id : {27u, 28u, 29u, 30u, 31u, 34u, 35u, 36u, 50u, 58u})
        CHECK(classify_number_format(builtin_number_format(id)) == K::Date);
    CHECK(builtin_number_format(163).empty());
}

TEST_CASE("a date-formatted number is a date, a date-time or a time by its value", "[reader]") {
    CHECK(type_formatted_number(42704, K::Date, false).type == CellType::Date);
    CHECK(type_formatted_number(42704.5, K::Date, false).type == CellType::DateTime);
    CHECK(type_formatted_number(0.5, K::Date, false).type == CellType::Time);
    CHECK(type_formatted_number(42704.99999999999, K::DateTime, false).number == 42705);  // rounds to midnight
    CHECK(type_formatted_number(-1, K::Date, false).type == CellType::Number);
    CHECK(type_formatted_number(41242, K::Date, true).number == 42704);  // 1904 -> 1900 system
    CHECK(type_formatted_number(0.25, K::Time, true).number == 0.25);    // a time has no date system
    CHECK(type_formatted_number(1.5, K::Duration, false).type == CellType::Number);
    CHECK(type_formatted_number(1.5, K::Number, false).type == CellType::Number);
}

TEST_CASE("shared formulas move their relative references", "[reader]") {
    CHECK(shift_formula("SUM(B2:$D2)", 1, 1) == "SUM(C3:$D3)");
    CHECK(shift_formula("A1*2", 2, 0) == "A3*2");
    CHECK(shift_formula("$A$1+A$1+$A1", 3, 3) == "$A$1+D$1+$A4");
    CHECK(shift_formula("\"A1\"&A1", 1, 0) == "\"A1\"&A2");       // text in quotes stays
    CHECK(shift_formula("'Q2 A1'!B3+Sheet2!B3", 1, 0) == "'Q2 A1'!B4+Sheet2!B4");
    CHECK(shift_formula("LOG10(A1)", 1, 0) == "LOG10(A2)");       // a function is not a reference
    CHECK(shift_formula("SUM(A:A)+SUM(1:1)", 1, 1) == "SUM(B:B)+SUM(2:2)");
    CHECK(shift_formula("Table1[[#This Row],[A1]]", 1, 1) == "Table1[[#This Row],[A1]]");
    CHECK(shift_formula("A1", -1, 0) == "#REF!");
    CHECK(shift_formula("1.5E+10*B2", 1, 0) == "1.5E+10*B3");
}

TEST_CASE("OOXML _xHHHH_ escapes", "[reader]") {
    auto decoded = [](std::string s) {
        decode_ooxml_escapes(s);
        return s;
    };
    CHECK(decoded("line_x000D_\n") == "line\r\n");
    CHECK(decoded("_x005F_x000D_") == "_x000D_");
    CHECK(decoded("_xD83D__xDE00_") == "\xF0\x9F\x98\x80");  // a surrogate pair
    CHECK(decoded("_xD83D_ alone") == "_xD83D_ alone");
    CHECK(decoded("_x12_ and _xZZZZ_") == "_x12_ and _xZZZZ_");
    CHECK(decoded("no escapes") == "no escapes");
}
