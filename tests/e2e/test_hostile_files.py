# ctest-labels: asan;reader
"""Hostile and broken inputs: planconv refuses each one cleanly.

Every file is built here, with python's zipfile and plain bytes, into --work. For each,
`planconv inspect FILE` must
  - exit with 3 (unreadable input), not crash (no signal, no sanitizer report) and not hang
    (60 s timeout);
  - print nothing on stdout and exactly one line on stderr, naming the file and giving a plain
    reason that contains the case's key words;
  - leave the file exactly as it was.
"""
import hashlib
import os
import random
import string
import struct
import subprocess
import zipfile

from harness import Harness

# The work folder is kept: a run of --only one case leaves the other cases' files alone.
h = Harness(__doc__, options=lambda parser: parser.add_argument("--only", help="run one case (its file name)"),
            keep_work=True)

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
PACKAGE_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook {NS}><sheets><sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"""
SHARED_STRINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst {NS} count="1" uniqueCount="1"><si><t>No</t></si></sst>"""


def sheet(cells="", after=""):
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet {NS}><sheetData>{cells}</sheetData>{after}</worksheet>"""


GOOD_SHEET = sheet('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>42</v></c></row>')

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def with_doctype(xml):
    """The part with a billion-laughs DOCTYPE in front and the entity used in its text."""
    body = xml.split("?>", 1)[1]
    return BILLION_LAUGHS + body.replace("<t>No</t>", "<t>&lol9;</t>").replace("Plan", "&lol9;", 1)


def write_xlsx(path, parts=None, extra=(), order=None):
    """A minimal xlsx; `parts` replaces or adds parts (None drops one), `extra` adds raw entries."""
    files = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/sharedStrings.xml": SHARED_STRINGS,
        "xl/worksheets/sheet1.xml": GOOD_SHEET,
    }
    files.update(parts or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            if text is not None:
                z.writestr(name, text)
        for name, data in extra:
            z.writestr(name, data)


# --- the cases -------------------------------------------------------------------------------


def empty(path):
    open(path, "wb").close()


def truncated(path):
    full = path + ".whole"
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="s"><v>0</v></c></row>'
                   for r in range(1, 3000))
    write_xlsx(full, {"xl/worksheets/sheet1.xml": sheet(rows)})
    data = open(full, "rb").read()
    os.remove(full)
    with open(path, "wb") as f:
        f.write(data[: len(data) // 2])


def text_file(path):
    with open(path, "w") as f:
        f.write("No,We aimed to,RAG status\n1.1,Earlier diagnosis,Green\n")


def pdf_file(path):
    with open(path, "wb") as f:
        f.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")


def encrypted(path):
    """What Excel's "Encrypt with Password" writes: an OLE2 compound file holding the streams
    EncryptionInfo and EncryptedPackage (MS-OFFCRYPTO), built here sector by sector."""
    sector = 512
    free, end, fat_sect, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'
    info = info.ljust(4096, b"\0")                      # >= 4096: regular sectors, no mini stream
    package = struct.pack("<Q", 12345) + os.urandom(4088)
    streams = [("EncryptionInfo", info), ("EncryptedPackage", package)]
    # sector 0: FAT, sector 1: directory, then each stream's sectors in turn
    fat, next_free, starts = [fat_sect, end], 2, []
    for _, data in streams:
        n = len(data) // sector
        starts.append(next_free)
        fat += [next_free + i + 1 for i in range(n - 1)] + [end]
        next_free += n
    fat += [free] * (sector // 4 - len(fat))

    def entry(name, kind, child=nostream, right=nostream, start=end, size=0):
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1) +
                struct.pack("<III", nostream, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 +
                struct.pack("<IQ", start, size))
    directory = (entry("Root Entry", 5, child=1) +
                 entry("EncryptionInfo", 2, right=2, start=starts[0], size=len(info)) +
                 entry("EncryptedPackage", 2, start=starts[1], size=len(package)))
    directory = directory.ljust(sector, b"\0")
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16 +
              struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6 +
              struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0) +
              struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    with open(path, "wb") as f:
        f.write(header + struct.pack(f"<{len(fat)}I", *fat) + directory + info + package)


def bomb_by_size(path):
    """A worksheet that inflates to 600 MiB (of spaces: valid XML), about 2.7 MB compressed."""
    write_xlsx(path, {"xl/worksheets/sheet1.xml": None})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(sheet().split("<sheetData>")[0].encode() + b"<sheetData>")
            chunk = b" " * (1 << 20)
            for _ in range(600):
                f.write(chunk)
            f.write(b"</sheetData></worksheet>")


def bomb_by_ratio(path):
    """A 20 MiB worksheet (of spaces) squeezed about 1000 to 1: far past any real sheet."""
    body = sheet().replace("<sheetData>", "<sheetData>" + " " * (20 << 20))
    write_xlsx(path, {"xl/worksheets/sheet1.xml": None})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("xl/worksheets/sheet1.xml", body)


def bomb_lying_directory(path):
    """The same bomb, but the zip claims the sheet inflates to 1,000 bytes (in the local header
    and the central directory alike): only counting bytes while inflating catches it."""
    bomb_by_ratio(path)
    data = bytearray(open(path, "rb").read())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    struct.pack_into("<I", data, info.header_offset + 22, 1000)  # local header: uncompressed size
    name, pos = info.filename.encode(), 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:  # its central directory entry
        name_length = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46: pos + 46 + name_length] == name:
            struct.pack_into("<I", data, pos + 24, 1000)
        pos += 4
    open(path, "wb").write(data)


def doctype_in(part):
    source = {"xl/workbook.xml": WORKBOOK, "xl/worksheets/sheet1.xml": GOOD_SHEET,
              "xl/sharedStrings.xml": SHARED_STRINGS}[part]
    return lambda path: write_xlsx(path, {part: with_doctype(source)})


def cell_at(ref):
    return lambda path: write_xlsx(path, {"xl/worksheets/sheet1.xml": sheet(f'<row><c r="{ref}"><v>1</v></c></row>')})


def entry_named(name):
    return lambda path: write_xlsx(path, extra=[(name, "<evil/>")])


def part_count_bomb(path):
    write_xlsx(path, extra=[(f"xl/media/p{i}.xml", "") for i in range(10001)])


def huge_merge(path):
    write_xlsx(path, {"xl/worksheets/sheet1.xml": sheet(
        '<row r="1"><c r="A1"><v>1</v></c></row>',
        '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')})


def truncated_sheet_xml(path):
    write_xlsx(path, {"xl/worksheets/sheet1.xml": GOOD_SHEET[: GOOD_SHEET.index('<c r="B1"') + 6]})


def shared_string_out_of_range(path):
    write_xlsx(path, {"xl/worksheets/sheet1.xml": sheet('<row r="1"><c r="A1" t="s"><v>7</v></c></row>')})


def missing_sheet_part(path):
    write_xlsx(path, {"xl/worksheets/sheet1.xml": None})


def word_document(path):
    rels = PACKAGE_RELS.replace("xl/workbook.xml", "word/document.xml")
    write_xlsx(path, {"_rels/.rels": rels, "word/document.xml":
                      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'})


def deep_nesting(path):
    write_xlsx(path, {"xl/worksheets/sheet1.xml": sheet("", "<x>" * 100000 + "</x>" * 100000)})


def long_string(path):
    """One 2 MiB text, twice Excel's own limit; random letters so that it is no zip bomb."""
    text = "".join(random.Random(1).choices(string.ascii_letters + " ", k=2 << 20))
    write_xlsx(path, {"xl/sharedStrings.xml": SHARED_STRINGS.replace("<t>No</t>", "<t>" + text + "</t>")})


