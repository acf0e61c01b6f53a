"""One page per case with "case N of M" and Next case; the case index filters; the site's search finds
every case page; old addresses (a group page and its #case-<id> anchor) still lead to their cases."""

from __future__ import annotations

import html
import json
import re

import pytest
from playwright.sync_api import expect

from skintriage import load_bank
from skintriage.casesite import GROUPS, reading_order
from skintriage.casesite.documents import SUFFIX, write_sources
from tests.browser import assert_accessible

BANK = load_bank()
PLACES = reading_order(BANK)


def test_every_case_has_its_page_and_its_old_anchor(book_html):
    cases = book_html / "book" / "cases"
    for place in PLACES:
        page = (cases / f"{place.case_id}.html").read_text(encoding="utf-8")
        assert f"Case {place.number} of {place.of}" in page, place
        assert f'data-quiz-id="case-{place.case_id}"' in page
        # The old address: the group page still has the anchor, and it links to the case's page.
        group = (cases / f"{place.group}.html").read_text(encoding="utf-8")
        entry = re.search(rf'<li id="case-{re.escape(place.case_id)}"><a href="([^"]+)"', group)
        assert entry and entry.group(1) == f"{place.case_id}.html", (place.group, place.case_id)
    assert {p.group for p in PLACES} == set(GROUPS) and len(PLACES) == len(BANK)


def test_group_pages_do_not_grow_with_the_cases_they_hold(book_html):
    """A group page lists its cases; the cases themselves (face maps, quizzes) are on their own pages."""
    for group in GROUPS:
        html = (book_html / "book" / "cases" / f"{group}.html").read_text(encoding="utf-8")
        assert "skq-quiz" not in html and "<svg" not in html.split('class="bd-article"', 1)[-1]


@pytest.mark.browser
def test_an_old_bookmark_opens_its_case(page, site):
    case_id = "hsv-lip-tingling-day2"
    page.goto(site + f"book/cases/infections.html#case-{case_id}")
    page.wait_for_url(f"**/book/cases/{case_id}.html")
    expect(page.locator(f'[data-quiz-id="case-{case_id}"].skq-ready')).to_be_visible()
    assert page.external_requests == [] and page.console_errors == []


@pytest.mark.browser
def test_next_case_walks_the_group_in_order(phone_page, site):
    first, second = PLACES[0], PLACES[1]
    phone_page.goto(site + f"book/cases/{first.case_id}.html")
    expect(phone_page.locator(".skt-case-count").first).to_have_text(
        re.compile(rf"Case 1 of {first.of} in {re.escape(GROUPS[first.group][0])}")
    )
    phone_page.locator(".skt-case-next").last.click()
    phone_page.wait_for_url(f"**/{second.case_id}.html")
    expect(phone_page.locator(".skt-case-count").first).to_contain_text(f"Case 2 of {second.of}")
    # and the quiz on the new page works
    quiz = phone_page.locator(f'[data-quiz-id="case-{second.case_id}"].skq-ready')
    form = quiz.locator("form").first
    form.locator("input").first.check()
    form.get_by_role("button", name="Check answer").click()
    expect(form.locator(".skq-feedback")).not_to_be_empty()
    assert phone_page.external_requests == [] and phone_page.console_errors == []


@pytest.mark.browser
def test_case_index_filters_and_links(page, site):
    page.goto(site + "book/cases/index.html")
    page.wait_for_load_state("networkidle")
    items = page.locator(".skt-case-index .skt-case-list > li")
    expect(items).to_have_count(len(BANK))
    expect(page.locator(".skt-case-filters")).to_be_visible()
    page.get_by_label("Category").select_option("herpes_simplex")
    herpes = [c for c in BANK.values() if c.category == "herpes_simplex"]
    expect(items.filter(visible=True)).to_have_count(len(herpes))
    expect(page.locator(".skt-case-shown")).to_have_text(f"{len(herpes)} cases match the filters")
    page.get_by_label("Skin type").select_option(herpes[0].client.fitzpatrick)
    both = [c for c in herpes if c.client.fitzpatrick == herpes[0].client.fitzpatrick]
    expect(items.filter(visible=True)).to_have_count(len(both))
    assert_accessible(page)
    items.filter(visible=True).first.get_by_role("link").click()
    page.wait_for_url(f"**/{both[0].id}.html")
    assert page.external_requests == [] and page.console_errors == []


