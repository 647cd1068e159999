"""Which files a run reads and what their outputs are called (SPEC §4): NAME.cleaned.xlsx and
NAME.xml by one rule that never depends on the neighbours; inputs from several folders kept
apart; clashes refused up front naming both; the same input given twice processed once; the
output folder inside the inputs never read; everything skipped while scanning listed in the
report with its reason; a missing input is a failed file and the others are processed; in a
batch, whose outputs are flushed and renamed after the worker has gone on, an output that cannot
take its name fails its input (exit 4) with the reason, listing only what was written.
"""
import json
import os
import shutil
import subprocess

from harness import Harness

h = Harness(__doc__)
sample = os.path.join(h.samples, "indicator-table.xlsx")
sample_csv = os.path.join(h.samples, "indicator-table.csv")


def report(out):
    with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
        return json.load(f)


def outputs_below(out):
    """Every output file below `out` but the reports and the lock, as relative paths."""
    found = set()
    for folder, dirs, files in os.walk(out):
        for f in files:
            rel = os.path.relpath(os.path.join(folder, f), out)
            if rel not in ("report.json", "report.html", ".planconv.lock"):
                found.add(rel)
    return found


def folder(name, files):
    path = os.path.join(h.work, name)
    os.makedirs(path, exist_ok=True)
    for target, source in files.items():
        os.makedirs(os.path.dirname(os.path.join(path, target)), exist_ok=True)
        shutil.copyfile(source, os.path.join(path, target))
    return path


# 1. The naming rule: .xlsx dropped, any other extension kept; never the input's own name.
ins = folder("names", {"care-q2.xlsx": sample, "care-q2.csv": sample_csv, "sub/budget.csv": sample_csv})
out = os.path.join(h.work, "out-names")
h.run("convert", ins, "-o", out, "--no-progress", "-q", check_exit=0)
h.equal(outputs_below(out), {"care-q2.cleaned.xlsx", "care-q2.xml", "care-q2.csv.cleaned.xlsx", "care-q2.csv.xml",
                             "sub/budget.csv.cleaned.xlsx", "sub/budget.csv.xml"}, "outputs of a folder")
alone = os.path.join(h.work, "out-alone")
h.run("convert", os.path.join(ins, "sub", "budget.csv"), "-o", alone, "--no-progress", "-q", check_exit=0)
h.equal(outputs_below(alone), {"budget.csv.cleaned.xlsx", "budget.csv.xml"}, "a .csv alone keeps its extension too")
files = {f["input"]: f["outputs"] for f in report(out)["files"]}
h.equal(files.get(os.path.join(ins, "care-q2.xlsx")),
        {"workbook": os.path.join(out, "care-q2.cleaned.xlsx"), "xml": os.path.join(out, "care-q2.xml")},
        "report.json names the outputs")

# 2. Inputs of the same name in different folders keep their folders below --out.
a = folder("a", {"return.xlsx": sample})
b = folder("b", {"return.xlsx": sample})
out = os.path.join(h.work, "out-ab")
p = h.run("convert", os.path.join(a, "return.xlsx"), os.path.join(b, "return.xlsx"), "-o", out, "--no-progress")
h.equal(p.returncode, 0, "a/return.xlsx b/return.xlsx")
h.equal(outputs_below(out), {"a/return.cleaned.xlsx", "a/return.xml", "b/return.cleaned.xlsx", "b/return.xml"},
        "files of two folders keep the folders")
outs = [f["outputs"]["xml"] for f in report(out)["files"]]
h.equal(len(set(outs)), 2, "report.json gives the two inputs different outputs")
out = os.path.join(h.work, "out-ab-folders")
h.run("convert", a, b, "-o", out, "--no-progress", "-q", check_exit=0)
h.equal(outputs_below(out), {"a/return.cleaned.xlsx", "a/return.xml", "b/return.cleaned.xlsx", "b/return.xml"},
        "two folders keep their names")

