// A small tokenizer over A1-style formulas that rewrites the relative parts of references.
#include "read/FormulaShift.hpp"

#include "model/CellRef.hpp"

#include <optional>

namespace planconv {

namespace {

bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word_char(char c) { return is_letter(c) || is_digit(c) || c == '_' || c == '.' || c == '$' || c == '\\'; }

// One coordinate of a reference: "$B" or "7".
struct Part {
    bool absolute = false;
    std::int64_t index = 0;  // 0-based
};

// "$AB" -> column 27 absolute; nullopt unless the whole text is a column within Excel's limits.
std::optional<Part> parse_column(std::string_view s) {
    Part p;
    if (!s.empty() && s[0] == '$') {
        p.absolute = true;
        s.remove_prefix(1);
    }
    if (s.empty() || s.size() > 3) return std::nullopt;
    std::int64_t col = 0;
    for (char c : s) {
        if (!is_letter(c)) return std::nullopt;
        col = col * 26 + ((c & ~0x20) - 'A' + 1);
    }
    if (col > kMaxCols) return std::nullopt;
    p.index = col - 1;
    return p;
}

std::optional<Part> parse_row(std::string_view s) {
    Part p;
    if (!s.empty() && s[0] == '$') {
        p.absolute = true;
        s.remove_prefix(1);
    }
    if (s.empty() || s.size() > 7) return std::nullopt;
    std::int64_t row = 0;
    for (char c : s) {
        if (!is_digit(c)) return std::nullopt;
        row = row * 10 + (c - '0');
    }
    if (row < 1 || row > kMaxRows) return std::nullopt;
    p.index = row - 1;
    return p;
}

// Moves one coordinate; false when it leaves the sheet.
bool shift(Part& p, std::int64_t by, std::int64_t limit) {
    if (p.absolute) return true;
    p.index += by;
    return p.index >= 0 && p.index < limit;
}

std::string column_text(const Part& p) { return (p.absolute ? "$" : "") + CellRef::column_name(std::uint32_t(p.index)); }
std::string row_text(const Part& p) { return (p.absolute ? "$" : "") + std::to_string(p.index + 1); }

// "B$2" -> the column and row parts; nullopt if the word is not a cell reference.
std::optional<std::pair<Part, Part>> split_cell(std::string_view w) {
    std::size_t i = w.size() > 0 && w[0] == '$' ? 1 : 0;
    while (i < w.size() && is_letter(w[i])) ++i;
    auto col = parse_column(w.substr(0, i));
    auto row = parse_row(w.substr(i));
    if (!col || !row) return std::nullopt;
    return std::pair{*col, *row};
}

class Shifter {
public:
    Shifter(std::string_view f, std::int64_t rows, std::int64_t cols) : f_(f), rows_(rows), cols_(cols) {}

    std::string run() {
        while (i_ < f_.size()) {
            char c = f_[i_];
            if (c == '"' || c == '\'') {
                copy_quoted(c);
            } else if (c == '[') {
                copy_bracketed();
            } else if (is_word_char(c)) {
                word();
            } else {
                out_ += c;
                ++i_;
            }
        }
        return out_;
    }

private:
    // "text" and 'sheet name', where a doubled quote is the quote itself.
    void copy_quoted(char q) {
        std::size_t start = i_++;
        while (i_ < f_.size()) {
            if (f_[i_] == q) {
                if (i_ + 1 < f_.size() && f_[i_ + 1] == q) {
                    i_ += 2;
                    continue;
                }
                ++i_;
                break;
            }
            ++i_;
        }
        out_.append(f_.substr(start, i_ - start));
    }

    // [1] external workbooks and Table1[[#This Row],[Amount]] structured references.
    void copy_bracketed() {
        std::size_t start = i_;
        int depth = 0;
        while (i_ < f_.size()) {
            char c = f_[i_++];
            if (c == '[') ++depth;
            if (c == ']' && --depth == 0) break;
        }
        out_.append(f_.substr(start, i_ - start));
    }

    std::string_view read_word() {
        std::size_t start = i_;
        while (i_ < f_.size() && is_word_char(f_[i_])) ++i_;
        return f_.substr(start, i_ - start);
    }

    char peek() const { return i_ < f_.size() ? f_[i_] : '\0'; }

    void word() {
        std::string_view w = read_word();
        char next = peek();
        if (next == '(' || next == '!') {  // a function, or a sheet name before its reference
            out_.append(w);
            return;
        }
        if (auto cell = split_cell(w)) {
            Part col = cell->first, row = cell->second;
            if (shift(col, cols_, kMaxCols) && shift(row, rows_, kMaxRows))
                out_ += column_text(col) + row_text(row);
            else
                out_ += "#REF!";
            return;
        }
        if (next == ':' && whole_range(w)) return;
        out_.append(w);
    }

    // "A:C" (whole columns) and "3:5" (whole rows): both ends are read here.
    bool whole_range(std::string_view first) {
        std::size_t save = i_;
        ++i_;  // ':'
        std::string_view second = read_word();
        auto c1 = parse_column(first), c2 = parse_column(second);
        if (c1 && c2) {
            bool ok = shift(*c1, cols_, kMaxCols) && shift(*c2, cols_, kMaxCols);
            out_ += ok ? column_text(*c1) + ":" + column_text(*c2) : std::string("#REF!");
            return true;
        }
        auto r1 = parse_row(first), r2 = parse_row(second);
        if (r1 && r2) {
            bool ok = shift(*r1, rows_, kMaxRows) && shift(*r2, rows_, kMaxRows);
            out_ += ok ? row_text(*r1) + ":" + row_text(*r2) : std::string("#REF!");
            return true;
        }
        i_ = save;
        return false;
    }

    std::string_view f_;
    std::int64_t rows_, cols_;
    std::size_t i_ = 0;
    std::string out_;
};

}  // namespace

std::string shift_formula(std::string_view formula, std::int64_t rows, std::int64_t cols) {
    return Shifter(formula, rows, cols).run();
}

}  // namespace planconv
