"""Page weight and speed as a trainee's phone meets them (issue 14); `make bench` runs it. Never in `make test`.

- every built page: first-load bytes (gzip, as a static host serves them) and request count, from Chromium;
- Lighthouse mobile performance and accessibility, median of 3, on the main kinds of page (if Lighthouse is
  installed in benchmarks/node_modules from the committed package-lock.json: `npm ci --prefix benchmarks`);
- a 10-question quiz page against a jupyterquiz page of the same 10 questions, built the same way in the same
  run, and the quiz page's ratio to its content's own gzip size;
- the scaling run: the bank copied to 150 and 300 cases: cold build, warm build, heaviest page, elements.

Prints a table per part and the targets beside them; writes everything to --json when asked.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VENV_BIN = ROOT / ".venv" / "bin"
LIGHTHOUSE = ROOT / "benchmarks" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
JB_FLAGS = ["--builder", "html", "--keep-going"]
LIGHTHOUSE_PAGES = [
    "index.html",
    "book/welcome.html",
    "book/telling_apart.html",
    "book/cases/index.html",
    "book/cases/infections.html",
    "book/cases/hsv-lip-tingling-day2.html",
    "book/knowledge_check.html",
    "book/explorer.html",
]
TARGETS = {
    "first_load_kb": 300,
    "lighthouse_performance": 0.9,
    "lighthouse_accessibility": 1.0,
    "quiz_vs_jupyterquiz": 1 / 3,
    "growth_300_vs_42": 1.10,
    "cold_build_300_vs_42": 3.0,
}


# --- a static host that gzips text, like any real one --------------------------------------------------------
class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        compressible = path.suffix in (".html", ".js", ".css", ".json", ".svg", ".txt")
        if not (path.is_file() and compressible and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)


def serve(directory: Path):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(directory))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# --- first loads in Chromium ---------------------------------------------------------------------------------
def first_loads(html: Path, pages: list[str] | None = None) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    from skintriage.pageassets.weight import site_pages
    from tests.conftest import CHROMIUM_ARGS
    from tests.weight_browser import first_load

    pages = pages or [p.relative_to(html).as_posix() for p in site_pages(html)]
    server, base = serve(html)
    results = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for relative in pages:
                context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
                page = context.new_page()
                load = first_load(page, base, html, relative)
                elements = page.evaluate("document.getElementsByTagName('*').length")
                context.close()
                files = {path.relative_to(html.resolve()).as_posix(): size for path, size in load.files.items()}
                results[relative] = {
                    "bytes": load.bytes,
                    "requests": load.requests,
                    "elements": elements,
                    "files": files,
                }
            browser.close()
    finally:
        server.shutdown()
    return results


def lighthouse(html: Path, pages: list[str], runs: int = 3) -> dict[str, dict]:
    if not LIGHTHOUSE.exists():
        print("Lighthouse: not installed (npm ci --prefix benchmarks); bytes and requests only")
        return {}
    server, base = serve(html)
    results = {}
    try:
        for relative in pages:
            scores = {"performance": [], "accessibility": []}
            for _ in range(runs):
                with tempfile.NamedTemporaryFile(suffix=".json") as out:
                    subprocess.run(
                        [
                            str(LIGHTHOUSE),
                            base + relative,
                            "--quiet",
                            "--output=json",
                            f"--output-path={out.name}",
                            "--only-categories=performance,accessibility",
                            "--form-factor=mobile",
                            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
                        ],
                        env={**os.environ, "CHROME_PATH": CHROMIUM},
                        check=True,
                        capture_output=True,
                        timeout=240,
                    )
                    report = json.loads(Path(out.name).read_text())
                for name in scores:
                    scores[name].append(report["categories"][name]["score"])
            results[relative] = {name: statistics.median(values) for name, values in scores.items()}
            results[relative]["performance_runs"] = scores["performance"]
            print(f"  lighthouse {relative}: {results[relative]}", flush=True)
    finally:
        server.shutdown()
    return results


# --- the same ten questions: this course's quiz and jupyterquiz -----------------------------------------------
QUIZ_PAGE = """---
jupytext: {{text_representation: {{extension: .md, format_name: myst}}}}
kernelspec: {{display_name: Python 3, language: python, name: python3}}
---
# Ten questions (skintriage quiz)

```{{code-cell}} ipython3
:tags: [remove-input]
from IPython.display import HTML
from skintriage.bank.loader import load_bank
from skintriage.quiz.core import Quiz

bank = load_bank()
questions = [q for case in list(bank.values()) for q in case.questions][:10]
HTML(Quiz(questions, quiz_id="bench-ten", bank=bank, title="Ten questions").to_html())
```
"""
JQ_PAGE = """---
jupytext: {{text_representation: {{extension: .md, format_name: myst}}}}
kernelspec: {{display_name: Python 3, language: python, name: python3}}
---
# Ten questions (jupyterquiz)

