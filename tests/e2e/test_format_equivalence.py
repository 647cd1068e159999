#!/usr/bin/python3
# ctest-labels: asan;reader
"""The same workbook saved as xlsx, xls and ods reads back as the same cells.

Each source workbook (the repository's samples/*.xlsx when there are any, plus one this test
builds with openpyxl) is saved by gnumeric's ssconvert as .xlsx, .xls and .ods into the work
folder, so all three come from one producer's model of the same cells. `planconv inspect --cells`
reads each; openpyxl (an independent reader) reads the .xlsx as the reference. Every planconv
reading must hold the reference's cells, sheet by sheet, with the same values; merged ranges and
hidden sheets (from `planconv inspect`'s summary) must match too.

Deliberate normalisations, each for a reason:
- dates, date-times and times are compared as Excel serials to the second: FreeXL (xls) gives
  them as text to the second, and date vs date-time is a matter of number format that openpyxl
  does not report (a date-time at midnight is a date to openpyxl);
- numbers are compared to 1e-12 relative: every format stores IEEE doubles, but gnumeric writes
  ods values as decimal text (20 digits), which must read back to the same double or its
  neighbour;
- empty strings are no cell (planconv leaves empty text out, openpyxl gives None);
- formulas are compared by their cached results only (xls keeps no formula text in planconv);
- hidden sheets of the .xls and .ods are compared with the source workbook, because gnumeric's
  xlsx export writes every sheet as visible.
Values hidden under a merged range are in the built workbook on purpose: openpyxl drops them,
and so must every planconv reader.
"""
import datetime
import glob
import os
import shutil
import subprocess
import warnings

import openpyxl
from openpyxl.styles import Alignment
from openpyxl.worksheet.cell_range import CellRange

from cells import differences, parse_inspect_cells, serial
from harness import Harness

h = Harness(__doc__, show_failures=60)


def build_workbook(path):
    """A return-like workbook touching every cell kind the readers must agree on."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Actions"
    ws.append(["Ref", "Priority", "Action", "Lead", "Budget £", "Spent", "Progress", "Target date", "Updated",
               "On track", "Note"])
    leads = ["Head of Housing", "J. Smith", "Ann O’Neill", "Director – Place"]
    for i in range(1, 121):
        ws.append([
            f"A{i:03d}",
            f"Priority {1 + i % 4}: “Homes” & growth",
            f"Deliver 2016–17 action {i}\nwith partners" if i % 7 == 0 else f"Action {i}  with  spaces",
            leads[i % len(leads)],
            36000 + i * 1250.5,
            i * 0.1,
            (i % 100) / 100,
            datetime.date(2016, 4, 1) + datetime.timedelta(days=3 * i),
            datetime.datetime(2017, 1, 15, 9, 30, 15) + datetime.timedelta(hours=7 * i),
            i % 3 != 0,
            " leading and trailing " if i % 11 == 0 else ("tab\there" if i % 13 == 0 else None),
        ])
        ws.cell(row=i + 1, column=3).alignment = Alignment(wrap_text=True)
        ws.cell(row=i + 1, column=7).number_format = "0%"
        ws.cell(row=i + 1, column=8).number_format = "dd/mm/yyyy"
        ws.cell(row=i + 1, column=9).number_format = "dd/mm/yyyy hh:mm:ss"
    ws["A123"] = "Total"
    ws["E123"] = "=SUM(E2:E121)"
    ws["F123"] = "=AVERAGE(F2:F121)"
    ws["G123"] = '=IF(E123>100000,"over","under")'
    ws["H123"] = "=1/0"
    ws["A125"] = "Report to committee"
    # Values left under a merged range (merge_cells() would delete them; the file keeps them, and
    # so does gnumeric's xls): every reader must drop them, as openpyxl and Excel show the sheet.
    ws["C125"] = "old heading"
    ws["B126"] = 2016
    ws.merged_cells.add(CellRange("A125:D126"))

    ind = wb.create_sheet("Indicators")
    ind.append(["Indicator", "Target", "Outturn", "Time", "Edge"])
    ind.append(["Rough sleepers", 10, 7, datetime.time(12, 30), 1e-7])
    ind.append(["Homes let", 250.75, 260, datetime.time(23, 59, 59), 123456789.123])
    ind.append(["Complaints", -3, 0, datetime.time(0, 0, 1), 0.1 + 0.2])
    ind.append(["Leap day", datetime.date(2016, 2, 29), datetime.date(1900, 3, 1), None, 2 ** 40])
    ind.append(["Long text", "x" * 1000, "a\u00a0b €", None, -0.000123])
    ind.merge_cells("A8:C8")
    ind["A8"] = "Notes"

    hidden = wb.create_sheet("Lookups")
    hidden.sheet_state = "hidden"
    for v in ["Green", "Amber", "Red", "Complete"]:
        hidden.append([v])
    wb.save(path)


def ssconvert(src, dst, exporter):
    subprocess.run(["ssconvert", "--export-type=" + exporter, src, dst], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


def reference_cells(xlsx):
    """openpyxl's view: {(sheet, A1): (kind, value)} with kind string/number/dateish/time/bool/error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # gnumeric's xlsx has no default style; openpyxl says so
        wb = openpyxl.load_workbook(xlsx, data_only=True)
    cells, merged, hidden = {}, {}, set()
    for ws in wb.worksheets:
        merged[ws.title] = sorted(str(r) for r in ws.merged_cells.ranges)
        if ws.sheet_state != "visible":
            hidden.add(ws.title)
        # The stored cells only: iter_rows() would walk every empty cell of the used range.
        for c in sorted(ws._cells.values(), key=lambda cell: (cell.row, cell.column)):
            if True:
                v = c.value
                if v is None or v == "":
                    continue
                key = (ws.title, c.coordinate)
                if c.data_type == "e":
                    cells[key] = ("error", v)
                elif isinstance(v, bool):
                    cells[key] = ("bool", v)
                elif isinstance(v, datetime.time):
                    cells[key] = ("time", serial(v))
                elif isinstance(v, (datetime.datetime, datetime.date)):
                    cells[key] = ("dateish", serial(v))
                elif isinstance(v, (int, float)):
                    cells[key] = ("number", float(v))
                else:
                    cells[key] = ("string", str(v))
    return cells, merged, hidden


