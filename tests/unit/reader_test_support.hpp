// Helpers for the reader tests: a workbook as "Sheet!A1 -> type value" lines, temporary files,
// and hand-built hostile inputs.
#pragma once

#include "read/WorkbookReader.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace planconv::test {

inline std::filesystem::path legacy_fixture(const std::string& name) {
    return std::filesystem::path(PLANCONV_TESTS_DIR) / "fixtures" / "legacy" / name;
}

// Every non-empty cell as "type value", keyed "Sheet!A1" (the inspect --cells view).
inline std::map<std::string, std::string> cell_map(const Workbook& wb) {
    std::map<std::string, std::string> out;
    for (const Sheet& s : wb.sheets)
        for (const Cell& c : s.cells())
            out[s.name + "!" + c.ref().a1()] = std::string(to_string(c.type)) + " " + display_value(wb, c);
    return out;
}

// A scratch folder removed when the test ends.
class TempDir {
public:
    TempDir() {
        static int counter = 0;
        path_ = std::filesystem::temp_directory_path() /
                ("planconv-reader-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::filesystem::path write(const std::string& name, const std::string& bytes) const {
        auto p = path_ / name;
        std::ofstream(p, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
        return p;
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

inline std::string file_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A zip holding the given parts, stored in order (an ods wants "mimetype" first, uncompressed).
inline void write_zip(const std::filesystem::path& file, const std::vector<std::pair<std::string, std::string>>& parts) {
    int err = 0;
    zip_t* z = zip_open(file.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z) throw std::runtime_error("zip_open failed");
    for (const auto& [name, data] : parts) {
        zip_source_t* src = zip_source_buffer(z, data.data(), data.size(), 0);
        zip_int64_t idx = zip_file_add(z, name.c_str(), src, ZIP_FL_OVERWRITE);
        if (name == "mimetype") zip_set_file_compression(z, zip_uint64_t(idx), ZIP_CM_STORE, 0);
    }
    if (zip_close(z) != 0) throw std::runtime_error("zip_close failed");
}

// A minimal ods around the given <table:table> elements.
inline std::string ods_content(const std::string& tables) {
    return R"(<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" )"
           R"(xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" )"
           R"(xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" )"
           R"(xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.2">)"
           "<office:body><office:spreadsheet>" + tables + "</office:spreadsheet></office:body></office:document-content>";
}

inline void write_ods(const std::filesystem::path& file, const std::string& content_xml) {
    write_zip(file, {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}, {"content.xml", content_xml}});
}

// The parts of a one-sheet xlsx ("Sheet1") around the given <sheetData> content and shared
// strings (<si> elements); `sep` joins folder names in the entry names ("/" as the zip format
// says, "\\" as some Windows producers write them).
inline std::vector<std::pair<std::string, std::string>> minimal_xlsx_parts(const std::string& sheet_data,
                                                                          const std::string& shared_items,
                                                                          const std::string& sep = "/") {
    const std::string main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    return {
        {"[Content_Types].xml",
         R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
         R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
         R"(<Default Extension="xml" ContentType="application/xml"/>)"
         R"(<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>)"
         R"(<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>)"
         R"(<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>)"
         "</Types>"},
        {"_rels" + sep + ".rels",
         R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
         R"(<Relationship Id="rId1" Type=")" + rel + R"(/officeDocument" Target="xl/workbook.xml"/></Relationships>)"},
        {"xl" + sep + "workbook.xml",
         R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns=")" + main + R"(" xmlns:r=")" + rel +
             R"("><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>)"},
        {"xl" + sep + "_rels" + sep + "workbook.xml.rels",
         R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
         R"(<Relationship Id="rId1" Type=")" + rel + R"(/worksheet" Target="worksheets/sheet1.xml"/>)"
         R"(<Relationship Id="rId2" Type=")" + rel + R"(/sharedStrings" Target="sharedStrings.xml"/></Relationships>)"},
        {"xl" + sep + "worksheets" + sep + "sheet1.xml",
         R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns=")" + main + R"("><sheetData>)" + sheet_data +
             "</sheetData></worksheet>"},
        {"xl" + sep + "sharedStrings.xml",
         R"(<?xml version="1.0" encoding="UTF-8"?><sst xmlns=")" + main + R"(">)" + shared_items + "</sst>"},
    };
}

