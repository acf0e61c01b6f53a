"""Issue 10: every hostile or careless case file ends in one clear, bounded `file: field: message` line (or
loads), never a traceback, a hang or a silently skipped file. One test per input listed in the issue."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from skintriage.bank.loader import BankError, load_bank
from skintriage.inputs.messages import MAX_LINE

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
BIB = ROOT / "book" / "references.bib"
MINI_BOOK = FIXTURES / "mini_book"


def valid_case() -> dict:
    return yaml.safe_load((FIXTURES / "cases" / "valid-case.yaml").read_text())


def write(folder: Path, data, name: str = "valid-case.yaml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def problems_for(folder: Path, book: Path = MINI_BOOK) -> list[str]:
    with pytest.raises(BankError) as raised:
        load_bank(folder, bib=BIB, book=book)
    problems = raised.value.problems
    assert all(len(p) <= MAX_LINE and "\n" not in p for p in problems), [p[:200] for p in problems]
    assert all("Traceback" not in p for p in problems)
    return problems


def assert_problem(problems: list[str], start: str, words: str) -> None:
    assert any(p.startswith(start) and words in p for p in problems), problems


def run_cli(*args, timeout=60):
    return subprocess.run(
        [sys.executable, "-m", "skintriage", *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )


# --- Files the YAML reader must refuse without expanding, recursing or crashing ------------------------------


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        prev, name = chr(96 + level), chr(97 + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_at_the_first_anchor(tmp_path):
    path = write(tmp_path, billion_laughs())
    assert path.stat().st_size < 10_000
    assert_problem(problems_for(tmp_path), f"{path}: line 1, column 4: ", "anchors (&a) are not allowed")


def test_alias_without_anchor_text_is_refused(tmp_path):
    case = yaml.safe_dump(valid_case(), sort_keys=False)
    path = write(tmp_path, case.replace("category: herpes_simplex", "category: &c herpes_simplex\nalso: *c"))
    assert_problem(problems_for(tmp_path), str(path), "anchors (&c) are not allowed")


@pytest.mark.parametrize("depth", [3_000, 30_000], ids=["3000-levels", "30000-levels"])
def test_deep_nesting_is_refused_without_recursion(tmp_path, depth):
    path = write(tmp_path, "[" * depth + "]" * depth)
    problems = problems_for(tmp_path)
    assert_problem(problems, str(path), "nested too deeply (more than 32 levels)")
    assert "RecursionError" not in "".join(problems)


def test_deep_block_nesting_is_refused(tmp_path):
    path = write(tmp_path, "- " * 20_000 + "x\n")
    assert_problem(problems_for(tmp_path), str(path), "nested too deeply")


def test_100000_levels_are_refused_by_size_or_depth(tmp_path):
    path = write(tmp_path, "[" * 100_000 + "]" * 100_000)
    assert_problem(problems_for(tmp_path), f"{path}: ", "file too large (200,000 bytes; at most 131,072)")


def test_complex_mapping_key(tmp_path):
    path = write(tmp_path, "? [a, b]\n: 1\n")
    assert_problem(problems_for(tmp_path), f"{path}: line 1", "complex key) is not allowed")


def test_5000_digit_integer(tmp_path):
    case = yaml.safe_dump(valid_case(), sort_keys=False).replace("age: 34", "age: " + "9" * 5000)
    path = write(tmp_path, case)
    assert_problem(problems_for(tmp_path), str(path), "number too long (5000 digits; at most 18)")


def test_merge_key_is_refused_plainly(tmp_path):
    case = yaml.safe_dump(valid_case(), sort_keys=False).replace("procedure:\n", "procedure:\n  <<: {device: pen}\n")
    path = write(tmp_path, case)
    problems = problems_for(tmp_path)
    assert_problem(problems, str(path), "merge keys (<<) are not allowed: write the fields out in full")
    assert "constructor" not in "".join(problems)


@pytest.mark.parametrize("tag", ["!!python/object:os.system", "!!binary", "!custom"])
def test_tags_are_refused(tmp_path, tag):
    case = yaml.safe_dump(valid_case(), sort_keys=False).replace("title: ", f"title: {tag} ", 1)
    path = write(tmp_path, case)
    assert_problem(problems_for(tmp_path), str(path), "is not allowed: write a plain value")


def test_two_documents_in_one_file(tmp_path):
    text = yaml.safe_dump(valid_case(), sort_keys=False)
    path = write(tmp_path, text + "---\n" + text)
    assert_problem(problems_for(tmp_path), str(path), "more than one YAML document")


# --- Files that are not plain files, or too big -----------------------------------------------------------


def test_symlink_to_dev_zero(tmp_path):
    write(tmp_path, valid_case())
    os.symlink("/dev/zero", tmp_path / "zero.yaml")
    assert_problem(problems_for(tmp_path), f"{tmp_path / 'zero.yaml'}: ", "not a regular file (it is a device)")


def test_fifo_does_not_hang(tmp_path):
    """Opening a FIFO for reading blocks until a writer comes: run in a subprocess with a time bound."""
    write(tmp_path, valid_case())
    os.mkfifo(tmp_path / "pipe.yaml")
    done = run_cli("validate", str(tmp_path), timeout=60)
    assert done.returncode == 1
    assert f"{tmp_path / 'pipe.yaml'}: not a regular file (it is a named pipe)" in done.stderr
    assert "Traceback" not in done.stderr


def test_60_mb_file_is_not_read(tmp_path):
    path = tmp_path / "valid-case.yaml"
    with open(path, "wb") as handle:  # sparse: no 60 MB written to disk
        handle.truncate(60 * 1024 * 1024)
    assert_problem(problems_for(tmp_path), f"{path}: ", "file too large (62,914,560 bytes; at most 131,072)")


def test_a_million_topics_is_refused_by_size(tmp_path):
    case = yaml.safe_dump(valid_case(), sort_keys=False)
    case = case.replace("topics:\n- herpes\n- red-flags\n- perioral\n", "topics: [" + "a, " * 1_000_000 + "a]\n")
    path = write(tmp_path, case)
    assert_problem(problems_for(tmp_path), f"{path}: ", "file too large")


def test_too_many_topics_is_a_field_problem(tmp_path):
    case = valid_case()
    case["topics"] = [f"topic-{i}" for i in range(13)]
    path = write(tmp_path, case)
    assert_problem(problems_for(tmp_path), f"{path}: topics: ", "at most 12 items")


def test_5_mb_title_is_refused_by_size(tmp_path):
    case = valid_case()
    case["title"] = "A" * 5_000_000
    path = write(tmp_path, case)
    assert_problem(problems_for(tmp_path), f"{path}: ", "file too large")


def test_long_title_is_a_field_problem(tmp_path):
    case = valid_case()
    case["title"] = "A" * 121
    path = write(tmp_path, case)
    assert_problem(problems_for(tmp_path), f"{path}: title: ", "at most 120 characters")


def test_latin1_chapter_is_named(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    (book / "chapter.md").write_bytes((MINI_BOOK / "chapter.md").read_bytes())
    (book / "extra.md").write_bytes("# Caf\xe9 cr\xe8me\n".encode("latin-1"))
    cases = tmp_path / "cases"
    write(cases, valid_case())
    assert_problem(
        problems_for(cases, book=book),
        f"{book / 'extra.md'}: ",
        "not UTF-8 text (byte 0xe9 at position 5): save the chapter as UTF-8",
    )


def test_latin1_case_file_is_named(tmp_path):
    path = write(tmp_path, "title: Caf\xe9\n".encode("latin-1"))
    assert_problem(problems_for(tmp_path), f"{path}: ", "not UTF-8 text")


# --- Accepted though wrong: now field problems ------------------------------------------------------------


def _same_option_text(case):
    case["questions"][0]["options"][2]["text"] = case["questions"][0]["options"][0]["text"]


def _zero_width_option(case):
    text = case["questions"][0]["options"][0]["text"]
    case["questions"][0]["options"][2]["text"] = text[:5] + "\u200b" + text[5:]


def _fullwidth_option(case):
    case["questions"][0]["options"][2]["text"] = (
        "ＡＮ ACNE flare from blocked pores"  # NFKC: "AN ACNE..." = option acne
    )


def _zero_width_title(case):
    case["title"] = "\u200b\u200b\u200b"


def _bidi_override(case):
    case["questions"][0]["stem"] = "What is \u202egnorw\u202c here?"


def _every_option_correct(case):
    case["questions"][0]["answer"] = ["purge", "hsv", "expected", "acne"]


def _days_true(case):
    case["findings"]["days_since_treatment"] = True


def _age_float(case):
    case["client"]["age"] = 29.0


def _age_true(case):
    case["client"]["age"] = True


def _days_fraction(case):
    case["findings"]["day_of_onset"] = 1.5


def _nul_in_text(case):
    case["vignette"] = "Aisha\x00 phones"


def _control_in_notes(case):
    case["client"]["notes"] = "bell \x07 here"


def _lone_surrogate_escape(case):
    case["title"] = "ok"  # replaced in the raw text below


def _long_quoted_value(case):
    case["category"] = "x" * 10_000


def _external_link(case):
    case["vignette"] = "See [the guide](https://evil.example/login)."


def _protocol_relative_link(case):
    case["questions"][1]["explanation"] = "More at [this page](//evil.example/phish)."


def _javascript_link(case):
    case["questions"][0]["options"][0]["feedback"] = "[click](javascript:alert(1))"


def _http_link_to_allowed_host(case):
    case["questions"][0]["stem"] = "Per [NICE](http://www.nice.org.uk/guidance) what is likely?"


def _absolute_path_link(case):
    case["vignette"] = "See [elsewhere](/admin)."


def _link_out_of_the_course(case):
    case["vignette"] = "See [this](../../../../etc/passwd)."


def _image_from_other_site(case):
    case["vignette"] = "![tracking](https://evil.example/pixel.png)"


def _category_disagrees_with_rules(case):
    case["category"] = "expected_healing"


HOSTILE = [
    (_same_option_text, "questions[0]", "options purge and expected have the same text"),
    (_zero_width_option, "questions[0]", "options purge and expected have the same text"),
    (_fullwidth_option, "questions[0]", "have the same text"),
    (_zero_width_title, "title", "has no visible text"),
    (_bidi_override, "questions[0].stem", "bidirectional-override character (U+202E)"),
    (_every_option_correct, "questions[0]", "at least one option must be wrong"),
    (_days_true, "findings.days_since_treatment", "expected a whole number of days, got true"),
    (_age_float, "client.age", "expected a whole number, got 29.0"),
    (_age_true, "client.age", "expected a whole number, got true"),
    (_days_fraction, "findings.day_of_onset", "expected a whole number of days, got 1.5"),
    (_nul_in_text, "vignette", "contains a NUL character (U+0000)"),
    (_control_in_notes, "client.notes", "contains a control character (U+0007)"),
    (_long_quoted_value, "category", "(got 'xxxx"),
    (_external_link, "vignette", "goes to evil.example, which is not on the allowlist"),
    (_protocol_relative_link, "questions[1].explanation", "points to another site"),
    (_javascript_link, "questions[0].options[0].feedback", "uses javascript: which is not allowed"),
    (_http_link_to_allowed_host, "questions[0].stem", "uses http: which is not allowed (https only)"),
    (_absolute_path_link, "vignette", "starts with /"),
    (_image_from_other_site, "vignette", "not on the allowlist"),
    (_link_out_of_the_course, "vignette", "climbs out of the course"),
    (
        _category_disagrees_with_rules,
        "category",
        "the case says expected_healing / same_day, but the triage rules give herpes_simplex / same_day",
    ),
]


@pytest.mark.parametrize("mutate, field, words", HOSTILE, ids=[m[0].__name__.strip("_") for m in HOSTILE])
def test_wrong_content_is_named(tmp_path, mutate, field, words):
    case = valid_case()
    mutate(case)
    path = write(tmp_path, case)
    assert_problem(problems_for(tmp_path), f"{path}: {field}: ", words)


def test_lone_surrogate_escape_in_yaml(tmp_path):
    text = yaml.safe_dump(valid_case(), sort_keys=False)
    path = write(
        tmp_path,
        text.replace("title: Tingling", 'title: "\\uD800 Tingling', 1).replace("lip on day 2\n", 'lip on day 2"\n', 1),
    )
    problems = problems_for(tmp_path)
    assert any(p.startswith(f"{path}: ") and ("surrogate" in p or "Unicode" in p) for p in problems), problems


def test_age_true_no_longer_reads_as_should_be_16(tmp_path):
    case = valid_case()
    case["client"]["age"] = True
    write(tmp_path, case)
    assert not any(">= 16" in p or "greater than" in p for p in problems_for(tmp_path))


def test_allowed_and_relative_links_load(tmp_path):
    case = valid_case()
    case["vignette"] += "\nSee [NICE](https://www.nice.org.uk/guidance) and [the chapter](../infection.html#sec-x)."
    write(tmp_path, case)
    assert len(load_bank(tmp_path, bib=BIB, book=MINI_BOOK)) == 1


def test_acknowledged_difference_from_the_rules_is_a_warning(tmp_path):
    case = valid_case()
    case["category"] = "expected_healing"
    case["differs_from_rules"] = "Teaching point: the rules flag this, the case shows a look-alike."
    path = write(tmp_path, case)
    bank = load_bank(tmp_path, bib=BIB, book=MINI_BOOK)
    assert len(bank) == 1
    assert len(bank.warnings) == 1 and bank.warnings[0].startswith(f"{path}: category: ")
    assert "acknowledged in differs_from_rules" in bank.warnings[0]
    done = run_cli("validate", str(tmp_path))
    assert done.returncode == 0 and "warning: " in done.stderr


# --- Files that were silently skipped ----------------------------------------------------------------------


def test_upper_case_suffix_is_read(tmp_path):
    case = valid_case()
    case["id"] = "upper"
    write(tmp_path, case, "upper.YAML")
    write(tmp_path, valid_case())
    assert sorted(load_bank(tmp_path, bib=BIB, book=MINI_BOOK)) == ["upper", "valid-case"]


def test_subfolder_is_read(tmp_path):
    case = valid_case()
    case["id"] = "nested"
    write(tmp_path, case, "clinic/nested.yml")
    write(tmp_path, valid_case())
    bank = load_bank(tmp_path, bib=BIB, book=MINI_BOOK)
    assert sorted(bank) == ["nested", "valid-case"]
    assert bank.files["nested"] == tmp_path / "clinic" / "nested.yml"


def test_bad_file_in_a_subfolder_fails_the_bank(tmp_path):
    write(tmp_path, valid_case())
    path = write(tmp_path, "id: [unclosed\n", "more/broken.yaml")
    assert_problem(problems_for(tmp_path), f"{path}: line", "YAML error")


def test_trailing_space_name_is_reported(tmp_path):
    write(tmp_path, valid_case())
    path = write(tmp_path, valid_case(), "bad.yaml ")
    assert_problem(problems_for(tmp_path), f"{path}: ", "file name 'bad.yaml ' has spaces around it")


def test_fingerprint_of_a_flat_folder_is_unchanged_by_subfolder_support(tmp_path):
    import hashlib

    path = write(tmp_path, valid_case())
    expected = hashlib.sha256(b"valid-case.yaml\0" + path.read_bytes() + b"\0").hexdigest()
    assert load_bank(tmp_path, bib=BIB, book=MINI_BOOK).fingerprint == expected


def test_empty_path_argument_is_an_error(tmp_path):
    done = run_cli("validate", "")
    assert done.returncode == 2
    assert done.stderr.startswith("skintriage validate: the folder name is empty")
    assert "cases valid" not in done.stdout
    with pytest.raises(BankError) as raised:
        load_bank("")
    assert "the folder name is empty" in raised.value.problems[0]


def test_cli_prints_every_hostile_file_on_its_own_line(tmp_path):
    write(tmp_path, billion_laughs(), "bomb.yaml")
    write(tmp_path, "[" * 3000 + "]" * 3000, "deep.yaml")
    os.symlink("/dev/zero", tmp_path / "zero.yaml")
    done = run_cli("validate", str(tmp_path))
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[-1] == "3 problems found; nothing was loaded."
    assert len(done.stderr) < 3 * MAX_LINE + 100
    assert "Traceback" not in done.stderr
