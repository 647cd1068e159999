"""--previous: `planconv validate SAMPLE --previous PREVIOUS` gives every PREV-* finding that
samples/expected-findings.json lists for the planted changes between last quarter's return
(samples/previous/) and this one, at the right cell, and no PREV-* finding on any other record;
the same with last quarter given as planconv's XML of it (which keeps the tables' header texts
that PREV-RESTATED compares periods by) and as a folder (paired by mapping and plan title); XML
written before planconv kept the headers still gives the finding whose column a header fact
names; a return whose every action number moved on by one still pairs by text and says
so; a folder with no partner says so and runs no PREV rule."""
# ctest-labels: e2e
import json
import os
import re
import shutil

from harness import Harness

h = Harness(__doc__)
expected = json.load(open(os.path.join(h.samples, "expected-findings.json"), encoding="utf-8"))["previous"]
h.check(set(expected) >= {"portfolio-plan-quarterly.xlsx", "indicator-table.xlsx"}, "two samples have a previous return")


def validate(sample, previous, tag):
    report = os.path.join(h.work, tag + ".json")
    rc, out, err = h.call("validate", os.path.join(h.samples, sample), "--previous", previous, "--report", report,
                          "--as-of", "2020-12-31" if "quarterly" in sample else "2013-03-31")
    h.check(rc in (0, 1), f"{tag}: validate exited {rc}: {err[-500:]}")
    f = json.load(open(report, encoding="utf-8"))["files"][0]
    return f, [x for x in f["findings"] if x["rule"].startswith("PREV-")], err


def key(x):
    return (x["rule"], x["severity"], x["sheet"], x["cell"], x["record"])


def compare(tag, got, want):
    h.equal(sorted(key(x) for x in got), sorted(key(x) for x in want), f"{tag}: exactly the planted PREV findings")
    for w in want:
        match = [x for x in got if key(x) == key(w)]
        if not match:
            continue
        for field in ("expected", "actual"):
            if w.get(field) is not None:
                h.equal(match[0].get(field), w[field], f"{tag}: {w['rule']} {w['cell']} {field}")


for sample, spec in expected.items():
    previous = os.path.join(h.samples, spec["previous"])
    f, got, err = validate(sample, previous, sample + "-workbook")
    compare(sample + " against the previous workbook", got, spec["findings"])
    h.equal((f["previous"]["file"], f["previous"]["paired"], f["previous"]["problem"]),
            (previous, "given with --previous", None), f"{sample}: report.json names the previous return")
    h.check("compared with " + previous in err, f"{sample}: stderr says what it was compared with")
    h.equal(f["previous"]["paired_by_text"], [], f"{sample}: every record paired by id")

    # Last quarter as planconv's own XML of it.
    xml_dir = os.path.join(h.work, "xml-" + sample)
    rc, _, err = h.call("convert", previous, "-o", xml_dir, "--no-workbook", "-q")
    h.check(rc in (0, 1), f"{sample}: converting the previous return ({rc}): {err[-300:]}")
    xml = os.path.join(xml_dir, os.path.basename(previous)[: -len(".xlsx")] + ".xml")
    f, got, _ = validate(sample, xml, sample + "-xml")
    compare(sample + " against the previous XML", got, spec["findings"])
    if sample == "indicator-table.xlsx":
        # XML written before planconv kept the tables' headers: a previous column's period is
        # known only from a plan fact read from its header (Target 2012/13, Quarter 3 12/13),
        # so Target 2012/13 (column F) is compared and Outturn 2011/12 (G) is not.
        text = open(xml, encoding="utf-8").read()
        h.check(re.search(r'<header field="previous_outturn" src="[^"]+">Outturn 2011/12</header>', text) is not None,
                "the previous XML keeps the indicator table's header texts")
        older = os.path.join(h.work, "older-" + os.path.basename(xml))
        with open(older, "w", encoding="utf-8") as out:
            out.write(re.sub(r"\s*<headers\b[^>]*?(/>|>.*?</headers>)", "", text, flags=re.S))
        f, got, _ = validate(sample, older, sample + "-older-xml")
        compare(sample + " against XML without headers", got, [w for w in spec["findings"] if w["cell"].startswith("F")])

    # A folder of previous returns: paired by mapping and plan title.
    f, got, _ = validate(sample, os.path.join(h.samples, "previous"), sample + "-folder")
    compare(sample + " against the previous folder", got, spec["findings"])
    h.equal(f["previous"]["paired"], "by mapping and plan title", f"{sample}: found in the folder by its plan title")

