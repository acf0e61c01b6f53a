"""Issue 10: `skintriage triage` on hostile input exits 2 with short, plain messages, never a traceback;
input size, nesting depth and the number of printed problems are capped."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from skintriage.inputs.messages import MAX_LINE
from skintriage.rules import MAX_PRINTED_PROBLEMS

ROOT = Path(__file__).resolve().parents[1]
GOOD = {"day_of_onset": 1, "days_since_treatment": 2, "trend": "stable", "lesions": ["erythema"]}


def triage(*args: str, stdin: bytes | str = b"", stdin_file=None) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "skintriage", "triage", *args],
        input=None if stdin_file else (stdin.encode() if isinstance(stdin, str) else stdin),
        stdin=stdin_file,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )
    done.err = done.stderr.decode("utf-8", "replace")
    return done


def assert_refused(done, *expected: str) -> None:
    assert done.returncode == 2, done.err
    assert done.stdout == b""
    assert "Traceback" not in done.err
    lines = done.err.splitlines()
    assert 1 <= len(lines) <= MAX_PRINTED_PROBLEMS + 1
    assert all(len(line) <= MAX_LINE for line in lines)
    for words in expected:
        assert words in done.err, done.err


@pytest.mark.parametrize(
    "depth, words",
    [
        (3_000, "nested too deeply (more than 16 levels)"),
        (30_000, "nested too deeply (more than 16 levels)"),
        (100_000, "input too large (more than 65,536 bytes)"),
    ],
)
def test_deeply_nested_json(depth, words):
    assert_refused(triage(stdin="[" * depth + "]" * depth), "<stdin>: ", words)


def test_deeply_nested_inside_a_field():
    text = json.dumps({**GOOD, "lesions": "X"}).replace('"X"', "[" * 5000 + "]" * 5000)
    assert_refused(triage(stdin=text), "nested too deeply")


def test_brackets_inside_strings_are_not_nesting():
    text = json.dumps({**GOOD, "trend": "[" * 100})
    assert_refused(triage(stdin=text), "<stdin>: trend: ")


def test_dev_zero_as_a_file():
    assert_refused(triage("/dev/zero"), "/dev/zero: not a regular file (it is a device)")


def test_dev_zero_on_standard_input():
    with open("/dev/zero", "rb") as zero:
        assert_refused(triage(stdin_file=zero), "<stdin>: input too large (more than 65,536 bytes)")


def test_10_mb_list_of_unknown_names():
    text = json.dumps({**GOOD, "lesions": ["boil"] * 1_500_000})
    assert len(text) > 10_000_000
    done = triage(stdin=text)
    assert_refused(done, "input too large")
    assert len(done.stderr) < 1000


def test_many_unknown_names_print_a_bounded_number_of_problems():
    text = json.dumps({**GOOD, "lesions": [f"boil{i}" for i in range(3000)]})
    assert len(text) < 64 * 1024
    done = triage(stdin=text)
    assert_refused(done, "<stdin>: lesions[0]: ", "more problems not shown")
    assert len(done.err.splitlines()) == MAX_PRINTED_PROBLEMS + 1


def test_lone_surrogate():
    text = json.dumps({**GOOD, "trend": "\ud800"})
    assert "\\ud800" in text
    done = triage(stdin=text)
    assert_refused(done, "<stdin>: trend: contains a lone surrogate (U+D800)")
    assert "hex escape" not in done.err


def test_lone_surrogate_in_a_key():
    assert_refused(triage(stdin='{"\\udc00": 1}'), "lone surrogate")


@pytest.mark.parametrize(
    "text, found",
    [
        ("5", "a number"),
        ("2.5", "a number"),
        ('"hello"', "a piece of text"),
        ("true", "true or false"),
        ("null", "nothing"),
        ("[]", "a list"),
    ],
)
def test_not_an_object(text, found):
    assert_refused(triage(stdin=text), f"<stdin>: (top level): expected an object of findings, found {found}")


def test_fraction_of_a_day():
    assert_refused(
        triage(stdin=json.dumps({**GOOD, "days_since_treatment": 2.5})),
        "<stdin>: days_since_treatment: expected a whole number of days, got 2.5",
    )


def test_true_for_a_day():
    assert_refused(
        triage(stdin=json.dumps({**GOOD, "day_of_onset": True})),
        "<stdin>: day_of_onset: expected a whole number of days, got true",
    )


def test_huge_number():
    assert_refused(triage(stdin='{"day_of_onset": ' + "9" * 5000 + "}"), "<stdin>: ")


def test_not_utf8():
    assert_refused(triage(stdin=b'{"trend": "\xff"}'), "<stdin>: not UTF-8 text (byte 0xff at position 11)")


def test_nul_in_a_value():
    assert_refused(triage(stdin=json.dumps({**GOOD, "trend": "stable\u0000"})), "<stdin>: trend: contains a NUL")


def test_fifo_file_does_not_hang(tmp_path):
    import os

    os.mkfifo(tmp_path / "form.json")
    assert_refused(triage(str(tmp_path / "form.json")), "not a regular file (it is a named pipe)")


def test_empty_file_name():
    assert_refused(triage(""), "the file name is empty")


def test_good_findings_still_work():
    done = triage(stdin=json.dumps(GOOD))
    assert done.returncode == 0, done.err
    assert json.loads(done.stdout)["category"]
