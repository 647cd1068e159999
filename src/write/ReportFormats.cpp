// Report format by extension.
#include "write/ReportFormats.hpp"

#include "write/HtmlReport.hpp"
#include "write/JsonReport.hpp"
#include "write/JunitReport.hpp"

#include "files/AtomicFile.hpp"

#include <cctype>
#include <iostream>
#include <stdexcept>

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

void write_report(const std::filesystem::path& file, const RunResult& run, std::optional<Severity> fail_at) {
    const std::optional<std::string> text = render_report(file, run, fail_at);
    if (!text) throw std::invalid_argument("cannot tell the report format of '" + file.string() + "'");
    if (is_stdout(file))
        std::cout << *text << std::flush;
    else
        write_file_atomically(file, *text);
}

}  // namespace planconv
