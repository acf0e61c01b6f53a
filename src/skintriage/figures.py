"""Schematic teaching figures for the course.

These figures are **schematic teaching aids drawn from the course's evidence brief**, not plots of measured
data. Time windows and curve shapes show the course's teaching in a form that is easy to remember. Sources
(author, year) are named in comments next to the numbers they support; the full references are in
``book/references.bib``.

Every function returns a :class:`matplotlib.figure.Figure` (a :class:`TeachingFigure`) and never touches
pyplot's global state:

* ``healing_timeline()``: the expected healing reaction against the onset windows of the complications;
* ``symptom_trajectories()``: schematic redness and pain curves over the first two weeks;
* ``traffic_light_chart()``: the four escalation levels and their triggers;
* ``face_map_figure(...)`` / ``face_map_svg(...)`` / ``face_map_alt(...)``: a schematic face with the
  affected areas shaded, as a Figure, as inline accessible SVG, and as its alt text.

Display in Jupyter / myst-nb: a figure made with pyplot and left open is shown twice when it is also the
cell's last expression (once as the result, once by the inline backend at the end of the cell); a bare
``Figure()`` has no PNG representation until the inline backend has been loaded, so it shows as text. The
figures here are ``TeachingFigure`` objects, created without pyplot, that carry their own ``_repr_png_``:
the cell's last expression renders as exactly one PNG image whatever the backend state.

Design rules: Okabe-Ito colours (Okabe & Ito 2008) plus a second encoding that survives greyscale and colour
blindness (hatching, line styles, markers, words on the figure); direct labels rather than legends; no titles
inside the figures (captions come from the page). Legible on a phone: the charts are about 5 inches wide
(portrait, as tall as they need) with text at 12 pt or more, so that in the book's 340 px content column on
a phone the smallest text is about 11-12 CSS px (size in px = points / 72 * 340 / width in inches).
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Iterable
from functools import lru_cache
from typing import get_args
from xml.sax.saxutils import escape, quoteattr

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse, FancyArrowPatch, FancyBboxPatch, PathPatch, Rectangle
from matplotlib.path import Path

from skintriage.rules import checklist
from skintriage.bank.schema import Action, Category, Lesion, Site
from skintriage.vocab import ACTIONS, CATEGORIES

__all__ = [
    "TeachingFigure",
    "healing_timeline",
    "symptom_trajectories",
    "traffic_light_chart",
    "face_map_figure",
    "face_map_svg",
    "face_map_alt",
    "CATEGORY_LABELS",
    "ACTION_LABELS",
    "SITE_WORDS",
    "LESION_WORDS",
    "TRAFFIC_LIGHT",
    "traffic_light_triggers",
    "traffic_light_alt",
]

# --- Shared style --------------------------------------------------------------------------------------------

# Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design").
OI = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
GREY = "#595959"  # 7:1 contrast on white
LIGHT_GREY = "#BBBBBB"

MIN_FONT = 12.0  # the smallest text anywhere in these figures, in points
FONT = 12.5
SMALL = 12.0
DPI = 150  # PNG output: about 720 px across for a 4.8 inch figure, crisp on a phone

_RC = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
    "font.size": FONT,
    "axes.titlesize": FONT,
    "axes.labelsize": FONT,
    "xtick.labelsize": FONT,
    "ytick.labelsize": FONT,
    "legend.fontsize": FONT,
    "hatch.linewidth": 1.0,
    "svg.fonttype": "none",  # text stays text in SVG: small, searchable, readable by screen readers
    "svg.hashsalt": "skintriage",  # deterministic ids in SVG output
    "path.simplify": True,
}


class TeachingFigure(Figure):
    """A Figure that shows itself as one picture (SVG, with an optimised PNG beside it) in Jupyter, without pyplot.

    Built directly (not via ``pyplot.subplots``), so it is never in pyplot's list of open figures and the
    inline backend does not show it a second time at the end of the cell.
    """

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        with matplotlib.rc_context(_RC):
            self.savefig(buf, format="png", dpi="figure", bbox_inches="tight", pad_inches=0.08)
        return _small_png(buf.getvalue())

    def _repr_svg_(self) -> str:
        """The web page's picture: text stays text, a few KB gzipped where the PNG is 40-100 KB. Shown in an
        <img>, so no system font is guaranteed: DejaVu Sans first, then a narrower sans-serif, never a serif."""
        buf = io.StringIO()
        with matplotlib.rc_context(_RC):
            self.savefig(buf, format="svg", bbox_inches="tight", pad_inches=0.25,
                         metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
        svg = re.sub(r"<metadata>.*?</metadata>\s*", "", buf.getvalue(), count=1, flags=re.S)
        return svg.replace("'DejaVu Sans'", "'DejaVu Sans', Arial, Helvetica, sans-serif")

    def __repr__(self) -> str:  # the text/plain fallback
        return f"<skintriage figure {self.bbox.width / self.dpi:.1f}x{self.bbox.height / self.dpi:.1f} in>"


def _small_png(png: bytes, colours: int = 96) -> bytes:
    """The same picture as an optimised palette PNG: flat-colour charts on white need no alpha channel and few
    colours, which makes each figure several times smaller for a phone (issue 14: under 60 KB)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A") if image.mode == "RGBA" else None)
    out = io.BytesIO()
    flat.quantize(colors=colours, dither=Image.Dither.NONE).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _new_figure(width: float, height: float) -> TeachingFigure:
    return TeachingFigure(figsize=(width, height), dpi=DPI, facecolor="white")


def _tint(colour: str, amount: float) -> tuple[float, float, float]:
    """Mix ``colour`` with white: ``amount`` 1 is the colour, 0 is white."""
    rgb = np.array(matplotlib.colors.to_rgb(colour))
    return tuple(1 - amount * (1 - rgb))


