// Document: what a workbook says once a mapping has been applied — plan facts, sections with
// their narrative claims, and the records of each table. Rules read it; writers write it.
#pragma once

#include "model/CellRef.hpp"
#include "model/Workbook.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace planconv {

struct Mapping;
struct TableSpec;

// Where something was read: a sheet and a cell on it.
struct SourceRef {
    std::string sheet;
    CellRef cell;
    std::string a1() const { return sheet + "!" + cell.a1(); }
};

// One field of one record, as read. Typing (FieldTyper) adds the normalised forms.
//
// Its text is most often a cell's text exactly as the workbook's string pool holds it; the
// field then refers to the pool's copy, which its Document keeps (Document::strings), so a
// return's text is in memory once. Text made while mapping (a number as shown, trimmed or
// joined text, a part of a cell) is the field's own.
class FieldValue {
public:
    using Appended = std::pair<std::size_t, CellRef>;

    FieldValue() = default;
    FieldValue(std::string raw, CellRef at, bool is_present = false, bool is_inherited = false,
               CellType type = CellType::String, double value = 0, bool percent = false);
    // A field showing `pooled`, which must outlive it: an entry of the string pool its Document
    // holds.
    static FieldValue from_pool(const std::string& pooled, CellRef at, CellType type, double value, bool percent);
    FieldValue(const FieldValue& o);
    FieldValue& operator=(const FieldValue& o);
    FieldValue(FieldValue&&) noexcept = default;
    FieldValue& operator=(FieldValue&&) noexcept = default;
    ~FieldValue() = default;

    // What the cell shows; continuation text appended after "\n".
    const std::string& raw() const { return own_ ? own_->text : *pooled_; }
    void set_raw(std::string text);
    // Appends a continuation row's text after "\n", remembering the cell it came from.
    void append(std::string_view text, CellRef at);
    // The cells of text appended from continuation rows, in order, each with the offset in
    // raw() where its text starts: a sub-record split out of the text points at its own cell.
    std::span<const Appended> appended() const;

    CellRef cell;            // the cell it came from (the first one, for appended text)
    bool present = false;    // a cell held a value (or one was inherited)
    bool inherited = false;  // filled down from the record above, not written on this row
    // What the cell held, for typing without re-parsing its display text: a Number, Date or
    // DateTime cell keeps its value here (dates as 1900-system serials).
    CellType cell_type = CellType::String;
    bool percent_format = false;  // a number shown as a percentage (0.81 shown as 81%)
    double number = 0;

private:
    struct Own {
        std::string text;
        std::vector<Appended> appended;
    };
    Own& own();

    const std::string* pooled_ = &empty_text();  // the text, when the field has none of its own
    std::unique_ptr<Own> own_;
    static const std::string& empty_text();
};

enum class RecordKind : std::uint8_t { Record, Note, Total, Group };
std::string_view to_string(RecordKind k);

struct Record {
    RecordKind kind = RecordKind::Record;
    std::string sheet;
    std::uint32_t first_row = 0;  // 0-based
    std::uint32_t last_row = 0;   // grows with continuation rows
    std::string section;          // the section id it belongs to ("" when the mapping has none)
    std::string group;            // the group (division) label above it, if any
    std::uint32_t continuations = 0;
    std::vector<FieldValue> values;  // parallel to TableSpec::columns
    std::vector<Record> subrecords;  // sub-actions split out of one cell

    SourceRef src() const { return {sheet, CellRef{first_row, 0}}; }
};

struct Claim {
    std::string name;                           // as the mapping names it ("summary")
    std::string text;                           // the whole sentence
    SourceRef where;
    std::map<std::string, std::string> parts;   // named captures: on_track -> "five"
};

struct Section {
    std::string id;
    std::string title;
    SourceRef where;
    std::vector<Claim> claims;
};

struct Fact {
    std::string name;
    std::string raw;
    SourceRef where;
};

// A non-empty cell of a table's rows that no field and no row kind took (MAP-UNREAD).
struct UnreadCell {
    SourceRef where;
    std::string text;
    std::string why;  // "under header 'Comments', which is no column of the table"
};

// A table that stopped where rows with content in its columns still followed.
struct EarlyEnd {
    SourceRef where;        // the row that ended it
    std::string reason;     // "the section start 'Outcome 2'"
    std::uint32_t rows = 0; // rows after it with cells in its columns, before anything else read them
    std::uint32_t first_row = 0, last_row = 0;
};

struct TableRecords {
    const TableSpec* spec = nullptr;
    // Accounting (MAP-UNREAD): what the table's rows held that nothing took, the columns whose
    // header was never found (parallel to spec->columns), and the places it ended early.
    std::vector<UnreadCell> unread;
    std::vector<bool> column_found;
    std::vector<EarlyEnd> early_ends;
    std::vector<Record> records;
    // The header text found for each column (parallel to spec->columns), from its first header.
    std::vector<std::string> header_texts;
    std::vector<SourceRef> header_cells;
};

struct Document {
    const Mapping* mapping = nullptr;
    std::string source;                 // the input file
    // The string pool of the workbook it was mapped from: fields refer to its texts.
    std::shared_ptr<const StringPool> strings;
    std::vector<Fact> facts;
    std::vector<Section> sections;
    std::vector<TableRecords> tables;   // parallel to mapping->tables

    const Fact* fact(std::string_view name) const {
        for (const Fact& f : facts)
            if (f.name == name) return &f;
        return nullptr;
    }
};

}  // namespace planconv
