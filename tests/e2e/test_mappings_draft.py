# ctest-labels: cli
"""`planconv mappings draft FILE -o OUT.xml` on every workbook in samples/:

- the draft is a mapping file mapping.xsd accepts (xmllint) and `mappings check` finds OK;
- `convert -m DRAFT` reads the sample with it: exit 0 or 1 (findings), never 2 (mapping error)
  or 3 (unreadable); records > 0; no MAP-UNREAD finding (a cell of a matched table that no
  field took);
- every non-empty cell on a record's row lands in one of the record's fields (the cells
  `inspect --cells` lists against the `src` cells of the XML), the same accounting by other
  means;
- draft to stdout equals draft to a file; a workbook with no table is refused with one line
  and exit 2; the input is not modified; --name must be a mapping name.
Output paths are read from report.json (files[].outputs), never built here.
"""
import hashlib
import json
import os
import re
import xml.etree.ElementTree as ET

from harness import Harness

h = Harness(__doc__, timeout=120)

SAMPLE_EXTENSIONS = (".xlsx", ".xls", ".ods", ".csv")


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def cell_parts(ref):
    """'Sheet!B12' -> ('Sheet', 12, 2)."""
    sheet, a1 = ref.rsplit("!", 1)
    m = re.fullmatch(r"([A-Z]+)(\d+)", a1)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return sheet, int(m.group(2)), col


def workbook_cells(sample):
    """{(sheet, row): {col, ...}} of every non-empty cell, as planconv reads the workbook."""
    rc, out, err = h.call("inspect", "--cells", sample)
    h.check(rc == 0, f"inspect --cells {sample} exits 0 ({err.strip()})")
    cells = {}
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) < 4 or not parts[3].strip():
            continue
        sheet, row, col = cell_parts(parts[0] + "!" + parts[1])
        cells.setdefault((sheet, row), set()).add(col)
    return cells


def unread_cells_on_record_rows(xml_path, cells):
    """Cells on a record's first row that none of the record's fields took."""
    tree = ET.parse(xml_path)
    missing = []
    for record in tree.iter():
        src = record.get("src")
        # A field is a child with a src of its own and none inside (a section holds records).
        fields = [child for child in record
                  if child.get("src") and not any(d.get("src") for d in child.iter() if d is not child)]
        if not src or not fields:
            continue
        sheet, row, _ = cell_parts(src)
        taken = {cell_parts(f.get("src"))[2] for f in fields if cell_parts(f.get("src"))[:2] == (sheet, row)}
        first = min(cell_parts(f.get("src"))[2] for f in fields)
        for col in sorted(cells.get((sheet, row), set())):
            if col >= first and col not in taken:
                missing.append(f"{sheet}!{col}:{row}")
    return missing


