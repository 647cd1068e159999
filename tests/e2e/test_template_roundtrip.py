# ctest-labels: writer
"""Return templates round-trip (SPEC §4 `template`, §9): XML -> template -> filled -> XML.

For the two portfolio plans: the sample is converted to XML; `planconv template --from` that XML
writes a return; openpyxl fills the return's open cells the way a service would (RAG values,
half-year updates and next steps, indicator outturns; quarterly target dates and updates, one
per sub-action row, one of them text that starts with '='); the filled return is converted, and
its XML must hold exactly what was filled, next to the ids, aims, actions, details and leads the
template carried over unchanged. The template itself: given cells locked, the cells to fill
unlocked, the sheets protected, RAG drop-downs.

Also: the improvement plan and the indicator table come back with the same records; blank
templates of every return layout convert; usage errors exit 2 and unreadable --from exits 3.
"""
import os
import re
import xml.etree.ElementTree as ET

import openpyxl

from harness import Harness

h = Harness(__doc__)
RAG_FILL = ["Green", "Amber", "Red", "Blue", "NA", "Amber (Central Government Delay)", "G"]
RAG_CANONICAL = {"G": "Green"}
TARGET_FILL = ["March 2022", "June 2021 [AP]", "31/03/2021", "Q4 2020/21", "Ongoing", "April 2022"]
OUTTURN_FILL = ["72%", "1,359 (Q2)", "New", "<5.0", "36,000"]


def put_text(cell, text):
    cell.value = text
    cell.data_type = "s"  # text, even when it starts with '='


# ---- the XML -----------------------------------------------------------------------------


def value_of(field):
    """A field as written: its raw attribute, else its text."""
    if field is None:
        return None
    raw = field.get("raw")
    return raw if raw is not None else (field.text or "")


def text_of(field):
    return None if field is None else (field.text or "")


def untagged(text):
    """A value without the <p> tags a return may have wrapped it in (templates write it bare)."""
    return None if text is None else re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()


def records(xml_path, section_element, record_element):
    """[(section id, record element)] in document order."""
    root = ET.parse(xml_path).getroot()
    out = []
    for container in [root] + [c for c in root if c.tag == section_element]:
        for rec in container:
            if rec.tag == record_element:
                out.append((container.get("id", ""), rec))
    return out


def convert(path, mapping, out):
    rc, _, err = h.call("convert", path, "-m", mapping, "-o", out, "-q")
    h.check(rc in (0, 1), f"convert {os.path.basename(path)} exits 0 or 1 ({rc}): {err.strip()}")
    return os.path.join(out, os.path.splitext(os.path.basename(path))[0] + ".xml")


def make_template(mapping, xml, out):
    rc, _, err = h.call("template", "-m", mapping, "--from", xml, "-o", out)
    h.check(rc == 0 and os.path.exists(out), f"template -m {mapping} --from exits 0 ({rc}): {err.strip()}")
    return rc == 0


# ---- the half-year plan ------------------------------------------------------------------


def table_rows(ws, header_row, width):
    """Rows of the table under a header: up to the first row with no value and no open cell."""
    r = header_row + 1
    while r <= ws.max_row:
        cells = [ws.cell(row=r, column=c) for c in range(1, width + 1)]
        if all(c.value is None for c in cells) and all(c.protection.locked for c in cells):
            break
        yield r
        r += 1