@pytest.mark.browser
@pytest.mark.parametrize("place", [PLACES[0], PLACES[len(PLACES) // 2], PLACES[-1]], ids=lambda p: p.case_id)
def test_case_pages_are_accessible_and_fit_a_phone(phone_page, site, place):
    phone_page.goto(site + f"book/cases/{place.case_id}.html")
    phone_page.wait_for_selector(".skq-quiz.skq-ready")
    assert_accessible(phone_page)
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert phone_page.external_requests == [] and phone_page.console_errors == []


def _search_index(book_html):
    text = (book_html / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def test_every_case_page_is_in_the_search_index(book_html):
    index = _search_index(book_html)
    docs = index["docnames"]
    for place in PLACES:
        doc = f"book/cases/{place.case_id}"
        assert doc in docs, f"{doc} is not in the site's search index"
        heading = f"Case {place.number} of {place.of}: {GROUPS[place.group][0]}"
        assert html.unescape(index["titles"][docs.index(doc)]) == f"{BANK[place.case_id].title} ({heading})"


def _text(markup):
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", text)).lower()


def _words(markup):
    return set(re.findall(r"[a-z]{6,}", _text(markup)))


def _story_word_only_on(book_html, case_id):
    """The longest word (6+ letters) of this case's story that no other page of the site has, or None."""
    from skintriage.pageassets.weight import site_pages

    own = book_html / "book" / "cases" / f"{case_id}.html"
    others = set().union(*(_words(p.read_text(encoding="utf-8")) for p in site_pages(book_html) if p != own))
    unique = sorted(_words(BANK[case_id].vignette) - others, key=lambda w: (-len(w), w))
    return unique[0] if unique else None


def test_search_reads_a_case_pages_story_not_its_quiz(book_html):
    """A case page is found by its own story, face map and review form; not by the quiz's options and
    feedback, which name other conditions only to rule them out ("cold sore" is a wrong answer in many cases)."""
    from sphinx.search.en import SearchEnglish

    from skintriage.casesite import case_page

    stem = SearchEnglish({}).stem
    index = _search_index(book_html)
    docs, terms = index["docnames"], index["terms"]

    def stems(markup):
        return {stem(w) for w in re.findall(r"\w+", _text(markup))}

    left_out = 0
    for place in PLACES:
        page = case_page(place, BANK)
        doc = docs.index(f"book/cases/{place.case_id}")

        def listed(term, doc=doc):
            found = terms.get(term, [])
            return doc in (found if isinstance(found, list) else [found])

        story = stems(page.story)
        assert all(listed(s) for s in story - stems(page.title) if s in terms), place.case_id
        quiz_only = stems(page.before + page.after) - story - stems(page.title)
        assert not [s for s in quiz_only if listed(s)], place.case_id
        left_out += len(quiz_only)
    assert left_out, "no quiz word differs from the stories: the check above proved nothing"


@pytest.mark.browser
def test_search_finds_a_case_by_a_word_only_it_has_and_opens_it(page, site, book_html):
    """A trainee searches the course for a word only one case's story uses: that case's page is in the
    results, and the result opens it, quiz ready."""
    order = PLACES[len(PLACES) // 2 :] + PLACES[: len(PLACES) // 2]
    found = next(((p, w) for p in order if (w := _story_word_only_on(book_html, p.case_id))), None)
    assert found, "no case's story has a word of its own to search for"
    place, word = found
    page.goto(site + f"search.html?q={word}")
    result = page.locator(f'#search-results a[href*="book/cases/{place.case_id}.html"]')
    expect(result.first).to_be_visible()
    expect(result.first).to_contain_text(f"{BANK[place.case_id].title} (Case {place.number} of {place.of}")
    result.first.click()
    page.wait_for_url(f"**/book/cases/{place.case_id}.html**")
    expect(page.locator(f'[data-quiz-id="case-{place.case_id}"].skq-ready')).to_be_visible()
    expect(page.locator("article")).to_contain_text(word, ignore_case=True)
    assert page.external_requests == [] and page.console_errors == []


def test_case_sources_are_rewritten_only_when_they_change(tmp_path):
    """The build writes a source per case; an unchanged bank leaves them untouched (so an unchanged rebuild
    re-reads and rewrites no case page), and a case gone from the bank loses its source."""
    folder = tmp_path / "book" / "cases"
    folder.mkdir(parents=True)
    leftover = folder / f"removed-case{SUFFIX}"
    leftover.write_text("case: removed-case\n")
    places = write_sources(tmp_path, BANK)
    assert list(places) == [p.case_id for p in PLACES]
    stubs = sorted(folder.glob(f"*{SUFFIX}"))
    assert [s.stem for s in stubs] == sorted(places)
    before = {s: s.stat().st_mtime_ns for s in stubs}
    write_sources(tmp_path, BANK)
    assert {s: s.stat().st_mtime_ns for s in sorted(folder.glob(f"*{SUFFIX}"))} == before
