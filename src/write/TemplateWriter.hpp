// TemplateWriter: a return workbook in a mapping's layout for services to fill in
// (`planconv template`, SPEC §9), blank or pre-filled from last quarter's Document.
//
// The layout is the mapping's own, so that `planconv convert` reads the filled return back:
//   the template sheet (<template sheet=>): the title row, then — sections starting at a row —
//     per section its start row ("Priority Outcome 1"), its title row when the mapping reads
//     titles from the next row, one row per narrative claim, and every table of the section;
//     tables outside sections come before the first section;
//   sections one per sheet: a sheet per section named by <sections template=>, after the
//     template sheet (which then holds the title and the tables outside sections);
//   "Instructions", last, one paragraph per row (its text is checked never to read as part of
//     the return: no fact, section start or claim of the mapping matches it).
// Each table: a header row of the columns' titles (facts filled in; a title with [hints] is
// left for the service to complete), then the records: `given` columns written and locked,
// `carried` written and unlocked, `input` blank and unlocked (column template= roles).
// Sub-records whose fields are aligned by position get a row each, as returns write them.
// Fill-down values the previous return inherited are merged over their rows. Spare unlocked
// rows follow each table; rows may be inserted on the protected sheets (no password).
// RAG cells get a drop-down and their colours, date cells date validation, timescale and
// other typed cells a prompt saying what may be written.
#pragma once

#include "mapping/Mapping.hpp"
#include "model/Document.hpp"

#include <filesystem>
#include <stdexcept>
#include <string>

namespace planconv {

// The mapping has no <template>, or its template texts cannot be laid out.
class TemplateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct TemplateOptions {
    int sections = 1;        // without a document: how many sections to lay out
    int rows = 0;            // without a document: blank rows per table (0: the mapping's <template rows=>)
    int spare_rows = 2;      // with a document: blank rows after each table's records
    std::string made_from;   // shown in the properties ("care-q2.xml"); "" for a blank template
};

// `from` may be null (a blank template). Writes `file` atomically; throws TemplateError,
// XlsxWriteError or AtomicFileError.
void write_template(const Mapping& mapping, const Document* from, const std::filesystem::path& file,
                    const TemplateOptions& options = {});

}  // namespace planconv
