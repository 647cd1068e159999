// XlsxBook: an xlsx workbook being written with libxlsxwriter, the way every planconv workbook
// is written — atomically (libxlsxwriter writes AtomicFile::temp_path(), close() renames), with
// cell text made safe for Excel and XML, legal unique sheet names, and formats asked for by
// description and made once. The cleaned workbook and the return template both use it.
#pragma once

#include "files/AtomicFile.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

typedef struct lxw_workbook lxw_workbook;
typedef struct lxw_worksheet lxw_worksheet;
typedef struct lxw_format lxw_format;

namespace planconv {

class XlsxWriteError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Excel's limit on the text of one cell (and of a comment), in UTF-16 code units.
inline constexpr std::size_t kMaxCellChars = 32767;

// Text as a cell can hold it: invalid UTF-8 becomes U+FFFD; characters XML 1.0 forbids (C0
// controls other than tab and line feed, U+FFFE, U+FFFF) are removed and "\r\n" becomes "\n";
// text longer than `max_chars` is cut at a character boundary and ends with "…".
std::string safe_cell_text(std::string_view text, std::size_t max_chars = kMaxCellChars);

// True when Excel would take typed text for a formula or a command (=, +, -, @, tab, CR first).
// Such text is only ever written with worksheet_write_string; the check picks a text style.
bool looks_like_formula(std::string_view text);

// A sheet name Excel accepts: no []:*?/\, no leading or trailing apostrophe, not empty, at most
// 31 characters, and unlike every name in `taken` (case-insensitively; " 2", " 3"… added).
// The name is added to `taken`.
std::string legal_sheet_name(std::string_view wanted, std::vector<std::string>& taken);

// "'Actions'!D12": the location of an internal hyperlink to a cell.
std::string sheet_cell_location(std::string_view sheet, std::uint32_t row, std::uint32_t col);

// Characters in the longest line of `text` (code points), for column widths.
std::size_t longest_line(std::string_view text);
// Lines `text` takes in a column `width` characters wide when wrapped at spaces, as Excel and
// LibreOffice wrap it (a word longer than a line is broken).
std::size_t wrapped_lines(std::string_view text, double width);

// What a cell looks like. Formats are made once per distinct style.
struct CellStyle {
    std::string num_format;            // "" = General
    bool bold = false;
    bool italic = false;
    bool wrap = false;
    bool top = true;                   // vertical alignment: top (tables of long text read better)
    bool locked = true;                // matters only on protected sheets
    bool underline = false;            // hyperlinks
    std::optional<std::uint32_t> fill;        // RGB
    std::optional<std::uint32_t> font_colour; // RGB
    std::optional<std::uint32_t> border;      // RGB of a thin box border
    double font_size = 0;              // 0 = default
    // Horizontal alignment with a one-character indent, so that a right-aligned number and the
    // left-aligned text beside it never run together ("72Annual Indicator").
    enum class Align : std::uint8_t { General, Left, Right };
    Align align = Align::General;

    friend auto operator<=>(const CellStyle&, const CellStyle&) = default;
};

// The header row of the cleaned workbook's sheets: bold white wrapped text on dark blue.
inline CellStyle cleaned_header_style() {
    CellStyle st;
    st.bold = true;
    st.wrap = true;
    st.fill = 0x1F4E78;
    st.font_colour = 0xFFFFFF;
    return st;
}

// How a sheet prints (SPEC §9): A4 landscape, one page wide, the header row on every page, the
// plan's title and source file at the top, its reporting date and "Page N of M" at the foot.
struct PrintLayout {
    std::string title;          // the plan's title (else the source file)
    std::string source;         // the input file
    std::string reporting_date; // as people read it ("30 Nov 2016"); "" when unknown
    bool repeat_header = true;  // row 1 is a header row to repeat on every page
};

// Sets up `ws` to print as `layout` says. Throws XlsxWriteError.
void set_print_layout(lxw_worksheet* ws, const PrintLayout& layout);

// Height in points of a row whose tallest cell wraps to `lines` lines (Calibri 11).
double row_height_for(std::size_t lines);

struct BookProperties {
    std::string title, subject, author, company, keywords, comments;
    std::vector<std::pair<std::string, std::string>> custom;  // name -> text
};

class XlsxBook {
public:
    // constant_memory: rows are streamed to disk as they are written (so each sheet must be
    // written top to bottom) and strings are stored inline; memory stays flat for big tables.
    // small: a workbook of a few thousand rows at most, whose scratch files may live in memory.
    XlsxBook(const std::filesystem::path& file, bool constant_memory, bool small = false);
    ~XlsxBook();
    XlsxBook(const XlsxBook&) = delete;
    XlsxBook& operator=(const XlsxBook&) = delete;

    lxw_workbook* get() const { return wb_; }

    // Adds a sheet under a legal, unique version of `wanted`; returns the name used.
    lxw_worksheet* add_sheet(std::string_view wanted, std::string* used_name = nullptr);
    // Reserves a name so that later sheets do not take it (the Findings sheet).
    std::string reserve_sheet_name(std::string_view wanted);
    lxw_worksheet* add_reserved_sheet(const std::string& name);

    lxw_format* format(const CellStyle& style);

    void set_properties(const BookProperties& properties);

    // Writes the file and renames it into place. Throws XlsxWriteError or AtomicFileError.
    void close();

private:
    AtomicFile file_;
    lxw_workbook* wb_ = nullptr;
    std::vector<std::string> taken_;
    std::map<CellStyle, lxw_format*> formats_;
    BookProperties properties_;  // libxlsxwriter keeps pointers until close
};

// Throws XlsxWriteError naming `what` when libxlsxwriter reports an error.
void check_lxw(int error, std::string_view what);

}  // namespace planconv