```{{code-cell}} ipython3
:tags: [remove-input]
import json
from jupyterquiz import display_quiz

display_quiz(json.loads({questions!r}))
```
"""


def ten_questions():
    from skintriage.bank.loader import load_bank

    bank = load_bank()
    return [q for case in bank.values() for q in case.questions][:10]


def jupyterquiz_questions(questions) -> list[dict]:
    return [
        {
            "question": q.stem,
            "type": "many_choice" if q.multiple else "multiple_choice",
            "answers": [{"answer": o.text, "correct": o.id in q.answer, "feedback": o.feedback} for o in q.options],
        }
        for q in questions
    ]


def content_gzip(questions) -> int:
    """The questions' own words: stems, options, feedback and explanations."""
    parts = []
    for q in questions:
        parts.append(q.stem)
        for option in q.options:
            parts += [option.text, option.feedback]
        parts.append(q.explanation)
    return len(gzip.compress("\n".join(parts).encode(), compresslevel=6))


def quiz_comparison(workdir: Path) -> dict:
    questions = ten_questions()
    book = workdir / "quizbook"
    (book / "book").mkdir(parents=True)
    shutil.copy(ROOT / "book" / "references.bib", book / "book" / "references.bib")
    config = (ROOT / "_config.yml").read_text()
    (book / "_config.yml").write_text(config)
    (book / "index.md").write_text("# Quiz comparison\n\n- [ours](ours.md)\n- [jupyterquiz](jq.md)\n")
    (book / "ours.md").write_text(QUIZ_PAGE.format())
    (book / "jq.md").write_text(JQ_PAGE.format(questions=json.dumps(jupyterquiz_questions(questions))))
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n  - file: ours\n  - file: jq\n")
    subprocess.run(
        [str(VENV_BIN / "jupyter-book"), "build", str(book), *JB_FLAGS],
        check=True,
        capture_output=True,
        env={**os.environ, "SKINTRIAGE_ROOT": str(ROOT)},
    )
    html = book / "_build" / "html"
    # myst-nb silently renders a code cell as nothing when the page is not a text notebook: check both quizzes
    # are really on their pages before comparing them.
    for name, marker in (("ours.html", 'class="skq-quiz'), ("jq.html", "show_questions")):
        if marker not in (html / name).read_text(encoding="utf-8"):
            raise SystemExit(f"quiz comparison: {name} holds no quiz ({marker!r} missing); see {book}")
    loads = first_loads(html, ["ours.html", "jq.html"])
    scores = lighthouse(html, ["ours.html", "jq.html"])
    content = content_gzip(questions)
    ours, jq = loads["ours.html"], loads["jq.html"]
    # Both pages are built in one book, so the theme and Sphinx files are the same files: what each page costs
    # beyond them is what the quiz itself costs (its HTML, its scripts and styles).
    shared = {f: b for f, b in ours["files"].items() if jq["files"].get(f) == b}
    own = {
        "ours": ours["bytes"] - sum(shared.values()),
        "jupyterquiz": jq["bytes"] - sum(shared.values()),
    }
    return {
        "content_gzip_bytes": content,
        "ours": {**ours, **scores.get("ours.html", {})},
        "jupyterquiz": {**jq, **scores.get("jq.html", {})},
        "shared_bytes": sum(shared.values()),
        "shared_files": sorted(shared),
        "own_bytes": own,
        "ours_vs_jupyterquiz": ours["bytes"] / jq["bytes"],
        "own_ours_vs_jupyterquiz": own["ours"] / own["jupyterquiz"],
        "ours_vs_content": ours["bytes"] / content,
    }