def test_half_year():
    mapping = "portfolio-plan-half-year"
    xml1 = convert(os.path.join(h.samples, mapping + ".xlsx"), mapping, os.path.join(h.work, "hy-1"))
    template = os.path.join(h.work, "hy-template.xlsx")
    if not make_template(mapping, xml1, template):
        return
    wb = openpyxl.load_workbook(template)
    h.check(wb.sheetnames == ["Portfolio Plan", "Instructions"], f"half-year template sheets ({wb.sheetnames})")
    ws = wb["Portfolio Plan"]
    h.check(ws.protection.sheet, "the template sheet is protected")
    rag_lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list" and "Red,Amber,Green,Blue,NA" in (dv.formula1 or "")]
    h.check(len(rag_lists) == 6, f"a RAG drop-down per outcome ({len(rag_lists)})")

    filled_actions, filled_outturns = [], []
    k = 0
    for r in range(1, ws.max_row + 1):
        a, c = ws.cell(row=r, column=1).value, ws.cell(row=r, column=3).value
        if a == "No" and c == "RAG status":
            for row in table_rows(ws, r, 6):
                action = ws.cell(row=row, column=4)
                if action.value is None:
                    continue  # a spare row
                h.check(action.protection.locked and ws.cell(row=row, column=3).protection.locked is False
                        and ws.cell(row=row, column=5).protection.locked is False,
                        f"row {row}: the action is locked, RAG and update are open")
                rag = RAG_FILL[k % len(RAG_FILL)]
                update = f"Update {k + 1}: work continues with partners." if k != 3 else "=1+1 is what we wrote, not a formula"
                focus = f"Focus {k + 1}: next steps agreed."
                put_text(ws.cell(row=row, column=3), rag)
                put_text(ws.cell(row=row, column=5), update)
                put_text(ws.cell(row=row, column=6), focus)
                filled_actions.append((rag, update, focus))
                k += 1
        if a == "We will measure this achievement by:":
            for row in table_rows(ws, r, 4):
                if ws.cell(row=row, column=2).value is None:
                    continue  # a note or a spare row
                outturn = OUTTURN_FILL[len(filled_outturns) % len(OUTTURN_FILL)]
                put_text(ws.cell(row=row, column=4), outturn)
                filled_outturns.append(outturn)
    filled = os.path.join(h.work, "hy-filled.xlsx")
    wb.save(filled)
    xml2 = convert(filled, mapping, os.path.join(h.work, "hy-2"))

    before = records(xml1, "outcome", "action")
    after = records(xml2, "outcome", "action")
    h.check(len(after) == len(before) == len(filled_actions) == 53,
            f"53 actions before, filled and after ({len(before)}, {len(filled_actions)}, {len(after)})")
    for i, ((s1, a1), (s2, a2), (rag, update, focus)) in enumerate(zip(before, after, filled_actions)):
        where = f"half-year action {i + 1}"
        h.check(s1 == s2, f"{where}: outcome {s1} == {s2}")
        for name in ("id", "aim", "action"):
            h.check(text_of(a1.find(name)) == text_of(a2.find(name)), f"{where}: {name} carried over ({text_of(a2.find(name))!r})")
        got = a2.find("rag")
        h.check(text_of(got) == RAG_CANONICAL.get(rag, rag.split(" (")[0]), f"{where}: RAG {rag!r} reads as {text_of(got)!r}")
        h.check(value_of(got) == rag, f"{where}: RAG as written {value_of(got)!r}")
        h.check(text_of(a2.find("update")) == update, f"{where}: the update filled ({text_of(a2.find('update'))!r})")
        h.check(text_of(a2.find("next_steps")) == focus, f"{where}: the focus filled ({text_of(a2.find('next_steps'))!r})")
    ind_before = records(xml1, "outcome", "indicator")
    ind_after = [(s, r) for s, r in records(xml2, "outcome", "indicator") if r.get("kind") is None]
    h.check(len(ind_after) == len(filled_outturns) == len([1 for _, r in ind_before if r.get("kind") is None]),
            f"indicators before, filled and after ({len(ind_before)}, {len(filled_outturns)}, {len(ind_after)})")
    for (s, rec), outturn in zip(ind_after, filled_outturns):
        h.check(value_of(rec.find("outturn")) == outturn, f"indicator {text_of(rec.find('no'))} of outcome {s}: outturn {outturn!r}")
    r1, r2 = ET.parse(xml1).getroot(), ET.parse(xml2).getroot()
    for attr in ("as_of", "plan_start", "plan_end"):
        h.check(r1.get(attr) == r2.get(attr), f"half-year {attr} carried over ({r1.get(attr)} vs {r2.get(attr)})")


# ---- the quarterly plan ------------------------------------------------------------------


