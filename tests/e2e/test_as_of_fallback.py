"""A reporting date that falls back to the day of the run is never unsaid (issue 15, point 3):
a return whose reporting date cannot be read ("Quarter 2" without its year) is judged against
today with one line on stderr naming it and a TIME-ASOF info finding at the cell the date was
looked for in; --as-of silences both; a mapping may make it an error; and every shipped sample
states its own reporting date, so their findings do not change from day to day."""
import datetime
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Harness

import openpyxl

h = Harness(__doc__)
readme = open(os.path.join(h.source, "README.md"), encoding="utf-8").read()
example = re.search(r"```xml\n(<\?xml.*?name=\"risk-register\".*?</mapping>)\n```", readme, flags=re.S)
h.check(example is not None, "README has the risk-register mapping example")
mapping = example.group(1) if example else ""
# The officer's first try: the fact captures only "Quarter 2".
loose = re.sub(r'<fact name="as_of"[^>]*/>', lambda m: r'<fact name="as_of" type="timescale" from="row" pattern="(Quarter\s+\d)\b"/>', mapping)
h.check(loose != mapping, "the example's as_of fact was replaced")
loose_file = os.path.join(h.work, "risk-register.xml")
with open(loose_file, "w", encoding="utf-8") as f:
    f.write(loose)
strict_file = os.path.join(h.work, "risk-register-strict.xml")
with open(strict_file, "w", encoding="utf-8") as f:
    f.write(loose.replace("</rules>", '  <rule id="TIME-ASOF" severity="error"/>\n  </rules>'))

inbox = os.path.join(h.work, "inbox")
os.makedirs(inbox)
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Risks"
ws.append(["Corporate Risk Register \u2013 Quarter 2"])
ws.append([])
ws.append(["Risk Ref", "Risk Description", "Risk Owner", "Current Rating", "Review Date"])
ws.append(["R1", "Failure to recruit and retain social workers", "Director of Children's Services", "Red", "December 2016"])
ws.append(["R2", "Overspend on adult social care placements", "Director of Adult Social Care", "Amber", "March 2017"])
wb.save(os.path.join(inbox, "risks-q2.xlsx"))
today = datetime.date.today().isoformat()

def findings(out):
    with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
        return json.load(f)["files"][0]

out = os.path.join(h.work, "today")
proc = h.run("validate", inbox, "-m", loose_file, "-o", out, "--fail-on", "never")
h.equal(proc.returncode, 0, f"validate exits 0: {proc.stderr}")
said = [l for l in proc.stderr.splitlines() if "risks-q2.xlsx" in l]
h.equal(len(said), 1, f"one line on stderr names the return: {proc.stderr}")
h.check(said and "no reporting date" in said[0] and today in said[0] and "--as-of" in said[0],
        f"it says the date is today's and how to give one: {said}")
f = findings(out)
h.equal((f["as_of"], f["as_of_source"]), (today, "today"), "report.json: as_of is today, from today")
asof = [x for x in f["findings"] if x["rule"] == "TIME-ASOF"]
h.equal(len(asof), 1, "one TIME-ASOF finding for the return")
if asof:
    x = asof[0]
    h.equal((x["severity"], x["sheet"], x["cell"]), ("info", "Risks", "A1"), "an info at the cell the date was read from")
    h.check("'Quarter 2'" in x["message"] and "today" in x["message"], f"it quotes what was found: {x['message']}")

out = os.path.join(h.work, "given")
proc = h.run("validate", inbox, "-m", loose_file, "-o", out, "--fail-on", "never", "--as-of", "30/09/2016")
h.check("no reporting date" not in proc.stderr, f"--as-of: nothing said on stderr: {proc.stderr}")
f = findings(out)
h.equal((f["as_of"], f["as_of_source"]), ("2016-09-30", "option"), "--as-of is the reporting date")
h.equal([x for x in f["findings"] if x["rule"] == "TIME-ASOF"], [], "--as-of: no TIME-ASOF finding")

out = os.path.join(h.work, "quiet")
proc = h.run("validate", inbox, "-m", loose_file, "-o", out, "--fail-on", "never", "-q")
h.equal(proc.stderr, "", "-q: nothing on stderr (the finding is still in the report)")
h.equal(len([x for x in findings(out)["findings"] if x["rule"] == "TIME-ASOF"]), 1, "-q: the finding stays")

proc = h.run("validate", inbox, "-m", strict_file, "-o", os.path.join(h.work, "strict"))
h.equal(proc.returncode, 1, f"declared as an error, TIME-ASOF fails the run: {proc.stderr}")

# Every sample states its reporting date.
out = os.path.join(h.work, "samples")
proc = h.run("validate", h.samples, "-o", out, "--fail-on", "never", "-q")
with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
    report = json.load(f)
for f in report["files"]:
    h.equal(f["as_of_source"], "workbook", f"{os.path.basename(f['input'])} states its reporting date")
    h.equal([x for x in f["findings"] if x["rule"] == "TIME-ASOF"], [], f"{os.path.basename(f['input'])}: no TIME-ASOF")
imp = [f for f in report["files"] if f["input"].endswith("improvement-action-plan.xlsx")]
h.equal(imp[0]["as_of"] if imp else None, "2016-10-31", "the improvement plan's monthly report is at 31 October 2016")
h.finish()
