"""Where the course lives and what its book offers to link to: section labels and bibliography keys."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
CASES_DIR = DATA_DIR / "cases"
# The held-back exam pool: only the training-record check and the instructor edition read it.
EXAM_CASES_DIR = DATA_DIR / "exam_cases"
RULES_FILE = DATA_DIR / "triage_rules.yaml"
STATIC_DIR = PACKAGE_DIR / "static"


class CourseNotFound(Exception):
    """No course folder: the package was asked for the book outside one."""


def find_course_root(start: Path | None = None) -> Path | None:
    """The course folder (it holds ``_config.yml`` and ``book/``): ``SKINTRIAGE_ROOT`` if set, else the current
    folder or the nearest one above it, as git finds its repository. None outside a course folder.

    Never derived from where the package is installed: an installed wheel has no book beside it.
    """
    override = os.environ.get("SKINTRIAGE_ROOT")
    if override:
        return Path(override).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_config.yml").is_file() and (folder / "book").is_dir():
            return folder
    return None


def course_root() -> Path:
    root = find_course_root()
    if root is None:
        raise CourseNotFound(
            f"no course folder at or above {Path.cwd()}: run inside the course folder (it holds _config.yml and "
            "book/), or set SKINTRIAGE_ROOT"
        )
    return root


def book_dir() -> Path:
    return course_root() / "book"


def bib_file() -> Path:
    return book_dir() / "references.bib"


@dataclass(frozen=True)
class Section:
    label: str
    docname: str  # path of the page without suffix, relative to the course root, e.g. "book/infection"
    title: str


_LABEL = re.compile(r"^\(([A-Za-z0-9_.:-]+)\)=\s*$")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$")


class ChapterError(ValueError):
    """A chapter that cannot be read as text; the message is one line naming the file."""


def _chapter_lines(path: Path) -> list[str]:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        raise ChapterError(
            f"{path}: not UTF-8 text (byte 0x{data[error.start]:02x} at position {error.start}): "
            "save the chapter as UTF-8"
        ) from None


def scan_sections(directory: Path) -> dict[str, Section]:
    """Map each MyST label ``(label)=`` in ``directory/**/*.md`` to the heading that follows it."""
    sections: dict[str, Section] = {}
    root = directory.parent
    for path in sorted(directory.rglob("*.md")):
        if "_build" in path.parts:
            continue
        lines = _chapter_lines(path)
        for number, line in enumerate(lines):
            match = _LABEL.match(line)
            if not match:
                continue
            title = next((h.group(1) for h in map(_HEADING.match, lines[number + 1 : number + 4]) if h), match.group(1))
            docname = path.relative_to(root).with_suffix("").as_posix()
            sections[match.group(1)] = Section(match.group(1), docname, title)
    return sections


@lru_cache(maxsize=4)
def _sections_cached(directory: str, stamp: float) -> dict[str, Section]:
    return scan_sections(Path(directory))


def sections(directory: Path | None = None) -> dict[str, Section]:
    directory = directory or book_dir()
    if not directory.is_dir():
        return {}
    stamp = max((p.stat().st_mtime for p in directory.rglob("*.md")), default=0.0)
    return _sections_cached(str(directory), stamp)


@dataclass(frozen=True)
class Reference:
    key: str
    label: str  # short "Author et al. Year" for inline use
    title: str


def _short_label(entry) -> str:
    persons = entry.persons.get("author", [])
    year = entry.fields.get("year", "n.d.")
    if not persons:
        return f"{entry.fields.get('title', '?')} {year}"
    first = " ".join(persons[0].last_names) or str(persons[0])
    first = first.replace("{", "").replace("}", "")
    others = persons[1:]
    if not others:
        return f"{first} {year}"
    if len(others) == 1 and str(others[0]) != "others":
        second = " ".join(others[0].last_names).replace("{", "").replace("}", "")
        return f"{first} & {second} {year}"
    return f"{first} et al. {year}"


def read_bibliography(path: Path | None = None) -> dict[str, Reference]:
    """Parse the course bibliography into short labels. Raises FileNotFoundError if it is missing."""
    from pybtex.database import parse_file

    path = path or bib_file()
    database = parse_file(str(path), bib_format="bibtex")
    return {
        key: Reference(key, _short_label(entry), entry.fields.get("title", "").replace("{", "").replace("}", ""))
        for key, entry in database.entries.items()
    }
