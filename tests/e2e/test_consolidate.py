# ctest-labels: writer
"""`planconv convert --consolidate NAME` (SPEC §4): one cleaned workbook and one XML merging every
converted input of a mapping, read back with openpyxl and checked against libxml2's xmllint.

- the three half-year samples (.xlsx, planted-mistakes .xlsx, legacy .xls) in one folder give
  OUT/q3.xlsx and OUT/q3.xml beside their own outputs, and the report lists them;
- every record sheet of q3.xlsx is the union of the per-file cleaned workbooks' rows, in the
  batch's input order, with a leading Source column naming the input: cell by cell, column by
  column heading (159 actions, 114 indicator rows, 18 outcomes);
- its Findings sheet has every input's findings (13), each with its Source, and each link lands
  on the cell its own workbook's link lands on, moved down by the rows of the inputs before it;
  the About sheet lists the inputs merged;
- q3.xml validates (xmllint --schema) against `planconv mappings xsd portfolio-plan-half-year`,
  holds one document per input equal to that input's own XML root, and is byte-identical
  with -j1 and -j2;
- inputs of two mappings give NAME-<mapping>.xlsx/.xml each (and say so on stderr, unless -q);
  a failed input is left out; --no-xml writes no consolidated XML;
- NAME that is not a plain file name, or whose outputs would land on an input or on another
  output, or nothing left to write (--no-xml --no-workbook), is a usage error: exit 2, one
  line, nothing written.
"""
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET

import openpyxl
from openpyxl.utils import column_index_from_string

from harness import Harness

h = Harness(__doc__)
HALF_YEAR = ["portfolio-plan-half-year-mistakes.xlsx", "portfolio-plan-half-year.xls", "portfolio-plan-half-year.xlsx"]
TABLE_SHEETS = ["Actions", "Indicators", "Outcomes"]


def folder(name, files):
    """WORK/name holding copies of these samples (the batch lists a folder sorted by path)."""
    path = os.path.join(h.work, name)
    os.makedirs(path)
    for f in files:
        shutil.copy(os.path.join(h.samples, f), path)
    return path


def sheet_rows(ws):
    """{heading: column index} of the header row, and the data rows as lists of values."""
    header = [c.value for c in ws[1]]
    rows = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
    return header, rows


def link(cell):
    """(sheet, row, column) a Findings "Go to the cleaned row" cell links to, 1-based; None without a link."""
    if cell.hyperlink is None or not cell.hyperlink.location:
        return None
    m = re.fullmatch(r"'?(.*?)'?!([A-Z]+)(\d+)", cell.hyperlink.location)
    return (m.group(1), int(m.group(3)), column_index_from_string(m.group(2))) if m else None


def xmllint_valid(xml, mapping):
    rc, messages = h.schema_check(h.xsd(mapping), xml)
    return h.check(rc == 0, f"{os.path.basename(xml)} validates against the XSD of {mapping}: {messages[-1500:]}")


def canonical(element):
    """An element without the indentation between its children, for comparing documents."""
    for e in element.iter():
        if e.text is not None and not e.text.strip() and len(e):
            e.text = None
        if e.tail is not None and not e.tail.strip():
            e.tail = None
    return ET.tostring(element)


def one_line_usage_error(args, what):
    out = os.path.join(h.work, "refused")
    p = h.run("convert", *args, "-o", out, "--no-progress")
    h.equal(p.returncode, 2, f"{what}: exit code")
    h.equal(len(p.stderr.splitlines()), 1, f"{what}: one line on stderr ({p.stderr!r})")
    h.check(not os.path.exists(out), f"{what}: nothing written")
    return p.stderr


# ---- 1. Three half-year returns, -j1 -------------------------------------------------------
returns = folder("returns", HALF_YEAR)
out1 = os.path.join(h.work, "out-j1")
p = h.run("convert", returns, "-o", out1, "-j", "1", "--consolidate", "q3", "--no-progress")
h.equal(p.returncode, 1, "exit code (the samples have error findings)")
h.check(f"consolidated: {os.path.join(out1, 'q3.xlsx')}" in p.stdout.splitlines(), f"summary names the workbook: {p.stdout!r}")
h.check(f"consolidated: {os.path.join(out1, 'q3.xml')}" in p.stdout.splitlines(), f"summary names the XML: {p.stdout!r}")
h.check(not [f for f in os.listdir(out1) if f.startswith("q3-") or (f.startswith(".") and f != ".planconv.lock")],
        "one mapping: no NAME-<mapping> files, no temporaries")

