"""The classroom's state in the database: sessions, seats, polls and answers.

The class server keeps nothing that matters in memory: a server killed mid-question and restarted finds the
open session, its seats, the poll on screen and every acknowledged answer here. Each method is one short
transaction that has committed when it returns, so an acknowledgement is only sent for stored data.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from skintriage.classroom.models import Answer, ClassSession, Poll, Seat, utcnow

# No 0/O, 1/I/L, 2/Z, 5/S or 8/B: a code read off a projector is typed right first time.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 5
OPEN, CLOSED, REVEALED = "open", "closed", "revealed"


class ClassroomError(Exception):
    """A request the classroom cannot carry out, with the HTTP status and a message for the user."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@dataclass(frozen=True)
class SeatInfo:
    id: int
    session_id: int
    code: str
    display_name: str | None


@dataclass(frozen=True)
class PollInfo:
    id: int
    session_id: int
    case_id: str
    question_id: str
    round: int
    status: str
    opened_at: datetime


def _poll_info(poll: Poll) -> PollInfo:
    return PollInfo(poll.id, poll.session_id, poll.case_id, poll.question_id, poll.round, poll.status, poll.opened_at)


class ClassroomStore:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    # --- sessions and seats -----------------------------------------------------------------------------

    def open_session(self) -> tuple[int, str]:
        """A new class session with a fresh join code; the newest open session is the room's."""
        for _ in range(20):
            with self._sessions.begin() as db:
                try:
                    session = ClassSession(code=new_code())
                    db.add(session)
                    db.flush()
                    return session.id, session.code
                except IntegrityError:  # the code is taken by an earlier session: draw another
                    db.rollback()
        raise ClassroomError(503, "could not find a free session code; try again")

    def current_session(self) -> tuple[int, str] | None:
        with self._sessions() as db:
            row = db.execute(
                select(ClassSession.id, ClassSession.code)
                .where(ClassSession.ended_at.is_(None))
                .order_by(ClassSession.id.desc())
                .limit(1)
            ).first()
            return (row.id, row.code) if row else None

    def end_session(self, session_id: int) -> None:
        with self._sessions.begin() as db:
            session = db.get(ClassSession, session_id)
            if session is not None and session.ended_at is None:
                session.ended_at = utcnow()

    def session_by_code(self, code: str) -> tuple[int, str] | None:
        with self._sessions() as db:
            row = db.execute(
                select(ClassSession.id, ClassSession.code, ClassSession.ended_at).where(
                    ClassSession.code == code.strip().upper()
                )
            ).first()
        if row is None or row.ended_at is not None:
            return None
        return row.id, row.code

    def join(self, code: str, display_name: str | None) -> tuple[SeatInfo, str]:
        """A new seat in the session with this code, and the seat token (only its hash is stored)."""
        found = self.session_by_code(code)
        if found is None:
            raise ClassroomError(404, f"no open class session has the code '{code}': check the code on the screen")
        token = secrets.token_urlsafe(24)
        with self._sessions.begin() as db:
            seat = Seat(session_id=found[0], token_hash=hash_token(token), display_name=display_name or None)
            db.add(seat)
            db.flush()
            info = SeatInfo(seat.id, found[0], found[1], seat.display_name)
        return info, token

    def seat_for_token(self, token: str) -> SeatInfo | None:
        with self._sessions() as db:
            row = db.execute(
                select(Seat.id, Seat.session_id, Seat.display_name, ClassSession.code, ClassSession.ended_at)
                .join(ClassSession, ClassSession.id == Seat.session_id)
                .where(Seat.token_hash == hash_token(token))
            ).first()
        if row is None or row.ended_at is not None:
            return None
        return SeatInfo(row.id, row.session_id, row.code, row.display_name)

    def seat_count(self, session_id: int) -> int:
        with self._sessions() as db:
            return db.scalar(select(func.count()).select_from(Seat).where(Seat.session_id == session_id)) or 0

    # --- polls ------------------------------------------------------------------------------------------

    def current_poll(self, session_id: int) -> PollInfo | None:
        with self._sessions() as db:
            poll = db.scalars(
                select(Poll).where(Poll.session_id == session_id).order_by(Poll.id.desc()).limit(1)
            ).first()
            return _poll_info(poll) if poll else None

    def poll(self, poll_id: int) -> PollInfo | None:
        with self._sessions() as db:
            poll = db.get(Poll, poll_id)
            return _poll_info(poll) if poll else None

    def open_poll(self, session_id: int, case_id: str, question_id: str, round: int | None = None) -> PollInfo:
        """Put a question to the room. Without ``round``: round 1, or the next round if it was asked before."""
        with self._sessions.begin() as db:
            last = db.scalar(
                select(func.max(Poll.round)).where(
                    Poll.session_id == session_id, Poll.case_id == case_id, Poll.question_id == question_id
                )
            )
            if round is None:
                round = (last or 0) + 1
            elif last is not None and round <= last:
                raise ClassroomError(
                    409, f"round {round} of this question was already asked; the next round is {last + 1}"
                )
            # Only one poll takes answers at a time: the one before it is closed as the new one opens.
            for previous in db.scalars(select(Poll).where(Poll.session_id == session_id, Poll.status == OPEN)):
                previous.status = CLOSED
            poll = Poll(session_id=session_id, case_id=case_id, question_id=question_id, round=round, status=OPEN)
            db.add(poll)
            db.flush()
            return _poll_info(poll)

    def set_status(self, poll_id: int, status: str) -> PollInfo:
        with self._sessions.begin() as db:
            poll = db.get(Poll, poll_id)
            if poll is None:
                raise ClassroomError(404, f"no poll {poll_id}")
            if poll.status == REVEALED and status != REVEALED:
                raise ClassroomError(409, "this question's answer is already revealed; ask it again as a new round")
            poll.status = status
            return _poll_info(poll)

    # --- answers ----------------------------------------------------------------------------------------

    def answer(self, seat: SeatInfo, poll_id: int, option_ids: list[str]) -> None:
        """Store (or replace) this seat's answer to the open poll; committed when this returns."""
        value = ",".join(sorted(set(option_ids)))
        with self._sessions.begin() as db:
            poll = db.get(Poll, poll_id)
            if poll is None or poll.session_id != seat.session_id:
                raise ClassroomError(404, f"no question {poll_id} in your class session")
            if poll.status != OPEN:
                raise ClassroomError(
                    409, "voting on this question is closed; your last answer before it closed is the one counted"
                )
            insert = (postgresql.insert if db.bind.dialect.name == "postgresql" else sqlite.insert)(Answer)
            statement = insert.values(poll_id=poll_id, seat_id=seat.id, option_ids=value, answered_at=utcnow())
            db.execute(
                statement.on_conflict_do_update(
                    index_elements=["poll_id", "seat_id"],
                    set_={"option_ids": statement.excluded.option_ids, "answered_at": statement.excluded.answered_at},
                )
            )

    def seat_answer(self, seat_id: int, poll_id: int) -> list[str]:
        with self._sessions() as db:
            value = db.scalar(select(Answer.option_ids).where(Answer.poll_id == poll_id, Answer.seat_id == seat_id))
        return value.split(",") if value else []

    def answers_by_seat(self, poll_id: int) -> dict[int, list[str]]:
        with self._sessions() as db:
            rows = db.execute(select(Answer.seat_id, Answer.option_ids).where(Answer.poll_id == poll_id))
            return {row.seat_id: row.option_ids.split(",") for row in rows}

    def answers(self, poll_id: int) -> list[list[str]]:
        with self._sessions() as db:
            return [
                value.split(",")
                for value in db.scalars(select(Answer.option_ids).where(Answer.poll_id == poll_id).order_by(Answer.id))
            ]

    def polls(self, session_id: int) -> list[PollInfo]:
        with self._sessions() as db:
            return [
                _poll_info(p) for p in db.scalars(select(Poll).where(Poll.session_id == session_id).order_by(Poll.id))
            ]
