"""Schematic teaching figures for the course.

These figures are **schematic teaching aids drawn from the course's evidence brief**, not plots of measured
data. Time windows and curve shapes show the course's teaching in a form that is easy to remember. Sources
(author, year) are named in comments next to the numbers they support; the full references are in
``book/references.bib``.

Modules: ``style`` (shared), ``timeline``, ``trajectories``, ``traffic_light``, ``face_map``; the names below are
the public API. Every function returns a :class:`matplotlib.figure.Figure` (a :class:`TeachingFigure`) and never touches
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

from skintriage.figures.face_map import LESION_WORDS, SITE_WORDS, face_map_alt, face_map_figure, face_map_svg
from skintriage.figures.style import ACTION_LABELS, CATEGORY_LABELS, TeachingFigure
from skintriage.figures.timeline import healing_timeline
from skintriage.figures.traffic_light import (
    TRAFFIC_LIGHT,
    traffic_light_alt,
    traffic_light_chart,
    traffic_light_triggers,
)
from skintriage.figures.trajectories import symptom_trajectories

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
