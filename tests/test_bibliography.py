"""Every bibliography entry can be found again: a DOI, a PubMed id or a stable web address, each well-formed.

A reader (or a reviewer checking a claim) must be able to reach the source a chapter cites. The identifiers
are checked for form here; that each one names the right work was checked by hand when it was added.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
BIB = ROOT / "book" / "references.bib"

DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^[1-9]\d{0,8}$")
# One entry (kempiak2008) has only a publisher page served over plain http; see the bibliography's comment.
URL = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/\S*)?$")
IDENTIFIERS = ("doi", "pmid", "url")

ENTRIES = parse_file(str(BIB), bib_format="bibtex").entries


def test_there_are_entries():
    assert len(ENTRIES) >= 20


@pytest.mark.parametrize("key", sorted(ENTRIES))
def test_entry_has_an_identifier(key: str):
    fields = ENTRIES[key].fields
    assert any(fields.get(name, "").strip() for name in IDENTIFIERS), (
        f"references.bib: {key}: no doi, pmid or url field; add one you have checked"
    )


@pytest.mark.parametrize("key", sorted(ENTRIES))
def test_identifiers_are_well_formed(key: str):
    fields = ENTRIES[key].fields
    problems = []
    if "doi" in fields and not DOI.match(fields["doi"].strip()):
        problems.append(f"doi {fields['doi']!r} is not of the form 10.NNNN/suffix")
    if "pmid" in fields and not PMID.match(fields["pmid"].strip()):
        problems.append(f"pmid {fields['pmid']!r} is not a PubMed number")
    if "url" in fields and not URL.match(fields["url"].strip()):
        problems.append(f"url {fields['url']!r} is not an http(s) address")
    if "doi" in fields and "doi.org" in fields["doi"]:
        problems.append("doi should be the bare DOI, not a doi.org address")
    assert not problems, f"references.bib: {key}: " + "; ".join(problems)


def test_identifiers_live_in_their_own_fields():
    """A PMID hidden in a free-text note is invisible to this check and to readers' tools."""
    hidden = [key for key, entry in ENTRIES.items() if re.search(r"\bPMID\b", entry.fields.get("note", ""))]
    assert not hidden, f"references.bib: PMID in a note field instead of pmid: {hidden}"


def test_no_url_is_shared_by_two_entries():
    seen: dict[str, str] = {}
    for key, entry in ENTRIES.items():
        url = entry.fields.get("url")
        if url:
            assert url not in seen, f"references.bib: {key} and {seen[url]} share the url {url}"
            seen[url] = key