# Plain words for the categories and actions of the schema (figure labels and alt text), from the vocabulary.
CATEGORY_LABELS: dict[str, str] = {category: words["words"] for category, words in CATEGORIES.items()}
ACTION_LABELS: dict[str, str] = {action: words["short"] for action, words in ACTIONS.items()}


# --- 1. Healing timeline ------------------------------------------------------------------------------------

# Group colours: each group also has its own heading on the figure, so colour is never the only cue; their
# greyscale values are at least 0.15 apart (green 0.42, orange 0.63, dark blue 0.23).
_GROUPS = {
    "expected": ("expected after treatment", OI["green"]),
    "reaction": ("reactions (not infection)", OI["orange"]),
    "infection": ("infections", "#004D80"),  # a darker shade of Okabe-Ito blue: apart from green in greyscale
}

# One row per condition: (categories, group, name, detail, segments, marks).
# Segments are (start_day, end_day, kind): "onset" = when it usually starts or is at its height (solid);
# "continues" = may continue or persist (light, hatched). Marks are days shown as a white diamond (median).
# All windows are course teaching that approximates the evidence brief; see the comment on each row.
TIMELINE_ROWS: list[dict] = [
    {
        # Erythema, oedema, pinpoint bleeding, then crusting and flaking; mostly settled within ~72 h
        # (Martin & Huang 2021) and within ~7 days at most (Chu 2021).
        "categories": ["expected_healing"],
        "group": "expected",
        "name": "expected healing",
        "detail": "redness, swelling, pinpoint bleeding; then crusts, flakes",
        "segments": [(0, 3, "onset"), (3, 7, "continues")],
        "marks": [],
    },
    {
        # Irritant contact dermatitis: among the commoner adverse events (Chu 2021); appears in the first
        # days, within a day or two of a product being applied (course teaching).
        "categories": ["contact_dermatitis"],
        "group": "reaction",
        "name": "contact dermatitis",
        "detail": "itch, burning; a day or two after a new product",
        "segments": [(0.5, 5, "onset")],
        "marks": [],
    },
    {
        # Allergic granulomatous reaction: onset within 3 days after vitamin C serum and tinted sunscreen
        # (Martin & Huang 2021); persistent, lasting months (Soltani-Arabshahi 2014; Friedmann 2024).
        "categories": ["granulomatous_reaction"],
        "group": "reaction",
        "name": "granulomatous reaction",
        "detail": "firm bumps from the first days; can last months",
        "segments": [(0.5, 3, "onset"), (3, 70, "continues")],
        "marks": [],
    },
    {
        # Acneiform eruption and milia: infrequent, no timing or rates reported (Harris 2015); the course
        # teaches "days to about 2 weeks".
        "categories": ["acneiform_flare", "milia"],
        "group": "reaction",
        "name": "acne-like flare, milia",
        "detail": "spots or tiny white bumps, days to ~2 weeks",
        "segments": [(2, 14, "onset")],
        "marks": [],
    },
    {
        # Post-inflammatory hyperpigmentation 5/30 and tram-track scarring 2/30 in skin types IV-V
        # (Dogra 2014); darker skin is a risk factor (Chu 2021). Timing in weeks is course teaching.
        "categories": ["pigmentation_or_scarring"],
        "group": "reaction",
        "name": "pigmentation, linear marks",
        "detail": "dark patches or track marks over weeks",
        "segments": [(14, 70, "onset")],
        "marks": [],
    },
    {
        # Herpes simplex reactivation: eczema herpeticum after microneedling with PRP (Wu 2022); may look
        # like pimples (Cao 2022 case series; Bae 2024 case report). No source gives a day of onset: the bar
        # from day 2 to 10 is a schematic course window, and the label says so.
        "categories": ["herpes_simplex"],
        "group": "infection",
        "name": "herpes simplex (cold sore virus)",
        "detail": "tingling, then blisters, while healing (schematic)",
        "segments": [(2, 10, "onset")],
        "marks": [],
    },
    {
        # Bacterial infection (impetigo, cellulitis): none reported in acne-scar studies (Harris 2015).
        # "Worse after day 2-3 instead of better" is course policy built on the expected course (Chu 2021);
        # NICE NG141 and NG153 describe treatment and referral, not this threshold.
        "categories": ["bacterial_infection"],
        "group": "infection",
        "name": "bacterial infection",
        "detail": "worse after day 2-3 instead of better",
        "segments": [(2.5, 14, "onset")],
        "marks": [],
    },
    {
        # Atypical (non-tuberculous) mycobacteria after cosmetic procedures: median latency 28 days
        # (Ma 2024, n=200); papules from day 5 after fractional laser (Berliner 2015); mean time to diagnosis
        # 9.8 weeks (Zeng 2025).
        "categories": ["atypical_mycobacterial"],
        "group": "infection",
        "name": "atypical mycobacteria",
        "detail": "lumps weeks later; \u25c6 median 28 days",
        "segments": [(5, 70, "onset")],
        "marks": [28],
    },
]

_SQUEEZE = 4.0  # after day 14 the time axis runs 4 times slower, so weeks fit beside days
_SPLIT = 14.0
_TIMELINE_END = 70.0
_DETAIL_WRAP = 42  # characters per line of a row's description (fits 12 pt text in a 4.25 inch figure)


def _tx(day: float) -> float:
    """Days to the piecewise-linear x coordinate of the timeline (linear to day 14, squeezed after)."""
    day = float(day)
    return day if day <= _SPLIT else _SPLIT + (day - _SPLIT) / _SQUEEZE


