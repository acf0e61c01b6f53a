"""The register's tables: staff (the roster), attempts (one per knowledge-check submission) and answers (one
per question of an attempt). Revision 0003_register creates them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from skintriage.store.db import Base


def utcnow() -> datetime:
    return datetime.now(UTC)


class Staff(Base):
    __tablename__ = "register_staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(80))
    site: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attempts: Mapped[list[Attempt]] = relationship(
        back_populates="staff", cascade="all, delete-orphan", passive_deletes=True, order_by="Attempt.submitted_at"
    )


class Attempt(Base):
    """One submitted knowledge check; ``record_json`` is the signed record exactly as issued."""

    __tablename__ = "register_attempt"
    __table_args__ = (UniqueConstraint("staff_pk", "attempt_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[str] = mapped_column(String(32), unique=True)
    staff_pk: Mapped[int] = mapped_column(ForeignKey("register_staff.id", ondelete="CASCADE"), index=True)
    attempt_number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))  # as shown on the record at the time
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seed: Mapped[int] = mapped_column(Integer)
    n_questions: Mapped[int] = mapped_column(Integer)
    pass_mark: Mapped[float] = mapped_column(Float)
    bank_fingerprint: Mapped[str] = mapped_column(String(64))
    correct: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    score_percent: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    key_id: Mapped[str] = mapped_column(String(32))
    record_json: Mapped[str] = mapped_column(Text)
    staff: Mapped[Staff] = relationship(back_populates="attempts")
    answers: Mapped[list[TrainingAnswer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", passive_deletes=True, order_by="TrainingAnswer.number"
    )


class TrainingAnswer(Base):
    __tablename__ = "register_answer"
    __table_args__ = (UniqueConstraint("attempt_pk", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_pk: Mapped[int] = mapped_column(ForeignKey("register_attempt.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    case_id: Mapped[str] = mapped_column(String(120))
    question_id: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(30))
    answer_given: Mapped[str] = mapped_column(String(1000))  # option ids joined with ";"
    is_correct: Mapped[bool] = mapped_column(Boolean)
    attempt: Mapped[Attempt] = relationship(back_populates="answers")
