// The ods reader against gnumeric's ods of the fixture workbook, and against hostile content.xml
// built here (huge repeats, truncation, limits).
#include "reader_test_support.hpp"

#include <catch2/catch.hpp>

using namespace planconv;
using planconv::test::cell_map;
using planconv::test::legacy_fixture;

TEST_CASE("ods from gnumeric: every value typed as the xlsx it came from", "[reader][ods]") {
    test::check_plan_fixture("plan.ods", "ods");
}

TEST_CASE("ods exact values: percentage as a fraction, time as a day fraction, dates as 1900 serials", "[reader][ods]") {
    Workbook wb = read_ods(legacy_fixture("plan.ods"), {});
    const Sheet& s = wb.sheets[0];
    CHECK(s.at(2, 5)->number == 0.81);
    CHECK(s.at(2, 3)->number == 42704);
    CHECK(s.at(6, 1)->number == Approx(42750 + 9.5 / 24).epsilon(1e-12));
    CHECK(s.at(6, 2)->number == Approx(12.5 / 24).epsilon(1e-12));
}

TEST_CASE("ods merged ranges and formulas (OpenFormula turned into Excel's A1 style)", "[reader][ods]") {
    Workbook wb = read_ods(legacy_fixture("plan.ods"), {});
    REQUIRE(wb.sheets[0].merged.size() == 1);
    CHECK(wb.sheets[0].merged[0].a1() == "A1:C1");
    REQUIRE(wb.sheets[1].merged.size() == 1);
    CHECK(wb.sheets[1].merged[0].a1() == "A5:C6");
    REQUIRE(wb.sheets[0].formulas.count(CellRef{4, 2}));
    CHECK(wb.sheets[0].formulas.at(CellRef{4, 2}) == "SUM(C3:C4)");
}

TEST_CASE("ods text: spaces, tabs, line breaks, spans, links, several paragraphs; gnumeric's error results", "[reader][ods]") {
    test::TempDir dir;
    auto f = dir.path() / "text.ods";
    test::write_ods(f, test::ods_content(
        R"(<table:table table:name="T"><table:table-row>)"
        R"(<table:table-cell office:value-type="string"><text:p>a<text:s text:c="3"/>b<text:tab/>c</text:p></table:table-cell>)"
        R"(<table:table-cell office:value-type="string"><text:p>one</text:p><text:p>two <text:span>and</text:span> <text:a>three</text:a></text:p></table:table-cell>)"
        R"(<table:table-cell office:value-type="string"><text:p>x<text:line-break/>y</text:p><office:annotation><text:p>a comment</text:p></office:annotation></table:table-cell>)"
        R"(<table:table-cell office:value-type="string"><text:p>  collapsed
   runs  </text:p></table:table-cell>)"
        R"x(<table:table-cell table:formula="of:=NA()" office:value-type="string" office:string-value="#N/A"><text:p>#N/A</text:p></table:table-cell>)x"
        R"(<table:table-cell office:value-type="string"><text:p>#N/A</text:p></table:table-cell>)"
        R"(</table:table-row></table:table>)"));
    Workbook wb = read_ods(f, {});
    CHECK(cell_map(wb) == std::map<std::string, std::string>{
                              {"T!A1", "string a   b\tc"}, {"T!B1", "string one\ntwo and three"},
                              {"T!C1", "string x\ny"}, {"T!D1", "string collapsed runs "},
                              {"T!E1", "error #N/A"}, {"T!F1", "string #N/A"}});
}

TEST_CASE("ods value types: currency, percentage, boolean, time with days, errors, repeated values", "[reader][ods]") {
    test::TempDir dir;
    auto f = dir.path() / "types.ods";
    test::write_ods(f, test::ods_content(
        R"(<table:table table:name="T"><table:table-row>)"
        R"(<table:table-cell office:value-type="currency" office:currency="GBP" office:value="1250.5"><text:p>£1,250.50</text:p></table:table-cell>)"
        R"(<table:table-cell office:value-type="percentage" office:value="0.75"><text:p>75%</text:p></table:table-cell>)"
        R"(<table:table-cell office:value-type="boolean" office:boolean-value="false"><text:p>FALSE</text:p></table:table-cell>)"
        R"(<table:table-cell office:value-type="time" office:time-value="PT36H"><text:p>36:00</text:p></table:table-cell>)"
        R"(<table:table-cell office:value-type="date" office:date-value="2016-04-01T00:00:00"><text:p>01/04/2016</text:p></table:table-cell>)"
        R"(<table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>)"
        R"(</table:table-row><table:table-row table:number-rows-repeated="2">)"
        R"(<table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell>)"
        R"(</table:table-row></table:table>)"));
    Workbook wb = read_ods(f, {});
    CHECK(cell_map(wb) == std::map<std::string, std::string>{
                              {"T!A1", "number 1250.5"}, {"T!B1", "number 0.75"}, {"T!C1", "bool FALSE"},
                              {"T!D1", "time 12:00:00"}, {"T!E1", "datetime 2016-04-01T00:00:00"}, {"T!F1", "error #DIV/0!"},
                              {"T!A2", "number 7"}, {"T!B2", "number 7"}, {"T!A3", "number 7"}, {"T!B3", "number 7"}});
    CHECK(wb.sheets[0].at(0, 3)->number == 1.5);
    CHECK(wb.sheets[0].formulas.at(CellRef{0, 5}) == "1/0");
}