def healing_timeline() -> TeachingFigure:
    """The expected healing reaction against the onset windows of each complication (schematic).

    Built for a narrow (phone) column: 4.8 inches wide, every bar full width with its name and description
    above it, text at 12 pt or more. The plot is laid out in inches (the y axis runs in inches, downwards).
    """
    with matplotlib.rc_context(_RC):
        rows = TIMELINE_ROWS
        width = 4.25  # 12 pt stays 12 CSS px in a 360 px phone's 312 px column
        left_in, right_in = 0.12, 0.3  # margins beside the plot (the right one holds the "continues" arrows)
        # Vertical layout, in inches from the top of the plot.
        refs_in = 1.05  # the reference-day labels, as a staircase above the plot
        group_in = 0.36  # a group heading
        name_in, detail_in = 0.24, 0.205  # a row's name line and each line of its description
        bar_in, row_gap_in = 0.2, 0.16
        details = {id(row): textwrap.wrap(row["detail"], _DETAIL_WRAP) for row in rows}
        body_in = len(_GROUPS) * group_in + sum(
            name_in + detail_in * len(details[id(row)]) + 0.05 + bar_in + row_gap_in for row in rows
        )
        bottom_in = 1.45  # tick labels, axis label and the key
        height = refs_in + body_in + bottom_in
        fig = _new_figure(width, height)
        ax = fig.add_axes((left_in / width, bottom_in / height, 1 - (left_in + right_in) / width,
                           (refs_in + body_in) / height))
        x_end = _tx(_TIMELINE_END)
        ax.set_xlim(-0.15, x_end + 0.15)
        ax.set_ylim(body_in, -refs_in)
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", left=False, labelleft=False)
        in_per_x = (width - left_in - right_in) / (x_end + 0.3)  # inches per x unit
        white_box = {"facecolor": "white", "edgecolor": "none", "pad": 1.0, "alpha": 0.85}

        # The squeezed part of the axis: a pale band, so the change of scale is visible.
        ax.axvspan(_SPLIT, x_end + 0.15, ymin=0, ymax=body_in / (body_in + refs_in), color="#F2F2F2", zorder=0,
                   lw=0)
        # Reference days: dashed lines, each labelled at the top of its own step of a staircase (earliest
        # highest), so the labels are on one or two lines without running into the other lines.
        refs = [
            (3, "day 3: should be improving", -refs_in + 0.02),
            (7, "day 7: expected healing done", -refs_in + 0.3),
            (14, "2 weeks:\nstill there? refer", -refs_in + 0.58),
        ]
        for day, text, top in refs:
            ax.plot([_tx(day)] * 2, [top + 0.02, body_in], color=GREY, lw=1.0, ls=(0, (4, 3)), zorder=1)
            ax.text(_tx(day) + 0.05 / in_per_x, top, text, fontsize=SMALL, va="top", ha="left", color="black",
                    linespacing=1.1)

        y = 0.0
        x_text = -0.1
        for key, (heading, colour) in _GROUPS.items():
            ax.text(x_text, y + group_in * 0.55, heading.upper(), fontsize=FONT, fontweight="bold", va="center",
                    ha="left", color="black", zorder=4).set_bbox(white_box)
            y += group_in
            for row in (r for r in rows if r["group"] == key):
                name = ax.text(x_text, y + name_in / 2, row["name"], fontsize=FONT, fontweight="bold",
                               va="center", ha="left", zorder=4)
                name.set_bbox(white_box)
                y += name_in
                lines = details[id(row)]
                detail = ax.text(x_text, y, "\n".join(lines), fontsize=SMALL, va="top", ha="left", zorder=4,
                                 linespacing=1.15)
                detail.set_bbox(white_box)
                y += detail_in * len(lines) + 0.05
                bar_y, bar_h = y + bar_in / 2, bar_in
                for start, end, kind in row["segments"]:
                    x0, x1 = _tx(start), _tx(end)
                    if kind == "onset":
                        patch = Rectangle((x0, bar_y - bar_h / 2), x1 - x0, bar_h, facecolor=colour,
                                          edgecolor="black", lw=0.8, zorder=3)
                    else:
                        patch = Rectangle((x0, bar_y - bar_h / 2), x1 - x0, bar_h, facecolor=_tint(colour, 0.3),
                                          edgecolor=colour, hatch="////", lw=0.8, zorder=3)
                    patch.set_gid(f"timeline:{row['categories'][0]}:{kind}")
                    ax.add_patch(patch)
                    if end >= _TIMELINE_END:  # continues beyond the chart
                        ax.annotate("", xy=(x1 + 0.24 / in_per_x, bar_y), xytext=(x1 - 0.05 / in_per_x, bar_y),
                                    arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.2},
                                    annotation_clip=False, zorder=4)
                for day in row["marks"]:
                    mark = ax.plot([_tx(day)], [bar_y], marker="D", ms=9, mfc="white", mec="black", mew=1.5,
                                   zorder=5)[0]
                    mark.set_gid(f"timeline:{row['categories'][0]}:median")
                y += bar_in + row_gap_in

        day_ticks = [0, 2, 3, 5, 7, 10, 14]
        week_ticks = [28, 56, 70]  # 6 wk left out: on a 4.25 inch axis its label would touch its neighbours
        ax.set_xticks([_tx(d) for d in day_ticks + week_ticks])
        ax.set_xticklabels([str(d) for d in day_ticks] + [f"{d // 7} wk" for d in week_ticks], fontsize=SMALL)
        ax.set_xlabel("days after treatment\n(after day 14 the scale is squeezed)", fontsize=FONT,
                      linespacing=1.15)

        # Key for the two bar styles and the median mark, as words beside samples (below the axis label).
        def key_y(row):  # figure fraction of the key's rows, measured from the bottom in inches
            return (0.42 - row * 0.28) / height

        sample_w, sample_h = 0.32 / width, 0.18 / height
        for (label, face, hatch, edge), (kx, row) in zip(
            [("usual start or peak", GREY, "", "black"), ("may continue", _tint(GREY, 0.3), "////", GREY)],
            [(0.03, 0), (0.03, 1)],
        ):
            fig.patches.append(Rectangle((kx, key_y(row) - sample_h / 2), sample_w, sample_h,
                                         transform=fig.transFigure, facecolor=face, hatch=hatch, edgecolor=edge,
                                         lw=0.8, figure=fig))
            fig.text(kx + sample_w + 0.1 / width, key_y(row), label, fontsize=SMALL, va="center")
        fig.add_artist(Line2D([0.57 + 0.08 / width], [key_y(1)], marker="D", ms=9, mfc="white", mec="black",
                              mew=1.5, transform=fig.transFigure))
        fig.text(0.57 + 0.25 / width, key_y(1), "median", fontsize=SMALL, va="center")
    return fig


