// ods reader: content.xml streamed from the zip, table by table, row by row.
//
// Only non-empty cells are materialised: producers pad every row to 16,384 columns and every
// table to 1,048,576 rows with repeated empty cells, which cost nothing here. A repeated cell or
// row that does hold a value is expanded, within the row, column and cell limits.
// Kept: values by office:value-type (percentages and currencies as plain numbers, dates and
// date-times as 1900-system serials, times as day fractions), text with ODF's white-space rules,
// merged ranges from the spans, hidden tables (table:display="false"), formulas in Excel's A1
// style. Not kept: values hidden under a merged range (covered cells, or plain cells a span
// reaches over; Excel keeps none either), comments, number formats (Cell::format stays
// "General"), table protection.
#include "read/WorkbookReader.hpp"
#include "read/XmlStream.hpp"
#include "read/ZipArchive.hpp"

#include <charconv>
#include <cmath>
#include <set>

namespace planconv {

namespace {

constexpr std::string_view kTableNs = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
constexpr std::string_view kTextNs = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
constexpr std::string_view kOfficeNs = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
constexpr std::string_view kStyleNs = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
constexpr std::string_view kManifestNs = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0";
constexpr std::string_view kCalcExtNs = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0";

std::optional<double> parse_double(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

// A repeat or span count; saturated at 2^32 so sums with positions can never wrap.
std::optional<std::uint64_t> parse_count(std::string_view s) {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc::result_out_of_range) return std::uint64_t(1) << 32;
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return std::min<std::uint64_t>(v, std::uint64_t(1) << 32);
}

// A non-negative integer of up to `digits` digits at s[pos]; advances pos.
std::optional<int> take_int(std::string_view s, std::size_t& pos, std::size_t min_digits, std::size_t max_digits) {
    std::size_t start = pos;
    int v = 0;
    while (pos < s.size() && pos - start < max_digits && s[pos] >= '0' && s[pos] <= '9') v = v * 10 + (s[pos++] - '0');
    if (pos - start < min_digits) return std::nullopt;
    return v;
}

// Seconds (with fraction) at s[pos], as in "30" or "30.25".
std::optional<double> take_seconds(std::string_view s, std::size_t& pos) {
    std::size_t start = pos;
    while (pos < s.size() && ((s[pos] >= '0' && s[pos] <= '9') || s[pos] == '.')) ++pos;
    if (pos == start) return std::nullopt;
    return parse_double(s.substr(start, pos - start));
}

struct DateValue {
    double serial;
    bool has_time;
};

// office:date-value: "2016-11-30" or "2017-01-15T09:30:00[.fff][Z|+hh:mm]" (a zone is ignored:
// spreadsheets hold wall-clock times).
std::optional<DateValue> parse_date_value(std::string_view s) {
    std::size_t pos = 0;
    auto y = take_int(s, pos, 4, 4);
    if (!y || pos >= s.size() || s[pos++] != '-') return std::nullopt;
    auto m = take_int(s, pos, 2, 2);
    if (!m || pos >= s.size() || s[pos++] != '-') return std::nullopt;
    auto d = take_int(s, pos, 2, 2);
    if (!d) return std::nullopt;
    auto date = Date::from_ymd(*y, *m, *d);
    if (!date) return std::nullopt;
    double serial = date->excel_serial();
    if (serial < 0) return std::nullopt;  // before Excel's calendar
    if (pos == s.size()) return DateValue{serial, false};
    if (s[pos++] != 'T') return std::nullopt;
    auto hh = take_int(s, pos, 2, 2);
    if (!hh || pos >= s.size() || s[pos++] != ':') return std::nullopt;
    auto mm = take_int(s, pos, 2, 2);
    if (!mm) return std::nullopt;
    double ss = 0;
    if (pos < s.size() && s[pos] == ':') {
        ++pos;
        auto sec = take_seconds(s, pos);
        if (!sec) return std::nullopt;
        ss = *sec;
    }
    if (*hh > 24 || *mm > 59 || ss >= 61) return std::nullopt;
    return DateValue{serial + (*hh * 3600.0 + *mm * 60.0 + ss) / 86400.0, true};
}

// office:time-value, an ISO 8601 duration: "PT12H30M00S", "PT012H30M00S", "P1DT2H", "-PT1H".
std::optional<double> parse_time_value(std::string_view s) {
    bool negative = false;
    if (!s.empty() && s.front() == '-') {
        negative = true;
        s.remove_prefix(1);
    }
    if (s.empty() || s.front() != 'P') return std::nullopt;
    std::size_t pos = 1;
    double seconds = 0;
    bool in_time = false, any = false;
    while (pos < s.size()) {
        if (s[pos] == 'T') {
            in_time = true;
            ++pos;
            continue;
        }
        auto v = take_seconds(s, pos);
        if (!v || pos >= s.size()) return std::nullopt;
        char unit = s[pos++];
        any = true;
        if (!in_time && unit == 'D') seconds += *v * 86400;
        else if (in_time && unit == 'H') seconds += *v * 3600;
        else if (in_time && unit == 'M') seconds += *v * 60;
        else if (in_time && unit == 'S') seconds += *v;
        else return std::nullopt;
    }
    if (!any) return std::nullopt;
    return (negative ? -seconds : seconds) / 86400.0;
}

bool is_error_literal(std::string_view s) {
    for (std::string_view e : {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})
        if (s == e) return true;
    return false;
}

bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// OpenFormula ("of:=SUM([.C3:.C4])", "of:=[Other.A1]*2") -> the Excel-style text the model keeps
// ("SUM(C3:C4)", "Other!A1*2"). References lose their brackets and dots; ';' separates
// arguments as ',' does in Excel. Text inside string literals is left alone.
std::string formula_text(std::string_view f) {
    for (std::string_view prefix : {"of:=", "oooc:=", "msoxl:=", "="}) {
        if (f.substr(0, prefix.size()) == prefix) {
            f.remove_prefix(prefix.size());
            break;
        }
    }
    std::string out;
    out.reserve(f.size());
    bool in_string = false;
    for (std::size_t i = 0; i < f.size(); ++i) {
        char c = f[i];
        if (in_string) {
            out += c;
            if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
            out += c;
        } else if (c == ';') {
            out += ',';
        } else if (c == '[') {
            std::size_t close = f.find(']', i);
            if (close == std::string_view::npos) close = f.size();
            std::string_view ref = f.substr(i + 1, close - i - 1);
            // Each side of "A:B": ".C3" (this sheet) or "Sheet.C3" / "$'My sheet'.C3".
            std::size_t start = 0;
            bool first = true;
            while (start <= ref.size()) {
                std::size_t colon = ref.find(':', start);
                if (colon == std::string_view::npos) colon = ref.size();
                std::string_view part = ref.substr(start, colon - start);
                if (!first) out += ':';
                first = false;
                std::size_t dot = part.rfind('.');
                if (dot == std::string_view::npos) {
                    out += part;
                } else {
                    std::string_view sheet = part.substr(0, dot);
                    if (!sheet.empty() && sheet.front() == '$') sheet.remove_prefix(1);
                    if (!sheet.empty()) {
                        out += sheet;
                        out += '!';
                    }
                    out += part.substr(dot + 1);
                }
                start = colon + 1;
            }
            i = close;
        } else {
            out += c;
        }
    }
    return out;
}

// One cell as read from a <table:table-cell>, before it is placed (rows and cells repeat).
struct PendingCell {
    std::uint32_t col = 0;
    CellType type = CellType::Empty;
    double number = 0;
    std::string text;
    std::string formula;
    std::uint32_t col_span = 1, row_span = 1;
};

class ContentReader {
public:
    ContentReader(Workbook& wb, const ReadLimits& limits) : wb_(wb), limits_(limits) {}