report = json.load(open(os.path.join(out1, "report.json"), encoding="utf-8"))
files = report["files"]
h.equal([os.path.basename(f["input"]) for f in files], HALF_YEAR, "the batch's input order")
h.equal(list(report)[:5], ["tool", "version", "generated", "summary", "files"], "the documented fields come first, unchanged")
h.equal(len(report.get("consolidated", [])), 1, "report: one consolidation")
cons = report["consolidated"][0] if report.get("consolidated") else {}
h.equal(cons.get("name"), "q3", "report: consolidation name")
h.equal(cons.get("mapping"), "portfolio-plan-half-year", "report: consolidation mapping")
h.equal(cons.get("outputs"), {"workbook": os.path.join(out1, "q3.xlsx"), "xml": os.path.join(out1, "q3.xml")}, "report: outputs")
h.equal(cons.get("inputs"), [f["input"] for f in files], "report: the inputs merged")
h.equal(cons.get("counts"), {"sections": 18, "records": 270}, "report: counts add up")
h.equal(cons.get("error"), None, "report: no error")
html = open(os.path.join(out1, "report.html"), encoding="utf-8").read()
h.check("Consolidated" in html and os.path.join(out1, "q3.xlsx") in html, "the HTML report shows the consolidation")
across = html.split('<section id="consolidated">', 1)[-1].split("</section>", 1)[0]
h.check("Across the returns of portfolio-plan-half-year" in across and '<table class="tally">' in across and "<svg" in across,
        "the consolidation's figures across its returns, with a chart")
h.check(all(f"<td>{f['input']}</td>" in across for f in files), "a row per return merged")

# ---- 2. The consolidated workbook against the per-file ones --------------------------------
book = openpyxl.load_workbook(os.path.join(out1, "q3.xlsx"))
singles = [openpyxl.load_workbook(f["outputs"]["workbook"]) for f in files]
h.equal(book.sheetnames, singles[0].sheetnames, "the same sheets as a per-file cleaned workbook")
offsets = {}  # (sheet, input index) -> data rows of the inputs before it on that sheet
expected_rows = {"Actions": 159, "Indicators": 114, "Outcomes": 18}
for name in TABLE_SHEETS:
    header, rows = sheet_rows(book[name])
    h.equal(header[0], "Source", f"{name}: leading Source column")
    h.equal(len(rows), expected_rows[name], f"{name}: rows")
    at = 0
    for i, single in enumerate(singles):
        offsets[(name, i)] = at
        s_header, s_rows = sheet_rows(single[name])
        h.check(set(s_header) <= set(header), f"{name}: every column of {HALF_YEAR[i]}'s workbook is there ({set(s_header) - set(header)})")
        mine = rows[at:at + len(s_rows)]
        h.equal(len(mine), len(s_rows), f"{name}: rows of {HALF_YEAR[i]}")
        mismatches = []
        for k, (row, s_row) in enumerate(zip(mine, s_rows)):
            if row[0] != HALF_YEAR[i]:
                mismatches.append(f"row {at + k + 2} Source {row[0]!r}")
            for c, heading in enumerate(header[1:], start=1):
                want = s_row[s_header.index(heading)] if heading in s_header else None
                if row[c] != want:
                    mismatches.append(f"row {at + k + 2} {heading!r}: {row[c]!r} != {want!r}")
        h.check(not mismatches, f"{name}: {HALF_YEAR[i]}'s rows equal its own workbook's, cell by cell: {mismatches[:5]}")
        at += len(s_rows)
    h.equal(at, len(rows), f"{name}: nothing but the inputs' rows")

# The committee summary: every input's sections, each row as in the input's own Summary.
s_header, s_rows = sheet_rows(book["Summary"])
h.equal(book.sheetnames[0], "Summary", "Summary first")
h.equal(s_header[0], "Source", "Summary: leading Source column")
h.equal(s_header[1:], [c.value for c in singles[0]["Summary"][1]], "Summary: the per-file columns follow")
want_rows = []
for i, single in enumerate(singles):
    _, rows_i = sheet_rows(single["Summary"])
    want_rows += [(HALF_YEAR[i],) + tuple(r) for r in rows_i if r[0] != "Total"]
got_rows = [tuple(r) for r in s_rows if r[1] != "Total"]
h.equal(got_rows, want_rows, "Summary: each input's section rows, as its own workbook counts them")

# A few exact cells.
actions_header, actions = sheet_rows(book["Actions"])
col = {name: actions_header.index(name) for name in ("Source", "No", "RAG status", "RAG status (as written)")}
h.equal(actions[0][col["Source"]], "portfolio-plan-half-year-mistakes.xlsx", "Actions row 2 comes from the first input")
h.equal(actions[53][col["Source"]], "portfolio-plan-half-year.xls", "Actions row 55 comes from the second input")
h.equal(actions[106][col["Source"]], "portfolio-plan-half-year.xlsx", "Actions row 108 comes from the third input")
qualified = [r for r in actions if r[col["RAG status (as written)"]] == "Amber (Central Government Delay)"]
h.equal(len(qualified), 3, "action 1.3's qualified RAG, once per input")
h.equal({(r[col["No"]], r[col["RAG status"]]) for r in qualified}, {("1.3", "Amber")}, "action 1.3 reads as Amber in every input")

