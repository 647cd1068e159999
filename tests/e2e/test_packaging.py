"""What a sysadmin installs: `cmake --install` and the .deb from `cpack -G DEB` carry the
binary, the shipped mappings, the man page planconv(1) and the bash completion, and the
installed planconv converts the samples with no flags (it finds its mappings beside itself).

The .deb is installed into a private root (`dpkg --root`, so the test machine is left as it
was), its dependencies are checked against this machine's Debian packages with
`apt-get --simulate install`, and its binary must be stripped."""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Harness

h = Harness(__doc__, timeout=600)
h.samples = os.path.abspath(h.samples)
build = os.path.dirname(os.path.abspath(h.planconv))


def sh(*cmd, cwd=None, env=None):
    return subprocess.run(list(cmd), capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def check_installed_tree(root, what):
    binary = os.path.join(root, "bin", "planconv")
    h.check(os.access(binary, os.X_OK), f"{what}: bin/planconv installed")
    h.check(os.path.isfile(os.path.join(root, "share", "planconv", "mappings", "mapping.xsd")),
            f"{what}: mappings/mapping.xsd installed")
    names = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(h.mappings, "*.xml")))
    for name in names:
        h.check(os.path.isfile(os.path.join(root, "share", "planconv", "mappings", name + ".xml")),
                f"{what}: mapping {name} installed")
    page = os.path.join(root, "share", "man", "man1", "planconv.1")
    h.check(os.path.isfile(page), f"{what}: man page planconv.1 installed")
    if os.path.isfile(page):
        man = sh("man", "-l", page, env=dict(os.environ, MANWIDTH="100", MAN_KEEP_FORMATTING="0"))
        h.equal(man.returncode, 0, f"{what}: man -l renders planconv.1")
        # man overstrikes bold and underlined letters when not on a terminal: keep the letters.
        text = re.sub(".\b", "", man.stdout).replace("\u2010", "-").replace("\u2212", "-")
        for needle in ("EXIT STATUS", "planconv convert", "--mapping", "--fail-on", "planconv mappings"):
            h.check(needle in text, f"{what}: the man page mentions {needle!r}")
    completion = os.path.join(root, "share", "bash-completion", "completions", "planconv")
    h.check(os.path.isfile(completion), f"{what}: bash completion installed")
    return binary, completion


def complete(binary, completion, words):
    """COMPREPLY of the completion function for the command line `words` (the last is the word
    being completed), with the installed binary as planconv."""
    script = (f"source {completion}\n"
              f"COMP_WORDS=({' '.join(repr(w) for w in [binary, *words])}); COMP_CWORD={len(words)}\n"
              "_planconv\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
    proc = sh("bash", "--norc", "--noprofile", "-c", script)
    return proc.stdout.split()


def check_runs(binary, what):
    """The installed binary converts the samples with no flags but -o."""
    out = os.path.join(h.work, what.replace(" ", "-") + "-out")
    proc = sh(binary, "convert", h.samples, "-o", out, "--no-progress", cwd=h.work)
    h.check(proc.returncode in (0, 1), f"{what}: convert samples exits 0 or 1, got {proc.returncode}: {proc.stderr[-500:]}")
    report = os.path.join(out, "report.json")
    if os.path.isfile(report):
        with open(report, encoding="utf-8") as f:
            summary = json.load(f)["summary"]
        h.check(summary["converted"] >= 16 and summary["failed"] == 0,
                f"{what}: every sample converted ({summary})")
    else:
        h.check(False, f"{what}: no report.json")
    listed = sh(binary, "mappings", "list")
    h.check("portfolio-plan-half-year" in listed.stdout, f"{what}: mappings list finds the installed mappings")


# 1. cmake --install into a private prefix.
prefix = os.path.join(h.work, "prefix")
proc = sh("cmake", "--install", build, "--prefix", prefix)
h.equal(proc.returncode, 0, f"cmake --install: {proc.stderr[-500:]}")
binary, completion = check_installed_tree(prefix, "cmake --install")
check_runs(binary, "cmake --install")

# Completion: commands, a command's options, mapping names after -m.
h.check({"convert", "validate", "inspect", "template", "mappings"} <= set(complete(binary, completion, [""])),
        "completion offers the commands")
options = set(complete(binary, completion, ["convert", "--"]))
for option in ("--mapping", "--out", "--fail-on", "--as-of", "--jobs", "--report"):
    h.check(option in options, f"`planconv convert --<TAB>` offers {option} (got {sorted(options)[:12]}...)")
h.check("--mapping" in complete(binary, completion, ["validate", "--ma"]), "`planconv validate --ma<TAB>` completes --mapping")
h.check("portfolio-plan-quarterly" in complete(binary, completion, ["convert", "-m", "portfolio-plan-q"]),
        "`planconv convert -m portfolio-plan-q<TAB>` completes the mapping name")
h.equal(complete(binary, completion, ["mappings", "x"]), ["xsd"], "`planconv mappings x<TAB>` completes xsd")

# 2. The .deb.
pkg = os.path.join(h.work, "pkg")
proc = sh("cpack", "-G", "DEB", "-B", pkg, cwd=build)
h.equal(proc.returncode, 0, f"cpack -G DEB: {proc.stdout[-800:]} {proc.stderr[-800:]}")
debs = glob.glob(os.path.join(pkg, "*.deb"))
h.equal(len(debs), 1, "cpack wrote one .deb")
if debs:
    deb = debs[0]
    depends = sh("dpkg-deb", "-f", deb, "Depends").stdout
    for lib in ("libxml2", "libzip", "libxlsxwriter", "libfreexl", "libboost-program-options", "libpcre2-8"):
        h.check(lib in depends, f".deb depends on {lib} (Depends: {depends.strip()})")
    contents = sh("dpkg-deb", "-c", deb).stdout
    for path in ("./usr/bin/planconv", "./usr/share/planconv/mappings/mapping.xsd",
                 "./usr/share/man/man1/planconv.1", "./usr/share/bash-completion/completions/planconv"):
        h.check(path in contents, f".deb holds {path}")
    # Dependencies resolvable from this machine's Debian packages (no change to the machine).
    simulate = sh("apt-get", "--simulate", "install", "--no-install-recommends", deb)
    h.equal(simulate.returncode, 0, f"apt-get --simulate install of the .deb: {simulate.stderr[-500:]}")
    # dpkg -i into a private root.
    root = os.path.join(h.work, "root")
    os.makedirs(os.path.join(root, "var", "lib", "dpkg", "info"), exist_ok=True)
    os.makedirs(os.path.join(root, "var", "lib", "dpkg", "updates"), exist_ok=True)
    open(os.path.join(root, "var", "lib", "dpkg", "status"), "a").close()
    installed = sh("dpkg", "--root", root, "--force-depends", "--force-not-root", "--log=/dev/null", "-i", deb)
    h.equal(installed.returncode, 0, f"dpkg --root ROOT -i the .deb: {installed.stderr[-500:]}")
    usr = os.path.join(root, "usr")
    deb_binary, _ = check_installed_tree(usr, ".deb")
    if os.path.isfile(deb_binary):
        kind = sh("file", "-b", deb_binary).stdout
        h.check("not stripped" not in kind and "stripped" in kind, f"the .deb's binary is stripped ({kind.strip()})")
        check_runs(deb_binary, ".deb")
h.finish()
