"""Tests for the course figures: content, greyscale legibility, text size, accessible SVG, notebook display."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

from skintriage import figures
from skintriage.bank.schema import Action, Category, Site
from skintriage.figures import style, timeline, trajectories  # noqa: F401  (figures.<module> below)
from skintriage.rules import checklist

SVG_NS = "{http://www.w3.org/2000/svg}"
ALL_SITES = list(Site.__args__)

# Words a reader must find for each category on the timeline (kept here, independent of the module's labels).
CATEGORY_WORDS = {
    "expected_healing": "expected healing",
    "acneiform_flare": "acne",
    "milia": "milia",
    "contact_dermatitis": "contact dermatitis",
    "bacterial_infection": "bacterial infection",
    "herpes_simplex": "herpes simplex",
    "atypical_mycobacterial": "mycobacteria",
    "granulomatous_reaction": "granulomatous",
    "pigmentation_or_scarring": "pigmentation",
}

# Words the face-map alt text must use for each site.
SITE_ALT_WORDS = {
    "treated_area": "treated area",
    "usual_acne_sites": "acne",
    "product_sites": "product",
    "perioral": "mouth",
    "periocular": "eyes",
    "grid_pattern": "grid",
    "spreading_beyond_treated": "spreading",
}


# --- helpers ------------------------------------------------------------------------------------------------


def render(fig: Figure):
    """Draw with Agg; return the RGB image (floats 0-1, row 0 at the top) and the renderer."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    rgb = np.asarray(canvas.buffer_rgba())[..., :3].astype(float) / 255
    return rgb, canvas.get_renderer()


def grey(rgb: np.ndarray) -> np.ndarray:
    """Greyscale as printers and PIL's "L" mode convert it (ITU-R 601 luma)."""
    return rgb @ np.array([0.299, 0.587, 0.114])


def sampled_grey(fig: Figure, rgb: np.ndarray, renderer, artist) -> float:
    """Median greyscale value of the pixels inside the middle of an artist's box."""
    box = artist.get_window_extent(renderer)
    height = rgb.shape[0]
    x0, x1 = box.x0 + 0.2 * box.width, box.x1 - 0.2 * box.width
    y0, y1 = box.y0 + 0.2 * box.height, box.y1 - 0.2 * box.height
    rows = slice(int(height - y1), int(np.ceil(height - y0)))
    cols = slice(int(x0), int(np.ceil(x1)))
    patch = grey(rgb[rows, cols])
    assert patch.size > 20, f"too few pixels sampled for {artist.get_gid()}"
    return float(np.median(patch))


def by_gid(fig: Figure, pattern: str) -> dict[str, object]:
    found = {a.get_gid(): a for a in fig.findobj(lambda a: bool(a.get_gid()) and re.fullmatch(pattern, a.get_gid()))}
    assert found, f"no artist with gid matching {pattern}"
    return found


