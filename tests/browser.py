"""Helpers for browser tests: accessibility checks with axe-core (axe-playwright-python ships axe.min.js)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def serious_violations(page, context=None) -> list[str]:
    """axe-core violations of impact serious or critical, one readable line each."""
    results = _axe.run(page, context=context)
    lines = []
    for violation in results.response["violations"]:
        if violation.get("impact") in ("serious", "critical"):
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return lines


def assert_accessible(page, context=None) -> None:
    problems = serious_violations(page, context)
    assert not problems, "axe-core found serious or critical violations:\n" + "\n".join(problems)
