// Excel number formats: the built-in codes behind numFmtId 0-58, and what a format code makes
// of the number it formats (a plain number, a date, a time of day, a duration).
//
// A spreadsheet stores a date as a number plus a format; the format is the only thing that says
// "this 42704 is 30 November 2016". Every reader that gets Excel formats (xlsx, xls) decides
// cell types here, so that a cell reads the same whichever file type it came in.
#pragma once

#include "model/Workbook.hpp"

#include <cstdint>
#include <string_view>

namespace planconv {

enum class NumberFormatKind : std::uint8_t {
    Number,    // General, 0.00, #,##0, 0%, ... (and anything not recognised)
    Text,      // @
    Date,      // d/m/yyyy, mmm-yy: calendar date, no time of day
    Time,      // h:mm, mm:ss: a time of day
    DateTime,  // d/m/yyyy h:mm
    Duration,  // [h]:mm:ss: elapsed time, which may exceed a day
};

// The format code of a built-in numFmtId (0 "General", 14 "mm-dd-yy", 46 "[h]:mm:ss", ...);
// empty for an id with no built-in format. Ids 27-36 and 50-58 are Excel's East Asian date
// formats, given as their ja-JP codes.
std::string_view builtin_number_format(std::uint32_t id);

// Classifies a format code by scanning its first section the way Excel reads it: quoted text,
// backslash escapes, _x padding and *x fill are literal; [Red], [$-809] and [>=100] are not
// codes; [h], [mm] and [ss] are elapsed time; "m" is minutes next to h or s, else months.
NumberFormatKind classify_number_format(std::string_view code);

inline bool is_calendar(NumberFormatKind k) {
    return k == NumberFormatKind::Date || k == NumberFormatKind::Time || k == NumberFormatKind::DateTime;
}

// A number as a cell holds it once its format is known. Dates, times and date-times are told
// apart by the value, not the format (openpyxl and Excel agree: 0.5 in a d/m/yyyy cell shows
// noon): [0, 1) is a time of day, a whole serial a date, anything else a date-time.
struct TypedNumber {
    CellType type;
    double number;  // for Date and DateTime, a serial in the 1900 system
};

// `value` is the stored number; `date1904` says the workbook counts days from 1904-01-01, in
// which case dates are moved to the 1900 system the model uses. Durations stay numbers (of
// days): they are quantities, not points in the calendar. Serials outside Excel's calendar
// (negative, past 9999-12-31) stay numbers too.
TypedNumber type_formatted_number(double value, NumberFormatKind kind, bool date1904);

}  // namespace planconv
