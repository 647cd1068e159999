"""scripts/bench: wall time and peak memory of `planconv validate` and `planconv convert` on large
half-year action plans, next to what the machine can do at all (SPEC §11):

- read floor: inflate every part (`unzip -p`) + stream-parse the worksheets and shared strings
  (`xmllint --stream --noout`);
- write floor: deflate the parts of the cleaned workbook convert actually wrote at the level
  libxlsxwriter uses (`zip -6`), plus writing the XML's bytes (`cp`);
- the installed peer readers (xlsx2csv, openpyxl read-only, ssconvert), which only read.

Two workbooks (short texts; seed-length texts with Excel-style shared strings), each at N and
2N rows, and a batch of 1,000 small returns, with its write floor (one zip -6 over every cleaned
workbook's parts, plus the XMLs' bytes). Shared machines drift in speed from one minute to
the next, so the floors and planconv are timed in rounds, one after the other within a round,
and each ratio is the median of the rounds' ratios (times shown are medians too, peak memory the
largest); --runs rounds. Printed with each target."""
import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import zipfile

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--planconv", required=True)
ap.add_argument("--work", required=True)
ap.add_argument("--rows", type=int, default=50000, help="rows of the smaller workbooks (the larger have twice)")
ap.add_argument("--runs", type=int, default=3, help="rounds per workbook (medians are kept)")
ap.add_argument("--skip-peers", action="store_true")
ap.add_argument("--skip-batch", action="store_true")
ap.add_argument("--skip-long", action="store_true", help="only the short-text workbook")
args = ap.parse_args()
args.work = os.path.abspath(args.work)  # the write floor zips from inside the unpacked parts
os.makedirs(args.work, exist_ok=True)
here = os.path.dirname(os.path.abspath(__file__))
maker = os.path.join(here, "..", "tests", "tools", "make_big_workbook.py")
TARGETS = {"validate": 1.3, "convert": 1.5, "rss": 100.0, "scaling": 2.1, "batch": 3.0}


