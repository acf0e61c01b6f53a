"""Signed training records: ``skintriage records verify`` accepts a genuine record and rejects tampering,
each kind with its own reason; the clinic key lives outside the repository with owner-only permissions."""

from __future__ import annotations

import json
import math
import stat

import pytest

from skintriage.bank.loader import load_bank, load_exam_bank
from skintriage.cli import main as cli
from skintriage.exam import knowledge_check as kc
from skintriage.register import signing
from skintriage.register.attempts import issue
from skintriage.register.verify import ACCEPTED, REJECTED, SELF_ASSESSMENT, UNREADABLE, verify_data

SEED = 7321


@pytest.fixture(scope="module")
def exam():
    return load_exam_bank()


@pytest.fixture(scope="module")
def public():
    return load_bank()


@pytest.fixture
def key(tmp_path, monkeypatch):
    monkeypatch.setenv("SKINTRIAGE_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("SKINTRIAGE_CLINIC_NAME", "Test Clinic")
    return signing.clinic_key()


def answers_for(items, wrong: int) -> dict:
    """All right except the first ``wrong`` questions, which get a wrong option."""
    answers = {}
    for number, item in enumerate(items):
        if number < wrong:
            answers[item.key] = next(o.id for o in item.question.options if o.id not in item.question.answer)
        else:
            answers[item.key] = list(item.question.answer)
    return answers


def genuine(exam, tmp_path, key, *, wrong: int = 2, seed: int = SEED) -> dict:
    items = kc.draw(exam, 20, seed)
    record = kc.score(exam, items, answers_for(items, wrong), name="Ann Lee", seed=seed)
    issued = issue(record, tmp_path / "records", key=key)
    return json.loads(issued.files["json"].read_text())


def check(data, exam, public, key) -> tuple[int, list[str], str]:
    verdict = verify_data(data, exam, public=public, trusted={key.key_id: key.public_key})
    return verdict.status, verdict.codes, "\n".join(str(p) for p in verdict.problems)


def resign(data: dict, key) -> dict:
    return signing.sign({k: v for k, v in data.items() if k != "signature"}, key)


def test_a_genuine_record_verifies_on_the_command_line(exam, tmp_path, key, capsys):
    data = genuine(exam, tmp_path, key)
    path = next((tmp_path / "records").glob("*.json"))
    assert cli(["records", "verify", str(path)]) == ACCEPTED
    out = capsys.readouterr().out
    assert "VALID: Ann Lee passed with 18 of 20" in out and key.key_id in out
    assert data["mode"] == kc.MODE_TRAINING and data["bank_fingerprint"] == exam.fingerprint
    assert data["signature"]["key_id"] == key.key_id and data["clinic"] == "Test Clinic"
    certificate = next((tmp_path / "records").glob("*_certificate.pdf"))
    assert cli(["records", "verify", str(certificate)]) == ACCEPTED


def _tamperings(exam, public, tmp_path, key):
    """name -> (tampered record, the reason code that must be reported)."""
    base = genuine(exam, tmp_path, key)
    failing = genuine(exam, tmp_path, key, wrong=8, seed=SEED + 1)
    cases = {}

    score = json.loads(json.dumps(base))
    score.update(correct=20, score_percent=100.0)
    cases["score edited"] = (score, "edited:score_percent")

    answer = json.loads(json.dumps(failing))
    first = answer["questions"][0]
    first["answer_given"] = list(first["correct_answer"])
    first["is_correct"] = True
    cases["answer edited"] = (answer, "edited:questions[1]")

    name = json.loads(json.dumps(base))
    name["name"] = "Someone Else"
    cases["name edited"] = (name, "edited:name")

    unsigned = {k: v for k, v in base.items() if k != "signature"}
    cases["signature removed"] = (unsigned, "unsigned")

    other = signing.clinic_key(tmp_path / "other-clinic")
    cases["signed by another key"] = (resign(base, other), "other-key")

    # A perfect record built from the public practice bank alone (what the website ships).
    items = kc.draw(public, 20, 99)
    crafted = kc.score(public, items, {i.key: list(i.question.answer) for i in items}, name="Forger", seed=99)
    cases["crafted from the public bank"] = (crafted.to_dict(), "public-bank")

    # Right answers for questions of the exam pool, but not the set the recorded seed draws (signed, so
    # that only this check can fail).
    items = kc.draw(exam, 20, 5)
    swapped = kc.score(exam, items, {i.key: list(i.question.answer) for i in items}, name="Ann Lee", seed=6)
    cases["questions not the draw for the seed"] = (signing.sign(swapped.to_dict(), key), "not-the-draw")

    nan = json.loads(json.dumps(base))
    nan["pass_mark"] = math.nan
    cases["NaN pass mark"] = (resign(nan, key), "pass-mark")

    negative = json.loads(json.dumps(base))
    negative["pass_mark"] = -5.0
    cases["negative pass mark"] = (negative, "edited:pass_mark")

    mode = json.loads(json.dumps(base))
    mode["mode"] = "anything"
    cases["mode changed"] = (resign(mode, key), "mode")

    tiny = kc.score(exam, kc.draw(exam, 1, SEED), {}, name="Ann Lee", seed=SEED, pass_mark=0.1)
    cases["one question"] = (signing.sign(tiny.to_dict(), key), "size")
    return cases


def test_every_tampering_is_rejected_with_its_own_reason(exam, public, tmp_path, key):
    cases = _tamperings(exam, public, tmp_path, key)
    assert len(cases) >= 8
    seen = {}
    for label, (data, code) in cases.items():
        status, codes, text = check(data, exam, public, key)
        assert status == REJECTED, f"{label}: accepted\n{text}"
        assert code in codes, f"{label}: expected reason {code}, got {codes}\n{text}"
        seen[label] = frozenset(codes)
    # No two tamperings give the same set of reasons: each says what happened.
    assert len(set(seen.values())) == len(seen), seen


def test_a_negative_pass_mark_is_refused_even_if_signed(exam, public, tmp_path, key):
    data = genuine(exam, tmp_path, key)
    data["pass_mark"] = -5.0
    status, codes, _ = check(resign(data, key), exam, public, key)
    assert status == REJECTED and codes == ["pass-mark"]


def test_the_cli_exits_non_zero_with_a_clear_reason(exam, tmp_path, key, capsys):
    data = genuine(exam, tmp_path, key)
    data["name"] = "Someone Else"
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data))
    assert cli(["records", "verify", str(path)]) == REJECTED
    assert "name: edited after signing" in capsys.readouterr().out

    truncated = tmp_path / "truncated.json"
    truncated.write_text(json.dumps(data)[:500])
    assert cli(["records", "verify", str(truncated)]) == UNREADABLE
    assert "not valid JSON" in capsys.readouterr().out


