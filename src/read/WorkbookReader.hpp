// Reading any supported spreadsheet file into the Workbook model.
//
// The format is chosen from the file's bytes (zip with an xl/ workbook, zip with an ODF
// mimetype, an OLE2 compound file, or text), never trusted from the extension. Every failure is
// a ReadError whose message is one plain-English sentence an officer can act on.
#pragma once

#include "model/Workbook.hpp"

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace planconv {

// A file that cannot be read at all. what() is one sentence without the file name; the
// caller prefixes the file ("care-q2.xlsx: the file is empty").
class ReadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Limits that keep a hostile file from exhausting time or memory. Defaults suit real returns
// with a wide margin.
struct ReadLimits {
    std::uint64_t max_file_bytes = 512ull << 20;         // the input file itself
    std::uint64_t max_total_uncompressed = 1ull << 30;   // all parts together
    std::uint64_t max_part_uncompressed = 512ull << 20;  // one part (a worksheet, shared strings)
    std::uint64_t max_compression_ratio = 200;           // uncompressed / compressed, per part > 1 MiB
    std::uint32_t max_parts = 10000;
    std::uint32_t max_sheets = 1000;
    std::uint64_t max_cells = 20'000'000;
    std::uint32_t max_rows = kMaxRows;
    std::uint32_t max_cols = kMaxCols;
    std::uint64_t max_string_bytes = 1u << 20;           // one cell's text (Excel's own cap is 32,767 chars)
    std::uint64_t max_merged_area = 10'000'000;           // cells under the merged ranges of one sheet
    std::uint64_t max_strings = 5'000'000;               // distinct texts (a shared-strings table)
    std::uint32_t max_cell_styles = 1'000'000;           // cell formats (Excel itself stops at 64,000)
};

// 1048576 -> "1,048,576", for numbers in ReadError messages.
inline std::string grouped(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

enum class FileFormat { Unknown, Xlsx, Xls, Ods, Csv };

// Looks at the first bytes (and, for zips, the part names) to decide the format.
FileFormat detect_format(const std::filesystem::path& file);

Workbook read_workbook(const std::filesystem::path& file, const ReadLimits& limits = {});

// About how many bytes reading `file` (and mapping and checking what was read) holds at its
// peak, from what it will inflate to (zip containers) or its size (xls, csv), without reading
// it: for sharing a run's memory budget between workers. Measured on generated 50,000-row
// workbooks: the peak is about 3-4 times the XML inflated. Throws ReadError as the readers do
// for a file that cannot be opened or a zip directory that is refused.
std::uint64_t estimated_read_memory(const std::filesystem::path& file, const ReadLimits& limits = {});

// The whole file in memory, refused past limits.max_file_bytes (for the csv and xls readers).
std::string read_file_bytes(const std::filesystem::path& file, const ReadLimits& limits);

// A reader's last step for a sheet whose cells and merged ranges are all in (after
// Sheet::finish()): refuses merged ranges covering more than limits.max_merged_area cells
// together, then drops the values they hide (Sheet::drop_cells_under_merges), so xlsx, xls and
// ods give the same cells, the ones Excel shows (and openpyxl reads).
void finish_merged_ranges(Sheet& sheet, const ReadLimits& limits);

// The individual readers, for tests and for callers that know the format.
Workbook read_xlsx(const std::filesystem::path& file, const ReadLimits& limits);
Workbook read_xls(const std::filesystem::path& file, const ReadLimits& limits);
Workbook read_ods(const std::filesystem::path& file, const ReadLimits& limits);
Workbook read_csv(const std::filesystem::path& file, const ReadLimits& limits);

}  // namespace planconv
