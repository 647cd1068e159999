"""`planconv watch INBOX -o OUT` (issue 12 point 1): returns dropped in one by one — some copied
slowly in chunks, one non-spreadsheet, one hostile (a truncated zip), one resubmitted with other
content, an Office lock file and a partial download that must not be taken — end with OUT's
report.json equal to `planconv convert` on the final folder; a restart loses and redoes nothing
(event lines and output mtimes); SIGTERM while returns are in hand stops within seconds and leaves
no half-written file; the same with --poll 1 (network shares).
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Harness  # noqa: E402

h = Harness(__doc__)
AS_OF = "2016-11-30"


class Watch:
    """A running `planconv watch`, its stderr lines collected by a thread."""

    def __init__(self, inbox, out, *extra):
        self.proc = subprocess.Popen([h.planconv, "watch", inbox, "-o", out, "--as-of", AS_OF, *extra],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_line(self, text, timeout=20, count=1):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if sum(text in line for line in self.lines) >= count:
                return True
            if self.proc.poll() is not None:
                time.sleep(0.2)
                break
            time.sleep(0.05)
        return sum(text in line for line in self.lines) >= count

    def stop(self, sig=signal.SIGTERM, timeout=5):
        start = time.time()
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = None
        self.reader.join(timeout=2)
        return rc, time.time() - start


def sample(name):
    return os.path.join(h.samples, name)


def slow_copy(src, dst, chunks=3, pause=0.7):
    """Writes src to dst in `chunks` pieces with a pause between (a slow network copy)."""
    data = open(src, "rb").read()
    step = len(data) // chunks + 1
    with open(dst, "wb") as f:
        for i in range(0, len(data), step):
            f.write(data[i:i + step])
            f.flush()
            time.sleep(pause)


def report(out):
    with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
        return json.load(f)


def comparable(rep, root):
    """report.json's files by path below `root`, without time stamps and output folders."""
    files = {}
    for f in rep["files"]:
        rel = os.path.relpath(f["input"], root)
        files[rel] = {
            "mapping": f["mapping"], "status": f["status"], "as_of": f["as_of"], "error": f["error"],
            "counts": f["counts"], "outputs": sorted(f["outputs"]),
            "findings": [(x["rule"], x["severity"], x["sheet"], x["cell"], x["message"], x.get("count", 1))
                         for x in f["findings"]],
        }
    return files


def compare_with_convert(out, inbox, what):
    want_dir = os.path.join(h.work, "convert-" + os.path.basename(out))
    shutil.rmtree(want_dir, ignore_errors=True)
    h.run("convert", inbox, "-o", want_dir, "--as-of", AS_OF, "--fail-on", "never", "-q")
    got, want = report(out), report(want_dir)
    got_files, want_files = comparable(got, inbox), comparable(want, inbox)
    h.equal(sorted(got_files), sorted(want_files), f"{what}: the returns in report.json are convert's")
    for rel in want_files:
        h.equal(got_files.get(rel), want_files[rel], f"{what}: {rel} as convert reports it")
    # convert lists Office lock files and partial downloads among its skipped paths; the drop
    # folder waits for those to become whole returns, so its own list leaves them out.
    transient = ("~$", ".crdownload", ".part", ".tmp")
    want_skipped = sorted(s["path"] for s in want.get("skipped", [])
                          if not any(t in os.path.basename(s["path"]) for t in transient))
    h.equal(sorted(s["path"] for s in got.get("skipped", [])), want_skipped, f"{what}: report.json's skipped list is convert's")
    h.equal({k: v for k, v in got["summary"].items() if k != "skipped"},
            {k: v for k, v in want["summary"].items() if k != "skipped"}, f"{what}: report.json's summary is convert's")
    h.equal(got["summary"]["skipped"], len(got.get("skipped", [])), f"{what}: summary.skipped counts its list")
    # Each output named in the report exists, below OUT where convert put its own.
    for f in got["files"]:
        for kind, path in f["outputs"].items():
            h.check(os.path.isfile(path), f"{what}: the {kind} output {path} exists")
    return got


