"""Mapping-language features (README, "Writing a mapping"), each used by a mapping written only
here for a layout no shipped mapping covers (DOMAIN §1.4): one table whose outcomes are rows
inside it, with summary claims; an issue log with an unheaded reference column before the first
headed one and a table that ends at blank rows; an audit report whose areas are labels merged
down a column; an escalations table whose totals sit above their parts. Each converts a
workbook built here with every row accounted for (no MAP-UNREAD) and the findings its figures
call for; then a stray column, a table ended at a section start and a note outside the columns
are reported by MAP-UNREAD with their cells.
"""
import json
import os
import xml.etree.ElementTree as ET

import openpyxl

from harness import Harness

h = Harness(__doc__)
NS = 'xmlns="urn:planconv:mapping:1"'


def write(name, text):
    path = os.path.join(h.work, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def convert(mapping, workbook, tag, *extra):
    """Converts one workbook; returns its report entry and parsed XML root."""
    p = h.run("mappings", "check", mapping)
    h.equal(p.returncode, 0, f"{tag}: mappings check ({p.stdout}{p.stderr})")
    out = os.path.join(h.work, "out-" + tag)
    p = h.run("convert", "-m", mapping, workbook, "-o", out, "--fail-on", "never", "--no-progress", *extra)
    h.equal(p.returncode, 0, f"{tag}: convert exited {p.returncode} ({p.stderr[-1500:]})")
    report = json.load(open(os.path.join(out, "report.json")))
    entry = report["files"][0]
    h.equal(entry["status"], "converted", f"{tag}: status ({entry.get('error')})")
    xml = entry["outputs"].get("xml")
    root = ET.parse(xml).getroot() if xml and os.path.exists(xml) else None
    h.check(root is not None, f"{tag}: XML written")
    return entry, root


def rules(entry, rule):
    return [f for f in entry["findings"] if f["rule"] == rule]


def explain(mapping, workbook):
    p = h.run("inspect", "-m", mapping, "--explain", workbook)
    h.equal(p.returncode, 0, f"inspect --explain {os.path.basename(workbook)} ({p.stderr})")
    return p.stdout


# ---- 1. Aims with outcome rows inside one table, summary claims, a footer that ends it -----
AIMS = write("aims.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<mapping {NS} name="aims-review" element="review">
  <description>Year-end review: one aims table with Outcome rows inside it and a summary per outcome</description>
  <facts><fact name="title" from="row" pattern="^(.*Year-end review.*)$"/></facts>
  <sections element="outcome" start="^Outcome\\s+(\\d+)\\b">
    <claim name="summary" pattern="(?&lt;on_track&gt;\\w+) out of the (?&lt;total&gt;\\w+) aims"/>
  </sections>
  <table name="aims" element="aim" min-match="3">
    <column field="aim" type="richtext" header="^We aimed to" key="true" required="true"/>
    <column field="rag" type="rag" header="^RAG Status$"/>
    <column field="update" type="richtext" header="^Update$"/>
    <rows continuation="true" separator="^\\*{{3,}}$" separator-match="any" end="^Source:"/>
  </table>
  <rules>
    <rule id="TOTAL-COUNT" table="aims"><param name="claim" value="summary"/></rule>
    <rule id="FIELD-ENUM"/>
  </rules>
</mapping>
""")


def aims_workbook(name, stray_column=False):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Review"
    header = ["We aimed to:-", "RAG Status", "Update"] + (["Comments"] if stray_column else [])
    rows = [
        ["Adult Services Year-end review 2017/18"],
        [],
        header,
        ["Outcome 1 Independence"],
        ["Two out of the three aims are on track"],
        ["Increase direct payments", "Green", "Up 12%"],
        ["Reduce delayed transfers", "Green", "On target", "check figure"],
        ["Expand reablement", "Amber", "Recruitment delayed"],
        [None, None, "(continued) new provider from June"],
        ["***", None, None],
        ["Outcome 2 Safety"],
        ["Three out of the four aims are on track"],
        ["Safeguarding training for all staff", "Green", "Done"],
        ["Reduce repeat referrals", "Red", "Rose 4%"],
        ["Audit care plans", "Amber", "Half done", "ask QA"],
        ["Publish annual report", "Green", "Published"],
        ["Source: Adult Services performance team"],
        ["Page 1 of 1", "Printed 3 April 2018", "Draft"],
    ]
    for r in rows:
        if not stray_column and len(r) > 3:
            r = r[:3]
        ws.append(r)
    path = os.path.join(h.work, name)
    wb.save(path)
    return path


src = aims_workbook("aims.xlsx")
entry, root = convert(AIMS, src, "aims")
h.equal(rules(entry, "MAP-UNREAD"), [], "aims: every row accounted for")
outcomes = root.findall("outcome")
h.equal([o.get("id") for o in outcomes], ["1", "2"], "aims: both outcome rows are sections inside the one table")
h.equal([len(o.findall("aim")) for o in outcomes], [3, 4], "aims: the table runs on across the Outcome rows")
h.equal(entry["counts"]["records"], 7, "aims: records")
reablement = [a for a in root.iter("aim") if "reablement" in (a.findtext("aim") or "")]
if h.check(len(reablement) == 1, "aims: the reablement aim read once"):
    h.check("new provider" in "".join(reablement[0].find("update").itertext()), "aims: a continuation row appended to its aim")
counts = rules(entry, "TOTAL-COUNT")
h.equal([(f["sheet"], f["cell"], f["record"]) for f in counts], [("Review", "A12", "2")],
        "aims: outcome 2's summary (3 of 4) disagrees with its table (2 Green); outcome 1's agrees")
h.check(counts and "2 Green" in counts[0]["message"] or False, f"aims: the count is in the message ({counts})")
text = explain(AIMS, src)
for want in ("row 3: header [aims]", "row 4: section start", "runs on", "row 5: claim", "row 9: continuation [aims] of record",
             "row 10: separator [aims]", "row 17: end [aims]", "MAP-UNREAD: nothing left unread"):
    h.check(want in text, f"aims: inspect --explain says {want!r}:\n{text[-3000:]}")
h.check("row 18: record" not in text and "row 18: ignored" in text, "aims: the page footer below the end row is no record")

# A stray column: its header and its two filled cells are reported, with their cells.
stray = aims_workbook("aims-stray.xlsx", stray_column=True)
entry, _ = convert(AIMS, stray, "aims-stray")
unread = rules(entry, "MAP-UNREAD")
h.equal(sorted(f["cell"] for f in unread), ["D3", "D7"], "aims-stray: the Comments header and its cells, one finding per reason")
h.check(any("D7" in f["message"] and "D15" in f["message"] and "Comments" in f["message"] for f in unread),
        f"aims-stray: the cells under 'Comments' are named, grouped: {unread}")

# The same workbook read with sections="end": outcome 2's aims are lost — and said to be.
ENDING = write("aims-ending.xml", open(AIMS).read().replace('end="^Source:"', 'end="^Source:" sections="end"'))
entry, root = convert(ENDING, src, "aims-ending")
h.equal(len(list(root.iter("aim"))), 0, "aims-ending: the table ends at the Outcome 1 row below its header")
lost = [f for f in rules(entry, "MAP-UNREAD") if "ended" in f["message"]]
h.check(len(lost) == 1 and "7 rows below it (rows 6–16)" in lost[0]["message"] and lost[0]["cell"] == "A6",
        f"aims-ending: the lost rows are reported: {lost}")

# ---- 2. Issue log: an unheaded reference column left of the first headed one; blank rows end it
ISSUES = write("issues.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<mapping {NS} name="issue-log" element="issue_log">
  <description>Issue log: reference, issue, action, owner, deadline</description>
  <facts><fact name="as_of" type="timescale" from="row" pattern="^Position at (.+)$"/></facts>
  <table name="issues" element="issue" min-match="4">
    <column field="ref" type="id" before="issue" id-pattern="^I\\d+$"/>
    <column field="issue" type="text" header="^Issue$" key="true" required="true"/>
    <column field="action" type="richtext" header="^Action to be undertaken$"/>
    <column field="owner" type="text" header="^Action Owner$"/>
    <column field="deadline" type="timescale" header="^Deadline$"/>
    <rows continuation="true" end-blank-rows="1"/>
  </table>
  <rules>
    <rule id="ID-DUPLICATE" table="issues"><param name="field" value="ref"/></rule>
    <rule id="TIME-OVERDUE" table="issues"><param name="fields" value="deadline"/></rule>
  </rules>
</mapping>
""")
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Issues"
for r in [
    ["Position at 30 September 2017"],
    [None, "Issue", "Action to be undertaken", "Action Owner", "Deadline"],
    ["I1", "Backlog of assessments", "Agency staff for three months", "Head of Assessment", "June 2017"],
    [None, None, "then review caseloads", None, None],
    ["I2", "Late supervision records", "Monthly audit", "Team managers", "March 2018"],
    ["I2", "Unallocated cases", "Weekly allocation meeting", "Head of Service", "Completed"],
    [],
    ["Key: RAG as agreed at DMT", "Owner initials", "Reviewed monthly"],
]:
    ws.append(r)
src = os.path.join(h.work, "issues.xlsx")
wb.save(src)
entry, root = convert(ISSUES, src, "issues")
h.equal(rules(entry, "MAP-UNREAD"), [], "issues: every row accounted for")
issues = root.findall("issue")
h.equal([i.findtext("ref") for i in issues], ["I1", "I2", "I2"], "issues: the unheaded reference column left of Issue is read")
h.check("then review caseloads" in "".join(issues[0].find("action").itertext()), "issues: continuation appended")
h.equal(entry["counts"]["records"], 3, "issues: the legend below the blank row is no record")
h.equal([(f["cell"], f["record"]) for f in rules(entry, "TIME-OVERDUE")], [("E3", "I1")], "issues: June 2017 is overdue at 30 September 2017")
h.equal([f["cell"] for f in rules(entry, "ID-DUPLICATE")], ["A6"], "issues: I2 used twice")

# ---- 3. Audit report: areas as labels merged down column A, beside the findings they group ---
AUDIT = write("audit.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<mapping {NS} name="audit-report" element="audit">
  <description>Internal audit report: findings grouped by area, with management comments</description>
  <table name="findings" element="finding" min-match="6">
    <column field="area" type="text" before="no"/>
    <column field="no" type="id" header="^Finding No$" key="true" id-pattern="^\\d+$"/>
    <column field="recommendation" type="richtext" header="^Recommendation$" required="true"/>
    <column field="priority" type="enum" header="^Priority$">
      <value name="High" aliases="1|H"/><value name="Medium" aliases="2|M"/><value name="Low" aliases="3|L"/>
    </column>
    <column field="comment" type="richtext" header="^Management Comment$"/>
    <column field="responsibility" type="text" header="^Responsibility$"/>
    <column field="timescale" type="timescale" header="^Agreed Timescale$"/>
    <rows continuation="false" notes="true" group-merged="area"/>
  </table>
  <rules>
    <rule id="FIELD-ENUM" table="findings"/>
    <rule id="ID-SEQUENCE" table="findings"><param name="field" value="no"/></rule>
  </rules>
</mapping>
""")
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Action Plan"
for r in [
    ["Internal Audit of Payroll and Pensions 2017/18"],
    [None, "Finding No.", "Recommendation", "Priority", "Management Comment", "Responsibility", "Agreed Timescale"],
    ["Payroll", 1, "Reconcile starters and leavers monthly", "High", "Agreed", "Payroll Manager", "March 2018"],
    [None, 2, "Authorise overtime before payment", "Medium", "Agreed", "Payroll Manager", "April 2018"],
    [None, 3, "Review access rights", "Urgent", "Partly agreed", "IT Security", "June 2018"],
    ["Pensions", 4, "Check pension contribution rates", "Low", "Agreed", "Pensions Officer", "May 2018"],
    [None, 6, "Record opt-outs", "M", "Agreed", "Pensions Officer", "May 2018"],
    [None, "Management comments received 12 March 2018"],
]:
    ws.append(r)
ws.merge_cells("A3:A5")
ws.merge_cells("A6:A7")
src = os.path.join(h.work, "audit.xlsx")
wb.save(src)
entry, root = convert(AUDIT, src, "audit")
h.equal(rules(entry, "MAP-UNREAD"), [], "audit: every row accounted for")
findings = [f for f in root.findall("finding") if f.get("kind") is None]
groups = [f for f in root.findall("finding") if f.get("kind") == "group"]
h.equal([g.findtext("area") for g in groups], ["Payroll", "Pensions"], "audit: each merged area label is a group")
h.equal([f.findtext("no") for f in findings], ["1", "2", "3", "4", "6"], "audit: five findings")
h.equal([f.findtext("area") for f in findings], [None] * 5, "audit: the area is the group, not a value repeated")
h.equal(len([f for f in root.findall("finding") if f.get("kind") == "note"]), 1, "audit: the closing line is a note")
h.equal([(f["cell"], f["actual"]) for f in rules(entry, "FIELD-ENUM")], [("D5", "Urgent")], "audit: 'Urgent' is no priority")
h.equal([f["cell"] for f in rules(entry, "ID-SEQUENCE")], ["B7"], "audit: finding 5 is missing")
text = explain(AUDIT, src)
h.check('row 3: group [findings] "Payroll"' in text and 'row 3: record [findings] id 1' in text, f"audit: explain shows the group and its first finding:\n{text}")

# ---- 4. Escalations: totals above their parts; the first row of each block is its total -----
ESCALATIONS = write("escalations.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<mapping {NS} name="escalations" element="escalations">
  <description>Escalations and referrals: a total row above each block of figures</description>
  <table name="counts" element="count" min-match="2">
    <column field="measure" type="text" header="^Measure$" key="true"/>
    <column field="number" type="integer" header="^Number$"/>
    <rows continuation="false" first-row-total="true" total-field="measure"
          separator="^-{{3,}}$" separator-match="any" end="^Notes?:"/>
  </table>
  <rules>
    <rule id="TOTAL-SUM" table="counts"><param name="fields" value="number"/></rule>
  </rules>
</mapping>
""")
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Escalations"
for r in [
    ["Measure", "Number"],
    ["Total escalations received", 34],
    ["Children's social care", 26],
    ["Adult social care", 8],
    ["Other", 2],
    [],
    ["Total no. of referrals", 50],
    ["Police", 30],
    ["Schools", 20],
    ["----", None],
    ["Total complaints", 7],
    ["Upheld", 3],
    ["Not upheld", 4],
    ["Notes: figures from the case system", "provisional"],
]:
    ws.append(r)
src = os.path.join(h.work, "escalations.xlsx")
wb.save(src)
entry, root = convert(ESCALATIONS, src, "escalations")
h.equal(rules(entry, "MAP-UNREAD"), [], "escalations: every row accounted for")
totals = [c for c in root.findall("count") if c.get("kind") == "total"]
h.equal([t.findtext("measure") for t in totals], ["Total escalations received", "Total no. of referrals", "Total complaints"],
        "escalations: the first row of each block is its total")
h.equal(entry["counts"]["records"], 7, "escalations: seven parts")
sums = rules(entry, "TOTAL-SUM")
h.equal([(f["cell"], f["expected"], f["actual"]) for f in sums], [("B2", "36", "34")],
        "escalations: 26 + 8 + 2 is 36, not the 34 shown above them; the other totals add up")

# The same totals found by their label instead, each above its parts: the same finding.
LABELLED = write("escalations-labelled.xml", open(ESCALATIONS).read().replace(
    'first-row-total="true"', 'total="^Total\\b" total-position="above"'))
entry, root = convert(LABELLED, src, "escalations-labelled")
h.equal([(f["cell"], f["expected"], f["actual"]) for f in rules(entry, "TOTAL-SUM")], [("B2", "36", "34")],
        "escalations-labelled: a labelled total above its parts is checked against the rows below it")
h.equal(rules(entry, "MAP-UNREAD"), [], "escalations-labelled: every row accounted for")

# ---- 5. A note outside the table's columns, in a table without notes, is reported -----------
NOTES = write("notes.xml", open(ISSUES).read().replace('end-blank-rows="1"', 'end-blank-rows="2"'))
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Issues"
for r in [
    [None, "Issue", "Action to be undertaken", "Action Owner", "Deadline"],
    ["I1", "Backlog", "Agency staff", "Head of Assessment", "June 2017"],
    [None, None, None, None, None, "note: see appendix"],
]:
    ws.append(r)
src = os.path.join(h.work, "notes.xlsx")
wb.save(src)
entry, _ = convert(NOTES, src, "notes")
h.equal([f["cell"] for f in rules(entry, "MAP-UNREAD")], ["F3"], "notes: a note outside the columns is reported at its cell")

h.finish()