# --- 2. Symptom trajectories --------------------------------------------------------------------------------

# Schematic 0-10 scores at chosen days, smoothed; teaching shapes, not data.
# Expected reaction peaks on day 0-1 and falls steadily (Martin & Huang 2021; Chu 2021). Infection: improves
# then worsens after day 2-3 (course policy built on the expected course in Chu 2021). Herpes simplex: tingling
# and pain flare around days 2-5 (schematic course teaching; Wu 2022, Cao 2022). Contact dermatitis: rises within a day or two of a new product, with itch
# and burning (Chu 2021; course teaching), here a product started on day 2.
_PRODUCT_DAY = 2
TRAJECTORIES: dict[str, dict] = {
    "expected_healing": {
        "label": "expected healing",
        "colour": OI["green"], "ls": "-", "marker": "o",
        "redness": [(0, 8), (1, 7.4), (2, 5.6), (3, 4), (5, 2), (7, 0.8), (10, 0.2), (14, 0)],
        "pain": [(0, 5), (1, 3.6), (2, 2.2), (3, 1.2), (5, 0.4), (7, 0), (14, 0)],
    },
    "bacterial_infection": {
        "label": "infection",
        "colour": OI["vermillion"], "ls": (0, (7, 2, 1.5, 2)), "marker": "s",
        "redness": [(0, 8), (1, 7.4), (2, 6.2), (3, 6.4), (4, 7.4), (6, 8.8), (8, 9.3), (14, 9.5)],
        "pain": [(0, 5), (1, 3.6), (2, 2.8), (3, 3.8), (4, 5.5), (6, 7.8), (8, 8.8), (14, 9.2)],
    },
    "herpes_simplex": {
        "label": "herpes simplex",
        "colour": OI["purple"], "ls": (0, (6, 2.5)), "marker": "^",
        "redness": [(0, 8), (1, 7.4), (2, 5.8), (3, 5.9), (4, 6.2), (5, 5.4), (7, 3.2), (10, 1), (14, 0.3)],
        "pain": [(0, 5), (1, 3.8), (2, 4.8), (3, 6.8), (4, 7), (5, 5.6), (7, 2.6), (10, 0.6), (14, 0)],
    },
    "contact_dermatitis": {
        "label": "contact dermatitis",
        "colour": OI["blue"], "ls": (0, (1.5, 1.5)), "marker": "D",
        "redness": [(0, 8), (1, 7.4), (2, 5.6), (3, 6.4), (4, 6.9), (5, 6.6), (7, 4.6), (10, 2), (14, 0.8)],
        "pain": [(0, 5), (1, 3.6), (2, 2.2), (3, 3.8), (4, 4.6), (5, 4.4), (7, 2.8), (10, 1), (14, 0.3)],
    },
}


def _smooth_curve(points: list[tuple[float, float]], days: np.ndarray) -> np.ndarray:
    xs, ys = zip(*points)
    raw = np.interp(days, xs, ys)
    kernel = np.ones(9) / 9
    padded = np.concatenate([np.full(4, raw[0]), raw, np.full(4, raw[-1])])
    smooth = np.convolve(padded, kernel, mode="valid")
    smooth[0] = raw[0]
    return np.clip(smooth, 0, 10)


def _spread_labels(values: list[float], gap: float, low: float, high: float) -> list[float]:
    """Move label positions apart by at least ``gap``, keeping them within [low, high]."""
    order = np.argsort(values)
    placed = np.array(values, dtype=float)[order]
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + gap)
    overflow = placed[-1] - high
    if overflow > 0:
        placed -= overflow
    for i in range(len(placed) - 2, -1, -1):
        placed[i] = min(placed[i], placed[i + 1] - gap)
    placed = np.maximum(placed, low)
    out = np.empty_like(placed)
    out[order] = placed
    return list(out)