    void read(XmlStream& xml) {
        while (xml.next()) {
            if (xml.node() != XmlStream::Node::Element) continue;
            std::string_view name = xml.local_name();
            std::string_view ns = xml.namespace_uri();
            if (ns == kStyleNs && name == "style") {
                read_table_style(xml);
            } else if (ns == kTableNs && name == "table") {
                start_table(xml);
            } else if (ns == kTableNs && name == "table-row") {
                read_row(xml);
            } else if (ns == kOfficeNs && name == "annotation") {
                xml.skip();
            }
        }
        finish_table();
    }

private:
    // <style:style style:family="table"><style:table-properties table:display="false"/>: a
    // hidden table.
    void read_table_style(XmlStream& xml) {
        std::string family = xml.attribute("family");
        std::string name = xml.attribute("name");
        if (family != "table" || xml.is_empty_element()) {
            xml.skip();
            return;
        }
        int d = xml.depth();
        while (xml.next()) {
            if (xml.node() == XmlStream::Node::EndElement && xml.depth() == d) break;
            if (xml.is_element("table-properties") && xml.attribute("display") == "false") hidden_styles_.insert(name);
        }
    }

    void start_table(XmlStream& xml) {
        finish_table();
        if (wb_.sheets.size() >= limits_.max_sheets)
            throw ReadError("the workbook has more than " + std::to_string(limits_.max_sheets) + " sheets");
        wb_.sheets.emplace_back();
        sheet_ = &wb_.sheets.back();
        xml.attributes([&](std::string_view name, std::string_view ns, std::string_view value) {
            if (ns != kTableNs) return;
            if (name == "name") sheet_->name.assign(value);
            else if (name == "style-name" && hidden_styles_.count(std::string(value)))
                sheet_->visibility = SheetVisibility::Hidden;
        });
        if (sheet_->name.empty()) sheet_->name = "Sheet" + std::to_string(wb_.sheets.size());
        row_ = 0;
    }

