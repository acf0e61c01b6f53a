"""Load run for the class server over loopback: 200 simulated trainees join, receive a question on the event
stream and answer. `make bench` runs it on SQLite and on a temporary PostgreSQL server. Never part of `make test`.

Reports answer latency (request sent to acknowledgement received) p50/p95/p99, errors and answers stored.
Targets: 0 errors, 0 lost answers (stored == acknowledged), p95 under 200 ms. Exits 1 if one is missed.
Trainees answer after a think time of 0-3 s (seeded), as a room does; --burst sends every answer at once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skintriage.bank.loader import load_bank  # noqa: E402
from tests.class_server import ClassServerProcess, Instructor  # noqa: E402

CASE_ID = "hsv-lip-tingling-day2"
TARGET_P95_MS = 200.0


async def trainee(
    base_url: str, code: str, index: int, ready: asyncio.Event, joined: list, results: dict, think: float
) -> None:
    # One client per trainee, as each phone has its own connections (a shared pool of 400 is itself slow).
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        await _trainee(client, code, index, ready, joined, results, think)


async def _trainee(
    client: httpx.AsyncClient, code: str, index: int, ready: asyncio.Event, joined: list, results: dict, think: float
) -> None:
    try:
        response = await client.post("/api/join", json={"code": code, "name": f"Trainee {index}"})
        response.raise_for_status()
        token = response.json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        async with client.stream("GET", "/api/events", params={"seat": token}, timeout=120) as stream:
            joined.append(index)
            if len(joined) == results["expected"]:
                ready.set()
            async for line in stream.aiter_lines():
                if not line.startswith("data:"):
                    continue
                state = json.loads(line[5:])
                if state["poll"] and state["poll"]["status"] == "open":
                    poll = state["poll"]
                    break
        await asyncio.sleep(think)
        letter = random.Random(index).choice([o["id"] for o in poll["options"]])
        started = time.perf_counter()
        response = await client.post("/api/answer", headers=headers, json={"poll": poll["id"], "options": [letter]})
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code == 200 and response.json().get("received"):
            results["latencies"].append(elapsed)
        else:
            results["errors"].append(f"answer {response.status_code}: {response.text[:100]}")
    except Exception as exc:  # counted, never hidden
        results["errors"].append(f"trainee {index}: {exc.__class__.__name__}: {exc}")
        if not ready.is_set() and index not in joined:
            joined.append(index)
            if len(joined) == results["expected"]:
                ready.set()


async def run_load(server: ClassServerProcess, trainees: int, burst: bool) -> dict:
    instructor = Instructor(server)
    code = instructor.open_room(new=True)["code"]
    results = {"latencies": [], "errors": [], "expected": trainees}
    ready = asyncio.Event()
    joined: list[int] = []
    rng = random.Random(11)
    question = load_bank()[CASE_ID].questions[0]
    tasks = [
        asyncio.create_task(trainee(server.url, code, i, ready, joined, results, 0.0 if burst else rng.uniform(0, 3)))
        for i in range(trainees)
    ]
    await asyncio.wait_for(ready.wait(), timeout=120)
    poll = await asyncio.to_thread(instructor.open_poll, CASE_ID, question.id)
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=180)
    room = instructor.room()
    results["stored"] = room["poll"]["answered"] if room["poll"]["id"] == poll["id"] else 0
    return results


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc): the work done, whatever else the machine runs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(name: str, results: dict) -> bool:
    latencies = results["latencies"]
    p50, p95, p99 = (percentile(latencies, p) for p in (50, 95, 99))
    acknowledged = len(latencies)
    lost = acknowledged - results["stored"]
    ok = not results["errors"] and lost == 0 and acknowledged == results["expected"] and p95 < TARGET_P95_MS
    print(
        f"{name:<11} server CPU {results['cpu']:.2f} s for {results['expected']} joins, streams and answers; "
        f"wall {results['wall']:.1f} s"
    )
    print(
        f"{name:<11} trainees={results['expected']} acknowledged={acknowledged} stored={results['stored']} "
        f"lost={lost} errors={len(results['errors'])} p50={p50:.1f}ms p95={p95:.1f}ms "
        f"(target < {TARGET_P95_MS:.0f}) p99={p99:.1f}ms mean={statistics.fmean(latencies or [0]):.1f}ms "
        f"{'OK' if ok else 'MISSED'}"
    )
    for problem in results["errors"][:5]:
        print(f"    {problem}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=200)
    parser.add_argument("--burst", action="store_true", help="every trainee answers at the same moment")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    ok = True
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"class server load run: {args.trainees} trainees, {'burst' if args.burst else 'think time 0-3 s'}; "
        f"machine load average {load} on {os.cpu_count()} cores (latency targets assume an otherwise idle machine)"
    )
    with tempfile.TemporaryDirectory(prefix="skintriage-bench-") as tmp:
        backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
        for backend in backends:
            postgres = None
            if backend == "sqlite":
                url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            else:
                from tests.postgres import PostgresServer

                postgres = PostgresServer()
                postgres.start()
                url = postgres.create_database("bench")
            server = ClassServerProcess(Path(tmp) / f"data-{backend}", url).start()
            try:
                before, started = cpu_seconds(server.process.pid), time.perf_counter()
                results = asyncio.run(run_load(server, args.trainees, args.burst))
                results["cpu"] = cpu_seconds(server.process.pid) - before
                results["wall"] = time.perf_counter() - started
                ok &= report(backend, results)
            finally:
                server.stop()
                if postgres:
                    postgres.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
