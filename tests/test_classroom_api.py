"""The class server over HTTP, as a real process on SQLite and on a real PostgreSQL server: joining, answering,
rounds, the class summary, bad input, the instructor's token, answer secrecy before reveal, and a SIGKILL."""

from __future__ import annotations

import csv
import io
import json
import os
import stat

import httpx
import pytest

from skintriage.bank.loader import load_bank
from skintriage.classroom.content import letters
from tests.class_server import ClassServerProcess, Instructor

CASE_ID = "hsv-lip-tingling-day2"


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture
def server(tmp_path, db_url):
    process = ClassServerProcess(tmp_path / "data", db_url).start()
    yield process
    process.stop()


def join(server, code: str, name: str | None = None) -> httpx.Client:
    body = {"code": code} | ({"name": name} if name else {})
    response = httpx.post(server.url + "api/join", json=body, timeout=30)
    assert response.status_code == 200, response.text
    token = response.json()["token"]
    return httpx.Client(base_url=server.url, timeout=30, headers={"Authorization": f"Bearer {token}"})


def answer(phone: httpx.Client, poll: int, *options: str) -> httpx.Response:
    return phone.post("/api/answer", json={"poll": poll, "options": list(options)})


def test_a_round_of_answers_is_counted_once_per_seat_and_a_second_round_is_separate(server, bank):
    instructor = Instructor(server)
    room = instructor.open_room()
    assert room["join_url"] == f"{server.url}?code={room['code']}"
    phones = [join(server, room["code"], name) for name in ("Ann", None, "Bo")]
    question = bank[CASE_ID].questions[0]
    mapping = letters(question)
    right = next(letter for letter, option_id in mapping.items() if option_id in question.answer)
    wrong = next(letter for letter in mapping if letter != right)

    poll = instructor.open_poll(CASE_ID, question.id)
    assert (poll["round"], poll["status"], poll["answered"]) == (1, "open", 0)
    assert answer(phones[0], poll["id"], wrong).json() == {"received": True, "poll": poll["id"], "options": [wrong]}
    assert answer(phones[0], poll["id"], right).status_code == 200  # changed while open: replaces the first
    assert answer(phones[0], poll["id"], right).status_code == 200  # sent twice: still one answer
    assert answer(phones[1], poll["id"], wrong).status_code == 200
    room = instructor.room()
    assert room["seats"] == 3
    assert room["poll"]["answered"] == 2
    assert room["poll"]["counts"][right] == 1 and room["poll"]["counts"][wrong] == 1

    instructor.close(poll["id"])
    closed = answer(phones[2], poll["id"], right)
    assert closed.status_code == 409 and "closed" in closed.json()["error"]

    second = instructor.open_poll(CASE_ID, question.id)
    assert second["round"] == 2 and second["answered"] == 0
    for phone in phones:
        assert answer(phone, second["id"], right).status_code == 200
    stale = answer(phones[1], poll["id"], right)  # round 1 is closed: its count cannot change any more
    assert stale.status_code == 409

    summary = instructor.call("GET", "/api/instructor/summary.csv")
    assert summary.status_code == 200 and summary.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(summary.text)))
    by_round = {(int(r["round"]), r["option"]): int(r["chosen_by"]) for r in rows}
    assert by_round[(1, right)] == 1 and by_round[(1, wrong)] == 1
    assert by_round[(2, right)] == 3 and by_round[(2, wrong)] == 0
    assert {r["answered"] for r in rows if r["round"] == "1"} == {"2"}
    assert {r["option_id"] for r in rows if r["correct"] == "True"} == set(question.answer)


def test_multiple_answer_questions_take_several_options(server, bank):
    question = next(q for c in bank.cases.values() for q in c.questions if q.multiple)
    case = next(c for c in bank.cases.values() if question in c.questions)
    instructor = Instructor(server)
    code = instructor.open_room()["code"]
    phone = join(server, code)
    poll = instructor.open_poll(case.id, question.id)
    chosen = sorted(letters(question))[:2]
    assert answer(phone, poll["id"], *reversed(chosen)).json()["options"] == chosen
    counts = instructor.room()["poll"]["counts"]
    assert [counts[letter] for letter in chosen] == [1, 1]


