// XlsxBook: libxlsxwriter behind an AtomicFile, safe cell text, legal sheet names, formats.
#include "write/XlsxBook.hpp"

#include "parse/Text.hpp"

#include <xlsxwriter.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <ctime>

namespace planconv {

namespace {

bool xml_forbidden(char32_t cp) {
    if (cp < 0x20) return cp != '\t' && cp != '\n';  // '\r' goes too: "\r\n" is one line break
    return cp == 0xFFFE || cp == 0xFFFF;
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The first `max_chars` characters of a valid UTF-8 string (code points).
std::string first_chars(std::string_view s, std::size_t max_chars) {
    std::size_t i = 0, n = 0;
    while (i < s.size() && n < max_chars) {
        i += decode_utf8(s, i).len;
        ++n;
    }
    return std::string(s.substr(0, i));
}

std::size_t count_chars(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++n)
        i += static_cast<unsigned char>(s[i]) < 0x80 ? 1 : decode_utf8(s, i).len;
    return n;
}

}  // namespace

std::string safe_cell_text(std::string_view text, std::size_t max_chars) {
    static constexpr std::string_view kEllipsis = "\u2026";
    std::string out;
    out.reserve(text.size());
    std::size_t units = 0;               // UTF-16 code units, as Excel counts
    std::size_t cut_at = std::string::npos;  // bytes of `out` that fit with an ellipsis after them
    for (std::size_t i = 0; i < text.size();) {
        // A run of printable ASCII, one unit a character, goes across whole while it fits, and
        // up to the last two units when it does not (the character loop below decides those),
        // so a long run is scanned once, not once per character.
        std::size_t run = 0;
        while (i + run < text.size() && text[i + run] >= 0x20 && text[i + run] < 0x7F) ++run;
        if (run > 0 && units + run < max_chars) {
            out.append(text.substr(i, run));
            units += run;
            i += run;
            continue;
        }
        if (run > 0 && units + 2 < max_chars) {
            const std::size_t fit = max_chars - 2 - units;
            out.append(text.substr(i, fit));
            units += fit;
            i += fit;
            continue;
        }
        Utf8Char c = decode_utf8(text, i);
        i += c.len;
        if (xml_forbidden(c.cp)) continue;
        std::size_t w = c.cp >= 0x10000 ? 2 : 1;
        if (cut_at == std::string::npos && units + w > max_chars - 1) cut_at = out.size();
        units += w;
        if (units > max_chars) {
            out.resize(cut_at);
            out += kEllipsis;
            return out;
        }
        append_utf8(out, c.cp);
    }
    return out;
}

bool looks_like_formula(std::string_view text) {
    if (text.empty()) return false;
    switch (text.front()) {
    case '=': case '+': case '-': case '@': case '\t': case '\r': return true;
    default: return false;
    }
}

std::string legal_sheet_name(std::string_view wanted, std::vector<std::string>& taken) {
    std::string clean;
    for (std::size_t i = 0; i < wanted.size();) {
        Utf8Char c = decode_utf8(wanted, i);
        i += c.len;
        if (c.cp < 0x20 || c.cp == 0xFFFD || c.cp == 0xFFFE || c.cp == 0xFFFF) continue;
        switch (c.cp) {
        case '[': case ']': case ':': case '*': case '?': case '/': case '\\': clean += ' '; continue;
        default: append_utf8(clean, c.cp);
        }
    }
    // Collapse the spaces replacements leave, and trim apostrophes Excel refuses at the ends.
    std::string collapsed;
    for (char ch : clean) {
        if (ch == ' ' && (collapsed.empty() || collapsed.back() == ' ')) continue;
        collapsed += ch;
    }
    while (!collapsed.empty() && (collapsed.back() == ' ' || collapsed.back() == '\'')) collapsed.pop_back();
    while (!collapsed.empty() && (collapsed.front() == '\'' || collapsed.front() == ' ')) collapsed.erase(0, 1);
    if (collapsed.empty()) collapsed = "Sheet";
    // "History" is reserved by Excel.
    if (lower_ascii(collapsed) == "history") collapsed += " 1";
    std::string base = first_chars(collapsed, 31);
    auto is_taken = [&](const std::string& name) {
        std::string key = lower_ascii(name);
        return std::any_of(taken.begin(), taken.end(), [&](const std::string& t) { return lower_ascii(t) == key; });
    };
    std::string name = base;
    for (int n = 2; is_taken(name); ++n) {
        std::string suffix = " " + std::to_string(n);
        name = first_chars(base, 31 - suffix.size());
        while (!name.empty() && name.back() == ' ') name.pop_back();
        name += suffix;
    }
    taken.push_back(name);
    return name;
}

std::string sheet_cell_location(std::string_view sheet, std::uint32_t row, std::uint32_t col) {
    std::string quoted = "'";
    for (char c : sheet) {
        quoted += c;
        if (c == '\'') quoted += '\'';
    }
    quoted += "'!";
    char ref[32];
    lxw_rowcol_to_cell(ref, row, static_cast<lxw_col_t>(col));
    return quoted + ref;
}

std::size_t longest_line(std::string_view text) {
    std::size_t best = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) nl = text.size();
        best = std::max(best, count_chars(text.substr(start, nl - start)));
        start = nl + 1;
    }
    return best;
}

