// The report formats by file extension: .json (report.json), .html/.htm (report.html), .xml
// (JUnit). One place, so convert/validate and `report merge` name reports the same way.
#pragma once

#include "model/RunResult.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace planconv {

// The report in the format its extension names; nullopt for an unknown extension.
std::optional<std::string> render_report(const std::filesystem::path& file, const RunResult& run);

}  // namespace planconv
