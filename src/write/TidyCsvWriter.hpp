// TidyCsvWriter: tidy CSV for analysts (`--csv`, SPEC §9) — one file per table kind of a return
// (and of a consolidation), one row per record, for Power BI, R or Excel Power Query.
//
// Columns: [source] (consolidations: the return the row came from), section, id, parent_id,
// kind (record, total, note, group), group, then per field of the mapping its normalised value
// under the field's XML element name and, when some row's text as written differs from it,
// "<field>_raw" holding the text as written on the rows where it differs; last source_cell
// ("Sheet!C8", the record's src= in the XML). Sub-records get their own file: id is their
// marker, parent_id the id of the record they were split from. Values are the XML's: a field
// that did not read as its type has an empty value and its text in _raw; a list or quantity
// joins its items with "; " and always keeps its text in _raw (as the XML keeps raw=).
//
// RFC 4180: CRLF line ends, every field that holds a comma, quote, CR or LF quoted with its
// quotes doubled. UTF-8, with a byte order mark on request (Excel needs it to read UTF-8).
// Text that begins with = + - @ is written as it is: a CSV holds no formulas, and a reader
// that evaluates them (Excel opening the file) is the analyst's to configure.
#pragma once

#include "model/Consolidation.hpp"
#include "model/Document.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace planconv {

struct TidyCsvOptions {
    bool bom = false;  // --csv-bom
};

// The CSV of table kind `table` beside the XML `xml`: "OUT/care-q2.xml" -> "OUT/care-q2.actions.csv".
std::filesystem::path tidy_csv_path(const std::filesystem::path& xml, std::string_view table);

// Writes one CSV per table kind that has records (atomically) and returns table kind -> path.
// Table kinds are the mapping's table names and "<table>.<sub-record element>" for sub-records.
std::map<std::string, std::filesystem::path> write_tidy_csv(const Document& doc, const std::filesystem::path& xml,
                                                            const TidyCsvOptions& options = {});
std::map<std::string, std::filesystem::path> write_consolidated_tidy_csv(const Consolidation& c, const std::filesystem::path& xml,
                                                                         const TidyCsvOptions& options = {});

// One CSV field as RFC 4180 writes it.
std::string csv_field(std::string_view text);

}  // namespace planconv
