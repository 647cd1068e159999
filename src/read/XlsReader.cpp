// xls reader: Excel 97-2003 (BIFF8) and Excel 5.0/95 (BIFF5/BIFF7) workbooks through FreeXL.
//
// Three steps. CompoundFile opens the OLE2 container and BiffScanner walks the workbook stream,
// refusing any file FreeXL would misread or choke on; FreeXL then reads the cell values; the
// scan adds what FreeXL leaves out (formula results, booleans and errors, merged ranges, sheet
// visibility, number cells' format codes and stored values). A number cell's type (number,
// date, time of day, date-time, duration) comes from its format code and stored value by the
// rule the xlsx reader follows (type_formatted_number), not from FreeXL's date text: so an
// elapsed [hh]:mm:ss keeps its days and a 1904 workbook's dates move to the 1900 system.
// Limits: Excel 2.x-4.0 (bare BIFF2-4 worksheets) are refused naming the version; formula text
// is not kept (Sheet::formulas stays empty), only the cached results; values hidden under a
// merged range are dropped, as the xlsx and ods readers drop them.
#include "read/BiffScanner.hpp"
#include "read/CompoundFile.hpp"
#include "read/ExcelNumberFormat.hpp"
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
#include <unordered_set>

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

// Finds the workbook stream: "Workbook" (Excel 97 on) before "Book" (Excel 5.0/95), in any
// case, as Excel matches them. Which BIFF version it holds is read from its BOF record.
const CompoundFile::Entry& workbook_stream(const CompoundFile& cf) {
    const CompoundFile::Entry* wb = cf.find("Workbook");
    if (!wb) wb = cf.find("Book");
    if (!wb) {
        if (cf.find("EncryptedPackage"))
            throw ReadError("the workbook is password-protected (encrypted); ask the sender for an unprotected copy");
        if (cf.find("WordDocument")) throw ReadError("it is a Word document, not a spreadsheet");
        if (cf.find("PowerPoint Document")) throw ReadError("it is a PowerPoint presentation, not a spreadsheet");
        throw ReadError("it is an OLE2 file with no Excel workbook inside (not a spreadsheet)");
    }
    if (wb->type != 2 || wb->size < 4) throw ReadError("the xls file is damaged (its workbook stream is empty)");
    return *wb;
}

// FreeXL looks for the stream by its exact name, only in the first directory sector, and reads a
// small workbook from the start of the mini stream: whether it will find the bytes we scanned.
// A stream under another name ("BOOK", or a "Workbook" beside a "Book") it cannot be trusted to
// pick, so it gets a rebuilt copy (false); a layout it cannot walk is refused.
bool freexl_finds_stream(const CompoundFile& cf, const CompoundFile::Entry& stream, bool biff5) {
    const CompoundFile::Entry* wb = &stream;
    std::size_t workbook_named = 0;
    for (const CompoundFile::Entry& e : cf.entries())
        if (e.type == 2 && (CompoundFile::same_name(e.name, "Workbook") || CompoundFile::same_name(e.name, "Book")))
            ++workbook_named;
    // FreeXL also takes the version from the name: BIFF8 must be "Workbook", BIFF5 "Book".
    if (wb->name != (biff5 ? "Book" : "Workbook") || workbook_named > 1) return false;
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
    return true;
}

struct XfFormat {
    std::uint32_t format = 0;  // Workbook::format_index; 0 for General
    NumberFormatKind kind = NumberFormatKind::Number;
};

