// The serve page: one HTML string with the report.html look, rendered in the browser from the
// JSON the upload endpoint answers (report.json's shape). Text from a return (file names,
// messages) is only ever put in with textContent, never as HTML.
#include "write/WebPage.hpp"

#include "write/HtmlReport.hpp"

namespace planconv {

namespace {

constexpr const char* kPage = R"PAGE(<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>planconv: check a return</title>
<style nonce="@NONCE@">
@BASECSS@#drop { border: 2px dashed #9fb0c3; border-radius: .6rem; padding: 2rem; text-align: center; background: #f7f9fb; }
#drop.over { background: #e3eefc; border-color: #1e4e8c; }
.button { display: inline-block; border-radius: .4rem; padding: .35rem .8rem; background: #1e4e8c; color: #fff; text-decoration: none; margin: .2rem .4rem .2rem 0; font-weight: 600; }
.waiting { color: #5b6b7c; font-style: italic; }
.hidden { display: none; }
</style>
</head>
<body>
<h1>Check a return</h1>
<p class="meta">planconv reads each return, checks it and gives back a cleaned workbook, the XML and a report. Files stay on this server.</p>
<div id="drop">
  <p><strong>Drop returns here</strong> (.xlsx, .xlsm, .xls, .ods or .csv, up to @MAXMB@ MB each)</p>
  <p><label for="files">or pick them:</label> <input type="file" id="files" name="files" multiple accept=".xlsx,.xlsm,.xls,.ods,.csv"></p>
</div>
<div id="results"></div>
<section id="inbox" class="@INBOXCLASS@">
<h2>Returns in the drop folder</h2>
<p class="meta" id="inbox-meta">Looking&hellip;</p>
<table><thead><tr><th>Return</th><th>Status</th><th>Mapping</th><th>Errors</th><th>Warnings</th><th>Infos</th><th>Taken</th></tr></thead>
<tbody id="inbox-rows"></tbody></table>
</section>
<script nonce="@NONCE@">
"use strict";
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
function countOf(file, sev) {
  return file.findings.filter(f => f.severity === sev).reduce((n, f) => n + (f.count || 1), 0);
}
function render(box, answer) {
  box.textContent = "";
  const file = answer.files[0];
  const up = answer.upload;
  box.dataset.status = file.status;
  box.appendChild(el("h2", null, up.name));
  const meta = el("p", "meta", (file.mapping ? "Mapping " + file.mapping : "No mapping") +
                  (file.as_of ? "; checked as of " + file.as_of : ""));
  box.appendChild(meta);
  if (file.status !== "converted") {
    box.appendChild(el("div", "failed", file.error));
  } else {
    const badges = el("div", "summary");
    badges.appendChild(el("span", "badge error", countOf(file, "error") + " errors"));
    badges.appendChild(el("span", "badge warning", countOf(file, "warning") + " warnings"));
    badges.appendChild(el("span", "badge info", countOf(file, "info") + " infos"));
    badges.appendChild(el("span", "badge", file.counts.records + " records"));
    box.appendChild(badges);
  }
  const links = el("p", "downloads");
  for (const [kind, label] of [["workbook", "Cleaned workbook"], ["xml", "XML"], ["report.html", "Report"], ["report.json", "report.json"]]) {
    if (!up.downloads[kind]) continue;
    const a = el("a", "button", label);
    a.href = up.downloads[kind];
    a.dataset.kind = kind;
    a.setAttribute("download", "");
    links.appendChild(a);
  }
  box.appendChild(links);
  if (file.status === "converted" && file.findings.length === 0) box.appendChild(el("div", "clean", "No findings: the return passed every check."));
  if (file.findings.length) {
    const bySheet = new Map();
    for (const f of file.findings) {
      const key = f.sheet || "(whole file)";
      if (!bySheet.has(key)) bySheet.set(key, []);
      bySheet.get(key).push(f);
    }
    for (const [sheet, list] of bySheet) {
      box.appendChild(el("h3", null, "Sheet: " + sheet));
      const t = el("table", "findings");
      const head = el("tr");
      for (const h of ["Severity", "Cell", "Rule", "Message", "Expected", "Found"]) head.appendChild(el("th", null, h));
      t.appendChild(head);
      for (const f of list) {
        const tr = el("tr", "finding");
        tr.dataset.rule = f.rule; tr.dataset.cell = f.cell; tr.dataset.sheet = f.sheet;
        const s = el("td"); s.appendChild(el("span", "sev " + f.severity, f.severity)); tr.appendChild(s);
        tr.appendChild(el("td", "cell", f.cell));
        tr.appendChild(el("td", "rule", f.rule));
        tr.appendChild(el("td", "message", f.message + (f.count > 1 ? " (" + f.count + " times)" : "")));
        tr.appendChild(el("td", null, f.expected || ""));
        tr.appendChild(el("td", null, f.actual || ""));
        t.appendChild(tr);
      }
      box.appendChild(t);
    }
  }
}
async function upload(file) {
  const box = el("section", "result");
  box.appendChild(el("h2", null, file.name));
  box.appendChild(el("p", "waiting", "Checking\u2026"));
  document.getElementById("results").prepend(box);
  const body = new FormData();
  body.append("file", file, file.name);
  try {
    const answer = await fetch("/api/returns", {method: "POST", body: body, credentials: "same-origin"});
    if (!answer.ok) {
      box.dataset.status = "refused";
      box.lastChild.replaceWith(el("div", "failed", await answer.text()));
      return;
    }
    render(box, await answer.json());
  } catch (e) {
    box.dataset.status = "refused";
    box.lastChild.replaceWith(el("div", "failed", "The server could not be reached: " + e));
  }
}
async function uploadAll(files) {
  for (const f of Array.from(files)) await upload(f);
}
const input = document.getElementById("files");
input.addEventListener("change", () => { uploadAll(input.files); });
const drop = document.getElementById("drop");
drop.addEventListener("dragover", e => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", e => { e.preventDefault(); drop.classList.remove("over"); uploadAll(e.dataTransfer.files); });
async function refreshInbox() {
  try {
    const answer = await fetch("/api/inbox", {credentials: "same-origin"});
    if (!answer.ok) return;
    const inbox = await answer.json();
    const rows = document.getElementById("inbox-rows");
    rows.textContent = "";
    for (const r of inbox.returns) {
      const tr = el("tr", "inbox-return");
      tr.dataset.status = r.status;
      tr.appendChild(el("td", null, r.name));
      tr.appendChild(el("td", null, r.status + (r.reason ? ": " + r.reason : "")));
      tr.appendChild(el("td", null, r.mapping || ""));
      tr.appendChild(el("td", null, r.errors));
      tr.appendChild(el("td", null, r.warnings));
      tr.appendChild(el("td", null, r.infos));
      tr.appendChild(el("td", null, r.processed));
      rows.appendChild(tr);
    }
    document.getElementById("inbox-meta").textContent = inbox.returns.length + (inbox.returns.length === 1 ? " return in " : " returns in ") + inbox.inbox + ", newest first; refreshed every 3 seconds.";
  } catch (e) { /* the next refresh tries again */ }
}
if (!document.getElementById("inbox").classList.contains("hidden")) {
  refreshInbox();
  setInterval(refreshInbox, 3000);
}
</script>
</body>
</html>
)PAGE";

void replace_all(std::string& s, const std::string& what, const std::string& with) {
    for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + with.size())) s.replace(at, what.size(), with);
}

}  // namespace

std::string web_page(const std::string& nonce, bool inbox, std::size_t max_upload_mb) {
    std::string page = kPage;
    replace_all(page, "@BASECSS@", report_base_css());
    replace_all(page, "@NONCE@", nonce);
    replace_all(page, "@MAXMB@", std::to_string(max_upload_mb));
    replace_all(page, "@INBOXCLASS@", inbox ? "" : "hidden");
    return page;
}

}  // namespace planconv
