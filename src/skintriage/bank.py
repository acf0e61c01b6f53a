"""Load and validate the case bank: one YAML file per case.

Every problem is reported as ``<file>: <field>: <message>``, all problems at once, and loading fails as a
whole: a bad file is never skipped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from . import course
from .schema import Case


class BankError(Exception):
    """The bank (or a rules file) has problems; ``problems`` holds one readable line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys; a case file with a repeated key is an error instead."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> object:
    """Parse a YAML file; syntax errors become a one-line BankError naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BankError([f"{path}: cannot read file: {error}"]) from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise BankError([f"{path}: {where}YAML error: {error.problem or error}"]) from None
    except yaml.YAMLError as error:
        raise BankError([f"{path}: YAML error: {error}"]) from None


def field_path(loc: tuple) -> str:
    """Turn pydantic's error location into ``questions[1].options[0].feedback``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def describe(error: dict) -> str:
    kind = error["type"]
    if kind == "missing":
        return "missing field"
    if kind == "extra_forbidden":
        return "unknown field (not in the schema; check the spelling)"
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if kind == "literal_error" or kind == "enum":
        message += f" (got {error.get('input')!r})"
    return message


def validation_problems(path: Path, error: ValidationError) -> list[str]:
    return [f"{path}: {field_path(e['loc'])}: {describe(e)}" for e in error.errors()]


def parse_case(path: Path, data: object) -> Case:
    if not isinstance(data, dict):
        found = "an empty file" if data is None else f"a {type(data).__name__}"
        raise BankError([f"{path}: (top level): expected a mapping of case fields, found {found}"])
    try:
        return Case.model_validate(data)
    except ValidationError as error:
        raise BankError(validation_problems(path, error)) from None


def cross_check(path: Path, case: Case, references: Mapping | None, sections: Mapping) -> list[str]:
    """Problems that need more than one file to see: file name, reference keys, section labels.

    ``references`` is None when the bibliography itself could not be read (already reported).
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
        if question.section not in sections:
            problems.append(f"{path}: {where}.section: no section labelled '({question.section})=' in book/")
    return problems


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


def fingerprint_files(paths: list[Path]) -> str:
    """A hash of the bank's content, so a training record can be checked against the bank it was taken on."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def load_bank(
    cases_dir: Path | None = None, *, bib: Path | None = None, book: Path | None = None
) -> Bank:
    """Load every ``*.yaml`` case in ``cases_dir`` (default: the shipped bank) or raise BankError."""
    cases_dir = Path(cases_dir) if cases_dir else course.CASES_DIR
    if not cases_dir.is_dir():
        raise BankError([f"{cases_dir}: not a folder of case files"])
    paths = sorted(cases_dir.glob("*.yaml")) + sorted(cases_dir.glob("*.yml"))
    if not paths:
        raise BankError([f"{cases_dir}: no case files (*.yaml) found"])

    problems: list[str] = []
    bib = bib or course.bib_file()
    try:
        references = course.read_bibliography(bib)
    except FileNotFoundError:
        problems.append(f"{bib}: bibliography not found (needed to check reference keys)")
        references = None
    except Exception as error:  # pybtex raises its own error types for malformed BibTeX
        problems.append(f"{bib}: cannot parse bibliography: {error}")
        references = None
    sections = course.sections(book)

    cases: dict[str, Case] = {}
    files: dict[str, Path] = {}
    for path in paths:
        try:
            case = parse_case(path, read_yaml(path))
        except BankError as error:
            problems.extend(error.problems)
            continue
        if case.id in cases:
            problems.append(f"{path}: id: duplicate id '{case.id}' (also in {files[case.id]})")
            continue
        problems.extend(cross_check(path, case, references, sections))
        cases[case.id] = case
        files[case.id] = path
    if problems:
        raise BankError(problems)
    return Bank(cases, files, fingerprint_files(paths), references or {}, sections)


def load_exam_bank(**options) -> Bank:
    """The held-back exam pool (``data/exam_cases/``): the questions that make training records.

    Validated exactly like the practice bank; never read by the trainee site's build.
    """
    return load_bank(course.EXAM_CASES_DIR, **options)
