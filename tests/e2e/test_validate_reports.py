"""`planconv validate` over the samples: the report's shape (SPEC §5), exit codes and --fail-on,
the JUnit and HTML reports, and the findings each sample must and must not give — the real
mistakes of the seed papers and the planted ones listed in samples/expected-findings.json.
"""
import json
import os
import re
import xml.etree.ElementTree as ET

from harness import Harness

h = Harness(__doc__)
out = os.path.join(h.work, "out")
junit = os.path.join(h.work, "junit.xml")
html = os.path.join(h.work, "report.html")
report_path = os.path.join(h.work, "report.json")
p = h.run("validate", h.samples, "-o", out, "-j", "2", "--no-progress",
          "--report", report_path, "--report", html, "--report", junit)
h.equal(p.returncode, 1, "exit code with error findings present")
h.check(not os.path.exists(os.path.join(out, "portfolio-plan-half-year.xml")), "validate writes no XML")
p = h.run("validate", h.samples, "-o", out, "--fail-on", "never", "--no-progress", "-q")
h.equal(p.returncode, 0, "exit code with --fail-on never")
h.equal(p.stdout, "", "--quiet prints nothing on stdout")
p = h.run("validate", os.path.join(h.samples, "budget-monitoring.xlsx"), "-o", out, "--fail-on", "warning", "--no-progress")
h.equal(p.returncode, 0, "a clean budget passes --fail-on warning")
p = h.run("validate", "--fail-on", "sometimes", h.samples)
h.equal(p.returncode, 2, "exit code for a usage error")
empty = os.path.join(h.work, "empty.xlsx")
open(empty, "wb").close()
p = h.run("validate", empty, os.path.join(h.samples, "budget-monitoring.xlsx"), "-o", out, "--no-progress")
h.equal(p.returncode, 3, "exit code when one input cannot be read")
h.check("empty.xlsx" in p.stderr and "empty" in p.stderr.split("empty.xlsx", 1)[1], f"reason names the file: {p.stderr!r}")

# 1. The report's shape, exactly as documented.
report = json.load(open(report_path))
h.equal(list(report), ["tool", "version", "generated", "summary", "files", "interrupted", "skipped"], "report top-level fields")
h.equal(report["interrupted"], False, "a run that was not interrupted says so")
h.equal(report["tool"], "planconv", "tool")
h.check(re.fullmatch(r"\d+\.\d+\.\d+", report["version"]) is not None, "version")
h.check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", report["generated"]) is not None, "generated is ISO 8601 UTC")
h.equal(list(report["summary"])[:6], ["files", "converted", "failed", "errors", "warnings", "infos"], "SPEC summary fields first")
h.equal(list(report["summary"])[6:], ["unwritten", "skipped", "by_severity", "by_rule"], "the added summary fields")
h.equal(report["summary"]["skipped"], len(report["skipped"]), "summary.skipped counts the skipped list")
files = report["files"]
h.equal(report["summary"]["files"], len(files), "summary.files")
counted = {s: sum(x.get("count", 1) for f in files for x in f["findings"] if x["severity"] == s[:-1] or (s == "infos" and x["severity"] == "info"))
           for s in ("errors", "warnings", "infos")}
for s in ("errors", "warnings", "infos"):
    h.equal(report["summary"][s], counted[s], f"summary.{s} adds up")
# Per severity and per (rule, severity): recounted here from the findings themselves.
h.equal(report["summary"]["by_severity"], {"error": counted["errors"], "warning": counted["warnings"], "info": counted["infos"]},
        "summary.by_severity")
tally = {}
for f in files:
    for x in f["findings"]:
        t = tally.setdefault((x["rule"], x["severity"]), [0, set()])
        t[0] += x.get("count", 1)
        t[1].add(f["input"])
h.equal({(r["rule"], r["severity"]): (r["findings"], r["files"]) for r in report["summary"]["by_rule"]},
        {k: (v[0], len(v[1])) for k, v in tally.items()}, "summary.by_rule counts each rule's findings and files")
