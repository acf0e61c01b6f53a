"""Item writing: the length of an option must not give the answer away.

A trainee who always picks the longest option should not pass. For every single-answer question the right
option is at most 1.6 times as long as the longest wrong one; across the bank the right option is the longest
in at most 45% of single-answer questions; and in multiple-answer questions the right options are, on
average, at most 1.5 times as long as the wrong ones. Lengths are characters of the option text.
"""

from __future__ import annotations

from statistics import mean

from skintriage import load_bank

MAX_RATIO = 1.6  # right option / longest wrong option, single-answer questions
MAX_LONGEST_SHARE = 0.45  # share of single-answer questions whose right option is the longest
MAX_MULTI_RATIO = 1.5  # mean right / mean wrong option length, multiple-answer questions


def _questions():
    bank = load_bank()
    for case in bank.values():
        name = bank.files[case.id].name
        for question in case.questions:
            lengths = {o.id: len(o.text) for o in question.options}
            right = [lengths[i] for i in question.answer]
            wrong = [n for i, n in lengths.items() if i not in question.answer]
            yield name, question, right, wrong


def _single():
    return [(n, q, r[0], max(w)) for n, q, r, w in _questions() if not q.multiple and w]


def test_right_option_is_never_much_longer_than_the_wrong_ones():
    problems = [
        f"{name}: {q.id} ({q.kind}): right option {r} chars, longest wrong {w} chars, ratio {r / w:.2f}"
        for name, q, r, w in _single()
        if r > MAX_RATIO * w
    ]
    assert not problems, f"right option more than {MAX_RATIO}x the longest wrong option:\n" + "\n".join(problems)


def test_picking_the_longest_option_does_not_pass():
    single = _single()
    longest = [(name, q, r, w) for name, q, r, w in single if r > w]
    share = len(longest) / len(single)
    listing = "\n".join(f"{name}: {q.id} ({q.kind}): right {r} chars, longest wrong {w}" for name, q, r, w in longest)
    assert share <= MAX_LONGEST_SHARE, (
        f"the right option is the longest in {len(longest)} of {len(single)} single-answer questions "
        f"({share:.0%}, limit {MAX_LONGEST_SHARE:.0%}):\n{listing}"
    )


def test_right_options_of_multiple_answer_questions_are_not_systematically_longer():
    problems = [
        f"{name}: {q.id} ({q.kind}): mean right {mean(r):.0f} chars, mean wrong {mean(w):.0f} chars, "
        f"ratio {mean(r) / mean(w):.2f}"
        for name, q, r, w in _questions()
        if q.multiple and w and mean(r) > MAX_MULTI_RATIO * mean(w)
    ]
    assert not problems, (
        f"multiple-answer questions whose right options average more than {MAX_MULTI_RATIO}x the wrong ones:\n"
        + "\n".join(problems)
    )
