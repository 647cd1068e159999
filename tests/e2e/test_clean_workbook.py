# ctest-labels: writer
"""The cleaned workbooks of every sample, read back with openpyxl (SPEC §9).

- `convert samples -o WORK/out` writes a cleaned workbook beside each XML; for every one:
  the sheets (one per table with records, sub-record sheets, sections, Findings, About last),
  a header row of strings, frozen, with an autofilter; as many rows per table as the XML has
  records of that table; typed cells (due dates and register dates are dates, money and
  budget figures numbers with a £ format); RAG cells canonical, filled with their colour,
  under a drop-down of Red/Amber/Green/Blue/NA;
- the Findings sheet lists the report's findings for that file, and every hyperlink on it
  resolves to an existing cell of the workbook that carries a comment naming the finding's
  rule; the planted-mistakes samples have such links; a file without findings says so;
- gnumeric's ssconvert turns every cleaned workbook and every return template into CSV
  without an error;
- formula injection: a half-year return built here whose action, update and focus cells hold
  the TEXT `=HYPERLINK("http://x","y")`, `+44 20 8464 3333`, `@SUM(A1:A2)`, `-1+2` is
  converted; the cleaned workbook's sheet parts have no <f> element and those cells are
  strings (inline or shared).
"""
import datetime
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile

import openpyxl
from openpyxl.utils import column_index_from_string, range_boundaries

from harness import Harness

h = Harness(__doc__)
MAP_NS = "{urn:planconv:mapping:1}"
RAG = {"Red": "FF0000", "Amber": "FFC000", "Green": "00B050", "Blue": "0070C0", "NA": "D9D9D9"}
SEVERITY_FILLS = {"FFC7CE", "FFEB9C", "DDEBF7"}
INJECTED = ['=HYPERLINK("http://x","y")', "+44 20 8464 3333", "@SUM(A1:A2)", "-1+2"]


def humanise(name):
    text = name.replace("_", " ").replace("-", " ")
    return text[:1].upper() + text[1:]


def plural(name):
    text = humanise(name)
    if text.endswith("s") and not text.endswith("ss"):
        return text
    if text.endswith(("s", "x", "ch", "sh")):
        return text + "es"
    if text.endswith("y") and len(text) > 1 and text[-2] not in "aeiou":
        return text[:-1] + "ies"
    return text + "s"


class MappingInfo:
    """What a test needs of a shipped mapping: tables, their elements, sections, RAG columns."""

    def __init__(self, path):
        root = ET.parse(path).getroot()
        self.name = root.get("name")
        sections = root.find(MAP_NS + "sections")
        self.section_element = sections.get("element", "section") if sections is not None else None
        self.tables = []
        for t in root.findall(MAP_NS + "table"):
            sub = t.find(MAP_NS + "subrecords")
            cols = t.findall(MAP_NS + "column")
            self.tables.append({
                "name": t.get("name"), "element": t.get("element"),
                "sub": sub.get("element") if sub is not None else None,
                "rag": any(c.get("type") == "rag" for c in cols),
                "rag_element": next((c.get("element", c.get("field")) for c in cols if c.get("type") == "rag"), None),
                "main": t.get("main", "true") != "false",
                "field_elements": {c.get("element", c.get("field")) for c in cols},
            })


def xml_counts(xml_path, info):
    """Records per table element in planconv's XML (children of the root and of sections)."""
    root = ET.parse(xml_path).getroot()
    elements = {t["element"] for t in info.tables}
    counts = {e: 0 for e in elements}
    subs = {t["element"]: 0 for t in info.tables}
    containers = [root] + [c for c in root if c.tag == info.section_element]
    for container in containers:
        for rec in container:
            if rec.tag in elements:
                counts[rec.tag] += 1
                table = next(t for t in info.tables if t["element"] == rec.tag)
                if table["sub"]:
                    subs[rec.tag] += sum(1 for s in rec if s.tag == table["sub"])
    return counts, subs, (len([c for c in root if c.tag == info.section_element]) if info.section_element else 0)