# 3. r.xlsx and r.XLSX (a case-sensitive disk) get distinct outputs.
case = folder("case", {"r.xlsx": sample, "r.XLSX": sample})
out = os.path.join(h.work, "out-case")
p = h.run("convert", case, "-o", out, "--no-progress", "-q")
h.equal(p.returncode, 0, "r.xlsx + r.XLSX")
h.equal(outputs_below(out), {"r.cleaned.xlsx", "r.xml", "r.XLSX.cleaned.xlsx", "r.XLSX.xml"}, "r.xlsx + r.XLSX outputs")

# 4. x.csv and x.csv.xlsx would share x.csv.xml: refused up front naming both, nothing written.
clash = folder("clash", {"x.csv": sample_csv, "x.xlsx": sample, "x.csv.xlsx": sample})
out = os.path.join(h.work, "out-clash")
p = h.run("convert", clash, "-o", out, "--no-progress")
h.equal(p.returncode, 2, "a clash that remains is exit 2")
h.check("x.csv.xlsx" in p.stderr and os.path.join(clash, "x.csv ") in p.stderr + " ", f"the clash names both inputs: {p.stderr!r}")
h.check(not os.path.exists(os.path.join(out, "x.xml")), "nothing written after a clash")

# 5. The same input given twice (also through another spelling and a symbolic link): once.
link = os.path.join(h.work, "link-to-a")
os.symlink(a, link)
out = os.path.join(h.work, "out-twice")
given = [os.path.join(a, "return.xlsx"), os.path.join(a, ".", "return.xlsx"), os.path.join(link, "return.xlsx"), a]
p = h.run("convert", *given, "-o", out, "--no-progress")
h.equal(p.returncode, 0, "the same input four times")
r = report(out)
h.equal(len(r["files"]), 1, "processed once")
h.check(p.stdout.startswith("1 file: 1 converted"), f"summary counts it once: {p.stdout!r}")
h.equal(sum(1 for x in r["skipped"] if "already among the inputs" in x["reason"]), 3, "the repeats are listed as skipped")

# 6. The output folder inside the input folder is never read: two runs, the same outputs.
returns = folder("returns", {"care-q2.xlsx": sample, "budget.csv": sample_csv})
for name in ("reply.docx", "minutes.pdf", "chart.png", "notes.txt", "~$care-q2.xlsx"):
    open(os.path.join(returns, name), "wb").close()
os.mkfifo(os.path.join(returns, "pipe"))
os.symlink("nowhere", os.path.join(returns, "dangling"))
os.symlink("loop", os.path.join(returns, "loop"))
os.symlink(".", os.path.join(returns, "self"))
locked = os.path.join(returns, "locked")
os.makedirs(locked)
os.chmod(locked, 0)
runs = []
for attempt in (1, 2):
    p = subprocess.run([h.planconv, "convert", ".", "--no-progress"], cwd=returns, capture_output=True, text=True, timeout=120)
    h.equal(p.returncode, 0, f"convert . in the folder, run {attempt}: {p.stderr!r}")
    runs.append((outputs_below(os.path.join(returns, "out")), report(os.path.join(returns, "out"))))
h.equal(runs[0][0], runs[1][0], "the second run gives the same outputs")
h.equal(runs[0][0], {"care-q2.cleaned.xlsx", "care-q2.xml", "budget.csv.cleaned.xlsx", "budget.csv.xml"}, "outputs of convert .")
h.equal(len(runs[1][1]["files"]), 2, "the second run reads only the two returns")
reasons = {x["path"]: x["reason"] for x in runs[1][1]["skipped"]}
h.check("out" in reasons.get("./out", ""), f"the output folder is listed as skipped: {reasons}")
for name, words in (("reply.docx", ".docx"), ("minutes.pdf", ".pdf"), ("chart.png", ".png"), ("notes.txt", ".txt"),
                    ("~$care-q2.xlsx", "lock file"), ("pipe", "FIFO"), ("dangling", "does not exist"),
                    ("loop", "loop"), ("self", "loop")):
    h.check(words in reasons.get("./" + name, ""), f"{name} skipped with a reason saying {words!r}: {reasons.get('./' + name)!r}")
