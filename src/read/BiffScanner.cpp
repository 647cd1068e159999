// The BIFF pre-pass (BIFF8 and BIFF5): record walk in FreeXL's order, the checks that keep FreeXL inside the
// bytes it was given, and the values FreeXL leaves out. Where a check mirrors a FreeXL 1.0.6
// behaviour the comment names it, so the check can be dropped when FreeXL fixes it.
#include "read/BiffScanner.hpp"

#include "read/ExcelNumberFormat.hpp"
#include "read/TextEncoding.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>

namespace planconv {

using namespace encoding;

namespace {

enum Record : std::uint16_t {
    kFormula = 0x0006,
    kEof = 0x000A,
    kDateMode = 0x0022,
    kFilePass = 0x002F,
    kCodePage = 0x0042,
    kContinue = 0x003C,
    kBoundSheet = 0x0085,
    kMulRk = 0x00BD,
    kRString = 0x00D6,
    kXf = 0x00E0,
    kMergedCells = 0x00E5,
    kSst = 0x00FC,
    kLabelSst = 0x00FD,
    kDimension = 0x0200,
    kNumber = 0x0203,
    kLabel = 0x0204,
    kBoolErr = 0x0205,
    kString = 0x0207,
    kRk = 0x027E,
    kFormat = 0x041E,
    kBof = 0x0809,
};

constexpr std::size_t kMaxRecord = 8224;           // BIFF8's record size; FreeXL stops reading past it
constexpr std::uint32_t kFreexlMaxXf = 8192;       // FreeXL's XF table
constexpr std::uint32_t kFreexlMaxFormats = 2048;  // FreeXL's date-format table
constexpr std::uint32_t kFreexlMaxStrings = 1u << 20;
// FreeXL turns a date serial into text by stepping one day at a time from 1900 (about 1.5 ns a
// day): a budget on the days it will step keeps a hostile file from holding it for minutes.
constexpr double kLastExcelSerial = 2958465;       // 9999-12-31
constexpr double kFreexlDateDayBudget = 6e9;       // ~10 s; 65,536 rows x 2 date columns fit
// FreeXL holds a 16-byte slot for every cell of every sheet's DIMENSION.
constexpr std::uint64_t kFreexlGridBudget = 16'000'000;

[[noreturn]] void damaged(const std::string& why) {
    throw ReadError("the xls file is damaged (" + why + "); ask the sender to save it again");
}

std::uint16_t u16(const unsigned char* p) { return std::uint16_t(p[0] | p[1] << 8); }
std::uint32_t u32(const unsigned char* p) {
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
}
double f64(const unsigned char* p) {
    std::uint64_t bits = 0;
    for (int i = 7; i >= 0; --i) bits = bits << 8 | p[i];
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

// RK: a 30-bit integer or the top 30 bits of a double, optionally divided by 100.
double decode_rk(std::uint32_t rk) {
    double v;
    if (rk & 2) {
        v = double(std::int32_t(rk) >> 2);
    } else {
        std::uint64_t bits = std::uint64_t(rk & 0xFFFFFFFC) << 32;
        std::memcpy(&v, &bits, sizeof v);
    }
    return (rk & 1) ? v / 100 : v;
}

// Characters of an XLUnicodeString body: Latin-1 bytes or UTF-16LE, as flags bit 0 says.
std::string decode_chars(const unsigned char* p, std::size_t chars, bool wide) {
    std::string_view raw(reinterpret_cast<const char*>(p), wide ? chars * 2 : chars);
    if (wide) return utf16_to_utf8(raw);
    std::string out;
    for (char c : raw) append_utf8(out, static_cast<unsigned char>(c));
    return out;
}

std::string error_text(std::uint8_t code) {
    switch (code) {
    case 0x00: return "#NULL!";
    case 0x07: return "#DIV/0!";
    case 0x0F: return "#VALUE!";
    case 0x17: return "#REF!";
    case 0x1D: return "#NAME?";
    case 0x24: return "#NUM!";
    case 0x2A: return "#N/A";
    default: return "#GETTING_DATA";
    }
}

// FreeXL's reading of a number format: which of date, date-time or time it takes it for,
// from the letters y, m, d, h, s anywhere in the code (check_format in freexl.c).
enum class DateKind : std::uint8_t { None, Date, DateTime, Time };

DateKind freexl_format_kind(std::string_view code) {
    int y = 0, m = 0, d = 0, h = 0, s = 0;
    for (char c : code) {
        switch (c | 0x20) {
        case 'y': ++y; break;
        case 'm': ++m; break;
        case 'd': ++d; break;
        case 'h': ++h; break;
        case 's': ++s; break;
        default: break;
        }
    }
    if (y && m && d && h) return DateKind::DateTime;
    if ((y && m) || (m && d)) return DateKind::Date;
    if ((h && m) || (m && s)) return DateKind::Time;
    return DateKind::None;
}

class Scanner {
public:
    Scanner(std::string_view stream, const ReadLimits& limits)
        : data_(reinterpret_cast<const unsigned char*>(stream.data())), size_(stream.size()), limits_(limits) {}

    BiffScan run() {
        std::size_t pos = 0;
        while (pos + 4 <= size_) {
            std::uint16_t type = u16(data_ + pos);
            std::uint16_t len = u16(data_ + pos + 2);
            if (type == 0 && len == 0) break;  // FreeXL takes an empty record for the end of the stream
            if (len > kMaxRecord) damaged("a record is longer than the format allows");
            if (pos + 4 + len > size_) damaged("the workbook stream is truncated");
            record(type, data_ + pos + 4, len, pos);
            pos += 4 + std::size_t(len);
        }
        if (state_ == State::ExpectFirstBof) damaged("the workbook stream is empty");
        finish();
        return std::move(scan_);
    }

private:
    enum class State { ExpectFirstBof, InSubstream, BetweenSubstreams };

    void record(std::uint16_t type, const unsigned char* r, std::size_t n, std::size_t pos) {
        if (type == kContinue) {
            if (prev_type_ == kSst) sst(r, n);
            return;
        }
        prev_type_ = type;
        if (state_ == State::ExpectFirstBof) {
            if (type != kBof || n < 4) damaged("the workbook stream does not start with a BOF record");
            // The version comes from here, never from the stream's name ("Book" may hold BIFF8).
            std::uint16_t version = u16(r);
            if (version == 0x0500)
                biff5_ = true;
            else if (version != 0x0600)
                throw ReadError("it is not an Excel 5.0/95 or 97-2003 workbook (BIFF version " +
                                std::to_string(version >> 8) + "); open it in Excel or LibreOffice and save it as .xlsx");
            scan_.biff5 = biff5_;
            state_ = State::InSubstream;
            return;
        }
        if (state_ == State::BetweenSubstreams) {
            if (type != kBof) damaged("a record lies outside any sheet");
            state_ = State::InSubstream;
            current_ = nullptr;
            for (BiffSheet& s : scan_.sheets)
                if (s.offset == pos) {
                    current_ = &s;
                    break;
                }
            if (current_) {
                if (current_->seen) damaged("two sheets share one substream");
                current_->seen = true;
            }
            last_bof_sheet_ = current_ ? current_ - scan_.sheets.data() : -1;
            return;
        }
        if (nested_ > 0) {  // inside an embedded chart: nothing there is a cell of the sheet
            if (type == kBof) ++nested_;
            if (type == kEof) --nested_;
            return;
        }
        switch (type) {
        case kBof:
            // An embedded chart's own substream: FreeXL would take its EOF for the sheet's.
            ++nested_;
            scan_.needs_rebuild = true;
            return;
        case kEof:
            state_ = State::BetweenSubstreams;
            pending_string_ = false;
            return;
        case kFilePass:
            throw ReadError("the workbook is password-protected (encrypted); ask the sender for an unprotected copy");
        case kSst: sst(r, n); return;
        case kDateMode:
            need(n, 2, "DATEMODE");
            scan_.date1904 = u16(r) == 1;
            return;
        case kCodePage:
            need(n, 2, "CODEPAGE");
            codepage_ = u16(r);
            codepage_seen_ = true;
            return;
        case kBoundSheet: bound_sheet(r, n); return;
        case kFormat: format(r, n); return;
        case kXf:
            need(n, 4, "XF");
            if (xf_formats_.size() >= kFreexlMaxXf) damaged("it has more cell formats than an xls file can");
            xf_formats_.push_back(u16(r + 2));
            return;
        case kDimension: dimension(r, n); return;
        case kNumber:
            need(n, 14, "NUMBER");
            if (cell_at(r)) number(u16(r), u16(r + 2), u16(r + 4), f64(r + 6));
            return;
        case kRk:
            need(n, 10, "RK");
            if (cell_at(r)) number(u16(r), u16(r + 2), u16(r + 4), decode_rk(u32(r + 6)));
            return;
        case kMulRk: {
            need(n, 6, "MULRK");
            if (!cell_at(r)) return;
            std::uint32_t row = u16(r), col = u16(r + 2);
            for (std::size_t off = 4; off + 6 < n; off += 6, ++col) number(row, col, u16(r + off), decode_rk(u32(r + off + 2)));
            return;
        }
        case kLabelSst:
            need(n, 10, "LABELSST");
            if (cell_at(r)) {
                value_cell(u16(r), u16(r + 2));
                if (std::binary_search(empty_strings_.begin(), empty_strings_.end(), u32(r + 6)))
                    current_->empty_text_cells.push_back(std::uint64_t(u16(r)) << 16 | u16(r + 2));
            }
            return;
        case kLabel: label(r, n); return;
        case kBoolErr: {
            need(n, 8, "BOOLERR");
            if (!cell_at(r)) return;
            std::uint32_t row = u16(r), col = u16(r + 2);
            value_cell(row, col);
            BiffValue v{row, col, CellType::Bool, r[6] ? 1.0 : 0.0, {}};
            if (r[7]) v = BiffValue{row, col, CellType::Error, 0, error_text(r[6])};
            add_extra(std::move(v));
            return;
        }
        case kRString: {
            // Rich text as gnumeric writes it (FreeXL skips these): the text, then its runs.
            need(n, biff5_ ? 8 : 9, "RSTRING");
            if (!current_) damaged("a cell lies outside any listed sheet");
            std::size_t chars = u16(r + 6);
            std::string text;
            if (biff5_) {
                text = legacy_text(r + 8, std::min(chars, n - 8));
            } else {
                bool wide = r[8] & 1;
                std::size_t fit = (n - 9) / (wide ? 2 : 1);
                text = decode_chars(r + 9, std::min(chars, fit), wide);
            }
            if (!text.empty()) add_extra({u16(r), u16(r + 2), CellType::String, 0, std::move(text)});
            return;
        }
        case kFormula: formula(r, n); return;
        case kString: string_result(r, n); return;
        case kMergedCells: merged_cells(r, n); return;
        default: return;
        }
    }

    void need(std::size_t n, std::size_t min, const char* what) const {
        if (n < min) damaged(std::string("a ") + what + " record is too short");
    }

    // Whether a cell record belongs to a sheet FreeXL is filling; refuses the layouts in which
    // FreeXL would drop the cell or fail on it.
    bool cell_at(const unsigned char*) const {
        if (!current_) damaged("a cell lies outside any listed sheet");
        if (!current_->has_dimension) {
            // FreeXL sizes a sheet from its DIMENSION record; cells met before it are lost.
            damaged("sheet '" + current_->name + "' has cells before its DIMENSION record");
        }
        return true;
    }

    void value_cell(std::uint32_t row, std::uint32_t col) {
        if (row >= current_->rows || col >= current_->cols)
            damaged("sheet '" + current_->name + "' has a cell outside its declared size");
        if (++cells_ > limits_.max_cells)
            throw ReadError("the workbook has more than " + std::to_string(limits_.max_cells) + " cells");
        keys_.push_back(std::uint64_t(current_ - scan_.sheets.data()) << 32 | std::uint64_t(row) << 16 | col);
        current_->used_rows = std::max(current_->used_rows, row + 1);
        current_->used_cols = std::max(current_->used_cols, col + 1);
    }

    DateKind xf_kind(std::uint16_t xf) const {
        // check_xf_datetime_58 in freexl.c: built-in codes first, then the workbook's formats.
        if (xf >= xf_formats_.size()) return DateKind::None;
        std::uint16_t fmt = xf_formats_[xf];
        switch (fmt) {
        case 14: case 15: case 16: case 17: return DateKind::Date;
        case 18: case 19: case 20: case 21: case 45: case 46: case 47: return DateKind::Time;
        case 22: return DateKind::DateTime;
        default: break;
        }
        for (const auto& [index, kind] : date_formats_)
            if (index == fmt) return kind;
        return DateKind::None;
    }

    // Remembers a number cell's XF and stored value when it is not General, for its number
    // format and its type (date, time, duration), which FreeXL decides by rules of its own.
    void note_xf(std::uint32_t row, std::uint32_t col, std::uint16_t xf, double value) {
        if (xf < xf_formats_.size() && xf_formats_[xf] != 0) current_->number_xfs.push_back({row, col, xf, value});
    }

    // Excel 5.0/95 text: bytes in the workbook's code page (CODEPAGE; 1252 when there is none).
    std::string legacy_text(const unsigned char* p, std::size_t bytes) const {
        auto text = codepage_to_utf8(std::string_view(reinterpret_cast<const char*>(p), bytes), codepage_);
        if (!text)
            throw ReadError("the xls file holds text in code page " + std::to_string(codepage_) +
                            ", which planconv cannot convert; open it in Excel or LibreOffice and save it as .xlsx");
        return std::move(*text);
    }

    void number(std::uint32_t row, std::uint32_t col, std::uint16_t xf, double v) {
        value_cell(row, col);
        note_xf(row, col, xf, v);
        DateKind kind = xf_kind(xf);
        if (kind != DateKind::Date && kind != DateKind::DateTime) return;
        if (!(v < kLastExcelSerial + 1))
            throw ReadError("cell " + current_->name + "!" + CellRef{row, col}.a1() +
                            " is formatted as a date but holds " + format_number(v) +
                            ", past the last date a spreadsheet can show (31/12/9999); correct it and save again");
        if (v > 0) date_days_ += std::floor(v);
        if (date_days_ > kFreexlDateDayBudget)
            throw ReadError("the workbook holds more dates than the xls reading library (FreeXL) can convert in "
                            "reasonable time; save it as .xlsx");
    }

    void add_extra(BiffValue v) {
        if (v.type == CellType::String && v.text.size() > limits_.max_string_bytes)
            throw ReadError("sheet '" + current_->name + "' has a text of more than " +
                            std::to_string(limits_.max_string_bytes) + " bytes");
        current_->extra.push_back(std::move(v));
    }

    // A FORMULA record: its cached result (FreeXL skips formulas altogether).
    void formula(const unsigned char* r, std::size_t n) {
        need(n, 20, "FORMULA");
        pending_string_ = false;
        if (!current_) damaged("a formula lies outside any listed sheet");
        std::uint32_t row = u16(r), col = u16(r + 2);
        if (current_->has_dimension && (row >= current_->rows || col >= current_->cols))
            damaged("sheet '" + current_->name + "' has a formula outside its declared size");
        const unsigned char* res = r + 6;
        if (u16(res + 6) == 0xFFFF) {
            switch (res[0]) {
            case 0:  // the text follows in a STRING record
                pending_string_ = true;
                pending_row_ = row;
                pending_col_ = col;
                return;
            case 1: add_extra({row, col, CellType::Bool, res[2] ? 1.0 : 0.0, {}}); return;
            case 2: add_extra({row, col, CellType::Error, 0, error_text(res[2])}); return;
            default: return;  // an empty text
            }
        }
        double v = f64(res);
        if (!std::isfinite(v)) return;
        // A number; XlsReader types it from its format, by the rule every reader follows.
        note_xf(row, col, u16(r + 4), v);
        add_extra({row, col, CellType::Number, v, {}});
    }

    void string_result(const unsigned char* r, std::size_t n) {
        if (!pending_string_) return;
        pending_string_ = false;
        if (n < (biff5_ ? 2u : 3u)) return;
        std::size_t chars = u16(r);
        std::string text;
        if (biff5_) {
            text = legacy_text(r + 2, std::min(chars, n - 2));
        } else {
            bool wide = r[2] & 1;
            std::size_t fit = (n - 3) / (wide ? 2 : 1);
            text = decode_chars(r + 3, std::min(chars, fit), wide);
        }
        if (!text.empty()) add_extra({pending_row_, pending_col_, CellType::String, 0, std::move(text)});
    }

    void merged_cells(const unsigned char* r, std::size_t n) {
        need(n, 2, "MERGEDCELLS");
        if (!current_) return;
        std::size_t count = u16(r);
        if (2 + count * 8 > n) damaged("a MERGEDCELLS record is too short");
        for (std::size_t i = 0; i < count; ++i) {
            const unsigned char* m = r + 2 + i * 8;
            CellRange range{{u16(m), u16(m + 4)}, {u16(m + 2), u16(m + 6)}};
            if (range.last.row < range.first.row || range.last.col < range.first.col) damaged("a merged range is reversed");
            if (range.area() > limits_.max_merged_area)
                throw ReadError("sheet '" + current_->name + "' has a merged range of " + std::to_string(range.area()) +
                                " cells, more than the limit of " + std::to_string(limits_.max_merged_area));
            if (range.area() > 1) current_->merged.push_back(range);
        }
    }

    void dimension(const unsigned char* r, std::size_t n) {
        need(n, biff5_ ? 10 : 14, "DIMENSION");
        if (!current_) return;  // FreeXL ignores a DIMENSION outside a listed sheet
        // FreeXL allocates a new grid for each DIMENSION, losing (and leaking) the last.
        if (current_->has_dimension) damaged("sheet '" + current_->name + "' declares its size twice");
        current_->has_dimension = true;
        // BIFF8 counts rows in 32 bits, BIFF5 in 16: last row + 1, then last column + 1.
        current_->rows = biff5_ ? u16(r + 2) : u32(r + 4);
        current_->cols = biff5_ ? u16(r + 6) : u16(r + 10);
        if (current_->rows > 65536 || current_->cols > 256)
            damaged("sheet '" + current_->name + "' declares a size past the format's 65,536 rows x 256 columns");
        grid_ += std::uint64_t(current_->rows) * current_->cols;
        if (grid_ > kFreexlGridBudget) scan_.needs_rebuild = true;  // cut to the used cells
    }

    // XLUnicodeString length checks shared by LABEL and FORMAT: FreeXL reads `chars` characters
    // after the flags (and the optional run count and extension size) without checking.
    void unicode_fits(const unsigned char* r, std::size_t n, std::size_t at, std::size_t chars, const char* what) {
        if (at >= n) damaged(std::string("a ") + what + " record is too short");
        unsigned char flags = r[at];
        std::size_t header = 1 + ((flags & 8) ? 2 : 0) + ((flags & 4) ? 4 : 0);
        std::size_t body = (flags & 1) ? chars * 2 : chars;
        if (chars == 0 || at + header + body > n) damaged(std::string("a ") + what + " record is too short for its text");
    }

    void label(const unsigned char* r, std::size_t n) {
        need(n, biff5_ ? 8 : 9, "LABEL");
        std::size_t chars = u16(r + 6);
        if (biff5_) {
            // Excel 5.0/95: the characters follow the count, one byte each in the code page.
            if (chars == 0 || 8 + chars > n) damaged("a LABEL record is too short for its text");
        } else {
            unicode_fits(r, n, 8, chars, "LABEL");
        }
        if (chars * 3 > limits_.max_string_bytes)
            throw ReadError("a cell text is longer than the limit of " + std::to_string(limits_.max_string_bytes) + " bytes");
        if (cell_at(r)) value_cell(u16(r), u16(r + 2));
    }

    void format(const unsigned char* r, std::size_t n) {
        std::uint16_t index = 0;
        std::string code;
        if (biff5_) {  // index, a one-byte count, the code in the code page
            need(n, 3, "FORMAT");
            index = u16(r);
            std::size_t chars = r[2];
            if (chars == 0 || 3 + chars > n) damaged("a FORMAT record is too short for its text");
            code = legacy_text(r + 3, chars);
        } else {
            need(n, 5, "FORMAT");
            index = u16(r);
            std::size_t chars = u16(r + 2);
            unicode_fits(r, n, 4, chars, "FORMAT");
            unsigned char flags = r[4];
            std::size_t header = 1 + ((flags & 8) ? 2 : 0) + ((flags & 4) ? 4 : 0);
            code = decode_chars(r + 4 + header, chars, flags & 1);
        }
        DateKind kind = freexl_format_kind(code);
        if (kind != DateKind::None && date_formats_.size() < kFreexlMaxFormats) date_formats_.emplace_back(index, kind);
        if (format_codes_.size() < kFreexlMaxFormats) format_codes_[index] = std::move(code);
    }

    void bound_sheet(const unsigned char* r, std::size_t n) {
        need(n, biff5_ ? 7 : 8, "BOUNDSHEET");
        std::size_t chars = r[6];
        bool wide = !biff5_ && r[7] != 0;  // FreeXL: any non-zero flag means UTF-16
        std::size_t at = biff5_ ? 7 : 8;   // Excel 5.0/95 has no flags byte: the name follows its count
        if (chars == 0 || at + (wide ? 2 * chars : chars) > n) damaged("a sheet name is cut short");
        if (scan_.sheets.size() >= limits_.max_sheets)
            throw ReadError("the workbook has more than " + std::to_string(limits_.max_sheets) + " sheets");
        BiffSheet s;
        s.offset = u32(r);
        switch (r[4] & 3) {
        case 1: s.visibility = SheetVisibility::Hidden; break;
        case 2: s.visibility = SheetVisibility::VeryHidden; break;
        default: break;
        }
        s.kind = r[5];
        s.name = biff5_ ? legacy_text(r + 7, chars) : decode_chars(r + 8, chars, wide);
        scan_.sheets.push_back(std::move(s));
        current_ = nullptr;  // pointers into sheets may have moved
    }

    // The shared string table, checked the way FreeXL 1.0.6's parse_SST reads it: a string's
    // header must lie inside its record, and the rest of a string split across records must fit
    // in the next one.
    void sst(const unsigned char* r, std::size_t n) {
        std::size_t p = 0;
        if (!sst_started_) {
            if (n < 8) damaged("the shared string table is too short");
            sst_started_ = true;
            sst_count_ = u32(r + 4);
            if (sst_count_ > kFreexlMaxStrings)
                throw ReadError("the workbook has " + std::to_string(sst_count_) +
                                " distinct texts, more than the xls reading library (FreeXL) accepts");
            p = 8;
        } else if (split_chars_ > 0) {
            if (n < 1) damaged("the shared string table is cut short");
            bool wide = r[0] & 1;
            p = 1 + (wide ? 2 * split_chars_ : split_chars_);
            if (p > n) damaged("a shared string runs over more than two records");
            p += split_skip_;
            next_skip_ = p >= n ? p - n : 0;
            split_chars_ = 0;
            split_skip_ = next_skip_;  // FreeXL keeps this in the wrong field; mirrored for the walk
            next_skip_ = 0;
            ++sst_index_;
        }
        for (std::uint64_t i = sst_index_; i < sst_count_; ++i) {
            if (p >= n) return;
            p += next_skip_;
            if (p + 3 > n) damaged("a shared string header is cut short");
            std::size_t chars = u16(r + p);
            p += 2;
            unsigned char flags = r[p];
            std::size_t header = 1 + ((flags & 8) ? 2 : 0) + ((flags & 4) ? 4 : 0);
            if (p + header > n) damaged("a shared string header is cut short");
            std::uint64_t runs = (flags & 8) ? u16(r + p + 1) : 0;
            std::uint64_t ext = (flags & 4) ? u32(r + p + 1 + ((flags & 8) ? 2 : 0)) : 0;
            std::uint64_t extra = ext + runs * 4;
            if (extra > 0xFFFF) damaged("a shared string has impossible formatting data");
            p += header;
            std::size_t body = (flags & 1) ? chars * 2 : chars;
            if (chars * 3 > limits_.max_string_bytes)
                throw ReadError("a cell text is longer than the limit of " + std::to_string(limits_.max_string_bytes) + " bytes");
            if (body > n - p) {
                split_chars_ = chars - ((flags & 1) ? (n - p) / 2 : (n - p));
                split_skip_ = extra;
                next_skip_ = 0;
                sst_index_ = i;
                return;
            }
            if (chars == 0) {
                // An empty text (Excel writes none, other producers do): FreeXL cannot convert
                // it, so it gets a copy where the text is a space, and the cells using it are
                // read as empty.
                empty_strings_.push_back(std::uint32_t(i));
                scan_.needs_rebuild = true;
                scan_.empty_shared_strings = true;
            }
            p += body + extra;
            next_skip_ = p >= n ? p - n : 0;
            sst_index_ = i + 1;
        }
    }

    void finish() {
        // FreeXL reads no Excel 5.0/95 text without a CODEPAGE record (Excel always writes one;
        // other producers may not): the copy it gets says 1252, as this scan assumed.
        if (biff5_ && !codepage_seen_) {
            scan_.needs_rebuild = true;
            scan_.add_codepage = true;
        }
        // FreeXL gives a sheet without DIMENSION the grid of whichever sheet came last in the
        // stream, wiping (and leaking) that sheet's cells; harmless only when that sheet is the
        // one without DIMENSION (a chart sheet at the end).
        std::size_t without = 0;
        for (std::size_t i = 0; i < scan_.sheets.size(); ++i) {
            if (scan_.sheets[i].has_dimension) continue;
            if (++without > 1 || std::ptrdiff_t(i) != last_bof_sheet_)
                throw ReadError("sheet '" + scan_.sheets[i].name +
                                "' has no DIMENSION record, which the xls reading library (FreeXL) cannot cope with "
                                "here; open the file in Excel or LibreOffice and save it as .xlsx");
        }
        scan_.xf_format_codes.reserve(xf_formats_.size());
        for (std::uint16_t fmt : xf_formats_) {
            auto own = format_codes_.find(fmt);
            std::string_view code = own != format_codes_.end() ? std::string_view(own->second) : builtin_number_format(fmt);
            scan_.xf_format_codes.emplace_back(code == "General" ? std::string_view() : code);
        }
        std::sort(keys_.begin(), keys_.end());
        // A cell given twice: FreeXL overwrites the first value without freeing its text (a
        // LABEL's, a date's), and Excel never writes one; taken for damage.
        if (auto twice = std::adjacent_find(keys_.begin(), keys_.end()); twice != keys_.end())
            damaged("sheet '" + scan_.sheets[std::size_t(*twice >> 32)].name + "' gives cell " +
                    CellRef{std::uint32_t(*twice >> 16 & 0xFFFF), std::uint32_t(*twice & 0xFFFF)}.a1() + " twice");
        for (std::uint64_t k : keys_) ++scan_.sheets[std::size_t(k >> 32)].freexl_cells;
    }

    const unsigned char* data_;
    std::size_t size_;
    const ReadLimits& limits_;
    BiffScan scan_;
    State state_ = State::ExpectFirstBof;
    std::uint16_t prev_type_ = 0;
    BiffSheet* current_ = nullptr;
    std::ptrdiff_t last_bof_sheet_ = -1;
    int nested_ = 0;
    std::vector<std::uint16_t> xf_formats_;
    std::vector<std::pair<std::uint16_t, DateKind>> date_formats_;
    std::unordered_map<std::uint16_t, std::string> format_codes_;  // FORMAT records: index -> code
    std::vector<std::uint64_t> keys_;
    std::uint64_t cells_ = 0, grid_ = 0;
    double date_days_ = 0;
    bool pending_string_ = false;
    std::uint32_t pending_row_ = 0, pending_col_ = 0;
    std::vector<std::uint32_t> empty_strings_;  // indices of empty shared strings, ascending
    bool biff5_ = false;
    bool codepage_seen_ = false;
    std::uint16_t codepage_ = 1252;
    bool sst_started_ = false;
    std::uint64_t sst_count_ = 0, sst_index_ = 0;
    std::size_t split_chars_ = 0;
    std::uint64_t split_skip_ = 0, next_skip_ = 0;
};

// The shared string table read across its records ([MS-XLS] 2.4.265: a string's characters may
// continue in the next record after a new flags byte; its formatting runs and extension data
// run on without one), as UTF-16 code units per string.
std::vector<std::u16string> read_shared_strings(const std::vector<std::string_view>& bodies) {
    std::size_t rec = 0, pos = 8;
    auto byte = [&]() -> unsigned {
        while (rec < bodies.size() && pos >= bodies[rec].size()) {
            ++rec;
            pos = 0;
        }
        if (rec >= bodies.size()) damaged("the shared string table is cut short");
        return static_cast<unsigned char>(bodies[rec][pos++]);
    };
    if (bodies.empty() || bodies[0].size() < 8) damaged("the shared string table is too short");
    std::uint32_t unique = u32(reinterpret_cast<const unsigned char*>(bodies[0].data()) + 4);
    std::vector<std::u16string> out;
    out.reserve(std::min<std::uint32_t>(unique, kFreexlMaxStrings));
    for (std::uint32_t i = 0; i < unique; ++i) {
        // One byte at a time, in order (the operands of | are not sequenced).
        auto little_endian = [&](int bytes) {
            std::size_t v = 0;
            for (int k = 0; k < bytes; ++k) v |= std::size_t(byte()) << (8 * k);
            return v;
        };
        std::size_t chars = little_endian(2);
        unsigned flags = byte();
        std::size_t runs = (flags & 8) ? little_endian(2) : 0;
        std::size_t ext = (flags & 4) ? little_endian(4) : 0;
        bool wide = flags & 1;
        std::u16string s;
        s.reserve(chars);
        while (s.size() < chars) {
            if (rec < bodies.size() && pos >= bodies[rec].size() && rec + 1 < bodies.size()) {
                ++rec;  // the characters go on in the next record, after a flags byte of their own
                pos = 0;
                wide = byte() & 1;
            }
            unsigned lo = byte();
            s.push_back(char16_t(wide ? lo | byte() << 8 : lo));
        }
        for (std::size_t k = 0; k < runs * 4 + ext; ++k) byte();
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace

std::string shared_strings_without_empty_texts(const std::vector<std::string_view>& bodies) {
    std::vector<std::u16string> strings = read_shared_strings(bodies);
    auto put16 = [](std::string& o, std::size_t v) {
        o += char(v & 0xFF);
        o += char(v >> 8 & 0xFF);
    };
    std::string out;
    std::string body;
    auto flush = [&](std::uint16_t type) {
        put16(out, type);
        put16(out, body.size());
        out += body;
        body.clear();
    };
    std::uint16_t type = kSst;
    body = std::string(bodies[0].substr(0, 4));  // the count of uses stays; the count of texts is ours
    put16(body, strings.size() & 0xFFFF);
    put16(body, strings.size() >> 16);
    for (std::u16string& s : strings) {
        if (s.empty()) s.push_back(u' ');
        bool wide = std::any_of(s.begin(), s.end(), [](char16_t c) { return c > 0xFF; });
        std::size_t unit = wide ? 2 : 1;
        if (body.size() + 3 + unit > kMaxRecord) {  // a string's header is never split
            flush(type);
            type = kContinue;
        }
        put16(body, s.size());
        body += char(wide ? 1 : 0);
        std::size_t done = 0;
        int records = 1;
        while (done < s.size()) {
            if (body.size() + unit > kMaxRecord) {
                // FreeXL takes the rest of a split string from the next record alone.
                if (++records > 2)
                    throw ReadError("a shared text is too long for the xls reading library (FreeXL) to be handed a "
                                    "cleaned copy; open it in Excel or LibreOffice and save it as .xlsx");
                flush(type);
                type = kContinue;
                body += char(wide ? 1 : 0);
            }
            char16_t c = s[done++];
            body += char(c & 0xFF);
            if (wide) body += char(c >> 8);
        }
    }
    flush(type);
    return out;
}

BiffScan scan_biff(std::string_view stream, const ReadLimits& limits) { return Scanner(stream, limits).run(); }

std::string rebuild_for_freexl(std::string_view stream, const BiffScan& scan) {
    std::uint64_t grid = 0;
    for (const BiffSheet& s : scan.sheets) grid += std::uint64_t(s.used_rows) * s.used_cols;
    if (grid > kFreexlGridBudget)
        throw ReadError("the sheets hold values across " + std::to_string(grid) +
                        " cells, more than the xls reading library (FreeXL) can hold; save it as .xlsx");
    auto data = reinterpret_cast<const unsigned char*>(stream.data());
    std::string out;
    out.reserve(stream.size());
    std::vector<std::size_t> bound_sheets;  // where each BOUNDSHEET's offset field sits in `out`
    std::vector<std::pair<std::uint32_t, std::uint32_t>> moved;  // old BOF offset -> new
    const BiffSheet* sheet = nullptr;
    int level = 0;  // 0 between substreams, 1 in one, 2+ in an embedded one
    std::size_t pos = 0;
    while (pos + 4 <= stream.size()) {
        std::uint16_t type = u16(data + pos), len = u16(data + pos + 2);
        if (type == 0 && len == 0) break;
        std::string_view rec = stream.substr(pos, 4 + std::size_t(len));
        std::size_t old_pos = pos;
        pos += rec.size();
        if (type == kSst && level == 1 && scan.empty_shared_strings) {
            // The table and its CONTINUE records, written again with each empty text a space.
            std::vector<std::string_view> bodies{stream.substr(old_pos + 4, len)};
            while (pos + 4 <= stream.size() && u16(data + pos) == kContinue) {
                std::size_t clen = u16(data + pos + 2);
                if (pos + 4 + clen > stream.size()) break;
                bodies.push_back(stream.substr(pos + 4, clen));
                pos += 4 + clen;
            }
            out += shared_strings_without_empty_texts(bodies);
            continue;
        }
        if (type == 0x00FF && scan.empty_shared_strings) continue;  // EXTSST: offsets into the old table
        if (type == kBof) {
            if (level++ > 0) continue;
            moved.emplace_back(std::uint32_t(old_pos), std::uint32_t(out.size()));
            sheet = nullptr;
            for (const BiffSheet& s : scan.sheets)
                if (s.offset == old_pos) sheet = &s;
        } else if (type == kEof) {
            if (level-- > 1) continue;
        } else if (level > 1) {
            continue;
        }
        std::size_t at = out.size();
        out.append(rec);
        if (type == kBof && at == 0 && scan.add_codepage) out.append("\x42\x00\x02\x00\xE4\x04", 6);  // CODEPAGE 1252
        if (type == kBoundSheet && level == 1) bound_sheets.push_back(at + 4);
        if (type == kDimension && level == 1 && sheet && scan.biff5 && len >= 10) {
            // Excel 5.0/95: 16-bit first row, last row + 1, first column, last column + 1.
            const std::uint32_t fields[4] = {0, sheet->used_rows, 0, sheet->used_cols};
            for (std::size_t f = 0; f < 4; ++f) {
                out[at + 4 + 2 * f] = char(fields[f]);
                out[at + 4 + 2 * f + 1] = char(fields[f] >> 8);
            }
        } else if (type == kDimension && level == 1 && sheet && len >= 14) {
            auto put32 = [&](std::size_t o, std::uint32_t v) {
                for (int i = 0; i < 4; ++i) out[at + 4 + o + std::size_t(i)] = char(v >> (8 * i));
            };
            auto put16 = [&](std::size_t o, std::uint32_t v) {
                out[at + 4 + o] = char(v);
                out[at + 4 + o + 1] = char(v >> 8);
            };
            put32(0, 0);
            put32(4, sheet->used_rows);
            put16(8, 0);
            put16(10, sheet->used_cols);
        }
    }
    for (std::size_t field : bound_sheets) {
        std::uint32_t old_offset = u32(reinterpret_cast<const unsigned char*>(out.data()) + field);
        for (const auto& [from, to] : moved)
            if (from == old_offset)
                for (int i = 0; i < 4; ++i) out[field + std::size_t(i)] = char(to >> (8 * i));
    }
    if (out.size() < 4096) out.resize(4096, '\0');  // an empty record ends the stream for FreeXL
    return out;
}

std::optional<double> freexl_date_serial(std::string_view text, bool date1904) {
    if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto digits = [&](std::size_t at, std::size_t count) -> int {
        int v = 0;
        for (std::size_t i = at; i < at + count; ++i) {
            if (text[i] < '0' || text[i] > '9') return -1;
            v = v * 10 + (text[i] - '0');
        }
        return v;
    };
    int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    auto leap = [](int year) { return year % 4 == 0; };  // FreeXL's rule, not the Gregorian one
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    auto ordinal = [&](int yy, int mm, int dd) {  // 1900-01-01 is 1
        long long n = 0;
        for (int k = 1900; k < yy; ++k) n += leap(k) ? 366 : 365;
        for (int k = 1; k < mm; ++k) n += (k == 2 && leap(yy)) ? 29 : kDays[k - 1];
        return n + dd;
    };
    long long n = ordinal(y, m, d);
    if (!date1904) return double(n);
    // FreeXL counts 1904-system serial 1 as 1904-01-02; that day is 1900-system serial 1463.
    long long serial1904 = n - ordinal(1904, 1, 2) + 1;
    return double(serial1904 + 1462);
}

}  // namespace planconv
