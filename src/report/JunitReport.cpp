// JUnit XML: <testsuite> of the run, one <testcase> per file; error findings are failures,
// a file that could not be read is an error.
#include "report/JunitReport.hpp"

#include "report/MarkupWriter.hpp"

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
    MarkupWriter w(true);
    w.open("testsuites").open("testsuite");
    w.attr("name", "planconv").attr("tests", std::to_string(run.files.size()));
    w.attr("failures", std::to_string(failures)).attr("errors", std::to_string(errors));
    w.attr("timestamp", run.generated);
    for (const FileResult& f : run.files) {
        w.open("testcase").attr("classname", f.mapping.empty() ? "planconv" : f.mapping).attr("name", f.input);
        if (f.status == FileResult::Status::Failed) {
            w.open("error").attr("message", f.error).text(f.error).close();
        } else {
            std::string detail;
            std::size_t n = 0;
            for (const Finding& x : f.findings) {
                if (x.severity != Severity::Error) continue;
                n += x.count;
                detail += x.rule + " " + x.sheet + "!" + x.cell + ": " + x.message + "\n";
            }
            if (n > 0)
                w.open("failure").attr("message", std::to_string(n) + " error finding(s)").attr("type", "planconv").text(detail).close();
            std::string other;
            for (const Finding& x : f.findings)
                if (x.severity != Severity::Error)
                    other += std::string(to_string(x.severity)) + " " + x.rule + " " + x.sheet + "!" + x.cell + ": " + x.message + "\n";
            if (!other.empty()) w.element("system-out", other);
        }
        w.close();
    }
    w.close().close();
    return w.finish();
}

}  // namespace planconv
