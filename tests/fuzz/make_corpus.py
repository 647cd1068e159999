#!/usr/bin/python3
"""Seeds for the fuzz targets: timescale and quantity texts taken from the sample workbooks,
and one small hand-written xlsx for the reader.

Reads every samples/*.xlsx with openpyxl (the independent reader) and writes each distinct
text found under a timescale-like header (Timescale, Target date, Start/End date, Duration) to
tests/fuzz/corpus/timescale/, and under a value-like header (Target, Outturn, Quarter N,
Bromley 2015/16, budget and contract values) to tests/fuzz/corpus/quantity/. Headers and title
rows that name a period or a reporting date ("Half Year Update – end of November 2016") go to
the timescale corpus too, since the timescale parser reads those. Files are named
sample-<sha1 prefix>.txt, so re-running is idempotent and the hand-written seedNN.txt stay.
Texts that differ only in their digits ("01-Apr-10", "30-Nov-16") give one seed: the fuzzer
varies digits itself, and hundreds of budget figures would add nothing but replay time.

The reader's other seeds are samples/*.xlsx and tests/fixtures/xlsx/*.xlsx themselves (ctest and
scripts/fuzz use them where they are); corpus/xlsx/features.xlsx adds, in about 1.5 KB, every
cell kind the reader knows, so mutations of a small file reach all of its paths quickly.
corpus/xlsx/fuzz-* are not made here: they are small inputs scripts/fuzz found that reach reader
paths the samples do not (damaged zips, broken XML, missing parts), kept with libFuzzer's
-merge=1 against the seeds so that ctest replays them.

Run from anywhere: /usr/bin/python3 tests/fuzz/make_corpus.py
"""
import datetime
import hashlib
import pathlib
import re
import zipfile

import openpyxl

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fuzz" / "corpus"

TIMESCALE_HEADER = re.compile(r"^(timescale|target date|start date|end date|duration)", re.I)
QUANTITY_HEADER = re.compile(
    r"^(target|outturn|quarter \d|bromley \d|\d{4}/\d{2} |total contract value|original annual value)", re.I)
PERIOD_TEXT = re.compile(
    r"(\b(19|20)\d\d/\d\d\b|\bquarter\b|\bupdate\b.*\b(19|20)\d\d\b|\btimescale between\b)", re.I)
MAX_SEED_BYTES = 160  # a cell value, not a paragraph


def cell_text(value):
    if value is None:
        return None
    if isinstance(value, (datetime.datetime, datetime.date)):
        return None  # a date cell never reaches the text parsers as text
    text = str(value).strip()
    return text if text and len(text.encode()) <= MAX_SEED_BYTES else None


def collect(path):
    timescales, quantities = set(), set()
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for sheet in book.worksheets:
        columns = {}  # column index -> "timescale" | "quantity"
        for row in sheet.iter_rows(values_only=True):
            for col, value in enumerate(row):
                text = cell_text(value)
                if text is None:
                    continue
                header = text.replace("\n", " ")
                if TIMESCALE_HEADER.match(header):
                    columns[col] = "timescale"
                elif QUANTITY_HEADER.match(header):
                    columns[col] = "quantity"
                if PERIOD_TEXT.search(header) and len(header) <= 120:
                    timescales.add(text)
                kind = columns.get(col)
                if kind == "timescale":
                    timescales.add(text)
                elif kind == "quantity":
                    quantities.add(text)
    return timescales, quantities


def one_per_shape(texts):
    shapes = {}
    for text in sorted(texts):
        shapes.setdefault(re.sub(r"\d", "9", text), text)
    return set(shapes.values())


def write(kind, texts):
    texts = one_per_shape(texts)
    folder = CORPUS / kind
    folder.mkdir(parents=True, exist_ok=True)
    existing = {p.read_bytes() for p in folder.iterdir() if p.is_file()}
    added = 0
    for text in sorted(texts):
        data = text.encode()
        if data in existing:
            continue
        name = "sample-" + hashlib.sha1(data).hexdigest()[:12] + ".txt"
        (folder / name).write_bytes(data)
        existing.add(data)
        added += 1
    print(f"{kind}: {len(texts)} distinct texts in the samples, {added} new seeds in {folder.relative_to(ROOT)}")


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
FEATURES_XLSX = {
    "[Content_Types].xml":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                  for n in (1, 2))
        + '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels":
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml":
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        '<workbookPr date1904="false"/><sheets>'
        '<sheet name="Priority Outcome 1" sheetId="1" r:id="rId1"/>'
        '<sheet name="Notes" sheetId="2" state="hidden" r:id="rId2"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels":
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/worksheet" Target="/xl/worksheets/sheet2.xml"/>'
        f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId4" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId5" Type="{REL}/hyperlink" Target="http://example.org/" TargetMode="External"/>'
        '</Relationships>',
    "xl/worksheets/_rels/sheet1.xml.rels":
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/hyperlink" Target="http://example.org/" TargetMode="External"/>'
        '</Relationships>',
    "xl/styles.xml":
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">'
        '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
        '<numFmt numFmtId="165" formatCode="&quot;£&quot;#,##0;[Red]\\(&quot;£&quot;#,##0\\)"/></numFmts>'
        '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
        '<xf numFmtId="9"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="22"/></cellXfs></styleSheet>',
    "xl/sharedStrings.xml":
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="4" uniqueCount="4">'
        '<si><t>No</t></si><si><t xml:space="preserve"> RAG status </t></si>'
        '<si><r><rPr><b/></rPr><t>By Dec 16</t></r><r><t> [AP]</t></r><rPh sb="0" eb="2"><t>x</t></rPh></si>'
        '<si><t>90.5% (191/211) October</t></si></sst>',
    "xl/worksheets/sheet1.xml":
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
        '<dimension ref="A1:F4"/><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2"><v>1.5</v></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="e"><v>#N/A</v></c>'
        '<c r="D2" s="1"><v>42704</v></c><c r="E2" s="2"><v>0.905</v></c><c r="F2" s="4"><v>-1200</v></c></row>'
        '<row r="3"><c t="inlineStr"><is><t>Sept – Mar 17</t></is></c><c t="str"><f>A2*2</f><v>3</v></c>'
        '<c s="3"><v>42825.5</v></c><c s="5"><v>0.25</v></c></row>'
        '<row r="4"><c r="A4" t="s"><v>3</v></c><c r="B4"/><c r="C4" t="n"><f t="shared" ref="C4:C5" si="0">A4</f></c></row>'
        '</sheetData><mergeCells count="1"><mergeCell ref="D1:F1"/></mergeCells>'
        '<hyperlinks><hyperlink ref="A1" r:id="rId1"/></hyperlinks></worksheet>',
    "xl/worksheets/sheet2.xml":
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>last cell</t></is></c></row>'
        '</sheetData></worksheet>',
}


def write_features_xlsx():
    path = CORPUS / "xlsx" / "features.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in FEATURES_XLSX.items():
            # A fixed timestamp, so the file is the same byte for byte on every run.
            z.writestr(zipfile.ZipInfo(name, date_time=(2016, 11, 30, 0, 0, 0)), text.encode(),
                       compress_type=zipfile.ZIP_DEFLATED)
    print(f"xlsx: {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")


def main():
    write_features_xlsx()
    timescales, quantities = set(), set()
    for path in sorted((ROOT / "samples").glob("*.xlsx")):
        t, q = collect(path)
        timescales |= t
        quantities |= q
    write("timescale", timescales)
    write("quantity", quantities)


if __name__ == "__main__":
    main()
