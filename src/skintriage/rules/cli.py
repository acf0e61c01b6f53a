"""``skintriage triage [FILE]``: what the course's rules say about one review form."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from skintriage.bank.loader import BankError
from skintriage.inputs.files import InputFileError, decode_utf8, read_regular, read_stream
from skintriage.inputs.messages import bounded, capped
from skintriage.rules.evaluate import triage
from skintriage.rules.findings_input import MAX_FINDINGS_BYTES, MAX_PRINTED_PROBLEMS, parse_findings_json
from skintriage.rules.model import load_rules


def _read_findings_text(source: str) -> str:
    try:
        if source == "<stdin>":
            data = read_stream(sys.stdin.buffer, MAX_FINDINGS_BYTES)
        else:
            data = read_regular(Path(source), MAX_FINDINGS_BYTES)
        return decode_utf8(data)
    except InputFileError as error:
        raise BankError([bounded(f"{source}: {error}")]) from None


def _run_triage(args: argparse.Namespace) -> int:
    source = "<stdin>" if args.file in (None, "-") else args.file
    if not source.strip():
        print("skintriage triage: the file name is empty: give a JSON file, or - for standard input", file=sys.stderr)
        return 2
    try:
        findings = parse_findings_json(_read_findings_text(source), source)
        result = triage(findings, load_rules(args.rules))
    except BankError as error:
        for problem in capped(error.problems, MAX_PRINTED_PROBLEMS):
            print(bounded(problem), file=sys.stderr)
        return 2
    print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    return 0


def register_cli(commands) -> None:
    """Add ``skintriage triage [FILE]`` to the CLI's subcommands."""
    parser = commands.add_parser(
        "triage",
        help="apply the course's triage rules to one findings object (JSON); a training aid, not a diagnosis",
        description="Read one findings object as JSON from FILE (or standard input) and print the likely "
        "category, the action and the reasons as JSON. A training aid, not a diagnostic device.",
    )
    parser.add_argument("file", nargs="?", help="JSON file of findings (default or '-': standard input)")
    parser.add_argument("--rules", type=Path, default=None, help="rules file (default: the course's)")
    parser.set_defaults(run=_run_triage)
