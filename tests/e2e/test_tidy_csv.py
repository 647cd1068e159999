# ctest-labels: writer
"""--csv (SPEC §9): one tidy CSV per table kind beside each XML, and one per mapping with
--consolidate, loaded here with Python's csv module and checked against the XML: one row per
record (and per sub-record in its own file), section, id, parent id, kind, every field's
normalised value (the XML element's text; items joined by "; "; empty when unparsed) and its
text as written in <field>_raw exactly where the XML keeps raw=, and the record's src= as
source_cell. RFC 4180: CRLF line ends, quoted fields; --csv-bom starts each file with a BOM.
Output paths are taken from report.json, never built here.
"""
import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET

from harness import Harness

h = Harness(__doc__)
MAP_NS = "{urn:planconv:mapping:1}"
SAMPLES = ["portfolio-plan-half-year.xlsx", "portfolio-plan-quarterly.xlsx", "budget-monitoring.csv", "contracts-register.xlsx",
           "indicator-table.xlsx", "indicator-table-mistakes.xlsx"]


def mapping_tables(name):
    root = ET.parse(os.path.join(h.mappings, name + ".xml")).getroot()
    sections = root.find(MAP_NS + "sections")
    tables = {}
    for t in root.findall(MAP_NS + "table"):
        cols = t.findall(MAP_NS + "column")
        sub = t.find(MAP_NS + "subrecords")
        tables[t.get("name")] = {
            "element": t.get("element"),
            "sub": sub.get("element") if sub is not None else None,
            "fields": [c.get("element", c.get("field")) for c in cols],
            "id": next((c.get("element", c.get("field")) for c in cols if c.get("type") == "id"), None),
        }
    return tables, (sections.get("element", "section") if sections is not None else None)


def load_csv(path, bom):
    data = open(path, "rb").read()
    h.equal(data.startswith(b"\xef\xbb\xbf"), bom, f"{os.path.basename(path)}: a byte order mark exactly with --csv-bom")
    text = data.decode("utf-8-sig")
    # Outside quoted fields every line ends CRLF; line breaks inside values are quoted.
    unquoted = re.sub(r'"(?:[^"]|"")*"', "", text)
    h.check(text.endswith("\r\n") and "\n" not in unquoted.replace("\r\n", "") and "\r" not in unquoted.replace("\r\n", ""),
            f"{os.path.basename(path)}: CRLF line ends, other line breaks only inside quotes")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def field_value(el):
    """(normalised, raw or None) of a field element as the CSV must hold it."""
    if el.get("parsed") == "false":
        return "", el.get("raw")
    items = list(el)
    if items:
        return "; ".join((i.text or "") for i in items), el.get("raw")
    return el.text or "", el.get("raw")


def check_rows(label, rows, records, table, sub, source=None):
    """records: [(element, section, parent id)] in XML order; rows: the CSV's."""
    h.equal(len(rows), len(records), f"{label}: one CSV row per XML record")
    # Sub-records split out of one cell share its src=: their id tells them apart.
    by_cell = {}
    for r in rows:
        by_cell.setdefault((r.get("source"), r["source_cell"], r["id"] if sub else None), []).append(r)
    mismatches = []
    for el, section, parent in records:
        found = by_cell.get((source, el.get("src"), el.get("id") if sub else None), [])
        if len(found) != 1:
            mismatches.append(f"{el.get('src')}: {len(found)} rows")
            continue
        row = found[0]
        want = {"section": section or "", "kind": el.get("kind") or "record"}
        if sub:
            want.update({"id": el.get("id"), "parent_id": parent or ""})
        else:
            want["group"] = el.get("group") or ""
        fields = {c.tag: c for c in el if c.tag in table["fields"]}
        if not sub and table["id"]:
            want["id"] = field_value(fields[table["id"]])[0] if table["id"] in fields else ""
        for f in table["fields"]:
            if f == table["id"] and not sub:
                continue
            normal, raw = field_value(fields[f]) if f in fields else ("", None)
            want[f] = normal
            if raw is not None:
                want[f + "_raw"] = raw
            elif f + "_raw" in row:
                want[f + "_raw"] = ""
        for k, v in want.items():
            if row.get(k) != v:
                mismatches.append(f"{el.get('src')} {k}: {row.get(k)!r} != {v!r}")
    h.check(not mismatches, f"{label}: every row equals its XML record ({len(mismatches)} differ: {mismatches[:4]})")


def xml_records(xml_root, table, section_element):
    """[(record element, section id, None)] and [(sub-record element, section id, parent id)]."""
    records, subs = [], []
    containers = [(xml_root, None)] + [(c, c.get("id")) for c in xml_root if c.tag == section_element]
    for container, sid in containers:
        for rec in container:
            if rec.tag != table["element"]:
                continue
            records.append((rec, rec.get("section") or sid, None))
            if table["sub"]:
                pid = rec.find(table["id"]).text if table["id"] and rec.find(table["id"]) is not None else ""
                subs += [(s, rec.get("section") or sid, pid) for s in rec if s.tag == table["sub"]]
    return records, subs