# Findings: every input's, with their Source, linking where their own workbook links.
f_header, f_rows = sheet_rows(book["Findings"])
h.equal(f_header[0], "Source", "Findings: leading Source column")
h.equal(f_header[1:], [c.value for c in singles[0]["Findings"][1]], "Findings: the per-file columns follow")
want = [(HALF_YEAR[i], x["rule"], x["sheet"], x["cell"]) for i, f in enumerate(files) for x in f["findings"]]
h.equal(len(f_rows), 13, "Findings: 9 + 2 + 2 findings")
h.equal([(r[0], r[3], r[4], r[5]) for r in f_rows], want, "Findings: every input's findings, in order, with their Source")
go_to = f_header.index("Go to the cleaned row") + 1
comments = {}
for name in book.sheetnames:
    for row in book[name].iter_rows():
        for cell in row:
            if cell.comment is not None:
                comments[(name, cell.row, cell.column)] = cell.comment.text
links = 0
for k, f_row in enumerate(f_rows):
    i = HALF_YEAR.index(f_row[0])
    rule = f_row[3]
    mine = link(book["Findings"].cell(row=k + 2, column=go_to))
    single_rows = [r for r in singles[i]["Findings"].iter_rows(min_row=2) if r[2].value == rule and r[4].value == f_row[5]]
    theirs = link(single_rows[0][10]) if single_rows else None
    if theirs is None:
        h.check(mine is None, f"finding {k + 1} ({rule}) has no link, as in its own workbook")
        continue
    links += 1
    if not h.check(mine is not None, f"finding {k + 1} ({rule} {f_row[5]}) links to a cell"):
        continue
    sheet, row, column = mine
    h.check((sheet, row, column) in comments and rule in comments[(sheet, row, column)],
            f"finding {k + 1}: {sheet}!{row},{column} carries a comment naming {rule}")
    if theirs[0] in TABLE_SHEETS:
        s_header = [c.value for c in singles[i][theirs[0]][1]]
        c_header = [c.value for c in book[theirs[0]][1]]
        h.equal((sheet, row, c_header[column - 1]), (theirs[0], theirs[1] + offsets[(theirs[0], i)], s_header[theirs[2] - 1]),
                f"finding {k + 1} ({rule}) lands on its own workbook's cell, moved down past the inputs before it")
        h.equal(book[sheet].cell(row=row, column=1).value, f_row[0], f"finding {k + 1}: the linked row comes from its input")
    else:
        h.equal(sheet, theirs[0], f"finding {k + 1} ({rule}) lands on the same sheet as in its own workbook")
h.check(links >= 8, f"the planted mistakes' findings have links ({links})")

# About: the inputs merged.
about = [r for r in book["About"].iter_rows(min_row=2, values_only=True)]
items = {r[0]: r[1] for r in about if r[0]}
h.equal(items.get("Consolidation"), "q3", "About: the consolidation's name")
h.equal(items.get("Returns merged"), "3", "About: returns merged")
h.equal([r[1] for r in about if r[0] == "Source file"], HALF_YEAR, "About: every input merged, in order")
h.equal(len([r for r in about if r[0] == "Reporting date used"]), 3, "About: each input's reporting date")

# ---- 3. The consolidated XML -----------------------------------------------------------------
xml1 = os.path.join(out1, "q3.xml")
xmllint_valid(xml1, "portfolio-plan-half-year")
root = ET.parse(xml1).getroot()
h.equal((root.tag, root.get("name"), root.get("mapping")), ("consolidation", "q3", "portfolio-plan-half-year"), "XML root")
h.equal([d.get("source") for d in root], HALF_YEAR, "XML: one document per input, in order")
h.equal([d.get("as_of") for d in root], ["2016-11-30"] * 3, "XML: each document's reporting date")
for i, f in enumerate(files):
    own = ET.parse(f["outputs"]["xml"]).getroot()
    h.check(i < len(root) and canonical(root[i]) == canonical(own), f"XML: {HALF_YEAR[i]}'s document equals its own XML's root")
    xmllint_valid(f["outputs"]["xml"], "portfolio-plan-half-year")  # the per-file root still validates

out2 = os.path.join(h.work, "out-j2")
p = h.run("convert", returns, "-o", out2, "-j", "2", "--consolidate", "q3", "--no-progress", "-q")
h.equal(p.returncode, 1, "-j2: exit code")
h.check(open(xml1, "rb").read() == open(os.path.join(out2, "q3.xml"), "rb").read(), "-j1 and -j2 give byte-identical XML")

