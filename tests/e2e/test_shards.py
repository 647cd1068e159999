"""A run split with `--shard K/N` (as GNU parallel, a Slurm array or a Kubernetes Indexed Job
would run it) takes every input in exactly one shard, and `planconv report merge` of the shard
reports gives the report a single run over everything gives: report.json identical apart from
the time stamp (skipped paths included), the JUnit file likewise (both following --fail-on),
and the same exit code."""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Harness

h = Harness(__doc__)
inbox = os.path.join(h.work, "inbox")
samples = sorted(f for f in os.listdir(h.samples) if f.rsplit(".", 1)[-1] in ("xlsx", "xls", "ods", "csv"))
for copy in ("q1", "q2/services", "q3"):
    os.makedirs(os.path.join(inbox, copy))
    for f in samples:
        shutil.copy(os.path.join(h.samples, f), os.path.join(inbox, copy, f))
# An unreadable return among them: failed in its shard, failed in the merge.
with open(os.path.join(inbox, "q3", "broken.xlsx"), "wb") as f:
    f.write(b"PK\x03\x04 not really a workbook")
# A reply in Word: skipped by the scan, listed once (by shard 1) and so once in the merge.
with open(os.path.join(inbox, "q2", "reply.docx"), "wb") as f:
    f.write(b"PK\x03\x04 a Word reply")
total = 3 * len(samples) + 1
as_of = ["--as-of", "2017-01-31"]  # the same date in every run, whatever day the test runs

single = h.run("validate", inbox, "-o", os.path.join(h.work, "single"), "--report",
               os.path.join(h.work, "single", "report.json"), "--report", os.path.join(h.work, "single", "junit.xml"),
               "-q", "--fail-on", "warning", *as_of)
h.check(single.returncode == 3, f"the single run exits 3 (one unreadable input), got {single.returncode}")

N = 4


def shard_command(k):
    """The command of shard k (k may be GNU parallel's "{}" placeholder)."""
    return [h.planconv, "validate", inbox, "--shard", f"{k}/{N}", "-o", os.path.join(h.work, f"shard{k}"), "-q",
            "-j", "1", "--fail-on", "never", *as_of]


if shutil.which("parallel"):
    # GNU parallel, as README's recipe runs it: {} is the shard number.
    proc = subprocess.run(["parallel", "--will-cite", "-j", "2", " ".join(shard_command("{}")), ":::",
                           *map(str, range(1, N + 1))], capture_output=True, text=True, timeout=300)
    # parallel's exit code is the number of failed jobs: only the shard with the unreadable input
    # fails (the others report findings but exit 0 with --fail-on never).
    h.equal(proc.returncode, 1, f"GNU parallel ran the shards, one of them exiting 3: {proc.stderr[-500:]}")
else:
    print("GNU parallel is not installed: the shards run one after another")
    codes = [subprocess.run(shard_command(k), capture_output=True, timeout=300).returncode for k in range(1, N + 1)]
    h.equal(sorted(codes), [0, 0, 0, 3], "every shard ran, the one with the unreadable input exiting 3")

seen = []
for k in range(1, N + 1):
    path = os.path.join(h.work, f"shard{k}", f"report.shard-{k}-of-{N}.json")
    h.check(os.path.isfile(path), f"shard {k} wrote its report, named for the shard")
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            seen += [x["input"] for x in json.load(f)["files"]]
h.equal(len(seen), total, "the shards together took every input")
h.equal(len(set(seen)), len(seen), "no input is in two shards")
with open(os.path.join(h.work, "single", "report.json"), encoding="utf-8") as f:
    single_report = json.load(f)
h.equal(sorted(seen), sorted(x["input"] for x in single_report["files"]), "the shards took the single run's inputs")
sizes = [len(json.load(open(os.path.join(h.work, f"shard{k}", f"report.shard-{k}-of-{N}.json")))["files"]) for k in range(1, N + 1)]
h.check(max(sizes) < total, f"the work is split ({sizes})")

merged_dir = os.path.join(h.work, "merged")
merge = h.run("report", "merge", *[os.path.join(h.work, f"shard{k}", f"report.shard-{k}-of-{N}.json") for k in range(1, N + 1)],
              "-o", merged_dir, "--report", os.path.join(merged_dir, "report.json"),
              "--report", os.path.join(merged_dir, "junit.xml"), "--report", os.path.join(merged_dir, "report.html"),
              "--fail-on", "warning")