TEST_CASE("ods hidden tables (table:display=false in their style) are marked hidden", "[reader][ods]") {
    test::TempDir dir;
    auto f = dir.path() / "hidden.ods";
    test::write_ods(f, R"(<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0">
<office:automatic-styles><style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style></office:automatic-styles>
<office:body><office:spreadsheet><table:table table:name="Shown"/><table:table table:name="Lookups" table:style-name="ta2"/></office:spreadsheet></office:body></office:document-content>)");
    Workbook wb = read_ods(f, {});
    REQUIRE(wb.sheets.size() == 2);
    CHECK(wb.sheets[0].visibility == SheetVisibility::Visible);
    CHECK(wb.sheets[1].visibility == SheetVisibility::Hidden);
}

TEST_CASE("ods padding of 1,048,576 rows x 16,384 empty columns costs nothing", "[reader][ods][robustness]") {
    test::TempDir dir;
    auto f = dir.path() / "padded.ods";
    std::string rows = R"(<table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>)"
                       R"(<table:table-cell table:number-columns-repeated="16383"/></table:table-row>)";
    for (int i = 0; i < 200; ++i)
        rows += R"(<table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="4294967295"/></table:table-row>)";
    test::write_ods(f, test::ods_content(R"(<table:table table:name="T">)" + rows + "</table:table>"));
    Workbook wb = read_ods(f, {});
    REQUIRE(wb.sheets[0].cells().size() == 1);
}