def test_a_self_assessment_is_reported_as_one(public, exam, key):
    items = kc.draw(public, 20, 31)
    record = kc.score(public, items, {}, name="Web Trainee", seed=31, mode=kc.MODE_SELF)
    status, _, _ = check(record.to_dict(), exam, public, key)
    verdict = verify_data(record.to_dict(), exam, public=public, trusted={})
    assert status == SELF_ASSESSMENT and "SELF-ASSESSMENT" in verdict.summary


def test_a_verifier_with_only_the_exported_public_key_accepts_the_record(exam, tmp_path, key, monkeypatch, capsys):
    genuine(exam, tmp_path, key)
    path = next((tmp_path / "records").glob("*.json"))
    assert cli(["records", "public-key"]) == 0
    exported = tmp_path / "clinic.pub.pem"
    exported.write_text(capsys.readouterr().out)
    monkeypatch.setenv("SKINTRIAGE_KEY_DIR", str(tmp_path / "inspector-has-no-key"))
    assert cli(["records", "verify", str(path)]) == REJECTED  # no trusted key at all
    assert "other-key" in capsys.readouterr().out
    assert cli(["records", "verify", "--public-key", str(exported), str(path)]) == ACCEPTED


def test_the_clinic_key_is_owner_only_and_outside_the_repository(tmp_path, monkeypatch):
    folder = tmp_path / "keys"
    key = signing.clinic_key(folder)
    assert stat.S_IMODE((folder / signing.PRIVATE_FILE).stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert signing.clinic_key(folder).key_id == key.key_id  # created once, then reused
    (folder / signing.PRIVATE_FILE).chmod(0o644)
    with pytest.raises(signing.SigningKeyError, match="readable by others"):
        signing.clinic_key(folder)
    from skintriage.course import course_root

    with pytest.raises(signing.SigningKeyError, match="outside the course repository"):
        signing.clinic_key(course_root() / "keys")


def test_five_same_name_submissions_in_one_second_leave_five_record_sets(exam, tmp_path, key):
    items = kc.draw(exam, 20, SEED)
    when = "2026-03-01T10:00:00+00:00"
    for _ in range(5):
        record = kc.score(exam, items, {}, name="Ann Lee", seed=SEED, submitted_at=when)
        issue(record, tmp_path / "records", key=key)
    # "ann-lee" would have collided with "Ann Lee" under the old name-and-second file names.
    record = kc.score(exam, items, {}, name="ann-lee", seed=SEED, submitted_at=when)
    issue(record, tmp_path / "records", key=key)
    assert len(list((tmp_path / "records").glob("knowledge-check_ann-lee_20260301T100000_*.json"))) == 6
    assert len(list((tmp_path / "records").glob("knowledge-check_ann-lee_20260301T100000_*.csv"))) == 6
