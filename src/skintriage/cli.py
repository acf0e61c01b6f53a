"""Command line: ``skintriage validate [PATH]``, ``skintriage triage [FILE]``, ``skintriage instructor-files DIR``,
``skintriage export scorm|moodle-xml`` (also as ``python -m skintriage``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from skintriage.bank.loader import BankError, load_bank
from skintriage.inputs.messages import capped

#: Problem lines printed by ``validate``; the count of the rest is printed instead.
MAX_PRINTED = 200


def _validate(args: argparse.Namespace) -> int:
    if args.path is not None and not args.path.strip():
        print(
            "skintriage validate: the folder name is empty: give a folder of case files, or none for the shipped bank",
            file=sys.stderr,
        )
        return 2
    try:
        bank = load_bank(Path(args.path) if args.path else None)
    except BankError as error:
        for problem in capped(error.problems, MAX_PRINTED):
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was loaded.", file=sys.stderr)
        return 1
    for warning in capped(bank.warnings, MAX_PRINTED, "warnings"):
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{len(bank)} cases valid in {args.path or 'the shipped bank'} (fingerprint {bank.fingerprint[:12]}).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="skintriage", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check case files against the schema")
    validate.add_argument(
        "path", nargs="?", help="folder of case files, read with its subfolders (default: the shipped bank)"
    )
    validate.set_defaults(run=_validate)
    # Subcommands that live beside the code they run; imported here to keep `import skintriage.cli` light.
    from skintriage import rules
    from skintriage.exports import cli as exports_cli
    from skintriage.instructor import editions
    from skintriage.register import cli as register_cli

    rules.register_cli(commands)  # skintriage triage
    editions.register_cli(commands)  # skintriage instructor-files
    exports_cli.register_cli(commands)  # skintriage export scorm | moodle-xml
    register_cli.register_cli(commands)  # skintriage staff / records / stats
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
