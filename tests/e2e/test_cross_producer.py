#!/usr/bin/python3
# ctest-labels: reader
"""Excel-made workbooks re-saved by two other producers read as the xlsx they came from.

A set of the Excel-made corpus (SHARED/corpus/excel-made/, as test_excel_corpus.py finds it) is
saved as .xls (BIFF8) and .ods by LibreOffice (`soffice --headless --convert-to`, one run per
format, in a private profile in the work folder) and by gnumeric (`ssconvert`). Every save must
be read by `planconv inspect --cells` as the same cells as planconv reads from the Excel xlsx
(which test_excel_corpus.py holds equal to openpyxl's reading), compared as tests/e2e/cells.py
compares readings: numbers to 1e-12, dates and times to the second, dates and date-times alike.

The only differences allowed are listed below, each with its reason and the cells it covers; a
listed difference that no longer occurs fails the test too, so the list cannot go stale.

Prints "N saves read, M equal, K with listed differences".
"""
import os
import shutil
import subprocess
import time

from cells import differences, parse_inspect_cells
from harness import Harness

# ~30 files covering what a return holds: numbers, text (shared, rich, escaped), dates in both
# date systems, formulas with cached results, merged ranges, hyperlinks, several sheets, tables.
FILES = [
    "array_formula01", "data01", "data02", "data03", "date_1904_01", "date_1904_02", "default_row01",
    "defined_name01", "dynamic_array01", "escapes03", "format01", "format02", "format06", "hyperlink01",
    "merge_range01", "merge_range02", "merge_range03", "outline01", "protect01", "quote_name01",
    "rich_string01", "rich_string02", "set_row01", "shared_strings01", "simple01", "simple02", "simple03",
    "tab_color01", "table01", "types02", "types08", "types11",
]

PRODUCERS = {
    # producer -> {format: how to make it}; "xls95" is Excel 5.0/95 (BIFF5), which LibreOffice
    # no longer writes
    "libreoffice": {"xls": "xls:MS Excel 97", "ods": "ods"},
    "gnumeric": {"xls": "Gnumeric_Excel:excel_biff8", "xls95": "Gnumeric_Excel:excel_biff7",
                 "ods": "Gnumeric_OpenCalc:odf"},
}


def cells_named(*names):
    """Covers exactly these cells ("Sheet!A1"); each must differ, or the listing is stale."""
    def covers(sheet, a1, ref, got):
        return f"{sheet}!{a1}" in names
    covers.names = names
    return covers


def past_xls_grid(sheet, a1, ref, got):
    col = "".join(c for c in a1 if c.isalpha())
    number = 0
    for c in col:
        number = number * 26 + ord(c) - 64
    return got is None and (int(a1[len(col):]) > 65536 or number > 256)


def control_character_left_out(sheet, a1, ref, got):
    return got is None and ref[0] == "string" and len(ref[1]) == 1 and ord(ref[1]) < 0x20


def escape_kept_literal(sheet, a1, ref, got):
    return (got is not None and ref[0] == "string" and len(ref[1]) == 1
            and got == ("string", f"_x{ord(ref[1]):04X}_"))


XLS_GRID = ("an .xls sheet holds 65,536 rows x 256 columns: the producer cannot save a cell past them",
            past_xls_grid)
GNUMERIC_ESCAPES = ("gnumeric does not decode Excel's _xHHHH_ escapes (ECMA-376 Part 1, 22.9.2.19) and saves "
                    "them as literal text", escape_kept_literal)
LIBREOFFICE_RECALCULATES = ("LibreOffice recalculates the array formula AVERAGE(TIMEVALUE(B1:B2)) on load (0.5); "
                            "the file holds the result libxlsxwriter wrote, 0, which Excel keeps",
                            cells_named("Sheet1!A1"))
LIBREOFFICE_FALSE = ("LibreOffice saves the result of =FALSE() in ods as the number 0 (office:value-type float), "
                     "=TRUE() as a boolean", cells_named("Sheet1!A2"))

# (producer, format, file) -> (reason, which of the differing cells it covers)
LISTED = {
    ("libreoffice", "xls", "data02"): XLS_GRID,
    ("libreoffice", "xls", "data03"): XLS_GRID,
    ("gnumeric", "xls", "data02"): XLS_GRID,
    ("gnumeric", "xls", "data03"): XLS_GRID,
    ("gnumeric", "xls95", "data02"): XLS_GRID,
    ("gnumeric", "xls95", "data03"): XLS_GRID,
    ("libreoffice", "ods", "date_1904_01"): (
        "days before 1 March 1900: Excel counts a 29 February 1900 that never was, LibreOffice keeps the serial, "
        "so Excel's 1900-01-01 (serial 1) is 1899-12-31 in its ods, a date planconv reads as written",
        cells_named("Sheet1!A1")),
    ("libreoffice", "ods", "date_1904_02"): (
        "serial 0 of a 1904-system workbook: the xlsx reading (openpyxl's too) takes a value below 1 in a date "
        "format for a time of day, 00:00; the ods holds the date 1904-01-01", cells_named("Sheet1!A1")),
    ("gnumeric", "ods", "date_1904_02"): (
        "serial 0 of a 1904-system workbook: the xlsx reading (openpyxl's too) takes a value below 1 in a date "
        "format for a time of day, 00:00; the ods holds the date 1904-01-01", cells_named("Sheet1!A1")),
    ("libreoffice", "xls", "dynamic_array01"): LIBREOFFICE_RECALCULATES,
    ("libreoffice", "ods", "dynamic_array01"): LIBREOFFICE_RECALCULATES,
    ("libreoffice", "ods", "types02"): LIBREOFFICE_FALSE,
    ("libreoffice", "ods", "types08"): LIBREOFFICE_FALSE,
    ("libreoffice", "xls", "shared_strings01"): (
        "LibreOffice's xls export leaves out a text that is the NUL character", cells_named("Sheet1!A1")),
    ("libreoffice", "ods", "shared_strings01"): (
        "XML 1.0 cannot hold control characters: LibreOffice's ods leaves out the cells holding one",
        control_character_left_out),
    ("gnumeric", "xls", "shared_strings01"): GNUMERIC_ESCAPES,
    ("gnumeric", "xls95", "shared_strings01"): GNUMERIC_ESCAPES,
    ("gnumeric", "ods", "shared_strings01"): GNUMERIC_ESCAPES,
}


