"""A class of trainees opening the Voila knowledge check at once, over loopback (``make bench-class``).

Starts Voila exactly as ``make voila`` does (skintriage.register.voila_class: pre-heated kernels, culling, a cap),
with a throwaway register (a roster of N trainees, a temporary key), then N headless Chromium pages open the
check at the same moment. Each picks its name, answers every question and submits. Reported: time to a usable
exam (the questions and the Submit button on screen) p50/p95, peak memory of the server and its kernels, and
records stored (in the database and as files). Target: N of N usable and N of N records.

    python benchmarks/voila_class.py [--trainees 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skintriage.bank.loader import load_exam_bank  # noqa: E402
from skintriage.exam import knowledge_check as kc  # noqa: E402
from skintriage.register.voila_class import command  # noqa: E402
from tests.voila_server import free_port  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=20)
    args = parser.parse_args()
    n = args.trainees
    work = Path(tempfile.mkdtemp(prefix="skintriage-bench-"))
    env = dict(
        os.environ,
        SKINTRIAGE_DATA_DIR=str(work / "data"),
        SKINTRIAGE_KEY_DIR=str(work / "keys"),
        SKINTRIAGE_CLINIC_NAME="Benchmark Clinic",
        JUPYTER_PATH=str(ROOT / "notebooks" / "jupyter-data"),
    )
    env.pop("SKINTRIAGE_DATABASE_URL", None)
    roster = work / "staff.csv"
    roster.write_text(
        "staff_id,name,role,site\n" + "".join(f"B-{i:02d},Bench Trainee {i:02d},Nurse,Bench\n" for i in range(1, n + 1))
    )
    skintriage = str(Path(sys.executable).with_name("skintriage"))
    subprocess.run([skintriage, "staff", "import", str(roster)], env=env, check=True, capture_output=True)

    # Records go to notebooks/records; count only this run's trainees.
    records = ROOT / "notebooks" / "records"
    before = set(records.glob("knowledge-check_bench-trainee-*.json")) if records.exists() else set()

    port = free_port()
    log = open(work / "voila.log", "w")
    server = subprocess.Popen(
        command("notebooks/knowledge_check.ipynb", port, pool_size=4, max_kernels=n + 6),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    peak = [0]
    stop = threading.Event()

    def watch() -> None:
        process = psutil.Process(server.pid)
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss(process))
            time.sleep(0.5)

    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(url + "api", timeout=5)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    print((work / "voila.log").read_text())
                    return 1
                time.sleep(0.5)
        time.sleep(20)  # let the pool pre-heat, as it would before a class arrives
        threading.Thread(target=watch, daemon=True).start()
        exam = load_exam_bank()
        usable: list[float] = []
        failures: list[str] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
            pages = [browser.new_context().new_page() for _ in range(n)]
            for page in pages:
                page.route(
                    "**/*", lambda route: route.continue_() if route.request.url.startswith(url) else route.abort()
                )
            start = time.monotonic()
            for page in pages:  # open every page at once
                page.evaluate(f"window.location.href = {url!r}")
            for number, page in enumerate(pages, start=1):
                try:
                    page.get_by_role("button", name="Submit answers").wait_for(timeout=600_000)
                    page.wait_for_selector(".skt-kc-question", timeout=60_000)
                    usable.append(time.monotonic() - start)
                    print(f"  trainee {number}: usable after {usable[-1]:.1f} s", flush=True)
                except Exception as error:  # a page that never became usable is the result being measured
                    failures.append(f"trainee {number}: no usable exam ({type(error).__name__})")
            for number, page in enumerate(pages, start=1):
                if len(failures) and any(f.startswith(f"trainee {number}:") for f in failures):
                    continue
                try:
                    seed = int(page.inner_text(".skt-kc-seed"))
                    items = kc.draw(exam, kc.DEFAULT_N, seed)
                    page.locator(".skt-kc-staff-name select").select_option(
                        label=f"Bench Trainee {number:02d}, Nurse, Bench"
                    )
                    questions = page.locator(".skt-kc-question")
                    for index, item in enumerate(items):
                        for option in item.question.options:
                            if option.id in item.question.answer:
                                questions.nth(index).get_by_label(option.text, exact=True).check()
                    page.wait_for_timeout(500)
                    page.get_by_role("button", name="Submit answers").click()
                    page.locator(".skt-kc-score").wait_for(timeout=300_000)
                    print(f"  trainee {number}: submitted and scored", flush=True)
                except Exception as error:
                    failures.append(f"trainee {number}: submit failed ({type(error).__name__}: {str(error)[:80]})")
            browser.close()
    finally:
        stop.set()
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()

    stored = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "from sqlalchemy import select, func; from sqlalchemy.orm import Session;"
                "from skintriage.register.attempts import RegisterConfig, engine_for;"
                "from skintriage.register.models import Attempt;"
                "s = Session(engine_for(RegisterConfig()));"
                "print(s.scalar(select(func.count()).select_from(Attempt)))"
            ),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    after = set(records.glob("knowledge-check_bench-trainee-*.json")) if records.exists() else set()
    files = len(after - before)
    for path in records.glob("knowledge-check_bench-trainee-*"):
        path.unlink()  # the benchmark's records are not real training records

    print(f"trainees: {n}")
    print(f"usable exams: {len(usable)} of {n} (target {n} of {n})")
    if usable:
        print(f"time to a usable exam: p50 {statistics.median(usable):.1f} s, p95 {percentile(usable, 0.95):.1f} s")
    print(f"peak memory, Voila and its kernels: {peak[0] / 2**20:.0f} MB")
    print(f"records stored: {stored.stdout.strip() or '?'} in the register, {files} record files (target {n} of {n})")
    for failure in failures:
        print("  " + failure)
    ok = len(usable) == n and files == n and stored.stdout.strip() == str(n)
    print("RESULT: " + ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
