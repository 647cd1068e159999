// ChangesSheetWriter: the "Changes" sheet of a cleaned workbook made with --previous — what
// changed since last quarter's return, one row per change: record, field, previous, now.
#pragma once

#include "model/RecordChange.hpp"
#include "write/XlsxBook.hpp"

#include <string>
#include <vector>

typedef struct lxw_worksheet lxw_worksheet;

namespace planconv {

// Columns: Table, Record, Change (changed / dropped / added), Field, Previous (its heading names
// last quarter's return, `previous_name`), Now, Cell in your workbook (a dropped record: where it
// was in the previous return), Paired by (id or text). With no change the sheet says so.
void write_changes_sheet(XlsxBook& book, lxw_worksheet* ws, const std::vector<RecordChange>& changes,
                         const std::string& previous_name);

}  // namespace planconv
