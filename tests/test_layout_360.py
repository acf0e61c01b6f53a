"""The main pages on a 360 px phone: no text under 12 px (page text, SVG labels, text drawn in the course's
figures), nothing clipped or pushed off the side, and no floating control covering text."""

from __future__ import annotations

import pytest

from skintriage import figures
from skintriage.figures import style, timeline, trajectories  # noqa: F401  (figures.<module> below)
from tests.browser import assert_accessible
from tests.conftest import new_page

pytestmark = pytest.mark.browser

WIDTH = 360
PAGES = [
    "book/index.html",
    "book/welcome.html",
    "book/normal_healing.html",
    "book/telling_apart.html",
    "book/cases/healing_and_flares.html",
    "book/explorer.html",
    "book/knowledge_check.html",
]

# Visible text: every element with its own non-blank text, or an SVG <text>, that takes up room on screen.
_TEXT_ELEMENTS = """
() => {
  const out = [];
  const hidden = el => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return true;
      if (s.clip && s.clip.startsWith('rect(0') && e.getBoundingClientRect().width <= 1) return true;
      if (s.position === 'absolute' && e.getBoundingClientRect().width <= 1) return true;
    }
    return false;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || seen.has(el) || !node.textContent.trim()) continue;
    if (['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'TITLE', 'OPTION'].includes(el.tagName.toUpperCase())) continue;
    if (el.closest('template, [hidden], title, desc, metadata')) continue;
    seen.add(el);
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = Array.from(range.getClientRects()).filter(r => r.width > 0 && r.height > 0);
    if (!rects.length || hidden(el)) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    const svgText = el.closest('svg text');
    if (svgText) {
      const ctm = svgText.getScreenCTM();
      size = size * Math.hypot(ctm.a, ctm.b);
    }
    let scroller = null;
    for (let e = el.parentElement; e; e = e.parentElement) {
      const o = getComputedStyle(e).overflowX;
      if (o === 'auto' || o === 'scroll') { scroller = e; break; }
    }
    const left = Math.min(...rects.map(r => r.left + window.scrollX));
    const right = Math.max(...rects.map(r => r.right + window.scrollX));
    out.push({text: node.textContent.trim().slice(0, 40), tag: el.tagName, cls: String(el.className.baseVal ?? el.className).slice(0, 40),
              size, left, right, inScroller: !!scroller,
              rects: rects.map(r => [r.left, r.top, r.right, r.bottom])});
  }
  return out;
}
"""

# Floating controls: fixed elements other than the top bar, as they are on screen now. (Sticky bars, such as
# the explorer's verdict bar, keep their own place in the page.)
_FLOATING = """
() => Array.from(document.querySelectorAll('body *')).filter(e => {
  const s = getComputedStyle(e);
  if (s.position !== 'fixed' || s.display === 'none' || s.visibility === 'hidden') return false;
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && r.top > 70 && r.bottom > 0 && r.top < innerHeight;
}).map(e => { const r = e.getBoundingClientRect(); return {id: e.id, cls: String(e.className).slice(0, 40),
                                                             text: e.textContent, box: [r.left, r.top, r.right, r.bottom]}; })
"""


@pytest.fixture
def phone(browser):
    page = new_page(browser, viewport={"width": WIDTH, "height": 740}, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


def figure_images(page) -> list[dict]:
    """The course's raster figures (matplotlib PNGs at figures.style.DPI) and how large they are shown."""
    return page.eval_on_selector_all(
        "article img",
        "imgs => imgs.filter(i => i.complete && i.naturalWidth && i.closest('.cell_output')).map(i => ({"
        "src: i.getAttribute('src').slice(0, 60), shown: i.getBoundingClientRect().width, natural: i.naturalWidth}))",
    )


@pytest.mark.parametrize("path", PAGES)
def test_phone_page_text_is_readable_unclipped_and_uncovered(phone, site, path):
    page = phone
    page.goto(site + path)
    page.wait_for_load_state("load")
    problems = []

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > WIDTH + 1:
        problems.append(f"the page scrolls sideways: {scroll_width} px wide")

    for item in page.evaluate(_TEXT_ELEMENTS):
        if item["size"] < 12 - 0.05:
            problems.append(f"{item['size']:.1f} px text: {item['tag']}.{item['cls']} {item['text']!r}")
        if not item["inScroller"] and (item["left"] < -1 or item["right"] > WIDTH + 1):
            problems.append(f"clipped ({item['left']:.0f}-{item['right']:.0f} px): {item['tag']} {item['text']!r}")

    # Text drawn inside the figures: the smallest font (figures.style.MIN_FONT pt at figures.style.DPI) as displayed.
    for image in figure_images(page):
        px = figures.style.MIN_FONT / 72 * figures.style.DPI * image["shown"] / image["natural"]
        if px < 12 - 0.05:
            problems.append(f"figure text about {px:.1f} px in {image['src']} (shown {image['shown']:.0f} px wide)")

    # Floating controls, at the top, part-way down, and after scrolling back up (when "Back to top" shows).
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in (0, height // 2, height // 2 - 400, height - 740):
        page.evaluate(f"window.scrollTo(0, {max(y, 0)})")
        page.wait_for_timeout(150)
        floating = page.evaluate(_FLOATING)
        if not floating:
            continue
        for item in page.evaluate(_TEXT_ELEMENTS):
            for control in floating:
                fl, ft, fr, fb = control["box"]
                for left, top, right, bottom in item["rects"]:
                    if left < fr and right > fl and top < fb and bottom > ft:
                        if item["text"] in control["text"]:
                            break  # the control's own label
                        problems.append(f"#{control['id']}.{control['cls']} covers {item['text']!r} at y={y}")
                        break
    assert not problems, f"{path} at {WIDTH} px:\n" + "\n".join(dict.fromkeys(problems))


def test_start_page_on_a_phone_says_where_to_start_and_how_long(phone, site):
    """ "Start here" and the total time are on the first screen; the parts table links to each part; the
    stated numbers are the course's own (chapters in the toc, cases in the bank, chapter 1's minutes)."""
    import re

    import yaml

    from skintriage.bank.loader import load_bank
    from tests.voila_server import ROOT

    page = phone
    page.goto(site + "book/index.html")
    tip = page.locator(".admonition", has_text="Start here").first
    box = tip.bounding_box()
    assert box["y"] < 740, f"'Start here' is {box['y']:.0f} px down, below the first screen"
    text = " ".join(tip.inner_text().split())
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    chapters = sum(len(part["chapters"]) for part in toc["parts"] if part.get("numbered"))
    words = {9: "nine"}
    assert f"{words.get(chapters, chapters)} short chapters" in text
    assert f"{len(load_bank().cases)} practice cases" in text
    minutes = re.search(r"about (\d+)\W(\d+) minutes", (ROOT / "book" / "welcome.md").read_text())
    assert minutes and f"{minutes.group(1)}–{minutes.group(2)} minutes each" in text
    assert tip.get_by_role("link", name=re.compile("Welcome")).count() == 1

    links = page.locator("table a")
    assert links.count() == 6
    hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        assert page.request.get(site + "book/" + href).status == 200, href
    assert "ipynb" not in page.inner_text("main") and "notebooks/" not in page.inner_text("main")
    assert_accessible(page)
