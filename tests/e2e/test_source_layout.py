"""The source rooms follow the pipeline read → map → check → write (SPEC §2): every folder
under src/ is one of the known rooms, and no room includes from a later stage. In particular
read/ includes nothing from write/, batch/, mapping/ or validate/."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Harness

h = Harness(__doc__)
src = os.path.join(h.source, "src")

# For each room, the rooms it must never include from.
FORBIDDEN = {
    "files": {"read", "mapping", "validate", "write", "batch", "cli"},
    "model": {"read", "mapping", "validate", "write", "batch", "cli", "files"},
    "parse": {"read", "mapping", "validate", "write", "batch", "cli", "files"},
    "read": {"write", "batch", "mapping", "validate", "cli", "files"},
    "mapping": {"validate", "write", "batch", "cli"},
    "validate": {"write", "batch", "cli"},
    "write": {"batch", "cli"},
    "batch": {"cli"},
    "cli": set(),
}
include = re.compile(r'^\s*#\s*include\s+"([a-z]+)/')

rooms = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
h.equal(sorted(set(rooms) - set(FORBIDDEN)), [], "src/ holds only the known rooms")
h.check("io" not in rooms and "report" not in rooms, "src/io and src/report are gone")
for room in ("read", "write", "files"):
    h.check(room in rooms, f"src/{room}/ exists")

for room in rooms:
    for name in sorted(os.listdir(os.path.join(src, room))):
        path = os.path.join(src, room, name)
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                m = include.match(line)
                if m and m.group(1) in FORBIDDEN.get(room, set()):
                    h.check(False, f"src/{room}/{name}:{number} includes from {m.group(1)}/: {line.strip()}")
                elif m:
                    h.passed += 1
h.finish()