def test_bad_requests_get_a_clear_4xx_never_a_500(server, bank):
    instructor = Instructor(server)
    code = instructor.open_room()["code"]
    phone = join(server, code)
    question = bank[CASE_ID].questions[0]
    poll = instructor.open_poll(CASE_ID, question.id)["id"]
    single = next(q for q in bank[CASE_ID].questions if not q.multiple)
    url = server.url
    auth = dict(phone.headers)
    cases = {
        "unknown session code": (httpx.post, "api/join", {"json": {"code": "ZZZZZ"}}, 404, "no open class session"),
        "empty code": (httpx.post, "api/join", {"json": {"code": "  "}}, 422, "'code'"),
        "name too long": (httpx.post, "api/join", {"json": {"code": code, "name": "x" * 41}}, 422, "'name'"),
        "unknown field": (
            httpx.post,
            "api/join",
            {"json": {"code": code, "admin": True}},
            422,
            "'admin': is not a field",
        ),
        "malformed JSON": (
            httpx.post,
            "api/join",
            {"content": b'{"code": ', "headers": {"Content-Type": "application/json"}},
            400,
            "not valid JSON",
        ),
        "JSON that is not an object": (httpx.post, "api/join", {"json": ["code"]}, 422, "JSON object"),
        "not JSON at all": (httpx.post, "api/join", {"data": {"code": code}}, 415, "Content-Type"),
        "oversized body": (httpx.post, "api/join", {"json": {"code": code, "name": "x" * 10_000}}, 413, "too large"),
        "no seat token": (httpx.post, "api/answer", {"json": {"poll": poll, "options": ["A"]}}, 401, "join"),
        "unknown seat token": (
            httpx.post,
            "api/answer",
            {"json": {"poll": poll, "options": ["A"]}, "headers": {"Authorization": "Bearer nope"}},
            401,
            "join",
        ),
        "unknown option": (
            httpx.post,
            "api/answer",
            {"json": {"poll": poll, "options": ["Q"]}, "headers": auth},
            422,
            "no option 'Q'",
        ),
        "no option": (
            httpx.post,
            "api/answer",
            {"json": {"poll": poll, "options": []}, "headers": auth},
            422,
            "'options'",
        ),
        "poll id not a number": (
            httpx.post,
            "api/answer",
            {"json": {"poll": "one", "options": ["A"]}, "headers": auth},
            422,
            "'poll'",
        ),
        "unknown poll": (
            httpx.post,
            "api/answer",
            {"json": {"poll": 999, "options": ["A"]}, "headers": auth},
            404,
            "no question 999",
        ),
        "instructor action without the token": (httpx.post, "api/instructor/session", {}, 403, "instructor"),
        "instructor action with a seat's token": (
            httpx.post,
            "api/instructor/reveal",
            {"json": {"poll": poll}, "headers": auth},
            403,
            "instructor",
        ),
        "unknown page": (httpx.get, "api/nothing-here", {}, 404, "no such address"),
        "wrong method": (httpx.get, "api/answer", {}, 405, "not allowed"),
        "unknown static file": (httpx.get, "static/..%2Fserver.py", {}, 404, ""),
    }
    two = sorted(letters(single))[:2]
    cases["two options for a one-answer question"] = (
        httpx.post,
        "api/answer",
        {"json": {"poll": poll, "options": two}, "headers": auth},
        422,
        "one answer",
    )
    for kind, (method, path, kwargs, status, words) in cases.items():
        response = method(url + path, timeout=30, **kwargs)
        assert response.status_code == status, (kind, response.status_code, response.text)
        message = response.json()["error"]
        assert words in message, (kind, message)
        assert "Traceback" not in response.text and 'File "' not in response.text, kind
    # Instructor bad input too: a question that is not in the bank, and a round that was already asked.
    unknown = Instructor(server).call("POST", "/api/instructor/poll", json={"case_id": CASE_ID, "question_id": "x"})
    assert unknown.status_code == 422 and "has no question 'x'" in unknown.json()["error"]
    repeat = Instructor(server).call(
        "POST", "/api/instructor/poll", json={"case_id": CASE_ID, "question_id": question.id, "round": 1}
    )
    assert repeat.status_code == 409 and "already asked" in repeat.json()["error"]