# Every action number moved on by one (1. -> 2., 1) -> 2)): the actions pair by their text, and
# the run says which pairs were made that way.
import openpyxl  # noqa: E402

q = expected["portfolio-plan-quarterly.xlsx"]
wb = openpyxl.load_workbook(os.path.join(h.samples, q["previous"]))
ws = wb.active
shifted = 0
for row in ws.iter_rows(min_col=1, max_col=1):
    c = row[0]
    if isinstance(c.value, str):
        new = re.sub(r"^(<p>)?(\d+)([.)] )", lambda m: (m.group(1) or "") + str(int(m.group(2)) + 1) + m.group(3), c.value)
        if new != c.value:
            c.value = new
            shifted += 1
h.check(shifted >= 15, f"the action numbers of the Q2 return moved on by one ({shifted})")
renumbered = os.path.join(h.work, "renumbered-q2.xlsx")
wb.save(renumbered)
f, got, err = validate("portfolio-plan-quarterly.xlsx", renumbered, "renumbered")
# The same findings; the dropped action is named by its (renumbered) id of the previous return.
compare("renumbered ids", got, [dict(w, record="5.6") if w["rule"] == "PREV-DROPPED" else w for w in q["findings"]])
pairs = f["previous"]["paired_by_text"]
h.check(len(pairs) >= 15 and all(p.endswith("(ids renumbered)") for p in pairs),
        f"report.json lists the pairs made by text ({len(pairs)}): {pairs[:3]}")
h.check("action 4.1 with the previous 4.2 (ids renumbered)" in pairs, f"action 4.1 pairs with Q2's 4.2 (4.1 before the shift): {pairs}")
h.check("paired by text, not id: " in err, "stderr says which records were paired by text")
slipped = [x for x in got if x["rule"] == "PREV-SLIPPED"]
h.check(slipped and "by its text: the ids were renumbered" in slipped[0]["message"], "the finding says it was paired by text")

# convert --previous: the cleaned workbook's Changes sheet (read back with openpyxl) and the
# HTML report's "since last quarter" summary (parsed).
from html.parser import HTMLParser  # noqa: E402

out = os.path.join(h.work, "converted")
rc, _, err = h.call("convert", os.path.join(h.samples, "portfolio-plan-quarterly.xlsx"), "--previous",
                    os.path.join(h.samples, q["previous"]), "-o", out, "--as-of", "2020-12-31", "-q")
h.check(rc in (0, 1), f"convert --previous ({rc}): {err[-300:]}")
book = openpyxl.load_workbook(os.path.join(out, "portfolio-plan-quarterly.cleaned.xlsx"))
h.check("Changes" in book.sheetnames and book.sheetnames.index("Changes") < book.sheetnames.index("Findings"),
        f"the cleaned workbook has a Changes sheet before Findings: {book.sheetnames}")
rows = [tuple("" if v is None else str(v) for v in r) for r in book["Changes"].iter_rows(values_only=True)]
h.equal(rows[0], ("Table", "Record", "Change", "Field", "Previous (portfolio-plan-quarterly-q2.xlsx)", "Now",
                  "Cell in your workbook", "Paired by"), "Changes: the header names the previous return")
body = rows[1:]
h.check(("actions", "5.5", "dropped") in [r[:3] for r in body], "Changes: action 5.5 dropped")
h.check(("actions", "3.6", "added") in [r[:3] for r in body], "Changes: action 3.6 added")
slip = [r for r in body if r[1] == "4.1" and r[3] == "TARGET DATE"]
h.equal([r[4:8] for r in slip], [("January 2021", "April 2021", "CEF Portfolio Plan Q3!D111", "id")],
        "Changes: the target date of 4.1, previous and now")
