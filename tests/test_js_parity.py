"""The JavaScript twins agree with Python: the shared vectors are what Python gives today, and Node's own test
runner checks the browser code against them (exam_core.js, quiz_core.js; triage.js has its own vectors in
test_properties.py). Node is required: a machine without it fails here rather than skipping."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import js_vectors

ROOT = Path(__file__).resolve().parents[1]
NODE_TESTS = ["tests/js/exam_core.test.js", "tests/js/quiz_core.test.js"]


@pytest.mark.parametrize(
    ("path", "make"),
    [(js_vectors.EXAM_FILE, js_vectors.exam_vectors), (js_vectors.QUIZ_FILE, js_vectors.quiz_vectors)],
    ids=["exam_core", "quiz_state"],
)
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