struct FormattedNumber {
    std::uint32_t format = 0;
    NumberFormatKind kind = NumberFormatKind::Number;
    double value = 0;  // as stored in the file
};

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
    if (bytes.size() >= 4 && bytes[0] == '\x09' && (bytes[1] == '\x00' || bytes[1] == '\x02' || bytes[1] == '\x04')) {
        const char* version = bytes[1] == '\x00' ? "2.x" : bytes[1] == '\x02' ? "3.0" : "4.0";
        throw ReadError(std::string("it was saved in the Excel ") + version +
                        " format (a bare BIFF worksheet), which planconv does not read; "
                        "open it in Excel or LibreOffice and save it as .xlsx");
    }
    CompoundFile cf(std::move(bytes));
    const CompoundFile::Entry& entry = workbook_stream(cf);
    std::string stream = cf.read_stream(entry, limits.max_file_bytes);
    BiffScan scan = scan_biff(stream, limits);
    if (!freexl_finds_stream(cf, entry, scan.biff5)) scan.needs_rebuild = true;

    // FreeXL reads a path; when the stream needs rebuilding it reads a cleaned copy instead,
    // under the name FreeXL looks for with the version the BOF record gives.
    std::optional<TempCopy> copy;
    if (scan.needs_rebuild)
        copy.emplace(CompoundFile::single_stream_file(scan.biff5 ? "Book" : "Workbook", rebuild_for_freexl(stream, scan)));
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
    // Each XF's format, interned and classified once (a sheet may hold 65,536 rows of them).
    std::vector<std::optional<XfFormat>> xf_formats(scan.xf_format_codes.size());
    auto xf_format = [&](std::uint16_t xf) -> const XfFormat& {
        std::optional<XfFormat>& f = xf_formats[xf];
        if (!f) {
            const std::string& code = scan.xf_format_codes[xf];
            f = code.empty() ? XfFormat{} : XfFormat{wb.format_index(code), classify_number_format(code)};
        }
        return *f;
    };
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
        std::unordered_map<std::uint64_t, FormattedNumber> formats;
        for (const BiffCellXf& x : bs.number_xfs) {
            const XfFormat& f = xf_format(x.xf);
            if (f.format) formats[std::uint64_t(x.row) << 16 | x.col] = {f.format, f.kind, x.value};
        }
        auto format_at = [&](std::uint32_t row, std::uint32_t col) -> const FormattedNumber* {
            auto it = formats.find(std::uint64_t(row) << 16 | col);
            return it == formats.end() ? nullptr : &it->second;
        };
        std::unordered_set<std::uint64_t> empty_texts(bs.empty_text_cells.begin(), bs.empty_text_cells.end());
        std::uint64_t read = 0;
        if (std::uint64_t(rows) * cols > 0) {
            for (unsigned int r = 0; r < rows; ++r) {
                for (unsigned short col = 0; col < cols; ++col) {
                    FreeXL_CellValue v;
                    if (freexl_get_cell_value(handle.get(), r, col, &v) != FREEXL_OK || v.type == FREEXL_CELL_NULL) continue;
                    ++read;
                    if (v.type == FREEXL_CELL_SST_TEXT && empty_texts.count(std::uint64_t(r) << 16 | col)) continue;
                    Cell c{r, col, CellType::Empty, 0, 0, 0};
                    const FormattedNumber* f = format_at(r, col);
                    if (f && v.type != FREEXL_CELL_TEXT && v.type != FREEXL_CELL_SST_TEXT) {
                        TypedNumber typed = type_formatted_number(f->value, f->kind, scan.date1904);
                        c.type = typed.type;
                        c.number = typed.number;
                        c.format = f->format;
                    } else if (!convert_cell(wb, v, scan.date1904, c)) {
                        continue;
                    }
                    if (c.type == CellType::String && wb.strings()[c.text].size() > limits.max_string_bytes)
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
            if (e.type == CellType::String || e.type == CellType::Error) {
                c.text = wb.intern(std::move(e.text));
            } else if (const FormattedNumber* f = format_at(e.row, e.col); f && e.type == CellType::Number) {
                TypedNumber typed = type_formatted_number(e.number, f->kind, scan.date1904);
                c.type = typed.type;
                c.number = typed.number;
                c.format = f->format;
            } else if (f) {
                c.format = f->format;
            }
            sheet.add(c);
        }
        sheet.finish();
        finish_merged_ranges(sheet, limits);  // FreeXL reads the values Excel hides under a merge
    }
    return wb;
}

}  // namespace planconv
