"""What the clinic lead sees: each person's status, the team's scores by topic, exports, question statistics.

Status of one person, from their attempts and the refresher interval:

- **never taken**: no attempt;
- **failed**: attempts, but none passed;
- **overdue**: the last pass is older than the refresher interval;
- **due soon**: the refresher falls due within ``due_window_days`` (30 by default);
- **passed**: passed, refresher not yet due.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from skintriage.exam import knowledge_check as kc

from .attempts import DEFAULT_REFRESHER_MONTHS, add_months, as_utc
from .models import Attempt, Staff
from .stats import QuestionStats, Response, question_stats

STATUSES = ["passed", "due soon", "overdue", "failed", "never taken"]
DUE_WINDOW_DAYS = 30


@dataclass
class StaffRow:
    staff_id: str
    name: str
    role: str
    site: str
    status: str
    attempts: int
    last_attempt: str  # ISO date-time, "" if none
    last_score: str  # "17 of 20 (85 %)"
    last_passed: str  # ISO date, "" if never
    refresher_due: str  # ISO date, "" if never passed


def _status(attempts: list[Attempt], now: datetime, months: int, window: int) -> tuple[str, str, str]:
    passes = [a for a in attempts if a.passed]
    if not attempts:
        return "never taken", "", ""
    if not passes:
        return "failed", "", ""
    last_pass = max(as_utc(a.submitted_at) for a in passes)
    due = add_months(last_pass, months)
    if now >= due:
        status = "overdue"
    elif due - now <= timedelta(days=window):
        status = "due soon"
    else:
        status = "passed"
    return status, last_pass.date().isoformat(), due.date().isoformat()


def staff_rows(
    session: Session,
    *,
    now: datetime | None = None,
    refresher_months: int = DEFAULT_REFRESHER_MONTHS,
    due_window_days: int = DUE_WINDOW_DAYS,
    site: str | None = None,
    role: str | None = None,
) -> list[StaffRow]:
    now = as_utc(now or datetime.now(UTC))
    query = select(Staff).options(selectinload(Staff.attempts)).order_by(Staff.site, Staff.name, Staff.staff_id)
    if site:
        query = query.where(Staff.site == site)
    if role:
        query = query.where(Staff.role == role)
    rows = []
    for staff in session.scalars(query):
        attempts = sorted(staff.attempts, key=lambda a: as_utc(a.submitted_at))
        status, last_passed, due = _status(attempts, now, refresher_months, due_window_days)
        last = attempts[-1] if attempts else None
        rows.append(
            StaffRow(
                staff_id=staff.staff_id,
                name=staff.name,
                role=staff.role,
                site=staff.site,
                status=status,
                attempts=len(attempts),
                last_attempt=as_utc(last.submitted_at).isoformat(timespec="minutes") if last else "",
                last_score=f"{last.correct} of {last.total} ({last.score_percent:g} %)" if last else "",
                last_passed=last_passed,
                refresher_due=due,
            )
        )
    return rows


def sites_and_roles(session: Session) -> tuple[list[str], list[str]]:
    sites = sorted(set(session.scalars(select(Staff.site))))
    roles = sorted(set(session.scalars(select(Staff.role))))
    return sites, roles


def counts(rows: list[StaffRow]) -> dict[str, int]:
    return {status: sum(r.status == status for r in rows) for status in STATUSES}


# --- exports ------------------------------------------------------------------------------------------------

EXPORT_FIELDS = list(StaffRow.__dataclass_fields__)


def to_csv(rows: list[StaffRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        # A leading =, +, - or @ would be run as a formula by a spreadsheet: quote it as text.
        writer.writerow({k: _safe_cell(v) for k, v in asdict(row).items()})
    return out.getvalue()


def _safe_cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_xlsx(rows: list[StaffRow]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Training register"
    sheet.append(EXPORT_FIELDS)
    for row in rows:
        sheet.append([_safe_cell(v) for v in asdict(row).values()])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- topics: staff x category -------------------------------------------------------------------------------


def topic_scores(
    session: Session, staff_ids: list[str] | None = None
) -> tuple[list[str], list[str], list[list[float | None]]]:
    """(staff names, topic titles, percent right) from each person's latest attempt; None where not asked."""
    query = select(Staff).options(selectinload(Staff.attempts).selectinload(Attempt.answers)).order_by(Staff.name)
    people = [s for s in session.scalars(query) if s.attempts and (staff_ids is None or s.staff_id in staff_ids)]
    categories = [c for c in kc.CATEGORY_TITLES]
    names, matrix = [], []
    for staff in people:
        latest = max(staff.attempts, key=lambda a: as_utc(a.submitted_at))
        right: dict[str, int] = {}
        total: dict[str, int] = {}
        for answer in latest.answers:
            total[answer.category] = total.get(answer.category, 0) + 1
            right[answer.category] = right.get(answer.category, 0) + int(answer.is_correct)
        names.append(f"{staff.name} ({staff.staff_id})")
        matrix.append([100.0 * right[c] / total[c] if total.get(c) else None for c in categories])
    return names, [kc.CATEGORY_TITLES[c] for c in categories], matrix


