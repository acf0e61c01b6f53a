"""A one-page certificate for a passed knowledge check, drawn with matplotlib (PNG or PDF)."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from skintriage.exam.knowledge_check import Record

COURSE_TITLE = "Spots after microneedling: purge, reaction or infection?"


def _date(submitted_at: str) -> str:
    try:
        return datetime.fromisoformat(submitted_at).strftime("%d %B %Y, %H:%M")
    except ValueError:
        return submitted_at


def certificate_figure(record: Record, course_title: str = COURSE_TITLE) -> Figure:
    """An A4 landscape page naming the trainee, the score, the date and the bank fingerprint."""
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
        0.5, 0.38,
        f"Score {record.correct} of {record.total} ({record.score_percent:g} %); pass mark {record.pass_mark:g} %",
        fontsize=15, **text,
    )
    axes.text(0.5, 0.32, f"Taken {_date(record.submitted_at)}", fontsize=13, **text)
    axes.text(
        0.5, 0.16,
        f"Question set {record.seed} \u00b7 case bank {record.bank_fingerprint[:16]}\n"
        "The full training record (JSON) can be checked against this case bank version.",
        fontsize=10, color="#444444", ha="center", va="center",
    )
    axes.text(
        0.5, 0.09,
        "Training in recognition, red flags, documentation and escalation for non-prescribing staff. "
        "Not a qualification to diagnose or prescribe.",
        fontsize=9, color="#444444", ha="center", va="center",
    )
    return figure


def certificate_bytes(record: Record, fmt: str = "png") -> bytes:
    buffer = io.BytesIO()
    certificate_figure(record).savefig(buffer, format=fmt, dpi=100 if fmt == "png" else None)
    return buffer.getvalue()


def save_certificate(record: Record, path: Path) -> Path:
    """Write the certificate; the format follows the suffix (.png or .pdf)."""
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower() or "png"
    if fmt not in {"png", "pdf"}:
        raise ValueError("certificate must be .png or .pdf")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(certificate_bytes(record, fmt))
    return path