def workbook(rows, long_texts):
    path = os.path.join(args.work, f"half-year-{rows}{'-long' if long_texts else ''}.xlsx")
    if not os.path.exists(path):
        subprocess.run(["/usr/bin/python3", maker, "--rows", str(rows), *(["--long-texts"] if long_texts else []), path],
                       check=True)
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
        print(f"  ! {cmd if shell else ' '.join(cmd)} exited {proc.returncode}: {proc.stderr[-500:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
    return wall, rss


def read_floor_command(path):
    parts = os.path.join(args.work, "read-parts")
    shutil.rmtree(parts, ignore_errors=True)
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml"]
        z.extractall(parts, names)
    files = " ".join(os.path.join(parts, n) for n in names if n.endswith(".xml"))
    return f"unzip -p {path} > /dev/null && xmllint --stream --noout {files}"


def write_floor_command(cleaned, xml):
    """zip -6 of the cleaned workbook's unpacked parts + writing the XML's bytes."""
    parts = os.path.join(args.work, "write-parts")
    shutil.rmtree(parts, ignore_errors=True)
    with zipfile.ZipFile(cleaned) as z:
        z.extractall(parts)
    target = os.path.join(args.work, "write-floor.zip")
    return f"rm -f {target} && (cd {parts} && zip -q -6 -r {target} .) && cp {xml} {args.work}/write-floor.xml"


def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def outputs_of(out):
    with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
        entry = json.load(f)["files"][0]
    return entry["outputs"]["workbook"], entry["outputs"]["xml"]


def ratio_line(label, seconds, ratio, target, rss, rss_target=True):
    verdict = "ok" if ratio <= target else "over"
    mem = f"peak {rss:6.1f} MB" + (f" ({'ok' if rss <= TARGETS['rss'] else 'over'} <= {TARGETS['rss']:.0f})" if rss_target else "")
    print(f"  {label:38s} {seconds:7.2f} s  {ratio:5.2f} x  (target <= {target}: {verdict})  {mem}")


def report(rows, long_texts, peers):
    path = workbook(rows, long_texts)
    out = os.path.join(args.work, "out")
    shutil.rmtree(out, ignore_errors=True)
    common = ["-m", "portfolio-plan-half-year", path, "-o", out, "--no-progress", "-q", "--as-of", "2016-11-30"]
    measure([args.planconv, "convert", *common])  # the outputs the write floor is made from
    cleaned, xml = outputs_of(out)
    read_cmd, write_cmd = read_floor_command(path), write_floor_command(cleaned, xml)
    rounds = []
    for _ in range(args.runs):
        rf = measure(read_cmd, shell=True)[0]
        v = measure([args.planconv, "validate", *common])
        c = measure([args.planconv, "convert", *common])
        wf = measure(write_cmd, shell=True)[0]
        rounds.append((rf, wf, v, c))
    rf = median(r[0] for r in rounds)
    wf = median(r[1] for r in rounds)
    v = (median(r[2][0] for r in rounds), max(r[2][1] for r in rounds))
    c = (median(r[3][0] for r in rounds), max(r[3][1] for r in rounds))
    v_ratio = median(r[2][0] / r[0] for r in rounds)
    c_ratio = median(r[3][0] / (r[0] + r[1]) for r in rounds)
    kind = "seed-length texts" if long_texts else "short texts"
    print(f"{rows} action rows, {kind} ({os.path.getsize(path) / 1e6:.1f} MB xlsx; cleaned workbook "
          f"{os.path.getsize(cleaned) / 1e6:.1f} MB, XML {os.path.getsize(xml) / 1e6:.1f} MB; {args.runs} rounds)")
    print(f"  read floor (unzip -p + xmllint --stream)  {rf:7.2f} s")
    print(f"  write floor (zip -6 + XML bytes)          {wf:7.2f} s")
    ratio_line("planconv validate / read floor", v[0], v_ratio, TARGETS["validate"], v[1], rows <= 50000)
    ratio_line("planconv convert / (read + write floor)", c[0], c_ratio, TARGETS["convert"], c[1], rows <= 50000)
    if peers:
        candidates = []
        if shutil.which("xlsx2csv"):
            candidates.append(("xlsx2csv", ["xlsx2csv", path, "/dev/null"]))
        candidates.append(("openpyxl read-only", ["/usr/bin/python3", "-c",
                           "import openpyxl,sys\nwb=openpyxl.load_workbook(sys.argv[1],read_only=True)\n"
                           "for ws in wb.worksheets:\n for r in ws.iter_rows(values_only=True): pass", path]))
        if shutil.which("ssconvert"):
            candidates.append(("ssconvert (to csv)", ["ssconvert", path, os.path.join(args.work, "peer.csv")]))
        for name, cmd in candidates:
            w, rss = measure(cmd)
            print(f"  peer {name:33s} {w:7.2f} s  {w / rf:5.2f} x read floor  (validate is {w / v[0]:4.1f} x faster)  "
                  f"peak {rss:6.1f} MB")
    return v[0], c[0]


for long_texts in ([False] if args.skip_long else [False, True]):
    v1, c1 = report(args.rows, long_texts, peers=not args.skip_peers)
    v2, c2 = report(args.rows * 2, long_texts, peers=False)
    kind = "seed-length texts" if long_texts else "short texts"
    print(f"scaling {args.rows} -> {args.rows * 2} rows ({kind}): validate x{v2 / v1:.2f}, convert x{c2 / c1:.2f} "
          f"(target <= {TARGETS['scaling']})")
    print()

if not args.skip_batch:
    batch = os.path.join(args.work, "batch")
    if not os.path.isdir(batch):
        os.makedirs(batch)
        small = workbook(60, False)
        for i in range(1000):
            os.link(small, os.path.join(batch, f"return-{i:04d}.xlsx"))
    out = os.path.join(args.work, "batch-out")
    for command in ("validate", "convert"):
        runs = [measure([args.planconv, command, batch, "-o", out, "-j", "2", "--no-progress", "-q", "--fail-on", "never",
                         "--as-of", "2016-11-30"]) for _ in range(args.runs)]
        w, rss = median(r[0] for r in runs), max(r[1] for r in runs)
        print(f"batch of 1000 returns of ~60 rows, {command} -j 2: {w:.2f} s "
              f"(target <= {TARGETS['batch']:.0f}: {'ok' if w <= TARGETS['batch'] else 'over'})  peak {rss:.1f} MB")
    # The batch's write floor, as for one workbook: every cleaned workbook's parts deflated by
    # one zip -6 (no process per file), plus the XMLs' bytes; one core's work.
    parts = os.path.join(args.work, "batch-write-parts")
    shutil.rmtree(parts, ignore_errors=True)
    books = sorted(f for f in os.listdir(out) if f.endswith(".cleaned.xlsx"))
    for f in books:
        with zipfile.ZipFile(os.path.join(out, f)) as z:
            z.extractall(os.path.join(parts, f))
    count = sum(len(files) for _, _, files in os.walk(parts))
    target = os.path.join(args.work, "batch-write-floor.zip")
    floor = median(measure(f"rm -f {target} && (cd {parts} && zip -q -6 -r {target} .) && "
                           f"cat {out}/*.xml > {args.work}/batch-write-floor.xml", shell=True)[0] for _ in range(args.runs))
    print(f"  batch write floor (zip -6 of the {len(books)} cleaned workbooks' {count:,} parts + XML bytes, one core): "
          f"{floor:.2f} s")
    shutil.rmtree(parts, ignore_errors=True)