def test_quarterly():
    mapping = "portfolio-plan-quarterly"
    xml1 = convert(os.path.join(h.samples, mapping + ".xlsx"), mapping, os.path.join(h.work, "q-1"))
    template = os.path.join(h.work, "q-template.xlsx")
    if not make_template(mapping, xml1, template):
        return
    wb = openpyxl.load_workbook(template)
    ws = wb["Portfolio Plan"]
    h.check(ws.protection.sheet, "the quarterly template sheet is protected")
    # Per record: the rows filled, in order (one per sub-action when the template split them).
    filled = []
    k = 0
    for r in range(1, ws.max_row + 1):
        if ws.cell(row=r, column=1).value != "ACTION":
            continue
        for row in table_rows(ws, r, 6):
            action, detail = ws.cell(row=row, column=1), ws.cell(row=row, column=2)
            if action.value is None and detail.value is None:
                continue  # a spare row
            h.check(action.protection.locked and detail.protection.locked, f"row {row}: ACTION and DETAIL are locked")
            h.check(ws.cell(row=row, column=4).protection.locked is False and ws.cell(row=row, column=6).protection.locked is False,
                    f"row {row}: TARGET DATE and UPDATES are open")
            target = TARGET_FILL[k % len(TARGET_FILL)]
            update = f"Quarter 3: update {k + 1} on track." if k != 2 else "=HYPERLINK(\"http://x\",\"y\") stays text"
            put_text(ws.cell(row=row, column=4), target)
            put_text(ws.cell(row=row, column=6), update)
            if action.value is not None:
                filled.append([])
            filled[-1].append((target, update))
            k += 1
    out = os.path.join(h.work, "q-filled.xlsx")
    wb.save(out)
    xml2 = convert(out, mapping, os.path.join(h.work, "q-2"))

    before = records(xml1, "priority", "action")
    after = records(xml2, "priority", "action")
    h.check(len(after) == len(before) == len(filled) == 18, f"18 actions before, filled and after ({len(before)}, {len(filled)}, {len(after)})")
    for i, ((s1, a1), (s2, a2), rows) in enumerate(zip(before, after, filled)):
        where = f"quarterly action {text_of(a1.find('no'))} of priority {s1}"
        h.check(s1 == s2, f"{where}: priority {s1} == {s2}")
        for name in ("no", "action", "measures"):
            h.check(text_of(a1.find(name)) == text_of(a2.find(name)), f"{where}: {name} carried over ({text_of(a2.find(name))!r})")
        subs1, subs2 = a1.findall("sub_action"), a2.findall("sub_action")
        h.check([s.get("id") for s in subs1] == [s.get("id") for s in subs2], f"{where}: the same sub-actions")
        if len(rows) > 1:
            h.check(len(rows) == len(subs2), f"{where}: one row per sub-action ({len(rows)} vs {len(subs2)})")
            for sub1, sub2, (target, update) in zip(subs1, subs2, rows):
                sw = f"{where} {sub2.get('id')})"
                h.check(text_of(sub1.find("detail")) == text_of(sub2.find("detail")), f"{sw}: detail carried over")
                h.check(untagged(value_of(sub1.find("lead"))) == untagged(value_of(sub2.find("lead"))),
                        f"{sw}: lead carried over ({value_of(sub2.find('lead'))!r})")
                h.check(value_of(sub2.find("target_date")) == target, f"{sw}: target date {target!r} ({value_of(sub2.find('target_date'))!r})")
                h.check(text_of(sub2.find("updates")) == update, f"{sw}: update {update!r} ({text_of(sub2.find('updates'))!r})")
        else:
            target, update = rows[0]
            h.check(text_of(a1.find("detail")) == text_of(a2.find("detail")), f"{where}: detail carried over")
            h.check(untagged(value_of(a1.find("lead"))) == untagged(value_of(a2.find("lead"))), f"{where}: lead carried over")
            h.check(value_of(a2.find("target_date")) == target, f"{where}: target date {target!r} ({value_of(a2.find('target_date'))!r})")
            h.check(text_of(a2.find("updates")) == update, f"{where}: update {update!r} ({text_of(a2.find('updates'))!r})")
    r1, r2 = ET.parse(xml1).getroot(), ET.parse(xml2).getroot()
    h.check(r1.get("as_of") == r2.get("as_of") == "2020-12-31", f"the reporting date comes back from the title ({r2.get('as_of')})")
    titles1 = [p.get("title") for p in r1 if p.tag == "priority"]
    titles2 = [p.get("title") for p in r2 if p.tag == "priority"]
    h.check(titles1 == titles2, f"priority titles carried over ({titles2})")


