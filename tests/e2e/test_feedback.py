# ctest-labels: writer
"""--feedback (SPEC §9): per return OUT/feedback/<return>.html and .txt, checked against
report.json: addressed to that return, the reporting date, every one of its findings with the
sheet and cell of its own workbook and its message, errors before warnings before infos, each
rule met explained in one line (the rule catalogue's, as RULES.md lists it), and nothing from
any other return. Paths come from report.json.
"""
import json
import os
import re
import xml.etree.ElementTree as ET

from harness import Harness

h = Harness(__doc__)
SAMPLES = ["portfolio-plan-half-year-mistakes.xlsx", "contracts-register-mistakes.xlsx", "budget-monitoring.xlsx"]
RANK = {"error": 0, "warning": 1, "info": 2}

catalogue = {}
for line in open(os.path.join(h.source, "src", "validate", "RULES.md"), encoding="utf-8"):
    m = re.match(r"\| `([A-Z-]+)` \| \w+ \| ([^|]+) \|", line)
    if m:
        catalogue[m.group(1)] = m.group(2).strip()
h.check(len(catalogue) > 10, f"RULES.md lists the rules ({len(catalogue)})")

out = os.path.join(h.work, "out")
rc, _, err = h.call("convert", *[os.path.join(h.samples, s) for s in SAMPLES], "-o", out, "-q", "--feedback")
h.check(rc in (0, 1), f"convert --feedback ({rc}): {err.strip()[:300]}")
report = json.load(open(os.path.join(out, "report.json")))
files = report["files"]
for f in files:
    name = os.path.basename(f["input"])
    html_path, text_path = f["outputs"].get("feedback_html"), f["outputs"].get("feedback_text")
    if not h.check(html_path and text_path and os.path.exists(html_path) and os.path.exists(text_path), f"{name}: feedback written"):
        continue
    h.equal(os.path.dirname(html_path), os.path.join(out, "feedback"), f"{name}: in OUT/feedback")
    text = open(text_path, encoding="utf-8").read()
    page = open(html_path, encoding="utf-8").read()
    h.check(name in text.splitlines()[0] and name in page, f"{name}: addressed to the return")
    h.check(f["as_of"] in text and f["as_of"] in page, f"{name}: the reporting date {f['as_of']}")
    ordered = sorted(f["findings"], key=lambda x: RANK[x["severity"]])
    # The text: numbered items in severity order, each with its cell and message.
    items = re.findall(r"^(\d+)\. (.*)$", text, flags=re.M)
    h.equal(len(items), len(f["findings"]), f"{name}: one item per finding")
    for (num, item), x in zip(items, ordered):
        want_where = f"Sheet \u2018{x['sheet']}\u2019, cell {x['cell']}" if x["cell"] else (x["sheet"] or "The workbook")
        h.check(item.startswith(want_where) and x["message"] in item and item.endswith(f"[{x['rule']}]"),
                f"{name}: item {num} is {x['rule']} at {x['cell']} ({item[:100]})")
    h.check(("Please correct" in text) == any(x["severity"] == "error" for x in f["findings"]), f"{name}: the errors have their heading")
    if not f["findings"]:
        h.check("nothing needs changing" in text, f"{name}: a return without findings is told so")
    # The page: the same items, in the same order, and an explanation per rule met.
    root = ET.fromstring(page.split("\n", 1)[1])
    lis = [li for li in root.iter("li")]
    h.equal([li.get("data-rule") for li in lis], [x["rule"] for x in ordered], f"{name}: the page lists the findings, errors first")
    explained = {dt.text: dd.text for dt, dd in zip(root.iter("dt"), root.iter("dd"))}
    h.equal(set(explained), {x["rule"] for x in f["findings"]}, f"{name}: each rule met is explained once")
    for rule, line in explained.items():
        h.check(line and catalogue.get(rule, "\0")[:30] in line and f"{rule}: {line}" in text,
                f"{name}: {rule} is explained by the catalogue's line ({line!r})")
    # Nothing about the other returns.
    for other in files:
        if other is f:
            continue
        oname = os.path.basename(other["input"])
        h.check(oname not in text and oname not in page, f"{name}: does not name {oname}")
        foreign = [x["message"] for x in other["findings"] if all(x["message"] != y["message"] for y in f["findings"])]
        h.check(not any(m in text for m in foreign), f"{name}: holds none of {oname}'s findings")
h.check(any(f["findings"] for f in files) and any(not f["findings"] for f in files), "returns with and without findings were tried")

plain = os.path.join(h.work, "plain")
h.call("convert", os.path.join(h.samples, SAMPLES[0]), "-o", plain, "-q")
h.check(not os.path.exists(os.path.join(plain, "feedback")), "no feedback without --feedback")
h.finish()
