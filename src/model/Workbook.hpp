// The workbook model every reader produces: workbook -> sheets -> cells.
//
// Cells are compact (text lives once in the workbook's string pool, referenced by index) so a
// 50,000-row return costs memory in proportion to its distinct strings and cells, not its XML.
#pragma once

#include "model/CellRef.hpp"
#include "model/Date.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace planconv {

enum class CellType : std::uint8_t {
    Empty,
    String,    // text (shared, inline or formula string result)
    Number,
    Bool,      // number is 0 or 1
    Date,      // number is an Excel serial (1900 system) with no time of day
    DateTime,  // number is an Excel serial (1900 system) with a time of day
    Time,      // number is a time of day, a fraction of a day in [0, 1)
    Error,     // text is the error as written: "#N/A", "#DIV/0!"
};

std::string_view to_string(CellType t);

struct Cell {
    std::uint32_t row = 0;     // 0-based
    std::uint32_t col = 0;     // 0-based
    CellType type = CellType::Empty;
    std::uint32_t text = 0;    // index into Workbook::strings (String, Error)
    std::uint32_t format = 0;  // index into Workbook::formats (0 = "General")
    double number = 0;         // Number, Bool, Date, DateTime, Time

    CellRef ref() const { return {row, col}; }
};

enum class SheetVisibility : std::uint8_t { Visible, Hidden, VeryHidden };
std::string_view to_string(SheetVisibility v);

class Workbook;

class Sheet {
public:
    std::string name;
    SheetVisibility visibility = SheetVisibility::Visible;
    std::vector<CellRange> merged;
    // Formula text (without '=') by cell, for the few cells that have one.
    std::map<CellRef, std::string> formulas;

    // Cells sorted by (row, col); empty cells are not stored. Readers append through add().
    const std::vector<Cell>& cells() const { return cells_; }
    void add(const Cell& c);            // appends; call finish() once all cells are in
    void finish();                      // sorts if needed, drops duplicates (last wins), indexes rows
    // Before finish(), for a reader that settles cells after adding them (an xlsx's shared
    // strings are read beside its sheets): the cells in the order added. Removing cells keeps
    // that order; nothing may be inserted.
    std::vector<Cell>& unfinished_cells() { return cells_; }
    // After finish(): drops values left in the cells a merged range hides (all but its top-left
    // one). Excel shows only the top-left value and discards the rest when it merges; a file
    // may still carry them, and nobody reading the sheet can see them.
    void drop_cells_under_merges();

    // The smallest range holding every stored cell; nullopt for an empty sheet.
    std::optional<CellRange> used_range() const;
    const Cell* at(std::uint32_t row, std::uint32_t col) const;
    // The stored cells of one row, in column order (empty span for a row with none).
    std::span<const Cell> row(std::uint32_t row) const;
    std::uint32_t row_count() const { return used_rows_; }  // last used row + 1
    // The merged range whose top-left cell carries the value for (row, col), if any.
    const CellRange* merge_at(std::uint32_t row, std::uint32_t col) const;

private:
    void index_rows();

    std::vector<Cell> cells_;
    bool sorted_ = true;
    std::uint32_t used_rows_ = 0;
    std::vector<std::uint32_t> row_start_;  // row -> first index in cells_ (size used_rows_ + 1)
};

// The workbook's texts, each stored once; cells refer to them by index. 0 is "".
using StringPool = std::vector<std::string>;

class Workbook {
public:
    std::string source;      // the path it was read from (for messages)
    std::string format_name; // "xlsx", "xls", "ods", "csv"
    std::vector<Sheet> sheets;
    std::vector<std::string> formats{"General"};          // number-format codes; 0 is General

    StringPool& strings() { return *strings_; }
    const StringPool& strings() const { return *strings_; }
    // The pool itself, for a Document mapped from this workbook: its fields refer to the pool's
    // texts rather than copying them, and holding the pool lets the Document outlive the cells.
    // Readers finish adding to the pool before anything takes it.
    std::shared_ptr<const StringPool> shared_strings() const { return strings_; }

    std::uint32_t intern(std::string s);  // appends to the pool and returns its index
    std::uint32_t format_index(std::string_view code);  // finds or adds a format code

    std::string_view text(const Cell& c) const { return (*strings_)[c.text]; }
    const std::string& text_string(const Cell& c) const { return (*strings_)[c.text]; }
    std::string_view format(const Cell& c) const { return formats[c.format]; }
    const Sheet* sheet(std::string_view name) const;

private:
    std::shared_ptr<StringPool> strings_ = std::make_shared<StringPool>(1);
};

// The value a cell shows, as `inspect --cells` prints it: ISO dates ("2016-11-30",
// "2016-11-30T13:05:00", "13:05:00", with ".250" when there are milliseconds), shortest
// round-trip numbers, TRUE/FALSE, errors as written, text unchanged (no escaping).
std::string display_value(const Workbook& wb, const Cell& c);

// Shortest text that reads back as the same double ("0.1", "36000", "1e+20").
std::string format_number(double v);

}  // namespace planconv