def no_half_files(out, what):
    leftovers = []
    for root, dirs, files in os.walk(out):
        leftovers += [os.path.join(root, n) for n in files if ".tmp-" in n]
    h.equal(leftovers, [], f"{what}: no temporary files left in OUT")
    import openpyxl
    for root, dirs, files in os.walk(out):
        for n in files:
            path = os.path.join(root, n)
            if n.endswith(".xlsx"):
                try:
                    openpyxl.load_workbook(path, read_only=True).close()
                    ok = True
                except Exception as e:  # noqa: BLE001
                    ok = False
                    print(e)
                h.check(ok, f"{what}: {path} opens with openpyxl")
            elif n.endswith(".xml") or n.endswith(".json"):
                if n.endswith(".xml"):
                    rc = subprocess.run(["xmllint", "--noout", path], capture_output=True).returncode
                else:
                    try:
                        json.load(open(path, encoding="utf-8"))
                        rc = 0
                    except ValueError:
                        rc = 1
                h.equal(rc, 0, f"{what}: {path} is whole")


# --- inotify: one by one ---------------------------------------------------------------------
inbox = os.path.join(h.work, "inbox")
out = os.path.join(h.work, "out")
os.makedirs(inbox)
w = Watch(inbox, out)
h.check(w.wait_line("watching"), "watch says it is watching: " + " | ".join(w.lines))

shutil.copy(sample("portfolio-plan-quarterly.xlsx"), inbox)
h.check(w.wait_line("converted portfolio-plan-quarterly.xlsx"), "a copied return is converted")

os.makedirs(os.path.join(inbox, "adult-care"))  # a subfolder made while watching
slow_copy(sample("indicator-table.xlsx"), os.path.join(inbox, "adult-care", "indicators.xlsx"))
slow_copy(sample("budget-monitoring.csv"), os.path.join(inbox, "budget.csv"), chunks=2)
with open(os.path.join(inbox, "notes.txt"), "w") as f:
    f.write("please call me about the Q2 return\n")
