// RecordChange: one difference between a return and last quarter's (--previous), as the cleaned
// workbook's "Changes" sheet lists it — a field that changed, a record dropped or added.
#pragma once

#include <string>

namespace planconv {

struct RecordChange {
    enum class Kind { Changed, Dropped, Added };
    Kind kind = Kind::Changed;
    std::string table;     // the mapping's table name ("actions")
    std::string record;    // its id ("3.2"), the previous one's for a dropped record
    std::string field;     // the column as the sheet heads it ("" for a whole record)
    std::string previous;  // the text last quarter ("" for an added record)
    std::string now;       // the text now ("" for a dropped record)
    std::string cell;      // where it is now ("Sheet!F12"); a dropped record: where it was last quarter
    bool paired_by_text = false;  // the record was paired by its text, not its id
};

}  // namespace planconv
