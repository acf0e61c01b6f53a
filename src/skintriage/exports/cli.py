"""``skintriage export scorm [--out FILE.zip]`` and ``skintriage export moodle-xml [--out FILE.xml]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from skintriage.bank.loader import BankError, load_bank
from skintriage.exam import knowledge_check as kc


def _bank(args: argparse.Namespace):
    return load_bank(args.cases) if args.cases else load_bank()


def _scorm(args: argparse.Namespace) -> int:
    from .scorm import write_package

    out = args.out or Path(f"skintriage-knowledge-check-scorm{args.scorm_version.replace('.', '')}.zip")
    path = write_package(
        out, _bank(args), version=args.scorm_version, n_questions=args.questions, pass_mark=args.pass_mark
    )
    print(f"wrote {path} (SCORM {args.scorm_version}, {args.questions} questions, pass mark {args.pass_mark:g} %)")
    return 0


def _moodle(args: argparse.Namespace) -> int:
    from .moodle_xml import write_moodle_xml

    bank = _bank(args)
    path = write_moodle_xml(args.out or Path("skintriage-question-bank.xml"), bank, face_maps=not args.no_face_maps)
    count = sum(len(case.questions) for case in bank.values())
    print(f"wrote {path} ({count} questions from {len(bank)} cases)")
    return 0


def _run(args: argparse.Namespace) -> int:
    from .moodle_xml import ExportError

    try:
        return args.export(args)
    except BankError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("the case bank has problems; nothing was exported.", file=sys.stderr)
    except (ExportError, ValueError, OSError) as error:
        print(f"export failed: {error}", file=sys.stderr)
    return 1


def _pass_mark(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError("must be between 0 and 100")
    return value


def _questions(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def register_cli(commands) -> None:
    parser = commands.add_parser("export", help="the course for a learning platform: SCORM package, Moodle XML")
    kinds = parser.add_subparsers(dest="kind", required=True)
    scorm = kinds.add_parser("scorm", help="the knowledge check as a SCORM package (zip)")
    scorm.add_argument("--out", type=Path, help="zip file to write (default: skintriage-knowledge-check-scorm12.zip)")
    scorm.add_argument(
        "--scorm-version",
        choices=["1.2", "2004"],
        default="1.2",
        help="SCORM 1.2 (default; every LMS) or SCORM 2004 4th edition",
    )
    scorm.add_argument("--questions", type=_questions, default=kc.DEFAULT_N, help="questions per check (default 20)")
    scorm.add_argument("--pass-mark", type=_pass_mark, default=kc.DEFAULT_PASS_MARK, help="percent (default 80)")
    scorm.set_defaults(export=_scorm)
    moodle = kinds.add_parser("moodle-xml", help="every question of the bank as a Moodle XML question bank")
    moodle.add_argument("--out", type=Path, help="XML file to write (default: skintriage-question-bank.xml)")
    moodle.add_argument(
        "--no-face-maps",
        action="store_true",
        help="leave out the face map images (a much smaller file, for sites with a low upload limit)",
    )
    moodle.set_defaults(export=_moodle)
    for sub in (scorm, moodle):
        sub.add_argument("--cases", type=Path, help="folder of case files (default: the shipped bank)")
        sub.set_defaults(run=_run)