data = open(sample("contracts-register.xlsx"), "rb").read()
with open(os.path.join(inbox, "adult-care", "broken.xlsx"), "wb") as f:
    f.write(data[: len(data) // 2])  # a truncated zip
shutil.copy(sample("budget-monitoring.xlsx"), os.path.join(inbox, "~$budget.xlsx"))           # Office lock file
shutil.copy(sample("budget-monitoring.xlsx"), os.path.join(inbox, "download.xlsx.crdownload"))  # partial download
h.check(w.wait_line("converted adult-care/indicators.xlsx"), "a slowly copied return in a new subfolder is converted")
h.check(w.wait_line("converted budget.csv"), "a slowly copied csv is converted")
h.check(w.wait_line("skipped notes.txt: not a spreadsheet"), "a non-spreadsheet is reported as skipped")
h.check(w.wait_line("failed adult-care/broken.xlsx"), "a truncated zip fails with a reason")
# Each slowly copied file was taken once, whole (not as its first chunk).
h.equal(sum("adult-care/indicators.xlsx" in l for l in w.lines), 1, "the slow copy was taken once")

# A resubmission with other content replaces the earlier result.
shutil.copy(sample("indicator-table-mistakes.xlsx"), os.path.join(inbox, "adult-care", "indicators.xlsx"))
h.check(w.wait_line("converted adult-care/indicators.xlsx (replacing the earlier result)"),
        "a resubmitted return is converted again")
time.sleep(0.5)
rep = compare_with_convert(out, inbox, "inotify")
h.equal([s["path"] for s in rep.get("skipped", [])], [os.path.join(inbox, "notes.txt")],
        "report.json lists the non-spreadsheet (and nothing else) as skipped")
h.check(all("not a spreadsheet" in s["reason"] for s in rep.get("skipped", [])), "the skip says 'not a spreadsheet'")
h.check(not any("~$" in l or "crdownload" in l for l in w.lines), "the lock file and the partial download are not taken")
html = open(os.path.join(out, "report.html"), encoding="utf-8").read()
h.check("notes.txt" in html and "indicators.xlsx" in html, "report.html names every return and the skipped file")
first_run_lines = list(w.lines)

# --- restart: nothing redone, nothing missed ---------------------------------------------------
rc, took = w.stop()
h.equal(rc, 128 + signal.SIGTERM, "watch exits 143 on SIGTERM")
h.check(took < 3, f"watch stops within seconds of SIGTERM ({took:.1f} s)")
mtimes = {}
for f in report(out)["files"]:
    for path in f["outputs"].values():
        mtimes[path] = os.stat(path).st_mtime_ns
# While it is down: one return arrives, one is withdrawn.
shutil.copy(sample("contracts-register.ods"), os.path.join(inbox, "contracts.ods"))
os.remove(os.path.join(inbox, "budget.csv"))
w = Watch(inbox, out)
h.check(w.wait_line("converted contracts.ods"), "a return that arrived while watch was down is converted at restart")
h.check(w.wait_line("removed budget.csv"), "a return deleted while watch was down leaves the report")
time.sleep(1.5)
redone = [l for l in w.lines if "converted" in l and "contracts.ods" not in l]
h.equal(redone, [], "the restart converts nothing already done")
for path, mtime in mtimes.items():
    if "budget" in os.path.basename(path):
        h.check(not os.path.exists(path), f"the withdrawn return's output {path} is removed")
    else:
        h.equal(os.stat(path).st_mtime_ns, mtime, f"{path} is not rewritten by the restart")
compare_with_convert(out, inbox, "after restart")

# --- SIGTERM with returns in hand --------------------------------------------------------------
for name in ("portfolio-plan-half-year.xlsx", "contracts-register-mistakes.xlsx", "budget-monitoring-mistakes.xlsx",
             "improvement-action-plan.xlsx", "indicator-table.csv", "portfolio-plan-quarterly.ods"):
    shutil.copy(sample(name), os.path.join(inbox, "batch-" + name))
time.sleep(0.6)  # past the settling time: the returns are being converted
rc, took = w.stop()
h.equal(rc, 128 + signal.SIGTERM, "watch exits 143 on SIGTERM mid-batch")
h.check(took < 3, f"watch stops within seconds of SIGTERM mid-batch ({took:.1f} s)")
no_half_files(out, "after SIGTERM mid-batch")
w = Watch(inbox, out, "-j", "2")
h.check(w.wait_line("watching"), "watch restarts")
deadline = time.time() + 30
while time.time() < deadline and len(report(out)["files"]) < 10:
    time.sleep(0.2)
time.sleep(1)
compare_with_convert(out, inbox, "after SIGTERM and restart")
rc, took = w.stop(signal.SIGINT)
h.equal(rc, 128 + signal.SIGINT, "watch exits 130 on SIGINT")
no_half_files(out, "after SIGINT")

# --- polling (network shares) ------------------------------------------------------------------
inbox = os.path.join(h.work, "share")
out = os.path.join(h.work, "share-out")
os.makedirs(os.path.join(inbox, "north"))
shutil.copy(sample("indicator-table.csv"), inbox)  # there before the start
w = Watch(inbox, out, "--poll", "1")
h.check(w.wait_line("looking every 1 second"), "watch --poll says it polls")
slow_copy(sample("portfolio-plan-quarterly.xlsx"), os.path.join(inbox, "north", "plan.xlsx"), chunks=3, pause=0.6)
h.check(w.wait_line("converted north/plan.xlsx", timeout=15), "--poll converts a slowly copied return")
h.check(w.wait_line("converted indicator-table.csv", timeout=10), "--poll converts what was there at the start")
h.equal(sum("north/plan.xlsx" in l for l in w.lines), 1, "--poll takes a slow copy once, whole")
os.remove(os.path.join(inbox, "indicator-table.csv"))
h.check(w.wait_line("removed indicator-table.csv", timeout=10), "--poll notices a deletion")
compare_with_convert(out, inbox, "--poll")
rc, took = w.stop()
h.check(took < 3, f"watch --poll stops within seconds of SIGTERM ({took:.1f} s)")
h.check(all(l.startswith("planconv watch: ") for l in first_run_lines + w.lines),
        "every stderr line is one event line")

h.finish()
