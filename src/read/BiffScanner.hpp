// A pass over an Excel workbook stream (BIFF8, Excel 97-2003; BIFF5, Excel 5.0/95), made before FreeXL reads the file.
//
// FreeXL reads the cell values planconv needs (numbers, shared and inline text, dates), but it
// leaves out formula results, booleans vs errors, merged ranges and sheet visibility, and it
// trusts lengths in the file that a damaged or hostile file can get wrong. This pass walks the
// records in the order FreeXL will, refuses (with a ReadError) every file FreeXL would read past
// a record's end, loop on for minutes or silently drop cells from, and collects what FreeXL
// leaves out so XlsReader can add it.
#pragma once

#include "read/WorkbookReader.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace planconv {

// A value FreeXL does not report (a formula's cached result) or reports wrongly (a BIFF
// BOOLERR cell, which FreeXL turns into the integer 0 or 1 whether boolean or error).
struct BiffValue {
    std::uint32_t row = 0;
    std::uint32_t col = 0;
    CellType type = CellType::Empty;
    double number = 0;
    std::string text;
};

// The XF (cell format) a number cell was written with, for its number format (FreeXL reports
// none, so 50% would read as a bare 0.5).
struct BiffCellXf {
    std::uint32_t row = 0;
    std::uint32_t col = 0;
    std::uint16_t xf = 0;
    double value = 0;  // the number as stored, before FreeXL makes a date or a time of it
};

struct BiffSheet {
    std::string name;
    SheetVisibility visibility = SheetVisibility::Visible;
    std::uint8_t kind = 0;             // BOUNDSHEET type: 0 worksheet, 1 macro sheet, 2 chart, 6 VB module
    std::uint32_t offset = 0;          // where its BOF record sits in the stream
    bool seen = false;                 // its substream was found
    bool has_dimension = false;
    std::uint32_t rows = 0, cols = 0;  // DIMENSION: last used row and column + 1
    std::vector<CellRange> merged;
    std::vector<BiffValue> extra;      // formula results and BOOLERR cells, in stream order
    std::vector<BiffCellXf> number_xfs;  // number cells (and formula results) with a non-General format
    std::uint64_t freexl_cells = 0;    // distinct cells FreeXL should return with a value
    std::uint32_t used_rows = 0, used_cols = 0;  // extent of those cells (last row/column + 1)
    std::vector<std::uint64_t> empty_text_cells;  // row << 16 | col of cells showing an empty shared text
};

struct BiffScan {
    bool biff5 = false;  // Excel 5.0/95 (BIFF5/BIFF7), from the first BOF record's version
    bool date1904 = false;
    // Per XF record, its number format code ("" for General): built-in codes by number, the
    // workbook's own from its FORMAT records.
    std::vector<std::string> xf_format_codes;
    std::vector<BiffSheet> sheets;     // in BOUNDSHEET order, which is FreeXL's sheet order
    // FreeXL must be given a rebuilt copy (rebuild_for_freexl): a worksheet embeds a chart
    // substream (whose EOF FreeXL takes for the sheet's own), or the DIMENSIONs declare far more
    // cells than the sheets use (gnumeric declares the whole sheet when a column is formatted).
    bool needs_rebuild = false;
    bool empty_shared_strings = false;
    bool add_codepage = false;  // an Excel 5.0/95 stream without CODEPAGE: the copy gets one (1252)  // the rebuilt copy gives the empty ones a space (FreeXL fails on them)
};

// Throws ReadError naming the problem (password-protected, not BIFF5 or BIFF8, damaged, past a
// limit). Excel 5.0/95 streams are walked with their own record layouts (no shared strings,
// 8-bit text in the CODEPAGE's code page, 16-bit row counts).
BiffScan scan_biff(std::string_view stream, const ReadLimits& limits);

// The workbook stream as FreeXL can read it: embedded chart substreams dropped, each DIMENSION
// cut to the cells the sheet holds, BOUNDSHEET offsets moved to match, padded past the 4,096
// bytes below which it would have to sit in a mini stream. Throws ReadError when even the cut
// sheets are too large for FreeXL.
std::string rebuild_for_freexl(std::string_view stream, const BiffScan& scan);

// The shared string table (the SST record's body and its CONTINUE records' bodies) written again
// as records, each empty text made a space; throws ReadError when a text cannot be laid out in
// two records as FreeXL reads them.
std::string shared_strings_without_empty_texts(const std::vector<std::string_view>& bodies);

// FreeXL's calendar counts every fourth year as a leap year from 1900 on (right through
// 2100-02-28, and matching Excel's fictitious 29 February 1900). Turns the "YYYY-MM-DD" text it
// gives back into the 1900-system serial it came from; nullopt when the text is not a date.
std::optional<double> freexl_date_serial(std::string_view text, bool date1904);

}  // namespace planconv