    void finish_table() {
        if (sheet_) {
            sheet_->finish();
            // A table-cell (not a covered one) under another cell's span holds a value no one sees.
            finish_merged_ranges(*sheet_, limits_);
        }
        sheet_ = nullptr;
    }

    [[noreturn]] void too_many(const std::string& what) const {
        throw ReadError("sheet '" + sheet_->name + "' has " + what);
    }

    void read_row(XmlStream& xml) {
        if (!sheet_) {  // a row outside any table: not a spreadsheet body we understand
            xml.skip();
            return;
        }
        std::uint64_t repeat = 1;
        if (auto r = parse_count(xml.attribute("number-rows-repeated")); r && *r > 0) repeat = *r;
        row_cells_.clear();
        std::uint64_t col = 0;
        if (!xml.is_empty_element()) {
            int d = xml.depth();
            while (xml.next()) {
                if (xml.node() == XmlStream::Node::EndElement && xml.depth() == d) break;
                if (xml.node() != XmlStream::Node::Element || xml.depth() != d + 1) continue;
                std::string_view name = xml.local_name();
                if (xml.namespace_uri() == kTableNs && (name == "table-cell" || name == "covered-table-cell"))
                    col = read_cell(xml, col, name == "covered-table-cell");
                else
                    xml.skip();
            }
        }
        place_row(repeat);
    }

    // Reads one cell (and its repeats) starting at column `col`; returns the next column.
    std::uint64_t read_cell(XmlStream& xml, std::uint64_t col, bool covered) {
        PendingCell cell;
        std::uint64_t repeat = 1;
        std::string value_type, value, date_value, time_value, boolean_value, string_value;
        bool has_string_value = false, is_error = false;
        xml.attributes([&](std::string_view name, std::string_view ns, std::string_view v) {
            if (ns == kTableNs) {
                if (name == "number-columns-repeated") {
                    if (auto r = parse_count(v); r && *r > 0) repeat = *r;
                } else if (name == "number-columns-spanned") {
                    if (auto r = parse_count(v); r && *r > 0) cell.col_span = std::uint32_t(std::min<std::uint64_t>(*r, kMaxCols + 1ull));
                } else if (name == "number-rows-spanned") {
                    if (auto r = parse_count(v); r && *r > 0) cell.row_span = std::uint32_t(std::min<std::uint64_t>(*r, kMaxRows + 1ull));
                } else if (name == "formula") {
                    cell.formula = formula_text(v);
                }
            } else if (ns == kOfficeNs) {
                if (name == "value-type") value_type.assign(v);
                else if (name == "value") value.assign(v);
                else if (name == "date-value") date_value.assign(v);
                else if (name == "time-value") time_value.assign(v);
                else if (name == "boolean-value") boolean_value.assign(v);
                else if (name == "string-value") {
                    string_value.assign(v);
                    has_string_value = true;
                }
            } else if (ns == kCalcExtNs && name == "value-type" && v == "error") {
                is_error = true;
            }
        });
        std::string text = xml.is_empty_element() ? std::string() : read_cell_text(xml);

        if (covered) {
            // Hidden under a merged range: Excel keeps no value there, and neither do we.
            cell = PendingCell{};
        } else if (is_error) {
            cell.type = CellType::Error;
            cell.text = text;
        } else if (value_type == "float" || value_type == "percentage" || value_type == "currency") {
            if (auto v = parse_double(value)) {
                cell.type = CellType::Number;
                cell.number = *v;
            }
        } else if (value_type == "date") {
            if (auto v = parse_date_value(date_value)) {
                cell.type = v->has_time ? CellType::DateTime : CellType::Date;
                cell.number = v->serial;
            }
        } else if (value_type == "time") {
            if (auto v = parse_time_value(time_value)) {
                cell.type = CellType::Time;
                cell.number = *v;
            }
        } else if (value_type == "boolean") {
            cell.type = CellType::Bool;
            cell.number = (boolean_value == "true" || boolean_value == "1") ? 1 : 0;
        } else if (value_type == "string") {
            cell.type = CellType::String;
            cell.text = has_string_value ? string_value : text;
            // gnumeric writes a formula's error result as its text ("#N/A" from =NA()).
            if (!cell.formula.empty() && is_error_literal(cell.text)) cell.type = CellType::Error;
        }
        // A value that could not be read (or a cell with text but no type) keeps its text.
        if (cell.type == CellType::Empty && !covered && !text.empty()) {
            cell.type = CellType::String;
            cell.text = text;
        }
        if (cell.type == CellType::String && cell.text.empty()) cell.type = CellType::Empty;

        bool merged = cell.col_span > 1 || cell.row_span > 1;
        if (cell.type != CellType::Empty || merged || !cell.formula.empty()) {
            if (col + repeat > limits_.max_cols)
                too_many("a cell in column " + std::to_string(col + repeat) + ", past the limit of " +
                         std::to_string(limits_.max_cols) + " columns");
            if (repeat > limits_.max_cols) repeat = limits_.max_cols;
            for (std::uint64_t k = 0; k < repeat; ++k) {
                cell.col = std::uint32_t(col + k);
                row_cells_.push_back(cell);
                if (row_cells_.size() > limits_.max_cells) too_many("more cells than the limit");
            }
        }
        // Empty repeats only move the column on; saturate so a hostile count cannot wrap.
        return std::min<std::uint64_t>(col + repeat, std::uint64_t(1) << 40);
    }