def texts(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def all_text(fig: Figure) -> str:
    return "\n".join(t.get_text() for t in texts(fig))


def wcag_contrast(c1, c2) -> float:
    def lum(colour):
        channel = np.array(to_rgb(colour))
        linear = np.where(channel <= 0.04045, channel / 12.92, ((channel + 0.055) / 1.055) ** 2.4)
        return float(linear @ np.array([0.2126, 0.7152, 0.0722]))

    hi, lo = sorted([lum(c1), lum(c2)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


FIGURE_FACTORIES = {
    "healing_timeline": figures.healing_timeline,
    "symptom_trajectories": figures.symptom_trajectories,
    "traffic_light_chart": figures.traffic_light_chart,
    "face_map_all_sites": lambda: figures.face_map_figure(ALL_SITES, ["vesicles", "erythema"]),
}


@pytest.fixture(scope="module", params=list(FIGURE_FACTORIES))
def any_figure(request):
    fig = FIGURE_FACTORIES[request.param]()
    render(fig)
    return request.param, fig


# --- all figures --------------------------------------------------------------------------------------------


def test_returns_figure_without_titles(any_figure):
    name, fig = any_figure
    assert isinstance(fig, Figure), name
    assert fig.get_suptitle() == "", f"{name} sets a suptitle; captions come from the page"
    for ax in fig.axes:
        for loc in ("left", "center", "right"):
            assert ax.get_title(loc=loc) == "", f"{name} sets an axes title"


def test_all_text_at_least_10pt(any_figure):
    name, fig = any_figure
    small = [(t.get_text()[:30], t.get_fontsize()) for t in texts(fig) if t.get_fontsize() < 10]
    assert not small, f"{name}: text below 10 pt: {small}"
    assert len(texts(fig)) >= 3, name


def test_axis_labels_lowercase(any_figure):
    name, fig = any_figure
    for ax in fig.axes:
        for label in (ax.get_xlabel(), ax.get_ylabel()):
            assert label == label.lower(), f"{name}: axis label {label!r} is not lowercase"


# Phone legibility. The book's content column is about 340 CSS px wide on a 375-390 px phone, and an image
# there is scaled to the column's width. A figure whose PNG is W inches wide (the saved, tight-cropped size:
# what the page actually shows) is drawn 340 CSS px wide, so one inch of the figure becomes 340 / W CSS px.
# Text of F points has an em size of F / 72 inches, so on the phone it is
#     F / 72 * 340 / W   CSS px
# tall, the same measure as a CSS font-size (the dpi cancels out). Body text on the page is 16 px; the
# floor here is 10 px. A 7 inch figure with 10 pt text gives 6.7 px (fails); 5 inches at 12 pt gives 11.3 px.
PHONE_COLUMN_CSS_PX = 312  # a 360 px phone (tests/test_layout_360.py measures the built pages)
MIN_PHONE_TEXT_CSS_PX = 12.0


def phone_text_px(fontsize_pt: float, width_in: float) -> float:
    """Displayed size in CSS px of ``fontsize_pt`` text in a figure ``width_in`` wide shown in the column."""
    return fontsize_pt / 72 * PHONE_COLUMN_CSS_PX / width_in


def png_width_in(fig: Figure) -> float:
    """Width of the figure's notebook PNG (``_repr_png_``, tight box), in inches."""
    png = fig._repr_png_()
    assert png[12:16] == b"IHDR"
    return int.from_bytes(png[16:20], "big") / fig.dpi


def test_phone_text_formula():
    assert phone_text_px(10, 7.0) < MIN_PHONE_TEXT_CSS_PX  # the old 7 inch figures: about 6.7 px
    assert phone_text_px(12, 5.0) < MIN_PHONE_TEXT_CSS_PX  # about 10.4 px at 312 px: too small
    assert phone_text_px(12, 4.3) >= MIN_PHONE_TEXT_CSS_PX  # about 12.1 px


@pytest.mark.parametrize("name", ["healing_timeline", "symptom_trajectories", "traffic_light_chart"])
def test_legible_on_a_phone(name):
    fig = FIGURE_FACTORIES[name]()
    width = png_width_in(fig)
    smallest = min(t.get_fontsize() for t in texts(fig))
    shown = phone_text_px(smallest, width)
    assert shown >= MIN_PHONE_TEXT_CSS_PX, (
        f"{name}: {smallest} pt text in a {width:.2f} in wide PNG is {shown:.1f} CSS px at {PHONE_COLUMN_CSS_PX} px"
    )


def test_figures_not_left_in_pyplot():
    """Built without pyplot: nothing for the inline backend to show a second time."""
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    for factory in FIGURE_FACTORIES.values():
        factory()
    figures.face_map_svg(["perioral"])
    assert plt.get_fignums() == before


def test_png_repr_is_one_png():
    data = figures.healing_timeline()._repr_png_()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"


# --- 1. healing timeline ------------------------------------------------------------------------------------


def test_timeline_has_a_row_for_every_category():
    assert set(CATEGORY_WORDS) == {c.value for c in Category}, "update CATEGORY_WORDS for the new category"
    covered = {c for row in figures.timeline.TIMELINE_ROWS for c in row["categories"]}
    assert covered == {c.value for c in Category}
    text = " ".join(all_text(figures.healing_timeline()).lower().split())  # wrapped lines joined
    for category, word in CATEGORY_WORDS.items():
        assert word in text, f"timeline has no row naming {category} ({word!r})"
    for word in ("day 3", "day 7", "2 weeks", "median", "days after treatment"):
        assert word in text


def test_timeline_windows_match_the_evidence():
    rows = {row["categories"][0]: row for row in figures.timeline.TIMELINE_ROWS}

    def span(category):
        segments = rows[category]["segments"]
        return min(s[0] for s in segments), max(s[1] for s in segments)

    assert span("expected_healing") == (0, 7)  # settled by about day 7 at most (Chu 2021)
    assert span("herpes_simplex") == (2, 10)
    assert span("bacterial_infection")[0] >= 2  # worse after day 2-3
    assert span("granulomatous_reaction")[0] <= 3 and span("granulomatous_reaction")[1] >= 56  # days; months
    assert 28 in rows["atypical_mycobacterial"]["marks"]  # median 28 days (Ma 2024)
    assert span("acneiform_flare")[1] == 14


def test_timeline_greyscale():
    fig = figures.healing_timeline()
    rgb, renderer = render(fig)
    bars = by_gid(fig, r"timeline:.*:(onset|continues)")
    values = {gid: sampled_grey(fig, rgb, renderer, bar) for gid, bar in bars.items()}
    background = float(np.median(grey(rgb[:5, :5])))
    for gid, value in values.items():
        assert background - value > 0.1, f"{gid} barely differs from the background in greyscale"
    # The three groups stay apart in greyscale.
    group_of = {c: row["group"] for row in figures.timeline.TIMELINE_ROWS for c in row["categories"]}
    group_values = {}
    for gid, value in values.items():
        _, category, kind = gid.split(":")
        if kind == "onset":
            group_values.setdefault(group_of[category], []).append(value)
    assert set(group_values) == {"expected", "reaction", "infection"}
    medians = {g: float(np.median(v)) for g, v in group_values.items()}
    for a, b in itertools.combinations(medians, 2):
        assert abs(medians[a] - medians[b]) >= 0.1, f"groups {a} and {b} look alike in greyscale: {medians}"
    # "May continue" segments carry a hatch and are lighter than the onset of the same row.
    for gid, bar in bars.items():
        if gid.endswith(":continues"):
            assert bar.get_hatch(), gid
            onset = values[gid.replace(":continues", ":onset")]
            assert values[gid] - onset >= 0.15, f"{gid} is not lighter than its onset bar"


# --- 2. symptom trajectories --------------------------------------------------------------------------------


def test_trajectories_content():
    fig = figures.symptom_trajectories()
    assert len(fig.axes) == 2
    red, pain = fig.axes
    assert red.get_shared_x_axes().joined(red, pain)
    assert "redness" in red.get_ylabel() and "pain" in pain.get_ylabel()
    text = " ".join(all_text(fig).lower().split())  # labels wrap onto two lines
    assert "schematic" in text
    for word in ("expected healing", "infection", "herpes simplex", "contact dermatitis", "days after treatment"):
        assert word in text


def test_trajectories_shapes():
    days = np.linspace(0, 14, 281)
    curves = {
        (key, cat): figures.trajectories._smooth_curve(spec[key], days)
        for cat, spec in figures.trajectories.TRAJECTORIES.items()
        for key in ("redness", "pain")
    }
    at = lambda curve, day: float(np.interp(day, days, curve))  # noqa: E731
    for key in ("redness", "pain"):
        expected = curves[(key, "expected_healing")]
        assert np.argmax(expected) <= 20 and np.all(np.diff(expected) <= 1e-9), "expected reaction falls steadily"
        infection = curves[(key, "bacterial_infection")]
        assert at(infection, 7) > at(infection, 2.5) + 2, "infection worsens after day 2-3"
    herpes_pain = curves[("pain", "herpes_simplex")]
    assert 2 <= days[np.argmax(herpes_pain[20:]) + 20] <= 5, "herpes pain flares around days 2-5"


def test_trajectories_distinguishable_without_colour():
    fig = figures.symptom_trajectories()
    for ax in fig.axes:
        series = [line for line in ax.get_lines() if (line.get_gid() or "").startswith("trajectory:")]
        assert len(series) == 4
        markers = [line.get_marker() for line in series]
        dashes = [str(line.get_linestyle()) + str(line._unscaled_dash_pattern) for line in series]
        assert all(m not in (None, "None", "", " ") for m in markers)
        assert len(set(markers)) == 4, f"markers repeat: {markers}"
        assert len(set(dashes)) == 4, f"line styles repeat: {dashes}"
        labels = {" ".join(t.get_text().split()) for t in ax.texts}  # a label may wrap onto two lines
        assert {line.get_label() for line in series} <= labels, "each line needs a direct label"


# --- 3. traffic light ---------------------------------------------------------------------------------------


def test_traffic_light_content_and_order():
    fig = figures.traffic_light_chart()
    width, height = fig.get_size_inches()
    assert 4.0 <= width <= 4.5 and height > width, "tall, narrow layout (phone column)"
    text = " ".join(all_text(fig).lower().split())  # wrapped trigger lines joined
    for action in Action:
        assert action.value.replace("_", " ") in text, f"missing level {action.value}"
    # The triggers are the checklist's summaries, from the triage rules (tests/test_checklist.py checks each
    # level's box holds exactly its band's lines, in order).
    for band in checklist():
        assert band.summaries, f"no triggers for {band.action}"
        for summary in band.summaries:
            assert " ".join(summary.lower().split()) in text, f"missing trigger {summary!r}"
    assert "batch" in text and "photograph and record" in text
    rgb, renderer = render(fig)
    headers = by_gid(fig, r"traffic:.*:header")
    tops = {gid.split(":")[1]: art.get_window_extent(renderer).y0 for gid, art in headers.items()}
    order = sorted(tops, key=tops.get, reverse=True)
    assert order == ["emergency", "same_day", "review", "monitor"], "most urgent first, top to bottom"


def test_traffic_light_greyscale_and_contrast():
    fig = figures.traffic_light_chart()
    rgb, renderer = render(fig)
    headers = by_gid(fig, r"traffic:.*:header")
    values = {gid.split(":")[1]: sampled_grey(fig, rgb, renderer, art) for gid, art in headers.items()}
    for a, b in itertools.combinations(values, 2):
        assert abs(values[a] - values[b]) >= 0.12, f"{a} and {b} headers look alike in greyscale: {values}"
    # Darker with urgency, so the ramp reads in greyscale.
    ramp = [values[a.value] for a in Action]
    assert ramp == sorted(ramp, reverse=True), values
    for level in figures.TRAFFIC_LIGHT:
        assert wcag_contrast(level["text"], level["colour"]) >= 4.5, level["action"]
    body = [t for t in texts(fig) if "\u2022" in t.get_text()]
    assert body and min(t.get_fontsize() for t in body) >= 12, "trigger text large enough for a phone"


# --- 4. face map --------------------------------------------------------------------------------------------


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


@pytest.mark.parametrize("site", ALL_SITES)
def test_face_map_each_site(site):
    svg = figures.face_map_svg([site])
    root = parse(svg)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("role") == "img"
    label = root.get("aria-label")
    assert label and SITE_ALT_WORDS[site] in label.lower()
    assert label == figures.face_map_alt([site])
    fig = figures.face_map_figure([site])
    assert by_gid(fig, f"face:{site}")


def test_face_map_svg_accessible_and_safe():
    svg = figures.face_map_svg(ALL_SITES, ["vesicles", "honey_crusts"])
    assert svg.startswith("<svg"), "no XML prolog or doctype in inline SVG"
    assert "<!DOCTYPE" not in svg and "<?xml" not in svg
    assert "<script" not in svg.lower() and "foreignobject" not in svg.lower()
    root = parse(svg)
    label = root.get("aria-label")
    first = list(root)[0]
    assert first.tag == f"{SVG_NS}title" and first.text == label
    for site, word in SITE_ALT_WORDS.items():
        assert word in label.lower(), f"alt text does not mention {site}"
    assert "blisters" in label and "honey-coloured crusts" in label
    for element in root.iter():
        events = [name for name in element.attrib if name.lower().startswith("on")]
        assert not events, f"event handler attributes {events}"
    assert len(svg.encode()) < 60_000, f"SVG is {len(svg.encode())} bytes"


def test_face_map_example_alt_text():
    assert figures.face_map_alt(["treated_area", "perioral"]) == (
        "Face map: changes on the perioral area (around the mouth) and the treated area (cheeks and forehead)."
    )
    assert figures.face_map_alt([]) == "Face map: no area marked."


def test_face_map_title_is_escaped():
    title = '<script>alert("x")</script> & "case"'
    svg = figures.face_map_svg(["perioral"], title=title)
    assert "<script" not in svg.lower()
    root = parse(svg)
    assert root.get("aria-label").startswith(title + ": Face map:")
    assert list(root)[0].text == root.get("aria-label")


def test_face_map_deterministic_and_order_free():
    a = figures.face_map_svg(frozenset({"perioral", "treated_area", "grid_pattern"}))
    b = figures.face_map_svg(["grid_pattern", "treated_area", "perioral", "perioral"])
    assert a == b


def test_face_map_regions_differ_without_colour():
    fig = figures.face_map_figure(ALL_SITES)
    regions = [a for a in fig.findobj(Patch) if (a.get_gid() or "").startswith("face:") and a.get_hatch()]
    hatch_of = {}
    for patch in regions:
        hatch_of.setdefault(patch.get_gid(), set()).add(patch.get_hatch())
    assert all(len(h) == 1 for h in hatch_of.values())
    hatches = [h.pop() for h in hatch_of.values()]
    assert len(hatches) == len(set(hatches)) == 5, f"each shaded region needs its own hatch: {hatches}"
    grid = [a for a in fig.findobj(Line2D) if a.get_gid() == "face:grid_pattern"]
    assert grid and grid[0].get_marker() == "+"
    labels = " ".join(all_text(fig).split())  # a label may wrap onto two lines
    assert "spreading beyond" in labels and "around the eyes" in labels


def test_face_map_svg_contains_every_label():
    """Labels sit outside the face: the SVG's view box must include them (none cut off at the edge)."""
    svg = figures.face_map_svg(ALL_SITES, ["vesicles"])
    root = parse(svg)
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    fig = figures.face_map_figure(ALL_SITES, ["vesicles"])
    _, renderer = render(fig)
    union = fig.get_tightbbox(renderer)  # inches
    assert width >= union.width * 72 and height >= union.height * 72
    # Each line of a label is its own <text> element (labels wrap onto two short lines).
    lines = " ".join(el.text or "" for el in root.iter(f"{SVG_NS}text"))
    for text in ("around the mouth", "where product went on", "spreading beyond", "usual acne sites"):
        assert text in lines, f"label {text!r} not in the SVG as text"


@pytest.mark.parametrize("bad", [["forehead"], ["perioral", "neck"]])
def test_face_map_unknown_site(bad):
    unknown = bad[-1]
    with pytest.raises(ValueError, match=unknown):
        figures.face_map_svg(bad)
    with pytest.raises(ValueError, match=unknown):
        figures.face_map_alt(bad)


def test_face_map_unknown_lesion():
    with pytest.raises(ValueError, match="spots"):
        figures.face_map_svg(["perioral"], ["spots"])


# --- notebook display ---------------------------------------------------------------------------------------


@pytest.mark.kernel
def test_notebook_cell_shows_exactly_one_image():
    """The chapters' hidden cells end with e.g. ``healing_timeline()``: one image, not none and not two."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from skintriage.figures import healing_timeline\nhealing_timeline()"),
        # After pyplot has been used in the same kernel (inline backend active).
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()"),
        nbformat.v4.new_code_cell("from skintriage.figures import traffic_light_chart\ntraffic_light_chart()"),
    ]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    images = [[o for o in cell.outputs if "image/png" in o.get("data", {})] for cell in nb.cells]
    assert len(images[0]) == 1, nb.cells[0].outputs
    assert len(images[2]) == 1, nb.cells[2].outputs


def test_figure_tables_follow_the_schema():
    """The figures' own tables stay in step with the review form and the actions (once import-time asserts)."""
    from typing import get_args

    from skintriage.bank.schema import Action, Lesion, Site
    from skintriage.figures import face_map, traffic_light

    assert [level["action"] for level in traffic_light.TRAFFIC_LIGHT] == [a.value for a in reversed(list(Action))]
    assert set(face_map.SITE_WORDS) == set(get_args(Site)) == set(face_map._SITE_LABELS)
    assert set(face_map.LESION_WORDS) == set(get_args(Lesion))
