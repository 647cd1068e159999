"""Nothing a shipped mapping declares is lost and nothing a sample holds is left unread: every
sample converts with no MAP-UNREAD finding; every column each shipped mapping declares is
filled (an element with a value in the XML) on at least one sample; the second "Target" column
of the indicator table and of the improvement plan's measures (occurrence="2") is read, into the
XML and into the cleaned workbook; and a sub-action on a row of its own is judged at its own
target-date cell.
"""
import json
import os
import xml.etree.ElementTree as ET

import openpyxl

from harness import Harness

h = Harness(__doc__)
MNS = "{urn:planconv:mapping:1}"
out = os.path.join(h.work, "out")
proc = h.run("convert", h.samples, "-o", out, "--fail-on", "never", "-j", "2", "--no-progress")
h.check(proc.returncode == 0, f"convert samples exited {proc.returncode}: {proc.stderr[-3000:]}")
report = json.load(open(os.path.join(out, "report.json")))
files = {os.path.basename(f["input"]): f for f in report["files"]}
h.check(len(files) >= 15, f"every sample converted ({len(files)})")

# 1. Zero MAP-UNREAD on every sample.
for name, f in sorted(files.items()):
    h.equal(f["status"], "converted", f"{name} status")
    unread = [x for x in f["findings"] if x["rule"] == "MAP-UNREAD"]
    h.equal(unread, [], f"{name}: MAP-UNREAD findings")


def filled(element):
    return bool((element.text or "").strip()) or len(element) > 0 or any(
        k not in ("inherited",) for k in element.attrib)


# 2. Every declared column is filled on at least one sample of its mapping.
for mapping_file in sorted(os.listdir(os.path.join(h.source, "mappings"))):
    if not mapping_file.endswith(".xml"):
        continue
    m = ET.parse(os.path.join(h.source, "mappings", mapping_file)).getroot()
    name = m.get("name")
    roots = [ET.parse(f["outputs"]["xml"]).getroot() for f in files.values() if f["mapping"] == name and f["outputs"].get("xml")]
    h.check(roots, f"{name}: some sample converts with it")
    for table in m.findall(MNS + "table"):
        record_tag = table.get("element")
        records = [r for root in roots for r in root.iter(record_tag) if r.get("kind") is None]
        h.check(records, f"{name}: table {table.get('name')} has records on the samples")
        for column in table.findall(MNS + "column"):
            tag = column.get("element") or column.get("field")
            found = any(filled(e) for r in records for e in r.findall(tag))
            h.check(found, f"{name}: column '{column.get('field')}' of table '{table.get('name')}' holds a value on no sample")

# 3. occurrence="2": last year's target of the indicator table (column H of the sample: 47
#    filled cells, of which 7 are the "Target 2011/12" headers and 1 a row of dashes); Target
#    17/18 of the improvement plan's measures.
sheet = openpyxl.load_workbook(os.path.join(h.samples, "indicator-table.xlsx")).worksheets[0]
column_h = [c.value for c in sheet["H"] if c.value not in (None, "")]
h.equal(len(column_h), 47, "indicator-table.xlsx: column H holds 47 cells")
values_h = [v for v in column_h if not str(v).startswith("Target") and set(str(v)) != {"-"}]
root = ET.parse(files["indicator-table.xlsx"]["outputs"]["xml"]).getroot()
previous = [e for e in root.iter("previous_target") if filled(e)]
h.equal(len(previous), len(values_h), "indicator-table.xlsx: a <previous_target> for every value of column H")
h.equal(len(previous), len([e for e in root.iter("target") if filled(e)]), "indicator-table.xlsx: as many as this year's targets")
workbook = files["indicator-table.xlsx"]["outputs"].get("workbook")
if h.check(workbook and os.path.exists(workbook), "indicator-table.xlsx: cleaned workbook written"):
    wb = openpyxl.load_workbook(workbook, read_only=True)
    best = 0
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        for r, row in enumerate(rows[:5]):
            targets = [c for c, v in enumerate(row) if isinstance(v, str) and v.strip().lower().startswith("target")]
            if len(targets) < 2:
                continue
            col = targets[1]
            best = max(best, sum(1 for later in rows[r + 1:] if col < len(later) and later[col] not in (None, "")))
    h.equal(best, len(values_h), "indicator-table.xlsx: the cleaned workbook's second Target column holds last year's targets")
root = ET.parse(files["improvement-action-plan.xlsx"]["outputs"]["xml"]).getroot()
h.check(sum(1 for e in root.iter("target_next") if filled(e)) > 0, "improvement plan: Target 17/18 is read")

# 4. A sub-action on a row of its own is judged at its own row's target date (quarterly layout:
#    the action on row 7, sub-actions B) and C) on rows 8 and 9 below it).
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Plan"
for r in [
    ["Children Portfolio Plan 2020/21 Quarter 3 Update"],
    [],
    ["Priority 1"],
    ["Safeguarding"],
    [],
    ["ACTION", "DETAIL", "MEASURES OF SUCCESS", "TARGET DATE", "LEAD", "UPDATES"],
    ["1) Keep children safe", "A) Train staff", "Staff trained", "March 2021", "Head of Service", "A) On track"],
    [None, "B) Audit case files", "Files audited", "June 2020", "QA Lead", "B) Delayed by the lockdown"],
    [None, "C) Publish the audit report", "Report out", "September 2020", "QA Lead", "C) Completed"],
]:
    ws.append(r)
src = os.path.join(h.work, "sub-actions.xlsx")
wb.save(src)
out2 = os.path.join(h.work, "out2")
proc = h.run("convert", "-m", "portfolio-plan-quarterly", src, "-o", out2, "--no-workbook", "--fail-on", "never", "--no-progress")
h.equal(proc.returncode, 0, f"convert the sub-action workbook ({proc.stderr[-2000:]})")
entry = json.load(open(os.path.join(out2, "report.json")))["files"][0]
overdue = [(f["cell"], f["record"]) for f in entry["findings"] if f["rule"] == "TIME-OVERDUE"]
h.equal(overdue, [("D8", "1.1.B")], "sub-action B's June 2020 date is overdue at its own cell D8")
h.equal([f for f in entry["findings"] if f["rule"] == "MAP-UNREAD"], [], "sub-action workbook: nothing unread")
h.finish()
