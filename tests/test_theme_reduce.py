"""The rules that cut the theme's stylesheet to what the site uses (skintriage.theme.reduce), on small inputs.
tests/test_theme_browser.py proves the cut on the built site renders as the full stylesheet."""

from __future__ import annotations

from skintriage.theme import rebase_urls
from skintriage.theme.reduce import reduce_stylesheet, selector_can_match, site_words

WORDS = site_words(['<div class="card dark" id="main"><a class="nav-link">x</a></div>', "el.classList.add('show')"])


def test_a_selector_needs_every_class_and_id_it_names():
    assert selector_can_match(".card .nav-link", WORDS)
    assert selector_can_match("#main > a.show:hover", WORDS)
    assert not selector_can_match(".card .tooltip-inner", WORDS)
    assert not selector_can_match("#sidebar", WORDS)
    assert selector_can_match("html[data-theme=dark] a", WORDS)  # no class or id: kept


def test_names_in_parentheses_and_attribute_values_never_remove_a_rule():
    assert selector_can_match(".card:not(.collapsed)", WORDS)
    assert selector_can_match(":is(.card, .unused) a", WORDS)
    assert selector_can_match('a[href$=".pdf"]', WORDS)


def test_unused_rules_and_selectors_go_and_used_ones_stay_whole():
    css = (
        ".card,.unused{color:red}.unused{color:blue}"
        "@media (min-width: 10px){.card{margin:0}.gone{margin:1px}}@media print{.gone{x:y}}"
        "@keyframes spin{from{opacity:0}to{opacity:1}}"
    )
    out = reduce_stylesheet(css, WORDS)
    assert out.startswith(".card{color:red}")
    assert "blue" not in out and ".gone" not in out and "@media print" not in out
    assert "@media (min-width: 10px){.card{margin:0}}" in out
    assert "@keyframes spin" in out


def test_custom_properties_go_only_when_nothing_reads_them():
    css = (
        ":root{--used:1px;--chain:var(--base);--base:2px;--unread:3px;--js:4px;"
        '--icon:url("data:image/svg+xml;charset=utf-8,%3Csvg%3E")}'
        ".card{margin:var(--used);padding:var(--chain)}"
        ".unused{margin:var(--only-here)}:root{--only-here:5px}"
    )
    out = reduce_stylesheet(css, WORDS, readers="style.getPropertyValue('--js')")
    for kept in ("--used:1px", "--chain:var(--base)", "--base:2px", "--js:4px"):
        assert kept in out
    assert "--unread" not in out and "--only-here" not in out and "--icon" not in out
    assert ":root{}" not in out


def test_a_value_with_semicolons_in_a_string_survives_intact():
    css = '.card{--icon:url("data:image/svg+xml;charset=utf-8,%3Csvg%3E");background:var(--icon)}'
    assert reduce_stylesheet(css, WORDS) == css


def test_moved_stylesheets_keep_their_relative_urls_working():
    css = 'a{background:url(file.png)}b{src:url("../vendor/f.woff2")}c{x:url(data:image/png;base64,AA)}'
    moved = rebase_urls(css, "", "styles")
    assert "url(../file.png)" in moved and "url(data:image/png;base64,AA)" in moved
    assert rebase_urls('b{src:url("../vendor/f.woff2")}', "styles", "styles") == 'b{src:url("../vendor/f.woff2")}'


def test_theme_links_carry_the_linked_files_digest_and_follow_its_changes(tmp_path):
    import hashlib

    from skintriage.theme import STYLESHEET, version_links

    sheet = tmp_path / "_static" / STYLESHEET
    sheet.parent.mkdir(parents=True)
    page = tmp_path / "book" / "a.html"
    page.parent.mkdir()
    page.write_text(f'<link rel="stylesheet" href="../_static/{STYLESHEET}?v=old" /><p>_static/{STYLESHEET}</p>')
    for css in ("p { color: red }", "p { color: blue }"):  # a rebuild that changes the cut stylesheet
        sheet.write_text(css)
        version_links(tmp_path)
        digest = hashlib.sha256(css.encode()).hexdigest()[:12]
        text = page.read_text()
        assert f'href="../_static/{STYLESHEET}?v={digest}"' in text and "v=old" not in text
        assert text.endswith(f"<p>_static/{STYLESHEET}</p>")  # text that is not a link is left alone
