"""Issue 10: a hypothesis fuzz of case files and findings forms (tests/fuzz_inputs.py) finds no traceback.

It runs in a subprocess so that a hang ends in a failed test (the timeout) instead of a stuck run. `make test`
runs a few examples per strategy; `make bench` runs many more (SKINTRIAGE_FUZZ_EXAMPLES)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_fuzzed_inputs_are_accepted_or_refused_in_one_bounded_message():
    examples = os.environ.get("SKINTRIAGE_FUZZ_EXAMPLES", "25")
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "fuzz_inputs.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "SKINTRIAGE_FUZZ_EXAMPLES": examples, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    assert "fuzz_case_files: " in done.stdout and "fuzz_findings: " in done.stdout
