"""The class server: an ASGI app (Starlette) that phones join by code and the instructor's console drives.

Trainees: ``GET /`` (the page), ``POST /api/join``, ``GET /api/me``, ``POST /api/answer``, ``GET /api/events``
(Server-Sent Events; the browser reconnects by itself). Instructor (``Authorization: Bearer <token>``, the token
in ``class-server.json`` in the data folder): ``/api/instructor/...``. Every answer is committed before it is
acknowledged; every error is a JSON ``{"error": ...}`` with a 4xx status, never a traceback.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import secrets
import threading
import time
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from skintriage.bank.loader import Bank
from skintriage.classroom import content
from skintriage.classroom.store import CLOSED, OPEN, REVEALED, ClassroomError, ClassroomStore, SeatInfo

MAX_BODY = 4096  # bytes: the largest legitimate body (a join with a 40-character name) is far smaller
KEEPALIVE_SECONDS = 15
LONG_POLL_SECONDS = 20
STATIC_FILES = {"quiz.css": "text/css", "classroom.css": "text/css", "classroom.js": "text/javascript"}

Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class JoinBody(Strict):
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=16)]
    name: Name | None = None


class AnswerBody(Strict):
    poll: int = Field(ge=1)
    options: list[Annotated[str, StringConstraints(min_length=1, max_length=2)]] = Field(min_length=1, max_length=26)


class OpenPollBody(Strict):
    case_id: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    question_id: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    round: int | None = Field(default=None, ge=1, le=20)


class PollBody(Strict):
    poll: int = Field(ge=1)


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


class RequestError(Exception):
    def __init__(self, status: int, message: str):
        self.status, self.message = status, message


def _rate_setting() -> tuple[float, float]:
    """``SKINTRIAGE_CLASS_RATE="rate,burst"`` overrides the per-seat limit (tests use a slow one)."""
    text = os.environ.get("SKINTRIAGE_CLASS_RATE", "")
    try:
        rate, burst = (float(part) for part in text.split(","))
        return rate, burst
    except ValueError:
        return 5.0, 20.0


@dataclass
class TokenBucket:
    """Per-seat rate limit: ``burst`` requests at once, then ``rate`` per second."""

    rate: float = field(default_factory=lambda: _rate_setting()[0])
    burst: float = field(default_factory=lambda: _rate_setting()[1])
    buckets: dict[int, tuple[float, float]] = field(default_factory=dict)

    def allow(self, key: int) -> bool:
        now = time.monotonic()
        tokens, last = self.buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1:
            self.buckets[key] = (tokens, now)
            return False
        self.buckets[key] = (tokens - 1, now)
        return True


class Hub:
    """Wakes every open stream when something changes; ``room`` for trainees, ``counts`` for the instructor."""

    def __init__(self) -> None:
        self.versions = {"room": 0, "counts": 0}
        # Versions restart at 0 with the process; the boot id tells a client its versions are from an older one.
        self.boot = uuid.uuid4().hex[:12]
        self._events = {"room": asyncio.Event(), "counts": asyncio.Event()}

    def bump(self, *channels: str) -> None:
        for channel in channels:
            self.versions[channel] += 1
            event, self._events[channel] = self._events[channel], asyncio.Event()
            event.set()

    async def wait(self, channel: str, timeout: float) -> bool:
        try:
            await asyncio.wait_for(self._events[channel].wait(), timeout)
            return True
        except TimeoutError:
            return False


def _humanise(error: ValidationError) -> str:
    problems = []
    for item in error.errors()[:5]:
        where = ".".join(str(part) for part in item["loc"]) or "body"
        message = "is not a field this request takes" if item["type"] == "extra_forbidden" else item["msg"]
        problems.append(f"request field '{where}': {message}")
    return "; ".join(problems)


async def read_json(request: Request, model: type[BaseModel]) -> Any:
    """The request body parsed by ``model``: 415, 413, 400 or 422 with a message when it is not acceptable."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise RequestError(415, "send the body as JSON with the header Content-Type: application/json")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY:
        raise RequestError(413, f"request body too large: at most {MAX_BODY} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise RequestError(413, f"request body too large: at most {MAX_BODY} bytes")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RequestError(
            400, f"the request body is not valid JSON ({exc.__class__.__name__}: {str(exc)[:80]})"
        ) from None
    if not isinstance(data, dict):
        raise RequestError(422, "the request body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestError(422, _humanise(exc)) from None


def bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else ""


class ClassServer:
    def __init__(self, store: ClassroomStore, bank: Bank, instructor_token: str, join_base: str):
        self.store = store
        self.bank = bank
        self.instructor_token = instructor_token
        self.join_base = join_base.rstrip("/") + "/"
        self.hub: Hub | None = None
        self.limits = TokenBucket()
        # Caches that only save work: the database stays the truth (a restarted server starts with them empty).
        self._seats: dict[str, SeatInfo] = {}  # seat token -> seat, dropped when a session ends
        self._views: dict[int, tuple[int, Any]] = {}  # session id -> (room version, poll and its shared view)
        self._questions: dict[tuple[str, str], dict] = {}  # rendered question, the same for every phone
        # poll id -> {seat id: bank option ids}; this process is the only writer, and an answer updates it
        # after its commit, so a phone's stream need not query the database when the room changes.
        self._answers: dict[int, dict[int, list[str]]] = {}
        self._answers_lock = threading.Lock()

    # --- helpers --------------------------------------------------------------------------------------------

    def join_url(self, code: str) -> str:
        return f"{self.join_base}?code={code}"

    async def db(self, function, *args):
        return await run_in_threadpool(function, *args)

    async def seat(self, request: Request, token: str | None = None) -> SeatInfo:
        token = token if token is not None else bearer(request)
        if not token:
            raise RequestError(401, "no seat token: join the session first")
        seat = self._seats.get(token)
        if seat is None:
            seat = await self.db(self.store.seat_for_token, token)
            if seat is not None:
                self._seats[token] = seat
        if seat is None:
            raise RequestError(401, "this seat is not in an open class session: join again with the code on the screen")
        if not self.limits.allow(seat.id):
            raise RequestError(429, "too many requests from this phone: wait a second and try again")
        return seat

    def require_instructor(self, request: Request) -> None:
        if not secrets.compare_digest(bearer(request).encode(), self.instructor_token.encode()):
            raise RequestError(403, "instructor actions need the instructor's token")

    def question_number(self, case_id: str, question_id: str) -> int:
        questions = self.bank[case_id].questions
        return next(i for i, q in enumerate(questions, 1) if q.id == question_id)

    def _poll_view(self, session_id: int) -> tuple[Any, dict | None]:
        """The poll on screen and what every phone is shown of it, computed once per change of the room."""
        version = self.hub.versions["room"] if self.hub else -1
        cached = self._views.get(session_id)
        if cached and cached[0] == version:
            return cached[1]
        poll = self.store.current_poll(session_id)
        view = None
        if poll is not None:
            key = (poll.case_id, poll.question_id)
            if key not in self._questions:
                case, question = content.find_question(self.bank, *key)
                self._questions[key] = content.trainee_question(case, question, self.question_number(*key))
            view = dict(self._questions[key], id=poll.id, round=poll.round, status=poll.status)
            if poll.status == REVEALED:
                view["reveal"] = content.reveal(content.find_question(self.bank, *key)[1])
        self._views[session_id] = (version, (poll, view))
        return poll, view

    def trainee_state(self, seat: SeatInfo) -> dict:
        """Everything a phone shows; the answer and feedback only once this poll is revealed."""
        poll, shared = self._poll_view(seat.session_id)
        state: dict[str, Any] = {"seat": {"name": seat.display_name, "code": seat.code}, "poll": None}
        if poll is None:
            return state
        _, question = content.find_question(self.bank, poll.case_id, poll.question_id)
        mine = self._poll_answers(poll.id).get(seat.id, [])
        state["poll"] = dict(shared, answer=content.to_letters(question, mine))
        return state

    def _poll_answers(self, poll_id: int) -> dict[int, list[str]]:
        with self._answers_lock:  # read from the database inside the lock: see _remember_answer
            if poll_id not in self._answers:
                self._answers[poll_id] = self.store.answers_by_seat(poll_id)
            return self._answers[poll_id]

    def _remember_answer(self, poll_id: int, seat_id: int, option_ids: list[str]) -> None:
        # Called after the commit. If the poll is not cached yet, a later load reads this answer from the
        # database; if a load is under way, it holds the lock and this update lands after it.
        with self._answers_lock:
            if poll_id in self._answers:
                self._answers[poll_id][seat_id] = sorted(set(option_ids))

    def room(self) -> dict:
        """The instructor's view: session, seats, the current poll and its live distribution."""
        current = self.store.current_session()
        if current is None:
            return {"session": None}
        session_id, code = current
        data: dict[str, Any] = {
            "session": {"id": session_id, "code": code, "join_url": self.join_url(code)},
            "seats": self.store.seat_count(session_id),
            "poll": None,
        }
        poll = self.store.current_poll(session_id)
        if poll is not None:
            data["poll"] = self.poll_summary(poll)
        return data

    def poll_summary(self, poll) -> dict:
        case, question = content.find_question(self.bank, poll.case_id, poll.question_id)
        answers = self.store.answers(poll.id)
        counts = {letter: 0 for letter in content.letters(question)}
        for option_ids in answers:
            for letter in content.to_letters(question, option_ids):
                counts[letter] += 1
        return {
            "id": poll.id,
            "case_id": poll.case_id,
            "question_id": poll.question_id,
            "round": poll.round,
            "status": poll.status,
            "answered": len(answers),
            "counts": counts,
            "answer": content.to_letters(question, question.answer),
        }

    # --- trainee routes -------------------------------------------------------------------------------------

    async def page(self, request: Request) -> Response:
        html = resources.files("skintriage.classroom").joinpath("trainee.html").read_text(encoding="utf-8")
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC_FILES:
            raise RequestError(404, f"no file '{name}'")
        package = "skintriage.classroom" if name.startswith("classroom") else "skintriage.static"
        body = resources.files(package).joinpath(name).read_bytes()
        return Response(body, media_type=STATIC_FILES[name], headers={"Cache-Control": "no-cache"})

    async def join(self, request: Request) -> Response:
        body = await read_json(request, JoinBody)
        seat, token = await self.db(self.store.join, body.code, body.name)
        self.hub.bump("counts")
        return JSONResponse({"token": token, "seat": {"name": seat.display_name, "code": seat.code}})

    async def me(self, request: Request) -> Response:
        seat = await self.seat(request)
        return JSONResponse(await self.db(self.trainee_state, seat))

    async def answer(self, request: Request) -> Response:
        seat = await self.seat(request)
        body = await read_json(request, AnswerBody)

        def store_answer() -> list[str]:
            poll = self.store.poll(body.poll)
            if poll is None or poll.session_id != seat.session_id:
                raise RequestError(404, f"no question {body.poll} in your class session")
            _, question = content.find_question(self.bank, poll.case_id, poll.question_id)
            mapping = content.letters(question)
            unknown = [o for o in body.options if o not in mapping]
            if unknown:
                raise RequestError(
                    422,
                    f"request field 'options': no option {', '.join(map(repr, unknown))} in "
                    f"this question (options are {', '.join(mapping)})",
                )
            if len(set(body.options)) > 1 and not question.multiple:
                raise RequestError(422, "request field 'options': this question takes one answer")
            option_ids = [mapping[o] for o in body.options]
            self.store.answer(seat, poll.id, option_ids)  # committed on return
            self._remember_answer(poll.id, seat.id, option_ids)
            return sorted(set(body.options))

        chosen = await self.db(store_answer)
        self.hub.bump("counts")
        return JSONResponse({"received": True, "poll": body.poll, "options": chosen})

    async def events(self, request: Request) -> Response:
        seat = await self.seat(request, request.query_params.get("seat", ""))
        hub = self.hub

        async def stream():
            yield "retry: 1000\n\n"
            last = None
            while True:
                version = hub.versions["room"]
                state = json.dumps(await self.db(self.trainee_state, seat), ensure_ascii=False)
                if state != last:
                    yield f"event: state\ndata: {state}\n\n"
                    last = state
                if hub.versions["room"] == version and not await hub.wait("room", KEEPALIVE_SECONDS):
                    yield ": keep-alive\n\n"

        return StreamingResponse(
            stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        )

    # --- instructor routes ----------------------------------------------------------------------------------

    async def room_route(self, request: Request) -> Response:
        self.require_instructor(request)
        after = request.query_params.get("after")
        if after is not None:
            if not after.isdigit():
                raise RequestError(422, "query field 'after': expected a whole number")
            # Long poll: answer as soon as anything changed since version `after` (or after 20 s). A version
            # above ours comes from before a restart: answer at once.
            if self.hub.versions["counts"] + self.hub.versions["room"] == int(after):
                await asyncio.wait(
                    [
                        asyncio.ensure_future(self.hub.wait("counts", LONG_POLL_SECONDS)),
                        asyncio.ensure_future(self.hub.wait("room", LONG_POLL_SECONDS)),
                    ],
                    return_when=asyncio.FIRST_COMPLETED,
                )
        version = self.hub.versions["counts"] + self.hub.versions["room"]
        data = await self.db(self.room)
        data["version"] = version
        data["boot"] = self.hub.boot
        return JSONResponse(data)

    async def open_session(self, request: Request) -> Response:
        self.require_instructor(request)
        current = await self.db(self.store.current_session)
        if current is not None and request.query_params.get("new") != "1":
            session_id, code = current
        else:
            if current is not None:
                await self.db(self.store.end_session, current[0])
                self._seats.clear()
            session_id, code = await self.db(self.store.open_session)
        self.hub.bump("room", "counts")
        return JSONResponse({"id": session_id, "code": code, "join_url": self.join_url(code)})

    async def end_session(self, request: Request) -> Response:
        self.require_instructor(request)
        current = await self.db(self.store.current_session)
        if current is None:
            raise RequestError(409, "no class session is open")
        await self.db(self.store.end_session, current[0])
        self._seats.clear()
        self.hub.bump("room", "counts")
        return JSONResponse({"ended": current[1]})

    async def _session_id(self) -> int:
        current = await self.db(self.store.current_session)
        if current is None:
            raise RequestError(409, "no class session is open: open the room first")
        return current[0]

    async def open_poll(self, request: Request) -> Response:
        self.require_instructor(request)
        body = await read_json(request, OpenPollBody)
        try:
            content.find_question(self.bank, body.case_id, body.question_id)
        except content.UnknownQuestion as exc:
            raise RequestError(422, str(exc)) from None
        session_id = await self._session_id()
        poll = await self.db(self.store.open_poll, session_id, body.case_id, body.question_id, body.round)
        self.hub.bump("room", "counts")
        return JSONResponse(await self.db(self.poll_summary, poll))

    async def _set_status(self, request: Request, status: str) -> Response:
        self.require_instructor(request)
        body = await read_json(request, PollBody)
        session_id = await self._session_id()
        poll = await self.db(self.store.poll, body.poll)
        if poll is None or poll.session_id != session_id:
            raise RequestError(404, f"no poll {body.poll} in the open class session")
        poll = await self.db(self.store.set_status, body.poll, status)
        self.hub.bump("room", "counts")
        return JSONResponse(await self.db(self.poll_summary, poll))

    async def close_poll(self, request: Request) -> Response:
        return await self._set_status(request, CLOSED)

    async def reopen_poll(self, request: Request) -> Response:
        return await self._set_status(request, OPEN)

    async def reveal_poll(self, request: Request) -> Response:
        return await self._set_status(request, REVEALED)

    def summary_rows(self, session_id: int) -> list[dict]:
        """Per question, per round, how many chose each option (the class summary)."""
        rows = []
        for poll in self.store.polls(session_id):
            case, question = content.find_question(self.bank, poll.case_id, poll.question_id)
            summary = self.poll_summary(poll)
            right = set(question.answer)
            for letter, option_id in content.letters(question).items():
                option = next(o for o in question.options if o.id == option_id)
                rows.append(
                    {
                        "case_id": case.id,
                        "question_id": question.id,
                        "round": poll.round,
                        "option": letter,
                        "option_id": option_id,
                        "option_text": option.text,
                        "correct": option_id in right,
                        "chosen_by": summary["counts"][letter],
                        "answered": summary["answered"],
                    }
                )
        return rows

    async def summary(self, request: Request) -> Response:
        self.require_instructor(request)
        session_id = await self._session_id()
        rows = await self.db(self.summary_rows, session_id)
        if request.path_params.get("format") == "csv":
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["case_id"])
            writer.writeheader()
            writer.writerows(rows)
            return Response(
                out.getvalue(),
                media_type="text/csv",
                headers={"Content-Disposition": 'attachment; filename="class-summary.csv"'},
            )
        return JSONResponse({"rows": rows})


