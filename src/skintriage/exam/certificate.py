"""A one-page certificate for a passed knowledge check, drawn with matplotlib (PNG or PDF).

What an inspector looks for: the issuing clinic, a certificate number and how to verify
it, the learning outcomes, the study time (CPD hours), the refresher date, the attempt number, and the date
with its time zone.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from skintriage.exam.knowledge_check import Record

COURSE_TITLE = "Spots after microneedling: purge, reaction or infection?"
# Study time: the welcome chapter puts each of the 8 chapters at 15-20 minutes (about 2.5 hours with the
# checks), plus the case pages (about 2 hours) and this check: 4.5 hours is the estimate claimed for CPD.
STUDY_HOURS = 4.5


@dataclass(frozen=True)
class Issue:
    """Who issued the certificate and how to check it (from the register and the clinic key)."""

    clinic: str
    key_id: str
    refresher_due: str  # ISO date
    verify_hint: str = "Verify: skintriage records verify <record>.json (the signed JSON record of this attempt)"


def learning_outcomes() -> list[str]:
    """The numbered chapters' titles, read from the table of contents and the chapters themselves.

    Each chapter opens with its learning objectives; the certificate names the chapters whose objectives a
    pass covers, so the list can never drift from the course.
    """
    import yaml

    from skintriage.course import course_root

    root = course_root()
    try:
        toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    except OSError:
        return []
    titles = []
    for part in toc.get("parts", []):
        if not part.get("numbered"):
            continue
        for chapter in part.get("chapters", []):
            path = root / f"{chapter['file']}.md"
            text = path.read_text(encoding="utf-8") if path.exists() else ""
            heading = re.search(r"^# (.+)$", text, re.M)
            if heading and "you will be able to" in text:  # chapters with learning objectives only
                titles.append(heading.group(1).strip())
    return titles


def _date(submitted_at: str) -> str:
    """ "02 December 2026, 09:14 UTC+01:00": the time zone is always shown."""
    try:
        moment = datetime.fromisoformat(submitted_at)
    except ValueError:
        return submitted_at
    if moment.tzinfo is None:
        return moment.strftime("%d %B %Y, %H:%M") + " (time zone not recorded)"
    offset = moment.strftime("%z")
    zone = "UTC" if offset in ("+0000", "-0000") else f"UTC{offset[:3]}:{offset[3:]}"
    return moment.strftime("%d %B %Y, %H:%M ") + zone


def _long_date(iso_date: str) -> str:
    try:
        return datetime.fromisoformat(iso_date).strftime("%d %B %Y")
    except ValueError:
        return iso_date


def certificate_figure(record: Record, course_title: str = COURSE_TITLE, issue: Issue | None = None) -> Figure:
    """An A4 landscape page naming the trainee, the score, the date and the bank fingerprint.

    With ``issue`` (a training record from the register) it also names the clinic, the certificate number
    (the attempt id), the attempt number, the refresher date, the learning outcomes, the study time and how to
    verify it.
    """
    if issue is not None:
        return _register_certificate(record, course_title, issue)
    if not record.passed:
        raise ValueError("a certificate is issued only for a pass")
    figure = Figure(figsize=(11.69, 8.27))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    border = dict(fill=False, linewidth=3, edgecolor="#1f4e79")
    axes.add_patch(Rectangle((0.04, 0.05), 0.92, 0.9, **border))
    text = dict(ha="center", va="center", color="#1a1a1a")
    axes.text(0.5, 0.84, "Certificate of completion", fontsize=30, weight="bold", color="#1f4e79", ha="center")
    axes.text(0.5, 0.74, "This certifies that", fontsize=16, **text)
    axes.text(0.5, 0.65, record.name or "(no name given)", fontsize=28, weight="bold", parse_math=False, **text)
    axes.text(0.5, 0.56, "passed the knowledge check of the course", fontsize=16, **text)
    axes.text(0.5, 0.49, course_title, fontsize=17, style="italic", **text)
    axes.text(
        0.5,
        0.38,
        f"Score {record.correct} of {record.total} ({record.score_percent:g} %); pass mark {record.pass_mark:g} %",
        fontsize=15,
        **text,
    )
    axes.text(0.5, 0.32, f"Taken {_date(record.submitted_at)}", fontsize=13, **text)
    axes.text(
        0.5,
        0.16,
        f"Question set {record.seed} \u00b7 case bank {record.bank_fingerprint[:16]}\n"
        "The full training record (JSON) can be checked against this case bank version.",
        fontsize=10,
        color="#444444",
        ha="center",
        va="center",
    )
    axes.text(
        0.5,
        0.09,
        "Training in recognition, red flags, documentation and escalation for non-prescribing staff. "
        "Not a qualification to diagnose or prescribe.",
        fontsize=9,
        color="#444444",
        ha="center",
        va="center",
    )
    return figure


def _register_certificate(record: Record, course_title: str, issue: Issue) -> Figure:
    if not record.passed:
        raise ValueError("a certificate is issued only for a pass")
    figure = Figure(figsize=(11.69, 8.27))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.add_patch(Rectangle((0.04, 0.04), 0.92, 0.92, fill=False, linewidth=3, edgecolor="#1f4e79"))
    centre = dict(ha="center", va="center", color="#1a1a1a", parse_math=False)
    small = dict(ha="left", va="top", color="#1a1a1a", fontsize=9.5, parse_math=False)
    axes.text(0.5, 0.905, issue.clinic, fontsize=15, weight="bold", **centre)
    axes.text(
        0.5, 0.845, "Certificate of completion", fontsize=28, weight="bold", color="#1f4e79", ha="center", va="center"
    )
    axes.text(0.5, 0.78, "This certifies that", fontsize=14, **centre)
    axes.text(0.5, 0.725, record.name or "(no name given)", fontsize=26, weight="bold", **centre)
    axes.text(0.5, 0.67, "passed the knowledge check of the course", fontsize=14, **centre)
    axes.text(0.5, 0.625, course_title, fontsize=15, style="italic", **centre)
    axes.text(
        0.5,
        0.565,
        f"Score {record.correct} of {record.total} ({record.score_percent:g} %); pass mark {record.pass_mark:g} %; "
        f"attempt {record.attempt_number or 1}",
        fontsize=13,
        **centre,
    )
    axes.text(
        0.5,
        0.52,
        f"Taken {_date(record.submitted_at)}  \u00b7  Refresher due by {_long_date(issue.refresher_due)}",
        fontsize=12,
        **centre,
    )
    outcomes = learning_outcomes()
    lines = ["Learning outcomes: the objectives of the course's chapters"]
    lines += [f"  \u2022 {title}" for title in outcomes]
    axes.text(0.08, 0.47, "\n".join(lines), linespacing=1.35, **small)
    details = [
        f"Certificate number: {record.attempt_id}",
        *([f"Staff id: {record.staff_id}"] if record.staff_id else []),
        f"Estimated study time: {STUDY_HOURS:g} hours (CPD)",
        f"Issued by: {issue.clinic}",
        f"Signed with clinic key {issue.key_id} (Ed25519)",
        f"Question set {record.seed}; exam pool {record.bank_fingerprint[:12]}",
    ]
    axes.text(0.56, 0.47, "\n".join(details), linespacing=1.5, **small)
    axes.text(
        0.5,
        0.115,
        issue.verify_hint + "\nor the certificate's signature file (<certificate>.pdf.sig).",
        fontsize=9,
        color="#333333",
        ha="center",
        va="center",
        parse_math=False,
    )
    axes.text(
        0.5,
        0.065,
        "Training in recognition, red flags, documentation and escalation for non-prescribing staff. "
        "Not a qualification to diagnose or prescribe.",
        fontsize=8.5,
        color="#333333",
        ha="center",
        va="center",
    )
    return figure


def certificate_bytes(record: Record, fmt: str = "png", issue: Issue | None = None) -> bytes:
    buffer = io.BytesIO()
    metadata = {"Title": f"Certificate {record.attempt_id}".strip()} if fmt == "pdf" else None
    certificate_figure(record, issue=issue).savefig(
        buffer, format=fmt, dpi=100 if fmt == "png" else None, metadata=metadata
    )
    return buffer.getvalue()


def save_certificate(record: Record, path: Path, issue: Issue | None = None) -> Path:
    """Write the certificate; the format follows the suffix (.png or .pdf). An existing file is never replaced."""
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower() or "png"
    if fmt not in {"png", "pdf"}:
        raise ValueError("certificate must be .png or .pdf")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as handle:
        handle.write(certificate_bytes(record, fmt, issue))
    return path
