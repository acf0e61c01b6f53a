"""``skintriage staff import|list|delete``, ``skintriage records verify|public-key`` and ``skintriage stats``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _session(url: str | None):
    from sqlalchemy.orm import Session

    from .attempts import RegisterConfig, engine_for

    return Session(engine_for(RegisterConfig(url=url)))


def _staff_import(args: argparse.Namespace) -> int:
    from .roster import RosterError, import_roster

    try:
        with _session(args.database) as session, session.begin():
            result = import_roster(session, args.csv)
    except RosterError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s); nothing was imported.", file=sys.stderr)
        return 1
    print(f"{args.csv}: {result.added} added, {result.updated} updated, {result.unchanged} unchanged.")
    return 0


def _staff_list(args: argparse.Namespace) -> int:
    from .roster import list_staff

    with _session(args.database) as session:
        staff = list_staff(session)
        if not staff:
            print("The roster is empty: import one with `skintriage staff import staff.csv`.")
            return 0
        widths = [max(len(getattr(s, f)) for s in staff) for f in ("staff_id", "name", "role")]
        widths = [max(w, len(h)) for w, h in zip(widths, ("staff id", "name", "role"))]
        print(f"{'staff id':<{widths[0]}}  {'name':<{widths[1]}}  {'role':<{widths[2]}}  site")
        for s in staff:
            print(f"{s.staff_id:<{widths[0]}}  {s.name:<{widths[1]}}  {s.role:<{widths[2]}}  {s.site}")
    return 0


def _staff_delete(args: argparse.Namespace) -> int:
    from .attempts import UnknownStaff, delete_person

    try:
        with _session(args.database) as session, session.begin():
            removed = delete_person(session, args.staff_id)
    except UnknownStaff as error:
        print(error, file=sys.stderr)
        return 1
    print(
        f"Removed {args.staff_id} and {removed} attempt(s) from the register. Their record files (JSON, CSV, "
        "certificate) in the records folder are not touched: delete those by name too (see README)."
    )
    return 0


def _records_verify(args: argparse.Namespace) -> int:
    from skintriage.bank.loader import BankError, load_bank, load_exam_bank

    from . import signing
    from .verify import ACCEPTED, REJECTED, UNREADABLE, verify_file

    try:
        exam, public = load_exam_bank(), load_bank()
        trusted = signing.trusted_public_keys(args.key_dir, args.public_key)
    except BankError as error:
        print("\n".join(error.problems), file=sys.stderr)
        return UNREADABLE
    except (OSError, ValueError) as error:
        print(f"cannot read a public key: {error}", file=sys.stderr)
        return UNREADABLE
    session = None
    if args.database is not None:
        try:
            missing = _missing_sqlite_file(args.database or None)
            if missing:
                print(f"no register at {missing}: give the clinic's register with --database URL", file=sys.stderr)
                return UNREADABLE
            session = _session(args.database or None)
        except Exception as error:  # a bad URL or an unreachable server: say which, not a traceback
            reason = (str(error).strip().splitlines() or [type(error).__name__])[0][:300]
            print(f"cannot open the register {_shown(args.database)}: {reason}", file=sys.stderr)
            return UNREADABLE
    status = 0
    try:
        for path in args.files:
            verdict = verify_file(path, exam, public=public, trusted=trusted)
            if session is not None and verdict.status in (ACCEPTED, REJECTED):
                verdict = _against_register(path, verdict, session)
            print(f"{path}: {verdict.summary}")
            for problem in verdict.problems:
                print(f"  {problem}")
            status = max(status, verdict.status)
    finally:
        if session is not None:
            session.close()
    return status


def _shown(url: str) -> str:
    """The register's URL for a message, without its password."""
    from sqlalchemy.engine import make_url

    from skintriage.store.db import database_url

    try:
        return make_url(database_url(url or None)).render_as_string(hide_password=True)
    except Exception:
        return "(the URL given)"


