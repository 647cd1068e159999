"""A run's memory budget (issue 11, point 6): the files being read share `--memory-budget`, so
`-j 2` over two large workbooks whose needs do not fit together reads them one after the other
and peaks at about one file's memory, not two; a file that alone needs more than the budget is
reported as failed with the budget named, and the others are still processed."""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Harness

h = Harness(__doc__)
make = os.path.join(h.source, "tests", "tools", "make_big_workbook.py")
big = [os.path.join(h.work, f"big{k}.xlsx") for k in (1, 2)]
for k, path in enumerate(big):
    subprocess.run(["/usr/bin/python3", make, "--rows", "20000", "--seed", str(k + 1), path], check=True, timeout=300)


def peak_kb(*args):
    """Runs planconv under /usr/bin/time; returns (exit code, peak RSS in KB, stderr)."""
    p = subprocess.run(["/usr/bin/time", "-f", "PEAK %M", h.planconv, *args], capture_output=True, text=True, timeout=300)
    m = re.search(r"PEAK (\d+)", p.stderr)
    return p.returncode, int(m.group(1)) if m else 0, p.stderr


common = ["validate", *big, "-m", "portfolio-plan-half-year", "-j", "2", "--fail-on", "never", "-q"]
rc_free, free, err = peak_kb(*common, "--report", os.path.join(h.work, "free.json"), "--memory-budget", "100000")
h.equal(rc_free, 0, f"both read side by side under a large budget: {err}")
# Each file's estimate is about 4 times its XML; a budget under the two together serialises them.
rc_one, one, err = peak_kb(*common, "--report", os.path.join(h.work, "one.json"), "--memory-budget", "60")
h.equal(rc_one, 0, f"both read one after the other under a budget for one: {err}")
print(f"peak RSS: {free} KB side by side, {one} KB with --memory-budget 60")
h.check(0 < one < 0.85 * free, f"the budget keeps -j 2 near one file's peak ({one} KB against {free} KB)")
with open(os.path.join(h.work, "one.json"), encoding="utf-8") as f:
    h.equal([x["status"] for x in json.load(f)["files"]], ["converted", "converted"], "both files were checked")

small = os.path.join(h.samples, "portfolio-plan-half-year.xlsx")
rc, _, err = peak_kb("validate", big[0], small, "--report", os.path.join(h.work, "tight.json"), "--memory-budget", "5",
                     "--fail-on", "never")
h.equal(rc, 3, f"a file over the whole budget makes the run exit 3: {err}")
lines = [l for l in err.splitlines() if "big1.xlsx" in l]
h.check(len(lines) == 1 and "memory budget of 5 MB" in lines[0] and "--memory-budget" in lines[0],
        f"one line names the file and the budget: {lines}")
with open(os.path.join(h.work, "tight.json"), encoding="utf-8") as f:
    files = {os.path.basename(x["input"]): x for x in json.load(f)["files"]}
h.equal(files["big1.xlsx"]["status"], "failed", "the file over the budget is failed in the report")
h.check("memory budget" in files["big1.xlsx"]["error"], "with the reason")
h.equal(files["portfolio-plan-half-year.xlsx"]["status"], "converted", "the small return is still checked")
h.finish()