h.check(not [r for r in body if r[1] == "3.7"], "Changes: nothing for 3.7, whose update is word for word Q2's")
h.check(any(r[1] == "5.3" and r[3] == "UPDATES" for r in body), "Changes: the update of 5.3")
book.close()


class SinceLastQuarter(HTMLParser):
    """The rows of the "since last quarter" table: data-rule -> the cells' texts."""

    def __init__(self):
        super().__init__()
        self.inside = 0
        self.rule = None
        self.rows = {}
        self.cell = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and a.get("class") == "since-last-quarter":
            self.inside += 1
        elif self.inside and tag == "tr" and "data-rule" in a:
            self.rule = a["data-rule"]
            self.rows[self.rule] = []
        elif self.rule and tag == "td":
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.rows[self.rule].append(self.cell)
            self.cell = None
        elif tag == "tr":
            self.rule = None
        elif tag == "div" and self.inside:
            self.inside -= 1

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.inside:
            self.text += data


page = SinceLastQuarter()
page.feed(open(os.path.join(out, "report.html"), encoding="utf-8").read())
h.equal(page.rows, {"PREV-DROPPED": ["Dropped", "1", "5.5"], "PREV-ADDED": ["Added", "1", "3.6"],
                    "PREV-SLIPPED": ["Target dates slipped", "1", "4.1"], "PREV-STATUS": ["Status moves", "1", "5.3"],
                    "PREV-STALE": ["Updates unchanged", "1", "3.7"], "PREV-RESTATED": ["Figures restated", "0", ""]},
        "report.html: the since-last-quarter summary")
h.check("portfolio-plan-quarterly-q2.xlsx" in page.text and "given with --previous" in page.text,
        "report.html: names the previous return and how it was found")

# Without --previous: no Changes sheet, no summary.
plain = os.path.join(h.work, "plain")
h.call("convert", os.path.join(h.samples, "portfolio-plan-quarterly.xlsx"), "-o", plain, "-q")
book = openpyxl.load_workbook(os.path.join(plain, "portfolio-plan-quarterly.cleaned.xlsx"), read_only=True)
h.check("Changes" not in book.sheetnames, "without --previous: no Changes sheet")
book.close()
page = SinceLastQuarter()
page.feed(open(os.path.join(plain, "report.html"), encoding="utf-8").read())
h.equal(page.rows, {}, "without --previous: no since-last-quarter summary")

# A folder with no return of the same plan: said, and no PREV rule runs.
empty = os.path.join(h.work, "other-plans")
os.makedirs(empty)
shutil.copy(os.path.join(h.samples, "budget-monitoring.xlsx"), os.path.join(empty, "budget-q3.xlsx"))
f, got, err = validate("portfolio-plan-quarterly.xlsx", empty, "no-partner")
h.equal(got, [], "no partner: no PREV finding")
h.check(f["previous"]["file"] is None and "no return of mapping 'portfolio-plan-quarterly'" in (f["previous"]["problem"] or ""),
        f"no partner: report.json says why ({f['previous']})")
h.check("PREV-* rules not run" in err, "no partner: stderr says so")

rc, _, err = h.call("validate", os.path.join(h.samples, "indicator-table.xlsx"), "--previous", os.path.join(h.work, "nowhere"),
                    "--report", os.path.join(h.work, "x.json"))
h.equal(rc, 2, "a --previous path that does not exist is a usage error")
h.check("--previous" in err and "does not exist" in err, f"and says so: {err.strip()}")
fifo = os.path.join(h.work, "fifo")
os.mkfifo(fifo)
rc, _, err = h.call("validate", os.path.join(h.samples, "indicator-table.xlsx"), "--previous", fifo,
                    "--report", os.path.join(h.work, "y.json"))
h.equal(rc, 2, "a --previous FIFO is a usage error, not a hang")
h.check("is not a file or a folder" in err, f"and says so: {err.strip()}")
h.finish()
