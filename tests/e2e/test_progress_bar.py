"""The progress bar on stderr (`--progress`) fits the terminal's width (here $COLUMNS, since the
test's stderr is a pipe): every redraw is at most COLUMNS - 1 characters, so a narrow terminal
never wraps it into a line per update, and a name with accented letters is cut between
letters, never inside one."""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Harness

h = Harness(__doc__)
inbox = os.path.join(h.work, "inbox")
os.makedirs(inbox)
long_name = "Rapport trimestriel de la santé publique — services aux adultes, Q2 2016-17.xlsx"
shutil.copy(os.path.join(h.samples, "indicator-table.xlsx"), os.path.join(inbox, long_name))
shutil.copy(os.path.join(h.samples, "budget-monitoring.xlsx"), os.path.join(inbox, "budget.xlsx"))

for columns in (30, 50, 79, 120):
    env = dict(os.environ, COLUMNS=str(columns))
    proc = subprocess.run([h.planconv, "validate", inbox, "-o", os.path.join(h.work, f"out{columns}"),
                           "--progress", "-j", "1"], capture_output=True, env=env, timeout=120)
    h.check(proc.returncode in (0, 1), f"COLUMNS={columns}: validate exits 0 or 1, got {proc.returncode}")
    try:
        err = proc.stderr.decode("utf-8")
    except UnicodeDecodeError as e:
        h.check(False, f"COLUMNS={columns}: stderr is not valid UTF-8 (a name cut inside a letter): {e}")
        continue
    draws = [d.replace("\x1b[K", "") for d in err.split("\r")]
    draws = [d for d in draws if d.startswith("[") or "/2" in d]
    h.check(len(draws) >= 2, f"COLUMNS={columns}: the bar was drawn for each file ({len(draws)} draws)")
    for d in draws:
        line = d.split("\n")[0]
        h.check(len(line) <= columns - 1, f"COLUMNS={columns}: a redraw of {len(line)} characters: {line!r}")
    if columns >= 79:
        h.check(any("santé" in d or "Q2 2016-17.xlsx" in d for d in draws),
                f"COLUMNS={columns}: the long name's end is shown: {draws}")
h.finish()
