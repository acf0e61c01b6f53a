"""The classroom's tables: a class session, its seats (one per phone), its polls (one question, one round) and
the answers (one per seat per poll). Revision 0002_classroom creates them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from skintriage.store.db import Base


def utcnow() -> datetime:
    return datetime.now(UTC)


class ClassSession(Base):
    __tablename__ = "class_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Seat(Base):
    __tablename__ = "class_seat"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id", ondelete="CASCADE"), index=True)
    # Only a hash of the seat token is stored: the database never holds a credential a trainee could replay.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(40), nullable=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Poll(Base):
    """One question put to the room in one round; the newest poll of a session is the one on screen."""

    __tablename__ = "class_poll"
    __table_args__ = (UniqueConstraint("session_id", "case_id", "question_id", "round"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[str] = mapped_column(String(120))
    question_id: Mapped[str] = mapped_column(String(120))
    round: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open, closed, revealed
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Answer(Base):
    __tablename__ = "class_answer"
    __table_args__ = (UniqueConstraint("poll_id", "seat_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("class_poll.id", ondelete="CASCADE"), index=True)
    seat_id: Mapped[int] = mapped_column(ForeignKey("class_seat.id", ondelete="CASCADE"))
    option_ids: Mapped[str] = mapped_column(String(1000))  # sorted, comma-separated (multiple-answer questions)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
