"""Reliability under faults (issue 11), at small scale: a batch killed at random moments (SIGINT,
SIGTERM, SIGKILL) leaves only outputs that open (openpyxl, xmllint) and no temporary file once
the next run has started; an interrupted run reports what it did and exits 130/143; a disk
that fills up (`ulimit -f`, through RLIMIT_FSIZE) gives exit 4 with every input concerned named
in the report or, when the report cannot be written either, on stderr, in plain words; two runs
into one folder take turns (or the second refuses with --lock-wait 0); the inputs are byte for
byte the same afterwards. The random moments come from a seed printed first (--seed to repeat).
"""
# ctest-labels: faults
import hashlib
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import time

import openpyxl

from harness import Harness

h = Harness(__doc__, options=lambda p: p.add_argument("--seed", type=int, default=None))
seed = h.args.seed if h.args.seed is not None else random.randrange(1 << 30)
print(f"seed {seed}", flush=True)
rng = random.Random(seed)

# A batch of 30 small returns of every kind, copied in from samples/.
inbox = os.path.join(h.work, "inbox")
os.makedirs(inbox)
kinds = [f for f in sorted(os.listdir(h.samples)) if f.rsplit(".", 1)[-1] in ("xlsx", "xls", "ods", "csv")]
for i in range(30):
    name = kinds[i % len(kinds)]
    stem, ext = name.rsplit(".", 1)
    shutil.copyfile(os.path.join(h.samples, name), os.path.join(inbox, f"{stem}-{i:02d}.{ext}"))


def digests(folder):
    out = {}
    for f in sorted(os.listdir(folder)):
        with open(os.path.join(folder, f), "rb") as fh:
            out[f] = hashlib.sha256(fh.read()).hexdigest()
    return out


inputs_before = digests(inbox)


def start(out, *extra, preexec_fn=None):
    return subprocess.Popen([h.planconv, "convert", inbox, "-o", out, "--no-progress", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=preexec_fn)


def temporaries(out):
    found = []
    for folder, _, files in os.walk(out):
        found += [os.path.join(folder, f) for f in files if ".tmp-" in f]
    return found


def check_outputs_open(out, what):
    """Every output under its final name is whole: workbooks open, XML is well-formed."""
    n = 0
    for folder, _, files in os.walk(out):
        for f in files:
            path = os.path.join(folder, f)
            if f.startswith("."):
                continue
            if f.endswith(".cleaned.xlsx"):
                try:
                    openpyxl.load_workbook(path, read_only=True).close()
                except Exception as e:  # noqa: BLE001 - any failure to open is the finding
                    h.check(False, f"{what}: {f} does not open: {e}")
                n += 1
            elif f.endswith(".xml"):
                p = subprocess.run(["xmllint", "--noout", "--nonet", path], capture_output=True, text=True)
                h.check(p.returncode == 0, f"{what}: {f} is not well-formed XML: {p.stderr[:300]}")
                n += 1
            elif f == "report.json":
                with open(path, encoding="utf-8") as fh:
                    json.load(fh)
    return n


# 1. Killed at random moments, into one output folder; each run sweeps what the last left.
out = os.path.join(h.work, "out-killed")
signals = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL] * 3
rng.shuffle(signals)
for k, sig in enumerate(signals):
    what = f"run {k + 1} ({signal.Signals(sig).name})"
    proc = start(out, "-j", "2")
    time.sleep(rng.uniform(0.05, 1.5))
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=120)
    finished = proc.returncode in (0, 1)  # done before the signal arrived
    if sig == signal.SIGKILL:
        h.check(proc.returncode == -signal.SIGKILL or finished, f"{what}: killed ({proc.returncode})")
    else:
        h.check(proc.returncode == 128 + sig or finished, f"{what}: exit {proc.returncode}, expected {128 + sig}")
        if proc.returncode == 128 + sig:
            lines = [l for l in stderr.splitlines() if "temporary file" not in l]  # the sweep of earlier kills
            h.check(len(lines) == 1 and "interrupted" in lines[0], f"{what}: one line: {stderr!r}")
            with open(os.path.join(out, "report.json"), encoding="utf-8") as fh:
                report = json.load(fh)
            h.equal(report.get("interrupted"), True, f"{what}: report.json says interrupted")
            h.equal(len(report["files"]) + report["summary"].get("not_processed", -1), 30,
                    f"{what}: processed + not processed = the batch")
        h.equal(temporaries(out), [], f"{what}: no temporary file left by an interrupted run")
    check_outputs_open(out, what)
# The next run removes whatever SIGKILL left, and completes.
p = subprocess.run([h.planconv, "convert", inbox, "-o", out, "--no-progress", "-j", "2"], capture_output=True, text=True, timeout=120)
h.check(p.returncode in (0, 1), f"a full run after the kills: exit {p.returncode}: {p.stderr[-500:]}")
h.equal(temporaries(out), [], "no temporary file remains after the next run")
h.equal(check_outputs_open(out, "after the kills"), 60, "30 workbooks and 30 XML files, all whole")

