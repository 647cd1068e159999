// Extractor: applies a Mapping to a Workbook and returns the Document it describes.
//
// It walks every visible sheet row by row once: section starts, narrative claims, table
// headers (repeated ones skipped), then each table row classified as a record, continuation,
// note, total, group or separator. All layout knowledge comes from the Mapping.
#pragma once

#include "mapping/Mapping.hpp"
#include "model/Document.hpp"
#include "model/Workbook.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace planconv {

// Thrown when a workbook cannot be mapped at all (no table header of the mapping found).
class MappingMismatch : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// How one row was read, for `planconv inspect --explain`: header, record, continuation,
// sub-record, note, total, group, separator, section start, section title, claim, fact, end,
// or ignored (with why).
struct RowReading {
    std::string sheet;
    std::size_t sheet_index = 0;
    std::uint32_t row = 0;  // 0-based
    std::string kind;
    std::string table;      // the table it belongs to ("" for none)
    std::string detail;     // "id 1.2", "of record 1.2", why it was ignored
};

struct ExtractionTrace {
    std::vector<RowReading> rows;  // in workbook order
};

// With a trace, every non-empty row's reading is added to it.
Document extract(const Workbook& wb, const Mapping& mapping, ExtractionTrace* trace = nullptr);

// Header-cell text as mappings match it: whitespace collapsed (line breaks too), dashes and
// quotes normalised, trailing dots and spaces dropped.
std::string header_key(std::string_view text);

// How well a mapping fits a workbook, for auto-detection and `inspect`.
struct DetectionScore {
    const Mapping* mapping = nullptr;
    int tables_found = 0;      // tables whose header was found
    int header_cells = 0;      // header cells matched in all
    int texts_found = 0;       // detect/text patterns present
    int texts_wanted = 0;
    bool sheet_names_ok = true;
    std::vector<std::string> reasons;  // one line each: what was found where, what was missing

    bool fits() const { return tables_found > 0 && texts_found == texts_wanted && sheet_names_ok; }
    int score() const { return tables_found * 1000 + header_cells * 10 + texts_found; }
};

// The rows detection reads (the first rows of each visible sheet) as text, worked out once
// for scoring every candidate mapping against one workbook.
class DetectionWindow {
public:
    explicit DetectionWindow(const Workbook& wb);
    ~DetectionWindow();
    DetectionWindow(const DetectionWindow&) = delete;
    DetectionWindow& operator=(const DetectionWindow&) = delete;

    struct Rows;  // Extractor.cpp's
    const Rows& rows() const { return *rows_; }

private:
    std::unique_ptr<Rows> rows_;
};

DetectionScore score_mapping(const DetectionWindow& window, const Mapping& mapping);
DetectionScore score_mapping(const Workbook& wb, const Mapping& mapping);

}  // namespace planconv