# ---- the other return layouts ------------------------------------------------------------


def test_same_records(mapping, sample, section_element, elements):
    xml1 = convert(os.path.join(h.samples, sample), mapping, os.path.join(h.work, mapping + "-1"))
    template = os.path.join(h.work, mapping + "-template.xlsx")
    if not make_template(mapping, xml1, template):
        return
    xml2 = convert(template, mapping, os.path.join(h.work, mapping + "-2"))
    for element, key in elements:
        before = records(xml1, section_element, element)
        after = records(xml2, section_element, element)
        h.check(len(before) == len(after) and len(before) > 0, f"{mapping}: {len(before)} {element} records come back ({len(after)})")
        keys1 = [(s, text_of(r.find(key)) or value_of(r.find(key))) for s, r in before]
        keys2 = [(s, text_of(r.find(key)) or value_of(r.find(key))) for s, r in after]
        h.check(keys1 == keys2, f"{mapping}: the {element} records keep their sections and {key}")


def test_blank_and_errors():
    for mapping in ("portfolio-plan-half-year", "portfolio-plan-quarterly", "improvement-action-plan", "indicator-table"):
        out = os.path.join(h.work, f"blank-{mapping}.xlsx")
        rc, _, err = h.call("template", "-m", mapping, "--sections", "3", "-o", out)
        if not h.check(rc == 0, f"a blank {mapping} template ({rc}): {err.strip()}"):
            continue
        xml = convert(out, mapping, os.path.join(h.work, f"blank-{mapping}"))
        root = ET.parse(xml).getroot()
        sections = [c for c in root if c.get("id") is not None and c.get("src")]
        h.check(len(sections) == 3, f"the blank {mapping} template has 3 sections ({len(sections)})")
    rc, _, err = h.call("template", "-m", "budget-monitoring", "-o", os.path.join(h.work, "budget.xlsx"))
    h.check(rc == 2 and "no return template" in err, f"budget monitoring has no template: exit 2 ({rc}) {err.strip()}")
    rc, _, err = h.call("template", "-m", "portfolio-plan-half-year")
    h.check(rc == 2 and "-o" in err, f"a template needs -o ({rc})")
    rc, _, err = h.call("template", "-m", "portfolio-plan-half-year", "-o", os.path.join(h.work, "x.csv"))
    h.check(rc == 2 and ".xlsx" in err, f"a template is .xlsx ({rc})")
    rc, _, err = h.call("template", "-m", "portfolio-plan-half-year", "--from", os.path.join(h.work, "absent.xml"),
                        "-o", os.path.join(h.work, "y.xlsx"))
    h.check(rc == 3, f"an unreadable --from exits 3 ({rc}) {err.strip()}")
    quarterly_xml = os.path.join(h.work, "q-1", "portfolio-plan-quarterly.xml")
    if os.path.exists(quarterly_xml):
        rc, _, err = h.call("template", "-m", "portfolio-plan-half-year", "--from", quarterly_xml, "-o", os.path.join(h.work, "z.xlsx"))
        h.check(rc == 3 and "portfolio-plan-quarterly" in err, f"XML of another mapping is refused, naming it ({rc}) {err.strip()}")
    rc, out, _ = h.call("--help")
    h.check("template -m MAPPING" in out, "--help lists the template command")


test_half_year()
test_quarterly()
test_same_records("improvement-action-plan", "improvement-action-plan.xlsx", "priority",
                  [("sub_area", "id"), ("measure", "no"), ("abbreviation", "abbreviation")])
test_same_records("indicator-table", "indicator-table.xlsx", "outcome", [("indicator", "no")])
test_blank_and_errors()
h.finish()