def symptom_trajectories() -> TeachingFigure:
    """Schematic redness and pain scores (0-10) over days 0-14 for four patterns, two panels sharing x.

    Built for a narrow (phone) column: 4.8 inches wide, the two panels stacked, each line labelled directly
    at its end in two short lines, text at 12 pt or more. Layout in inches.
    """
    with matplotlib.rc_context(_RC):
        left_in, plot_in, right_in = 0.66, 2.26, 1.46  # right: leader, sample marker and label of each line
        width = left_in + plot_in + right_in  # about 4.4 in: 12 pt stays 12 CSS px in a 360 px phone's column
        top_in, panel_in, gap_in, bottom_in = 0.62, 2.7, 0.18, 0.68
        height = top_in + 2 * panel_in + gap_in + bottom_in
        fig = _new_figure(width, height)
        x0 = left_in / width
        ax_red = fig.add_axes((x0, (bottom_in + panel_in + gap_in) / height, plot_in / width, panel_in / height))
        ax_pain = fig.add_axes((x0, bottom_in / height, plot_in / width, panel_in / height), sharex=ax_red)
        days = np.linspace(0, 14, 281)
        day_in = plot_in / 14  # inches per day, to place the labels beside the plot
        panels = [(ax_red, "redness", "redness (0-10)"), (ax_pain, "pain", "pain or discomfort (0-10)")]
        for ax, key, ylabel in panels:
            ax.set_ylim(-0.3, 10.3)
            ax.set_xlim(0, 14)
            ax.set_yticks([0, 5, 10])
            ax.set_ylabel(ylabel, fontsize=FONT)
            ax.tick_params(labelsize=SMALL)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
            ax.axvspan(2, 3, color="#EEEEEE", zorder=0, lw=0)
            ax.grid(axis="y", color="#E0E0E0", lw=0.8, zorder=0)
            ends = []
            for i, (cat, spec) in enumerate(TRAJECTORIES.items()):
                curve = _smooth_curve(spec[key], days)
                line = ax.plot(days, curve, color=spec["colour"], ls=spec["ls"], lw=2.4, marker=spec["marker"],
                               markevery=slice(10 + 10 * i, None, 40), ms=7, mec="black", mew=0.8, label=spec["label"],
                               zorder=3, solid_capstyle="round")[0]
                line.set_gid(f"trajectory:{key}:{cat}")
                ends.append(curve[-1])
            # Direct labels at the right, spread apart, each with a sample of its line and marker; a label of
            # two words goes on two lines so that the plot keeps most of the width.
            label_ys = _spread_labels(ends, gap=2.15, low=0.5, high=9.9)
            elbow, sample, text_x = (14 + d / day_in for d in (0.1, 0.27, 0.4))
            for (cat, spec), y_end, y_lab in zip(TRAJECTORIES.items(), ends, label_ys):
                ax.plot([14.0, elbow, sample + 0.1 / day_in], [y_end, y_lab, y_lab], color=spec["colour"],
                        lw=1.2, ls="-", clip_on=False, zorder=2)
                ax.plot([sample], [y_lab], marker=spec["marker"], ms=7, mec="black", mew=0.8,
                        color=spec["colour"], clip_on=False, ls="none", zorder=3)
                ax.text(text_x, y_lab, spec["label"].replace(" ", "\n"), fontsize=FONT, va="center", ha="left",
                        clip_on=False, linespacing=1.05)
        ax_red.tick_params(labelbottom=False)
        ax_pain.set_xlabel("days after treatment", fontsize=FONT)
        ax_pain.set_xticks([0, 2, 3, 5, 7, 10, 14])
        ax_red.text(2.0, 10.6, "days 2-3: should be improving", ha="left", va="bottom", fontsize=SMALL,
                    clip_on=False)
        ax_red.annotate("new product\non day 2\n(contact\ndermatitis)", xy=(2.15, 5.9), xytext=(8.4, 6.3),
                        fontsize=SMALL, va="center", ha="left", linespacing=1.05,
                        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.0, "shrinkB": 2,
                                    "connectionstyle": "arc3,rad=0.25"})
        ax_pain.annotate("tingling\nfirst", xy=(2.8, 6.4), xytext=(0.25, 8.9), fontsize=SMALL, va="center",
                         ha="left", linespacing=1.05,
                         arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.0, "shrinkA": 2})
        fig.text(0.02, 1 - 0.06 / height, "schematic teaching curves, not measured data", fontsize=SMALL,
                 style="italic", color=GREY, va="top", ha="left")
    return fig


# --- 3. Traffic light ---------------------------------------------------------------------------------------

# The trigger lines are the red-flag checklist, generated from the course's triage rules
# (data/triage_rules.yaml, skintriage.rules.checklist): each band's summaries, in the checklist's order, so the
# figure, the chapter's checklist (book/telling_apart.md, sec-red-flags) and the explorer cannot drift apart.
# Only the look of each level and its short "what to do" live here.
# Header colours darken with urgency (greyscale about 0.79, 0.63, 0.32, 0.11), so the order survives
# greyscale printing and colour blindness; the level is also written in each header.
TRAFFIC_LIGHT: list[dict] = [
    {
        "action": "emergency",
        "colour": "#3A0A2E", "edge": "#3A0A2E", "text": "white",
        "do": "urgent or emergency care now",
    },
    {
        "action": "same_day",
        "colour": "#B8290F", "edge": "#B8290F", "text": "white",
        "do": "a prescriber sees them today",
    },
    {
        "action": "review",
        "colour": "#E69F00", "edge": "#E69F00", "text": "black",
        "do": "a prescriber reviews within days",
        "note": "and record product name and batch",
    },
    {
        "action": "monitor",
        "colour": "#9FE0C5", "edge": "#009E73", "text": "black",
        "do": "reassure, record, follow up",
    },
]

assert [level["action"] for level in TRAFFIC_LIGHT] == [a.value for a in reversed(list(Action))], "most urgent first"


def traffic_light_triggers(rules=None) -> dict[str, list[str]]:
    """Each level's trigger lines: the checklist's summaries for that action (from the triage rules)."""
    return {band.action: band.summaries for band in checklist(rules)}


def traffic_light_alt(rules=None) -> str:
    """Alt text for :func:`traffic_light_chart`, from the same checklist.

    myst-nb needs the alt text as literal cell metadata, so book/telling_apart.md holds a copy of this text;
    tests/test_checklist.py checks the copy matches (and names every summary), so the two cannot drift.
    """
    triggers = traffic_light_triggers(rules)
    parts = ["Four stacked boxes, most urgent at the top, joined by downward arrows labelled 'none of these'; a "
             "note says to start at the top because the first box that fits decides."]
    for level in TRAFFIC_LIGHT:
        lines = [s[:1].lower() + s[1:] for s in triggers[level["action"]]]
        if level.get("note"):
            lines.append(level["note"])
        name = ACTION_LABELS[level["action"]]
        parts.append(f"{name[:1].upper() + name[1:]}, {level['do']}: {'; '.join(lines)}.")
    parts.append("A footer says: in every case, photograph and record what you see.")
    return " ".join(parts)


