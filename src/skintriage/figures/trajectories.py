"""Figure 2: schematic redness and pain over the first two weeks, by what is going on."""

from __future__ import annotations

import matplotlib
import numpy as np

from skintriage.figures.style import (
    FONT,
    GREY,
    OI,
    RC_PARAMS,
    SMALL,
    TeachingFigure,
    new_figure,
)

# Schematic 0-10 scores at chosen days, smoothed; teaching shapes, not data.
# Expected reaction peaks on day 0-1 and falls steadily (Martin & Huang 2021; Chu 2021). Infection: improves
# then worsens after day 2-3 (course policy built on the expected course in Chu 2021). Herpes simplex: tingling
# and pain flare around days 2-5 (schematic course teaching; Wu 2022, Cao 2022). Contact dermatitis: rises within a day or two of a new product, with itch
# and burning (Chu 2021; course teaching), here a product started on day 2.
_PRODUCT_DAY = 2
TRAJECTORIES: dict[str, dict] = {
    "expected_healing": {
        "label": "expected healing",
        "colour": OI["green"],
        "ls": "-",
        "marker": "o",
        "redness": [(0, 8), (1, 7.4), (2, 5.6), (3, 4), (5, 2), (7, 0.8), (10, 0.2), (14, 0)],
        "pain": [(0, 5), (1, 3.6), (2, 2.2), (3, 1.2), (5, 0.4), (7, 0), (14, 0)],
    },
    "bacterial_infection": {
        "label": "infection",
        "colour": OI["vermillion"],
        "ls": (0, (7, 2, 1.5, 2)),
        "marker": "s",
        "redness": [(0, 8), (1, 7.4), (2, 6.2), (3, 6.4), (4, 7.4), (6, 8.8), (8, 9.3), (14, 9.5)],
        "pain": [(0, 5), (1, 3.6), (2, 2.8), (3, 3.8), (4, 5.5), (6, 7.8), (8, 8.8), (14, 9.2)],
    },
    "herpes_simplex": {
        "label": "herpes simplex",
        "colour": OI["purple"],
        "ls": (0, (6, 2.5)),
        "marker": "^",
        "redness": [(0, 8), (1, 7.4), (2, 5.8), (3, 5.9), (4, 6.2), (5, 5.4), (7, 3.2), (10, 1), (14, 0.3)],
        "pain": [(0, 5), (1, 3.8), (2, 4.8), (3, 6.8), (4, 7), (5, 5.6), (7, 2.6), (10, 0.6), (14, 0)],
    },
    "contact_dermatitis": {
        "label": "contact dermatitis",
        "colour": OI["blue"],
        "ls": (0, (1.5, 1.5)),
        "marker": "D",
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
    with matplotlib.rc_context(RC_PARAMS):
        left_in, plot_in, right_in = 0.66, 2.26, 1.46  # right: leader, sample marker and label of each line
        width = left_in + plot_in + right_in  # about 4.4 in: 12 pt stays 12 CSS px in a 360 px phone's column
        top_in, panel_in, gap_in, bottom_in = 0.62, 2.7, 0.18, 0.68
        height = top_in + 2 * panel_in + gap_in + bottom_in
        fig = new_figure(width, height)
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
                line = ax.plot(
                    days,
                    curve,
                    color=spec["colour"],
                    ls=spec["ls"],
                    lw=2.4,
                    marker=spec["marker"],
                    markevery=slice(10 + 10 * i, None, 40),
                    ms=7,
                    mec="black",
                    mew=0.8,
                    label=spec["label"],
                    zorder=3,
                    solid_capstyle="round",
                )[0]
                line.set_gid(f"trajectory:{key}:{cat}")
                ends.append(curve[-1])
            # Direct labels at the right, spread apart, each with a sample of its line and marker; a label of
            # two words goes on two lines so that the plot keeps most of the width.
            label_ys = _spread_labels(ends, gap=2.15, low=0.5, high=9.9)
            elbow, sample, text_x = (14 + d / day_in for d in (0.1, 0.27, 0.4))
            for (_category, spec), y_end, y_lab in zip(TRAJECTORIES.items(), ends, label_ys):
                ax.plot(
                    [14.0, elbow, sample + 0.1 / day_in],
                    [y_end, y_lab, y_lab],
                    color=spec["colour"],
                    lw=1.2,
                    ls="-",
                    clip_on=False,
                    zorder=2,
                )
                ax.plot(
                    [sample],
                    [y_lab],
                    marker=spec["marker"],
                    ms=7,
                    mec="black",
                    mew=0.8,
                    color=spec["colour"],
                    clip_on=False,
                    ls="none",
                    zorder=3,
                )
                ax.text(
                    text_x,
                    y_lab,
                    spec["label"].replace(" ", "\n"),
                    fontsize=FONT,
                    va="center",
                    ha="left",
                    clip_on=False,
                    linespacing=1.05,
                )
        ax_red.tick_params(labelbottom=False)
        ax_pain.set_xlabel("days after treatment", fontsize=FONT)
        ax_pain.set_xticks([0, 2, 3, 5, 7, 10, 14])
        ax_red.text(2.0, 10.6, "days 2-3: should be improving", ha="left", va="bottom", fontsize=SMALL, clip_on=False)
        ax_red.annotate(
            "new product\non day 2\n(contact\ndermatitis)",
            xy=(2.15, 5.9),
            xytext=(8.4, 6.3),
            fontsize=SMALL,
            va="center",
            ha="left",
            linespacing=1.05,
            arrowprops={
                "arrowstyle": "-|>",
                "color": "black",
                "lw": 1.0,
                "shrinkB": 2,
                "connectionstyle": "arc3,rad=0.25",
            },
        )
        ax_pain.annotate(
            "tingling\nfirst",
            xy=(2.8, 6.4),
            xytext=(0.25, 8.9),
            fontsize=SMALL,
            va="center",
            ha="left",
            linespacing=1.05,
            arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.0, "shrinkA": 2},
        )
        fig.text(
            0.02,
            1 - 0.06 / height,
            "schematic teaching curves, not measured data",
            fontsize=SMALL,
            style="italic",
            color=GREY,
            va="top",
            ha="left",
        )
    return fig
