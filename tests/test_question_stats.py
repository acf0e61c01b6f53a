"""Question statistics on a fixed set of synthetic attempts, checked against values worked out by hand.

Four attempts of three questions (1 = right):

    attempt   Q1  Q2  Q3   total
    A          1   1   1     3
    B          1   1   0     2
    C          1   0   1     2
    D          1   0   0     1

Facility (per cent right): Q1 100, Q2 50, Q3 50.

Discrimination, Moodle's definition: 100 x correlation of the question score x with the score on the rest of
the attempt, R = (total - x) / 2 (the share of the other two questions right).

Q2: x = (1, 1, 0, 0); R = (2/2, 1/2, 2/2, 1/2) = (1, .5, 1, .5).
    mean x = .5, mean R = .75; deviations x: (.5, .5, -.5, -.5), R: (.25, -.25, .25, -.25)
    sum(dx dR) = .125 - .125 - .125 + .125 = 0  ->  D = 0
Q3: x = (1, 0, 1, 0); R = (2/2, 2/2, 1/2, 1/2) = (1, 1, .5, .5)
    deviations x: (.5, -.5, .5, -.5), R: (.25, .25, -.25, -.25): sum = .125 - .125 - .125 + .125 = 0 -> D = 0
Q1: everyone right, x has no variance: D undefined (None).

A second set where Q2 separates and Q3 misleads (five attempts, four questions; Q4 is a filler always right):

    attempt   Q1  Q2  Q3  Q4
    A          1   1   0   1
    B          1   1   0   1
    C          0   0   1   1
    D          0   0   1   1
    E          1   0   0   1

Q2: x = (1,1,0,0,0); rest R = (Q1+Q3+Q4)/3 = 2/3 for every attempt: R has no variance -> None.
Q1: x = (1,1,0,0,1); R = (Q2+Q3+Q4)/3 = (2/3, 2/3, 2/3, 2/3, 1/3):
    mean x = .6, mean R = (4 * 2/3 + 1/3)/5 = .6
    dx = (.4, .4, -.6, -.6, .4); dR = (1/15, 1/15, 1/15, 1/15, -4/15)
    sum dx dR = (.4 + .4 - .6 - .6 - 1.6) / 15 = -2/15
    sum dx^2 = .16*3 + .36*2 = 1.2; sum dR^2 = (4 * 1 + 16) / 225 = 20/225
    r = (-2/15) / sqrt(1.2 * 20/225) = (-2/15) / sqrt(24/225) = -2 / sqrt(24) = -0.40825 -> D = -40.8
Q3: x = (0,0,1,1,0); R = (Q1+Q2+Q4)/3 = (1, 1, 1/3, 1/3, 2/3)
    mean x = .4, mean R = (1 + 1 + 1/3 + 1/3 + 2/3)/5 = 2/3
    dx = (-.4, -.4, .6, .6, -.4); dR = (1/3, 1/3, -1/3, -1/3, 0)
    sum dx dR = (-.4 - .4 - .6 - .6 + 0)/3 = -2/3
    sum dx^2 = .16*3 + .36*2 = 1.2; sum dR^2 = 4/9
    r = (-2/3) / sqrt(1.2 * 4/9) = (-2/3) / (sqrt(4.8)/3) = -2 / sqrt(4.8) = -0.91287 -> D = -91.3
"""

from __future__ import annotations

import math

import pytest

from skintriage.register.stats import Response, pearson, question_stats


def responses(table: dict[str, list[int]], given: dict | None = None) -> list[Response]:
    found = []
    for attempt, marks in table.items():
        for number, mark in enumerate(marks, start=1):
            question = f"case/q{number}"
            chosen = (given or {}).get((attempt, question), ("right",) if mark else ("wrong-a",))
            found.append(Response(attempt, question, tuple(chosen), bool(mark)))
    return found


ANSWERS = {f"case/q{n}": {"right"} for n in range(1, 5)}


def test_facility_and_discrimination_worked_by_hand():
    table = {"A": [1, 1, 1], "B": [1, 1, 0], "C": [1, 0, 1], "D": [1, 0, 0]}
    stats = {s.question: s for s in question_stats(responses(table), ANSWERS)}
    assert [stats[f"case/q{n}"].facility for n in (1, 2, 3)] == [100.0, 50.0, 50.0]
    assert stats["case/q1"].discrimination is None
    assert stats["case/q2"].discrimination == pytest.approx(0.0, abs=1e-9)
    assert stats["case/q3"].discrimination == pytest.approx(0.0, abs=1e-9)
    assert stats["case/q1"].flags == ["everyone right"]
    assert stats["case/q2"].flags == []


def test_negative_discrimination_and_wrong_option_frequencies():
    table = {"A": [1, 1, 0, 1], "B": [1, 1, 0, 1], "C": [0, 0, 1, 1], "D": [0, 0, 1, 1], "E": [1, 0, 0, 1]}
    given = {
        ("A", "case/q3"): ("wrong-a",),
        ("B", "case/q3"): ("wrong-b",),
        ("E", "case/q3"): ("wrong-b",),
        ("C", "case/q2"): ("wrong-a", "right"),
    }
    stats = {s.question: s for s in question_stats(responses(table, given), ANSWERS)}
    assert stats["case/q1"].facility == 60.0
    assert stats["case/q1"].discrimination == pytest.approx(-200 / math.sqrt(24), abs=1e-9)  # -40.8
    assert stats["case/q3"].discrimination == pytest.approx(-200 / math.sqrt(4.8), abs=1e-9)  # -91.3
    assert stats["case/q2"].discrimination is None  # the rest of every attempt scores 2 of 3
    assert stats["case/q3"].facility == 40.0
    assert stats["case/q3"].flags == ["most wrong", "negative discrimination"]
    assert "negative discrimination" in stats["case/q1"].flags
    # Q3 wrong options: wrong-a once (A), wrong-b twice (B, E) of five attempts.
    assert stats["case/q3"].wrong_options == {"wrong-a": 20.0, "wrong-b": 40.0}
    # Q2: C chose a wrong option with the right one; D and E chose wrong-a: three of five.
    assert stats["case/q2"].wrong_options == {"wrong-a": 60.0}


def test_pearson_agrees_with_a_textbook_value():
    # x = 1..5, y = 2, 4, 5, 4, 5: r = 0.7746 (sxy = 6, sxx = 10, syy = 6.0 -> 6 / sqrt(60)).
    assert pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]) == pytest.approx(6 / math.sqrt(60))
    assert pearson([1, 1, 1], [1, 2, 3]) is None
