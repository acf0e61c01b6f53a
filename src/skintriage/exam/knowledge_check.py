"""The knowledge check: draw a question set, score an attempt, write and verify a training record.

The draw is deterministic for a given bank and seed, and stratified: every category of case and every kind
of question in the bank is represented (when ``n`` allows). It uses a small seeded generator (mulberry32)
instead of :mod:`random` so that the browser (``static/core/exam_core.js``) draws exactly the same set.

A *record* is what the clinic keeps: who, when, which questions, which answers, the score, pass or fail and
the fingerprint of the case bank it was taken on. ``verify_record`` re-scores a record against a bank.
"""

from __future__ import annotations

import csv
import io
import json
import math
import secrets
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from skintriage.bank.loader import Bank
from skintriage.bank.schema import Question
from skintriage.vocab import CATEGORIES

RECORD_FORMAT = "skintriage-knowledge-check/1"
MODE_TRAINING = "training-record"
MODE_SELF = "self-assessment"
DEFAULT_N = 20
DEFAULT_PASS_MARK = 80.0

CATEGORY_TITLES = {category: words["title"] for category, words in CATEGORIES.items()}
KIND_TITLES = {
    "most_likely": "What is most likely?",
    "next_step": "What to do next",
    "red_flags": "Red flags",
    "communicate": "Communicate and document",
}

# Fields a training record made for the register carries in addition (JSON only, when set).
REGISTER_FIELDS = ["attempt_id", "staff_id", "attempt_number", "clinic"]

# The attempt's fields, in order: the head of the JSON record and of every CSV row.
ATTEMPT_FIELDS = [
    "format",
    "mode",
    "name",
    "submitted_at",
    "seed",
    "n_questions",
    "pass_mark",
    "bank_fingerprint",
    "correct",
    "total",
    "score_percent",
    "passed",
]
# Field names shared by the JSON record, the CSV file and the browser's self-assessment.
CSV_FIELDS = [
    *ATTEMPT_FIELDS,
    "number",
    "case_id",
    "question_id",
    "category",
    "kind",
    "section",
    "stem",
    "answer_given",
    "correct_answer",
    "is_correct",
]


# --- The seeded generator, shared with the browser ---------------------------------------------------------


class Mulberry32:
    """mulberry32: a tiny 32-bit PRNG that gives identical sequences in Python and JavaScript."""

    def __init__(self, seed: int):
        self.state = int(seed) & 0xFFFFFFFF

    def random(self) -> float:
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.state
        t = _imul(t ^ (t >> 15), t | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    def below(self, n: int) -> int:
        return int(self.random() * n)

    def shuffle(self, items: list) -> list:
        items = list(items)
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]
        return items


def _imul(a: int, b: int) -> int:
    """JavaScript's Math.imul, kept unsigned: the low 32 bits of a * b."""
    return (a * b) & 0xFFFFFFFF


def new_attempt_id() -> str:
    """A random attempt id (also the certificate number): 12 hex digits, unique for every submission."""
    return secrets.token_hex(6)


def new_seed() -> int:
    """A fresh seed for a new attempt (recorded, so the set can be drawn again)."""
    return secrets.randbelow(900_000) + 100_000


# --- Drawing ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One drawn question, with the case it belongs to."""

    case_id: str
    question: Question
    category: str
    case_title: str  # the case's neutral assessment title: the real title may give the answer away

    @property
    def key(self) -> str:
        return f"{self.case_id}/{self.question.id}"

    @property
    def kind(self) -> str:
        return self.question.kind


def pool(bank: Bank) -> list[Item]:
    """Every question in the bank, in key order."""
    items = [
        Item(case.id, question, case.category, case.assessment_title)
        for case in bank.values()
        for question in case.questions
    ]
    return sorted(items, key=lambda item: item.key)


def draw(bank: Bank, n: int = DEFAULT_N, seed: int = 0) -> list[Item]:
    """Draw ``n`` questions (or all, if the bank has fewer), the same for the same bank and seed.

    First one question is chosen for each category and each question kind not yet covered (preferring a
    question that covers both, then one from a case not yet used); the rest are filled from cases not yet
    used, then from any case. The set is then shuffled. ``draw`` in ``static/core/exam_core.js`` takes the same steps.
    """
    return draw_items(pool(bank), n, seed)


