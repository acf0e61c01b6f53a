"""Load and validate the case bank: one YAML file per case.

Every problem is reported as ``<file>: <field>: <message>``, all problems at once, and loading fails as a
whole: a bad file is never skipped.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from skintriage import course
from skintriage.bank.schema import Case
from skintriage.inputs import safe_yaml
from skintriage.inputs.files import InputFileError, decode_utf8, read_regular
from skintriage.inputs.links import allowed_hosts, link_problems
from skintriage.inputs.messages import bounded, capped, quoted

#: Largest case (or rules) file read; the largest shipped case is under 10 KB.
MAX_FILE_BYTES = 128 * 1024
#: Problems reported for one file before the rest are summarised in one line.
MAX_PROBLEMS_PER_FILE = 20
#: A case file: any capitalisation of .yaml or .yml.
_CASE_SUFFIX = re.compile(r"\.ya?ml$", re.IGNORECASE)


class BankError(Exception):
    """The bank (or a rules file) has problems; ``problems`` holds one readable line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def read_yaml(path: Path, data: bytes | None = None) -> object:
    """Parse a YAML file (a regular file of at most MAX_FILE_BYTES) with the safe reader: no aliases, merge
    keys, complex keys, deep nesting or huge numbers. Any problem is a one-line BankError naming the file."""
    try:
        if data is None:
            data = read_regular(path, MAX_FILE_BYTES)
        text = decode_utf8(data)
    except InputFileError as error:
        raise BankError([bounded(f"{path}: {error}")]) from None
    try:
        return safe_yaml.load(text)
    except safe_yaml.YamlInputError as error:
        raise BankError([bounded(f"{path}: {error}")]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise BankError([bounded(f"{path}: {where}YAML error: {error.problem or error}")]) from None
    except yaml.YAMLError as error:
        raise BankError([bounded(f"{path}: YAML error: {error}")]) from None


def field_path(loc: tuple) -> str:
    """Turn pydantic's error location into ``questions[1].options[0].feedback``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


_WHOLE_NUMBER_ERRORS = {"int_type", "int_parsing", "int_from_float", "int_parsing_size"}


def shown(value: object) -> str:
    """A value as the author wrote it: true, 2.5, "two", a list (JSON-like, cut short)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (null)"
    if isinstance(value, (int, float)):
        return quoted(value)
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, (list, tuple)):
        return f"a list ({len(value)} items)"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def describe(error: dict) -> str:
    kind = error["type"]
    if kind == "missing":
        return "missing field"
    if kind == "extra_forbidden":
        return "unknown field (not in the schema; check the spelling)"
    if kind in _WHOLE_NUMBER_ERRORS:
        days = any(isinstance(part, str) and part.startswith("day") for part in error["loc"])
        return f"expected a whole number{' of days' if days else ''}, got {shown(error.get('input'))}"
    if kind == "string_type":
        return f"expected text, got {shown(error.get('input'))}"
    if kind in ("list_type", "set_type", "frozen_set_type"):
        return f"expected a list, got {shown(error.get('input'))}"
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if kind in ("literal_error", "enum", "string_pattern_mismatch"):
        message += f" (got {shown(error.get('input'))})"
    return message


def validation_problems(path: Path, error: ValidationError) -> list[str]:
    """One bounded line per error, in pydantic's order (callers may add to a line by its index)."""
    return [bounded(f"{path}: {field_path(e['loc'])}: {describe(e)}") for e in error.errors(include_url=False)]


