"""--previous: `planconv validate SAMPLE --previous PREVIOUS` gives every PREV-* finding that
samples/expected-findings.json lists for the planted changes between last quarter's return
(samples/previous/) and this one, at the right cell, and no PREV-* finding on any other record;
the same with last quarter given as planconv's XML of it and as a folder (paired by mapping and
plan title); a return whose every action number moved on by one still pairs by text and says
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
    compare(sample + " against the previous XML", got, [w for w in spec["findings"] if w.get("from_xml", True)])

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
h.finish()
