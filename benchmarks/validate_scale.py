"""How long `skintriage validate` takes on a large bank: 5,000 cases (copies of the shipped ones under new
ids) must validate in under 10 s on the course's 2-core machine. `make bench` runs it; never a test.

Also reports 1,000 cases, so a non-linear slowdown (time per case growing with the bank) shows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from skintriage import course
from skintriage.bank.loader import load_bank

TARGET_S = 10.0


def make_bank(folder: Path, count: int) -> None:
    sources = sorted(course.CASES_DIR.glob("*.yaml"))
    for index in range(count):
        source = sources[index % len(sources)]
        new_id = f"{source.stem}-copy{index}"[:60]
        text = source.read_text(encoding="utf-8").replace(f"id: {source.stem}\n", f"id: {new_id}\n", 1)
        (folder / f"{new_id}.yaml").write_text(text, encoding="utf-8")


def time_validation(count: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds): the machine is shared, so CPU time shows the code's own cost."""
    with tempfile.TemporaryDirectory() as tmp:
        make_bank(Path(tmp), count)
        start, cpu = time.perf_counter(), time.process_time()
        bank = load_bank(Path(tmp))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert len(bank) == count
        return elapsed, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=5000)
    args = parser.parse_args()
    small, small_cpu = time_validation(1000)
    large, large_cpu = time_validation(args.cases)
    print(f"{'measure':28} {'value':>10} {'target':>10}")
    print(f"{'validate_1000_cases_s':28} {small:10.2f}")
    flag = "" if large <= TARGET_S else "  MISSED"
    print(f"{'validate_' + str(args.cases) + '_cases_s':28} {large:10.2f} {TARGET_S:10.1f}{flag}")
    print(f"{'validate_' + str(args.cases) + '_cases_cpu_s':28} {large_cpu:10.2f}")
    print(
        f"CPU per case: {small_cpu:.2f} ms at 1,000, {1000 * large_cpu / args.cases:.2f} ms at {args.cases:,}"
        " (equal when validation scales linearly)"
    )
    return 0 if large <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
