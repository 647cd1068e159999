# ctest-labels: asan;reader
"""A large shared-strings table, which planconv reads on a second core beside the sheets.

From 1 MiB of inflated xl/sharedStrings.xml the table is read by a second thread while the
worksheets are read, and the sheets' string cells are settled once both are done. This test makes
a workbook past that size with openpyxl (two sheets, 20,000 distinct texts, numbers, dates, a
merged range, an empty shared string and texts shared between the sheets) and checks:

- `planconv inspect --cells` reads it exactly as openpyxl does (tests/tools/openpyxl_cells.py);
- a cell referring beyond the table is refused with the sheet, the cell and the table's size;
- a damaged table is reported as the table's fault even when a sheet is damaged too (the table
  comes first, as when it is read before the sheets);
- a damaged sheet with a sound table is reported as the sheet's fault.
"""
import datetime
import os
import re
import subprocess
import zipfile

import xlsxwriter

from harness import Harness

h = Harness(__doc__)
SST = "xl/sharedStrings.xml"

source = os.path.join(h.work, "large-sst.xlsx")
wb = xlsxwriter.Workbook(source)  # openpyxl writes inline strings; xlsxwriter a shared table
date = wb.add_format({"num_format": "yyyy-mm-dd"})
ws = wb.add_worksheet("Actions")
ws.write_row(0, 0, ["Ref", "Action", "Lead", "Target date", "Budget"])
for i in range(1, 10001):
    ws.write_row(i, 0, [f"A{i}", f"Deliver the improvement plan for ward {i} with partners ({i * 7919 % 10007})",
                        ["Head of Housing", "Director of Place", "Chief Executive"][i % 3]])
    ws.write_datetime(i, 3, datetime.datetime(2024, 1, 1) + datetime.timedelta(days=i % 700), date)
    ws.write_number(i, 4, i * 12.5)
ws.merge_range("F2:G3", "merged note")
other = wb.add_worksheet("Notes")
for i in range(10000):
    other.write_row(i, 0, [f"Note {i}: progress reported to committee on item {i * 31 % 9973}", "Head of Housing"])
wb.close()

with zipfile.ZipFile(source) as z:
    parts = {n: z.read(n) for n in z.namelist()}
h.check(len(parts[SST]) >= 1 << 20, f"the shared-strings part is {len(parts[SST])} bytes, under the 1 MiB "
        "from which it is read beside the sheets: the test would not cover that path")


def rewrite(name, edits):
    """A copy of the workbook with parts replaced: edits maps part -> function(bytes) -> bytes."""
    path = os.path.join(h.work, name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, edits[n](data) if n in edits else data)
    return path


def sheet1(edit):
    return {"xl/worksheets/sheet1.xml": edit}


# An empty shared string (index = the table's size, appended) used by one cell: no cell, as
# Excel reads it.
count = parts[SST].count(b"<si>")
with_empty = rewrite("empty-string.xlsx", {
    SST: lambda d: d.replace(b"</sst>", b"<si><t></t></si></sst>"),
    **sheet1(lambda d: d.replace(b'<c r="C5" t="s"><v>', f'<c r="C5" t="s"><v>{count}</v></c><c r="Z5" t="s"><v>'.encode(), 1)),
})

for path in (source, with_empty):
    mine = h.run("inspect", "--cells", path, check_exit=0)
    ref = subprocess.run(["/usr/bin/python3", os.path.join(h.source, "tests/tools/openpyxl_cells.py"), path],
                         capture_output=True, text=True)
    h.check(ref.returncode == 0, f"openpyxl_cells.py failed on {path}: {ref.stderr[-500:]}")
    got, want = mine.stdout.splitlines(), ref.stdout.splitlines()
    h.check(len(want) > 60000, f"openpyxl lists {len(want)} cells of {path}, expected over 60,000")
    h.equal(len(got), len(want), f"cells read from {os.path.basename(path)}")
    diffs = [(g, w) for g, w in zip(got, want) if g != w]
    h.check(not diffs, f"{os.path.basename(path)}: {len(diffs)} cells differ from openpyxl, first {diffs[:3]}")
h.check(not any(line.startswith("Actions\tC5\t") for line in
                h.run("inspect", "--cells", with_empty).stdout.splitlines()),
        "a cell holding an empty shared string is listed")

# A reference beyond the table.
beyond = rewrite("beyond.xlsx", sheet1(lambda d: re.sub(rb'(<c r="B7" t="s"><v>)\d+', rb"\g<1>999999", d, count=1)))
rc, out, err = h.call("inspect", "--cells", beyond)
h.equal(rc, 3, "exit code for a cell beyond the shared-strings table")
h.check("sheet 'Actions' has a cell (B7) that refers to shared string '999999', but the shared-strings table "
        f"holds only {count:,}" in err, f"message for a cell beyond the table: {err.strip()}")
h.equal(len(err.strip().splitlines()), 1, "lines of the message for a cell beyond the table")

# Both damaged: the table's fault is the one reported.
both = rewrite("both-damaged.xlsx", {SST: lambda d: d[: len(d) // 2],
                                     **sheet1(lambda d: d.replace(b"<row ", b"<row <", 1))})
rc, out, err = h.call("inspect", "--cells", both)
h.equal(rc, 3, "exit code when the table and a sheet are both damaged")
h.check("sharedStrings" in err, f"the message names the shared-strings part first: {err.strip()}")

# Only the sheet damaged.
sheet_only = rewrite("sheet-damaged.xlsx", sheet1(lambda d: d.replace(b"<row ", b"<row <", 1)))
rc, out, err = h.call("inspect", "--cells", sheet_only)
h.equal(rc, 3, "exit code when a sheet is damaged")
h.check("sheet1.xml" in err and "sharedStrings" not in err, f"the message names the sheet's part: {err.strip()}")
h.equal(len(err.strip().splitlines()), 1, "lines of the message for a damaged sheet")

h.finish()
