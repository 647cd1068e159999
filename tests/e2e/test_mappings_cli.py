# ctest-labels: cli
"""`planconv mappings list | check | xsd` through the built binary.

- list: every shipped mapping, sorted, each with its description; --mappings-dir adds a folder,
  --no-shipped-mappings leaves only it;
- check: every shipped mapping is OK (exit 0); broken mapping files print FILE:LINE: message
  with the line of the mistake and exit 2;
- xsd: prints an XML Schema that libxml2 (xmllint --schema) compiles, that accepts a document of
  the shape the writer produces and rejects one that breaks it.
"""
import json
import os
import re
import shutil

from harness import Harness

h = Harness(__doc__, timeout=60)


def line_of(text, needle):
    return text[: text.index(needle)].count("\n") + 1


GOOD = """<?xml version="1.0" encoding="UTF-8"?>
<mapping xmlns="urn:planconv:mapping:1" name="e2e-plan">
  <description>A mapping written by the e2e test</description>
  <table name="actions" element="action">
    <column field="id" type="id" header="^No$" key="true"/>
    <column field="rag" type="rag" header="^RAG"/>
    <column field="action" type="text" header="^Actions?$" key="true"/>
  </table>
  <rules>
    <rule id="ID-DUPLICATE" table="actions">
      <param name="field" value="id"/>
    </rule>
  </rules>
</mapping>
"""

# name -> (text, the line's marker, words the message must contain)
BROKEN = {
    "bad-regex.xml": (GOOD.replace('header="^RAG"', 'header="^(RAG"'), "^(RAG", "regular expression"),
    "unknown-element.xml": (GOOD.replace('<column field="rag"', '<colum field="rag"'), "<colum ", "colum"),
    "unknown-field.xml": (GOOD.replace('value="id"', 'value="ref"'), 'value="ref"', "names field 'ref'"),
    "unknown-rule.xml": (GOOD.replace('id="ID-DUPLICATE"', 'id="ID-DUPLICATES"'), "ID-DUPLICATES",
                         "unknown rule id 'ID-DUPLICATES' (did you mean 'ID-DUPLICATE'? every rule and its parameters are in src/validate/RULES.md)"),
    "unknown-param.xml": (GOOD.replace('name="field"', 'name="feild"'), 'name="feild"',
                          "rule ID-DUPLICATE has no parameter 'feild'"),
    "empty-header.xml": (GOOD.replace('header="^RAG"', 'header="^$"'), 'header="^$"', "matches only an empty text"),
    "catch-all-header.xml": (GOOD.replace('header="^RAG"', 'header=".*"'), 'header=".*"', "matches every header"),
    "text-for-a-date.xml": (GOOD.replace('</rules>', '<rule id="TIME-OVERDUE" table="actions"/></rules>'), "TIME-OVERDUE",
                            "rule TIME-OVERDUE has nothing to check"),
    "duplicate-field.xml": (GOOD.replace('<column field="action"', '<column field="rag"'),
                            '<column field="rag" type="text"', "declared twice"),
    "element-clash.xml": (GOOD.replace('<column field="action" type="text"', '<column field="action" element="rag" type="text"'),
                          'element="rag"', "both write element <rag>"),
}


def test_list():
    rc, out, err = h.call("mappings", "list")
    h.check(rc == 0, f"mappings list exits 0 (got {rc}; {err.strip()})")
    shipped = sorted(f[:-4] for f in os.listdir(h.mappings) if f.endswith(".xml"))
    names = [line.split()[0] for line in out.splitlines() if line.strip()]
    h.check(names == shipped, f"mappings list names every shipped mapping, sorted: {names} vs {shipped}")
    for line in out.splitlines():
        h.check(len(line.split(None, 1)) == 2, f"each listed mapping has a description: {line!r}")
    h.check("portfolio-plan-half-year" in names, "the half-year plan mapping is shipped")

    only = os.path.join(h.work, "only-one")
    os.makedirs(only, exist_ok=True)
    shutil.copy(os.path.join(h.mappings, "mapping.xsd"), only)
    with open(os.path.join(only, "e2e-plan.xml"), "w") as f:
        f.write(GOOD)
    rc, out, err = h.call("mappings", "list", "--mappings-dir", only)
    listed = [line.split()[0] for line in out.splitlines() if line.strip()]
    h.check(rc == 0 and listed == sorted(shipped + ["e2e-plan"]) and "written by the e2e test" in out,
            f"--mappings-dir adds that folder's mappings to the shipped ones: {out!r} {err!r}")
    rc, out, err = h.call("mappings", "list", "--mappings-dir", only, "--no-shipped-mappings")
    h.check(rc == 0 and out.split()[:1] == ["e2e-plan"] and len(out.splitlines()) == 1,
            f"--no-shipped-mappings lists only that folder's mappings: {out!r} {err!r}")


