"""Write ../environment.yml (conda users) from book.in and live.in, so the dependency list lives once.

conda and micromamba read `-r file` inside environment.yml differently (micromamba resolves it against a
temporary copy; mamba issue 1894), so the file lists the requirements themselves. `make lock` runs this;
tests/test_packaging.py checks environment.yml is in step.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = ["book.in", "live.in"]


def requirements() -> list[str]:
    lines = []
    for name in SOURCES:
        for line in (HERE / name).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                lines.append(line)
    return lines


def environment_yml() -> str:
    pins = "".join(f'      - "{line}"\n' for line in requirements())
    return (
        "# Generated from requirements/book.in and live.in by `make lock` (requirements/environment.py).\n"
        "# conda env create -f environment.yml && conda activate skintriage-course && pip install -e .\n"
        "name: skintriage-course\n"
        "channels:\n"
        "  - conda-forge\n"
        "dependencies:\n"
        "  - python=3.11\n"
        "  - pip\n"
        "  - pip:\n" + pins
    )


if __name__ == "__main__":
    target = HERE.parent / "environment.yml"
    target.write_text(environment_yml(), encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