def planconv_cells(path):
    run = h.run("inspect", "--cells", path, timeout=120)
    if run.returncode != 0:
        raise RuntimeError(f"planconv inspect --cells {os.path.basename(path)} failed ({run.returncode}): "
                           f"{run.stderr.strip()}")
    return parse_inspect_cells(run.stdout)


def planconv_layout(path):
    """Merged ranges and hidden sheets from `planconv inspect`'s summary (None if it has none)."""
    run = h.run("inspect", path, timeout=120)
    if run.returncode != 0:
        return None
    merged, hidden, sheet = {}, set(), None
    for line in run.stdout.splitlines():
        if line.startswith("sheet '"):
            sheet = line[len("sheet '"):line.rindex("'")]
            merged[sheet] = []
            if line.rstrip().endswith("(hidden)") or line.rstrip().endswith("(veryHidden)"):
                hidden.add(sheet)
        elif sheet is not None and line.strip().startswith("merged ranges"):
            merged[sheet] = sorted(r for r in line.split(":", 1)[1].split() if r != "…")
    return merged, hidden


def compare(label, ref, got):
    found = differences(ref, got)
    h.passed += len(set(ref) | set(got)) - len(found)  # one check per cell, as each agreeing cell counts
    for sheet, a1, r, g in found:
        if r is None:
            h.check(False, f"{label}: {sheet}!{a1} read as {g!r}, but the reference has no value there")
        elif g is None:
            h.check(False, f"{label}: {sheet}!{a1} missing (reference {r!r})")
        else:
            h.check(False, f"{label}: {sheet}!{a1} is {g!r}, reference {r!r}")


if not h.check(shutil.which("ssconvert") is not None, "ssconvert (gnumeric) is not installed"):
    h.finish()

sources = sorted(glob.glob(os.path.join(h.samples, "**", "*.xlsx"), recursive=True))[:6]
built = os.path.join(h.work, "built-return.xlsx")
build_workbook(built)
sources.append(built)

checked = 0
for src in sources:
    stem = os.path.splitext(os.path.basename(src))[0]
    made = {ext: os.path.join(h.work, f"{stem}.gnumeric.{ext}") for ext in ("xlsx", "xls", "ods")}
    ssconvert(src, made["xlsx"], "Gnumeric_Excel:xlsx2")
    ssconvert(src, made["xls"], "Gnumeric_Excel:excel_biff8")
    ssconvert(src, made["ods"], "Gnumeric_OpenCalc:odf")
    ref, ref_merged, xlsx_hidden = reference_cells(made["xlsx"])
    source_hidden = reference_cells(src)[2]
    for ext, path in made.items():
        # gnumeric's xlsx export drops sheet visibility (its xls and ods keep it), so the
        # hidden sheets of its xlsx are compared with that file, the others with the source.
        ref_hidden = xlsx_hidden if ext == "xlsx" else source_hidden
        label = f"{stem}.{ext}"
        try:
            got = planconv_cells(path)
        except RuntimeError as e:
            h.check(False, f"{label}: {e}")
            continue
        compare(label, ref, got)
        layout = planconv_layout(path)
        if layout is not None:
            merged, hidden = layout
            for sheet, ranges in ref_merged.items():
                if sheet in merged:
                    h.check(merged[sheet] == ranges, f"{label}: sheet '{sheet}' merged ranges {merged[sheet]}, reference {ranges}")
            h.check(hidden == ref_hidden, f"{label}: hidden sheets {sorted(hidden)}, reference {sorted(ref_hidden)}")
        checked += len(got)

print(f"{len(sources)} workbook(s), {checked} cells compared across xlsx/xls/ods, {h.failed} problem(s)")
h.finish()