def soffice_convert(h, sources, target, out_dir):
    """All `sources` converted by one LibreOffice run (it takes seconds to start)."""
    profile = "file://" + os.path.join(h.work, "lo-profile")
    proc = subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}",
                           "--convert-to", target, "--outdir", out_dir, *sources],
                          capture_output=True, text=True, timeout=900)
    return proc.returncode, proc.stderr.strip()[-500:]


def ssconvert(src, dst, exporter):
    proc = subprocess.run(["ssconvert", "--export-type=" + exporter, src, dst], capture_output=True, text=True,
                          timeout=120)
    return proc.returncode == 0 and os.path.exists(dst)


def cells_of(h, path):
    run = h.run("inspect", "--cells", path, timeout=120)
    if run.returncode != 0:
        return None, run.stderr.strip()
    return parse_inspect_cells(run.stdout), None


def main():
    h = Harness(__doc__, show_failures=40)
    corpus = os.path.join(h.shared, "corpus", "excel-made")
    if not h.check(os.path.isdir(corpus), f"the Excel-made corpus is missing: {corpus} does not exist"):
        h.finish()
    sources = [os.path.join(corpus, f + ".xlsx") for f in FILES]
    missing = [s for s in sources if not os.path.exists(s)]
    h.check(not missing, f"corpus files missing: {missing}")
    sources = [s for s in sources if os.path.exists(s)]

    started = time.monotonic()
    saves = {}  # (producer, format, stem) -> path, or None when the producer failed to save it
    if h.check(shutil.which("soffice") is not None,
               "LibreOffice (soffice) is not installed; scripts/install-deps installs libreoffice-calc"):
        for fmt, target in PRODUCERS["libreoffice"].items():
            out_dir = os.path.join(h.work, "libreoffice-" + fmt)
            rc, err = soffice_convert(h, sources, target, out_dir)
            h.check(rc == 0, f"soffice --convert-to {target} exited {rc}: {err}")
            for src in sources:
                stem = os.path.splitext(os.path.basename(src))[0]
                path = os.path.join(out_dir, f"{stem}.{fmt}")
                saves[("libreoffice", fmt, stem)] = path if os.path.exists(path) else None
    if h.check(shutil.which("ssconvert") is not None, "gnumeric (ssconvert) is not installed"):
        for fmt, exporter in PRODUCERS["gnumeric"].items():
            out_dir = os.path.join(h.work, "gnumeric-" + fmt)
            os.makedirs(out_dir, exist_ok=True)
            for src in sources:
                stem = os.path.splitext(os.path.basename(src))[0]
                path = os.path.join(out_dir, f"{stem}.{fmt[:3]}")
                saves[("gnumeric", fmt, stem)] = path if ssconvert(src, path, exporter) else None
    converted = time.monotonic() - started

    references = {}
    for src in sources:
        stem = os.path.splitext(os.path.basename(src))[0]
        references[stem], err = cells_of(h, src)
        h.check(err is None, f"{stem}.xlsx: planconv cannot read the Excel original: {err}")

    read = equal = listed = 0
    seen_listed = set()
    for (producer, fmt, stem), path in sorted(saves.items()):
        label = f"{stem}.xlsx saved as {fmt} by {producer}"
        if not h.check(path is not None, f"{label}: the producer wrote no file"):
            continue
        ref = references.get(stem)
        if ref is None:
            continue
        got, err = cells_of(h, path)
        if not h.check(err is None, f"{label}: planconv cannot read it: {err}"):
            continue
        read += 1
        found = differences(ref, got)
        key = (producer, fmt, stem)
        if not found:
            h.check(key not in LISTED, f"{label}: listed as a difference but now equal; remove it from LISTED")
            equal += 1
            continue
        reason, covers = LISTED.get(key, (None, lambda *cell: False))
        unexplained = [d for d in found if not covers(*d)]
        if reason is not None and len(unexplained) < len(found):
            seen_listed.add(key)
            listed += 1
            differing = {f"{d[0]}!{d[1]}" for d in found}
            for cell in sorted(set(getattr(covers, "names", ())) - differing):
                h.check(False, f"{label}: {cell} is listed ({reason}) but no longer differs; remove it from LISTED")
        for sheet, a1, r, g in unexplained:
            h.check(False, f"{label}: {sheet}!{a1} reads {g!r}, the xlsx {r!r}")
        h.passed += len(set(ref) | set(got)) - len(found)
    for key in sorted(set(LISTED) - seen_listed):
        if saves.get(key):
            h.check(False, f"{key[2]} ({key[0]} {key[1]}): listed ({LISTED[key][0]}) but it does not differ that way; "
                           f"remove it from LISTED")

    print(f"{read} saves read, {equal} equal, {listed} with listed differences "
          f"({len(sources)} Excel files; producers {converted:.0f} s, all {time.monotonic() - started:.0f} s)")
    for key in sorted(LISTED):
        print(f"  listed: {key[2]} ({key[0]} {key[1]}): {LISTED[key][0]}")
    h.finish()


if __name__ == "__main__":
    main()
