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

constexpr const char* kBaseCss = R"(
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
)";

constexpr const char* kReportCss = R"(
summary { cursor: pointer; } summary h2 { display: inline-block; margin-right: .8rem; }
.filters { display: flex; gap: 1rem; flex-wrap: wrap; align-items: center; margin: .5rem 0 1rem; }
table.sortable th { cursor: pointer; } [hidden] { display: none !important; }
.committee { display: flex; flex-wrap: wrap; gap: 1.2rem; align-items: flex-start; margin: .6rem 0 1rem; }
table.tally { width: auto; font-size: .85rem; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
)";


// Filters and sorting, for a browser with script; without it the page shows everything, the
// filter form stays hidden and <details> still folds the returns. Written through the XML
// writer as text, so it holds no '<', '>' or '&' (they would be escaped).
constexpr const char* kScript = R"(
(function () {
  var form = document.getElementById('filters');
  if (!form) return;
  form.hidden = false;
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.finding'));
  function apply() {
    var sev = form.elements.severity.value, rule = form.elements.rule.value, file = form.elements.file.value;
    var filtered = sev !== '' || rule !== '' || file !== '';
    var shown = {};
    rows.forEach(function (r) {
      var ok = (sev === '' || r.dataset.severity === sev) ? ((rule === '' || r.dataset.rule === rule) ? (file === '' || r.dataset.file === file) : false) : false;
      r.hidden = !ok;
      if (ok) shown[r.dataset.file] = true;
    });
    document.querySelectorAll('div.sheet').forEach(function (d) {
      d.hidden = d.querySelectorAll('tr.finding:not([hidden])').length === 0;
    });
    document.querySelectorAll('section.file').forEach(function (s) {
      s.hidden = filtered ? !shown[s.dataset.file] : false;
      if (filtered ? shown[s.dataset.file] : false) s.querySelector('details').open = true;
    });
    document.getElementById('shown').textContent = filtered ? rows.filter(function (r) { return !r.hidden; }).length + ' of ' + rows.length + ' findings shown' : '';
  }
  form.addEventListener('change', apply);
  form.addEventListener('reset', function () { setTimeout(apply, 0); });
  document.querySelectorAll('table.sortable thead th').forEach(function (th, col) {
    th.tabIndex = 0;
    th.title = 'Sort by this column';
    function sort() {
      var body = th.closest('table').tBodies[0];
      var dir = th.dataset.dir === 'asc' ? -1 : 1;
      th.dataset.dir = dir === 1 ? 'asc' : 'desc';
      var list = Array.prototype.slice.call(body.rows);
      list.sort(function (a, b) {
        var x = a.cells[col].dataset.sort || a.cells[col].textContent, y = b.cells[col].dataset.sort || b.cells[col].textContent;
        var nx = Number(x), ny = Number(y);
        return dir * ((isNaN(nx) || isNaN(ny) || x === '' || y === '') ? x.localeCompare(y) : nx - ny);
      });
      list.forEach(function (r) { body.appendChild(r); });
    }
    th.addEventListener('click', sort);
    th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sort(); });
  });
})();
)";

// The filter form (shown by the script): severity, rule and file.
void filter_form(XmlTextOutput& w, const RunResult& run) {
    w.start("form").attribute("id", "filters").attribute("class", "filters").attribute("hidden", "hidden");
    auto select = [&](const char* name, const char* label, const std::vector<std::pair<std::string, std::string>>& options) {
        w.start("label").text(std::string(label) + " ");
        w.start("select").attribute("name", name).attribute("id", std::string("filter-") + name);
        w.start("option").attribute("value", "").text("all").end();
        for (const auto& [value, shown] : options) w.start("option").attribute("value", value).text(shown).end();
        w.end().end();
    };
    select("severity", "Severity", {{"error", "error"}, {"warning", "warning"}, {"info", "info"}});
    std::vector<std::pair<std::string, std::string>> rules;
    for (const RuleCount& c : count_by_rule(run))
        if (std::none_of(rules.begin(), rules.end(), [&](const auto& r) { return r.first == c.rule; })) rules.emplace_back(c.rule, c.rule);
    std::sort(rules.begin(), rules.end());
    select("rule", "Rule", rules);
    std::vector<std::pair<std::string, std::string>> files;
    for (std::size_t i = 0; i < run.files.size(); ++i)
        if (!run.files[i].findings.empty()) files.emplace_back("file-" + std::to_string(i + 1), run.files[i].input);
    select("file", "File", files);
    w.start("button").attribute("type", "reset").text("Show all").end();
    w.start("span").attribute("id", "shown").attribute("class", "meta").text("").end();
    w.end();
}

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
    w.start("table").attribute("id", "files").attribute("class", "sortable").start("thead").start("tr");
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
        w.start("td").attribute("data-sort", ok ? std::to_string(f.records) : "-1").text(ok ? std::to_string(f.records) : "—").end();
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