def traffic_light_chart(rules=None) -> TeachingFigure:
    """The escalation chart: four levels, most urgent first, each with its triggers (tall, phone-friendly).

    The triggers are the red-flag checklist's summaries (:func:`traffic_light_triggers`); ``rules`` defaults
    to the course's rules file.
    """
    with matplotlib.rc_context(_RC):
        width = 4.15  # a 360 px phone's column is 312 CSS px: 12.5 pt text in this figure is about 12.5 px there
        body_size, head_size = 12.5, 14.0
        line_in = body_size * 1.35 / 72  # line height in inches
        head_in = 0.85  # two lines: the level's name, then what to do
        gap_in = 0.55  # room for the arrow between boxes
        wrap = 37
        triggers = traffic_light_triggers(rules)
        blocks = []
        for level in TRAFFIC_LIGHT:
            lines = []
            for trigger in triggers[level["action"]]:
                # Keep "day 7" or "day 2-3" together on one line (a no-break space while wrapping), and
                # "punched-out" whole (so the drawn text, joined, is exactly the checklist's line).
                wrapped = [w.replace("\u00a0", " ") for w in
                           textwrap.wrap(trigger.replace("day ", "day\u00a0"), wrap, break_on_hyphens=False)]
                lines.append("\u2022 " + wrapped[0])
                lines += ["   " + w for w in wrapped[1:]]
            if level.get("note"):
                lines.append("\u2192 " + level["note"])
            blocks.append((level, lines))
        top_in, bottom_in = 0.75, 0.7
        heights = [head_in + 0.22 + len(lines) * line_in for _, lines in blocks]
        height = top_in + sum(heights) + gap_in * (len(blocks) - 1) + bottom_in
        fig = _new_figure(width, height)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, width)
        ax.set_ylim(0, height)
        ax.axis("off")
        ax.text(0.25, height - 0.36, "start at the top:\nthe first box that fits decides", fontsize=body_size,
                style="italic", va="center", ha="left", color="black", linespacing=1.2)
        y = height - top_in
        x0, x1 = 0.2, width - 0.2
        for i, ((level, lines), h) in enumerate(zip(blocks, heights)):
            colour, edge = level["colour"], level["edge"]
            box = FancyBboxPatch((x0, y - h), x1 - x0, h, boxstyle="round,pad=0,rounding_size=0.08",
                                 facecolor=_tint(edge, 0.12), edgecolor=edge, lw=2.5, zorder=2)
            box.set_gid(f"traffic:{level['action']}:box")
            ax.add_patch(box)
            head = FancyBboxPatch((x0, y - head_in), x1 - x0, head_in, boxstyle="round,pad=0,rounding_size=0.08",
                                  facecolor=colour, edgecolor=edge, lw=2.5, zorder=3)
            head.set_gid(f"traffic:{level['action']}:header")
            ax.add_patch(head)
            ax.text(x0 + 0.15, y - head_in * 0.3, ACTION_LABELS[level["action"]].upper(), fontsize=head_size,
                    fontweight="bold", color=level["text"], va="center", ha="left", zorder=4)
            ax.text(x0 + 0.15, y - head_in * 0.72, level["do"], fontsize=body_size, color=level["text"],
                    va="center", ha="left", zorder=4)
            ax.text(x0 + 0.2, y - head_in - 0.12, "\n".join(lines), fontsize=body_size, va="top", ha="left",
                    linespacing=1.35, color="black", zorder=4, parse_math=False)
            y -= h
            if i < len(blocks) - 1:
                arrow = FancyArrowPatch((width / 2, y - 0.04), (width / 2, y - gap_in + 0.04),
                                        arrowstyle="-|>", mutation_scale=18, color="black", lw=1.8, zorder=1)
                ax.add_patch(arrow)
                ax.text(width / 2 + 0.18, y - gap_in / 2, "none of these", fontsize=body_size, va="center",
                        ha="left")
                y -= gap_in
        ax.text(0.25, bottom_in / 2, "in every case: photograph and record\nwhat you see", fontsize=body_size,
                va="center", ha="left", linespacing=1.2)
    return fig


# --- 4. Face map --------------------------------------------------------------------------------------------

SITES: tuple[str, ...] = get_args(Site)
LESIONS: tuple[str, ...] = get_args(Lesion)

# Words for the alt text, in the order they are listed (most specific first).
SITE_WORDS: dict[str, str] = {
    "perioral": "the perioral area (around the mouth)",
    "periocular": "the periocular area (around the eyes)",
    "product_sites": "the patches where a product was applied (cheeks)",
    "usual_acne_sites": "the usual acne sites (chin, jaw and T-zone)",
    "treated_area": "the treated area (cheeks and forehead)",
    "grid_pattern": "in a grid pattern matching the needle passes",
    "spreading_beyond_treated": "spreading beyond the treated area, onto the neck",
}
_SITE_ON = ("perioral", "periocular", "product_sites", "usual_acne_sites", "treated_area")

# Short on-figure labels.
_SITE_LABELS: dict[str, str] = {
    "treated_area": "treated area",
    "usual_acne_sites": "usual acne sites",
    "product_sites": "where product went on",
    "perioral": "around the mouth",
    "periocular": "around the eyes",
    "grid_pattern": "grid pattern",
    "spreading_beyond_treated": "spreading beyond",
}

LESION_WORDS: dict[str, str] = {
    "erythema": "redness",
    "oedema": "swelling",
    "pinpoint_crusts": "pinpoint crusts",
    "flaking": "flaking",
    "comedones": "blackheads or whiteheads",
    "papules": "red bumps",
    "pustules": "pus spots",
    "vesicles": "blisters",
    "punched_out_erosions": "punched-out sores",
    "honey_crusts": "honey-coloured crusts",
    "weeping": "weeping",
    "nodules": "lumps",
    "plaques": "raised patches",
    "scale": "scale",
    "white_papules": "tiny white bumps",
    "linear_marks": "linear marks",
    "hyperpigmentation": "dark patches",
}

assert set(SITE_WORDS) == set(SITES) == set(_SITE_LABELS), "face map words out of step with schema.Site"
assert set(LESION_WORDS) == set(LESIONS), "lesion words out of step with schema.Lesion"


