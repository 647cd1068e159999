// Sheet storage and indexing, the string pool, and the canonical display of cell values.
#include "model/Workbook.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace planconv {

std::string_view to_string(CellType t) {
    switch (t) {
    case CellType::Empty: return "empty";
    case CellType::String: return "string";
    case CellType::Number: return "number";
    case CellType::Bool: return "bool";
    case CellType::Date: return "date";
    case CellType::DateTime: return "datetime";
    case CellType::Time: return "time";
    case CellType::Error: return "error";
    }
    return "empty";
}

std::string_view to_string(SheetVisibility v) {
    switch (v) {
    case SheetVisibility::Visible: return "visible";
    case SheetVisibility::Hidden: return "hidden";
    case SheetVisibility::VeryHidden: return "veryHidden";
    }
    return "visible";
}

void Sheet::add(const Cell& c) {
    if (!cells_.empty()) {
        const Cell& b = cells_.back();
        if (c.row < b.row || (c.row == b.row && c.col <= b.col)) sorted_ = false;
    }
    cells_.push_back(c);
}

void Sheet::finish() {
    if (!sorted_) {
        // Stable so that, of two cells at one address, the later one written stays last.
        std::stable_sort(cells_.begin(), cells_.end(), [](const Cell& a, const Cell& b) {
            return a.row != b.row ? a.row < b.row : a.col < b.col;
        });
        std::vector<Cell> unique;
        unique.reserve(cells_.size());
        for (const Cell& c : cells_) {
            if (!unique.empty() && unique.back().row == c.row && unique.back().col == c.col)
                unique.back() = c;
            else
                unique.push_back(c);
        }
        cells_.swap(unique);
        sorted_ = true;
    }
    cells_.shrink_to_fit();
    index_rows();
}

void Sheet::index_rows() {
    used_rows_ = cells_.empty() ? 0 : cells_.back().row + 1;
    row_start_.assign(std::size_t(used_rows_) + 1, std::uint32_t(cells_.size()));
    for (std::size_t i = cells_.size(); i-- > 0;) row_start_[cells_[i].row] = std::uint32_t(i);
    for (std::size_t r = used_rows_; r-- > 0;)
        row_start_[r] = std::min(row_start_[r], row_start_[r + 1]);
}

void Sheet::drop_cells_under_merges() {
    if (cells_.empty()) return;
    bool dropped = false;
    for (const CellRange& m : merged) {
        // Rows past the last used one are not visited: a range down a whole column costs the
        // used rows, not a million.
        std::uint32_t last_row = std::min(m.last.row, used_rows_ - 1);
        for (std::uint32_t r = m.first.row; r <= last_row; ++r) {
            auto cells = row(r);
            auto it = std::lower_bound(cells.begin(), cells.end(), m.first.col,
                                       [](const Cell& cell, std::uint32_t col) { return cell.col < col; });
            for (; it != cells.end() && it->col <= m.last.col; ++it) {
                if (it->row == m.first.row && it->col == m.first.col) continue;
                cells_[std::size_t(&*it - cells_.data())].type = CellType::Empty;
                dropped = true;
            }
        }
    }
    if (!dropped) return;
    std::erase_if(cells_, [](const Cell& c) { return c.type == CellType::Empty; });
    index_rows();
}

std::optional<CellRange> Sheet::used_range() const {
    if (cells_.empty()) return std::nullopt;
    std::uint32_t min_col = kMaxCols, max_col = 0;
    for (const Cell& c : cells_) {
        min_col = std::min(min_col, c.col);
        max_col = std::max(max_col, c.col);
    }
    return CellRange{{cells_.front().row, min_col}, {cells_.back().row, max_col}};
}

std::span<const Cell> Sheet::row(std::uint32_t r) const {
    if (r >= used_rows_) return {};
    return std::span<const Cell>(cells_.data() + row_start_[r], row_start_[r + 1] - row_start_[r]);
}

const Cell* Sheet::at(std::uint32_t r, std::uint32_t c) const {
    auto cells = row(r);
    auto it = std::lower_bound(cells.begin(), cells.end(), c,
                               [](const Cell& cell, std::uint32_t col) { return cell.col < col; });
    return it != cells.end() && it->col == c ? &*it : nullptr;
}

const CellRange* Sheet::merge_at(std::uint32_t r, std::uint32_t c) const {
    for (const CellRange& m : merged)
        if (m.contains({r, c})) return &m;
    return nullptr;
}

std::uint32_t Workbook::intern(std::string s) {
    strings_->push_back(std::move(s));
    return std::uint32_t(strings_->size() - 1);
}

std::uint32_t Workbook::format_index(std::string_view code) {
    for (std::size_t i = 0; i < formats.size(); ++i)
        if (formats[i] == code) return std::uint32_t(i);
    formats.emplace_back(code);
    return std::uint32_t(formats.size() - 1);
}

const Sheet* Workbook::sheet(std::string_view name) const {
    for (const Sheet& s : sheets)
        if (s.name == name) return &s;
    return nullptr;
}

std::string format_number(double v) {
    if (v == 0) return "0";  // also folds -0
    char buf[400];  // the fixed form of up to 1e15 with the digits of a 1e-5 fraction fits
    // Figures as people write them ("200000", not the shorter "2e+05"); an exponent only for
    // magnitudes no return writes out in full.
    const double a = std::fabs(v);
    const bool fixed = std::isfinite(v) && a >= 1e-5 && a < 1e15;
    auto [end, ec] = fixed ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed)
                           : std::to_chars(buf, buf + sizeof buf, v);
    if (ec != std::errc()) return "NaN";
    return std::string(buf, end);
}

namespace {

// A serial split into whole days and milliseconds into the day, rounded to the millisecond as
// Excel displays it (so 0.99999999999 is the next midnight, not 23:59:59.999).
struct DayAndTime {
    double day;
    long long ms;
};

DayAndTime split_serial(double serial) {
    constexpr long long kMsPerDay = 86400000;
    double day = std::floor(serial);
    long long ms = std::llround((serial - day) * double(kMsPerDay));
    if (ms >= kMsPerDay) {
        day += 1;
        ms -= kMsPerDay;
    }
    return {day, ms};
}

// "13:05:00", or "13:05:00.250" when there are milliseconds.
std::string clock_time(long long ms) {
    char buf[24];
    long long secs = ms / 1000;
    int n = std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", secs / 3600, secs / 60 % 60, secs % 60);
    if (ms % 1000 != 0) std::snprintf(buf + n, sizeof buf - std::size_t(n), ".%03lld", ms % 1000);
    return buf;
}

}  // namespace

std::string display_value(const Workbook& wb, const Cell& c) {
    switch (c.type) {
    case CellType::Empty: return {};
    case CellType::String:
    case CellType::Error: return std::string(wb.text(c));
    case CellType::Number: return format_number(c.number);
    case CellType::Bool: return c.number != 0 ? "TRUE" : "FALSE";
    case CellType::Date: {
        auto d = Date::from_excel_serial(c.number);
        return d ? d->iso() : format_number(c.number);
    }
    case CellType::DateTime: {
        DayAndTime t = split_serial(c.number);
        auto d = Date::from_excel_serial(t.day);
        return d ? d->iso() + "T" + clock_time(t.ms) : format_number(c.number);
    }
    case CellType::Time: return clock_time(split_serial(c.number).ms);
    }
    return {};
}

}  // namespace planconv