def test_every_sample():
    samples = sorted(f for f in os.listdir(h.samples) if f.endswith(SAMPLE_EXTENSIONS))
    h.check(len(samples) >= 10, f"the samples folder holds the sample workbooks ({len(samples)})")
    schema = os.path.join(h.mappings, "mapping.xsd")
    for name in samples:
        sample = os.path.join(h.samples, name)
        before = digest(sample)
        draft = os.path.join(h.work, name + ".draft.xml")
        rc, out, err = h.call("mappings", "draft", sample, "-o", draft)
        if not h.check(rc == 0 and os.path.exists(draft), f"{name}: mappings draft exits 0 and writes the file ({rc}: {err.strip()})"):
            continue
        h.check(out == "", f"{name}: with -o nothing goes to stdout")
        xrc, xerr = h.schema_check(schema, draft)
        h.check(xrc == 0, f"{name}: the draft follows mapping.xsd: {xerr.strip()[:500]}")
        rc, out, err = h.call("mappings", "check", draft)
        h.check(rc == 0 and out.strip().endswith(": OK"), f"{name}: mappings check accepts the draft ({rc}): {out.strip()[:800]}")

        out_dir = os.path.join(h.work, "out-" + name)
        rc, out, err = h.call("convert", "-m", draft, sample, "-o", out_dir, "-q")
        h.check(rc in (0, 1), f"{name}: convert -m DRAFT exits 0 or 1, not {rc}: {err.strip()[:500]}")
        with open(os.path.join(out_dir, "report.json"), encoding="utf-8") as f:
            report = json.load(f)
        entry = report["files"][0]
        h.equal(entry["status"], "converted", f"{name}: converted with the draft ({entry.get('error')})")
        h.check(entry["counts"]["records"] > 0, f"{name}: the draft finds records ({entry['counts']})")
        unread = [x for x in entry["findings"] if x["rule"] == "MAP-UNREAD"]
        h.check(not unread, f"{name}: no MAP-UNREAD with the draft: {[u['cell'] + ' ' + u['message'] for u in unread][:5]}")
        xml_path = (entry.get("outputs") or {}).get("xml")
        if h.check(xml_path and os.path.exists(xml_path), f"{name}: report.json names the XML written"):
            missing = unread_cells_on_record_rows(xml_path, workbook_cells(sample))
            h.check(not missing, f"{name}: every cell of a record's row is in a field; not: {missing[:10]}")
        h.equal(digest(sample), before, f"{name}: the sample is not modified")


def test_stdout_and_refusals():
    sample = os.path.join(h.samples, "portfolio-plan-quarterly.xlsx")
    draft = os.path.join(h.work, "quarterly.xml")
    h.run("mappings", "draft", sample, "-o", draft, check_exit=0)
    rc, out, err = h.call("mappings", "draft", sample)
    with open(draft, encoding="utf-8") as f:
        h.equal(out, f.read(), "the draft on stdout is the draft written with -o")
    h.check('name="portfolio-plan-quarterly"' in out, "the mapping is named after the workbook's file")
    # What the values say, in the draft: a timescale column with TIME rules, sections by pattern.
    h.check(re.search(r'<column field="target_date" type="timescale"', out) is not None,
            "the TARGET DATE column is drafted as a timescale")
    h.check('<rule id="TIME-OVERDUE"' in out, "a timescale column brings TIME-OVERDUE")
    h.check(re.search(r'<sections [^>]*start="\^Priority', out) is not None, "the numbered headings become sections")
    half = os.path.join(h.samples, "portfolio-plan-half-year.xlsx")
    rc, out, err = h.call("mappings", "draft", half)
    h.check(re.search(r'<column field="rag_status" type="rag"', out) is not None, "the RAG status column is drafted as rag")
    h.check('<rule id="FIELD-ENUM"' in out, "a rag column brings FIELD-ENUM")

    contracts = os.path.join(h.samples, "contracts-register.xlsx")
    rc, out, err = h.call("mappings", "draft", contracts)
    h.check(re.search(r'<column field="start_date" type="date"', out) is not None, "the Start Date column is drafted as a date")
    h.check(re.search(r'<rule id="TIME-ORDER" table="[a-z_]+">\s*<param name="start" value="start_date"/>\s*'
                      r'<param name="end" value="end_date[a-z_]*"/>', out) is not None,
            "start and end dates bring TIME-ORDER")

    rc, out, err = h.call("mappings", "draft", sample, "--name", "Bad Name")
    h.check(rc == 2 and "--name" in err, f"--name must be a mapping name ({rc}: {err.strip()})")

    empty_csv = os.path.join(h.work, "one-column.csv")
    with open(empty_csv, "w", encoding="utf-8") as f:
        f.write("just a title\nand some text\n")
    rc, out, err = h.call("mappings", "draft", empty_csv)
    h.check(rc == 2, f"a workbook with no table: exit 2 (got {rc})")
    h.check(len(err.strip().splitlines()) == 1 and "no table found" in err, f"one clear line: {err.strip()}")
    h.check(out == "", "nothing on stdout when nothing was drafted")


test_every_sample()
test_stdout_and_refusals()
h.finish()
