"""Links in case text: relative links within the course, or https links to hosts on the course's allowlist
(``data/link_allowlist.yaml``). Anything else (other hosts, ``//host``, other schemes) is a problem."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

from skintriage import course

ALLOWLIST_FILE = course.DATA_DIR / "link_allowlist.yaml"

# Only text with "[" (links, images) or "<" (autolinks) can hold a link: linkify is off in render.py.
_MAY_LINK = re.compile(r"[\[<]")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: Case pages are two folders below the site root (book/cases/): a relative link needs at most two "..".
MAX_PARENT_STEPS = 2


@lru_cache(maxsize=1)
def _checker() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False})
    md.validateLink = lambda url: True  # see every link, including the ones render.py would refuse
    return md


@lru_cache(maxsize=4)
def allowed_hosts(path: Path = ALLOWLIST_FILE) -> frozenset[str]:
    """Host names from the allowlist file (a mapping with ``hosts: [name, ...]``)."""
    from skintriage.bank.loader import read_yaml  # the bank's safe reader; imported late (bank imports this module)

    data = read_yaml(path)
    hosts = data.get("hosts") if isinstance(data, dict) else None
    if not isinstance(hosts, list) or not all(isinstance(h, str) and h for h in hosts):
        from skintriage.bank.loader import BankError

        raise BankError([f"{path}: hosts: expected a list of host names"])
    return frozenset(h.strip().lower().rstrip(".") for h in hosts)


def _targets(text: str) -> list[str]:
    found = []
    stack = list(_checker().parse(text))
    while stack:
        token = stack.pop()
        if token.children:
            stack.extend(token.children)
        if token.type == "link_open":
            found.append(str(token.attrGet("href") or ""))
        elif token.type == "image":
            found.append(str(token.attrGet("src") or ""))
    return found


def link_problem(href: str, hosts: frozenset[str]) -> str | None:
    target = href.strip()
    if "\\" in target:
        return f"link {target[:60]!r} contains a backslash: write course links with /"
    if target.startswith("//"):
        return f"link {target[:60]!r} points to another site: write https://host/... (allowed hosts only)"
    if _SCHEME.match(target):
        parts = urlsplit(target)
        if parts.scheme.lower() != "https":
            return f"link {target[:60]!r} uses {parts.scheme.lower()}: which is not allowed (https only)"
        host = (parts.hostname or "").lower().rstrip(".")
        if parts.username or parts.password or host not in hosts:
            return (
                f"link {target[:60]!r} goes to {host[:60] or 'no host'}, which is not on the allowlist "
                f"({ALLOWLIST_FILE.name})"
            )
        return None
    if target.startswith("/"):
        return f"link {target[:60]!r} starts with /: use a link relative to this page"
    if target.split("#")[0].split("?")[0].split("/").count("..") > MAX_PARENT_STEPS:
        return f"link {target[:60]!r} climbs out of the course (more than {MAX_PARENT_STEPS} '../')"
    return None


def link_problems(text: str, hosts: frozenset[str]) -> list[str]:
    """One message per link in ``text`` (Markdown) that is neither relative nor allowed."""
    if not _MAY_LINK.search(text):
        return []
    return [p for p in (link_problem(href, hosts) for href in _targets(text)) if p]