TEST_CASE("ods non-empty repeats past the sheet's limits are refused", "[reader][ods][robustness]") {
    test::TempDir dir;
    auto wide = dir.path() / "wide.ods";
    test::write_ods(wide, test::ods_content(
        R"(<table:table table:name="T"><table:table-row><table:table-cell table:number-columns-repeated="99999999" office:value-type="float" office:value="1"/></table:table-row></table:table>)"));
    CHECK_THROWS_WITH(read_workbook(wide), Catch::Contains("past the limit of 16384 columns"));
    auto tall = dir.path() / "tall.ods";
    test::write_ods(tall, test::ods_content(
        R"(<table:table table:name="T"><table:table-row table:number-rows-repeated="18446744073709551615"><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>)"));
    CHECK_THROWS_WITH(read_workbook(tall), Catch::Contains("past the limit of 1048576 rows"));
    auto many = dir.path() / "many.ods";
    test::write_ods(many, test::ods_content(
        R"(<table:table table:name="T"><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16000" office:value-type="float" office:value="1"/></table:table-row></table:table>)"));
    CHECK_THROWS_WITH(read_workbook(many), Catch::Contains("cells"));
    auto merged = dir.path() / "merged.ods";
    test::write_ods(merged, test::ods_content(
        R"(<table:table table:name="T"><table:table-row><table:table-cell table:number-columns-spanned="16384" table:number-rows-spanned="1048576"/></table:table-row></table:table>)"));
    CHECK_THROWS_WITH(read_workbook(merged), Catch::Contains("merged range"));
}

TEST_CASE("a truncated or corrupted ods is refused with one sentence", "[reader][ods][robustness]") {
    test::TempDir dir;
    std::string bytes = test::file_bytes(legacy_fixture("plan.ods"));
    for (std::size_t cut : {std::size_t(100), bytes.size() / 2, bytes.size() - 30}) {
        auto f = dir.write("cut.ods", bytes.substr(0, cut));
        try {
            read_workbook(f);
            FAIL("a truncated ods was read");
        } catch (const ReadError& e) {
            CHECK(std::string(e.what()).find('\n') == std::string::npos);
        }
    }
    // Flipped bytes anywhere: a ReadError or a workbook, never a crash (run under ASan).
    std::uint32_t seed = 12345;
    for (int i = 0; i < 300; ++i) {
        std::string m = bytes;
        for (int k = 0; k < 4; ++k) {
            seed = seed * 1664525u + 1013904223u;
            m[seed % m.size()] = char(seed >> 24);
        }
        auto f = dir.write("mutated.ods", m);
        try {
            read_workbook(f);
        } catch (const ReadError&) {
        }
    }
}

TEST_CASE("ods with a DOCTYPE, or an odt, is refused", "[reader][ods][robustness]") {
    test::TempDir dir;
    auto dtd = dir.path() / "dtd.ods";
    test::write_ods(dtd, R"(<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>)");
    CHECK_THROWS_WITH(read_workbook(dtd), Catch::Contains("<!DOCTYPE>"));
    auto odt = dir.path() / "letter.ods";
    test::write_zip(odt, {{"mimetype", "application/vnd.oasis.opendocument.text"}, {"content.xml", "<x/>"}});
    CHECK_THROWS_WITH(read_ods(odt, {}), Catch::Contains("text document"));
}

TEST_CASE("ods values hidden under merged ranges are dropped, as the xlsx reader drops them", "[reader][ods]") {
    // gnumeric writes the cells under a span as covered cells without their values, so its .ods
    // of merged.xlsx cannot carry a hidden value: it shows the ranges and the cells that remain.
    Workbook gnumeric = read_ods(legacy_fixture("merged.ods"), {});
    REQUIRE(gnumeric.sheets.size() == 1);
    CHECK(gnumeric.sheets[0].merged.size() == 2);
    CHECK(cell_map(gnumeric) == test::merged_fixture_cells());

    // A value in a covered cell (LibreOffice keeps one there), and a plain table-cell that a span
    // reaches over (a producer that writes no covered cells): neither is shown, neither is kept.
    test::TempDir dir;
    auto f = dir.path() / "hidden.ods";
    test::write_ods(f, test::ods_content(
        R"(<table:table table:name="T"><table:table-row>)"
        R"(<table:table-cell table:number-columns-spanned="3" office:value-type="string"><text:p>Priority Outcome 1</text:p></table:table-cell>)"
        R"(<table:covered-table-cell office:value-type="string"><text:p>old heading</text:p></table:covered-table-cell>)"
        R"(<table:table-cell office:value-type="float" office:value="2016"/>)"
        R"(<table:table-cell office:value-type="string"><text:p>shown</text:p></table:table-cell>)"
        R"(</table:table-row><table:table-row>)"
        R"(<table:table-cell table:number-rows-spanned="2" office:value-type="string"><text:p>1.1</text:p></table:table-cell>)"
        R"(</table:table-row><table:table-row>)"
        R"(<table:table-cell office:value-type="string"><text:p>stale</text:p></table:table-cell>)"
        R"(<table:table-cell office:value-type="string"><text:p>Amber</text:p></table:table-cell>)"
        R"(</table:table-row></table:table>)"));
    Workbook wb = read_ods(f, {});
    CHECK(cell_map(wb) == std::map<std::string, std::string>{
                              {"T!A1", "string Priority Outcome 1"}, {"T!D1", "string shown"},
                              {"T!A2", "string 1.1"}, {"T!B3", "string Amber"}});
}

TEST_CASE("ods merged ranges covering more than the limit together are refused", "[reader][ods][robustness]") {
    // Each span alone is under the limit; the sheet's spans together are not.
    test::TempDir dir;
    auto f = dir.path() / "spans.ods";
    std::string rows;
    for (int i = 0; i < 3; ++i)
        rows += R"(<table:table-row><table:table-cell table:number-columns-spanned="100" table:number-rows-spanned="40000"/></table:table-row>)";
    test::write_ods(f, test::ods_content(R"(<table:table table:name="T">)" + rows + "</table:table>"));
    ReadLimits limits;
    limits.max_merged_area = 10'000'000;
    CHECK_THROWS_WITH(read_ods(f, limits), Catch::Contains("merged ranges covering") && Catch::Contains("limit"));
}

TEST_CASE("an ods whose manifest marks encrypted parts is refused as password-protected", "[reader][ods][robustness]") {
    // What LibreOffice writes for a password-protected file: a plain zip, a manifest naming the
    // cipher of each part, and content.xml as ciphertext (here: bytes that are not XML).
    const std::string manifest =
        R"(<?xml version="1.0" encoding="UTF-8"?>)"
        R"(<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">)"
        R"(<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>)"
        R"(<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="1234">)"
        R"(<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" )"
        R"(manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" )"
        R"(manifest:initialisation-vector="AAAA"/><manifest:key-derivation manifest:key-derivation-name="PBKDF2" )"
        R"(manifest:key-size="32" manifest:iteration-count="100000" manifest:salt="AAAA"/></manifest:encryption-data>)"
        R"(</manifest:file-entry></manifest:manifest>)";
    test::TempDir dir;
    auto file = dir.path() / "locked.ods";
    test::write_zip(file, {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
                           {"content.xml", std::string("\x8f\x02\xd1\x7f\x00\x13 ciphertext", 17)},
                           {"META-INF/manifest.xml", manifest}});
    CHECK_THROWS_WITH(read_workbook(file), Catch::Contains("password-protected"));

    // The same manifest without encryption-data, around a readable content.xml, reads.
    auto plain = dir.path() / "plain.ods";
    std::string open_manifest = manifest;
    open_manifest.erase(open_manifest.find("<manifest:encryption-data"),
                        open_manifest.find("</manifest:file-entry>") - open_manifest.find("<manifest:encryption-data"));
    test::write_zip(plain, {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
                            {"content.xml", test::ods_content(R"(<table:table table:name="T"><table:table-row>)"
                                                              R"(<table:table-cell office:value-type="float" office:value="3"/>)"
                                                              "</table:table-row></table:table>")},
                            {"META-INF/manifest.xml", open_manifest}});
    CHECK(test::cell_map(read_workbook(plain)) == std::map<std::string, std::string>{{"T!A1", "number 3"}});
}
