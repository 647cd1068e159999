"""Memory per row (issue 11, point 6): validating a large action plan costs under 1 KB of peak
memory a row beyond its text, and its text once. Each cell's text is held by the workbook's
string pool only; the mapped document refers to it rather than copying it (short rows used to
take about 1.6 KB, the text held twice).

The cost a row is the growth of peak RSS between two sizes, so the process's fixed memory
(mappings, libraries) does not count."""
import os
import re
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import Harness

h = Harness(__doc__)
make = os.path.join(h.source, "tests", "tools", "make_big_workbook.py")
SMALL, LARGE = 10000, 40000
LIMIT = 1024  # bytes a row


def workbook(rows, long_texts):
    path = os.path.join(h.work, f"plan-{rows}{'-long' if long_texts else ''}.xlsx")
    subprocess.run(["/usr/bin/python3", make, "--rows", str(rows), *(["--long-texts"] if long_texts else []), path],
                   check=True, timeout=600)
    return path


def text_bytes(path):
    """The bytes of the workbook's shared strings, as their XML holds them (a little over the text)."""
    with zipfile.ZipFile(path) as z:
        return z.getinfo("xl/sharedStrings.xml").file_size


def peak_kb(path):
    p = subprocess.run(["/usr/bin/time", "-f", "PEAK %M", h.planconv, "validate", path, "-m", "portfolio-plan-half-year",
                        "--fail-on", "never", "-q", "--report", os.path.join(h.work, "report.json")],
                       capture_output=True, text=True, timeout=600)
    h.equal(p.returncode, 0, f"validate {os.path.basename(path)}: {p.stderr.strip()}")
    m = re.search(r"PEAK (\d+)", p.stderr)
    return int(m.group(1)) if m else 0


for long_texts in (False, True):
    kind = "seed-length texts" if long_texts else "short texts"
    paths = workbook(SMALL, long_texts), workbook(LARGE, long_texts)
    small, large = peak_kb(paths[0]), peak_kb(paths[1])
    per_row = (large - small) * 1024 / (LARGE - SMALL)
    text = (text_bytes(paths[1]) - text_bytes(paths[0])) / (LARGE - SMALL)
    print(f"{kind}: peak {small} KB at {SMALL} rows, {large} KB at {LARGE} rows: {per_row:.0f} bytes a row, "
          f"of which the text is about {text:.0f}")
    h.check(small > 0 and large > small, f"{kind}: peak memory was measured ({small} KB, {large} KB)")
    h.check(per_row < text + LIMIT, f"{kind}: {per_row:.0f} bytes a row, under the text ({text:.0f}) + {LIMIT}")
h.finish()
