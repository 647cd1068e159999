"""Shared plumbing for planconv's end-to-end tests (run by ctest with /usr/bin/python3).

Every test script is called as  SCRIPT --planconv BIN --source REPO --shared DIR --work DIR.
`check(cond, message)` records a failure instead of stopping, so one run reports every problem;
`finish()` prints the plain 'N passed, N failed' line and exits non-zero on any failure.

    h = Harness(__doc__)                      # parses the arguments, gives an empty h.work
    p = h.run("convert", ..., check_exit=0)   # planconv's CompletedProcess (text)
    rc, out, err = h.call("mappings", "list") # the same run as a (code, stdout, stderr) triple
    h.check(rc == 0, "...");  h.equal(got, want, "...")
    h.finish()

A script with options of its own passes `options=lambda parser: parser.add_argument(...)` and
reads them from h.args; `keep_work=True` leaves what is already in the work folder;
`show_failures=N` prints only the first N failure messages (the rest are counted).
"""
import argparse
import os
import shutil
import subprocess
import sys


class Harness:
    def __init__(self, description, options=None, keep_work=False, timeout=300, show_failures=None):
        parser = argparse.ArgumentParser(description=description,
                                         formatter_class=argparse.RawDescriptionHelpFormatter)
        parser.add_argument("--planconv", required=True)
        parser.add_argument("--source", required=True)
        parser.add_argument("--shared", required=True)
        parser.add_argument("--work", required=True)
        if options is not None:
            options(parser)
        self.args = parser.parse_args()
        self.planconv = self.args.planconv
        self.source = self.args.source
        self.shared = self.args.shared
        self.samples = os.path.join(self.source, "samples")
        self.mappings = os.path.join(self.source, "mappings")
        self.work = self.args.work
        if not keep_work:
            shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(self.work, exist_ok=True)
        self.timeout = timeout
        self.show_failures = show_failures
        self.passed = 0
        self.failed = 0

    def run(self, *args, timeout=None, check_exit=None, text=True):
        """Runs planconv; returns the CompletedProcess (text mode unless text=False).
        A run past the timeout (the harness's, 300 s unless given) raises, failing the script."""
        proc = subprocess.run([self.planconv, *args], capture_output=True, text=text,
                              timeout=self.timeout if timeout is None else timeout)
        if check_exit is not None and proc.returncode != check_exit:
            self.check(False, f"planconv {' '.join(args)} exited {proc.returncode}, expected {check_exit}\n"
                              f"stderr: {proc.stderr[-2000:]}")
        return proc

    def call(self, *args, timeout=None):
        """Runs planconv; returns (exit code, stdout, stderr) as text."""
        proc = self.run(*args, timeout=timeout)
        return proc.returncode, proc.stdout, proc.stderr

    def xsd(self, mapping):
        """The XSD `planconv mappings xsd MAPPING` prints, saved once in the work dir; its path."""
        path = os.path.join(self.work, mapping + ".xsd")
        if not os.path.exists(path):
            proc = self.run("mappings", "xsd", mapping, "--mappings-dir", self.mappings, check_exit=0)
            with open(path, "w", encoding="utf-8") as f:
                f.write(proc.stdout)
        return path

    @staticmethod
    def schema_check(xsd, xml):
        """libxml2's verdict on `xml` against `xsd` (xmllint --schema): (exit code, messages)."""
        proc = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", xsd, xml],
                              capture_output=True, text=True, timeout=60)
        return proc.returncode, proc.stderr

    def check(self, condition, message):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            if self.show_failures is None or self.failed <= self.show_failures:
                print(f"FAIL: {message}", flush=True)
        return condition

    def equal(self, actual, expected, what):
        return self.check(actual == expected, f"{what}: expected {expected!r}, got {actual!r}")

    def finish(self):
        if self.show_failures is not None and self.failed > self.show_failures:
            print(f"... and {self.failed - self.show_failures} more failures")
        print(f"{self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)
