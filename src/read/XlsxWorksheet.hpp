// A worksheet part (xl/worksheets/sheetN.xml), streamed: each <c> becomes a compact Cell as it
// is parsed, and nothing of the XML is kept, so memory follows the cells, not the part's size.
#pragma once

#include "read/XlsxSharedStrings.hpp"
#include "read/XlsxStyles.hpp"
#include "read/ZipArchive.hpp"
#include "model/Workbook.hpp"

#include <cstdint>
#include <string>

namespace planconv {

// What a sheet needs from the rest of the workbook, and the workbook-wide cell budget.
struct WorksheetContext {
    const XlsxStyles& styles;
    SharedStrings shared;
    bool date1904 = false;
    std::uint64_t& cells_read;  // across all sheets, against ReadLimits::max_cells
};

// Fills `sheet` (its name already set) from the part: values, formulas, merged ranges. Cells
// hidden under a merged range are dropped, as Excel shows them.
void read_worksheet(ZipArchive& zip, const std::string& part, Sheet& sheet, Workbook& wb, WorksheetContext& ctx);

}  // namespace planconv
