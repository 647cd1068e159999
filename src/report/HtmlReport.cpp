// The HTML report, written through MarkupWriter (libxml2 escapes every text and attribute).
#include "report/HtmlReport.hpp"

#include "report/MarkupWriter.hpp"

#include <algorithm>
#include <map>

namespace planconv {

namespace {

constexpr const char* kCss = R"(
body { font: 15px/1.45 system-ui, "Segoe UI", Arial, sans-serif; color: #1d2733; margin: 2rem auto; max-width: 78rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .3rem; border-bottom: 2px solid #d5dbe3; padding-bottom: .2rem; }
h3 { font-size: 1.02rem; margin: 1.2rem 0 .4rem; color: #3a4a5c; }
.meta { color: #5b6b7c; font-size: .9rem; }
.summary { display: flex; gap: .6rem; flex-wrap: wrap; margin: 1rem 0 1.4rem; }
.badge { border-radius: .4rem; padding: .45rem .8rem; background: #eef2f6; font-weight: 600; }
.badge.error { background: #fde2e1; color: #9b1c1c; }
.badge.warning { background: #fff1d6; color: #8a5300; }
.badge.info { background: #e3eefc; color: #1e4e8c; }
.badge.ok { background: #dff5e3; color: #1d6b34; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .55rem; border-bottom: 1px solid #e3e8ee; }
th { background: #f4f6f9; font-size: .85rem; color: #4a5a6b; }
td.cell, td.rule { font-family: ui-monospace, Consolas, monospace; white-space: nowrap; }
.sev { display: inline-block; min-width: 4.6rem; text-align: center; border-radius: 1rem; padding: .05rem .5rem; font-size: .8rem; font-weight: 700; text-transform: uppercase; }
.sev.error { background: #c81e1e; color: #fff; }
.sev.warning { background: #e39b00; color: #fff; }
.sev.info { background: #2f6fbf; color: #fff; }
.failed { background: #fde2e1; border-left: 4px solid #c81e1e; padding: .6rem .9rem; }
.clean { background: #dff5e3; border-left: 4px solid #2f9e4f; padding: .6rem .9rem; }
a { color: #1e4e8c; }
)";

std::string sheet_label(const std::string& s) { return s.empty() ? std::string("(whole file)") : s; }

void summary_badges(MarkupWriter& w, const RunResult& run) {
    std::size_t failed = run.files.size() - run.converted();
    w.open("div").attr("class", "summary");
    w.open("span").attr("class", "badge").text(std::to_string(run.files.size()) + " files").close();
    w.open("span").attr("class", "badge ok").text(std::to_string(run.converted()) + " converted").close();
    w.open("span").attr("class", failed ? "badge error" : "badge").text(std::to_string(failed) + " failed").close();
    w.open("span").attr("class", "badge error").text(std::to_string(run.count(Severity::Error)) + " errors").close();
    w.open("span").attr("class", "badge warning").text(std::to_string(run.count(Severity::Warning)) + " warnings").close();
    w.open("span").attr("class", "badge info").text(std::to_string(run.count(Severity::Info)) + " infos").close();
    w.close();
}

std::size_t count_of(const FileResult& f, Severity s) {
    std::size_t n = 0;
    for (const Finding& x : f.findings)
        if (x.severity == s) n += x.count;
    return n;
}

void contents(MarkupWriter& w, const RunResult& run) {
    w.open("table").open("thead").open("tr");
    for (const char* h : {"File", "Status", "Mapping", "Reporting date", "Records", "Errors", "Warnings", "Infos"})
        w.element("th", h);
    w.close().close().open("tbody");
    for (std::size_t i = 0; i < run.files.size(); ++i) {
        const FileResult& f = run.files[i];
        bool ok = f.status == FileResult::Status::Converted;
        w.open("tr");
        w.open("td").open("a").attr("href", "#file-" + std::to_string(i + 1)).text(f.input).close().close();
        w.element("td", ok ? "converted" : "failed");
        w.element("td", f.mapping.empty() ? "—" : f.mapping);
        w.element("td", f.as_of.empty() ? "—" : f.as_of);
        w.element("td", ok ? std::to_string(f.records) : "—");
        w.element("td", std::to_string(count_of(f, Severity::Error)));
        w.element("td", std::to_string(count_of(f, Severity::Warning)));
        w.element("td", std::to_string(count_of(f, Severity::Info)));
        w.close();
    }
    w.close().close();
}

void findings_table(MarkupWriter& w, const std::vector<const Finding*>& findings) {
    w.open("table").open("thead").open("tr");
    for (const char* h : {"Severity", "Cell", "Record", "Rule", "What is wrong", "Expected", "Found"}) w.element("th", h);
    w.close().close().open("tbody");
    for (const Finding* f : findings) {
        std::string sev(to_string(f->severity));
        w.open("tr");
        w.open("td").open("span").attr("class", "sev " + sev).text(sev).close().close();
        w.open("td").attr("class", "cell").text(f->cell.empty() ? "—" : f->cell).close();
        w.element("td", f->record.empty() ? "—" : f->record);
        w.open("td").attr("class", "rule").text(f->rule).close();
        w.element("td", f->count > 1 ? f->message + " (" + std::to_string(f->count) + " times)" : f->message);
        w.element("td", f->expected.value_or(""));
        w.element("td", f->actual.value_or(""));
        w.close();
    }
    w.close().close();
}

void file_section(MarkupWriter& w, const FileResult& f, std::size_t index) {
    w.open("section").attr("id", "file-" + std::to_string(index));
    w.element("h2", f.input);
    std::string meta;
    if (f.status == FileResult::Status::Converted) {
        meta = "Mapping " + f.mapping + " · reporting date " + f.as_of;
        if (!f.as_of_source.empty()) meta += " (from the " + std::string(f.as_of_source == "option" ? "--as-of option" : f.as_of_source == "workbook" ? "workbook" : "day of the run") + ")";
        meta += " · " + std::to_string(f.sections) + " sections, " + std::to_string(f.records) + " records";
        for (const auto& [kind, path] : f.outputs) meta += " · " + kind + ": " + path;
    }
    if (!meta.empty()) w.open("p").attr("class", "meta").text(meta).close();
    if (f.status == FileResult::Status::Failed) {
        w.open("p").attr("class", "failed").text("Could not be read or mapped: " + f.error).close();
        w.close();
        return;
    }
    if (f.findings.empty()) {
        w.open("p").attr("class", "clean").text("No findings: the totals add up and the timescales make sense.").close();
        w.close();
        return;
    }
    // Group by sheet, sheets in order of first appearance.
    std::vector<std::string> order;
    std::map<std::string, std::vector<const Finding*>> by_sheet;
    for (const Finding& x : f.findings) {
        if (!by_sheet.count(x.sheet)) order.push_back(x.sheet);
        by_sheet[x.sheet].push_back(&x);
    }
    for (const std::string& sheet : order) {
        w.element("h3", "Sheet: " + sheet_label(sheet));
        findings_table(w, by_sheet[sheet]);
    }
    w.close();
}

}  // namespace

std::string html_report(const RunResult& run) {
    MarkupWriter w(false);
    w.raw("<!DOCTYPE html>\n");
    w.open("html").attr("lang", "en-GB");
    w.open("head");
    w.open("meta").attr("charset", "utf-8").close();
    w.open("meta").attr("name", "viewport").attr("content", "width=device-width, initial-scale=1").close();
    w.element("title", "planconv report " + run.generated);
    w.open("style").raw(kCss).close();
    w.close();
    w.open("body");
    w.element("h1", "planconv report");
    w.open("p").attr("class", "meta").text("Generated " + run.generated + " by planconv " + PLANCONV_VERSION).close();
    summary_badges(w, run);
    contents(w, run);
    for (std::size_t i = 0; i < run.files.size(); ++i) file_section(w, run.files[i], i + 1);
    w.close().close();
    return w.finish();
}

}  // namespace planconv
