"""Figure 4: a schematic face with the affected areas shaded, as a Figure, inline accessible SVG and alt text."""

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
from matplotlib.patches import Ellipse, FancyArrowPatch, PathPatch
from matplotlib.path import Path

from skintriage.bank.schema import Lesion, Site
from skintriage.figures.style import (
    OI,
    RC_PARAMS,
    TeachingFigure,
    new_figure,
    tint,
)

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
    "treated_area": {"face": tint(OI["sky"], 0.35), "edge": OI["blue"], "hatch": "//"},
    "usual_acne_sites": {"face": tint(OI["orange"], 0.45), "edge": "#8A5F00", "hatch": "--"},
    "product_sites": {"face": tint(OI["purple"], 0.6), "edge": "#8E3A6B", "hatch": "\\\\\\"},
    "perioral": {"face": tint(OI["vermillion"], 0.45), "edge": "#A04600", "hatch": "xx"},
    "periocular": {"face": tint(OI["green"], 0.45), "edge": "#006B4E", "hatch": "++"},
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
    with matplotlib.rc_context(RC_PARAMS):
        fig = new_figure(4.0, 4.6)
        ax = fig.add_axes((0, 0.06 if found else 0.0, 1, 0.94 if found else 1.0))
        ax.set_xlim(-2.3, 2.3)
        ax.set_ylim(-2.45, 1.7)
        ax.set_aspect("equal")
        ax.axis("off")
        line = {"edgecolor": "black", "lw": 1.6, "fill": False, "zorder": 6}

        def region(patch, site):
            style = _REGION_STYLE[site]
            patch.set(
                facecolor=style["face"],
                edgecolor=style["edge"],
                hatch=style["hatch"],
                lw=1.2,
                zorder=3 + list(_REGION_STYLE).index(site) * 0.1,
            )
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
            t_verts = [
                (-0.5, 1.05),
                (0.5, 1.05),
                (0.5, 0.75),
                (0.14, 0.75),
                (0.14, -0.3),
                (-0.14, -0.3),
                (-0.14, 0.75),
                (-0.5, 0.75),
                (-0.5, 1.05),
            ]
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
            grid = ax.plot(gx[inside], gy[inside], ls="none", marker="+", ms=5.5, mew=1.3, color="black", zorder=5)[0]
            grid.set_gid("face:grid_pattern")
        if "spreading_beyond_treated" in sites:
            spread = Ellipse(
                (0, -0.55), 2.45, 3.15, facecolor="none", edgecolor=OI["vermillion"], lw=2.2, ls=(0, (5, 3)), zorder=7
            )
            spread.set_gid("face:spreading_beyond_treated")
            ax.add_patch(spread)
            for start, end in [
                ((0.0, -1.25), (0.0, -2.0)),
                ((-0.85, -1.0), (-1.25, -1.65)),
                ((0.85, -1.0), (1.25, -1.65)),
            ]:
                ax.add_patch(
                    FancyArrowPatch(
                        start, end, arrowstyle="-|>", mutation_scale=16, color=OI["vermillion"], lw=2.0, zorder=8
                    )
                )

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
            ax.annotate(
                textwrap.fill(_SITE_LABELS[site], FACE_LABEL_WRAP),
                xy=(px, py),
                xytext=(tx, ty),
                fontsize=FACE_FONT,
                linespacing=1.0,
                ha="right" if side == "left" else "left",
                va="center",
                zorder=9,
                arrowprops={"arrowstyle": "-", "color": "black", "lw": 1.0, "shrinkA": 2, "shrinkB": 0},
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0},
            )
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
    with matplotlib.rc_context(RC_PARAMS):
        # Tight box with room to spare: labels sit outside the face, and a browser may substitute a slightly
        # wider font than DejaVu Sans for the live SVG text.
        fig.savefig(
            buf,
            format="svg",
            bbox_inches="tight",
            pad_inches=0.15,
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prolog and doctype
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, count=1, flags=re.S)
    root = _SVG_ROOT.match(svg)
    assert root is not None
    tag = root.group(0)
    new_tag = tag[:-1].rstrip("/") + f' role="img" aria-label={quoteattr(label)} style="max-width: 100%; height: auto">'
    svg = new_tag + f"\n <title>{escape(label)}</title>" + svg[root.end() :]
    if "<script" in svg.lower():  # never expected: matplotlib writes none
        raise RuntimeError("face map SVG contains a script element")
    return svg.strip() + "\n"
