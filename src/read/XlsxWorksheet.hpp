// A worksheet part (xl/worksheets/sheetN.xml), streamed: each <c> becomes a compact Cell as it
// is parsed, and nothing of the XML is kept, so memory follows the cells, not the part's size.
#pragma once

#include "read/XlsxSharedStrings.hpp"
#include "read/XlsxStyles.hpp"
#include "read/ZipArchive.hpp"
#include "model/Workbook.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace planconv {

// What a sheet needs from the rest of the workbook, and the workbook-wide cell budget.
struct WorksheetContext {
    const XlsxStyles& styles;
    bool date1904 = false;
    std::uint64_t& cells_read;  // across all sheets, against ReadLimits::max_cells
};

// The cells of a sheet (by their order of adding) that refer to a shared string, holding its
// index in the table until finish_worksheet: the table may still be being read beside the sheet.
using SharedStringCells = std::vector<std::uint32_t>;

// Reads the part into `sheet` (its name already set): values, formulas, merged ranges. The
// sheet is left unfinished until finish_worksheet.
SharedStringCells read_worksheet(ZipArchive& zip, const std::string& part, Sheet& sheet, Workbook& wb, WorksheetContext& ctx);

// Once the shared strings are in the pool: points those cells at their texts (dropping the
// ones whose text is empty, as Excel reads them), then finishes the sheet, dropping the cells
// hidden under a merged range as Excel shows it. ReadError for an index beyond the table.
void finish_worksheet(Sheet& sheet, const SharedStringCells& cells, const SharedStrings& shared, const Workbook& wb);

}  // namespace planconv