std::size_t wrapped_lines(std::string_view text, double width) {
    // Width is measured in '0's of Calibri 11; its average character is narrower, so a column
    // holds about 1.1 characters per unit of width, less one for the cell's padding and indent.
    const std::size_t per_line = std::max<std::size_t>(1, std::size_t(width * 1.1) - 1);
    std::size_t lines = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) nl = text.size();
        std::string_view line = text.substr(start, nl - start);
        // Greedy word wrap: a word that does not fit starts the next line.
        std::size_t used = 0, n = 1;
        std::size_t at = 0;
        while (at < line.size()) {
            std::size_t sp = line.find(' ', at);
            if (sp == std::string_view::npos) sp = line.size();
            std::size_t word = count_chars(line.substr(at, sp - at));
            if (used > 0 && used + 1 + word > per_line) {
                ++n;
                used = 0;
            }
            used += (used > 0 ? 1 : 0) + word;
            while (used > per_line) {  // a word longer than the line is broken
                ++n;
                used -= per_line;
            }
            at = sp + 1;
        }
        lines += n;
        start = nl + 1;
    }
    return lines;
}

double row_height_for(std::size_t lines) { return std::min(409.0, 15.0 * double(std::max<std::size_t>(1, lines)) + 2.0); }

namespace {

// Text for a page header or footer: '&' starts a code there, so it is doubled; at most `max`
// characters (the whole header is limited to 255).
std::string header_text(std::string_view text, std::size_t max) {
    std::string safe = safe_cell_text(text, max);
    for (char& c : safe)
        if (c == '\n' || c == '\t') c = ' ';
    std::string out;
    for (char c : safe) {
        out += c;
        if (c == '&') out += '&';
    }
    return out;
}

}  // namespace

void set_print_layout(lxw_worksheet* ws, const PrintLayout& layout) {
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);  // A4
    worksheet_set_margins(ws, 0.4, 0.4, 0.75, 0.75);
    worksheet_fit_to_pages(ws, 1, 0);  // one page wide, as many tall as it takes
    if (layout.repeat_header) check_lxw(worksheet_repeat_rows(ws, 0, 0), "the header row to repeat on each page");
    std::string title = header_text(layout.title.empty() ? layout.source : layout.title, 110);
    std::string header = "&L&\"-,Bold\"" + title;
    if (!layout.source.empty() && layout.source != layout.title) header += "&R" + header_text(layout.source, 80);
    check_lxw(worksheet_set_header(ws, header.c_str()), "the page header");
    std::string footer = layout.reporting_date.empty() ? std::string() : "&LReporting date " + header_text(layout.reporting_date, 40);
    footer += "&CPage &P of &N&R&A";
    check_lxw(worksheet_set_footer(ws, footer.c_str()), "the page footer");
}

void check_lxw(int error, std::string_view what) {
    if (error == LXW_NO_ERROR) return;
    throw XlsxWriteError(std::string(what) + ": " + lxw_strerror(static_cast<lxw_error>(error)));
}

namespace {

// Where libxlsxwriter writes each part before zipping it (about twenty files a workbook).
// A big workbook's go beside the output: that file system has room, and memory would defeat
// constant_memory. A small one's go to /dev/shm when there is one: creating and deleting those
// files on disk cost more than everything else in a batch of a thousand small returns.
std::string scratch_dir(const std::filesystem::path& file, bool small) {
    if (small && ::access("/dev/shm", W_OK | X_OK) == 0 && std::filesystem::is_directory("/dev/shm")) return "/dev/shm";
    return file.has_parent_path() ? file.parent_path().string() : std::string(".");
}

}  // namespace