if os.geteuid() != 0:  # root enters any folder
    h.check("./locked" in reasons, f"an unreadable folder is listed: {reasons}")
h.equal(runs[1][1]["summary"]["skipped"], len(runs[1][1]["skipped"]), "summary.skipped")
h.check(f"{len(runs[1][1]['skipped'])} other paths skipped" in p.stdout, f"the summary line counts the skipped: {p.stdout!r}")
with open(os.path.join(returns, "out", "report.html"), encoding="utf-8") as f:
    html = f.read()
h.check("Skipped while scanning" in html and "reply.docx" in html, "the HTML report lists the skipped")
os.chmod(locked, 0o755)

# 7. -o inside the input folder: allowed, and still allowed the second time.
returns2 = folder("returns2", {"care-q2.xlsx": sample, "budget.csv": sample_csv})
for attempt in (1, 2):
    p = h.run("convert", returns2, "-o", os.path.join(returns2, "sub-out"), "--no-progress", "-q")
    h.equal(p.returncode, 0, f"-o inside the inputs, run {attempt}: {p.stderr!r}")

# 8. A missing input among several is a failed file; the others are processed (exit 3). A
#    symbolic link loop named directly says so, not "does not exist".
out = os.path.join(h.work, "out-missing")
p = h.run("convert", os.path.join(a, "return.xlsx"), os.path.join(h.work, "no-such.xlsx"),
          os.path.join(returns, "loop"), "-o", out, "--no-progress")
h.equal(p.returncode, 3, "a missing input is exit 3")
files = {os.path.basename(f["input"]): f for f in report(out)["files"]}
h.equal(files.get("return.xlsx", {}).get("status"), "converted", "the others are processed")
h.check("does not exist" in (files.get("no-such.xlsx", {}).get("error") or ""), f"the missing file's reason: {files.get('no-such.xlsx')}")
h.check("loop" in (files.get("loop", {}).get("error") or "") and "does not exist" not in (files.get("loop", {}).get("error") or ""),
        f"a link loop named directly: {files.get('loop')}")
h.check("no-such.xlsx" in p.stderr, "stderr names the missing file")

# 9. A folder stands where one input's XML is to go: its rename fails after the worker has moved
#    on. That input fails as unwritten (exit 4) naming the reason; its workbook, written whole,
#    stays listed; the other inputs are converted.
returns3 = folder("returns3", {"care-q2.xlsx": sample, "budget.csv": sample_csv, "housing.xlsx": sample})
out = os.path.join(h.work, "out-blocked")
os.makedirs(os.path.join(out, "care-q2.xml", "inside"))
p = h.run("convert", returns3, "-o", out, "-j", "2", "--no-progress")
h.equal(p.returncode, 4, f"an output that cannot be written is exit 4: {p.stderr!r}")
files = {os.path.basename(f["input"]): f for f in report(out)["files"]}
care = files.get("care-q2.xlsx", {})
h.equal(care.get("status"), "failed", "the blocked input fails")
h.check("could not be written" in (care.get("error") or "") and "directory" in (care.get("error") or ""),
        f"the blocked input's reason: {care.get('error')!r}")
h.equal(sorted(care.get("outputs", {})), ["workbook"], "the blocked input lists only the workbook it wrote")
h.check(os.path.isfile(os.path.join(out, "care-q2.cleaned.xlsx")), "the workbook listed is there")
h.equal([files.get(n, {}).get("status") for n in ("budget.csv", "housing.xlsx")], ["converted", "converted"],
        "the other inputs are converted")
h.check("care-q2.xlsx" in p.stderr and "could not be written" in p.stderr, f"stderr names the blocked input: {p.stderr!r}")
h.equal(sorted(f for f in os.listdir(out) if ".tmp-" in f), [], "no temporary is left")
h.finish()
