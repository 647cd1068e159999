"""Help for people: `planconv help COMMAND` and `planconv COMMAND --help` print the same text,
GNU style (`-m, --mapping NAME|FILE`, never Boost's `-m [ --mapping ] arg`), with the options
grouped, runnable examples and the exit codes; every example runs as written from a folder laid
out like a checkout, with planconv on PATH."""
import os
import re
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Harness

h = Harness(__doc__)
bindir = os.path.join(h.work, "bin")
os.makedirs(bindir)
os.symlink(os.path.abspath(h.planconv), os.path.join(bindir, "planconv"))
for folder in ("samples", "mappings"):
    os.symlink(os.path.abspath(os.path.join(h.source, folder)), os.path.join(h.work, folder))
env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))

top = h.run("--help", check_exit=0).stdout
h.check("help COMMAND" in top and "Exit codes:" in top, "planconv --help names `help COMMAND` and the exit codes")
for code in ("0", "1", "2", "3", "4", "130"):
    h.check(re.search(rf"^\s+{code}\s", top, flags=re.M), f"planconv --help lists exit code {code}")

commands = [("convert",), ("validate",), ("inspect",), ("template",), ("mappings",), ("report", "merge")]
for command in commands:
    via_help = h.run("help", *command)
    via_option = h.run(*command, "--help")
    name = " ".join(command)
    h.equal(via_help.returncode, 0, f"planconv help {name} exits 0")
    h.equal(via_option.returncode, 0, f"planconv {name} --help exits 0")
    h.equal(via_help.stdout, via_option.stdout, f"planconv help {name} and planconv {name} --help say the same")
    text = via_option.stdout
    h.check("[ --" not in text and " arg " not in text and not text.rstrip().endswith(" arg"),
            f"planconv {name} --help has no Boost-style `[ --option ] arg`")
    h.check("Exit codes:" in text, f"planconv {name} --help lists the exit codes")
    examples = re.findall(r"^  (planconv .+)$", text.split("Examples", 1)[1] if "Examples" in text else "", flags=re.M)
    h.check(2 <= len(examples), f"planconv {name} --help has two or three examples ({len(examples)})")
    for line in text.splitlines():
        h.check(len(line) <= 110, f"planconv {name} --help: a line of {len(line)} characters: {line!r}")
    for example in examples:
        p = subprocess.run(shlex.split(example), cwd=h.work, env=env, capture_output=True, text=True, timeout=300)
        findings_possible = command[0] in ("convert", "validate", "report")
        h.check(p.returncode == 0 or (findings_possible and p.returncode == 1),
                f"the example `{example}` exited {p.returncode}: {p.stderr[-600:]}")
    if command[0] in ("convert", "validate"):
        for option in ("-m, --mapping NAME|FILE", "-o, --out DIR", "--fail-on LEVEL", "-j, --jobs N"):
            h.check(option in text, f"planconv {name} --help shows {option!r}")
        for group in ("Reading:", "Output:", "Running:"):
            h.check(group in text, f"planconv {name} --help has the group {group}")
h.finish()
