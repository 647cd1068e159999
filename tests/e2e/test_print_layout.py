# ctest-labels: writer
"""The cleaned workbook prints (SPEC §9): LibreOffice turns the half-year sample's cleaned
workbook into a PDF of the page count README states, every sheet is set up landscape, one page
wide, with the header row repeated and a header/footer naming the plan, the source file, the
reporting date and "Page N of M"; every Findings row is tall enough for its wrapped lines (so
nothing over-prints the row below); numbers are right-aligned and text left-aligned, both
indented, so neighbouring columns never run together.
"""
import json
import os
import re
import shutil
import subprocess
import textwrap

import openpyxl

from harness import Harness

h = Harness(__doc__)
out = os.path.join(h.work, "out")
rc, _, err = h.call("convert", os.path.join(h.samples, "portfolio-plan-half-year.xlsx"), "-o", out, "-q")
h.check(rc in (0, 1), f"convert the half-year sample ({rc}): {err.strip()[:300]}")
report = json.load(open(os.path.join(out, "report.json")))
workbook = report["files"][0]["outputs"]["workbook"]
wb = openpyxl.load_workbook(workbook)

# 1. Page set-up of every sheet.
title = "Care Services Portfolio Plan Half Year Update 2016/17 (November 2016)"
for ws in wb.worksheets:
    label = ws.title
    h.equal(ws.page_setup.orientation, "landscape", f"{label}: landscape")
    # fitToWidth is left out of the file when it is 1, its default.
    h.equal((ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight), (1, 0), f"{label}: one page wide, as many tall as needed")
    h.check(ws.sheet_properties.pageSetUpPr.fitToPage, f"{label}: fit to page is on")
    h.equal((ws.print_title_rows or "").replace("$", ""), "1:1", f"{label}: the header row repeats on every page")
    header = (ws.oddHeader.left.text or "") + "|" + (ws.oddHeader.right.text or "")
    footer = (ws.oddFooter.left.text or "") + "|" + (ws.oddFooter.center.text or "")
    h.check(title in header and "portfolio-plan-half-year.xlsx" in header, f"{label}: the page header names the plan and source ({header!r})")
    h.check("30 Nov 2016" in footer and "Page &P of &N" in footer, f"{label}: the footer has the reporting date and page N of M ({footer!r})")


# 2. Findings rows fit their wrapped text (wrapped here with Python's textwrap at 1.1 characters
#    per unit of column width — the width is counted in '0's, wider than Calibri's average
#    character — less one for the cell's padding, 15 points a line).
def lines(text, width):
    if text is None:
        return 1
    return sum(max(1, len(textwrap.wrap(part, max(1, int(width * 1.1) - 1), break_long_words=True))) for part in str(text).split("\n"))


findings = wb["Findings"]
widths = {}
for col in range(1, findings.max_column + 1):
    letter = openpyxl.utils.get_column_letter(col)
    widths[col] = findings.column_dimensions[letter].width
h.check(findings.max_row >= 2, "the half-year sample has findings")
for row in findings.iter_rows(min_row=1):
    r = row[0].row
    need = max(lines(c.value, widths[c.column]) for c in row)
    height = findings.row_dimensions[r].height
    h.check(height is not None and height >= 15 * need, f"Findings row {r}: height {height} fits {need} wrapped lines")

# 3. Alignment: on every table sheet numbers right, text left, both indented.
for name in ("Actions", "Indicators"):
    ws = wb[name]
    bad = []
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if c.value is None:
                continue
            want = "right" if isinstance(c.value, (int, float)) else "left"
            if c.alignment.horizontal != want or (c.alignment.indent or 0) < 1:
                bad.append(f"{c.coordinate} {c.alignment.horizontal}/{c.alignment.indent}")
    h.check(not bad, f"{name}: numbers right and text left, indented ({bad[:5]})")

# 4. LibreOffice prints it in the number of pages README states.
readme = open(os.path.join(h.source, "README.md"), encoding="utf-8").read()
stated = re.search(r"prints on (\d+) A4 pages", readme)
soffice, pdfinfo = shutil.which("soffice"), shutil.which("pdfinfo")
if h.check(stated, "README states the half-year sample's page count") and h.check(soffice and pdfinfo, "soffice and pdfinfo are installed"):
    profile = os.path.join(h.work, "lo-profile")
    pdf_dir = os.path.join(h.work, "pdf")
    p = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", pdf_dir, workbook],
                       capture_output=True, text=True, timeout=240)
    pdf = os.path.join(pdf_dir, os.path.splitext(os.path.basename(workbook))[0] + ".pdf")
    if h.check(p.returncode == 0 and os.path.exists(pdf), f"LibreOffice prints the cleaned workbook to PDF: {p.stderr[-300:]}"):
        info = subprocess.run([pdfinfo, pdf], capture_output=True, text=True, timeout=60).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, flags=re.M).group(1))
        h.equal(pages, int(stated.group(1)), "the PDF has the pages README states")
h.finish()
