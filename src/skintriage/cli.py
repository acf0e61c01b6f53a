"""Command line: ``skintriage validate [PATH]``, ``skintriage triage [FILE]``, ``skintriage instructor-files DIR``
(also as ``python -m skintriage``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .bank import BankError, load_bank


def _validate(args: argparse.Namespace) -> int:
    try:
        bank = load_bank(args.path)
    except BankError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was loaded.", file=sys.stderr)
        return 1
    print(f"{len(bank)} cases valid in {args.path or 'the shipped bank'} (fingerprint {bank.fingerprint[:12]}).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="skintriage", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check case files against the schema")
    validate.add_argument("path", nargs="?", type=Path, help="folder of case files (default: the shipped bank)")
    validate.set_defaults(run=_validate)
    # Subcommands that live beside the code they run; imported here to keep `import skintriage.cli` light.
    from . import editions, rules
    from .register import cli as register_cli

    rules.register_cli(commands)  # skintriage triage
    editions.register_cli(commands)  # skintriage instructor-files
    register_cli.register_cli(commands)  # skintriage staff / records / stats
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