# A temporary of a dead process is swept; one of a live process is not touched.
stale = os.path.join(out, ".x.cleaned.xlsx.tmp-999999999-0")
live = os.path.join(out, f".y.xml.tmp-{os.getpid()}-0")
for f in (stale, live):
    open(f, "w").close()
p = subprocess.run([h.planconv, "convert", os.path.join(inbox, kinds[0].replace(".", "-00.")), "-o", out, "--no-progress"],
                   capture_output=True, text=True, timeout=60)
h.check(not os.path.exists(stale), "a dead run's temporary is removed")
h.check(os.path.exists(live), "a live process's temporary is left alone")
h.check("temporary file" in p.stderr, f"the sweep is said on stderr: {p.stderr!r}")
os.unlink(live)


# 2. A full disk: the file size limit (ulimit -f) of the process.
def limit(nbytes):
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))
    return apply


full = os.path.join(h.work, "out-full")
# 100 KB: the biggest XML files (up to 190 KB) cannot be written; the workbooks (up to 55 KB)
# and the report (about 90 KB) can.
proc = start(full, "-j", "2", preexec_fn=limit(100 * 1024))
stdout, stderr = proc.communicate(timeout=120)
h.equal(proc.returncode, 4, f"outputs not written: exit 4 ({stderr[-300:]!r})")
h.check("[ERROR]" not in stderr and "filesystem error" not in stderr, f"no library or raw filesystem lines: {stderr[:500]!r}")
report_path = os.path.join(full, "report.json")
if h.check(os.path.exists(report_path), "the report was written"):
    with open(report_path, encoding="utf-8") as fh:
        report = json.load(fh)
    unwritten = [f for f in report["files"] if f.get("unwritten")]
    h.check(len(unwritten) > 0, "the report marks the inputs whose outputs were not written")
    h.equal(report["summary"]["unwritten"], len(unwritten), "summary.unwritten")
    for f in unwritten:
        h.check(f["status"] == "failed" and "disk is full" in f["error"], f"plain reason: {f['error']!r}")
        h.check(os.path.basename(f["input"]) in stderr, f"stderr names {f['input']}")
    h.check(f"({len(unwritten)} whose outputs could not be written)" in stdout, f"the summary line counts them: {stdout!r}")
h.equal(temporaries(full), [], "a full disk leaves no temporary file")
check_outputs_open(full, "full disk")

# 1 KB: not even the report fits; stderr names the count and the first inputs.
tiny = os.path.join(h.work, "out-tiny")
proc = start(tiny, "-j", "2", preexec_fn=limit(1024))
stdout, stderr = proc.communicate(timeout=120)
h.equal(proc.returncode, 4, "nothing fits: exit 4")
h.check("report" in stderr and "could not be written" in stderr, f"stderr says the report was not written: {stderr[-600:]!r}")
h.check("30 inputs failed" in stderr and "and 25 more" in stderr, f"stderr names the count and the first files: {stderr[-600:]!r}")
h.check("[ERROR]" not in stderr, "no libxlsxwriter lines")

# An output folder that cannot be made: plain words, exit 4.
blocker = os.path.join(h.work, "a-file")
open(blocker, "w").close()
p = subprocess.run([h.planconv, "convert", inbox, "-o", os.path.join(blocker, "out"), "--no-progress"], capture_output=True,
                   text=True, timeout=60)
h.equal(p.returncode, 4, "an output folder below a file: exit 4")
h.check("filesystem error" not in p.stderr and "a file stands where" in p.stderr, f"in plain words: {p.stderr!r}")

# 3. Two runs into one folder: the second waits for the first, or refuses at once.
shared = os.path.join(h.work, "out-shared")
first = start(shared, "-j", "1")
lock = os.path.join(shared, ".planconv.lock")
deadline = time.time() + 30
while time.time() < deadline and not (os.path.exists(lock) and open(lock).read().strip() == str(first.pid)):
    time.sleep(0.02)
refused = subprocess.run([h.planconv, "convert", inbox, "-o", shared, "--no-progress", "--lock-wait", "0"],
                         capture_output=True, text=True, timeout=60)
second = start(shared, "-j", "1", "--lock-wait", "120")
out1, err1 = first.communicate(timeout=120)
out2, err2 = second.communicate(timeout=120)
h.equal(refused.returncode, 2, f"--lock-wait 0 while another run writes: exit 2 ({refused.stderr!r})")
h.check(f"process {first.pid}" in refused.stderr and "another" in refused.stderr, f"it names the other run: {refused.stderr!r}")
h.check(first.returncode in (0, 1) and second.returncode in (0, 1), f"both runs complete: {first.returncode} {second.returncode}")
h.check("waiting" in err2 and len([l for l in err2.splitlines() if "waiting" in l]) == 1, f"the second run waits, one line: {err2!r}")
with open(os.path.join(shared, "report.json"), encoding="utf-8") as fh:
    h.equal(len(json.load(fh)["files"]), 30, "the last report holds the whole batch")

# 4. The inputs were never touched.
h.equal(digests(inbox), inputs_before, "inputs byte for byte as before")
h.finish()
