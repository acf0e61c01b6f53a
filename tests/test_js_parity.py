"""The JavaScript twins agree with Python: the shared vectors are what Python gives today, and Node's own test
runner checks the pure browser logic in static/core/ against them (exam_core.js, quiz_core.js, explorer_core.js,
case_filter.js; progress_core.js has no Python twin and its own cases; triage.js has its own vectors in
test_properties.py). Node is required: a machine without it fails here rather than skipping."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import js_vectors

ROOT = Path(__file__).resolve().parents[1]
# Every node test but the property vectors, which need the rules and Python's results (test_properties.py).
NODE_TESTS = sorted(
    p.relative_to(ROOT).as_posix()
    for p in (ROOT / "tests" / "js").glob("*.test.js")
    if p.name != "property_vectors.test.js"
)
CORE = ROOT / "src" / "skintriage" / "static" / "core"


@pytest.mark.parametrize(("path", "make"), js_vectors.FILES.items(), ids=[p.stem for p in js_vectors.FILES])
def test_vectors_are_what_python_gives_today(path, make):
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored == json.loads(json.dumps(make())), f"{path.name} is stale: run `python -m tests.js_vectors`"


def test_node_runs_the_parity_vectors():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the JS parity tests need Node.js (apt-get install nodejs)")
    result = subprocess.run([node, "--test", *NODE_TESTS], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
    assert re.search(r"^# pass [1-9]", result.stdout, re.M), result.stdout[-2000:]


def test_every_core_module_has_a_node_test():
    """The pure logic in static/core/ is tested under Node: each module is required by some tests/js file."""
    tests = "".join(
        (ROOT / name).read_text(encoding="utf-8") for name in (*NODE_TESTS, "tests/js/property_vectors.test.js")
    )
    untested = [p.name for p in CORE.glob("*.js") if f'"{p.name}"' not in tests]
    assert not untested, f"no tests/js file requires {untested}"
