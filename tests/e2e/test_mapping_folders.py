"""`--mappings-dir` adds a folder of the user's own mappings to the shipped ones (README's
risk-register example, taken from README itself): with a folder holding only that mapping, a
risk register and a contracts register in one run are both converted, each by its own mapping,
and the risk register's reporting date is the whole "Quarter 2 2016/17" (30 September 2016),
read from the workbook. `--no-shipped-mappings` leaves only the folder: the contracts register
then fits nothing."""
import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Harness

import openpyxl

h = Harness(__doc__)
readme = open(os.path.join(h.source, "README.md"), encoding="utf-8").read()
example = re.search(r"```xml\n(<\?xml.*?name=\"risk-register\".*?</mapping>)\n```", readme, flags=re.S)
h.check(example is not None, "README has the risk-register mapping example")
folder = os.path.join(h.work, "our-mappings")
os.makedirs(folder)
with open(os.path.join(folder, "risk-register.xml"), "w", encoding="utf-8") as f:
    f.write(example.group(1) if example else "")

inbox = os.path.join(h.work, "inbox")
os.makedirs(inbox)
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Risks"
ws.append(["Corporate Risk Register \u2013 Quarter 2 2016/17"])
ws.append([])
ws.append(["Risk Ref", "Risk Description", "Risk Owner", "Current Rating", "Review Date"])
ws.append(["R1", "Failure to recruit and retain social workers", "Director of Children's Services", "Red", "December 2016"])
ws.append(["R2", "Overspend on adult social care placements", "Director of Adult Social Care", "Amber", "March 2017"])
ws.append(["R3", "Loss of data through a cyber attack", "Head of ICT", "Green", "Ongoing"])
wb.save(os.path.join(inbox, "risk-register-q2.xlsx"))
shutil.copy(os.path.join(h.samples, "contracts-register.xlsx"), inbox)

check = h.run("mappings", "check", os.path.join(folder, "risk-register.xml"))
h.equal(check.returncode, 0, f"README's risk-register mapping passes mappings check: {check.stdout} {check.stderr}")

out = os.path.join(h.work, "out")
proc = h.run("validate", inbox, "--mappings-dir", folder, "-o", out)
h.check(proc.returncode in (0, 1), f"validate with --mappings-dir exits 0 or 1, got {proc.returncode}: {proc.stderr}")
with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
    files = {os.path.basename(x["input"]): x for x in json.load(f)["files"]}
risk, contracts = files.get("risk-register-q2.xlsx", {}), files.get("contracts-register.xlsx", {})
h.equal(risk.get("status"), "converted", "the risk register is read")
h.equal(risk.get("mapping"), "risk-register", "by the folder's mapping")
h.equal(risk.get("counts", {}).get("records"), 3, "with its three risks")
h.equal(risk.get("as_of"), "2016-09-30", "its reporting date is the end of Quarter 2 2016/17")
h.equal(risk.get("as_of_source"), "workbook", "read from the workbook, not today")
h.equal(contracts.get("status"), "converted", "the contracts register is still read beside it")
h.equal(contracts.get("mapping"), "contracts-register", "by the shipped mapping")

only = h.run("validate", inbox, "--mappings-dir", folder, "--no-shipped-mappings", "-o", os.path.join(h.work, "only"))
with open(os.path.join(h.work, "only", "report.json"), encoding="utf-8") as f:
    files = {os.path.basename(x["input"]): x for x in json.load(f)["files"]}
h.equal(files.get("risk-register-q2.xlsx", {}).get("mapping"), "risk-register",
        "--no-shipped-mappings still reads the risk register")
h.equal(files.get("contracts-register.xlsx", {}).get("status"), "failed",
        "--no-shipped-mappings: the contracts register fits no mapping")
h.equal(only.returncode, 3, "and the run says an input could not be read")
h.finish()
