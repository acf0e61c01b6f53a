"""``skintriage records verify FILE``: does a training record prove what it says?

A training record is accepted only if every check passes:

- it is signed with a trusted clinic key (the clinic's own, or a public key file the verifier was given), and
  nothing in it changed after signing;
- it was taken on the held-back exam pool (not the public practice bank, whose answers the website ships);
- its questions are exactly the draw for its seed and size, in ``training-record`` mode, with a sane pass mark;
- re-scoring its answers against the exam pool gives its score and its pass or fail.

Each problem carries a short code (``unsigned``, ``edited:name``, ``not-the-draw``...) and a sentence. A
self-assessment from the static site is unsigned by design: it is reported as a self-assessment, not as a
forgery, and it is not a training record.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from skintriage.bank.loader import Bank
from skintriage.exam import knowledge_check as kc

from . import signing

MIN_QUESTIONS = 10  # a training record with fewer questions than this proves too little

ACCEPTED, REJECTED, UNREADABLE, SELF_ASSESSMENT = 0, 1, 2, 3


@dataclass
class Problem:
    code: str
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


@dataclass
class Verdict:
    status: int
    summary: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _structure(data: object) -> list[Problem]:
    if not isinstance(data, dict):
        return [Problem("malformed", "the file is not a record (expected a JSON object)")]
    problems = []
    if data.get("format") == signing.SIGNATURE_FORMAT:
        return [
            Problem(
                "not-a-record",
                "this is a certificate's signature file: verify the certificate PDF beside it, or the JSON record",
            )
        ]
    known = set(kc.Record.__dataclass_fields__) | {"signature"}
    for key in sorted(set(data) - known):
        problems.append(Problem("malformed", f"{key}: not a field of a knowledge-check record"))
    if data.get("format") != kc.RECORD_FORMAT:
        problems.append(Problem("format", f"format: expected '{kc.RECORD_FORMAT}', found {data.get('format')!r}"))
    needed = {
        "name": str,
        "submitted_at": str,
        "seed": int,
        "n_questions": int,
        "bank_fingerprint": str,
        "correct": int,
        "total": int,
        "passed": bool,
        "questions": list,
    }
    for key, kind in needed.items():
        value = data.get(key)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            problems.append(Problem("malformed", f"{key}: missing or not a {kind.__name__}"))
    if _number(data.get("pass_mark")) is None:
        problems.append(Problem("malformed", "pass_mark: missing or not a number"))
    score = _number(data.get("score_percent"))
    if score is None or not math.isfinite(score):
        problems.append(Problem("malformed", "score_percent: missing or not a finite number"))
    for number, question in enumerate(data.get("questions") or [], start=1):
        if not isinstance(question, dict):
            problems.append(Problem("malformed", f"questions[{number}]: not an object"))
            continue
        try:
            kc.QuestionResult(**question)
        except TypeError as error:
            problems.append(Problem("malformed", f"questions[{number}]: {error}"))
    return problems


def _signature(data: dict, trusted: dict) -> list[Problem]:
    block = data.get("signature")
    if not block:
        return [
            Problem(
                "unsigned",
                "no signature: a training record must be signed with the clinic's key "
                "(this one was removed, or never signed)",
            )
        ]
    if not isinstance(block, dict) or block.get("algorithm") != signing.ALGORITHM:
        return [Problem("bad-signature", "the signature block is not an Ed25519 signature of this course")]
    key_id = block.get("key_id")
    if key_id not in trusted:
        known = ", ".join(sorted(trusted)) or "none (no clinic key here; pass --public-key)"
        return [Problem("other-key", f"signed with key {key_id}, which is not a trusted clinic key (trusted: {known})")]
    if not signing.check_signature(block, trusted[key_id]):
        return [
            Problem(
                "bad-signature",
                "the signature does not match: the signature block was altered or copied from another record",
            )
        ]
    changed = signing.changed_fields(data, block)
    return [Problem(f"edited:{name.split(' ')[0]}", f"{name}: edited after signing") for name in changed]


def _policy(data: dict, exam: Bank, public: Bank | None) -> list[Problem]:
    problems = []
    pass_mark = _number(data.get("pass_mark"))
    if pass_mark is not None and (not math.isfinite(pass_mark) or not 0 < pass_mark <= 100):
        problems.append(
            Problem(
                "pass-mark",
                f"pass_mark: {data.get('pass_mark')!r} is not a pass mark (a number above 0 and at most 100)",
            )
        )
    if data.get("mode") != kc.MODE_TRAINING:
        problems.append(
            Problem("mode", f"mode: {data.get('mode')!r}; only '{kc.MODE_TRAINING}' records are training records")
        )
    fingerprint = data.get("bank_fingerprint")
    if public is not None and fingerprint == public.fingerprint:
        problems.append(
            Problem(
                "public-bank",
                "taken on the public practice bank, whose answers the website "
                "ships: training records come only from the held-back exam pool",
            )
        )
        return problems
    if fingerprint != exam.fingerprint:
        problems.append(
            Problem(
                "bank-version",
                f"bank_fingerprint: {str(fingerprint)[:12]} is not this exam pool ({exam.fingerprint[:12]})",
            )
        )
        return problems
    n = data.get("n_questions")
    if isinstance(n, int) and not isinstance(n, bool):
        if n < MIN_QUESTIONS:
            problems.append(
                Problem("size", f"n_questions: {n}; a training record has at least {MIN_QUESTIONS} questions")
            )
        if n >= 1:
            drawn = [item.key for item in kc.draw(exam, n, int(data.get("seed", 0)))]
            listed = [f"{q.get('case_id')}/{q.get('question_id')}" for q in data.get("questions", [])]
            if listed != drawn:
                problems.append(
                    Problem(
                        "not-the-draw",
                        f"questions: not the {n} questions drawn for seed "
                        f"{data.get('seed')} (the set was substituted or reordered)",
                    )
                )
    return problems


def _rescore(data: dict, bank: Bank) -> list[Problem]:
    problems = []
    for text in kc.verify_record(data, bank):
        if text.startswith(("format:", "bank_fingerprint:")):
            continue  # reported by their own checks
        code = "score" if text.startswith(("correct:", "score_percent:", "passed:", "total:")) else "answer"
        problems.append(Problem(code, text))
    return problems


def verify_data(data: object, exam: Bank, *, public: Bank | None = None, trusted: dict | None = None) -> Verdict:
    """Every check on one parsed record; ``trusted`` maps key ids to public keys."""
    problems = _structure(data)
    if problems:
        return Verdict(REJECTED, "REJECTED: not a well-formed knowledge-check record", problems)
    if data.get("mode") == kc.MODE_SELF and not data.get("signature"):
        notes = []
        if public is not None and data.get("bank_fingerprint") == public.fingerprint:
            notes = [Problem("self-assessment", text) for text in kc.verify_record(data, public)]
        score = "re-scores correctly" if not notes else "does not re-score"
        return Verdict(
            SELF_ASSESSMENT,
            f"SELF-ASSESSMENT (unsigned, from the course website; {score}): not a training record",
            notes,
        )
    problems = _signature(data, trusted or {})
    problems += _policy(data, exam, public)
    if data.get("bank_fingerprint") == exam.fingerprint:
        problems += _rescore(data, exam)
    if problems:
        return Verdict(REJECTED, "REJECTED: this record does not prove a training result", problems)
    key = data["signature"]["key_id"]
    verdict = "passed" if data["passed"] else "did not pass"
    return Verdict(
        ACCEPTED,
        f"VALID: {data['name']} {verdict} with {data['correct']} of {data['total']} "
        f"({data['score_percent']:g} %) on {data['submitted_at']}; attempt "
        f"{data.get('attempt_id', '?')}, signed with clinic key {key}",
    )


def verify_certificate(path: Path, trusted: dict) -> Verdict:
    """A certificate PDF is checked through its detached signature ``<file>.sig`` (JSON)."""
    sig_path = path.with_name(path.name + ".sig")
    if not sig_path.exists():
        return Verdict(
            REJECTED,
            "REJECTED: certificate without its signature file",
            [Problem("unsigned", f"{sig_path.name}: not found beside the certificate")],
        )
    try:
        block = json.loads(sig_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return Verdict(UNREADABLE, f"{sig_path}: cannot read: {error}")
    key_id = block.get("key_id")
    if key_id not in trusted:
        return Verdict(
            REJECTED, "REJECTED", [Problem("other-key", f"signed with key {key_id}, not a trusted clinic key")]
        )
    body = {k: block.get(k) for k in ("format", "algorithm", "key_id", "file", "sha256")}
    import base64

    try:
        trusted[key_id].verify(base64.b64decode(block.get("value", "")), signing.canonical(body))
    except Exception:  # cryptography raises InvalidSignature; bad base64 raises ValueError
        return Verdict(REJECTED, "REJECTED", [Problem("bad-signature", "the certificate's signature does not match")])
    if hashlib.sha256(path.read_bytes()).hexdigest() != block.get("sha256"):
        return Verdict(REJECTED, "REJECTED", [Problem("edited:certificate", "the PDF was changed after signing")])
    return Verdict(ACCEPTED, f"VALID certificate {path.name}, signed with clinic key {key_id}")


def read_record(path: Path) -> tuple[object | None, Verdict | None]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, Verdict(UNREADABLE, f"{path}: cannot read: {error}")
    if not text.strip():
        return None, Verdict(UNREADABLE, f"{path}: empty file (truncated?)")
    try:
        return json.loads(text), None
    except ValueError as error:
        return None, Verdict(UNREADABLE, f"{path}: not valid JSON (truncated or edited by hand?): {error}")


def verify_file(path: Path, exam: Bank, *, public: Bank | None = None, trusted: dict | None = None) -> Verdict:
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        return verify_certificate(path, trusted or {})
    data, failure = read_record(path)
    if failure:
        return failure
    return verify_data(data, exam, public=public, trusted=trusted)