def _missing_sqlite_file(url: str | None) -> Path | None:
    """A SQLite register that does not exist is a wrong path, not a new empty register to compare with."""
    from sqlalchemy.engine import make_url

    from skintriage.store.db import database_url

    parsed = make_url(database_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        return None if path.exists() else path
    return None


def _against_register(path: Path, verdict, session):
    """The verdict with the register's comparison added (JSON records; a certificate names no attempt)."""
    from .crosscheck import compare_with_register
    from .verify import REJECTED, Verdict, read_record

    if path.suffix.lower() == ".pdf":
        return Verdict(
            verdict.status,
            verdict.summary + " (certificate: compare its JSON record with the register)",
            verdict.problems,
        )
    data, _ = read_record(path)
    if not isinstance(data, dict):
        return verdict
    problems = compare_with_register(data, session)
    if not problems:
        return Verdict(
            verdict.status, verdict.summary + "; matches the register's copy of the attempt", verdict.problems
        )
    summary = verdict.summary if verdict.problems else "REJECTED: the record is not the register's copy of the attempt"
    return Verdict(REJECTED, summary, verdict.problems + problems)


def _records_public_key(args: argparse.Namespace) -> int:
    from . import signing

    try:
        key = signing.clinic_key(args.key_dir)
    except signing.SigningKeyError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"# clinic key id {key.key_id}; public key file {key.public_file}", file=sys.stderr)
    sys.stdout.write(signing.public_pem(key.public_key))
    return 0


def _stats(args: argparse.Namespace) -> int:
    from skintriage.bank.loader import load_exam_bank

    from .report import stored_question_stats

    with _session(args.database) as session:
        stats = stored_question_stats(session, load_exam_bank(), first_attempt_only=not args.all_attempts)
    if not stats:
        print("No attempts in the register yet.")
        return 0
    print(f"{'question':<52} {'n':>4} {'facility':>9} {'discrim.':>9}  wrong options chosen / flags")
    for s in stats:
        disc = "-" if s.discrimination is None else f"{s.discrimination:.0f}"
        wrong = ", ".join(f"{o} {p:.0f}%" for o, p in s.wrong_options.items()) or "-"
        flags = f"  [{'; '.join(s.flags)}]" if s.flags else ""
        print(f"{s.question:<52} {s.attempts:>4} {s.facility:>8.0f}% {disc:>9}  {wrong}{flags}")
    print(
        "facility = % right; discrimination = 100 x correlation with the rest of the attempt (Moodle's "
        "definition); first attempts only" + ("" if not args.all_attempts else " (all attempts included)")
    )
    return 0


def register_cli(commands) -> None:
    def database(parser):
        parser.add_argument(
            "--database", metavar="URL", help="SQLAlchemy URL (default: SKINTRIAGE_DATABASE_URL or data/skintriage.db)"
        )

    staff = commands.add_parser("staff", help="the clinic's staff roster").add_subparsers(
        dest="staff_command", required=True
    )
    imp = staff.add_parser("import", help="add or update staff from a CSV (staff_id,name,role,site)")
    imp.add_argument("csv", type=Path)
    database(imp)
    imp.set_defaults(run=_staff_import)
    lst = staff.add_parser("list", help="list the roster")
    database(lst)
    lst.set_defaults(run=_staff_list)
    delete = staff.add_parser("delete", help="remove a person and all their attempts from the register")
    delete.add_argument("staff_id")
    database(delete)
    delete.set_defaults(run=_staff_delete)

    records = commands.add_parser("records", help="signed training records").add_subparsers(
        dest="records_command", required=True
    )
    verify = records.add_parser(
        "verify",
        help="check training records (JSON) or certificates (PDF); exit 0 "
        "valid, 1 rejected, 2 unreadable, 3 self-assessment",
    )
    verify.add_argument("files", nargs="+", type=Path)
    verify.add_argument(
        "--public-key",
        action="append",
        type=Path,
        default=[],
        help="a clinic's exported public key (PEM) to trust; repeatable",
    )
    verify.add_argument("--key-dir", type=Path, help="folder of this clinic's key (default SKINTRIAGE_KEY_DIR)")
    verify.add_argument(
        "--database",
        metavar="URL",
        nargs="?",
        const="",
        help="also compare each record with the register's copy of the attempt (attempt id, answers, score); "
        "without URL: SKINTRIAGE_DATABASE_URL or data/skintriage.db",
    )
    verify.set_defaults(run=_records_verify)
    public = records.add_parser("public-key", help="print the clinic's public key (PEM) for verifiers")
    public.add_argument("--key-dir", type=Path)
    public.set_defaults(run=_records_public_key)

    stats = commands.add_parser("stats", help="question statistics from the register (facility, discrimination)")
    stats.add_argument("--all-attempts", action="store_true", help="include repeat attempts")
    database(stats)
    stats.set_defaults(run=_stats)
