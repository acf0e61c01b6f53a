"""A fixture bank for quiz tests: the valid case, plus (on request) one whose text tries to inject HTML."""

from __future__ import annotations

from pathlib import Path

import yaml

from skintriage.bank.loader import load_bank

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


def fixture_bank(folder: Path, hostile: bool = False):
    case = yaml.safe_load((FIXTURES / "cases" / "valid-case.yaml").read_text())
    if hostile:
        case["title"] = f"Title {HOSTILE}"
        case["vignette"] = f"Vignette {HOSTILE}"
        case["client"]["notes"] = f"Notes {HOSTILE}"
        question = case["questions"][0]
        question["stem"] = f"Stem {HOSTILE}"
        question["options"][0]["text"] = f"Option {HOSTILE}"
        question["options"][0]["feedback"] = f"Feedback {HOSTILE}"
        question["options"][1]["feedback"] = f"Right feedback {HOSTILE}"
        question["explanation"] = f"Explanation {HOSTILE}"
    (folder / "valid-case.yaml").write_text(yaml.safe_dump(case, sort_keys=False))
    bank = load_bank(folder, bib=ROOT / "book" / "references.bib", book=FIXTURES / "mini_book")
    if hostile:
        # The loader refuses a javascript: link; the renderer must not run one either, so the
        # link is added after loading.
        loaded = bank.cases["valid-case"]
        bank.cases["valid-case"] = loaded.model_copy(
            update={"vignette": loaded.vignette + "\n\n[a link](javascript:window.__pwned=3)"}
        )
    return bank
