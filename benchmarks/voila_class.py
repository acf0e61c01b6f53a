"""A class of trainees opening the Voila knowledge check at once, over loopback (``make bench-class``).

Starts Voila as ``make voila`` does (skintriage.register.voila_class: pre-heated kernels, culling, a cap), with a
throwaway register (a roster of N trainees, a temporary key), waits until the pool of kernels is ready, then N
headless Chromium pages open the check at the same moment. Each picks its name, answers every question and
submits. Reported: time to a usable exam (the questions and the Submit button on screen, timed in each page)
p50/p95, the CPU time the server, its kernels and the browsers spent getting there, memory, and records stored
(in the database and as files). Target: N of N usable and N of N records.

    python benchmarks/voila_class.py [--trainees 20] [--runs 1] [--pool-size N] [--max-kernels M]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]

from skintriage.bank.loader import load_exam_bank  # noqa: E402
from skintriage.exam import knowledge_check as kc  # noqa: E402
from skintriage.register import voila_class  # noqa: E402

# Each page reports (on its console, so the benchmark does not poll the pages) when its exam became usable: the
# Submit button and a question on screen; and whether it showed the "room is full" page or the template's
# "could not start" notice instead.
WATCH_PAGE = """
(() => {
  const said = new Set();
  const say = (what) => { if (!said.has(what)) { said.add(what); console.log('skt-bench ' + what + ' ' + Date.now()); } };
  const timer = setInterval(() => {
    if (/room is full/i.test(document.title)) say('full');
    const problem = document.getElementById('skt-kernel-problem');
    if (problem && !problem.hidden) say('problem');
    const submit = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Submit answers');
    if (submit && submit.offsetParent !== null && document.querySelector('.skt-kc-question')) {
      say('usable');
      clearInterval(timer);
    }
  }, 200);
})();
"""


# A kernel that has started and run the knowledge-check notebook has used at least this much CPU.
NOTEBOOK_CPU_S = 1.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def rss(processes: list[psutil.Process]) -> int:
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.Error:
            pass
    return total


def kernels(server: psutil.Process) -> list[psutil.Process]:
    try:
        return server.children(recursive=True)
    except psutil.Error:
        return []


def browsers(server: psutil.Process) -> list[psutil.Process]:
    """Everything this benchmark started except Voila and its kernels: Playwright's driver and Chromium."""
    theirs = {server.pid, *(p.pid for p in kernels(server))}
    return [p for p in psutil.Process().children(recursive=True) if p.pid not in theirs]


def wait_for_pool(server: psutil.Process, pool_size: int, timeout: float = 900) -> float:
    """Wait until the pool's kernels have run the notebook: as many kernels as the pool holds, each having used
    the CPU a run of the notebook takes, and all of them quiet; return the seconds it took."""
    start = time.monotonic()
    previous = None
    while time.monotonic() - start < timeout:
        running = kernels(server)
        used = [cpu_seconds([k]) for k in running]
        total = sum(used)
        ready = len(running) >= pool_size and all(u >= NOTEBOOK_CPU_S for u in used)
        if ready and previous is not None and total - previous < 0.5:
            return time.monotonic() - start
        previous = total
        time.sleep(3)
    raise SystemExit(f"the pool of {pool_size} kernels was not ready after {timeout:.0f} s")