h.check(len(report["summary"]["by_rule"]) > 3, "several rules counted")
for f in files:
    # SPEC §5's fields in SPEC's order; planconv's additions (documented in README) may sit between them.
    spec_fields = ["input", "mapping", "status", "as_of", "outputs", "error", "counts", "findings"]
    h.equal([k for k in f if k in spec_fields], spec_fields, f"{f['input']} fields")
    h.equal(sorted(set(f) - set(spec_fields)), ["as_of_source"], f"{f['input']}: only documented additions")
    h.check(f["as_of_source"] in ("option", "workbook", "today"), f"{f['input']}: as_of_source says where as_of came from")
    h.check(f["status"] in ("converted", "failed"), "status value")
    h.equal(sorted(f["counts"]), ["records", "sections"], "counts fields")
    for x in f["findings"]:
        for key in ("rule", "severity", "sheet", "cell", "record", "message"):
            h.check(key in x, f"finding has {key}: {x}")
        h.check(x["severity"] in ("error", "warning", "info"), f"severity {x['severity']}")
        h.check(re.fullmatch(r"[A-Z]+-[A-Z]+(-[A-Z]+)*", x["rule"]) is not None, f"rule id {x['rule']}")
        h.check(x["cell"] == "" or re.fullmatch(r"[A-Z]{1,3}[0-9]+", x["cell"]) is not None, f"cell {x['cell']}")
        for key in ("expected", "actual"):
            h.check(key not in x or isinstance(x[key], str), f"{key} is a string")

# 2. JUnit and HTML.
suite = ET.parse(junit).getroot().find("testsuite")
h.equal(int(suite.get("tests")), len(files), "one JUnit testcase per file")
failing = sum(1 for f in files if any(x["severity"] == "error" for x in f["findings"]))
h.equal(int(suite.get("failures")), failing, "JUnit failures = files with errors")
page = open(html, encoding="utf-8").read()
sections_html = re.findall(r"<section id=\"file-\d+\"[^>]*>.*?</section>", page, flags=re.S)
half_html = next((x for x in sections_html if "portfolio-plan-half-year.xlsx</h2>" in x), "")
h.check('<table class="tally">' in half_html and "<svg" in half_html, "the half-year return opens with its committee summary and chart")
greens = sum(int(n) for n in re.findall(r"<title>Green: (\d+)</title>", half_html))
tally_html = half_html.split('<table class="tally">', 1)[-1].split("</table>", 1)[0]
green_cells = [re.findall(r'<td class="num">(\d+)</td>', row) for row in re.findall(r"<tr>\s*<td>[^<]*</td>(.*?)</tr>", tally_html, flags=re.S)]
h.equal(greens, sum(int(c[0]) for c in green_cells if c), "the chart's Green bars add up to the table's Green column")
h.check(greens > 0, "the half-year plan has Green actions")
for r in report["summary"]["by_rule"]:
    h.check(f'<td class="rule">{r["rule"]}</td>' in page, f"the HTML counts rule {r['rule']}")
h.check(page.startswith("<!DOCTYPE html>"), "HTML doctype")
h.check(not re.search(r"(src|href)=\"(https?:)?//", page), "HTML loads nothing from the network")
h.check(page.count("<section id=\"file-") == len(files), "one HTML section per file")

# 3. Findings per sample: every listed mistake is found at its cell with its rule.
expected = json.load(open(os.path.join(h.samples, "expected-findings.json")))["files"]
by_name = {os.path.basename(f["input"]): f for f in files}
for name, exp in sorted(expected.items()):
    got = by_name[name]["findings"]
    got_keys = [(x["rule"], x["sheet"], x["cell"]) for x in got]
    for e in exp["findings"]:
        key = (e["rule"], e["sheet"], e["cell"])
        h.check(key in got_keys, f"{name}: expected {key} ({e['origin']}: {e['message'][:90]})")