void section_summary(XmlTextOutput& w, const std::vector<SectionTally>& tallies);

// A consolidation at a glance: each return merged, its sections' figures added up.
std::vector<SectionTally> per_return_tallies(const ConsolidationResult& c, const RunResult& run) {
    std::vector<SectionTally> out;
    for (const std::string& input : c.inputs)
        for (const FileResult& f : run.files) {
            if (f.input != input) continue;
            SectionTally t{"", input, {}, 0, 0};
            for (const SectionTally& s : f.section_tallies) {
                for (std::size_t k = 0; k < t.rag.size(); ++k) t.rag[k] += s.rag[k];
                t.overdue += s.overdue;
                t.findings += s.findings;
            }
            out.push_back(std::move(t));
            break;
        }
    return out;
}

// convert --consolidate: what was merged into which files.
void consolidated_section(XmlTextOutput& w, const std::vector<ConsolidationResult>& consolidated, const RunResult& run) {
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
    for (const ConsolidationResult& c : consolidated) {
        w.element("h3", "Across the returns of " + c.mapping);
        section_summary(w, per_return_tallies(c, run));
    }
    w.end();
}

void findings_table(XmlTextOutput& w, const std::vector<const Finding*>& findings, const std::string& file_id) {
    w.start("table").start("thead").start("tr");
    for (const char* h : {"Severity", "Cell", "Record", "Rule", "What is wrong", "Expected", "Found"}) w.element("th", h);
    w.end().end().start("tbody");
    for (const Finding* f : findings) {
        std::string sev(to_string(f->severity));
        w.start("tr").attribute("class", "finding").attribute("data-severity", sev).attribute("data-rule", f->rule).attribute("data-file", file_id);
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

// What the scan of the input folders left out, and why (not spreadsheets, lock files, ...).
void skipped_section(XmlTextOutput& w, const std::vector<SkippedPath>& skipped) {
    if (skipped.empty()) return;
    w.start("section").attribute("id", "skipped");
    w.element("h2", "Skipped while scanning the inputs (" + std::to_string(skipped.size()) + ")");
    w.start("table").start("thead").start("tr");
    w.element("th", "Path").element("th", "Why it was skipped");
    w.end().end().start("tbody");
    for (const SkippedPath& x : skipped) {
        w.start("tr");
        w.element("td", x.path);
        w.element("td", x.reason);
        w.end();
    }
    w.end().end();
    w.end();
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
            if (label.size() > 14) {
                std::size_t cut = 12;
                while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;  // a whole character
                label = label.substr(0, cut) + "…";
            }
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

// With --previous: per return, what moved since last quarter — the PREV-* findings counted,
// each with the records they are about — or why it was not compared.
void since_last_quarter(XmlTextOutput& w, const FileResult& f) {
    if (f.previous.empty() && f.previous_problem.empty()) return;
    w.start("div").attribute("class", "since-last-quarter");
    w.element("h3", "Since last quarter");
    if (!f.previous_problem.empty()) {
        w.start("p").attribute("class", "meta").text("Not compared: " + f.previous_problem).end();
        w.end();
        return;
    }
    w.start("p").attribute("class", "meta").text("Compared with " + f.previous + " (" + f.previous_pairing + ").").end();
    static const std::pair<const char*, const char*> kMoves[] = {
        {"PREV-DROPPED", "Dropped"},          {"PREV-ADDED", "Added"},           {"PREV-SLIPPED", "Target dates slipped"},
        {"PREV-STATUS", "Status moves"},      {"PREV-STALE", "Updates unchanged"}, {"PREV-RESTATED", "Figures restated"}};
    w.start("table").attribute("class", "since");
    w.start("thead").start("tr").element("th", "Since last quarter").element("th", "Count").element("th", "Records").end().end();
    w.start("tbody");
    for (const auto& [rule, label] : kMoves) {
        std::size_t n = 0;
        std::string records;
        for (const Finding& x : f.findings) {
            if (x.rule != rule) continue;
            n += x.count;
            if (!x.record.empty()) records += (records.empty() ? "" : ", ") + x.record;
        }
        w.start("tr").attribute("data-rule", rule);
        w.element("td", label).element("td", std::to_string(n)).element("td", records);
        w.end();
    }
    w.end().end();
    if (!f.previous_text_pairs.empty()) {
        std::string pairs;
        for (const std::string& p : f.previous_text_pairs) pairs += (pairs.empty() ? "" : "; ") + p;
        w.start("p").attribute("class", "meta").text("Paired by text, not id: " + pairs + ".").end();
    }
    w.end();
}

void file_section(XmlTextOutput& w, const FileResult& f, std::size_t index) {
    const std::string id = "file-" + std::to_string(index);
    w.start("section").attribute("id", id).attribute("class", "file").attribute("data-file", id);
    // Returns without findings are folded; <details> folds without script.
    w.start("details");
    if (f.status == FileResult::Status::Failed || !f.findings.empty()) w.attribute("open", "open");
    w.start("summary");
    w.element("h2", f.input);
    w.start("span").attribute("class", "meta").text(f.status == FileResult::Status::Failed ? "could not be read"
                                                     : f.findings.empty() ? "no findings"
                                                                          : std::to_string(count_of(f, Severity::Error)) + " errors, " +
                                                                                std::to_string(count_of(f, Severity::Warning)) + " warnings, " +
                                                                                std::to_string(count_of(f, Severity::Info)) + " infos").end();
    w.end();
    std::string meta;
    if (f.status == FileResult::Status::Converted) {
        meta = "Mapping " + f.mapping + " · reporting date " + f.as_of;
        if (!f.as_of_source.empty()) meta += " (from the " + std::string(f.as_of_source == "option" ? "--as-of option" : f.as_of_source == "workbook" ? "workbook" : "day of the run") + ")";
        meta += " · " + std::to_string(f.sections) + " sections, " + std::to_string(f.records) + " records";
        for (const auto& [kind, path] : f.outputs) meta += " · " + kind + ": " + path;
    }
    if (!meta.empty()) w.start("p").attribute("class", "meta").text(meta).end();
    if (f.status == FileResult::Status::Failed) {
        w.start("p").attribute("class", "failed").text((f.unwritten ? "Outputs not written: " : "Could not be read or mapped: ") + f.error).end();
        w.end().end();
        return;
    }
    section_summary(w, f.section_tallies);
    since_last_quarter(w, f);
    if (f.findings.empty()) {
        w.start("p").attribute("class", "clean").text("No findings: the totals add up and the timescales make sense.").end();
        w.end().end();
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
        w.start("div").attribute("class", "sheet");
        w.element("h3", "Sheet: " + sheet_label(sheet));
        findings_table(w, by_sheet[sheet], id);
        w.end();
    }
    w.end().end();
}

}  // namespace

std::string report_base_css() { return kBaseCss; }

std::string html_report(const RunResult& run) {
    std::string html = "<!DOCTYPE html>\n";
    XmlTextOutput w([&html](std::string_view chunk) { html += chunk; }, false);
    w.start("html").attribute("lang", "en-GB");
    w.start("head");
    w.start("meta").attribute("charset", "utf-8").end();
    w.start("meta").attribute("name", "viewport").attribute("content", "width=device-width, initial-scale=1").end();
    w.element("title", "planconv report " + run.generated);
    w.start("style").text(std::string(kBaseCss) + kReportCss).end();  // no '<', '>' or '&' to escape
    w.end();
    w.start("body");
    w.element("h1", "planconv report");
    w.start("p").attribute("class", "meta").text("Generated " + run.generated + " by planconv " + PLANCONV_VERSION).end();
    if (run.interrupted)
        w.start("p").attribute("class", "failed")
            .text("This run was interrupted: " + std::to_string(run.not_processed) +
                  " input(s) were not processed and are not in this report.")
            .end();
    summary_badges(w, run);
    filter_form(w, run);
    contents(w, run);
    rules_table(w, run);
    if (run.consolidated) consolidated_section(w, *run.consolidated, run);
    for (std::size_t i = 0; i < run.files.size(); ++i) file_section(w, run.files[i], i + 1);
    skipped_section(w, run.skipped);
    w.start("script").text(kScript).end();
    w.end().end();
    w.finish();
    return html;
}

}  // namespace planconv
