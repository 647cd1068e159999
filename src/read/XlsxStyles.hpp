// The styles part (xl/styles.xml), reduced to what reading values needs: for each cell format
// (<cellXfs><xf>, the index a cell's s="3" names) its number-format code and what that code
// makes of a number.
#pragma once

#include "read/ExcelNumberFormat.hpp"
#include "read/ZipArchive.hpp"
#include "model/Workbook.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace planconv {

// What a cell format (<cellXfs><xf>) means for reading values: its number format.
struct XlsxCellFormat {
    std::uint32_t format = 0;  // index into Workbook::formats
    NumberFormatKind kind = NumberFormatKind::Number;
};

class XlsxStyles {
public:
    // The style of a cell's s attribute; General for an index the part does not define
    // (as Excel shows it), so a damaged style never loses a value.
    const XlsxCellFormat& at(std::uint32_t s) const { return s < styles_.size() ? styles_[s] : general_; }

    friend XlsxStyles read_styles(ZipArchive& zip, const std::string& part, Workbook& wb);

private:
    std::vector<XlsxCellFormat> styles_;
    XlsxCellFormat general_;
};

// Reads numFmts and cellXfs; format codes are added to wb.formats once each.
XlsxStyles read_styles(ZipArchive& zip, const std::string& part, Workbook& wb);

}  // namespace planconv
