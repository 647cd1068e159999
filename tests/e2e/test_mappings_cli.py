# ctest-labels: cli
"""`planconv mappings list | check | xsd` through the built binary.

- list: every shipped mapping, sorted, each with its description; --mappings-dir is honoured;
- check: every shipped mapping is OK (exit 0); broken mapping files print FILE:LINE: message
  with the line of the mistake and exit 2;
- xsd: prints an XML Schema that libxml2 (xmllint --schema) compiles, that accepts a document of
  the shape the writer produces and rejects one that breaks it.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def run(planconv, *args):
    p = subprocess.run([planconv, *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


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
    "unknown-field.xml": (GOOD.replace('value="id"', 'value="ref"'), "<rule id=", "names field 'ref'"),
    "duplicate-field.xml": (GOOD.replace('<column field="action"', '<column field="rag"'),
                            '<column field="rag" type="text"', "declared twice"),
    "element-clash.xml": (GOOD.replace('<column field="action" type="text"', '<column field="action" element="rag" type="text"'),
                          'element="rag"', "both write element <rag>"),
}


def test_list(planconv, source, work):
    mappings = os.path.join(source, "mappings")
    rc, out, err = run(planconv, "mappings", "list")
    check(rc == 0, f"mappings list exits 0 (got {rc}; {err.strip()})")
    shipped = sorted(f[:-4] for f in os.listdir(mappings) if f.endswith(".xml"))
    names = [line.split()[0] for line in out.splitlines() if line.strip()]
    check(names == shipped, f"mappings list names every shipped mapping, sorted: {names} vs {shipped}")
    for line in out.splitlines():
        check(len(line.split(None, 1)) == 2, f"each listed mapping has a description: {line!r}")
    check("portfolio-plan-half-year" in names, "the half-year plan mapping is shipped")

    only = os.path.join(work, "only-one")
    os.makedirs(only, exist_ok=True)
    shutil.copy(os.path.join(mappings, "mapping.xsd"), only)
    with open(os.path.join(only, "e2e-plan.xml"), "w") as f:
        f.write(GOOD)
    rc, out, err = run(planconv, "mappings", "list", "--mappings-dir", only)
    check(rc == 0 and out.split() [:1] == ["e2e-plan"] and "written by the e2e test" in out,
          f"--mappings-dir lists that folder's mappings: {out!r} {err!r}")


def test_check(planconv, source, work):
    mappings = os.path.join(source, "mappings")
    for name in sorted(os.listdir(mappings)):
        if not name.endswith(".xml"):
            continue
        path = os.path.join(mappings, name)
        rc, out, err = run(planconv, "mappings", "check", path)
        check(rc == 0 and out.strip() == f"{path}: OK", f"check {name}: {rc} {out.strip()} {err.strip()}")

    for name, (text, marker, words) in BROKEN.items():
        path = os.path.join(work, name)
        with open(path, "w") as f:
            f.write(text)
        rc, out, err = run(planconv, "mappings", "check", path)
        line = line_of(text, marker)
        check(rc == 2, f"check {name} exits 2 (got {rc})")
        wanted = re.compile(re.escape(f"{path}:{line}: ") + ".*" + re.escape(words))
        check(any(wanted.match(l) for l in out.splitlines()),
              f"check {name} names line {line} and says {words!r}; got:\n{out}{err}")

    rc, out, err = run(planconv, "mappings", "check", os.path.join(work, "missing.xml"))
    check(rc == 2 and "does not exist" in out, f"check of a missing file exits 2 and says so: {rc} {out!r}")
    rc, out, err = run(planconv, "mappings", "check")
    check(rc == 2 and "FILE" in err, f"check without a file is a usage error: {rc} {err!r}")


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


def xmllint_schema(xsd, doc):
    p = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", xsd, doc], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stderr


def test_xsd(planconv, source, work):
    rc, out, err = run(planconv, "mappings", "xsd", "portfolio-plan-half-year")
    check(rc == 0 and out.startswith("<?xml") and "<xs:schema" in out, f"mappings xsd prints a schema: {rc} {err!r}")
    xsd = os.path.join(work, "half-year.xsd")
    with open(xsd, "w") as f:
        f.write(out)
    check('<xs:element name="portfolio_plan" type="document"/>' in out, "the root element is the mapping's element")

    good = os.path.join(work, "good.xml")
    with open(good, "w") as f:
        f.write(INSTANCE.replace(">RAG<", ">Amber<"))
    rc, msg = xmllint_schema(xsd, good)
    check(rc == 0, f"a document of the writer's shape validates against the printed XSD: {msg}")

    bad = os.path.join(work, "bad.xml")
    with open(bad, "w") as f:
        f.write(INSTANCE.replace(">RAG<", ">Amberish<"))
    rc, msg = xmllint_schema(xsd, bad)
    check(rc != 0 and "Amberish" in msg, f"a RAG value that is not canonical is rejected: {rc} {msg}")

    for name in sorted(os.listdir(os.path.join(source, "mappings"))):
        if name.endswith(".xml"):
            rc, out, err = run(planconv, "mappings", "xsd", name[:-4])
            path = os.path.join(work, name[:-4] + ".xsd")
            with open(path, "w") as f:
                f.write(out)
            root = re.search(r'<xs:element name="([^"]+)" type="document"/>', out)
            check(rc == 0 and root, f"xsd {name}: {rc} {err.strip()}")
            if not root:
                continue
            empty = os.path.join(work, name[:-4] + "-empty.xml")
            with open(empty, "w") as f:
                f.write(f'<{root.group(1)} mapping="{name[:-4]}" source="x.xlsx"/>\n')
            rc, msg = xmllint_schema(path, empty)
            check(rc == 0, f"the XSD of {name} compiles and accepts an empty document: {msg}")

    rc, out, err = run(planconv, "mappings", "xsd", "no-such-mapping")
    check(rc == 2 and "no mapping named 'no-such-mapping'" in err and out == "",
          f"xsd of an unknown mapping exits 2 with the reason on stderr: {rc} {err!r}")
    broken = os.path.join(work, "bad-regex.xml")
    rc, out, err = run(planconv, "mappings", "xsd", broken)
    check(rc == 2 and f"{broken}:" in err, f"xsd of a broken mapping file exits 2 with its diagnostics: {rc} {err!r}")


def test_usage(planconv):
    rc, out, err = run(planconv, "mappings")
    check(rc == 2 and "mappings list" in err, f"mappings with no subcommand is a usage error: {rc}")
    rc, out, err = run(planconv, "mappings", "lint")
    check(rc == 2 and "unknown subcommand 'lint'" in err, f"an unknown subcommand is a usage error: {rc} {err!r}")
    rc, out, err = run(planconv, "mappings", "list", "--help")
    check(rc == 0 and "--mappings-dir" in out, "mappings list --help shows --mappings-dir")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--planconv", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    test_list(a.planconv, a.source, a.work)
    test_check(a.planconv, a.source, a.work)
    test_xsd(a.planconv, a.source, a.work)
    test_usage(a.planconv)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
