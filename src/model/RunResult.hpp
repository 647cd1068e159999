// RunResult: what happened to each input of a convert/validate run — the report's content.
#pragma once

#include "model/Finding.hpp"
#include "model/SectionTally.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace planconv {

struct FileResult {
    enum class Status { Converted, Failed };
    std::string input;                          // as given or found (relative to the run)
    std::string mapping;                        // "" when none could be chosen
    Status status = Status::Failed;
    std::string as_of;                          // ISO date used for timescale checks
    std::string as_of_source;                   // "option", "workbook", "today"
    std::map<std::string, std::string> outputs; // "workbook" / "xml" -> path
    std::string error;                          // one sentence when failed
    bool unwritten = false;                     // failed because its outputs could not be written (exit 4)
    std::size_t sections = 0;
    std::size_t records = 0;
    std::vector<Finding> findings;
    std::vector<SectionTally> section_tallies;  // converted: the committee summary per section
    // --previous: the return it was compared with, how that one was found ("by mapping and plan
    // title"), why none was (the PREV-* rules did not run), and the records paired by text
    // ("action 3 with 2 (ids renumbered)").
    std::string previous;
    std::string previous_pairing;
    std::string previous_problem;
    std::vector<std::string> previous_text_pairs;
};

// One consolidated workbook/XML pair of `convert --consolidate NAME`.
struct ConsolidationResult {
    std::string name;                           // the file name written, without extension ("q2" or "q2-indicator-table")
    std::string mapping;
    std::map<std::string, std::string> outputs; // "workbook" / "xml" -> path (those written)
    std::vector<std::string> inputs;            // the inputs merged, as FileResult::input, in order
    std::size_t sections = 0;
    std::size_t records = 0;
    std::string error;                          // one sentence when an output could not be written
};

// A path met while scanning an input folder and left out, with why ("not a spreadsheet (.docx)").
struct SkippedPath {
    std::string path;
    std::string reason;
};

struct RunResult {
    std::string generated;                      // ISO 8601 UTC time of the run
    std::vector<FileResult> files;              // in input order (when interrupted: those processed)
    std::vector<SkippedPath> skipped;           // left out while scanning the inputs
    bool interrupted = false;                   // stopped by SIGINT/SIGTERM before every input was taken
    std::size_t not_processed = 0;              // inputs never taken because of the interruption
    // With --consolidate: one entry per mapping the converted inputs used (none converted: empty).
    std::optional<std::vector<ConsolidationResult>> consolidated;

    std::size_t count(Severity s) const {
        std::size_t n = 0;
        for (const auto& f : files)
            for (const auto& x : f.findings)
                if (x.severity == s) n += x.count;
        return n;
    }
    // Findings at or above `fail_at` (none when nullopt: --fail-on never), which make exit 1.
    std::size_t count_failing(std::optional<Severity> fail_at) const {
        std::size_t n = 0;
        if (fail_at)
            for (Severity s : {Severity::Error, Severity::Warning, Severity::Info})
                if (s >= *fail_at) n += count(s);
        return n;
    }
    std::size_t unwritten() const {
        std::size_t n = 0;
        for (const auto& f : files) n += f.unwritten;
        return n;
    }
    std::size_t converted() const {
        std::size_t n = 0;
        for (const auto& f : files) n += f.status == FileResult::Status::Converted;
        return n;
    }
};

}  // namespace planconv