    // The text of a cell: its paragraphs joined by line breaks, with ODF's white-space rules
    // (runs of spaces collapse; text:s, text:tab and text:line-break are literal).
    std::string read_cell_text(XmlStream& xml) {
        std::string out;
        bool first_paragraph = true;
        int d = xml.depth();
        while (xml.next()) {
            if (xml.node() == XmlStream::Node::EndElement && xml.depth() == d) break;
            if (xml.node() != XmlStream::Node::Element || xml.depth() != d + 1) continue;
            std::string_view name = xml.local_name();
            if (xml.namespace_uri() == kTextNs && (name == "p" || name == "h")) {
                if (!first_paragraph) out += '\n';
                first_paragraph = false;
                read_paragraph(xml, out);
            } else {
                xml.skip();  // annotations (comments), drawings, anything that is not the value
            }
        }
        return out;
    }

    // ODF white space (ODF 1.2 part 1, 6.1.2): spaces, tabs and line ends in the text are one
    // space, dropped at the start of a paragraph or after another space; text:s, text:tab and
    // text:line-break are literal.
    void read_paragraph(XmlStream& xml, std::string& out) {
        if (xml.is_empty_element()) return;
        const std::size_t start = out.size();
        auto check = [&] {
            if (out.size() > limits_.max_string_bytes)
                throw ReadError("part 'content.xml' has a cell text of more than " +
                                std::to_string(limits_.max_string_bytes) + " bytes");
        };
        int d = xml.depth();
        while (xml.next()) {
            if (xml.node() == XmlStream::Node::EndElement && xml.depth() == d) break;
            if (xml.node() == XmlStream::Node::Text) {
                for (char c : xml.value()) {
                    if (!is_xml_space(c))
                        out += c;
                    else if (out.size() > start && out.back() != ' ')
                        out += ' ';
                }
                check();
            } else if (xml.node() == XmlStream::Node::Element) {
                std::string_view name = xml.local_name();
                bool text_ns = xml.namespace_uri() == kTextNs;
                if (text_ns && name == "s") {
                    std::uint64_t n = 1;
                    if (auto c = parse_count(xml.attribute("c")); c && *c > 0) n = *c;
                    if (n > limits_.max_string_bytes) n = limits_.max_string_bytes + 1;
                    out.append(std::size_t(n), ' ');
                    check();
                    xml.skip();
                } else if (text_ns && name == "tab") {
                    out += '\t';
                    xml.skip();
                } else if (text_ns && name == "line-break") {
                    out += '\n';
                    xml.skip();
                } else if ((text_ns && name == "note") || name == "annotation" || name == "frame") {
                    xml.skip();
                }
                // text:span, text:a and text fields: their text is read as it comes
            }
        }
    }

