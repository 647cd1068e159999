"""scripts/bench: wall time and peak memory of `planconv validate` and `planconv convert` on a
large half-year action plan, next to the floor (inflate every part + stream-parse the sheet and
shared strings) and the installed peer readers, as ratios against the SPEC §11 targets."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

ap = argparse.ArgumentParser(description=__doc__)
ap.add_argument("--planconv", required=True)
ap.add_argument("--work", required=True)
ap.add_argument("--rows", type=int, default=50000)
ap.add_argument("--skip-peers", action="store_true")
ap.add_argument("--skip-batch", action="store_true")
args = ap.parse_args()
os.makedirs(args.work, exist_ok=True)
here = os.path.dirname(os.path.abspath(__file__))
maker = os.path.join(here, "..", "tests", "tools", "make_big_workbook.py")


def workbook(rows):
    path = os.path.join(args.work, f"half-year-{rows}.xlsx")
    if not os.path.exists(path):
        subprocess.run(["/usr/bin/python3", maker, "--rows", str(rows), path], check=True)
    return path


def measure(cmd, shell=False):
    """(wall seconds, peak RSS MiB) of one command, through GNU time."""
    t = tempfile.NamedTemporaryFile(delete=False)
    t.close()
    full = ["/usr/bin/time", "-v", "-o", t.name] + (["sh", "-c", cmd] if shell else cmd)
    start = time.perf_counter()
    proc = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    text = open(t.name).read()
    os.unlink(t.name)
    if proc.returncode not in (0, 1):
        print(f"  ! {' '.join(cmd) if not shell else cmd} exited {proc.returncode}: {proc.stderr[-500:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
    return wall, rss


def best_of(n, cmd, shell=False):
    runs = [measure(cmd, shell) for _ in range(n)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def floor(path):
    """unzip -p of every part, plus xmllint --stream over the sheet and shared strings."""
    parts = os.path.join(args.work, "parts")
    shutil.rmtree(parts, ignore_errors=True)
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml"]
        z.extractall(parts, names)
    files = " ".join(os.path.join(parts, n) for n in names if n.endswith(".xml"))
    inflate, _ = best_of(3, f"unzip -p {path} > /dev/null", shell=True)
    parse, _ = best_of(3, f"xmllint --stream --noout {files}", shell=True)
    return inflate + parse


def report(rows):
    path = workbook(rows)
    out = os.path.join(args.work, "out")
    f = floor(path)
    v = best_of(3, [args.planconv, "validate", "-m", "portfolio-plan-half-year", path, "-o", out, "--no-progress", "-q"])
    c = best_of(3, [args.planconv, "convert", "-m", "portfolio-plan-half-year", path, "-o", out, "--no-progress", "-q"])
    print(f"{rows} action rows ({os.path.getsize(path) / 1e6:.1f} MB xlsx)")
    print(f"  floor (unzip -p + xmllint --stream)   {f:7.2f} s")
    print(f"  planconv validate                     {v[0]:7.2f} s  {v[0] / f:5.2f} x floor (target <= 1.5)  peak {v[1]:6.1f} MB")
    print(f"  planconv convert                      {c[0]:7.2f} s  {c[0] / f:5.2f} x floor (target <= 2.5)  peak {c[1]:6.1f} MB (target <= 150)")
    if not args.skip_peers:
        peers = []
        if shutil.which("xlsx2csv"):
            peers.append(("xlsx2csv", ["xlsx2csv", path, "/dev/null"]))
        peers.append(("openpyxl read-only", ["/usr/bin/python3", "-c",
                      "import openpyxl,sys\nwb=openpyxl.load_workbook(sys.argv[1],read_only=True)\n"
                      "for ws in wb.worksheets:\n for r in ws.iter_rows(values_only=True): pass", path]))
        if shutil.which("ssconvert"):
            peers.append(("ssconvert (to csv)", ["ssconvert", path, os.path.join(args.work, "peer.csv")]))
        for name, cmd in peers:
            w, rss = best_of(1, cmd)
            print(f"  peer {name:33s} {w:7.2f} s  {w / f:5.2f} x floor  (validate is {w / v[0]:5.1f} x faster)  peak {rss:6.1f} MB")
    return v[0], c[0]


v1, c1 = report(args.rows)
v2, c2 = report(args.rows * 2)
print(f"scaling {args.rows} -> {args.rows * 2} rows: validate x{v2 / v1:.2f}, convert x{c2 / c1:.2f} (linear = 2.0)")

if not args.skip_batch:
    batch = os.path.join(args.work, "batch")
    if not os.path.isdir(batch):
        os.makedirs(batch)
        small = workbook(60)
        for i in range(1000):
            os.link(small, os.path.join(batch, f"return-{i:04d}.xlsx"))
    w, rss = best_of(1, [args.planconv, "convert", batch, "-o", os.path.join(args.work, "batch-out"), "-j", "2",
                         "--no-progress", "-q", "--fail-on", "never"])
    print(f"batch of 1000 returns of ~60 rows, -j 2: {w:.2f} s (target <= 10)  peak {rss:.1f} MB")