# name, builder, words the one-line reason must contain (case-insensitive)
CASES = [
    ("empty.xlsx", empty, ["empty"]),
    ("truncated.xlsx", truncated, ["truncated"]),
    ("text-named.xlsx", text_file, ["text file"]),
    ("pdf-named.xlsx", pdf_file, ["PDF"]),
    ("encrypted.xlsx", encrypted, ["password-protected"]),
    ("bomb-size.xlsx", bomb_by_size, ["600 MiB", "limit", "zip bomb"]),
    ("bomb-ratio.xlsx", bomb_by_ratio, ["to 1", "zip bomb"]),
    ("bomb-lying-directory.xlsx", bomb_lying_directory, ["zip bomb"]),
    ("doctype-workbook.xlsx", doctype_in("xl/workbook.xml"), ["xl/workbook.xml", "DOCTYPE"]),
    ("doctype-sheet.xlsx", doctype_in("xl/worksheets/sheet1.xml"), ["sheet1.xml", "DOCTYPE"]),
    ("doctype-shared-strings.xlsx", doctype_in("xl/sharedStrings.xml"), ["sharedStrings.xml", "DOCTYPE"]),
    ("row-past-limit.xlsx", cell_at("A1048577"), ["A1048577", "1,048,576 rows"]),
    ("column-past-limit.xlsx", cell_at("XFE1"), ["XFE1", "16,384 columns"]),
    ("entry-dotdot.xlsx", entry_named("../evil.xml"), ["unsafe name", "../evil.xml"]),
    ("entry-absolute.xlsx", entry_named("/abs/evil.xml"), ["unsafe name", "/abs/evil.xml"]),
    ("part-count-bomb.xlsx", part_count_bomb, ["10,0", "parts", "limit"]),
    ("huge-merge.xlsx", huge_merge, ["merged", "A1:XFD1048576", "limit"]),
    ("truncated-sheet-xml.xlsx", truncated_sheet_xml, ["sheet1.xml", "not well-formed", "truncated"]),
    ("shared-string-out-of-range.xlsx", shared_string_out_of_range, ["shared string", "A1"]),
    ("missing-sheet-part.xlsx", missing_sheet_part, ["Plan", "missing"]),
    ("word-document.xlsx", word_document, ["Word document"]),
    ("deep-nesting.xlsx", deep_nesting, ["sheet1.xml", "not well-formed"]),
    ("long-string.xlsx", long_string, ["sharedStrings.xml", "text of more than"]),
]