XlsxBook::XlsxBook(const std::filesystem::path& file, bool constant_memory, bool small) : file_(file) {
    lxw_workbook_options options{};
    options.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
    std::string tmpdir = scratch_dir(file, small);
    options.tmpdir = tmpdir.data();
    options.use_zip64 = LXW_FALSE;
    wb_ = workbook_new_opt(file_.temp_path().c_str(), &options);
    if (!wb_) throw XlsxWriteError("cannot start the workbook " + file.string());
}

XlsxBook::~XlsxBook() {
    // Not closed: libxlsxwriter frees only on close, so close into the temporary file, which
    // the AtomicFile then removes. The final name is untouched.
    if (wb_) workbook_close(wb_);
}

lxw_worksheet* XlsxBook::add_sheet(std::string_view wanted, std::string* used_name) {
    std::string name = legal_sheet_name(wanted, taken_);
    lxw_worksheet* ws = workbook_add_worksheet(wb_, name.c_str());
    if (!ws) throw XlsxWriteError("cannot add the sheet '" + name + "'");
    if (used_name) *used_name = name;
    return ws;
}

std::string XlsxBook::reserve_sheet_name(std::string_view wanted) { return legal_sheet_name(wanted, taken_); }

lxw_worksheet* XlsxBook::add_reserved_sheet(const std::string& name) {
    lxw_worksheet* ws = workbook_add_worksheet(wb_, name.c_str());
    if (!ws) throw XlsxWriteError("cannot add the sheet '" + name + "'");
    return ws;
}

lxw_format* XlsxBook::format(const CellStyle& style) {
    auto it = formats_.find(style);
    if (it != formats_.end()) return it->second;
    lxw_format* f = workbook_add_format(wb_);
    if (!style.num_format.empty()) format_set_num_format(f, style.num_format.c_str());
    if (style.bold) format_set_bold(f);
    if (style.italic) format_set_italic(f);
    if (style.wrap) format_set_text_wrap(f);
    if (style.top) format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (!style.locked) format_set_unlocked(f);
    if (style.underline) format_set_underline(f, LXW_UNDERLINE_SINGLE);
    if (style.fill) {
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, *style.fill);
    }
    if (style.font_colour) format_set_font_color(f, *style.font_colour);
    if (style.border) {
        format_set_border(f, LXW_BORDER_THIN);
        format_set_border_color(f, *style.border);
    }
    if (style.font_size > 0) format_set_font_size(f, style.font_size);
    if (style.align != CellStyle::Align::General) {
        format_set_align(f, style.align == CellStyle::Align::Left ? LXW_ALIGN_LEFT : LXW_ALIGN_RIGHT);
        format_set_indent(f, 1);
    }
    formats_.emplace(style, f);
    return f;
}

void XlsxBook::set_properties(const BookProperties& properties) {
    properties_ = properties;
    for (std::string* s : {&properties_.title, &properties_.subject, &properties_.author, &properties_.company,
                           &properties_.keywords, &properties_.comments})
        *s = safe_cell_text(*s, 255);
    lxw_doc_properties p{};
    p.title = properties_.title.data();
    p.subject = properties_.subject.data();
    p.author = properties_.author.data();
    p.company = properties_.company.data();
    p.keywords = properties_.keywords.data();
    p.comments = properties_.comments.data();
    // One creation time for every workbook of the run. libxlsxwriter formats it through gmtime(),
    // whose result lives in one buffer all threads share: workbooks closed at the same moment on
    // two threads then at least put the same time there, so neither can take the other's.
    static const std::time_t run_started = std::time(nullptr);
    p.created = run_started;
    check_lxw(workbook_set_properties(wb_, &p), "document properties");
    for (auto& [name, value] : properties_.custom) {
        name = safe_cell_text(name, 255);
        value = safe_cell_text(value, 255);
        if (value.empty()) continue;
        check_lxw(workbook_set_custom_property_string(wb_, name.c_str(), value.c_str()), "custom property " + name);
    }
}

void XlsxBook::close() {
    lxw_workbook* wb = wb_;
    wb_ = nullptr;
    check_lxw(workbook_close(wb), "cannot write " + file_.path().string());
    file_.commit();
}

}  // namespace planconv
