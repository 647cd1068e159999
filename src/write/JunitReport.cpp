// JUnit XML: <testsuite> of the run, one <testcase> per file; a file with a finding at or above
// the --fail-on severity is a failure, a file that could not be read is an error.
#include "write/JunitReport.hpp"

#include "write/XmlTextOutput.hpp"

namespace planconv {

namespace {

bool fails(const Finding& x, std::optional<Severity> fail_at) { return fail_at && x.severity >= *fail_at; }

std::string finding_line(const Finding& x) {
    std::string line = std::string(to_string(x.severity)) + " " + x.rule + " " + x.sheet + "!" + x.cell + ": " + x.message;
    if (x.count > 1) line += " (" + std::to_string(x.count) + " times)";
    return line + "\n";
}

}  // namespace

std::string junit_report(const RunResult& run, std::optional<Severity> fail_at) {
    std::size_t failures = 0, errors = 0;
    for (const FileResult& f : run.files) {
        if (f.status == FileResult::Status::Failed)
            ++errors;
        else
            for (const Finding& x : f.findings)
                if (fails(x, fail_at)) {
                    ++failures;
                    break;
                }
    }
    std::string xml;
    XmlTextOutput w([&xml](std::string_view chunk) { xml += chunk; });
    w.start("testsuites").start("testsuite");
    w.attribute("name", "planconv").attribute("tests", std::to_string(run.files.size()));
    w.attribute("failures", std::to_string(failures)).attribute("errors", std::to_string(errors));
    w.attribute("timestamp", run.generated);
    for (const FileResult& f : run.files) {
        w.start("testcase").attribute("classname", f.mapping.empty() ? "planconv" : f.mapping).attribute("name", f.input);
        if (f.status == FileResult::Status::Failed) {
            w.start("error").attribute("message", f.error).text(f.error).end();
        } else {
            std::string detail, other;
            std::size_t n = 0;
            for (const Finding& x : f.findings) {
                if (fails(x, fail_at)) {
                    n += x.count;
                    detail += finding_line(x);
                } else {
                    other += finding_line(x);
                }
            }
            if (n > 0) {
                std::string what = fail_at == Severity::Error ? " error finding(s)" : " finding(s) at or above " + std::string(to_string(*fail_at));
                w.start("failure").attribute("message", std::to_string(n) + what).attribute("type", "planconv").text(detail).end();
            }
            if (!other.empty()) w.element("system-out", other);
        }
        w.end();
    }
    w.end().end();
    w.finish();
    return xml;
}

}  // namespace planconv
