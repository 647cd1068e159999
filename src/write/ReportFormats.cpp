// Report format by extension.
#include "write/ReportFormats.hpp"

#include "write/HtmlReport.hpp"
#include "write/JsonReport.hpp"
#include "write/JunitReport.hpp"

#include <cctype>

namespace planconv {

std::optional<std::string> render_report(const std::filesystem::path& file, const RunResult& run,
                                         std::optional<Severity> fail_at) {
    if (is_stdout(file)) return json_report(run);
    std::string ext = file.extension().string();
    for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".json") return json_report(run);
    if (ext == ".html" || ext == ".htm") return html_report(run);
    if (ext == ".xml") return junit_report(run, fail_at);
    return std::nullopt;
}

}  // namespace planconv