def draw_items(items: list, n: int = DEFAULT_N, seed: int = 0) -> list:
    """The draw itself, on anything with ``key``, ``case_id``, ``category`` and ``kind`` (the browser's twin,
    ``draw`` in exam_core.js, takes the same fields; tests/vectors/exam_core.json holds shared cases)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = Mulberry32(seed)
    order = rng.shuffle(sorted(items, key=lambda item: item.key))
    n = min(n, len(order))
    chosen: list = []
    taken: set[str] = set()
    used_cases: set[str] = set()
    open_categories = {item.category for item in order}
    open_kinds = {item.kind for item in order}

    def take(item) -> None:
        chosen.append(item)
        taken.add(item.key)
        used_cases.add(item.case_id)
        open_categories.discard(item.category)
        open_kinds.discard(item.kind)

    while (open_categories or open_kinds) and len(chosen) < n:
        best, best_score = None, 0
        for item in order:
            if item.key in taken:
                continue
            covers = (item.category in open_categories) + (item.kind in open_kinds)
            if not covers:
                continue
            score = covers * 2 + (item.case_id not in used_cases)
            if score > best_score:
                best, best_score = item, score
        if best is None:
            break
        take(best)
    for fresh_case_only in (True, False):
        for item in order:
            if len(chosen) >= n:
                break
            if item.key in taken or (fresh_case_only and item.case_id in used_cases):
                continue
            take(item)
    return rng.shuffle(chosen)


# --- Scoring ------------------------------------------------------------------------------------------------


def normalise_answer(given: object) -> list[str]:
    """An answer as a sorted list of option ids: None/"" is no answer, a string is one option."""
    if given is None or given == "":
        return []
    if isinstance(given, str):
        return [given]
    return sorted({str(option) for option in given})


def is_correct(question: Question, given: object) -> bool:
    """All or nothing: exactly the correct options, no more, no fewer."""
    return set(normalise_answer(given)) == set(question.answer)


@dataclass
class QuestionResult:
    number: int
    case_id: str
    question_id: str
    category: str
    kind: str
    section: str
    stem: str
    answer_given: list[str]
    correct_answer: list[str]
    is_correct: bool


@dataclass
class Record:
    """A finished attempt. ``to_json``/``to_csv`` write it; the browser writes the same fields."""

    name: str
    submitted_at: str
    seed: int
    n_questions: int
    pass_mark: float
    bank_fingerprint: str
    correct: int
    total: int
    score_percent: float
    passed: bool
    questions: list[QuestionResult] = field(default_factory=list)
    mode: str = MODE_TRAINING
    format: str = RECORD_FORMAT
    # Set for training records (the register): written to the JSON only when set, so the browser's
    # self-assessment records keep exactly the fields above.
    attempt_id: str = ""
    staff_id: str = ""
    attempt_number: int = 0
    clinic: str = ""

    def to_dict(self) -> dict:
        data = asdict(self)
        order = [
            *ATTEMPT_FIELDS,
            *[key for key in REGISTER_FIELDS if data[key]],
            "questions",
        ]
        return {key: data[key] for key in order}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_csv(self) -> str:
        """One row per question; the attempt's fields repeat on every row. Lists are joined with ';'."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        head = {k: v for k, v in self.to_dict().items() if k != "questions"}
        for result in self.questions:
            row = dict(head)
            row.update(asdict(result))
            row["answer_given"] = ";".join(result.answer_given)
            row["correct_answer"] = ";".join(result.correct_answer)
            row["passed"] = _csv_bool(self.passed)
            row["pass_mark"] = _csv_number(self.pass_mark)
            row["score_percent"] = _csv_number(self.score_percent)
            row["is_correct"] = _csv_bool(result.is_correct)
            writer.writerow({key: csv_safe(str(value)) for key, value in row.items()})
        return out.getvalue()

    @property
    def file_stem(self) -> str:
        """A file name stem: ``knowledge-check_<name>_<timestamp>_<attempt id>``.

        The attempt id makes it unique: two trainees with the same name in the same second never share a file.
        """
        stamp = self.submitted_at.replace(":", "").replace("-", "")[:15]
        return f"knowledge-check_{safe_name(self.name)}_{stamp}_{self.attempt_id or 'unsaved'}"

    def save(self, folder: Path, json_text: str | None = None) -> tuple[Path, Path]:
        """Write ``<stem>.json`` and ``<stem>.csv``, never over an existing file.

        A record without an attempt id gets one. Files are created exclusively: if a name were ever taken the
        attempt id is renewed, so no record is overwritten. ``json_text`` is the JSON to write (a signed
        record); by default :meth:`to_json`.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        if not self.attempt_id:
            self.attempt_id = new_attempt_id()
        while True:
            json_path = folder / f"{self.file_stem}.json"
            csv_path = folder / f"{self.file_stem}.csv"
            try:
                with json_path.open("x", encoding="utf-8") as handle:
                    handle.write(json_text if json_text is not None else self.to_json())
            except FileExistsError:
                if json_text is not None:  # a signed record names its attempt id: it cannot be renamed
                    raise
                self.attempt_id = new_attempt_id()
                continue
            with csv_path.open("x", encoding="utf-8") as handle:
                handle.write(self.to_csv())
            return json_path, csv_path

    def per_category(self) -> dict[str, tuple[int, int]]:
        """Category -> (correct, total), in the order the categories first appear in the schema."""
        totals: Counter = Counter()
        rights: Counter = Counter()
        for result in self.questions:
            totals[result.category] += 1
            rights[result.category] += result.is_correct
        order = [c for c in CATEGORY_TITLES if c in totals] + sorted(set(totals) - set(CATEGORY_TITLES))
        return {c: (rights[c], totals[c]) for c in order}


#: A cell starting with one of these is read as a formula by spreadsheets (formula injection).
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_name(name: str) -> str:
    """A name as a file-name part: letters and digits kept, anything else "-", trimmed of "-", at most 40
    characters ("trainee" if nothing is left). exam_core.js's safeName is its twin (tests/vectors/exam_core.json)."""
    safe = "".join(c if c.isalnum() else "-" for c in name.strip().lower()).strip("-")
    return (safe or "trainee")[:40]