SECURITY_HEADERS = {
    # The page loads only its own files: nothing from any other host, no inline script.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def create_app(store: ClassroomStore, bank: Bank, instructor_token: str, join_base: str) -> Starlette:
    server = ClassServer(store, bank, instructor_token, join_base)

    def wrap(handler):
        async def endpoint(request: Request) -> Response:
            try:
                response = await handler(request)
            except RequestError as exc:
                response = error(exc.status, exc.message)
            except ClassroomError as exc:
                response = error(exc.status, exc.message)
            except content.UnknownQuestion as exc:
                response = error(422, str(exc))
            response.headers.update(SECURITY_HEADERS)
            return response

        return endpoint

    routes = [
        Route("/", wrap(server.page)),
        Route("/static/{name}", wrap(server.static)),
        Route("/api/join", wrap(server.join), methods=["POST"]),
        Route("/api/me", wrap(server.me)),
        Route("/api/answer", wrap(server.answer), methods=["POST"]),
        Route("/api/events", wrap(server.events)),
        Route("/api/instructor/room", wrap(server.room_route)),
        Route("/api/instructor/session", wrap(server.open_session), methods=["POST"]),
        Route("/api/instructor/end", wrap(server.end_session), methods=["POST"]),
        Route("/api/instructor/poll", wrap(server.open_poll), methods=["POST"]),
        Route("/api/instructor/close", wrap(server.close_poll), methods=["POST"]),
        Route("/api/instructor/reopen", wrap(server.reopen_poll), methods=["POST"]),
        Route("/api/instructor/reveal", wrap(server.reveal_poll), methods=["POST"]),
        Route("/api/instructor/summary", wrap(server.summary)),
        Route("/api/instructor/summary.{format}", wrap(server.summary)),
    ]

    async def http_error(request: Request, exc: HTTPException) -> Response:
        messages = {
            404: f"no such address: {request.url.path}",
            405: f"{request.method} is not allowed on {request.url.path}",
        }
        return error(exc.status_code, messages.get(exc.status_code, str(exc.detail)))

    async def server_error(request: Request, exc: Exception) -> Response:
        # Never a traceback to the client; the server log has it.
        return error(500, "the class server hit an unexpected problem; your last acknowledged answer is stored")

    @asynccontextmanager
    async def lifespan(app):
        server.hub = Hub()  # created inside the server's event loop
        yield

    app = Starlette(
        routes=routes, lifespan=lifespan, exception_handlers={HTTPException: http_error, Exception: server_error}
    )
    app.state.server = server
    return app
