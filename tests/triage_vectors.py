"""The shared triage test vectors: every case's findings plus the hand-written edge cases.

Both evaluators (skintriage.rules in Python, static/core/triage.js in the browser) must give the same result on
every vector, and each vector's expected category and action is what the course teaches. Run
``python -m tests.triage_vectors`` to print them as JSON (what the browser tests feed to triage.js).
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from skintriage import course
from skintriage.bank.loader import parse_case, read_yaml
from skintriage.rules import findings_as_dict, parse_findings

EDGE_FILE = Path(__file__).parent / "vectors" / "edge_findings.yaml"


def case_files() -> list[Path]:
    """Every case file in the shipped bank (the same glob as skintriage.bank.load_bank)."""
    return sorted(course.CASES_DIR.glob("*.yaml")) + sorted(course.CASES_DIR.glob("*.yml"))


def edge_cases() -> list[dict]:
    return yaml.safe_load(EDGE_FILE.read_text(encoding="utf-8"))


def build_vectors() -> list[dict]:
    """[{id, source, findings, category, action}], cases first (file order), then edge cases."""
    vectors = []
    for path in case_files():
        case = parse_case(path, read_yaml(path))
        vectors.append(
            {
                "id": f"case:{case.id}",
                "source": str(path),
                "findings": findings_as_dict(case.findings),
                "category": case.category,
                "action": case.action,
            }
        )
    for edge in edge_cases():
        findings = parse_findings(edge["findings"], source=f"{EDGE_FILE}: {edge['id']}")
        vectors.append(
            {
                "id": f"edge:{edge['id']}",
                "source": str(EDGE_FILE),
                "findings": findings_as_dict(findings),
                "category": edge["category"],
                "action": edge["action"],
            }
        )
    return vectors


if __name__ == "__main__":
    print(json.dumps(build_vectors(), indent=1))
