// CleanCell: how one field of one record becomes one cell of the cleaned workbook.
//
// The value is typed by FieldTyper (never re-parsed here) and written as what it is: numbers,
// money and percentages as numbers with a format, dates as Excel dates, RAG as its canonical
// word with its colour, rich text as lines and bullets. When reading changed what was written
// (a two-digit-year date, "Cr 145", "Amber (Central Government Delay)"), the text as written
// goes to the column's "(as written)" companion. A value that does not read as its type is
// kept as the text written, marked `unparsed`.
#pragma once

#include "mapping/FieldTyper.hpp"
#include "mapping/Mapping.hpp"
#include "model/Date.hpp"
#include "model/Document.hpp"
#include "parse/Rag.hpp"

#include <optional>
#include <string>

namespace planconv {

enum class CleanCellKind { Blank, Text, Number, Date };

struct CleanCell {
    CleanCellKind kind = CleanCellKind::Blank;
    std::string text;             // Text: the value (not yet made safe for a cell)
    double number = 0;            // Number; Date as a 1900-system serial
    std::string num_format;       // Number and Date
    std::optional<RagValue> rag;  // a RAG cell: its colour
    std::string as_written;       // the text as written, when reading changed it; else ""
    bool unparsed = false;        // did not read as its type: `text` is the raw text
    std::optional<Date> due;      // timescales: the date the value is due by
    std::string display;          // roughly what the cell shows (column widths, row heights)
};

// Excel number formats of the cleaned workbook.
inline constexpr const char* kDateFormat = "d mmm yyyy";

CleanCell clean_cell(const ColumnSpec& column, const FieldValue& value, FieldTyper& typer);

// Does this type of column get an "(as written)" companion when a value was changed by reading?
// Text-like types never do: their cleaning (markup to lines, spaces) is the point.
bool keeps_text_as_written(FieldType type);

// "lead_key" -> "Lead key", "sub_action" -> "Sub action".
std::string humanise_name(std::string_view name);
// "Actions" from "action", "Priorities" from "priority" (English plural of a humanised name).
std::string plural_name(std::string_view name);

}  // namespace planconv
