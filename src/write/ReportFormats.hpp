// The report formats by file extension: .json (report.json), .html/.htm (report.html), .xml
// (JUnit). One place, so convert/validate and `report merge` name reports the same way.
#pragma once

#include "model/RunResult.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace planconv {

// "-" for a report: report.json on stdout.
inline bool is_stdout(const std::filesystem::path& file) { return file == "-"; }

// The report in the format its extension names ("-": JSON); nullopt for an unknown extension.
// The JUnit report fails a test case for findings at or above `fail_at` (--fail-on).
std::optional<std::string> render_report(const std::filesystem::path& file, const RunResult& run,
                                         std::optional<Severity> fail_at);

// Writes the report to `file` (whole or not at all) or, for "-", to stdout. Throws what the
// write throws.
void write_report(const std::filesystem::path& file, const RunResult& run, std::optional<Severity> fail_at);

}  // namespace planconv
