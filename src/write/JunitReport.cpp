// JUnit XML: <testsuite> of the run, one <testcase> per file; error findings are failures,
// a file that could not be read is an error.
#include "write/JunitReport.hpp"

#include "write/XmlTextOutput.hpp"

namespace planconv {

std::string junit_report(const RunResult& run) {
    std::size_t failures = 0, errors = 0;
    for (const FileResult& f : run.files) {
        if (f.status == FileResult::Status::Failed)
            ++errors;
        else
            for (const Finding& x : f.findings)
                if (x.severity == Severity::Error) {
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
            std::string detail;
            std::size_t n = 0;
            for (const Finding& x : f.findings) {
                if (x.severity != Severity::Error) continue;
                n += x.count;
                detail += x.rule + " " + x.sheet + "!" + x.cell + ": " + x.message + "\n";
            }
            if (n > 0)
                w.start("failure").attribute("message", std::to_string(n) + " error finding(s)").attribute("type", "planconv").text(detail).end();
            std::string other;
            for (const Finding& x : f.findings)
                if (x.severity != Severity::Error)
                    other += std::string(to_string(x.severity)) + " " + x.rule + " " + x.sheet + "!" + x.cell + ": " + x.message + "\n";
            if (!other.empty()) w.element("system-out", other);
        }
        w.end();
    }
    w.end().end();
    w.finish();
    return xml;
}

}  // namespace planconv
