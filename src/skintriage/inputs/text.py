"""Checks on free text from data files: no control or bidi-override characters, something visible, and a
comparison key that sees through look-alikes (NFKC forms, zero-width characters, case, spacing)."""

from __future__ import annotations

import re
import unicodedata

# C0/C1 controls except tab and newlines, DEL, lone surrogates, interlinear annotation marks; and the bidi
# embedding/override/isolate controls that can make text read differently from how it is stored.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufff9-\ufffb\u202a-\u202e\u2066-\u2069]")
# Characters that show nothing on their own: spaces, zero-width and other format characters, fillers.
_INVISIBLE_CLASS = (
    "\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202f\u205f-\u206f"
    "\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff"
)
_VISIBLE = re.compile(f"[^{_INVISIBLE_CLASS}]")
_ZERO_WIDTH = re.compile("[\u00ad\u034f\u061c\u180b-\u180f\u200b-\u200f\u2060-\u206f\ufe00-\ufe0f\ufeff]+")
_SPACES = re.compile(r"\s+")

_NAMES = {"\x00": "a NUL character"}


def text_problem(value: str, *, visible: bool = True) -> str | None:
    """Why ``value`` is not acceptable text, or None."""
    bad = _FORBIDDEN.search(value)
    if bad:
        char = bad.group()
        code = f"U+{ord(char):04X}"
        if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
            return f"contains a bidirectional-override character ({code}): remove it"
        if "\ud800" <= char <= "\udfff":
            return f"contains a lone surrogate ({code}), which is not valid text: remove it"
        name = _NAMES.get(char, "a control character")
        return f"contains {name} ({code}) at position {bad.start()}: remove it"
    if visible and not _VISIBLE.search(value):
        return "has no visible text (only spaces or zero-width characters)"
    return None


def comparison_key(value: str) -> str:
    """Equal for texts a reader cannot tell apart: NFKC, no zero-width characters, case and spacing folded."""
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", value))
    return _SPACES.sub(" ", text).strip().casefold()
