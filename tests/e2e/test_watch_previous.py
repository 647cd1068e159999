"""`planconv watch INBOX -o OUT --previous FOLDER`: a return dropped in the inbox is compared with
its previous return found in FOLDER (by mapping and plan title) and OUT/report.json carries the
PREV-* findings samples/expected-findings.json lists for it, and says what it was compared with."""
# ctest-labels: e2e
import json
import os
import shutil
import signal
import subprocess
import time

from harness import Harness

h = Harness(__doc__)
expected = json.load(open(os.path.join(h.samples, "expected-findings.json"), encoding="utf-8"))["previous"]
name = "portfolio-plan-quarterly.xlsx"
inbox, out = os.path.join(h.work, "inbox"), os.path.join(h.work, "out")
os.makedirs(inbox)
proc = subprocess.Popen([h.planconv, "watch", inbox, "-o", out, "--as-of", "2020-12-31", "--poll", "1",
                         "--previous", os.path.join(h.samples, "previous")],
                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
try:
    shutil.copy(os.path.join(h.samples, name), os.path.join(inbox, name))
    report, deadline = None, time.time() + 60
    while time.time() < deadline:
        path = os.path.join(out, "report.json")
        if os.path.exists(path):
            report = json.load(open(path, encoding="utf-8"))
            if report["files"]:
                break
        time.sleep(0.3)
finally:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
if h.check(report and report["files"], "watch converted the dropped return"):
    f = report["files"][0]
    got = sorted((x["rule"], x["severity"], x["cell"], x["record"]) for x in f["findings"] if x["rule"].startswith("PREV-"))
    want = sorted((x["rule"], x["severity"], x["cell"], x["record"]) for x in expected[name]["findings"])
    h.equal(got, want, "watch --previous: the planted PREV findings")
    h.equal((os.path.basename(f["previous"]["file"] or ""), f["previous"]["paired"]),
            (os.path.basename(expected[name]["previous"]), "by mapping and plan title"),
            "watch --previous: report.json says what it was compared with")
h.finish()