// What plan.xlsx holds (make_fixtures.py), as every reader must return it from plan.xls/.ods.
inline std::map<std::string, std::string> plan_fixture_cells() {
    return {
        {"Action plan!A1", "string Priority 1: Housing"},
        {"Action plan!A2", "string Ref"}, {"Action plan!B2", "string Action"}, {"Action plan!C2", "string Budget £"},
        {"Action plan!D2", "string Target date"}, {"Action plan!E2", "string Done"}, {"Action plan!F2", "string Progress"},
        {"Action plan!A3", "string H1"}, {"Action plan!B3", "string Deliver 2016–17 programme\nwith partners"},
        {"Action plan!C3", "number 36000"}, {"Action plan!D3", "date 2016-11-30"}, {"Action plan!E3", "bool TRUE"},
        {"Action plan!F3", "number 0.81"},
        {"Action plan!A4", "string H2"}, {"Action plan!B4", "string Review ‘temporary’ accommodation"},
        {"Action plan!C4", "number 1234.5"}, {"Action plan!D4", "date 2017-03-31"}, {"Action plan!E4", "bool FALSE"},
        {"Action plan!F4", "number -0.125"},
        {"Action plan!A5", "string Total"}, {"Action plan!C5", "number 37234.5"},
        {"Action plan!A7", "string Updated"}, {"Action plan!B7", "datetime 2017-01-15T09:30:00"},
        {"Action plan!C7", "time 12:30:00"},
        {"Indicators!A1", "string Indicator"}, {"Indicators!B1", "string Target"}, {"Indicators!C1", "string Outturn"},
        {"Indicators!A2", "string Rough sleepers"}, {"Indicators!B2", "number 10"}, {"Indicators!C2", "number 7"},
        {"Indicators!A3", "string Homes let"}, {"Indicators!B3", "number 250.75"}, {"Indicators!C3", "number 260"},
        {"Indicators!A5", "string Note: provisional"},
        {"Lookups!A1", "string Green"}, {"Lookups!A2", "string Amber"}, {"Lookups!A3", "string Red"},
    };
}

// A legacy save of plan.xlsx (gnumeric's .xls or .ods) read whole: sheets, their visibility and
// every cell as the xlsx holds them. Call from a TEST_CASE.
inline void check_plan_fixture(const std::string& file, const std::string& format_name) {
    Workbook wb = read_workbook(legacy_fixture(file));
    CHECK(wb.format_name == format_name);
    REQUIRE(wb.sheets.size() == 3);
    CHECK(wb.sheets[0].name == "Action plan");
    CHECK(wb.sheets[1].name == "Indicators");
    CHECK(wb.sheets[2].name == "Lookups");
    CHECK(wb.sheets[0].visibility == SheetVisibility::Visible);
    CHECK(wb.sheets[2].visibility == SheetVisibility::Hidden);
    CHECK(cell_map(wb) == plan_fixture_cells());
}

// What merged.xlsx shows (make_fixtures.py): the values under A1:C1 and B3:B4 other than their
// top-left cells are gone, as openpyxl and Excel show the sheet.
inline std::map<std::string, std::string> merged_fixture_cells() {
    return {
        {"Plan!A1", "string Priority Outcome 1"},
        {"Plan!A2", "string No"}, {"Plan!B2", "string We aimed to"}, {"Plan!C2", "string RAG status"},
        {"Plan!A3", "string 1.1"}, {"Plan!B3", "string Improve outcomes for looked after children"},
        {"Plan!C3", "string Green"}, {"Plan!C4", "string Amber"},
    };
}

}  // namespace planconv::test