def test_check():
    for name in sorted(os.listdir(h.mappings)):
        if not name.endswith(".xml"):
            continue
        path = os.path.join(h.mappings, name)
        rc, out, err = h.call("mappings", "check", path)
        h.check(rc == 0 and out.strip() == f"{path}: OK", f"check {name}: {rc} {out.strip()} {err.strip()}")

    for name, (text, marker, words) in BROKEN.items():
        path = os.path.join(h.work, name)
        with open(path, "w") as f:
            f.write(text)
        rc, out, err = h.call("mappings", "check", path)
        line = line_of(text, marker)
        h.check(rc == 2, f"check {name} exits 2 (got {rc})")
        wanted = re.compile(re.escape(f"{path}:{line}: ") + ".*" + re.escape(words))
        h.check(any(wanted.match(l) for l in out.splitlines()),
                f"check {name} names line {line} and says {words!r}; got:\n{out}{err}")

    # Each rule is named once in its message; never "rule X: rule X".
    path = os.path.join(h.work, "unknown-param.xml")
    rc, out, err = h.call("mappings", "check", path)
    for line in out.splitlines():
        h.check(line.count("ID-DUPLICATE") <= 1, f"a rule is named once per message: {line}")
    h.check("did you mean 'field'?" in out, f"the parameter meant is suggested: {out}")

    rc, out, err = h.call("mappings", "check", os.path.join(h.work, "missing.xml"))
    h.check(rc == 2 and "does not exist" in out, f"check of a missing file exits 2 and says so: {rc} {out!r}")
    rc, out, err = h.call("mappings", "check")
    h.check(rc == 2 and "FILE" in err, f"check without a file is a usage error: {rc} {err!r}")


INSTANCE = """<?xml version="1.0" encoding="UTF-8"?>
<portfolio_plan mapping="portfolio-plan-half-year" source="care-q2.xlsx" as_of="2016-11-30">
  <facts>
    <plan_period src="Plan!A1" raw="2016/17" kind="period" start="2016-04-01" end="2017-03-31">2016-04-01/2017-03-31</plan_period>
  </facts>
  <outcome id="1" title="Safeguarding" src="Plan!A3">
    <claim name="summary" src="Plan!A4"><text>five out of eight actions are on track</text><part name="on_track" value="5">five</part></claim>
    <action src="Plan!A7" section="1">
      <id src="Plan!A7">1.1</id>
      <rag src="Plan!C7" raw="Amber (Central Government Delay)" qualifier="Central Government Delay">RAG</rag>
    </action>
    <indicator src="Plan!A13" section="1">
      <no src="Plan!A13" raw="1.">1</no>
      <outturn src="Plan!D13" raw="90.5% (191/211)"><observation status="value" value="90.5" unit="percent" decimals="1" numerator="191" denominator="211">90.5% (191/211)</observation></outturn>
    </indicator>
  </outcome>
</portfolio_plan>
"""


