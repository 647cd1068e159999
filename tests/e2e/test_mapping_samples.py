"""Every sample converts with the mapping auto-detection picks, to XML that validates against
`planconv mappings xsd NAME`; the seed-000 half-year sample has the counts and values of the
real committee paper; and a mapping written only here (not shipped) converts a new layout.
"""
import json
import os
import xml.etree.ElementTree as ET

from harness import Harness

h = Harness(__doc__)
expected = json.load(open(os.path.join(h.samples, "expected-findings.json")))["files"]
out = os.path.join(h.work, "out")
proc = h.run("convert", h.samples, "-o", out, "--no-workbook", "--fail-on", "never", "-j", "2", "--no-progress")
h.check(proc.returncode == 0, f"convert samples exited {proc.returncode}: {proc.stderr[-3000:]}")
report = json.load(open(os.path.join(out, "report.json")))
by_name = {os.path.basename(f["input"]): f for f in report["files"]}

# 1. Auto-detection, counts and reporting dates against the samples' own manifest.
for name, exp in sorted(expected.items()):
    got = by_name.get(name)
    if not h.check(got is not None, f"{name}: not in the report"):
        continue
    h.equal(got["status"], "converted", f"{name} status ({got.get('error')})")
    h.equal(got["mapping"], exp["mapping"], f"{name} detected mapping")
    counts = exp.get("counts", {})
    for key in ("sections", "records"):
        if key in counts:
            h.equal(got["counts"][key], counts[key], f"{name} counts.{key}")
    if "as_of" in counts:
        h.equal(got["as_of"], counts["as_of"], f"{name} as_of")

# 2. Every XML validates against the XSD its mapping prints.
for name, got in sorted(by_name.items()):
    if got["status"] != "converted":
        continue
    mapping = got["mapping"]
    xml = got["outputs"].get("xml")
    if not h.check(xml and os.path.exists(xml), f"{name}: no XML output"):
        continue
    rc, messages = h.schema_check(h.xsd(mapping), xml)
    h.check(rc == 0, f"{name}: XML does not validate against its XSD: {messages[-1500:]}")

# 3. The seed-000 sample, as the issue states it.
root = ET.parse(os.path.join(out, "portfolio-plan-half-year.xml")).getroot()
outcomes = root.findall("outcome")
h.equal(len(outcomes), 6, "half-year sections")
actions = [a for o in outcomes for a in o.findall("action")]
h.equal(len(actions), 53, "half-year actions (continuation rows merged, not counted)")
rags = [a.findtext("rag") for a in actions]
h.equal(sum(1 for r in rags if r in ("Green", "Amber", "Red", "Blue")), 52, "RAG-rated actions")
h.equal(sum(1 for r in rags if r == "NA"), 1, "N/A actions")
indicators = [i for o in outcomes for i in o.findall("indicator") if i.get("kind") is None]
notes = [i for o in outcomes for i in o.findall("indicator") if i.get("kind") == "note"]
h.equal(len(indicators), 37, "half-year indicators")
h.equal(len(notes), 1, "half-year note rows")
a13 = [a for a in actions if a.findtext("id") == "1.3" and a.find("id").get("inherited") is None]
if h.check(len(a13) == 1, "action 1.3 found once"):
    rag = a13[0].find("rag")
    h.equal(rag.text, "Amber", "action 1.3 RAG")
    h.equal(rag.get("qualifier"), "Central Government Delay", "action 1.3 RAG qualifier")
    h.equal(rag.get("raw"), "Amber (Central Government Delay)", "action 1.3 raw RAG")
ind4 = [i for i in outcomes[0].findall("indicator") if i.findtext("no") == "4"]
if h.check(len(ind4) == 1, "outcome 1 indicator 4 found once"):
    obs = ind4[0].find("outturn/observation")
    h.equal(obs.get("value"), "90.5", "indicator 4 outturn value")
    h.equal(obs.get("unit"), "percent", "indicator 4 outturn unit")
    h.equal((obs.get("numerator"), obs.get("denominator")), ("191", "211"), "indicator 4 numerator/denominator")
    h.equal(obs.get("period"), "October", "indicator 4 period")
continuation = [a for a in actions if "Revised Market Position Statement" in (a.findtext("next_steps") or "")]
h.check(len(continuation) == 1, "text after a page break is appended to its action, not a record of its own")
h.equal(root.get("as_of"), "2016-11-30", "reporting date from 'Half Year Update – end of November 2016'")
h.equal((root.get("plan_start"), root.get("plan_end")), ("2016-04-01", "2017-03-31"), "plan period 2016/17")

# 4. A mapping written only here, for a layout no shipped mapping knows: a risk register.
import openpyxl  # noqa: E402  (Debian's python3-openpyxl)

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Risks"
ws.append(["Corporate Risk Register – Quarter 2 2016/17"])
ws.append([])
ws.append(["Risk Ref", "Risk Description", "Risk Owner", "Current Rating", "Review Date"])
ws.append(["R1", "Failure to recruit social workers", "DCS", "RED", "Sept 2016"])
ws.append(["R2", "Budget pressures in placements", "Director of Finance", "Amber", "Dec 16"])
ws.append(["R3", "Data breach", "Head of IT", "g", "31/03/2017"])
src = os.path.join(h.work, "risks.xlsx")
wb.save(src)
mapping = os.path.join(h.work, "risk-register.xml")
open(mapping, "w").write("""<?xml version="1.0" encoding="UTF-8"?>
<mapping xmlns="urn:planconv:mapping:1" name="risk-register" element="risk_register">
  <description>Corporate risk register</description>
  <facts>
    <fact name="as_of" type="timescale" from="row" pattern="(Quarter\\s+\\d)\\s+(\\d{4}/\\d{2})"/>
  </facts>
  <table name="risks" element="risk" min-match="4">
    <column field="ref" type="id" header="^Risk Ref$" key="true"/>
    <column field="description" type="text" header="^Risk Description$" key="true" required="true"/>
    <column field="owner" type="text" header="^Risk Owner$"/>
    <column field="rating" type="rag" header="^Current Rating$"/>
    <column field="review" type="timescale" header="^Review Date$"/>
    <rows continuation="false"/>
  </table>
</mapping>
""")
p = h.run("mappings", "check", mapping)
h.equal(p.returncode, 0, f"mappings check of the test's own mapping ({p.stdout}{p.stderr})")
out2 = os.path.join(h.work, "out2")
p = h.run("convert", "-m", mapping, src, "-o", out2, "--no-workbook", "--fail-on", "never", "--no-progress")
h.equal(p.returncode, 0, f"convert with a mapping written in the test ({p.stderr})")
risks = ET.parse(os.path.join(out2, "risks.xml")).getroot().findall("risk")
h.equal([r.findtext("ref") for r in risks], ["R1", "R2", "R3"], "risk ids")
h.equal([r.findtext("rating") for r in risks], ["Red", "Amber", "Green"], "risk ratings normalised")
h.equal(risks[1].find("review").get("end"), "2016-12-31", "'Dec 16' review date")

h.finish()