def csv_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: a leading ' before =, +, -, @, tab or carriage return.
    knowledge_check.js does the same (shared vectors in tests/vectors/csv_cells.json)."""
    return "'" + text if text.startswith(CSV_FORMULA_STARTS) else text


def _csv_bool(value: bool) -> str:
    return "true" if value else "false"


def percent_of(correct: int, total: int) -> float:
    """Percentage to one decimal, rounded half up exactly as the browser does (Math.floor(x + 0.5))."""
    return math.floor(1000 * correct / total + 0.5) / 10 if total else 0.0


def _csv_number(value: float) -> str:
    """80.0 -> "80", 87.5 -> "87.5": as JavaScript's String(number) writes them."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def now_iso() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def score(
    bank: Bank,
    items: list[Item],
    answers: dict[str, object],
    *,
    name: str,
    seed: int,
    pass_mark: float = DEFAULT_PASS_MARK,
    mode: str = MODE_TRAINING,
    submitted_at: str | None = None,
) -> Record:
    """Score ``answers`` (question key -> option id or ids) for the drawn ``items``; unanswered is wrong."""
    results = []
    for number, item in enumerate(items, start=1):
        given = normalise_answer(answers.get(item.key))
        results.append(
            QuestionResult(
                number=number,
                case_id=item.case_id,
                question_id=item.question.id,
                category=item.category,
                kind=item.kind,
                section=item.question.section,
                stem=item.question.stem,
                answer_given=given,
                correct_answer=sorted(item.question.answer),
                is_correct=is_correct(item.question, given),
            )
        )
    correct = sum(r.is_correct for r in results)
    total = len(results)
    percent = percent_of(correct, total)
    return Record(
        name=name.strip(),
        submitted_at=submitted_at or now_iso(),
        seed=int(seed),
        n_questions=total,
        pass_mark=float(pass_mark),
        bank_fingerprint=bank.fingerprint,
        correct=correct,
        total=total,
        score_percent=percent,
        passed=percent >= pass_mark,
        questions=results,
        mode=mode,
    )


# --- Reading and verifying records -------------------------------------------------------------------------


def record_from_dict(data: dict) -> Record:
    """A Record from its JSON form; a signed record's ``signature`` block is not part of the record."""
    questions = [QuestionResult(**q) for q in data.get("questions", [])]
    fields = {k: v for k, v in data.items() if k not in ("questions", "signature")}
    return Record(questions=questions, **fields)


def load_record(path: Path) -> Record:
    """Read a record from its JSON file (the CSV is for spreadsheets; the JSON is the one to verify)."""
    return record_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def verify_record(record: Record | dict, bank: Bank) -> list[str]:
    """Problems found when checking a record against ``bank``; an empty list means it checks out.

    Checks that the bank is the same version (fingerprint), that every question exists, that the recorded
    correct answers and marks agree with the bank, and that the score and pass/fail follow from them.
    """
    if isinstance(record, dict):
        record = record_from_dict(record)
    problems = []
    if record.format != RECORD_FORMAT:
        problems.append(f"format: expected '{RECORD_FORMAT}', found '{record.format}'")
    if record.bank_fingerprint != bank.fingerprint:
        problems.append(
            f"bank_fingerprint: the record was taken on bank {record.bank_fingerprint[:12]}, "
            f"not on this bank ({bank.fingerprint[:12]})"
        )
    right = 0
    for result in record.questions:
        where = f"question {result.number} ({result.case_id}/{result.question_id})"
        case = bank.cases.get(result.case_id)
        question = next((q for q in case.questions if q.id == result.question_id), None) if case else None
        if question is None:
            problems.append(f"{where}: not in this bank")
            continue
        if sorted(question.answer) != sorted(result.correct_answer):
            problems.append(f"{where}: correct_answer differs from the bank")
        marked = is_correct(question, result.answer_given)
        if marked != result.is_correct:
            problems.append(f"{where}: marked {result.is_correct}, but the answer given is {marked}")
        right += marked
    total = len(record.questions)
    if record.total != total or record.n_questions != total:
        problems.append(f"total: {record.total} recorded, {total} questions listed")
    if record.correct != right:
        problems.append(f"correct: {record.correct} recorded, {right} on re-scoring")
    percent = percent_of(right, total)
    if abs(record.score_percent - percent) > 0.05:
        problems.append(f"score_percent: {record.score_percent} recorded, {percent} on re-scoring")
    if record.passed != (percent >= record.pass_mark):
        problems.append(f"passed: {record.passed} recorded, but {percent} % against a pass mark of {record.pass_mark}")
    return problems