def test_messages():
    """Messages found by running the commands (issue 10, point 6)."""
    sample = os.path.join(h.samples, "budget-monitoring.xlsx")
    # A mapping given by a name that is no mapping: no ':0:', the name meant, the names there.
    rc, out, err = h.call("convert", "-m", "portfolio-plan-quarterl", sample, "-o", os.path.join(h.work, "m1"))
    h.check(rc == 2, f"convert -m with an unknown name exits 2 (got {rc})")
    h.check(":0:" not in err, f"no ':0:' for a mapping given by name: {err.strip()}")
    h.check("did you mean 'portfolio-plan-quarterly'?" in err, f"the mapping meant is suggested: {err.strip()}")

    # A workbook no mapping fits: the real near misses, in words, not the first names A-Z.
    import openpyxl
    near = os.path.join(h.work, "near-miss.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Actions"
    ws.append(["Quarterly action tracker"])
    ws.append([])
    ws.append(["ACTION", "DETAIL", "MEASURES OF SUCCESS", "DEADLINE", "OWNER", "PROGRESS"])
    ws.append(["1) Do things", "A) detail", "a measure", "April 2022", "HoS", "on track"])
    wb.save(near)
    out_dir = os.path.join(h.work, "m2")
    rc, out, err = h.call("convert", near, "-o", out_dir, "-q")
    with open(os.path.join(out_dir, "report.json"), encoding="utf-8") as f:
        error = json.load(f)["files"][0]["error"] or ""
    h.check(error.startswith("no mapping fits this workbook; closest: portfolio-plan-quarterly (table 'actions' needs 5 of its "
                             "headers and 3 were found, on 'Actions' row 3, but not TARGET DATE, LEAD or UPDATES)"),
            f"no mapping fits: the nearest mapping and what it lacked: {error}")
    h.check("budget-monitoring" not in error and "^" not in error, f"no alphabetical filler, no regexes: {error}")

    rc, out, err = h.call("inspect", near)
    chosen = [l for l in out.splitlines() if l.startswith("chosen:")]
    h.check(len(chosen) == 1 and not chosen[0].startswith("chosen: chosen:") and "portfolio-plan-quarterly" in chosen[0],
            f"inspect says 'chosen:' once, with the near miss: {chosen}")

    # inspect's header-like rows are headers, not data rows or separators (issue 15, point 8).
    rc, out, err = h.call("inspect", os.path.join(h.samples, "portfolio-plan-quarterly.xlsx"))
    listed = re.findall(r"^    row (\d+): (.*)$", out.split("header-like rows:", 1)[-1], flags=re.M)
    h.equal([r for r, _ in listed], ["21"], f"only the actions header is header-like, not the data or '--' rows: {listed}")
    rc, out, err = h.call("inspect", os.path.join(h.samples, "indicator-table.xlsx"))
    h.check("row 6: [A] # | [B] Type of indicator" in out, "a header with '#' still counts")
    h.check("row 46:" not in out, "the '----' separator row is not header-like")

    # -m with a mapping of another layout says what it looked for, in words.
    rc, out, err = h.call("convert", "-m", "portfolio-plan-half-year", near, "-o", os.path.join(h.work, "m3"))
    h.check("^" not in err, f"the headers looked for are words, not regexes: {err.strip()}")
    h.check("RAG status" in err and "'Actions' row 3" in err, f"-m on another layout: what was missing, where: {err.strip()}")


def test_xsd():
    rc, out, err = h.call("mappings", "xsd", "portfolio-plan-half-year")
    h.check(rc == 0 and out.startswith("<?xml") and "<xs:schema" in out, f"mappings xsd prints a schema: {rc} {err!r}")
    xsd = os.path.join(h.work, "half-year.xsd")
    with open(xsd, "w") as f:
        f.write(out)
    h.check('<xs:element name="portfolio_plan" type="document"/>' in out, "the root element is the mapping's element")

    good = os.path.join(h.work, "good.xml")
    with open(good, "w") as f:
        f.write(INSTANCE.replace(">RAG<", ">Amber<"))
    rc, msg = h.schema_check(xsd, good)
    h.check(rc == 0, f"a document of the writer's shape validates against the printed XSD: {msg}")

    bad = os.path.join(h.work, "bad.xml")
    with open(bad, "w") as f:
        f.write(INSTANCE.replace(">RAG<", ">Amberish<"))
    rc, msg = h.schema_check(xsd, bad)
    h.check(rc != 0 and "Amberish" in msg, f"a RAG value that is not canonical is rejected: {rc} {msg}")

    for name in sorted(os.listdir(h.mappings)):
        if name.endswith(".xml"):
            rc, out, err = h.call("mappings", "xsd", name[:-4])
            path = os.path.join(h.work, name[:-4] + ".xsd")
            with open(path, "w") as f:
                f.write(out)
            root = re.search(r'<xs:element name="([^"]+)" type="document"/>', out)
            h.check(rc == 0 and root, f"xsd {name}: {rc} {err.strip()}")
            if not root:
                continue
            empty = os.path.join(h.work, name[:-4] + "-empty.xml")
            with open(empty, "w") as f:
                f.write(f'<{root.group(1)} mapping="{name[:-4]}" source="x.xlsx"/>\n')
            rc, msg = h.schema_check(path, empty)
            h.check(rc == 0, f"the XSD of {name} compiles and accepts an empty document: {msg}")

    rc, out, err = h.call("mappings", "xsd", "no-such-mapping")
    h.check(rc == 2 and "no mapping named 'no-such-mapping'" in err and out == "",
            f"xsd of an unknown mapping exits 2 with the reason on stderr: {rc} {err!r}")
    broken = os.path.join(h.work, "bad-regex.xml")
    rc, out, err = h.call("mappings", "xsd", broken)
    h.check(rc == 2 and f"{broken}:" in err, f"xsd of a broken mapping file exits 2 with its diagnostics: {rc} {err!r}")


def test_usage():
    rc, out, err = h.call("mappings")
    h.check(rc == 2 and "mappings list" in err, f"mappings with no subcommand is a usage error: {rc}")
    rc, out, err = h.call("mappings", "lint")
    h.check(rc == 2 and "unknown subcommand 'lint'" in err, f"an unknown subcommand is a usage error: {rc} {err!r}")
    rc, out, err = h.call("mappings", "list", "--help")
    h.check(rc == 0 and "--mappings-dir" in out, "mappings list --help shows --mappings-dir")


test_list()
test_check()
test_messages()
test_xsd()
test_usage()
h.finish()
