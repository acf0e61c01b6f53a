"""The staff roster: ``skintriage staff import staff.csv`` and ``skintriage staff list``.

The CSV has a header row with the columns ``staff_id``, ``name``, ``role`` and ``site`` (in any order, any
letter case; extra columns are an error so a misspelt column is not ignored). A staff id that is already in the
register is updated, never duplicated. A file with any bad row imports nothing, and every problem is reported
as ``<file>: row N, column C: message`` (row 1 is the header).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Staff, utcnow

COLUMNS = ["staff_id", "name", "role", "site"]
MAX_LENGTH = {"staff_id": 40, "name": 120, "role": 80, "site": 80}
MAX_ROWS = 10_000


class RosterError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ImportResult:
    added: int
    updated: int
    unchanged: int


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def read_roster(path: Path) -> list[dict[str, str]]:
    """The rows of a roster CSV, validated; raises RosterError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # spreadsheets often add a byte-order mark
    except (OSError, UnicodeDecodeError) as error:
        raise RosterError([f"{path}: cannot read file: {error}"]) from None
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise RosterError([f"{path}: row 1: empty file; expected a header row: {','.join(COLUMNS)}"])
    names = [h.strip().lower().replace(" ", "_") for h in header]
    problems = []
    for index, name in enumerate(names, start=1):
        if name not in COLUMNS:
            problems.append(
                f"{path}: row 1, column {index} ('{header[index - 1]}'): unknown column (expected {', '.join(COLUMNS)})"
            )
    for column in COLUMNS:
        if names.count(column) == 0:
            problems.append(f"{path}: row 1: missing column '{column}'")
        elif names.count(column) > 1:
            problems.append(f"{path}: row 1: column '{column}' appears twice")
    if problems:
        raise RosterError(problems)

    rows, seen = [], {}
    for number, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue  # blank lines are allowed
        if number > MAX_ROWS + 1:
            problems.append(f"{path}: row {number}: more than {MAX_ROWS} staff in one file")
            break
        if len(raw) != len(names):
            problems.append(f"{path}: row {number}: {len(raw)} cells, but the header has {len(names)}")
            continue
        row = {name: _clean(cell) for name, cell in zip(names, raw)}
        for column in COLUMNS:
            value = row[column]
            if not value:
                problems.append(f"{path}: row {number}, column {column}: empty")
            elif len(value) > MAX_LENGTH[column]:
                problems.append(f"{path}: row {number}, column {column}: longer than {MAX_LENGTH[column]} characters")
            elif any(ord(c) < 32 for c in value):
                problems.append(f"{path}: row {number}, column {column}: contains control characters")
        staff_id = row["staff_id"]
        if staff_id and staff_id in seen:
            problems.append(f"{path}: row {number}, column staff_id: '{staff_id}' already on row {seen[staff_id]}")
        seen.setdefault(staff_id, number)
        rows.append(row)
    if problems:
        raise RosterError(problems)
    if not rows:
        raise RosterError([f"{path}: no staff rows after the header"])
    return rows


def import_roster(session: Session, path: Path) -> ImportResult:
    """Add or update every row of ``path`` in one transaction (the caller commits)."""
    rows = read_roster(path)
    existing = {
        s.staff_id: s for s in session.scalars(select(Staff).where(Staff.staff_id.in_([r["staff_id"] for r in rows])))
    }
    added = updated = unchanged = 0
    for row in rows:
        staff = existing.get(row["staff_id"])
        if staff is None:
            session.add(Staff(**row, updated_at=utcnow()))
            added += 1
        elif (staff.name, staff.role, staff.site) != (row["name"], row["role"], row["site"]):
            staff.name, staff.role, staff.site, staff.updated_at = row["name"], row["role"], row["site"], utcnow()
            updated += 1
        else:
            unchanged += 1
    return ImportResult(added, updated, unchanged)


def list_staff(session: Session) -> list[Staff]:
    return list(session.scalars(select(Staff).order_by(Staff.site, Staff.name, Staff.staff_id)))


def find_staff(session: Session, staff_id: str) -> Staff | None:
    return session.scalar(select(Staff).where(Staff.staff_id == _clean(staff_id)))