def refusal_problems(path, words):
    """Problems with how planconv refused `path` (empty when all is well), and its message."""
    before = hashlib.sha256(open(path, "rb").read()).hexdigest()
    try:
        proc = h.run("inspect", path, timeout=60, text=False)
    except subprocess.TimeoutExpired:
        return ["did not finish within 60 s"], ""
    problems = []
    err = proc.stderr.decode("utf-8", "replace")
    lines = err.splitlines()
    if proc.returncode < 0:
        problems.append(f"killed by signal {-proc.returncode}")
    elif proc.returncode != 3:
        problems.append(f"exit code {proc.returncode}, expected 3")
    if "Sanitizer" in err or "runtime error" in err:
        problems.append("sanitizer report")
    if proc.stdout:
        problems.append(f"printed on stdout: {proc.stdout[:200]!r}")
    if len(lines) != 1:
        problems.append(f"{len(lines)} lines on stderr, expected 1")
    elif path not in lines[0]:
        problems.append("the message does not name the file")
    reason = err.replace(path, "")  # the key words must be in the reason, not the file's name
    for w in words:
        if w.lower() not in reason.lower():
            problems.append(f"the message does not say '{w}'")
    if hashlib.sha256(open(path, "rb").read()).hexdigest() != before:
        problems.append("the input file was modified")
    return problems, err.strip()


refused = 0
for name, build, words in CASES:
    if h.args.only and name != h.args.only:
        continue
    path = os.path.join(h.work, name)
    build(path)
    problems, message = refusal_problems(path, words)
    if h.check(not problems, f"{name}: {message}" + "".join(f"\n       {p}" for p in problems)):
        print(f"ok   {name}: {message}")
        refused += 1
        os.remove(path)  # the large ones are not worth keeping
if not h.args.only:
    print(f"{refused} of {len(CASES)} hostile files refused cleanly")
h.finish()
