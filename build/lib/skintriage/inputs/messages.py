"""Problem lines of bounded length: a hostile value must not turn one problem into megabytes of output."""

from __future__ import annotations

#: Longest problem line printed; quoted values are cut much shorter than this.
MAX_LINE = 400
MAX_QUOTED = 60


def quoted(value: object, limit: int = MAX_QUOTED) -> str:
    """``repr`` of a value, cut to ``limit`` characters (a shortened value ends in ``...``)."""
    if isinstance(value, (list, tuple, set, frozenset, dict)) and len(value) > 20:
        return f"a {type(value).__name__} of {len(value)} items"
    text = repr(value[: limit + 1] if isinstance(value, str) else value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def bounded(line: str, limit: int = MAX_LINE) -> str:
    """One line (newlines shown as spaces), at most ``limit`` characters."""
    line = line.replace("\r", " ").replace("\n", " ")
    return line if len(line) <= limit else line[: limit - 3] + "..."


def capped(problems: list[str], limit: int, what: str = "problems") -> list[str]:
    """At most ``limit`` lines, then one line saying how many more there were."""
    if len(problems) <= limit:
        return problems
    hidden = len(problems) - limit
    return problems[:limit] + [f"... and {hidden} more {what} not shown"]