def one_run(n: int, options: voila_class.ClassOptions, deadline: float) -> dict:
    work = Path(tempfile.mkdtemp(prefix="skintriage-bench-"))
    base = dict(
        os.environ,
        SKINTRIAGE_DATA_DIR=str(work / "data"),
        SKINTRIAGE_KEY_DIR=str(work / "keys"),
        SKINTRIAGE_CLINIC_NAME="Benchmark Clinic",
        SKINTRIAGE_RECORDS_DIR=str(work / "records"),  # the benchmark's records are not real training records
    )
    base.pop("SKINTRIAGE_DATABASE_URL", None)
    roster = work / "staff.csv"
    roster.write_text(
        "staff_id,name,role,site\n" + "".join(f"B-{i:02d},Bench Trainee {i:02d},Nurse,Bench\n" for i in range(1, n + 1))
    )
    skintriage = str(Path(sys.executable).with_name("skintriage"))
    subprocess.run([skintriage, "staff", "import", str(roster)], env=base, check=True, capture_output=True)

    log = work / "voila.log"
    result: dict = {"usable": {}, "full": [], "problem": [], "failures": []}
    exam = load_exam_bank()
    served_at = time.monotonic()
    with voila_class.serve(
        lambda port: voila_class.command("notebooks/knowledge_check.ipynb", port, options),
        root=ROOT,
        log=log,
        env=voila_class.voila_env(ROOT, base),
    ) as served:
        server = psutil.Process(served.process.pid)
        result["preheat_s"] = wait_for_pool(server, options.pool_size)
        result["server_start_to_ready_s"] = time.monotonic() - served_at
        result["idle_mb"] = rss([server, *kernels(server)]) / 2**20
        peak = [0]
        stop = threading.Event()

        def watch() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], rss([server, *kernels(server)]))
                time.sleep(0.5)

        threading.Thread(target=watch, daemon=True).start()
        url = served.url
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
                pages = []
                events: dict[str, dict[int, int]] = {"usable": {}, "full": {}, "problem": {}}

                def listen(number: int):
                    def heard(message) -> None:
                        parts = message.text.split()
                        if len(parts) == 3 and parts[0] == "skt-bench" and parts[1] in events:
                            events[parts[1]].setdefault(number, int(parts[2]))

                    return heard

                for number in range(1, n + 1):
                    page = browser.new_context().new_page()
                    page.add_init_script(WATCH_PAGE)
                    page.on("console", listen(number))
                    page.route(
                        "**/*", lambda route: route.continue_() if route.request.url.startswith(url) else route.abort()
                    )
                    pages.append(page)
                cpu_before = {
                    "server": cpu_seconds([server]),
                    "kernels": cpu_seconds(kernels(server)),
                    "browsers": cpu_seconds(browsers(server)),
                }
                start_wall = time.time()
                start = time.monotonic()
                for page in pages:  # open every page at once
                    page.evaluate(f"window.location.href = {url!r}")
                while len(events["usable"]) < n and time.monotonic() - start < deadline:
                    pages[0].wait_for_timeout(1000)  # lets Playwright deliver the pages' console messages
                result["cpu_s"] = {
                    "server": cpu_seconds([server]) - cpu_before["server"],
                    "kernels": cpu_seconds(kernels(server)) - cpu_before["kernels"],
                    "browsers": cpu_seconds(browsers(server)) - cpu_before["browsers"],
                }
                for number in range(1, n + 1):
                    if number in events["usable"]:
                        result["usable"][number] = events["usable"][number] / 1000 - start_wall
                    else:
                        result["failures"].append(f"trainee {number}: no usable exam after {deadline:.0f} s")
                result["full"] = sorted(events["full"])
                result["problem"] = sorted(events["problem"])
                for number, page in enumerate(pages, start=1):
                    if number not in result["usable"]:
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
                        page.wait_for_timeout(300)
                        page.get_by_role("button", name="Submit answers").click()
                        page.locator(".skt-kc-score").wait_for(timeout=300_000)
                    except Exception as error:
                        result["failures"].append(
                            f"trainee {number}: submit failed ({type(error).__name__}: {str(error)[:80]})"
                        )
                browser.close()
        finally:
            stop.set()
        result["peak_mb"] = peak[0] / 2**20
        result["iopub_timeouts"] = log.read_text().count("Timeout waiting for IOPub output")

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
        env=base,
        capture_output=True,
        text=True,
    )
    result["files"] = len(list((work / "records").glob("knowledge-check_bench-trainee-*.json")))
    result["stored"] = int(stored.stdout.strip()) if stored.stdout.strip().isdigit() else -1
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=20)
    parser.add_argument("--runs", type=int, default=1, help="repeat and report the median of the runs")
    parser.add_argument("--pool-size", type=int, help="kernels pre-heated (default: as make voila, one per trainee)")
    parser.add_argument("--max-kernels", type=int, help="the kernel cap (default: as make voila)")
    parser.add_argument("--fill-delay", type=float, help="seconds before a taken pool kernel is replaced")
    parser.add_argument("--deadline", type=float, default=300, help="seconds to wait for every exam")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    n = args.trainees
    defaults = voila_class.ClassOptions(pool_size=n, max_kernels=2 * n)
    options = voila_class.ClassOptions(
        pool_size=defaults.pool_size if args.pool_size is None else args.pool_size,
        max_kernels=args.max_kernels or defaults.max_kernels,
        fill_delay_seconds=defaults.fill_delay_seconds if args.fill_delay is None else args.fill_delay,
    )
    print(f"{n} trainees; {options}", flush=True)
    runs = []
    for run in range(1, args.runs + 1):
        result = one_run(n, options, args.deadline)
        times = list(result["usable"].values())
        result["p50_s"] = statistics.median(times) if times else None
        result["p95_s"] = percentile(times, 0.95) if times else None
        runs.append(result)
        print(
            f"run {run}: usable {len(times)}/{n}"
            + (f", p50 {result['p50_s']:.1f} s, p95 {result['p95_s']:.1f} s" if times else "")
            + f"; records {result['stored']} in the register, {result['files']} files"
            + f"; pool ready after {result['preheat_s']:.0f} s; memory idle {result['idle_mb']:.0f} MB,"
            f" peak {result['peak_mb']:.0f} MB; CPU s during the burst: "
            + ", ".join(f"{k} {v:.0f}" for k, v in result["cpu_s"].items())
            + (f"; 'room full' page seen by {len(result['full'])}" if result["full"] else "")
            + (f"; IOPub timeouts {result['iopub_timeouts']}" if result["iopub_timeouts"] else ""),
            flush=True,
        )
        for failure in result["failures"]:
            print("  " + failure)

    def median(key: str) -> float | None:
        values = [r[key] for r in runs if r[key] is not None]
        return statistics.median(values) if values else None

    usable = [len(r["usable"]) for r in runs]
    print(f"trainees: {n}, runs: {len(runs)} (figures are medians over the runs)")
    print(f"usable exams: {min(usable)} of {n} in the worst run (target {n} of {n})")
    if median("p50_s") is not None:
        print(f"time to a usable exam: p50 {median('p50_s'):.1f} s, p95 {median('p95_s'):.1f} s")
    print(
        f"memory, Voila and its kernels: idle with the pool ready {median('idle_mb'):.0f} MB, peak {median('peak_mb'):.0f} MB"
    )
    print(
        f"records stored: {min(r['stored'] for r in runs)} in the register, {min(r['files'] for r in runs)} record "
        f"files in the worst run (target {n} of {n})"
    )
    ok = all(len(r["usable"]) == n and r["files"] == n and r["stored"] == n for r in runs)
    print("RESULT: " + ("met" if ok else "NOT met"))
    if args.json:
        args.json.write_text(json.dumps({"trainees": n, "options": options.__dict__, "runs": runs}, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