def kind_of(value: object) -> str:
    """ "a list", "a number": what a value is, in plain words."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a piece of text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def parse_case(path: Path, data: object) -> Case:
    if not isinstance(data, dict):
        found = "an empty file" if data is None else kind_of(data)
        raise BankError([bounded(f"{path}: (top level): expected a mapping of case fields, found {found}")])
    try:
        return Case.model_validate(data)
    except ValidationError as error:
        raise BankError(
            capped(validation_problems(path, error), MAX_PROBLEMS_PER_FILE, f"problems in {path.name}")
        ) from None


def cross_check(path: Path, case: Case, references: Mapping | None, sections: Mapping | None) -> list[str]:
    """Problems that need more than one file to see: file name, reference keys, section labels.

    ``references`` is None when the bibliography could not be read (already reported) or there is no book;
    ``sections`` is None when there is no book.
    """
    problems = []
    references = references if references is not None else _AnyKey()
    if case.id != path.stem:
        problems.append(f"{path}: id: '{case.id}' must match the file name '{path.stem}'")
    for index, key in enumerate(case.references):
        if key not in references:
            problems.append(f"{path}: references[{index}]: unknown reference key '{key}' (not in references.bib)")
    for q_index, question in enumerate(case.questions):
        where = f"questions[{q_index}]"
        for index, key in enumerate(question.references):
            if key not in references:
                problems.append(
                    f"{path}: {where}.references[{index}]: unknown reference key '{key}' (not in references.bib)"
                )
        if sections is not None and question.section not in sections:
            problems.append(f"{path}: {where}.section: no section labelled '({question.section})=' in book/")
    problems.extend(link_check(path, case))
    return problems


def markdown_fields(case: Case) -> Iterator[tuple[str, str]]:
    """(field path, text) of every case field rendered as Markdown."""
    yield "vignette", case.vignette
    for q_index, question in enumerate(case.questions):
        yield f"questions[{q_index}].stem", question.stem
        yield f"questions[{q_index}].explanation", question.explanation
        for o_index, option in enumerate(question.options):
            yield f"questions[{q_index}].options[{o_index}].text", option.text
            yield f"questions[{q_index}].options[{o_index}].feedback", option.feedback


def link_check(path: Path, case: Case) -> list[str]:
    """Links in case Markdown: relative ones, or https to a host on the allowlist (inputs/links.py)."""
    hosts = allowed_hosts()
    return [
        bounded(f"{path}: {where}: {problem}")
        for where, text in markdown_fields(case)
        for problem in link_problems(text, hosts)
    ]


def rules_check(path: Path, case: Case, rules) -> tuple[list[str], list[str]]:
    """(problems, warnings): a case whose category or action differs from what the triage rules give for
    its own findings is an error, unless the case says why in ``differs_from_rules`` (then a warning)."""
    from skintriage.rules import triage  # the rules package imports this module

    result = triage(case.findings, rules)
    if (result.category, result.action) == (case.category, case.action):
        return [], []
    line = (
        f"{path}: category: the case says {case.category} / {case.action}, but the triage rules give "
        f"{result.category} / {result.action} for its findings"
    )
    if case.differs_from_rules:
        return [], [bounded(f"{line} (acknowledged in differs_from_rules)")]
    return [
        bounded(f"{line}: fix the findings, category or action, or explain the difference in differs_from_rules")
    ], []


class _AnyKey:
    def __contains__(self, key: object) -> bool:
        return True


@dataclass
class Bank(Mapping[str, Case]):
    """The validated cases, in file-name order, with what is needed to link them into the book."""

    cases: dict[str, Case]
    files: dict[str, Path]
    fingerprint: str
    references: dict[str, course.Reference] = field(default_factory=dict)
    sections: dict[str, course.Section] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def __getitem__(self, case_id: str) -> Case:
        try:
            return self.cases[case_id]
        except KeyError:
            raise KeyError(f"no case with id '{case_id}' in the bank") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.cases)

    def __len__(self) -> int:
        return len(self.cases)

    def by_category(self, *categories: str) -> list[Case]:
        return [c for c in self.cases.values() if c.category in categories]


def fingerprint_files(paths: list[Path], root: Path | None = None, contents: dict | None = None) -> str:
    """A hash of the bank's content, so a training record can be checked against the bank it was taken on.

    Files are named by their path below ``root`` (for a flat folder: the file name, as before subfolders
    were read, so existing records still match)."""
    contents = contents or {}
    digest = hashlib.sha256()
    names = {path: (path.relative_to(root).as_posix() if root else path.name) for path in paths}
    for path in sorted(paths, key=names.__getitem__):
        digest.update(names[path].encode())
        digest.update(b"\0")
        digest.update(contents[path] if path in contents else path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def find_case_files(folder: Path) -> tuple[list[Path], list[str]]:
    """Every ``*.yaml``/``*.yml`` (any capitalisation) in ``folder`` and below, and a problem for each name
    that looks like a case file but would otherwise be missed (``bad.yaml `` with a trailing space).
    Folders are walked without following symbolic links to folders (no loops)."""
    found: list[Path] = []
    problems: list[str] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as error:
            problems.append(bounded(f"{current}: cannot list folder: {error.strerror or error}"))
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                pending.append(path)
            elif _CASE_SUFFIX.search(entry.name):
                found.append(path)
            elif _CASE_SUFFIX.search(entry.name.strip()):
                problems.append(
                    bounded(
                        f"{path}: file name {entry.name!r} has spaces around it: rename it to {entry.name.strip()!r}"
                    )
                )
            elif entry.is_symlink() and entry.is_dir():
                problems.append(bounded(f"{path}: a link to a folder: case folders are read without following links"))
    return sorted(found), problems


def _read_cases(
    paths: list[Path], references, sections, rules
) -> tuple[dict[str, Case], dict[str, Path], dict[Path, bytes], list[str], list[str]]:
    """(cases, their files, every file's bytes, problems, warnings) for the case files ``paths``."""
    cases: dict[str, Case] = {}
    files: dict[str, Path] = {}
    contents: dict[Path, bytes] = {}
    problems: list[str] = []
    warnings: list[str] = []
    for path in paths:
        try:
            data = read_regular(path, MAX_FILE_BYTES)
        except InputFileError as error:
            problems.append(bounded(f"{path}: {error}"))
            continue
        contents[path] = data
        try:
            case = parse_case(path, read_yaml(path, data))
        except BankError as error:
            problems.extend(error.problems)
            continue
        if case.id in cases:
            problems.append(bounded(f"{path}: id: duplicate id '{case.id}' (also in {files[case.id]})"))
            continue
        problems.extend(cross_check(path, case, references, sections))
        if rules is not None:
            rule_problems, rule_warnings = rules_check(path, case, rules)
            problems.extend(rule_problems)
            warnings.extend(rule_warnings)
        cases[case.id] = case
        files[case.id] = path
    return cases, files, contents, problems, warnings


def load_bank(cases_dir: Path | None = None, *, bib: Path | None = None, book: Path | None = None) -> Bank:
    """Load every case file in ``cases_dir`` and below (default: the shipped bank) or raise BankError."""
    if cases_dir is not None and str(cases_dir) == "":
        raise BankError(["(folder): the folder name is empty: give a folder of case files"])
    cases_dir = Path(cases_dir) if cases_dir else course.CASES_DIR
    if not cases_dir.is_dir():
        raise BankError([bounded(f"{cases_dir}: not a folder of case files")])
    paths, problems = find_case_files(cases_dir)
    if not paths and not problems:
        raise BankError([f"{cases_dir}: no case files (*.yaml) found"])

    # Reference keys and section labels live in the book: checked wherever the book is (a course folder, or
    # explicit files), and said to be unchecked where it is not (an installed package used elsewhere).
    book_notes: list[str] = []
    if bib is None and book is None and course.find_course_root() is None:
        references, sections = None, None
        book_notes.append(
            "reference keys and section links were not checked: no course folder here (run inside "
            "the course folder, which holds _config.yml and book/, or set SKINTRIAGE_ROOT)"
        )
    else:
        bib = bib or course.bib_file()
        try:
            references = course.read_bibliography(bib)
        except FileNotFoundError:
            problems.append(f"{bib}: bibliography not found (needed to check reference keys)")
            references = None
        except Exception as error:  # pybtex raises its own error types for malformed BibTeX
            problems.append(bounded(f"{bib}: cannot parse bibliography: {error}"))
            references = None
        try:
            sections = course.sections(book) if book is not None or course.find_course_root() else None
        except course.ChapterError as error:
            problems.append(bounded(str(error)))
            sections = {}
    try:
        allowed_hosts()  # links cannot be checked without it
    except BankError as error:
        raise BankError(problems + error.problems) from None
    from skintriage.rules import load_rules  # the rules package imports this module

    try:
        rules = load_rules()
    except BankError as error:
        problems.extend(error.problems)
        rules = None

    cases, files, contents, case_problems, warnings = _read_cases(paths, references, sections, rules)
    problems.extend(case_problems)
    if problems:
        raise BankError(problems)
    fingerprint = fingerprint_files(list(contents), cases_dir, contents)
    return Bank(cases, files, fingerprint, references or {}, sections or {}, book_notes + warnings)


def load_exam_bank(**options) -> Bank:
    """The held-back exam pool (``data/exam_cases/``): the questions that make training records.

    Validated exactly like the practice bank; never read by the trainee site's build.
    """
    return load_bank(course.EXAM_CASES_DIR, **options)
