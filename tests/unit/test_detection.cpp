// Mapping detection: every candidate mapping is weighed against the same rows, read once per
// workbook (DetectionWindow) up to a cell budget, and read again per mapping beyond it.
#include "sample_test_support.hpp"

#include <catch2/catch.hpp>

using namespace planconv;
using namespace planconv::test;

namespace {

// The sample with a visible sheet in front of it whose first 401 rows hold `cols` numbers each.
Workbook behind_a_wide_sheet(const std::string& file, std::uint32_t cols) {
    Workbook read = read_workbook(kSamples / file);
    Workbook wb;
    Sheet& wide = wb.sheets.emplace_back();
    wide.name = "Figures";
    for (std::uint32_t r = 0; r < 401; ++r)
        for (std::uint32_t c = 0; c < cols; ++c) wide.add(Cell{r, c, CellType::Number, 0, 0, double(r * cols + c)});
    wide.finish();
    for (Sheet& s : read.sheets) {
        Sheet& copy = wb.sheets.emplace_back();
        copy.name = s.name;
        copy.visibility = s.visibility;
        copy.merged = s.merged;
        for (Cell c : s.cells()) {
            if (c.type == CellType::String || c.type == CellType::Error) c.text = wb.intern(read.text_string(c));
            if (c.format) c.format = wb.format_index(read.format(c));
            copy.add(c);
        }
        copy.finish();
    }
    return wb;
}

void same_score(const DetectionScore& got, const DetectionScore& want) {
    CHECK(got.tables_found == want.tables_found);
    CHECK(got.header_cells == want.header_cells);
    CHECK(got.texts_found == want.texts_found);
    CHECK(got.sheet_names_ok == want.sheet_names_ok);
    CHECK(got.reasons == want.reasons);
}

}  // namespace

TEST_CASE("one detection window scores every mapping as a window per mapping does") {
    for (const char* file : {"indicator-table.xlsx", "portfolio-plan-half-year.xlsx", "contracts-register.xlsx"}) {
        INFO(file);
        Workbook wb = read_workbook(kSamples / file);
        const DetectionWindow window(wb);
        for (const char* name : {"indicator-table", "portfolio-plan-half-year", "contracts-register", "budget-monitoring"}) {
            INFO(name);
            Mapping m = load_mapping_by_name_or_file(name, kMappings);
            same_score(score_mapping(window, m), score_mapping(wb, m));
        }
    }
}

TEST_CASE("rows beyond the window's cell budget are still weighed, with the same score") {
    // 401 rows of 500 cells: the window keeps the first 400 (its 200,000 cells), so the
    // sample's own sheets behind them are read row by row for each mapping.
    for (const char* file : {"indicator-table.xlsx", "portfolio-plan-half-year.xlsx"}) {
        INFO(file);
        Workbook plain = read_workbook(kSamples / file);
        Workbook wide = behind_a_wide_sheet(file, 500);
        const DetectionWindow window(wide);
        for (const char* name : {"indicator-table", "portfolio-plan-half-year"}) {
            INFO(name);
            Mapping m = load_mapping_by_name_or_file(name, kMappings);
            DetectionScore want = score_mapping(plain, m), got = score_mapping(window, m);
            same_score(got, want);
            if (std::string(file).starts_with(name)) CHECK(got.fits());
        }
    }
}