def check_file(label, outputs, xml_path, mapping, bom, source=None, roots=None):
    tables, section_element = mapping_tables(mapping)
    csvs = {k[4:]: v for k, v in outputs.items() if k.startswith("csv:")}
    roots = roots or [(None, ET.parse(xml_path).getroot())]
    checked = 0
    for name, table in tables.items():
        records, subs = [], []
        for src, root in roots:
            r, s = xml_records(root, table, section_element)
            records += [(src, x) for x in r]
            subs += [(src, x) for x in s]
        for kind, recs, is_sub in ((name, records, False), (f"{name}.{table['sub']}", subs, True)):
            if not recs:
                h.check(kind not in csvs, f"{label}: no CSV for {kind}, which has no records")
                continue
            if not h.check(kind in csvs and os.path.exists(csvs[kind]), f"{label}: a CSV for {kind} ({sorted(csvs)})"):
                continue
            h.equal(os.path.dirname(csvs[kind]), os.path.dirname(xml_path), f"{label}: {kind}.csv lies beside the XML")
            h.equal(os.path.basename(csvs[kind]), os.path.basename(xml_path)[:-4] + f".{kind}.csv", f"{label}: named after the XML")
            rows = load_csv(csvs[kind], bom)
            if source is None:
                check_rows(f"{label}/{kind}", rows, [x for _, x in recs], table, is_sub)
            else:
                h.check(all(r["source"] in source for r in rows), f"{label}/{kind}: every row names its return")
                for src in source:
                    check_rows(f"{label}/{kind}/{src}", [r for r in rows if r["source"] == src], [x for s, x in recs if s == src],
                               table, is_sub, src)
            checked += 1
    return checked


out = os.path.join(h.work, "out")
rc, _, err = h.call("convert", *[os.path.join(h.samples, s) for s in SAMPLES], "-o", out, "-q", "--csv")
h.check(rc in (0, 1), f"convert --csv ({rc}): {err.strip()[:300]}")
report = json.load(open(os.path.join(out, "report.json")))
checked = 0
for f in report["files"]:
    if h.check(f["status"] == "converted", f"{f['input']} converted"):
        checked += check_file(os.path.basename(f["input"]), f["outputs"], f["outputs"]["xml"], f["mapping"], False)
h.check(checked >= 7, f"CSVs checked against their XML ({checked})")

# Quoting: the half-year plan's updates span lines, so they are quoted and read back whole.
half = next(f for f in report["files"] if f["input"].endswith("portfolio-plan-half-year.xlsx"))
raw = open(half["outputs"]["csv:actions"], "rb").read().decode("utf-8")
rows = load_csv(half["outputs"]["csv:actions"], False)
multi = [r for r in rows if any("\n" in v for v in r.values())]
h.check(multi and '\n' in raw.replace("\r\n", ""), "multi-line values are kept, quoted, inside one record")
h.check(any("," in v for r in rows for v in r.values()) and ',"' in raw, "values with commas are quoted")

# Without --csv, no CSV.
plain = os.path.join(h.work, "plain")
h.call("convert", os.path.join(h.samples, "indicator-table.xlsx"), "-o", plain, "-q")
h.check(not any(n.endswith(".csv") for n in os.listdir(plain)), "no CSV without --csv")

# Consolidated, with a BOM.
cons = os.path.join(h.work, "cons")
inputs = ["indicator-table.xlsx", "indicator-table-mistakes.xlsx"]
rc, _, err = h.call("convert", *[os.path.join(h.samples, s) for s in inputs], "-o", cons, "-q", "--csv", "--csv-bom", "--consolidate", "q4")
h.check(rc in (0, 1), f"convert --csv --consolidate ({rc}): {err.strip()[:300]}")
creport = json.load(open(os.path.join(cons, "report.json")))
for f in creport["files"]:
    check_file(os.path.basename(f["input"]) + " (bom)", f["outputs"], f["outputs"]["xml"], f["mapping"], True)
c = creport["consolidated"][0]
croot = ET.parse(c["outputs"]["xml"]).getroot()
docs = list(croot)
h.equal(len(docs), len(c["inputs"]), "the consolidated XML holds each return")
sources = [os.path.basename(i) for i in c["inputs"]]
n = check_file("q4", c["outputs"], c["outputs"]["xml"], c["mapping"], True, source=sources, roots=list(zip(sources, docs)))
h.check(n >= 1, "the consolidation has its CSV")
h.finish()
