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
    used_rows_ = cells_.empty() ? 0 : cells_.back().row + 1;
    row_start_.assign(std::size_t(used_rows_) + 1, std::uint32_t(cells_.size()));
    for (std::size_t i = cells_.size(); i-- > 0;) row_start_[cells_[i].row] = std::uint32_t(i);
    for (std::size_t r = used_rows_; r-- > 0;)
        row_start_[r] = std::min(row_start_[r], row_start_[r + 1]);
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
    strings.push_back(std::move(s));
    return std::uint32_t(strings.size() - 1);
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
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    if (ec != std::errc()) return "NaN";
    return std::string(buf, end);
}

static std::string time_of_day(double serial) {
    // Round to the nearest microsecond-free second, as Excel displays it.
    double frac = serial - std::floor(serial);
    auto secs = static_cast<long long>(std::llround(frac * 86400.0));
    if (secs >= 86400) secs = 86399;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", secs / 3600, secs / 60 % 60, secs % 60);
    return buf;
}

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
        auto d = Date::from_excel_serial(c.number);
        return d ? d->iso() + "T" + time_of_day(c.number) : format_number(c.number);
    }
    case CellType::Time: return time_of_day(c.number);
    }
    return {};
}

}  // namespace planconv