def _as_list(values: Iterable[str] | str, allowed: tuple[str, ...], what: str) -> list[str]:
    if isinstance(values, str):
        values = [values]
    values = list(values)
    for value in values:
        if value not in allowed:
            raise ValueError(f"unknown {what} {value!r}; expected one of: {', '.join(allowed)}")
    return [a for a in allowed if a in values]  # fixed order, no duplicates: frozensets give stable output


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def face_map_alt(distribution: Iterable[str], lesions: Iterable[str] = ()) -> str:
    """Alt text for :func:`face_map_svg`, built from the data, e.g.
    ``"Face map: changes on the perioral area (around the mouth) and the treated area (cheeks and forehead)."``
    """
    sites = _as_list(distribution, SITES, "site")
    found = _as_list(lesions, LESIONS, "lesion")
    what = _join([LESION_WORDS[lesion] for lesion in found]) if found else "changes"
    if not sites:
        return "Face map: no area marked."
    on = [SITE_WORDS[s] for s in SITE_WORDS if s in sites and s in _SITE_ON]
    parts = []
    if on:
        parts.append("on " + _join(on))
    parts += [SITE_WORDS[s] for s in SITE_WORDS if s in sites and s not in _SITE_ON]
    return f"Face map: {what} " + ", ".join(parts) + "."


# Region styles: colour + its own hatch, so regions differ in greyscale too. (No dotted hatches: each dot
# becomes an SVG circle and one dotted region alone made the SVG over 60 KB.)
_REGION_STYLE = {
    "treated_area": {"face": _tint(OI["sky"], 0.35), "edge": OI["blue"], "hatch": "//"},
    "usual_acne_sites": {"face": _tint(OI["orange"], 0.45), "edge": "#8A5F00", "hatch": "--"},
    "product_sites": {"face": _tint(OI["purple"], 0.6), "edge": "#8E3A6B", "hatch": "\\\\\\"},
    "perioral": {"face": _tint(OI["vermillion"], 0.45), "edge": "#A04600", "hatch": "xx"},
    "periocular": {"face": _tint(OI["green"], 0.45), "edge": "#006B4E", "hatch": "++"},
}


def _ring(cx: float, cy: float, rx_out: float, ry_out: float, rx_in: float, ry_in: float) -> Path:
    """An elliptical ring (outer ellipse with an elliptical hole) as one compound path."""
    t = np.linspace(0, 2 * np.pi, 49)
    outer = np.column_stack([cx + rx_out * np.cos(t), cy + ry_out * np.sin(t)])
    inner = np.column_stack([cx + rx_in * np.cos(-t), cy + ry_in * np.sin(-t)])
    verts = np.concatenate([outer, inner])
    codes = ([Path.MOVETO] + [Path.LINETO] * 47 + [Path.CLOSEPOLY]) * 2
    return Path(verts, codes)


FACE_FONT = 14.0  # at least 12 CSS px when the face map fills a 360 px phone's column (tests/test_layout_360.py)
FACE_LABEL_WRAP = 13  # characters per label line: short lines keep the map narrow, so its text stays large