def heatmap_figure(names: list[str], topics: list[str], matrix: list[list[float | None]]):
    """A staff x topic heat map of percent right (grey where the topic was not asked)."""
    import numpy as np
    from matplotlib.figure import Figure

    data = np.array([[np.nan if v is None else v for v in row] for row in matrix], dtype=float)
    figure = Figure(figsize=(max(6.0, 0.9 * len(topics) + 3), max(2.5, 0.45 * len(names) + 2)), layout="constrained")
    axes = figure.add_subplot()
    axes.set_facecolor("#d9d9d9")
    image = axes.imshow(np.ma.masked_invalid(data), cmap="RdYlGn", vmin=0, vmax=100, aspect="auto")
    axes.set_xticks(range(len(topics)), labels=topics, rotation=35, ha="right")
    axes.set_yticks(range(len(names)), labels=names)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            axes.text(j, i, "-" if value is None else f"{value:.0f}", ha="center", va="center", fontsize=8)
    figure.colorbar(image, ax=axes, label="questions right (%)")
    axes.set_title("Latest attempt: questions right by topic (- = not asked)")
    return figure


# --- question statistics --------------------------------------------------------------------------------------


def responses(session: Session, *, first_attempt_only: bool = True) -> list[Response]:
    """Every stored answer as a :class:`Response`; by default only each person's first attempt (as Moodle)."""
    query = select(Attempt).options(selectinload(Attempt.answers))
    if first_attempt_only:
        query = query.where(Attempt.attempt_number == 1)
    found = []
    for attempt in session.scalars(query):
        for answer in attempt.answers:
            given = tuple(o for o in answer.answer_given.split(";") if o)
            found.append(
                Response(attempt.attempt_id, f"{answer.case_id}/{answer.question_id}", given, answer.is_correct)
            )
    return found


def right_answers(bank) -> dict[str, set[str]]:
    return {f"{case.id}/{q.id}": set(q.answer) for case in bank.values() for q in case.questions}


def stored_question_stats(session: Session, bank, *, first_attempt_only: bool = True) -> list[QuestionStats]:
    return question_stats(responses(session, first_attempt_only=first_attempt_only), right_answers(bank))


def stats_figure(stats: list[QuestionStats]):
    """Facility (bars) and discrimination (dots) per question; flagged questions in red."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, max(2.5, 0.32 * len(stats) + 1.5)), layout="constrained")
    axes = figure.add_subplot()
    labels = [s.question for s in stats][::-1]
    facility = [s.facility for s in stats][::-1]
    colours = ["#c62828" if s.flags else "#1f4e79" for s in stats][::-1]
    axes.barh(labels, facility, color=colours, label="facility index (% right)")
    disc = [(i, s.discrimination) for i, s in enumerate(stats[::-1]) if s.discrimination is not None]
    if disc:
        axes.scatter(
            [d for _, d in disc],
            [i for i, _ in disc],
            color="#000000",
            marker="D",
            zorder=3,
            label="discrimination index",
        )
    axes.axvline(0, color="#444444", linewidth=0.8)
    axes.set_xlim(-100, 100)
    axes.set_xlabel("per cent; red bars: flagged questions")
    axes.legend(loc="lower left", fontsize=8)
    axes.tick_params(axis="y", labelsize=7)
    return figure
