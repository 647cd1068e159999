// Streaming a worksheet part: <sheetData> rows and cells, <mergeCells>; everything else
// (column widths, views, conditional formats, extensions) is skipped unread.
//
// This is the hot loop of every conversion: a 50,000-row return is 300,000 <c> elements. Per
// cell it makes one pass over the attributes, reuses its text buffers, and stores text by
// reference to the string pool.
#include "read/XlsxWorksheet.hpp"

#include "read/ExcelNumberFormat.hpp"
#include "read/FormulaShift.hpp"
#include "read/XlsxPackage.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <unordered_map>

namespace planconv {

namespace {

// The t attribute of <c> (ST_CellType).
enum class ValueType : std::uint8_t { Number, SharedString, FormulaString, InlineString, Bool, Error, IsoDate };

ValueType value_type(std::string_view t) {
    if (t.empty() || t == "n") return ValueType::Number;
    if (t == "s") return ValueType::SharedString;
    if (t == "str") return ValueType::FormulaString;
    if (t == "inlineStr") return ValueType::InlineString;
    if (t == "b") return ValueType::Bool;
    if (t == "e") return ValueType::Error;
    if (t == "d") return ValueType::IsoDate;
    return ValueType::Number;  // unknown: read the value as a number if it is one, else as text
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

template <class T>
std::optional<T> parse_integer(std::string_view s) {
    T v{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

std::optional<double> parse_double(std::string_view s) {
    s = trim(s);
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty() || !std::isfinite(v)) return std::nullopt;
    return v;
}

// A cell reference as written in r="AB12": 0-based, not yet checked against the limits
// (so that the message can say which limit). Columns and rows saturate instead of overflowing.
struct RawRef {
    std::uint64_t row = 0;
    std::uint64_t col = 0;
};

std::optional<RawRef> parse_raw_ref(std::string_view s) {
    constexpr std::uint64_t kSaturate = std::uint64_t(1) << 40;
    std::size_t i = 0;
    std::uint64_t col = 0, row = 0;
    for (; i < s.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') col = col * 26 + std::uint64_t(c - 'A' + 1);
        else if (c >= 'a' && c <= 'z') col = col * 26 + std::uint64_t(c - 'a' + 1);
        else break;
        if (col > kSaturate) col = kSaturate;
    }
    if (i == 0 || i == s.size()) return std::nullopt;
    for (; i < s.size(); ++i) {
        char c = s[i];
        if (c < '0' || c > '9') return std::nullopt;
        row = row * 10 + std::uint64_t(c - '0');
        if (row > kSaturate) row = kSaturate;
    }
    if (row == 0) return std::nullopt;
    return RawRef{row - 1, col - 1};
}

// t="d" cells hold ISO 8601 text: "2016-11-30", "2016-11-30T13:05:00(.250)(Z)", "13:05:00".
std::optional<TypedNumber> parse_iso_cell(std::string_view s) {
    s = trim(s);
    if (!s.empty() && s.back() == 'Z') s.remove_suffix(1);
    std::optional<Date> date;
    if (s.size() >= 10 && s[4] == '-') {
        date = Date::parse_iso(s.substr(0, 10));
        if (!date) return std::nullopt;
        s.remove_prefix(10);
        if (!s.empty() && s.front() == 'T') s.remove_prefix(1);
    }
    double seconds = 0;
    bool has_time = !s.empty();
    if (has_time) {
        auto two = [&](std::size_t at) { return parse_integer<int>(s.substr(at, 2)); };
        if (s.size() < 5 || s[2] != ':') return std::nullopt;
        auto h = two(0), m = two(3);
        std::optional<double> sec = 0.0;
        if (s.size() > 5) {
            if (s[5] != ':') return std::nullopt;
            sec = parse_double(s.substr(6));
        }
        if (!h || !m || !sec || *h > 23 || *m > 59 || *sec < 0 || *sec >= 61) return std::nullopt;
        seconds = *h * 3600.0 + *m * 60.0 + *sec;
    }
    if (!date) {
        if (!has_time) return std::nullopt;
        return TypedNumber{CellType::Time, seconds / 86400.0};
    }
    double serial = date->excel_serial() + seconds / 86400.0;
    return TypedNumber{seconds == 0 ? CellType::Date : CellType::DateTime, serial};
}

struct SharedFormula {
    CellRef at;
    std::string text;
};

class WorksheetReader {
public:
    WorksheetReader(XmlStream& xml, Sheet& sheet, Workbook& wb, WorksheetContext& ctx, const ReadLimits& limits)
        : xml_(xml), sheet_(sheet), wb_(wb), ctx_(ctx), limits_(limits), names_(xml), rich_text_(xml, limits.max_string_bytes) {}

    SharedStringCells read() {
        while (xml_.next()) {
            if (xml_.node() != XmlStream::Node::Element || xml_.depth() != 1) continue;
            if (xml_.has_name(names_.sheetData))
                read_sheet_data();
            else if (xml_.has_name(names_.mergeCells))
                read_merge_cells();
            else
                xml_.skip();
        }
        return std::move(shared_cells_);
    }

private:
    // The element names of SpreadsheetML a worksheet is read by.
    struct Names {
        explicit Names(XmlStream& x)
            : sheetData(x.intern("sheetData")), mergeCells(x.intern("mergeCells")), mergeCell(x.intern("mergeCell")),
              row(x.intern("row")), c(x.intern("c")), v(x.intern("v")), f(x.intern("f")), is(x.intern("is")),
              cell_attributes{x.intern("r"), x.intern("t"), x.intern("s")}, row_attributes{x.intern("r")} {}
        XmlStream::Name sheetData, mergeCells, mergeCell, row, c, v, f, is;
        std::array<XmlStream::Name, 3> cell_attributes;  // r, t, s of <c>
        std::array<XmlStream::Name, 1> row_attributes;   // r of <row>
    };

    // Calls fn() on each child element of the current element (fn reads or skips it); returns
    // on the element's end.
    template <class Fn>
    void for_each_child(Fn&& fn) {
        if (xml_.is_empty_element()) return;
        const int d = xml_.depth();
        while (xml_.next()) {
            XmlStream::Node node = xml_.node();
            if (node == XmlStream::Node::EndElement && xml_.depth() == d) return;
            if (node == XmlStream::Node::Element) fn();
        }
    }

    void read_sheet_data() {
        for_each_child([&] {
            if (xml_.has_name(names_.row))
                read_row();
            else
                xml_.skip();
        });
    }

    void read_row() {
        std::array<std::string_view, 1> v;
        xml_.attributes(names_.row_attributes, v);
        // A row without r follows the previous one (producers that stream rows leave it out).
        std::uint64_t row = next_row_;
        if (!v[0].empty()) {
            auto r = parse_integer<std::uint64_t>(trim(v[0]));
            if (!r || *r == 0) fail("has a row with a malformed number r=\"" + std::string(v[0].substr(0, 20)) + "\"");
            row = *r - 1;
        }
        if (row >= limits_.max_rows) fail_row("row " + grouped(row + 1));
        row_ = std::uint32_t(row);
        next_row_ = row + 1;
        next_col_ = 0;
        for_each_child([&] {
            if (xml_.has_name(names_.c))
                read_cell();
            else
                xml_.skip();
        });
    }

    void read_cell() {
        std::array<std::string_view, 3> a;
        xml_.attributes(names_.cell_attributes, a);
        const CellRef at = cell_position(a[0]);
        const ValueType type = value_type(a[1]);
        const XlsxCellFormat& style = ctx_.styles.at(parse_integer<std::uint32_t>(a[2]).value_or(0));

        bool has_value = false, has_inline = false, has_formula = false;
        FormulaAttributes formula;
        for_each_child([&] {
            if (xml_.has_name(names_.v)) {
                xml_.read_text(value_, limits_.max_string_bytes);
                has_value = true;
            } else if (xml_.has_name(names_.f)) {
                formula = formula_attributes();
                xml_.read_text(formula_, limits_.max_string_bytes);
                has_formula = true;
            } else if (xml_.has_name(names_.is)) {
                rich_text_.read(inline_);
                has_inline = true;
            } else {
                xml_.skip();
            }
        });
        if (has_formula) store_formula(at, formula);

        Cell cell;
        cell.row = at.row;
        cell.col = at.col;
        cell.format = style.format;
        if (type == ValueType::InlineString) {
            if (has_inline) set_text(cell, inline_, false);
        } else if (has_value) {
            set_value(cell, type, style);
        }
        if (cell.type != CellType::Empty) add(cell);
    }

    void set_value(Cell& cell, ValueType type, const XlsxCellFormat& style) {
        switch (type) {
        case ValueType::SharedString: {
            if (trim(value_).empty()) return;  // <c t="s"><v/></c>: an empty cell, as Excel reads it
            auto i = parse_integer<std::uint32_t>(trim(value_));
            if (!i)
                fail("has a cell (" + cell.ref().a1() + ") that refers to shared string '" + value_.substr(0, 20) +
                     "', which is not a number (the file is damaged)");
            // Settled by finish_worksheet, once the table is read.
            cell.text = *i;
            cell.type = CellType::String;
            shared_cells_.push_back(std::uint32_t(sheet_.cells().size()));
            return;
        }
        case ValueType::FormulaString: set_text(cell, value_, true); return;
        case ValueType::Error: set_error(cell, trim(value_)); return;
        case ValueType::Bool: {
            std::string_view v = trim(value_);  // "1"/"0" as Excel writes; "true"/"false" as xsd allows
            std::optional<double> n = v == "true" ? 1.0 : v == "false" ? 0.0 : parse_double(v);
            if (!n) return set_text(cell, value_, false);
            cell.type = CellType::Bool;
            cell.number = *n != 0 ? 1 : 0;
            return;
        }
        case ValueType::IsoDate: {
            auto d = parse_iso_cell(value_);
            if (!d) return set_text(cell, value_, false);
            cell.type = d->type;
            cell.number = d->number;
            return;
        }
        case ValueType::Number:
        case ValueType::InlineString: break;
        }
        auto n = parse_double(value_);
        if (!n) {
            if (!trim(value_).empty()) set_text(cell, value_, false);  // not a number: keep what it says
            return;
        }
        TypedNumber typed = type_formatted_number(*n, style.kind, ctx_.date1904);
        cell.type = typed.type;
        cell.number = typed.number;
    }

    // Text written into the cell itself (inline, a formula's text result); shared strings never
    // come here.
    void set_text(Cell& cell, std::string& text, bool decode) {
        if (decode) decode_ooxml_escapes(text);
        if (text.empty()) return;
        cell.type = CellType::String;
        cell.text = wb_.intern(text);
    }

    void set_error(Cell& cell, std::string_view code) {
        if (code.empty()) return;
        // A sheet of #N/A holds a handful of distinct codes: store each once.
        auto it = errors_.find(code);
        if (it == errors_.end()) it = errors_.emplace(std::string(code), wb_.intern(std::string(code))).first;
        cell.type = CellType::Error;
        cell.text = it->second;
    }

    void add(const Cell& cell) {
        if (++ctx_.cells_read > limits_.max_cells)
            throw ReadError("the workbook has more than " + grouped(limits_.max_cells) +
                            " non-empty cells, more than the limit (sheet '" + sheet_.name + "')");
        sheet_.add(cell);
    }

    // --- positions ---------------------------------------------------------------------------

    CellRef cell_position(std::string_view r) {
        std::uint64_t row = row_, col = next_col_;
        if (!r.empty()) {
            auto raw = parse_raw_ref(r);
            if (!raw) fail("has a cell with a malformed reference r=\"" + std::string(r.substr(0, 20)) + "\"");
            row = raw->row;
            col = raw->col;
            if (row >= limits_.max_rows) fail_row("a cell at " + std::string(r.substr(0, 20)));
        }
        if (col >= limits_.max_cols)
            fail("has a cell in column " + (r.empty() ? grouped(col + 1) : std::string(r.substr(0, 20))) +
                 ", beyond the limit of " + grouped(limits_.max_cols) + " columns" +
                 (limits_.max_cols == kMaxCols ? " (Excel's maximum, column XFD)" : ""));
        next_col_ = col + 1;
        return CellRef{std::uint32_t(row), std::uint32_t(col)};
    }

    [[noreturn]] void fail_row(const std::string& what) const {
        fail("has " + what + ", beyond the limit of " + grouped(limits_.max_rows) + " rows" +
             (limits_.max_rows == kMaxRows ? " (Excel's maximum)" : ""));
    }

    // --- formulas ----------------------------------------------------------------------------

    struct FormulaAttributes {
        bool shared = false;
        std::optional<std::uint32_t> group;  // si
    };

    FormulaAttributes formula_attributes() {
        static constexpr std::array<std::string_view, 2> kNames{"t", "si"};
        std::array<std::string_view, 2> v;
        xml_.attributes(kNames, v);
        return {v[0] == "shared", parse_integer<std::uint32_t>(v[1])};
    }

    // A shared formula's first cell carries the text; the others are that text moved to them.
    void store_formula(CellRef at, const FormulaAttributes& f) {
        if (f.shared && f.group) {
            if (!formula_.empty()) {
                shared_formulas_[*f.group] = {at, formula_};
            } else if (auto it = shared_formulas_.find(*f.group); it != shared_formulas_.end()) {
                const SharedFormula& first = it->second;
                sheet_.formulas[at] = shift_formula(first.text, std::int64_t(at.row) - first.at.row,
                                                    std::int64_t(at.col) - first.at.col);
                return;
            }
        }
        if (!formula_.empty()) sheet_.formulas[at] = formula_;
    }

    // --- merged ranges -----------------------------------------------------------------------

    void read_merge_cells() {
        static constexpr std::array<std::string_view, 1> kNames{"ref"};
        std::array<std::string_view, 1> v;
        for_each_child([&] {
            if (!xml_.has_name(names_.mergeCell)) return xml_.skip();
            xml_.attributes(kNames, v);
            add_merge(trim(v[0]));
        });
    }

    void add_merge(std::string_view ref) {
        auto range = CellRange::parse(ref);
        if (!range) {
            // Beyond the sheet is refused like a cell there; otherwise a malformed range only
            // loses formatting, so it is ignored.
            auto colon = ref.find(':');
            for (std::string_view end : {ref.substr(0, colon), colon == std::string_view::npos ? ref : ref.substr(colon + 1)})
                if (auto raw = parse_raw_ref(end); raw && (raw->row >= kMaxRows || raw->col >= kMaxCols))
                    fail("has a merged range " + std::string(ref.substr(0, 40)) + " that reaches beyond Excel's limits of " +
                         grouped(kMaxRows) + " rows and " + grouped(kMaxCols) + " columns");
            return;
        }
        if (range->area() <= 1) return;
        merged_area_ += range->area();
        if (merged_area_ > limits_.max_merged_area)
            fail("has merged ranges covering more than " + grouped(limits_.max_merged_area) +
                 " cells (the merged range " + range->a1() + " alone covers " + grouped(range->area()) +
                 "), more than the limit");
        sheet_.merged.push_back(*range);
    }

    [[noreturn]] void fail(const std::string& what) const { throw ReadError("sheet '" + sheet_.name + "' " + what); }

    XmlStream& xml_;
    Sheet& sheet_;
    Workbook& wb_;
    WorksheetContext& ctx_;
    const ReadLimits& limits_;
    std::uint32_t row_ = 0;        // 0-based, of the <row> being read
    std::uint64_t next_row_ = 0;   // for a <row> without r
    std::uint64_t next_col_ = 0;   // for a <c> without r
    const Names names_;
    RichTextReader rich_text_;
    std::string value_, formula_, inline_;  // reused for every cell
    std::unordered_map<std::uint32_t, SharedFormula> shared_formulas_;
    std::map<std::string, std::uint32_t, std::less<>> errors_;
    std::uint64_t merged_area_ = 0;
    SharedStringCells shared_cells_;
};

}  // namespace

SharedStringCells read_worksheet(ZipArchive& zip, const std::string& part_name, Sheet& sheet, Workbook& wb, WorksheetContext& ctx) {
    XmlPart part(zip, part_name, zip.limits().max_string_bytes);
    if (part.root() != "worksheet" || !part.in_spreadsheet_namespace())
        throw ReadError("sheet '" + sheet.name + "': part '" + part_name + "' is not a worksheet");
    return WorksheetReader(part.xml(), sheet, wb, ctx, zip.limits()).read();
}

void finish_worksheet(Sheet& sheet, const SharedStringCells& cells, const SharedStrings& shared, const Workbook& wb) {
    std::vector<Cell>& added = sheet.unfinished_cells();
    bool emptied = false;
    for (std::uint32_t at : cells) {
        Cell& cell = added[at];
        if (cell.text >= shared.count)
            throw ReadError("sheet '" + sheet.name + "' has a cell (" + cell.ref().a1() + ") that refers to shared string '" +
                            std::to_string(cell.text) + "', but the shared-strings table holds only " +
                            grouped(shared.count) + " (the file is damaged)");
        cell.text += shared.first;
        if (wb.strings()[cell.text].empty()) {
            cell.type = CellType::Empty;
            emptied = true;
        }
    }
    if (emptied) std::erase_if(added, [](const Cell& c) { return c.type == CellType::Empty; });
    sheet.finish();
    sheet.drop_cells_under_merges();
}

}  // namespace planconv
