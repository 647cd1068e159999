// How close a workbook comes to a mapping's table headers, in words, for the messages about a
// mapping that does not fit: auto-detection's "no mapping fits" names the real near misses and
// what they lacked, and -m with the wrong mapping says which headers were not found.
#pragma once

#include "mapping/Mapping.hpp"
#include "model/Workbook.hpp"

#include <string>
#include <vector>

namespace planconv {

struct HeaderNearMiss {
    const Mapping* mapping = nullptr;
    const TableSpec* table = nullptr;
    int found = 0;                      // header columns found on the best row
    int needed = 0;                     // how many the table needs (min-match)
    std::string where;                  // "'Actions' row 3" ("" when nothing was found)
    std::vector<std::string> missing;   // columns not found on that row, in words

    // found / needed, for ranking near misses.
    double closeness() const { return needed > 0 ? double(found) / double(needed) : 0.0; }
};

// A column as a person would name it: its title ("TARGET DATE"), else its field name with
// spaces ("target date"); never the regular expression.
std::string column_in_words(const ColumnSpec& column);

// The row of the workbook's visible sheets (the first 400 rows of each, as detection reads them)
// where most of the table's header columns are found.
HeaderNearMiss nearest_header(const Workbook& wb, const Mapping& mapping, const TableSpec& table);
// The mapping's table that comes closest.
HeaderNearMiss nearest_header(const Workbook& wb, const Mapping& mapping);

// "table 'actions' needs 5 of its headers and 3 were found, on 'Actions' row 3, but not TARGET
// DATE, LEAD or UPDATES" / "table 'lines' found none of its headers (service, outturn, …)".
std::string describe(const HeaderNearMiss& miss);

}  // namespace planconv
