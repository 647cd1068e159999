"""Every `$ build/planconv …` example in README.md runs, in order, from a folder laid out like a
checkout (samples/, mappings/, build/planconv), and exits 0, or 1 where findings are expected."""
import os
import re
import shlex
import subprocess

from harness import Harness

h = Harness(__doc__)
os.symlink(os.path.abspath(os.path.join(h.source, "samples")), os.path.join(h.work, "samples"))
os.symlink(os.path.abspath(os.path.join(h.source, "mappings")), os.path.join(h.work, "mappings"))
os.makedirs(os.path.join(h.work, "build"))
os.symlink(os.path.abspath(h.planconv), os.path.join(h.work, "build", "planconv"))
readme = open(os.path.join(h.source, "README.md"), encoding="utf-8").read()
examples = re.findall(r"^\$ (build/planconv .+)$", readme, flags=re.M)
h.check(len(examples) >= 8, f"README has its CLI examples ({len(examples)} found)")
for cmd in examples:
    p = subprocess.run(shlex.split(cmd), cwd=h.work, capture_output=True, text=True, timeout=300)
    findings_expected = cmd.split()[1] in ("convert", "validate")
    ok = p.returncode == 0 or (findings_expected and p.returncode == 1)
    h.check(ok, f"README example `{cmd}` exited {p.returncode}: {p.stderr[-800:]}")
h.check(os.path.exists(os.path.join(h.work, "out", "report.html")), "the convert example wrote out/report.html")
h.finish()
