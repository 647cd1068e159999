// CleanWorkbookWriter: the cleaned workbook of one converted return (SPEC §9) — the same
// records in a tidy layout a committee clerk can paste from.
//
// Sheets, in this order:
//   "Summary": the committee summary (SectionSummary) — per section the RAG counts of its
//     records, overdue targets and findings, with a native stacked bar chart;
//   one per table found in the return, named for it ("Actions", "Indicators"): a header row of
//     column titles (the mapping's title=, else the header the return used), then one row per
//     record in the return's order — continuation rows already merged into their record —
//     with the section id (and title) and group filled in on every row; totals, notes and
//     group rows keep their place and say what they are in "Row type";
//   one per table with sub-records ("Sub actions", "Key actions"): one row per sub-record
//     with the section, the parent record's id and the sub-record's own id;
//   the sections ("Outcomes", "Priorities"): id, title, the narrative claims, records counted;
//   "Changes" (with --previous): what changed since last quarter's return (ChangesSheetWriter);
//   "Findings": every finding with a hyperlink to the cleaned cell that carries the value;
//   "About": the plan facts, the source file, mapping, reporting date, when and by what.
// Values are typed (CleanCell): numbers, money and percentages as numbers with formats, dates
// as Excel dates, RAG canonical with its colour (kept when a clerk changes it: conditional
// formats) and a drop-down of the allowed values, timescales as written with a due date beside
// them. Where reading changed a value, the text as written is kept in an adjacent
// "<heading> (as written)" column — visible, filterable and pasted with the table, which a
// cell comment would not be. Cells a finding points at are filled by severity and carry the
// finding's message as a comment. Header row frozen, autofilter on, widths fitted (at most 60
// characters) with wrapping. Text is only ever written as text, never as a formula.
//
// A consolidated workbook (convert --consolidate) is the same layout over several returns of
// one mapping: the record, sub-record and section sheets start with a "Source" column naming
// the input each row came from, the returns' rows follow one another in the consolidation's
// order, the Findings sheet lists every return's findings with their Source (each linking to
// its own return's cleaned cell), and the About sheet describes the consolidation, then each
// return merged as its own workbook's About would; its Summary lists every return's sections.
#pragma once

#include "model/Consolidation.hpp"
#include "model/Date.hpp"
#include "model/Document.hpp"
#include "model/Finding.hpp"
#include "model/RecordChange.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace planconv {

struct CleanWorkbookOptions {
    std::string source_name;   // the input as shown to people; default: doc.source's file name
    std::optional<Date> as_of; // the reporting date the checks used; default: the workbook's own
    std::string generated;     // ISO 8601 UTC time of the run; default: now
    // Stream rows to disk (flat memory for big returns); off only for tests of the layout.
    bool constant_memory = true;
    // --previous: what changed since last quarter's return (named `previous_name`), written as a
    // "Changes" sheet after the tables; null for no such sheet.
    const std::vector<RecordChange>* changes = nullptr;
    std::string previous_name;
    // A core to spare: a big table's rows are prepared on a second thread while they are written.
    bool spare_core = false;
};

// Writes `file` atomically. Throws XlsxWriteError or AtomicFileError (the final name is then
// untouched). `findings` are the document's, cells A1 on the source sheets.
void write_clean_workbook(const Document& doc, const std::vector<Finding>& findings, const std::filesystem::path& file,
                          const CleanWorkbookOptions& options = {});

struct ConsolidatedWorkbookOptions {
    std::string generated;        // ISO 8601 UTC time of the run; default: now
    bool constant_memory = true;  // as CleanWorkbookOptions
    bool spare_core = false;      // as CleanWorkbookOptions
};

// Writes the consolidated workbook of `c` to `file` atomically. Throws XlsxWriteError (also for
// a consolidation without returns, or with a return of another mapping) or AtomicFileError.
void write_consolidated_workbook(const Consolidation& c, const std::filesystem::path& file,
                                 const ConsolidatedWorkbookOptions& options = {});

}  // namespace planconv
