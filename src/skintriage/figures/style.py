"""The figures' shared style: Okabe-Ito colours, fonts legible on a phone, and the Figure that shows as one PNG."""

from __future__ import annotations

import io
import re

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from skintriage.vocab import ACTIONS, CATEGORIES

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

RC_PARAMS = {
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
        with matplotlib.rc_context(RC_PARAMS):
            self.savefig(buf, format="png", dpi="figure", bbox_inches="tight", pad_inches=0.08)
        return small_png(buf.getvalue())

    def _repr_svg_(self) -> str:
        """The web page's picture: text stays text, a few KB gzipped where the PNG is 40-100 KB. Shown in an
        <img>, so no system font is guaranteed: DejaVu Sans first, then a narrower sans-serif, never a serif."""
        buf = io.StringIO()
        with matplotlib.rc_context(RC_PARAMS):
            self.savefig(
                buf,
                format="svg",
                bbox_inches="tight",
                pad_inches=0.25,
                metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
            )
        svg = re.sub(r"<metadata>.*?</metadata>\s*", "", buf.getvalue(), count=1, flags=re.S)
        return svg.replace("'DejaVu Sans'", "'DejaVu Sans', Arial, Helvetica, sans-serif")

    def __repr__(self) -> str:  # the text/plain fallback
        return f"<skintriage figure {self.bbox.width / self.dpi:.1f}x{self.bbox.height / self.dpi:.1f} in>"


def small_png(png: bytes, colours: int = 96) -> bytes:
    """The same picture as an optimised palette PNG: flat-colour charts on white need no alpha channel and few
    colours, which makes each figure several times smaller for a phone (each under 60 KB)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A") if image.mode == "RGBA" else None)
    out = io.BytesIO()
    flat.quantize(colors=colours, dither=Image.Dither.NONE).save(out, format="PNG", optimize=True)
    return out.getvalue()


def new_figure(width: float, height: float) -> TeachingFigure:
    return TeachingFigure(figsize=(width, height), dpi=DPI, facecolor="white")


def tint(colour: str, amount: float) -> tuple[float, float, float]:
    """Mix ``colour`` with white: ``amount`` 1 is the colour, 0 is white."""
    rgb = np.array(matplotlib.colors.to_rgb(colour))
    return tuple(1 - amount * (1 - rgb))


# Plain words for the categories and actions of the schema (figure labels and alt text), from the vocabulary.
CATEGORY_LABELS: dict[str, str] = {category: words["words"] for category, words in CATEGORIES.items()}
ACTION_LABELS: dict[str, str] = {action: words["short"] for action, words in ACTIONS.items()}