# 4. The issue's own statements about seed 000 and seed 004.
half = by_name["portfolio-plan-half-year.xlsx"]["findings"]
ratio = [x for x in half if x["rule"] == "TOTAL-RATIO"]
h.equal([(x["cell"], x["expected"], x["actual"]) for x in ratio], [("D30", "50.8%", "50.5%")],
        "seed 000: exactly one TOTAL-RATIO, at outcome 1 indicator 5's outturn")
h.equal([x for x in half if x["rule"] == "TOTAL-COUNT"], [], "seed 000: the six 'X out of Y' summaries agree")
h.equal([x for x in half if x["rule"] == "FIELD-ENUM"], [], "seed 000: Amber (Central Government Delay) and N/A are known")
quarterly = by_name["portfolio-plan-quarterly.xlsx"]
h.equal(quarterly["as_of"], "2020-12-31", "seed 004: reporting date from 'Quarter 3' of 2020/21")
q = quarterly["findings"]
h.check(any(x["rule"] == "ID-SEQUENCE" and x["cell"] == "A83" for x in q), "seed 004: Priority 3 numbering gap")
overdue = [x for x in q if x["rule"] == "TIME-OVERDUE"]
h.equal(sorted((x["record"], x["cell"]) for x in overdue), [("3.2.B", "D82"), ("3.2.C", "D82")],
        "seed 004: the September 2020 and June 2020 sub-actions overdue, January 2021 not")
h.check(all(("September 2020" in x["message"]) != ("June 2020" in x["message"]) for x in overdue),
        "seed 004: overdue messages name their target dates")
h.equal([x for x in q if x["rule"] == "TIME-UNPARSED"], [], "seed 004: 'April 2022 [AP]' reads")
h.equal([x for x in by_name["budget-monitoring.xlsx"]["findings"]], [], "seed 002 budget appendix reconciles")
h.equal([(x["rule"], x["cell"]) for x in by_name["indicator-table.xlsx"]["findings"]], [],
        "seed 002 indicators: a '2% year on year reduction' target is a change, not a unit mismatch")

# 5. --fail-on decides the JUnit verdict as it decides the exit code; --report - is JSON on stdout.
only_warnings = [f["input"] for f in files if f["findings"] and all(x["severity"] == "warning" for x in f["findings"])]
h.check(only_warnings, "some sample has warnings and no errors")
if only_warnings:
    target = only_warnings[0]
    for fail_on, code, failing in (("warning", 1, 1), ("error", 0, 0), ("never", 0, 0)):
        p = h.run("validate", target, "-o", out, "--no-progress", "-q", "--fail-on", fail_on, "--report", junit)
        h.equal(p.returncode, code, f"--fail-on {fail_on} exit code for {target}")
        suite = ET.parse(junit).getroot().find("testsuite")
        h.equal(int(suite.get("failures")), failing, f"--fail-on {fail_on}: JUnit failures agree with the exit code")
        case = suite.find("testcase")
        h.equal(case.find("failure") is not None, failing == 1, f"--fail-on {fail_on}: the testcase fails or not")
        listed = (case.findtext("failure") or "") + (case.findtext("system-out") or "")
        h.check(all(x["rule"] in listed for x in by_name[os.path.basename(target)]["findings"]), "every finding is listed")
    p = h.run("validate", target, "-o", out, "--no-progress", "--fail-on", "warning", "--report", "-")
    h.equal(p.returncode, 1, "--report - keeps the exit code")
    streamed = json.loads(p.stdout)
    h.equal(streamed["summary"]["files"], 1, "--report - prints the report.json of the run on stdout, and only that")
    h.equal([x["rule"] for x in streamed["files"][0]["findings"]], [x["rule"] for x in by_name[os.path.basename(target)]["findings"]],
            "--report - carries the findings")
    h.check(not os.path.exists("-"), "--report - writes no file named '-'")

h.finish()
