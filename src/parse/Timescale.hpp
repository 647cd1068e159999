// Timescale cells ("target date", "deadline", "timescale") as councils write them, read into
// periods at day precision: single dates, months, financial years and quarters, seasons,
// ranges, open-ended starts, status words, and cells holding several milestones. Also finds a
// period inside longer text (headers, titles) and derives a reporting date from it.
//
// Conventions (UK): day-first numeric dates; the financial year runs April–March and
// "2016/17" is 2016-04-01..2017-03-31; Quarter 1 is April–June, so "Q3 2020/21" is
// 2020-10-01..2020-12-31 and "Quarter 4 12/13" is 2013-01-01..2013-03-31.
//
// How each form reads (see tests/unit/test_parse_timescale.cpp for the full table):
//   "April 2022", "Sept 2016", "Sep16", "Oct 16"   the whole month (Month granularity)
//   "31/03/2017", "1st April 2017", "01-Sep-11"     one day (Date)
//   "End of March 2017", "by end Sep16"             the last day of what follows (Date)
//   "By Dec 16", "by 2017"                          the period named, with `deadline` set:
//                                                   the start is the named period's start,
//                                                   not "whenever work began"
//   "From Aug 16"                                   2016-08-01.. with no end (OpenEnded)
//   "Jan – Mar 17", "Sep – Mar 17", "Jun 16 – Oct 17", "Between Dec 2016 and June 2017"
//                                                   one Period; a yearless start takes the
//                                                   end's year, or the year before when its
//                                                   month is later (Sep – Mar 17 = Sep 2016..)
//   "Jun / Sep 16", "September 2013 and March 2014", "Aug 16 Implemented  May 16"
//                                                   several milestones (parts), in cell order;
//                                                   a yearless month borrows the next part's year
//   "2016/17", "2016-17", "16/17"                   the financial year
//   "Q3 2020/21", "Quarter Two 2017/18", "2020/21 Quarter 3"  a financial quarter
//   "Spring 2017" (Mar–May), "Summer" (Jun–Aug), "Autumn" (Sep–Nov), "Winter 2017"
//                                                   (Dec 2017–Feb 2018), "Winter 2016/17"
//   "early 2017" (Jan–Apr), "mid 2017" (May–Aug), "late 2017" (Sep–Dec); of a month:
//                                                   days 1–10, 11–20, 21–end
//   "Ongoing", "TBC", "Annually", "Quarterly", "Monthly", "Implemented", "Completed"
//                                                   status words (parts without a period)
//   "April 2022 [AP]"                               bracketed text that is not a timescale
//                                                   is a flag ("AP"); "[then annually]" is read
// Words between parts that carry no date ("then", "and", "prog", "review", ",") are skipped.
// Other words are kept in `leftover`: the cell still parses when at least one part was read.
// A cell with no part at all ("SeptDec 16", "ASAP", "(insert month)") is Unparsed.
//
// Two-digit years: 00–69 are 2000–2069 and 70–99 are 1970–1999 (TimescaleOptions::
// two_digit_year_pivot). This deliberately differs from Excel's 1930–2029 window: contract
// registers hold end dates in the 2030s and later, and nothing in these returns is pre-1970.
#pragma once

#include "model/Date.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planconv {

enum class TimescaleKind {
    Empty,       // blank cell
    Unparsed,    // no date, period or status word could be read (-> TIME-UNPARSED)
    Date,        // one day
    Period,      // a span of days
    OpenEnded,   // a start with no end: "From Aug 16"
    Status,      // a status word with no date
    Milestones,  // several parts in one cell (the cell level only)
};

enum class TimescaleStatus { Ongoing, Tbc, Annually, Quarterly, Monthly, Implemented, Completed };

// How precisely the text named its period (for writing it back: "2016-12" vs "2016-12-01").
enum class Granularity { Day, PartOfMonth, Month, MonthRange, Quarter, Season, PartOfYear,
                         Year, FinancialYear };

std::string_view timescale_kind_name(TimescaleKind k);       // "date", "period", ...
std::string_view timescale_status_name(TimescaleStatus s);   // "Ongoing", "TBC", ...

// One milestone or status word of a cell.
struct TimescalePart {
    TimescaleKind kind = TimescaleKind::Period;  // Date, Period, OpenEnded or Status
    std::optional<Period> period;                // all kinds but Status
    std::optional<TimescaleStatus> status;       // Status only
    Granularity granularity = Granularity::Day;
    bool deadline = false;                       // "By …", "before …", "no later than …"
    std::size_t begin = 0, end = 0;              // byte span in the text given to the parser
    std::string text;                            // that span, verbatim

    friend bool operator==(const TimescalePart&, const TimescalePart&) = default;
};

// A parsed cell.
struct Timescale {
    std::string raw;                   // the cell text, unchanged
    TimescaleKind kind = TimescaleKind::Empty;
    std::vector<TimescalePart> parts;  // in cell order
    std::optional<Period> period;      // earliest start .. latest end of the dated parts
                                       // (no end if any part is open-ended)
    std::vector<std::string> flags;    // "[AP]" -> "AP"
    std::string leftover;              // words that were neither parts nor fillers

    bool parsed() const { return kind != TimescaleKind::Empty && kind != TimescaleKind::Unparsed; }
    bool has_status(TimescaleStatus s) const;
    // The date the work is due: the latest end of the dated parts (nullopt if there is none
    // or a part is open-ended).
    std::optional<Date> due() const;
};

struct TimescaleOptions {
    int two_digit_year_pivot = 70;       // yy < pivot -> 20yy, else 19yy
    // Resolves "Quarter 3" and "Q3" written without a year: the financial year starting then.
    std::optional<int> financial_year;
    // Resolves a month written without any year ("March") to its occurrence in this window.
    std::optional<Period> plan;
};

Timescale parse_timescale(std::string_view text, const TimescaleOptions& options = {});
// A numeric or date-formatted cell: an Excel serial (1900 or 1904 system) is one day.
Timescale timescale_from_serial(double serial, bool date1904 = false);

// Every date, period or status word found in running text ("Timescale between Jun 16 – Oct 17",
// "Portfolio Plan for 2020/21 Quarter 3 Update"); words around them are ignored.
std::vector<TimescalePart> find_timescales(std::string_view text,
                                           const TimescaleOptions& options = {});
// The first dated part (not a status word) in running text.
std::optional<TimescalePart> find_period(std::string_view text,
                                         const TimescaleOptions& options = {});

// The reporting date named in a header or title: the end of the first period in it.
// "Half Year Update – end of November 2016" -> 2016-11-30; "Quarter 3 Update" with
// year_context "2020/21" -> 2020-12-31. year_context (e.g. the plan title or period cell) is
// searched for the financial year that resolves a bare "Quarter N".
std::optional<Date> reporting_date_from_text(std::string_view text,
                                             std::string_view year_context = {});

}  // namespace planconv
