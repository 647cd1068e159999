// xls reader: Excel 97-2003 (BIFF8) workbooks through FreeXL.
//
// Three steps. CompoundFile opens the OLE2 container and BiffScanner walks the workbook stream,
// refusing any file FreeXL would misread or choke on; FreeXL then reads the cell values; the
// scan adds what FreeXL leaves out (formula results, booleans and errors, merged ranges, sheet
// visibility, number cells' format codes). Limits: BIFF8 only (Excel 5.0/95 and older are
// refused with a reason); formula text is not kept (Sheet::formulas stays empty), only the
// cached results; dates, date-times and times come to the second; values hidden under a merged
// range are dropped, as the xlsx and ods readers drop them.
#include "read/BiffScanner.hpp"
#include "read/CompoundFile.hpp"
#include "read/WorkbookReader.hpp"

#include <freexl.h>

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <thread>
#include <unordered_map>

namespace planconv {

namespace {

// Closes the FreeXL handle on every path out (FreeXL asks for a close even after a failed open).
class FreexlHandle {
public:
    FreexlHandle() = default;
    ~FreexlHandle() {
        if (handle_) freexl_close(handle_);
    }
    FreexlHandle(const FreexlHandle&) = delete;
    FreexlHandle& operator=(const FreexlHandle&) = delete;
    const void** out() { return &handle_; }
    const void* get() const { return handle_; }

private:
    const void* handle_ = nullptr;
};

// A private temporary file holding bytes for FreeXL, removed when it goes out of scope.
class TempCopy {
public:
    explicit TempCopy(const std::string& bytes) {
        static std::atomic<unsigned> counter{0};
        char name[96];
        std::snprintf(name, sizeof name, "planconv-%ld-%u-%u.xls", long(::getpid()), counter++,
                      unsigned(std::hash<std::thread::id>{}(std::this_thread::get_id()) & 0xFFFFFF));
        path_ = std::filesystem::temp_directory_path() / name;
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), std::streamsize(bytes.size()));
        if (!out.flush()) {
            std::error_code ec;
            std::filesystem::remove(path_, ec);
            throw ReadError("planconv cannot write a temporary file for the xls reading library (is the temp folder full?)");
        }
    }
    ~TempCopy() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    TempCopy(const TempCopy&) = delete;
    TempCopy& operator=(const TempCopy&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

std::string freexl_message(int rc) {
    switch (rc) {
    case FREEXL_FILE_NOT_FOUND: return "the file cannot be opened for reading";
    case FREEXL_INSUFFICIENT_MEMORY:
        return "a sheet declares more cells than the xls reading library (FreeXL) can hold; save it as .xlsx";
    case FREEXL_INVALID_CHARACTER:
    case FREEXL_UNSUPPORTED_CHARSET:
        return "the xls file holds text in an encoding the xls reading library (FreeXL) cannot convert; save it as .xlsx";
    case FREEXL_INVALID_CFBF_HEADER:
    case FREEXL_CFBF_READ_ERROR:
    case FREEXL_CFBF_SEEK_ERROR:
    case FREEXL_CFBF_INVALID_SIGNATURE:
    case FREEXL_CFBF_INVALID_SECTOR_SIZE:
    case FREEXL_CFBF_EMPTY_FAT_CHAIN:
    case FREEXL_CFBF_ILLEGAL_FAT_ENTRY:
    case FREEXL_INVALID_MINI_STREAM:
    case FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY:
        return "the xls file is damaged (its OLE2 container is inconsistent); ask the sender to save it again";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
        return "the xls file has an internal layout the xls reading library (FreeXL) cannot find its way in; "
               "open it in Excel or LibreOffice and save it again";
    default:
        return "the xls file is damaged (FreeXL error " + std::to_string(rc) + "); ask the sender to save it again";
    }
}

// Finds the workbook stream and checks FreeXL will find the same bytes: it looks only in the
// first directory sector, and reads a small workbook from the start of the mini stream.
const CompoundFile::Entry& workbook_stream(const CompoundFile& cf) {
    const CompoundFile::Entry* wb = cf.find("Workbook");
    if (!wb) {
        if (cf.find("Book"))
            throw ReadError("it was saved in the Excel 5.0/95 format, which planconv does not read; "
                            "open it in Excel or LibreOffice and save it as .xlsx");
        if (cf.find("EncryptedPackage"))
            throw ReadError("the workbook is password-protected (encrypted); ask the sender for an unprotected copy");
        if (cf.find("WordDocument")) throw ReadError("it is a Word document, not a spreadsheet");
        if (cf.find("PowerPoint Document")) throw ReadError("it is a PowerPoint presentation, not a spreadsheet");
        throw ReadError("it is an OLE2 file with no Excel workbook inside (not a spreadsheet)");
    }
    if (wb->type != 2 || wb->size < 4) throw ReadError("the xls file is damaged (its workbook stream is empty)");
    const std::size_t first_sector_entries = cf.sector_size() / 128;
    bool freexl_mini = cf.mini_fat_sectors() > 0 && wb->size <= cf.mini_cutoff();
    if (wb->index >= first_sector_entries || freexl_mini != cf.in_mini_stream(*wb))
        throw ReadError("the xls file has an internal layout the xls reading library (FreeXL) cannot find its way "
                        "in; open it in Excel or LibreOffice and save it again");
    if (freexl_mini) {
        auto chain = cf.stream_chain(*wb);
        for (std::size_t i = 0; i < chain.size(); ++i)
            if (chain[i] != i)
                throw ReadError("the xls file has an internal layout the xls reading library (FreeXL) cannot find "
                                "its way in; open it in Excel or LibreOffice and save it again");
    }
    return *wb;
}

// FreeXL's "HH:MM:SS" (hours may reach 24 after rounding) -> a fraction of a day.
std::optional<double> time_fraction(std::string_view t) {
    if (t.size() != 8 || t[2] != ':' || t[5] != ':') return std::nullopt;
    int parts[3];
    for (int i = 0; i < 3; ++i) {
        char a = t[std::size_t(i) * 3], b = t[std::size_t(i) * 3 + 1];
        if (a < '0' || a > '9' || b < '0' || b > '9') return std::nullopt;
        parts[i] = (a - '0') * 10 + (b - '0');
    }
    return (parts[0] * 3600.0 + parts[1] * 60.0 + parts[2]) / 86400.0;
}

// One FreeXL cell -> a model cell (false when it is empty or unreadable).
bool convert_cell(Workbook& wb, const FreeXL_CellValue& v, bool date1904, Cell& c) {
    switch (v.type) {
    case FREEXL_CELL_INT:
        c.type = CellType::Number;
        c.number = v.value.int_value;
        return true;
    case FREEXL_CELL_DOUBLE:
        if (!std::isfinite(v.value.double_value)) return false;
        c.type = CellType::Number;
        c.number = v.value.double_value;
        return true;
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT: {
        if (!v.value.text_value || !*v.value.text_value) return false;
        c.type = CellType::String;
        c.text = wb.intern(v.value.text_value);
        return true;
    }
    case FREEXL_CELL_DATE: {
        auto serial = v.value.text_value ? freexl_date_serial(v.value.text_value, date1904) : std::nullopt;
        if (!serial) return false;
        c.type = CellType::Date;
        c.number = *serial;
        return true;
    }
    case FREEXL_CELL_DATETIME: {
        std::string_view t = v.value.text_value ? v.value.text_value : "";
        auto serial = freexl_date_serial(t, date1904);
        auto time = t.size() == 19 ? time_fraction(t.substr(11)) : std::nullopt;
        if (!serial || !time) return false;
        c.type = CellType::DateTime;
        c.number = *serial + *time;
        return true;
    }
    case FREEXL_CELL_TIME: {
        auto time = v.value.text_value ? time_fraction(v.value.text_value) : std::nullopt;
        if (!time) return false;
        c.type = CellType::Time;
        c.number = *time;
        return true;
    }
    default: return false;
    }
}

}  // namespace

Workbook read_xls(const std::filesystem::path& file, const ReadLimits& limits) {
    std::string bytes = read_file_bytes(file, limits);
    // A BIFF2-4 BOF record (0x0009, 0x0209, 0x0409) where an OLE2 header should be.
    if (bytes.size() >= 4 && bytes[0] == '\x09' && (bytes[1] == '\x00' || bytes[1] == '\x02' || bytes[1] == '\x04'))
        throw ReadError("it was saved in the Excel 2.x-4.0 format (a bare BIFF worksheet), which planconv does not "
                        "read; open it in Excel or LibreOffice and save it as .xlsx");
    CompoundFile cf(std::move(bytes));
    std::string stream = cf.read_stream(workbook_stream(cf), limits.max_file_bytes);
    BiffScan scan = scan_biff8(stream, limits);

    // FreeXL reads a path; when the stream needs rebuilding it reads a cleaned copy instead.
    std::optional<TempCopy> copy;
    if (scan.needs_rebuild)
        copy.emplace(CompoundFile::single_stream_file("Workbook", rebuild_for_freexl(stream, scan)));
    stream.clear();
    FreexlHandle handle;
    int rc = freexl_open(copy ? copy->path().c_str() : file.c_str(), handle.out());
    if (rc != FREEXL_OK) throw ReadError(freexl_message(rc));
    unsigned int info = 0;
    if (freexl_get_info(handle.get(), FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK && info == FREEXL_BIFF_OBFUSCATED)
        throw ReadError("the workbook is password-protected (encrypted); ask the sender for an unprotected copy");
    if (freexl_get_info(handle.get(), FREEXL_BIFF_SHEET_COUNT, &info) != FREEXL_OK || info != scan.sheets.size())
        throw ReadError("the xls file is damaged (its sheet list cannot be read); ask the sender to save it again");

    Workbook wb;
    wb.source = file.string();
    wb.format_name = "xls";
    std::uint64_t cells = 0;
    for (std::size_t i = 0; i < scan.sheets.size(); ++i) {
        BiffSheet& bs = scan.sheets[i];
        if (bs.kind != 0) continue;  // chart sheets, macro sheets and VBA modules hold no return data
        if (freexl_select_active_worksheet(handle.get(), static_cast<unsigned short>(i)) != FREEXL_OK)
            throw ReadError("the xls file is damaged (sheet '" + bs.name + "' cannot be opened)");
        unsigned int rows = 0;
        unsigned short cols = 0;
        if (freexl_worksheet_dimensions(handle.get(), &rows, &cols) != FREEXL_OK)
            throw ReadError("the xls file is damaged (sheet '" + bs.name + "' has no size)");

        wb.sheets.emplace_back();
        Sheet& sheet = wb.sheets.back();
        sheet.name = bs.name;
        sheet.visibility = bs.visibility;
        sheet.merged = std::move(bs.merged);
        // Number formats by cell (FreeXL reports none): 50% stays a percentage, £ stays money.
        std::unordered_map<std::uint64_t, std::uint32_t> formats;
        for (const BiffCellXf& x : bs.number_xfs) {
            const std::string& code = scan.xf_format_codes[x.xf];
            if (!code.empty()) formats[std::uint64_t(x.row) << 16 | x.col] = wb.format_index(code);
        }
        auto format_of = [&](std::uint32_t row, std::uint32_t col) -> std::uint32_t {
            auto it = formats.find(std::uint64_t(row) << 16 | col);
            return it == formats.end() ? 0 : it->second;
        };
        std::uint64_t read = 0;
        if (std::uint64_t(rows) * cols > 0) {
            for (unsigned int r = 0; r < rows; ++r) {
                for (unsigned short col = 0; col < cols; ++col) {
                    FreeXL_CellValue v;
                    if (freexl_get_cell_value(handle.get(), r, col, &v) != FREEXL_OK || v.type == FREEXL_CELL_NULL) continue;
                    ++read;
                    Cell c{r, col, CellType::Empty, 0, 0, 0};
                    if (!convert_cell(wb, v, scan.date1904, c)) continue;
                    if (c.type != CellType::String) c.format = format_of(r, col);
                    if (c.type == CellType::String && wb.strings[c.text].size() > limits.max_string_bytes)
                        throw ReadError("sheet '" + bs.name + "' has a text of more than " +
                                        std::to_string(limits.max_string_bytes) + " bytes");
                    if (++cells > limits.max_cells)
                        throw ReadError("the workbook has more than " + std::to_string(limits.max_cells) + " cells");
                    sheet.add(c);
                }
            }
        }
        // FreeXL must have returned every value cell the scan counted; fewer means it lost some.
        if (read != bs.freexl_cells)
            throw ReadError("the xls reading library (FreeXL) read " + std::to_string(read) + " of the " +
                            std::to_string(bs.freexl_cells) + " values on sheet '" + bs.name +
                            "'; the file is damaged or laid out in a way it cannot read; save it as .xlsx");
        // Formula results and BOOLERR cells: added after FreeXL's, so they win on finish().
        for (BiffValue& e : bs.extra) {
            if (++cells > limits.max_cells)
                throw ReadError("the workbook has more than " + std::to_string(limits.max_cells) + " cells");
            Cell c{e.row, e.col, e.type, 0, 0, e.number};
            if (e.type == CellType::String || e.type == CellType::Error) c.text = wb.intern(std::move(e.text));
            else c.format = format_of(e.row, e.col);
            sheet.add(c);
        }
        sheet.finish();
        finish_merged_ranges(sheet, limits);  // FreeXL reads the values Excel hides under a merge
    }
    return wb;
}

}  // namespace planconv