    void place_row(std::uint64_t repeat) {
        if (row_cells_.empty()) {
            row_ = std::min<std::uint64_t>(row_ + repeat, std::uint64_t(1) << 40);
            return;
        }
        if (row_ + repeat > limits_.max_rows)
            too_many("a value in row " + std::to_string(row_ + repeat) + ", past the limit of " +
                     std::to_string(limits_.max_rows) + " rows");
        if (repeat * row_cells_.size() > limits_.max_cells)
            too_many("more than " + std::to_string(limits_.max_cells) + " cells");
        for (std::uint64_t k = 0; k < repeat; ++k) {
            auto row = std::uint32_t(row_ + k);
            for (const PendingCell& pc : row_cells_) place_cell(row, pc);
        }
        row_ += repeat;
    }

    void place_cell(std::uint32_t row, const PendingCell& pc) {
        if (++cells_ > limits_.max_cells)
            throw ReadError("the workbook has more than " + std::to_string(limits_.max_cells) + " cells");
        if (pc.col_span > 1 || pc.row_span > 1) {
            std::uint64_t last_row = std::uint64_t(row) + pc.row_span - 1;
            std::uint64_t last_col = std::uint64_t(pc.col) + pc.col_span - 1;
            if (last_row >= limits_.max_rows || last_col >= limits_.max_cols)
                too_many("a merged range reaching past the sheet's limits");
            CellRange range{{row, pc.col}, {std::uint32_t(last_row), std::uint32_t(last_col)}};
            if (range.area() > limits_.max_merged_area)
                too_many("a merged range of " + std::to_string(range.area()) + " cells, more than the limit of " +
                         std::to_string(limits_.max_merged_area));
            sheet_->merged.push_back(range);
        }
        if (!pc.formula.empty()) sheet_->formulas[CellRef{row, pc.col}] = pc.formula;
        if (pc.type == CellType::Empty) return;
        Cell c{row, pc.col, pc.type, 0, 0, pc.number};
        if (pc.type == CellType::String || pc.type == CellType::Error) c.text = wb_.intern(pc.text);
        sheet_->add(c);
    }

    Workbook& wb_;
    const ReadLimits& limits_;
    Sheet* sheet_ = nullptr;
    std::uint64_t row_ = 0;
    std::uint64_t cells_ = 0;
    std::vector<PendingCell> row_cells_;
    std::set<std::string> hidden_styles_;
};

// A password-protected ods keeps its zip unencrypted but its parts encrypted; the manifest
// gives each encrypted part a <manifest:encryption-data> child (ODF 1.2 part 3, 3.8.3).
bool manifest_lists_encrypted_parts(ZipArchive& zip) {
    if (!zip.has("META-INF/manifest.xml")) return false;
    try {
        auto part = zip.open("META-INF/manifest.xml");
        XmlStream xml(*part, "META-INF/manifest.xml", zip.limits().max_string_bytes);
        while (xml.next())
            if (xml.is_element("encryption-data") && xml.namespace_uri() == kManifestNs) return true;
    } catch (const ReadError&) {
        // A damaged manifest says nothing either way; content.xml is read (and judged) as before.
    }
    return false;
}

}  // namespace

Workbook read_ods(const std::filesystem::path& file, const ReadLimits& limits) {
    ZipArchive zip(file, limits);
    if (zip.has("mimetype")) {
        std::string mime = zip.read_all("mimetype");
        if (mime.rfind("application/vnd.oasis.opendocument.spreadsheet", 0) != 0) {
            if (mime.rfind("application/vnd.oasis.opendocument.text", 0) == 0)
                throw ReadError("it is an OpenDocument text document (.odt), not a spreadsheet");
            throw ReadError("it is an OpenDocument file of another kind ('" + mime.substr(0, 80) +
                            "'), not a spreadsheet");
        }
    }
    if (manifest_lists_encrypted_parts(zip))
        throw ReadError("the workbook is password-protected (encrypted); ask the sender for an unprotected copy");
    if (!zip.has("content.xml")) throw ReadError("the OpenDocument spreadsheet has no content.xml part (it is damaged)");

    Workbook wb;
    wb.source = file.string();
    wb.format_name = "ods";
    auto part = zip.open("content.xml");
    XmlStream xml(*part, "content.xml", limits.max_string_bytes);
    ContentReader(wb, limits).read(xml);
    return wb;
}

}  // namespace planconv