def test_a_seat_that_floods_the_server_is_slowed_down(tmp_path, bank):
    # A slow refill (one request per 1000 s after a burst of 5) makes the limit independent of timing.
    server = ClassServerProcess(
        tmp_path / "data", f"sqlite:///{tmp_path / 'rate.db'}", SKINTRIAGE_CLASS_RATE="0.001,5"
    ).start()
    instructor = Instructor(server)
    phone = join(server, instructor.open_room()["code"])
    poll = instructor.open_poll(CASE_ID, bank[CASE_ID].questions[0].id)["id"]
    statuses = [answer(phone, poll, "A").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert "too many requests" in answer(phone, poll, "A").json()["error"]
    other = join(server, instructor.room()["session"]["code"])
    assert answer(other, poll, "B").status_code == 200  # the limit is per seat: others are not affected
    server.stop()


def test_the_instructor_token_is_private_and_never_reaches_a_phone(server):
    info_path = server.data_dir / "class-server.json"
    assert stat.S_IMODE(os.stat(info_path).st_mode) == 0o600
    token = server.token
    instructor = Instructor(server)
    code = instructor.open_room()["code"]
    phone = join(server, code)
    for response in (
        httpx.get(server.url, timeout=30),
        phone.get("/api/me"),
        httpx.get(server.url + "static/classroom.js", timeout=30),
    ):
        assert token not in response.text


def test_before_reveal_no_response_or_stream_message_names_the_right_option(server, bank):
    """Phones see neutral letters; the bank's option ids, which can name the answer, and the feedback texts
    reach them only in the state sent after Reveal."""
    case = bank[CASE_ID]
    instructor = Instructor(server)
    code = instructor.open_room()["code"]
    phone = join(server, code, "Cleo")
    token = phone.headers["Authorization"].split()[1]
    received: list[str] = []
    for question in case.questions:
        poll = instructor.open_poll(case.id, question.id)["id"]
        received.append(phone.get("/api/me").text)
        received.append(answer(phone, poll, "A").text)
        with httpx.stream("GET", server.url + "api/events", params={"seat": token}, timeout=30) as stream:
            for line in stream.iter_lines():
                received.append(line)
                if line.startswith("data:"):
                    break
        instructor.close(poll)
        received.append(phone.get("/api/me").text)
        secrets = [f'"{option_id}"' for option_id in question.answer]
        secrets += [option.feedback[:60] for option in question.options]
        secrets += [question.explanation[:60]]
        for text in received:
            for secret in secrets:
                assert json.dumps(secret)[1:-1] not in text and secret not in text, (question.id, secret)
        instructor.reveal(poll)
        revealed = phone.get("/api/me").json()["poll"]["reveal"]
        assert revealed["answer"] == sorted(
            letter for letter, oid in letters(question).items() if oid in question.answer
        )
        received.clear()


def test_sigkill_mid_question_loses_no_acknowledged_answer(server, bank):
    instructor = Instructor(server)
    code = instructor.open_room()["code"]
    phones = [join(server, code) for _ in range(5)]
    question = bank[CASE_ID].questions[0]
    poll = instructor.open_poll(CASE_ID, question.id)["id"]
    acknowledged = {}
    for i, phone in enumerate(phones[:4]):
        letter = "ABCD"[i % 4]
        response = answer(phone, poll, letter)
        assert response.status_code == 200
        acknowledged[i] = letter

    seen = instructor.room()  # what the console last showed
    server.kill()
    server.start()  # same port, same database, a new instructor token

    # The console's long poll carries a version from the killed process: the new one answers it at once (no
    # 20 s wait for a change) and says it is another process, so the console takes its lower versions.
    headers = {"Authorization": f"Bearer {server.token}"}
    url = f"{server.url}api/instructor/room?after={seen['version']}"
    again = httpx.get(url, headers=headers, timeout=10).json()
    assert seen["version"] > again["version"] and again["boot"] != seen["boot"]

    room = instructor.room()
    assert room["session"]["code"] == code and room["seats"] == 5
    assert room["poll"]["id"] == poll and room["poll"]["status"] == "open"
    assert room["poll"]["answered"] == 4
    for letter in "ABCD":
        assert room["poll"]["counts"][letter] == list(acknowledged.values()).count(letter)
    # Every phone keeps its seat (same token) and the next answer goes through.
    for phone in phones:
        assert phone.get("/api/me").json()["poll"]["id"] == poll
        assert answer(phone, poll, "B").status_code == 200
    assert instructor.room()["poll"]["answered"] == 5
