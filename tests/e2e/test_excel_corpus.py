# ctest-labels: reader
"""Conformance of the xlsx reader against 742 workbooks saved by Microsoft Excel.

For every file in SHARED/corpus/excel-made/, `planconv inspect --cells FILE` must succeed and
print exactly what openpyxl reads from the same file (tests/tools/openpyxl_cells.py prints
openpyxl's view in the same format). The only differences allowed are listed below, each with
its reason, and each is checked to be exactly that difference: the listed correction is applied
to openpyxl's lines and the result must then equal planconv's. A listed file that no longer
differs fails the test too, so the list cannot go stale.

Prints "742 read, N equal, M listed differences".
"""
import concurrent.futures
import os
import re
import subprocess
import sys
import time

from harness import Harness

# --- differences we expect, and why ---------------------------------------------------------


def decode_x_escapes(line):
    """openpyxl leaves ECMA-376 escapes (_x000D_, _x0014_) as literal text; Excel, and planconv,
    decode them into the character they stand for."""
    def char(m):
        code = int(m.group(1), 16)
        named = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r", 0x5C: "\\\\"}
        if code in named:
            return named[code]
        if code < 0x20 or code == 0x7F:
            return f"\\x{code:02x}"
        return chr(code)
    return re.sub(r"_x([0-9A-Fa-f]{4})_", char, line)


X_ESCAPES = ("openpyxl does not decode _xHHHH_ escapes in strings (ECMA-376 Part 1, 22.9.2.19 "
             "ST_Xstring); Excel shows the character", decode_x_escapes)

# file -> (reason, correction applied to each openpyxl line)
LISTED = {
    "shared_strings01.xlsx": X_ESCAPES,  # every ASCII control character, escaped by Excel
    "optimize06.xlsx": X_ESCAPES,        # the same, as inline strings
    "gh42_01.xlsx": X_ESCAPES,           # "图_x0014_图"
}

# --- running both readers --------------------------------------------------------------------

_tools = None


def _init_worker(source):
    global _tools
    sys.path.insert(0, os.path.join(source, "tests", "tools"))
    import openpyxl_cells  # noqa: E402  (imported once per worker: openpyxl is slow to import)
    _tools = openpyxl_cells


def _compare(planconv, path):
    """Runs in a pool worker, which has no Harness: planconv's and openpyxl's readings of one file."""
    proc = subprocess.run([planconv, "inspect", "--cells", path], capture_output=True, timeout=60)
    try:
        theirs = "".join(_tools.cell_lines(path))
        their_error = None
    except Exception as e:  # openpyxl failing is worth reporting, not a crash of the test
        theirs, their_error = None, f"{type(e).__name__}: {e}"
    return os.path.basename(path), proc.returncode, proc.stdout.decode("utf-8", "surrogateescape"), \
        proc.stderr.decode("utf-8", "replace").strip(), theirs, their_error


def main():
    h = Harness(__doc__, options=lambda parser: parser.add_argument("--jobs", type=int, default=2), keep_work=True)
    corpus = os.path.join(h.shared, "corpus", "excel-made")
    if not h.check(os.path.isdir(corpus),
                   f"the Excel-made corpus is missing: {corpus} does not exist.\n"
                   f"It comes with the shared/ folder beside the checkout (pass -DPLANCONV_SHARED_DIR=... to cmake)."):
        h.finish()
    files = sorted(os.path.join(corpus, f) for f in os.listdir(corpus) if f.endswith(".xlsx"))

    started = time.monotonic()
    verdicts, equal, listed, read = [], 0, 0, 0  # per file, in order: its problem, or None when it passes
    with concurrent.futures.ProcessPoolExecutor(h.args.jobs, initializer=_init_worker,
                                                initargs=(h.source,)) as pool:
        results = pool.map(_compare, [h.planconv] * len(files), files, chunksize=8)
        for name, rc, ours, err, theirs, their_error in results:
            if rc != 0:
                verdicts.append(f"{name}: planconv failed (exit {rc}): {err}")
                continue
            read += 1
            if their_error:
                verdicts.append(f"{name}: openpyxl cannot read it ({their_error}); list it with a reason")
                continue
            if ours == theirs:
                if name in LISTED:
                    verdicts.append(f"{name}: listed as a difference but now equal; remove it from LISTED")
                else:
                    equal += 1
                    verdicts.append(None)
                continue
            if name not in LISTED:
                verdicts.append(f"{name}: differs from openpyxl\n" + first_difference(ours, theirs, h.work, name))
                continue
            reason, correct = LISTED[name]
            corrected = "".join(correct(line) for line in theirs.splitlines(keepends=True))
            if corrected != ours:
                verdicts.append(f"{name}: differs beyond the listed reason ({reason})\n" +
                                first_difference(ours, corrected, h.work, name))
                continue
            listed += 1
            verdicts.append(None)

    print(f"{read} read, {equal} equal, {listed} listed differences "
          f"({len(files)} files, {time.monotonic() - started:.0f} s)")
    for name in sorted(LISTED):
        print(f"  listed: {name}: {LISTED[name][0]}")
    for problem in verdicts:
        h.check(problem is None, problem)
    h.finish()


def first_difference(ours, theirs, work, name):
    """The first differing line of each, and where the full outputs were saved."""
    base = os.path.join(work, name)
    with open(base + ".planconv.txt", "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(ours)
    with open(base + ".openpyxl.txt", "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(theirs)
    a, b = ours.splitlines(), theirs.splitlines()
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else "(no line)"
        y = b[i] if i < len(b) else "(no line)"
        if x != y:
            return f"    line {i + 1}\n    planconv: {x[:200]}\n    openpyxl: {y[:200]}\n    (full outputs in {base}.*.txt)"
    return "    (outputs differ only in line endings)"


if __name__ == "__main__":
    main()
