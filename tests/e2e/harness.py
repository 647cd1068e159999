"""Shared plumbing for planconv's end-to-end tests (run by ctest with /usr/bin/python3).

Every test script is called as  SCRIPT --planconv BIN --source REPO --shared DIR --work DIR.
`check(cond, message)` records a failure instead of stopping, so one run reports every problem;
`finish()` prints the plain 'N passed, N failed' line and exits non-zero on any failure.
"""
import argparse
import os
import shutil
import subprocess
import sys


class Harness:
    def __init__(self, description):
        parser = argparse.ArgumentParser(description=description)
        parser.add_argument("--planconv", required=True)
        parser.add_argument("--source", required=True)
        parser.add_argument("--shared", required=True)
        parser.add_argument("--work", required=True)
        self.args = parser.parse_args()
        self.planconv = self.args.planconv
        self.source = self.args.source
        self.samples = os.path.join(self.source, "samples")
        self.mappings = os.path.join(self.source, "mappings")
        self.work = self.args.work
        shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(self.work)
        self.passed = 0
        self.failed = 0

    def run(self, *args, timeout=300, check_exit=None):
        """Runs planconv; returns the CompletedProcess (text mode)."""
        proc = subprocess.run([self.planconv, *args], capture_output=True, text=True, timeout=timeout)
        if check_exit is not None and proc.returncode != check_exit:
            self.check(False, f"planconv {' '.join(args)} exited {proc.returncode}, expected {check_exit}\n"
                              f"stderr: {proc.stderr[-2000:]}")
        return proc

    def check(self, condition, message):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {message}", flush=True)
        return condition

    def equal(self, actual, expected, what):
        return self.check(actual == expected, f"{what}: expected {expected!r}, got {actual!r}")

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)
