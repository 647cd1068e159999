// The HTML report, written through XmlTextOutput (libxml2 escapes every text and attribute).
#include "write/HtmlReport.hpp"

#include "write/RuleTally.hpp"
#include "write/SectionSummary.hpp"
#include "write/XmlTextOutput.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace planconv {

namespace {

constexpr const char* kCss = R"(
body { font: 15px/1.45 system-ui, Segoe UI, Arial, sans-serif; color: #1d2733; margin: 2rem auto; max-width: 78rem; padding: 0 1rem; }
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
.committee { display: flex; flex-wrap: wrap; gap: 1.2rem; align-items: flex-start; margin: .6rem 0 1rem; }
table.tally { width: auto; font-size: .85rem; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
)";

std::string sheet_label(const std::string& s) { return s.empty() ? std::string("(whole file)") : s; }

void summary_badges(XmlTextOutput& w, const RunResult& run) {
    std::size_t failed = run.files.size() - run.converted();
    w.start("div").attribute("class", "summary");
    w.start("span").attribute("class", "badge").text(std::to_string(run.files.size()) + " files").end();
    w.start("span").attribute("class", "badge ok").text(std::to_string(run.converted()) + " converted").end();
    w.start("span").attribute("class", failed ? "badge error" : "badge").text(std::to_string(failed) + " failed").end();
    w.start("span").attribute("class", "badge error").text(std::to_string(run.count(Severity::Error)) + " errors").end();
    w.start("span").attribute("class", "badge warning").text(std::to_string(run.count(Severity::Warning)) + " warnings").end();
    w.start("span").attribute("class", "badge info").text(std::to_string(run.count(Severity::Info)) + " infos").end();
    w.end();
}

std::size_t count_of(const FileResult& f, Severity s) {
    std::size_t n = 0;
    for (const Finding& x : f.findings)
        if (x.severity == s) n += x.count;
    return n;
}

void contents(XmlTextOutput& w, const RunResult& run) {
    w.start("table").start("thead").start("tr");
    for (const char* h : {"File", "Status", "Mapping", "Reporting date", "Records", "Errors", "Warnings", "Infos"})
        w.element("th", h);
    w.end().end().start("tbody");
    for (std::size_t i = 0; i < run.files.size(); ++i) {
        const FileResult& f = run.files[i];
        bool ok = f.status == FileResult::Status::Converted;
        w.start("tr");
        w.start("td").start("a").attribute("href", "#file-" + std::to_string(i + 1)).text(f.input).end().end();
        w.element("td", ok ? "converted" : "failed");
        w.element("td", f.mapping.empty() ? "—" : f.mapping);
        w.element("td", f.as_of.empty() ? "—" : f.as_of);
        w.element("td", ok ? std::to_string(f.records) : "—");
        w.element("td", std::to_string(count_of(f, Severity::Error)));
        w.element("td", std::to_string(count_of(f, Severity::Warning)));
        w.element("td", std::to_string(count_of(f, Severity::Info)));
        w.end();
    }
    w.end().end();
}

// Findings per rule and severity across the run.
void rules_table(XmlTextOutput& w, const RunResult& run) {
    std::vector<RuleCount> rules = count_by_rule(run);
    if (rules.empty()) return;
    w.element("h2", "Findings by rule");
    w.start("table").attribute("id", "by-rule").start("thead").start("tr");
    for (const char* h : {"Rule", "Severity", "Findings", "Files"}) w.element("th", h);
    w.end().end().start("tbody");
    for (const RuleCount& c : rules) {
        std::string sev(to_string(c.severity));
        w.start("tr");
        w.start("td").attribute("class", "rule").text(c.rule).end();
        w.start("td").start("span").attribute("class", "sev " + sev).text(sev).end().end();
        w.element("td", std::to_string(c.findings));
        w.element("td", std::to_string(c.files));
        w.end();
    }
    w.end().end();
}

// convert --consolidate: what was merged into which files.
void consolidated_section(XmlTextOutput& w, const std::vector<ConsolidationResult>& consolidated) {
    w.start("section").attribute("id", "consolidated");
    w.element("h2", "Consolidated");
    if (consolidated.empty()) {
        w.start("p").attribute("class", "meta").text("No input was converted, so nothing was consolidated.").end();
        w.end();
        return;
    }
    w.start("table").start("thead").start("tr");
    for (const char* h : {"Mapping", "Inputs merged", "Records", "Workbook", "XML"}) w.element("th", h);
    w.end().end().start("tbody");
    for (const ConsolidationResult& c : consolidated) {
        auto output = [&](const char* kind) {
            auto it = c.outputs.find(kind);
            return it == c.outputs.end() ? std::string("—") : it->second;
        };
        std::string inputs;
        for (const std::string& in : c.inputs) inputs += (inputs.empty() ? "" : ", ") + in;
        w.start("tr");
        w.element("td", c.mapping);
        w.element("td", std::to_string(c.inputs.size()) + ": " + inputs);
        w.element("td", std::to_string(c.records));
        w.element("td", output("workbook"));
        w.element("td", output("xml"));
        w.end();
        if (!c.error.empty()) w.start("tr").start("td").attribute("colspan", "5").attribute("class", "failed").text(c.error).end().end();
    }
    w.end().end();
    w.end();
}

void findings_table(XmlTextOutput& w, const std::vector<const Finding*>& findings) {
    w.start("table").start("thead").start("tr");
    for (const char* h : {"Severity", "Cell", "Record", "Rule", "What is wrong", "Expected", "Found"}) w.element("th", h);
    w.end().end().start("tbody");
    for (const Finding* f : findings) {
        std::string sev(to_string(f->severity));
        w.start("tr");
        w.start("td").start("span").attribute("class", "sev " + sev).text(sev).end().end();
        w.start("td").attribute("class", "cell").text(f->cell.empty() ? "—" : f->cell).end();
        w.element("td", f->record.empty() ? "—" : f->record);
        w.start("td").attribute("class", "rule").text(f->rule).end();
        w.element("td", f->count > 1 ? f->message + " (" + std::to_string(f->count) + " times)" : f->message);
        w.element("td", f->expected.value_or(""));
        w.element("td", f->actual.value_or(""));
        w.end();
    }
    w.end().end();
}

std::string hex_colour(std::uint32_t rgb) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%06X", rgb & 0xFFFFFFu);
    return buf;
}

// The committee summary of one return: per section the RAG counts, overdue and findings, and a
// small stacked bar chart of the RAG counts drawn as inline SVG (no script, no network).
void section_summary(XmlTextOutput& w, const std::vector<SectionTally>& tallies) {
    if (tallies.empty()) return;
    w.start("div").attribute("class", "committee");
    w.start("table").attribute("class", "tally").start("thead").start("tr");
    w.element("th", "Section");
    for (const char* n : kRagTallyNames) w.element("th", n);
    w.element("th", "Overdue");
    w.element("th", "Findings");
    w.end().end().start("tbody");
    for (const SectionTally& t : tallies) {
        w.start("tr");
        w.element("td", t.id.empty() ? t.title : t.title.empty() ? t.id : t.id + " " + t.title);
        for (std::size_t v : t.rag) w.start("td").attribute("class", "num").text(std::to_string(v)).end();
        w.start("td").attribute("class", "num").text(std::to_string(t.overdue)).end();
        w.start("td").attribute("class", "num").text(std::to_string(t.findings)).end();
        w.end();
    }
    w.end().end();
    std::size_t most = 0;
    for (const SectionTally& t : tallies) most = std::max(most, t.rated_total());
    if (most > 0) {
        constexpr int kLabel = 90, kBar = 320, kRow = 18;
        const int height = int(tallies.size()) * kRow + 4;
        w.start("svg").attribute("xmlns", "http://www.w3.org/2000/svg").attribute("class", "tally-chart");
        w.attribute("width", std::to_string(kLabel + kBar + 40)).attribute("height", std::to_string(height));
        w.attribute("role", "img").attribute("aria-label", "RAG ratings per section");
        for (std::size_t i = 0; i < tallies.size(); ++i) {
            const SectionTally& t = tallies[i];
            const int y = int(i) * kRow + 2;
            std::string label = t.id.empty() ? t.title : t.id;
            if (label.size() > 14) label = label.substr(0, 12) + "…";
            w.start("text").attribute("x", "0").attribute("y", std::to_string(y + 13)).attribute("font-size", "12").text(label).end();
            double x = kLabel;
            for (std::size_t k = 0; k < t.rag.size(); ++k) {
                if (!t.rag[k]) continue;
                double width = double(kBar) * double(t.rag[k]) / double(most);
                char xs[32], ws[32];
                std::snprintf(xs, sizeof xs, "%.1f", x);
                std::snprintf(ws, sizeof ws, "%.1f", width);
                w.start("rect").attribute("x", xs).attribute("y", std::to_string(y)).attribute("width", ws);
                w.attribute("height", std::to_string(kRow - 4)).attribute("fill", hex_colour(rag_tally_fill(k)));
                w.attribute("data-rag", kRagTallyNames[k]);
                w.element("title", std::string(kRagTallyNames[k]) + ": " + std::to_string(t.rag[k]));
                w.end();
                x += width;
            }
        }
        w.end();
    }
    w.end();
}

void file_section(XmlTextOutput& w, const FileResult& f, std::size_t index) {
    w.start("section").attribute("id", "file-" + std::to_string(index));
    w.element("h2", f.input);
    std::string meta;
    if (f.status == FileResult::Status::Converted) {
        meta = "Mapping " + f.mapping + " · reporting date " + f.as_of;
        if (!f.as_of_source.empty()) meta += " (from the " + std::string(f.as_of_source == "option" ? "--as-of option" : f.as_of_source == "workbook" ? "workbook" : "day of the run") + ")";
        meta += " · " + std::to_string(f.sections) + " sections, " + std::to_string(f.records) + " records";
        for (const auto& [kind, path] : f.outputs) meta += " · " + kind + ": " + path;
    }
    if (!meta.empty()) w.start("p").attribute("class", "meta").text(meta).end();
    if (f.status == FileResult::Status::Failed) {
        w.start("p").attribute("class", "failed").text("Could not be read or mapped: " + f.error).end();
        w.end();
        return;
    }
    section_summary(w, f.section_tallies);
    if (f.findings.empty()) {
        w.start("p").attribute("class", "clean").text("No findings: the totals add up and the timescales make sense.").end();
        w.end();
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
    w.end();
}

}  // namespace

std::string html_report(const RunResult& run) {
    std::string html = "<!DOCTYPE html>\n";
    XmlTextOutput w([&html](std::string_view chunk) { html += chunk; }, false);
    w.start("html").attribute("lang", "en-GB");
    w.start("head");
    w.start("meta").attribute("charset", "utf-8").end();
    w.start("meta").attribute("name", "viewport").attribute("content", "width=device-width, initial-scale=1").end();
    w.element("title", "planconv report " + run.generated);
    w.start("style").text(kCss).end();  // kCss holds no '<', '>' or '&' to escape
    w.end();
    w.start("body");
    w.element("h1", "planconv report");
    w.start("p").attribute("class", "meta").text("Generated " + run.generated + " by planconv " + PLANCONV_VERSION).end();
    summary_badges(w, run);
    contents(w, run);
    rules_table(w, run);
    if (run.consolidated) consolidated_section(w, *run.consolidated);
    for (std::size_t i = 0; i < run.files.size(); ++i) file_section(w, run.files[i], i + 1);
    w.end().end();
    w.finish();
    return html;
}

}  // namespace planconv