RAG_ORDER = ["Green", "Amber", "Red", "Blue", "NA"]
SUMMARY_HEADS = ["Green", "Amber", "Red", "Blue", "N/A", "Not rated", "Overdue", "Findings"]


def xml_rag_per_section(xml_path, info):
    """section id -> [Green, Amber, Red, Blue, N/A, not rated] over the records of the main tables."""
    root = ET.parse(xml_path).getroot()
    tables = {t["element"]: t for t in info.tables if t["main"] and t["rag_element"]}
    out = {}
    containers = [root] + [c for c in root if c.tag == info.section_element]
    for container in containers:
        for rec in container:
            t = tables.get(rec.tag)
            if t is None or rec.get("kind"):
                continue
            counts = out.setdefault(rec.get("section") or container.get("id") or "", [0] * 6)
            rag = rec.find(t["rag_element"])
            value = rag.text if rag is not None else None
            counts[RAG_ORDER.index(value) if value in RAG_ORDER else 5] += 1
    return out


def check_summary(wb, wb_path, xml_path, info, findings, label):
    """The Summary sheet: first, its RAG counts per section equal the XML's, its totals the
    report's, and a stacked bar chart with one series per RAG value."""
    h.check(wb.sheetnames[0] == "Summary", f"{label}: the Summary sheet comes first ({wb.sheetnames})")
    ws = wb["Summary"]
    heads = headers(ws)
    h.equal(heads, ["Section", "Title"] + SUMMARY_HEADS, f"{label}: the Summary header")
    rows = [r for r in ws.iter_rows(min_row=2, max_col=len(heads), values_only=True) if r[0] is not None or r[1] is not None]
    total = next((r for r in rows if r[0] == "Total"), None)
    if not h.check(total is not None, f"{label}: a Total row"):
        return
    body = rows[:rows.index(total)]
    got = {}
    for r in body:
        if r[1] == "Elsewhere in the return":
            h.check(sum(r[2:8]) == 0, f"{label}: findings outside every section have no RAG counts")
            continue
        h.check(r[0] is not None or (not info.section_element and r[1] == "The whole return"),
                f"{label}: a Summary row names its section ({r[:2]})")
        got[str(r[0] or "")] = list(r[2:8])
    want = xml_rag_per_section(xml_path, info)
    if info.section_element:
        for sid in want:
            h.check(sid in got, f"{label}: Summary has section {sid} ({sorted(got)})")
    for sid, counts in got.items():
        h.equal(counts, want.get(sid, [0] * 6), f"{label}: Summary RAG counts of section {sid!r} equal the XML's")
    h.equal(list(total[2:8]), [sum(c[k] for c in got.values()) for k in range(6)], f"{label}: the Total row adds up the RAG counts")
    h.equal(total[9], sum(x.get("count", 1) for x in findings), f"{label}: the Total row counts every finding")
    h.equal(total[8], sum(x.get("count", 1) for x in findings if x["rule"] == "TIME-OVERDUE"), f"{label}: overdue = TIME-OVERDUE findings")
    with zipfile.ZipFile(wb_path) as z:
        charts = [n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        if not h.check(len(charts) == 1 and body, f"{label}: one chart part ({charts})"):
            return
        chart = z.read(charts[0]).decode("utf-8")
    h.check("<c:barDir val=\"bar\"/>" in chart and "<c:grouping val=\"stacked\"/>" in chart, f"{label}: a stacked bar chart")
    series = re.findall(r"<c:ser>.*?</c:ser>", chart, flags=re.S)
    h.equal(len(series), 6, f"{label}: one chart series per RAG value and not rated")
    names = [re.search(r"<c:tx>.*?<c:f>([^<]+)</c:f>", x, flags=re.S).group(1) for x in series]
    h.equal(names, [f"Summary!${c}$1" for c in "CDEFGH"], f"{label}: the series are named by the Summary headings")
    span = (lambda c: f"Summary!${c}$2</c:f>") if len(body) == 1 else (lambda c: f"Summary!${c}$2:${c}${len(body) + 1}</c:f>")
    h.check(all(span(c) in x for c, x in zip("CDEFGH", series)),
            f"{label}: each series takes its column's section rows")


def headers(ws):
    return [c.value for c in ws[1]]


def rag_columns(ws):
    """Columns under a Red/Amber/Green/Blue/NA list validation."""
    cols = set()
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list" and dv.formula1 and "Red,Amber,Green,Blue,NA" in dv.formula1:
            for rng in str(dv.sqref).split():
                min_col, _, max_col, _ = range_boundaries(rng)
                cols.update(range(min_col, max_col + 1))
    return cols


def fill_rgb(cell):
    rgb = cell.fill.fgColor.rgb if cell.fill and cell.fill.fgColor is not None else None
    return rgb[-6:].upper() if isinstance(rgb, str) else None


def check_table_sheet(wb, ws, label):
    heads = headers(ws)
    h.check(all(isinstance(x, str) and x for x in heads), f"{label}: the header row is all text: {heads}")
    h.check(ws.freeze_panes == "A2", f"{label}: the header row is frozen ({ws.freeze_panes})")
    h.check(ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A1:"), f"{label}: an autofilter ({ws.auto_filter.ref})")
    for ci, title in enumerate(heads, start=1):
        if isinstance(title, str) and title.endswith("(due date)"):
            for row in ws.iter_rows(min_row=2, min_col=ci, max_col=ci):
                v = row[0].value
                if v is not None:
                    h.check(isinstance(v, datetime.datetime), f"{label}: '{title}' {row[0].coordinate} is a date ({v!r})")
                    break


def check_rag(ws, label, expect_rag):
    cols = rag_columns(ws)
    h.check(bool(cols) == expect_rag, f"{label}: a RAG drop-down exactly when the table has a RAG column ({sorted(cols)})")
    seen = 0
    for col in cols:
        for row in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell = row[0]
            if cell.value is None:
                continue
            if cell.value not in RAG:
                h.check(cell.comment is not None, f"{label}: a RAG cell that is not canonical carries a finding: {cell.coordinate} {cell.value!r}")
                continue
            seen += 1
            rgb = fill_rgb(cell)
            if cell.comment is not None:
                h.check(rgb in SEVERITY_FILLS, f"{label}: {cell.coordinate} with a finding has a severity fill ({rgb})")
            else:
                h.check(rgb == RAG[cell.value], f"{label}: {cell.coordinate} {cell.value} is filled {RAG[cell.value]} ({rgb})")
    if expect_rag:
        h.check(seen > 0, f"{label}: RAG values are present")
        h.check(len(ws.conditional_formatting) > 0, f"{label}: RAG colours follow the value (conditional formats)")


def check_findings(wb, findings, label, planted):
    ws = wb["Findings"]
    heads = headers(ws)
    h.check(heads == ["#", "Severity", "Rule", "Sheet in your workbook", "Cell in your workbook", "Record", "Message", "Expected", "Actual", "Count", "Go to the cleaned row"],
            f"{label}: the Findings header ({heads})")
    if not findings:
        h.check(isinstance(ws["G2"].value, str) and ws["G2"].value.startswith("No findings"), f"{label}: no findings is said ({ws['G2'].value!r})")
        return
    rows = list(ws.iter_rows(min_row=2, values_only=False))
    h.check(len(rows) == len(findings), f"{label}: one Findings row per finding ({len(rows)} vs {len(findings)})")
    links = 0
    for row, f in zip(rows, findings):
        h.check(row[2].value == f["rule"] and row[1].value == f["severity"], f"{label}: row {row[0].row} is {f['rule']} ({row[2].value})")
        h.check((row[4].value or "") == f["cell"], f"{label}: row {row[0].row} names the source cell {f['cell']} ({row[4].value})")
        link = row[10].hyperlink
        if link is None:
            continue
        links += 1
        loc = link.location or ""
        m = re.fullmatch(r"'((?:[^']|'')+)'!([A-Z]+)([0-9]+)", loc)
        if not h.check(m, f"{label}: an internal link location {loc!r}"):
            continue
        sheet, col, r = m.group(1).replace("''", "'"), m.group(2), int(m.group(3))
        if not h.check(sheet in wb.sheetnames, f"{label}: link {loc} names an existing sheet"):
            continue
        target = wb[sheet]
        h.check(r <= target.max_row and column_index_from_string(col) <= target.max_column,
                f"{label}: link {loc} lies inside the sheet ({target.max_row} rows, {target.max_column} columns)")
        cell = target[f"{col}{r}"]
        h.check(cell.comment is not None and f["rule"] in cell.comment.text,
                f"{label}: the linked cell {loc} carries a comment naming {f['rule']}")
        h.check(fill_rgb(cell) in SEVERITY_FILLS or cell.value in RAG, f"{label}: the linked cell {loc} is highlighted ({fill_rgb(cell)})")
    if planted:
        h.check(links > 0, f"{label}: the planted mistakes link to their cells")


def test_samples():
    out = os.path.join(h.work, "out")
    rc, stdout, stderr = h.call("convert", h.samples, "-o", out, "-q")
    h.check(rc in (0, 1), f"convert samples exits 0 or 1 ({rc}): {stderr.strip()[:500]}")
    report = json.load(open(os.path.join(out, "report.json")))
    mappings = {}
    workbooks = []
    for f in report["files"]:
        label = os.path.basename(f["input"])
        if not h.check(f["status"] == "converted", f"{label} converted ({f.get('error')})"):
            continue
        wb_path, xml_path = f["outputs"].get("workbook"), f["outputs"].get("xml")
        if not h.check(wb_path and os.path.exists(wb_path), f"{label}: a cleaned workbook ({wb_path})"):
            continue
        workbooks.append(wb_path)
        info = mappings.setdefault(f["mapping"], MappingInfo(os.path.join(h.mappings, f["mapping"] + ".xml")))
        wb = openpyxl.load_workbook(wb_path)
        names = wb.sheetnames
        h.check(names[-2:] == ["Findings", "About"], f"{label}: Findings and About come last ({names})")
        counts, subs, sections = xml_counts(xml_path, info)
        for t in info.tables:
            sheet = humanise(t["name"])
            n = counts[t["element"]]
            if sheet not in names:
                h.check(n == 0, f"{label}: a sheet '{sheet}' for {n} {t['element']} records ({names})")
                continue
            ws = wb[sheet]
            h.check(ws.max_row - 1 == n, f"{label}: '{sheet}' has one row per {t['element']} of the XML ({ws.max_row - 1} vs {n})")
            check_table_sheet(wb, ws, f"{label}/{sheet}")
            check_rag(ws, f"{label}/{sheet}", t["rag"] and n > 0)
            if t["sub"] and subs[t["element"]]:
                sub_sheet = plural(t["sub"])
                if h.check(sub_sheet in names, f"{label}: a sheet '{sub_sheet}' for the sub-records ({names})"):
                    h.check(wb[sub_sheet].max_row - 1 == subs[t["element"]],
                            f"{label}: '{sub_sheet}' has one row per sub-record ({wb[sub_sheet].max_row - 1} vs {subs[t['element']]})")
        if info.section_element and sections:
            ss = plural(info.section_element)
            if h.check(ss in names, f"{label}: a sheet of {ss}"):
                h.check(wb[ss].max_row - 1 == sections, f"{label}: one row per section ({wb[ss].max_row - 1} vs {sections})")
        about = wb["About"]
        h.check(any(r[0].value == "Source file" and r[1].value == os.path.basename(f["input"]) for r in about.iter_rows(min_row=2)),
                f"{label}: About names the source file")
        h.check(wb.properties.creator == "planconv", f"{label}: written by planconv ({wb.properties.creator})")
        check_findings(wb, f["findings"], label, "mistakes" in label)
        check_typed(wb, label)
        check_summary(wb, wb_path, xml_path, info, f["findings"], label)
    h.check(len(workbooks) >= 10, f"cleaned workbooks for the samples ({len(workbooks)})")
    return workbooks


def check_typed(wb, label):
    """Figures and dates that the samples hold are numbers and dates in the cleaned workbook."""
    if "contracts-register" in label:
        ws = wb["Contracts"]
        heads = headers(ws)
        for title in ("Start Date", "Total Contract Value"):
            if not h.check(title in heads, f"{label}: a '{title}' column ({heads})"):
                continue
            ci = heads.index(title) + 1
            values = [r[0] for r in ws.iter_rows(min_row=2, min_col=ci, max_col=ci) if r[0].value is not None]
            if title == "Start Date":
                dates = [c for c in values if isinstance(c.value, datetime.datetime)]
                h.check(len(dates) >= len(values) - 2 and dates, f"{label}: start dates are dates ({len(dates)} of {len(values)})")
                h.check(all("yy" in c.number_format for c in dates), f"{label}: with a date format")
            else:
                money = [c for c in values if isinstance(c.value, (int, float))]
                h.check(len(money) >= len(values) // 2, f"{label}: contract values are numbers ({len(money)} of {len(values)})")
                h.check(all("\u00a3" in c.number_format for c in money), f"{label}: in pounds")
    if "budget-monitoring" in label:
        ws = wb["Lines"]
        heads = headers(ws)
        outturn = next((i for i, x in enumerate(heads) if "Outturn" in x and "(as written)" not in x), None)
        if h.check(outturn is not None, f"{label}: an Outturn column ({heads})"):
            nums = [r[0] for r in ws.iter_rows(min_row=2, min_col=outturn + 1, max_col=outturn + 1) if isinstance(r[0].value, (int, float))]
            h.check(len(nums) > 10 and all("#,##0" in c.number_format for c in nums), f"{label}: outturns are numbers with thousands separators")
    if label.startswith("portfolio-plan-half-year") and label.endswith(".xlsx"):
        ws = wb["Indicators"]
        heads = headers(ws)
        target = next((i for i, x in enumerate(heads) if x.startswith("Target")), None)
        if h.check(target is not None, f"{label}: a Target column ({heads})"):
            cells = [r[0] for r in ws.iter_rows(min_row=2, min_col=target + 1, max_col=target + 1)]
            h.check(any(isinstance(c.value, (int, float)) for c in cells), f"{label}: plain targets are numbers")
            h.check(any(isinstance(c.value, float) and c.number_format.endswith("%") for c in cells), f"{label}: percentage targets are percentages")


def test_ssconvert(workbooks):
    ssconvert = shutil.which("ssconvert")
    if not h.check(ssconvert, "ssconvert (gnumeric) is installed"):
        return
    for i, path in enumerate(workbooks):
        out = os.path.join(h.work, "csv", f"{i}-%n.csv")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        p = subprocess.run([ssconvert, "-S", path, out], capture_output=True, text=True, timeout=120)
        # gnumeric notes that CSV cannot hold the comments ("Unhandled object of type Note").
        noise = [l for l in p.stderr.splitlines() if l.strip() and "Unhandled object of type Note" not in l]
        h.check(p.returncode == 0 and not noise, f"ssconvert reads {os.path.basename(path)}: {p.returncode} {noise[:3]}")


def test_templates():
    out = os.path.join(h.work, "templates")
    os.makedirs(out, exist_ok=True)
    made = []
    for name in ("portfolio-plan-half-year", "portfolio-plan-quarterly", "improvement-action-plan", "indicator-table"):
        blank = os.path.join(out, f"blank-{name}.xlsx")
        rc, _, err = h.call("template", "-m", name, "-o", blank)
        if h.check(rc == 0 and os.path.exists(blank), f"template -m {name}: {rc} {err.strip()}"):
            made.append(blank)
        xml = os.path.join(h.work, "out", name + ".xml")
        if os.path.exists(xml):
            filled = os.path.join(out, f"from-{name}.xlsx")
            rc, _, err = h.call("template", "-m", name, "--from", xml, "-o", filled)
            if h.check(rc == 0 and os.path.exists(filled), f"template -m {name} --from: {rc} {err.strip()}"):
                made.append(filled)
    return made


def build_injection_workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Portfolio Plan 2016-17"
    ws["A1"] = "Care Services Portfolio Plan Half Year Update 2016/17 (November 2016)"
    ws["A3"] = "Priority Outcome 1"
    ws["A5"] = "Statement. As at the end of November, one out of two actions are on track with one action requiring more work."
    for col, text in enumerate(["No", "We aimed to", "RAG status", "Actions", "Half Year Update \u2013 end of November 2016",
                                "Between December 2016 and June 2017 we are focusing on..."], start=1):
        ws.cell(row=7, column=col, value=text)
    rows = [["1.1", "Keep people safe", "Green", INJECTED[0], INJECTED[1], INJECTED[2]],
            [None, None, "Amber", INJECTED[3], INJECTED[0], INJECTED[1]]]
    for r, values in enumerate(rows, start=8):
        for c, v in enumerate(values, start=1):
            if v is None:
                continue
            cell = ws.cell(row=r, column=c, value=v)
            cell.data_type = "s"  # the TEXT, as a service types it with a leading apostrophe
    wb.save(path)


def cell_texts(sheet_xml, shared):
    """(reference, t attribute, text) of every cell of a worksheet part."""
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    root = ET.fromstring(sheet_xml)
    out = []
    for c in root.iter(ns + "c"):
        t = c.get("t")
        if t == "inlineStr":
            text = "".join(x.text or "" for x in c.iter(ns + "t"))
        elif t == "s":
            v = c.find(ns + "v")
            text = shared[int(v.text)] if v is not None else ""
        else:
            v = c.find(ns + "v")
            text = v.text if v is not None else None
        out.append((c.get("r"), t, text))
    return out


def test_formula_injection():
    src = os.path.join(h.work, "injection")
    os.makedirs(src, exist_ok=True)
    path = os.path.join(src, "injected-half-year.xlsx")
    build_injection_workbook(path)
    with zipfile.ZipFile(path) as z:
        h.check(all("<f>" not in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")),
                "the built return holds the injected values as text, not formulas")
    out = os.path.join(h.work, "injection-out")
    rc, _, err = h.call("convert", path, "-m", "portfolio-plan-half-year", "-o", out, "-q")
    h.check(rc in (0, 1), f"the injected return converts ({rc}): {err.strip()}")
    cleaned = os.path.join(out, "injected-half-year.cleaned.xlsx")
    if not h.check(os.path.exists(cleaned), "a cleaned workbook of the injected return"):
        return
    with zipfile.ZipFile(cleaned) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(ns + "si"):
                shared.append("".join(t.text or "" for t in si.iter(ns + "t")))
        found = {}
        for n in z.namelist():
            if not n.startswith("xl/worksheets/sheet"):
                continue
            xml = z.read(n).decode()
            h.check("<f>" not in xml and "<f " not in xml, f"{n} of the cleaned workbook has no formula")
            for ref, t, text in cell_texts(xml, shared):
                if text in INJECTED:
                    found.setdefault(text, []).append((n, ref, t))
    for text in INJECTED:
        cells = found.get(text, [])
        h.check(cells, f"the injected text {text!r} is in the cleaned workbook")
        for n, ref, t in cells:
            h.check(t in ("inlineStr", "s"), f"{n}!{ref} holding {text!r} is a string cell (t={t})")
    wb = openpyxl.load_workbook(cleaned)
    actions = wb["Actions"]
    values = [c.value for row in actions.iter_rows(min_row=2) for c in row]
    for text in INJECTED:
        h.check(text in values, f"openpyxl reads {text!r} back as text")


workbooks = test_samples()
templates = test_templates()
test_ssconvert(workbooks + templates)
test_formula_injection()
print(f"{len(workbooks)} cleaned workbooks, {len(templates)} templates; {h.failed} failures")
h.finish()