def face_map_figure(distribution: Iterable[str], lesions: Iterable[str] = ()) -> TeachingFigure:
    """The schematic face (front view) with the areas of ``distribution`` shaded and labelled."""
    sites = _as_list(distribution, SITES, "site")
    found = _as_list(lesions, LESIONS, "lesion")
    with matplotlib.rc_context(_RC):
        fig = _new_figure(4.0, 4.6)
        ax = fig.add_axes((0, 0.06 if found else 0.0, 1, 0.94 if found else 1.0))
        ax.set_xlim(-2.3, 2.3)
        ax.set_ylim(-2.45, 1.7)
        ax.set_aspect("equal")
        ax.axis("off")
        line = {"edgecolor": "black", "lw": 1.6, "fill": False, "zorder": 6}

        def region(patch, site):
            style = _REGION_STYLE[site]
            patch.set(facecolor=style["face"], edgecolor=style["edge"], hatch=style["hatch"], lw=1.2,
                      zorder=3 + list(_REGION_STYLE).index(site) * 0.1)
            patch.set_gid(f"face:{site}")
            ax.add_patch(patch)

        # Neck and face outline.
        ax.plot([-0.48, -0.52], [-1.2, -2.3], color="black", lw=1.6, zorder=6)
        ax.plot([0.48, 0.52], [-1.2, -2.3], color="black", lw=1.6, zorder=6)
        ax.add_patch(Ellipse((0, 0), 2.1, 2.8, facecolor="white", edgecolor="none", zorder=1))
        ax.add_patch(Ellipse((0, 0), 2.1, 2.8, **line))

        cheeks = [(-0.55, -0.25), (0.55, -0.25)]
        if "treated_area" in sites:
            for cx, cy in cheeks:
                region(Ellipse((cx, cy), 0.62, 0.72), "treated_area")
            region(Ellipse((0, 0.88), 1.35, 0.5), "treated_area")
        if "usual_acne_sites" in sites:
            # T-zone (forehead band and nose), chin and jaw.
            t_verts = [(-0.5, 1.05), (0.5, 1.05), (0.5, 0.75), (0.14, 0.75), (0.14, -0.3), (-0.14, -0.3),
                       (-0.14, 0.75), (-0.5, 0.75), (-0.5, 1.05)]
            region(PathPatch(Path(t_verts, closed=True)), "usual_acne_sites")
            region(Ellipse((0, -1.15), 0.62, 0.3), "usual_acne_sites")
            for sx in (-1, 1):
                region(Ellipse((sx * 0.72, -0.85), 0.3, 0.5, angle=sx * 35), "usual_acne_sites")
        if "product_sites" in sites:
            for cx, cy in cheeks:
                region(Ellipse((cx - 0.05, cy + 0.05), 0.32, 0.26, angle=20), "product_sites")
                region(Ellipse((cx + 0.1, cy - 0.2), 0.22, 0.18, angle=-15), "product_sites")
        if "perioral" in sites:
            region(PathPatch(_ring(0, -0.6, 0.5, 0.3, 0.32, 0.12)), "perioral")
        if "periocular" in sites:
            for sx in (-1, 1):
                region(PathPatch(_ring(sx * 0.4, 0.3, 0.34, 0.22, 0.2, 0.09)), "periocular")
        if "grid_pattern" in sites:
            # Small marks in rows and columns over the treated area (cheeks and forehead).
            gx, gy = np.meshgrid(np.arange(-0.85, 0.86, 0.12), np.arange(-0.55, 1.1, 0.12))
            in_cheek = np.zeros_like(gx, dtype=bool)
            for cx, cy in cheeks:
                in_cheek |= ((gx - cx) / 0.27) ** 2 + ((gy - cy) / 0.32) ** 2 < 1
            in_forehead = (gx / 0.6) ** 2 + ((gy - 0.88) / 0.2) ** 2 < 1
            inside = (in_cheek | in_forehead) & ((gx / 0.52) ** 2 + ((gy + 0.6) / 0.32) ** 2 > 1)
            grid = ax.plot(gx[inside], gy[inside], ls="none", marker="+", ms=5.5, mew=1.3, color="black",
                           zorder=5)[0]
            grid.set_gid("face:grid_pattern")
        if "spreading_beyond_treated" in sites:
            spread = Ellipse((0, -0.55), 2.45, 3.15, facecolor="none", edgecolor=OI["vermillion"], lw=2.2,
                             ls=(0, (5, 3)), zorder=7)
            spread.set_gid("face:spreading_beyond_treated")
            ax.add_patch(spread)
            for start, end in [((0.0, -1.25), (0.0, -2.0)), ((-0.85, -1.0), (-1.25, -1.65)),
                               ((0.85, -1.0), (1.25, -1.65))]:
                ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=16,
                                             color=OI["vermillion"], lw=2.0, zorder=8))

        # Features, drawn over the regions.
        for sx in (-1, 1):
            ax.add_patch(Ellipse((sx * 0.4, 0.3), 0.32, 0.13, facecolor="white", **{**line, "fill": True}))
            ax.add_patch(Ellipse((sx * 0.4, 0.3), 0.1, 0.1, facecolor="black", edgecolor="none", zorder=7))
        ax.plot([0, -0.1, 0.1], [0.15, -0.28, -0.28], color="black", lw=1.6, zorder=6)
        t = np.linspace(np.pi * 1.2, np.pi * 1.8, 20)
        ax.plot(0.26 * np.cos(t), -0.45 + 0.2 * np.sin(t), color="black", lw=1.8, zorder=6)

        # Direct labels with leader lines, left or right of the face.
        anchors = {
            "treated_area": ((-0.55, 0.95), "left", 1.45),
            "periocular": ((0.62, 0.35), "right", 1.0),
            "usual_acne_sites": ((0.3, -1.18), "right", -1.3),
            "product_sites": ((-0.55, -0.25), "left", 0.35),
            "perioral": ((-0.4, -0.66), "left", -0.75),
            "grid_pattern": ((0.6, -0.1), "right", 0.0),
            "spreading_beyond_treated": ((-1.1, -1.65), "left", -1.95),
        }
        for site in sites:
            (px, py), side, ty = anchors[site]
            tx = -1.3 if side == "left" else 1.3
            ax.annotate(textwrap.fill(_SITE_LABELS[site], FACE_LABEL_WRAP), xy=(px, py), xytext=(tx, ty),
                        fontsize=FACE_FONT, linespacing=1.0,
                        ha="right" if side == "left" else "left", va="center", zorder=9,
                        arrowprops={"arrowstyle": "-", "color": "black", "lw": 1.0, "shrinkA": 2, "shrinkB": 0},
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0})
        if not sites:
            ax.text(0, 1.55, "no area marked", fontsize=FACE_FONT, ha="center", va="center")
        if found:
            seen = textwrap.fill("seen: " + ", ".join(LESION_WORDS[lesion] for lesion in found), 32)
            fig.text(0.5, 0.02, seen, fontsize=FACE_FONT, ha="center", va="bottom")
    return fig


_SVG_ROOT = re.compile(r"<svg\b[^>]*>")


def face_map_svg(distribution: Iterable[str], lesions: Iterable[str] = (), title: str = "") -> str:
    """The face map as an inline SVG string, accessible and deterministic.

    The root ``<svg>`` carries ``role="img"`` and an ``aria-label``, and its first child is a ``<title>``, both
    with the alt text of :func:`face_map_alt` (prefixed by ``title`` when one is given). No XML prolog, no
    doctype, no scripts; all text is escaped. Drawn once per distinct content in a process (a case's widget
    and HTML views both ask for it).
    """
    def key(values):
        return (values,) if isinstance(values, str) else tuple(values)

    return _face_map_svg(key(distribution), key(lesions), title)


@lru_cache(maxsize=1024)
def _face_map_svg(distribution: tuple[str, ...], lesions: tuple[str, ...], title: str) -> str:
    fig = face_map_figure(distribution, lesions)
    label = face_map_alt(distribution, lesions)
    if title.strip():
        label = f"{title.strip()}: {label}"
    buf = io.StringIO()
    with matplotlib.rc_context(_RC):
        # Tight box with room to spare: labels sit outside the face, and a browser may substitute a slightly
        # wider font than DejaVu Sans for the live SVG text.
        fig.savefig(buf, format="svg", bbox_inches="tight", pad_inches=0.15,
                    metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, count=1, flags=re.S)
    root = _SVG_ROOT.match(svg)
    assert root is not None
    tag = root.group(0)
    new_tag = (tag[:-1].rstrip("/") + f' role="img" aria-label={quoteattr(label)}'
               ' style="max-width: 100%; height: auto">')
    svg = new_tag + f"\n <title>{escape(label)}</title>" + svg[root.end():]
    if "<script" in svg.lower():  # never expected: matplotlib writes none
        raise RuntimeError("face map SVG contains a script element")
    return svg.strip() + "\n"