# --- scaling: the bank copied to 150 and 300 cases -----------------------------------------------------------
def scaled_copy(workdir: Path, n_cases: int) -> Path:
    import yaml

    copy = workdir / f"scale-{n_cases}"
    if not copy.exists():
        copy.mkdir()
        for name in ("_config.yml", "_toc.yml", "pyproject.toml"):
            shutil.copy(ROOT / name, copy / name)
        shutil.copytree(ROOT / "book", copy / "book")
        shutil.copytree(ROOT / "src", copy / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    cases = copy / "src" / "skintriage" / "data" / "cases"
    originals = sorted(cases.glob("*.yaml"))
    k = 1
    while len(list(cases.glob("*.yaml"))) < n_cases:
        for path in originals:
            if len(list(cases.glob("*.yaml"))) >= n_cases:
                break
            data = yaml.safe_load(path.read_text())
            data["id"] = f"{data['id']}-copy{k}"
            data["title"] = f"{data['title']} (copy {k})"
            (cases / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        k += 1
    return copy


def scaling_run(workdir: Path, sizes=(42, 150, 300)) -> dict:
    results = {}
    for n in sizes:
        copy = scaled_copy(workdir, n)
        env = {**os.environ, "SKINTRIAGE_ROOT": str(copy), "PYTHONPATH": str(copy / "src")}
        timings = []
        for _ in range(2):  # cold, then warm (nothing changed)
            start = time.perf_counter()
            done = subprocess.run(
                [str(VENV_BIN / "jupyter-book"), "build", str(copy), *JB_FLAGS], capture_output=True, text=True, env=env
            )
            if done.returncode:
                raise SystemExit(f"build of the {n}-case copy failed:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
            timings.append(time.perf_counter() - start)
        html = copy / "_build" / "html"
        loads = first_loads(html)
        heaviest = max(loads, key=lambda p: loads[p]["bytes"])
        results[n] = {
            "cold_build_s": timings[0],
            "warm_build_s": timings[1],
            "heaviest_page": heaviest,
            "heaviest_bytes": loads[heaviest]["bytes"],
            "most_elements": max(v["elements"] for v in loads.values()),
            "pages": loads,
        }
        print(
            f"  {n} cases: cold {timings[0]:.0f} s, warm {timings[1]:.0f} s, heaviest {heaviest} "
            f"{loads[heaviest]['bytes'] / 1024:.0f} KB, most elements {results[n]['most_elements']}",
            flush=True,
        )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, help="write every measurement here")
    parts = ["pages", "lighthouse", "quiz", "scaling"]
    parser.add_argument("--skip", action="append", default=[], choices=parts)
    parser.add_argument("--only", action="append", default=[], choices=parts, help="run only these parts")
    parser.add_argument(
        "--page", action="append", default=[], help="measure only these pages (relative to _build/html)"
    )
    args = parser.parse_args()
    if args.only:
        args.skip = [part for part in parts if part not in args.only]
    html = ROOT / "_build" / "html"
    report: dict = {"targets": TARGETS}
    missed = []

    if "pages" not in args.skip:
        print("First load per page (gzip KB, requests), 375 px Chromium, empty cache:")
        loads = report["pages"] = first_loads(html, args.page or None)
        for page, v in sorted(loads.items(), key=lambda item: -item[1]["bytes"]):
            flag = "  MISSED" if v["bytes"] > TARGETS["first_load_kb"] * 1024 else ""
            print(f"  {v['bytes'] / 1024:7.1f} KB {v['requests']:3d} req {v['elements']:6d} el  {page}{flag}")
            if flag:
                missed.append(page)

    if "lighthouse" not in args.skip:
        print("Lighthouse mobile, median of 3:")
        report["lighthouse"] = lighthouse(html, args.page or LIGHTHOUSE_PAGES)
        for page, s in report["lighthouse"].items():
            if s["performance"] < TARGETS["lighthouse_performance"] or s["accessibility"] < 1.0:
                missed.append(f"lighthouse {page}")

    with tempfile.TemporaryDirectory(prefix="skt-bench-") as tmp:
        if "quiz" not in args.skip:
            print("Ten questions: this course's quiz page against jupyterquiz's (same book, same run):")
            q = report["quiz"] = quiz_comparison(Path(tmp))
            print(
                f"  ours {q['ours']['bytes'] / 1024:.1f} KB / {q['ours']['requests']} req; jupyterquiz "
                f"{q['jupyterquiz']['bytes'] / 1024:.1f} KB / {q['jupyterquiz']['requests']} req; ratio "
                f"{q['ours_vs_jupyterquiz']:.2f} (target <= 0.33); ours / content gzip {q['ours_vs_content']:.1f}x"
            )
            print(
                f"  shared by both pages (theme, Sphinx): {q['shared_bytes'] / 1024:.1f} KB; page-specific: ours "
                f"{q['own_bytes']['ours'] / 1024:.1f} KB, jupyterquiz {q['own_bytes']['jupyterquiz'] / 1024:.1f} KB; "
                f"ratio {q['own_ours_vs_jupyterquiz']:.2f}"
            )
            print(
                f"  lighthouse ours {q['ours'].get('performance')}/{q['ours'].get('accessibility')}, jupyterquiz "
                f"{q['jupyterquiz'].get('performance')}/{q['jupyterquiz'].get('accessibility')}"
            )
            if q["ours_vs_jupyterquiz"] > TARGETS["quiz_vs_jupyterquiz"]:
                missed.append("quiz vs jupyterquiz")
        if "scaling" not in args.skip:
            print("Scaling (bank copied to 150 and 300 cases):")
            s = report["scaling"] = scaling_run(Path(tmp))
            base, big = s[42], s[300]
            growth = max(big["pages"].get(p, {"bytes": 0})["bytes"] / v["bytes"] for p, v in base["pages"].items())
            cold = big["cold_build_s"] / base["cold_build_s"]
            print(f"  page growth 300 vs 42 cases: {growth:.2f}x (target <= 1.10); cold build {cold:.2f}x (<= 3)")
            report["scaling_summary"] = {"growth_300_vs_42": growth, "cold_build_300_vs_42": cold}
            if growth > TARGETS["growth_300_vs_42"]:
                missed.append("page growth with the bank")
            if cold > TARGETS["cold_build_300_vs_42"]:
                missed.append("cold build growth")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str))
    print("missed: " + (", ".join(missed) if missed else "none"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