# ---- 4. Two mappings, a failed input, --no-xml -----------------------------------------------
mixed = folder("mixed", ["indicator-table.csv", "indicator-table.xlsx", "portfolio-plan-half-year.xlsx"])
open(os.path.join(mixed, "broken.xlsx"), "wb").close()
out3 = os.path.join(h.work, "out-mixed")
p = h.run("convert", mixed, "-o", out3, "--consolidate", "all", "--no-progress")
h.equal(p.returncode, 3, "mixed: exit code (one input cannot be read)")
for stem, mapping in (("all-indicator-table", "indicator-table"), ("all-portfolio-plan-half-year", "portfolio-plan-half-year")):
    h.check(os.path.exists(os.path.join(out3, stem + ".xlsx")), f"mixed: {stem}.xlsx")
    if h.check(os.path.exists(os.path.join(out3, stem + ".xml")), f"mixed: {stem}.xml"):
        xmllint_valid(os.path.join(out3, stem + ".xml"), mapping)
h.check(not os.path.exists(os.path.join(out3, "all.xlsx")) and not os.path.exists(os.path.join(out3, "all.xml")),
        "mixed: no NAME.xlsx/.xml")
notes = [line for line in p.stderr.splitlines() if "--consolidate" in line]
h.check(len(notes) == 1 and "2 mappings" in notes[0] and "all-indicator-table" in notes[0], f"mixed: said on stderr: {p.stderr!r}")
mixed_report = json.load(open(os.path.join(out3, "report.json"), encoding="utf-8"))
h.equal([(c["mapping"], [os.path.basename(i) for i in c["inputs"]]) for c in mixed_report["consolidated"]],
        [("indicator-table", ["indicator-table.csv", "indicator-table.xlsx"]), ("portfolio-plan-half-year", ["portfolio-plan-half-year.xlsx"])],
        "mixed: per mapping, in the order first met; the failed input left out")
mixed_book = openpyxl.load_workbook(os.path.join(out3, "all-indicator-table.xlsx"))
_, indicator_rows = sheet_rows(mixed_book["Indicators"])
h.equal([r[0] for r in indicator_rows].count("indicator-table.csv"), 39, "mixed: the csv's 39 indicators")
h.equal([r[0] for r in indicator_rows].count("indicator-table.xlsx"), 39, "mixed: the xlsx's 39 indicators")
p = h.run("convert", mixed, "-o", os.path.join(h.work, "out-quiet"), "--consolidate", "all", "--no-progress", "-q")
h.check("--consolidate" not in p.stderr, f"-q: nothing said about the mappings: {p.stderr!r}")

out4 = os.path.join(h.work, "out-no-xml")
p = h.run("convert", returns, "-o", out4, "--consolidate", "q3", "--no-xml", "--no-progress", "-q")
h.check(os.path.exists(os.path.join(out4, "q3.xlsx")) and not os.path.exists(os.path.join(out4, "q3.xml")),
        "--no-xml: the consolidated workbook only")

# ---- 5. Refusals -----------------------------------------------------------------------------
for bad in ("sub/q3", "..\\q3", ".q3", ""):
    err = one_line_usage_error([returns, "--consolidate", bad], f"--consolidate {bad!r}")
    h.check("--consolidate" in err and "plain file name" in err, f"--consolidate {bad!r}: says what NAME must be: {err!r}")
err = one_line_usage_error([returns, "--consolidate", "q3", "--no-xml", "--no-workbook"], "--consolidate with nothing to write")
h.check("nothing to write" in err, f"--consolidate with nothing to write: says so: {err!r}")
# OUT/NAME.xlsx would be an input: inbox/sub/q.xlsx converted into inbox/sub (given as a file:
# an output folder met inside an input folder is not read at all).
inbox = os.path.join(h.work, "inbox")
os.makedirs(os.path.join(inbox, "sub"))
shutil.copy(os.path.join(h.samples, "indicator-table.xlsx"), os.path.join(inbox, "sub", "q.xlsx"))
p = h.run("convert", os.path.join(inbox, "sub", "q.xlsx"), "-o", os.path.join(inbox, "sub"), "--consolidate", "q", "--no-progress")
h.equal(p.returncode, 2, "NAME.xlsx on an input: exit code")
h.check(len(p.stderr.splitlines()) == 1 and "overwrite the input" in p.stderr, f"NAME.xlsx on an input: one line: {p.stderr!r}")
h.check(not os.path.exists(os.path.join(inbox, "sub", "sub")), "NAME.xlsx on an input: nothing written")
# OUT/NAME.xlsx would be another input's cleaned workbook.
err = one_line_usage_error([returns, "--consolidate", "portfolio-plan-half-year"], "NAME of an input's own outputs")
h.check("another output" in err, f"NAME of an input's own outputs: says why: {err!r}")

h.finish()