h.equal(merge.returncode, single.returncode, "report merge exits as the single run did")
with open(os.path.join(merged_dir, "report.json"), encoding="utf-8") as f:
    merged_report = json.load(f)
for report in (single_report, merged_report):
    report.pop("generated", None)
h.equal([os.path.basename(x["path"]) for x in single_report.get("skipped", [])], ["reply.docx"],
        "the single run lists the Word reply as skipped")
h.check(merged_report == single_report, "the merged report.json equals the single run's apart from the time stamp")
if merged_report != single_report:
    for a, b in zip(merged_report["files"], single_report["files"]):
        if a != b:
            print("first difference:", a["input"], "|", b["input"])
            break

def junit(path):
    with open(path, encoding="utf-8") as f:
        return re.sub(r'timestamp="[^"]*"', "", f.read())
h.equal(junit(os.path.join(merged_dir, "junit.xml")), junit(os.path.join(h.work, "single", "junit.xml")),
        "the merged JUnit file equals the single run's apart from the time stamp")
h.check(os.path.getsize(os.path.join(merged_dir, "report.html")) > 1000, "the merged report.html is written")

# convert shards sharing one output folder, all at once and with --lock-wait 0: the output lock
# lets the shards of a run write side by side, and each writes its own report.shard-K-of-N.
shared = os.path.join(h.work, "shared-out")
procs = [subprocess.Popen([h.planconv, "convert", inbox, "--shard", f"{k}/{N}", "-o", shared, "-q", "-j", "1",
                           "--fail-on", "never", "--lock-wait", "0", "--no-workbook", *as_of],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for k in range(1, N + 1)]
results = [p.communicate(timeout=300) for p in procs]
h.equal(sorted(p.returncode for p in procs), [0, 0, 0, 3],
        f"every convert shard ran at once into one folder: {[e for _, e in results if 'lock' in e or 'another' in e]}")
shard_reports = sorted(f for f in os.listdir(shared) if f.startswith("report.shard-") and f.endswith(".json"))
h.equal(shard_reports, [f"report.shard-{k}-of-{N}.json" for k in range(1, N + 1)], "each shard wrote its own report")
h.check(not os.path.exists(os.path.join(shared, "report.json")), "no shard wrote OUT/report.json")
together = h.run("report", "merge", *[os.path.join(shared, f) for f in shard_reports], "-o", shared, "--fail-on", "never")
h.equal(together.returncode, 3, f"the merge of the convert shards exits 3 (the unreadable input): {together.stderr}")
with open(os.path.join(shared, "report.json"), encoding="utf-8") as f:
    converted = json.load(f)
h.equal(len(converted["files"]), total, "the merged convert report has every input once")
missing = [p for x in converted["files"] for p in x["outputs"].values() if not os.path.isfile(p)]
h.equal(missing, [], "every output the merged report names exists")

# Refusals: a report given twice, a file that is not a report, a bad --shard.
first = os.path.join(h.work, "shard1", f"report.shard-1-of-{N}.json")
twice = h.run("report", "merge", first, first, "-o", os.path.join(h.work, "twice"))
h.check(twice.returncode == 2 and "two of the reports" in twice.stderr, f"an input in two reports is refused: {twice.stderr}")
bogus = os.path.join(h.work, "bogus.json")
with open(bogus, "w") as f:
    f.write('{"hello": 1}')
bad = h.run("report", "merge", bogus, "-o", os.path.join(h.work, "bad"))
h.check(bad.returncode == 2 and "not a planconv report.json" in bad.stderr and "\n" not in bad.stderr.strip(),
        f"a JSON that is not a report is refused in one line: {bad.stderr}")
for shard in ("0/4", "5/4", "1/0", "-1/-1", "a/b", "1/4/2"):
    p = h.run("validate", inbox, "--shard", shard, "-o", os.path.join(h.work, "x"))
    h.check(p.returncode == 2 and "--shard" in p.stderr, f"--shard {shard} is refused with exit 2: {p.stderr.strip()}")
h.finish()
