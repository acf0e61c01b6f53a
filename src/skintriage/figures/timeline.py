"""Figure 1: the expected healing reaction against the onset windows of the complications (schematic)."""

from __future__ import annotations

import textwrap

import matplotlib
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from skintriage.figures.style import (
    FONT,
    GREY,
    OI,
    RC_PARAMS,
    SMALL,
    TeachingFigure,
    new_figure,
    tint,
)

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
    with matplotlib.rc_context(RC_PARAMS):
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
        fig = new_figure(width, height)
        ax = fig.add_axes(
            (left_in / width, bottom_in / height, 1 - (left_in + right_in) / width, (refs_in + body_in) / height)
        )
        x_end = _tx(_TIMELINE_END)
        ax.set_xlim(-0.15, x_end + 0.15)
        ax.set_ylim(body_in, -refs_in)
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", left=False, labelleft=False)
        in_per_x = (width - left_in - right_in) / (x_end + 0.3)  # inches per x unit
        white_box = {"facecolor": "white", "edgecolor": "none", "pad": 1.0, "alpha": 0.85}

        # The squeezed part of the axis: a pale band, so the change of scale is visible.
        ax.axvspan(_SPLIT, x_end + 0.15, ymin=0, ymax=body_in / (body_in + refs_in), color="#F2F2F2", zorder=0, lw=0)
        # Reference days: dashed lines, each labelled at the top of its own step of a staircase (earliest
        # highest), so the labels are on one or two lines without running into the other lines.
        refs = [
            (3, "day 3: should be improving", -refs_in + 0.02),
            (7, "day 7: expected healing done", -refs_in + 0.3),
            (14, "2 weeks:\nstill there? refer", -refs_in + 0.58),
        ]
        for day, text, top in refs:
            ax.plot([_tx(day)] * 2, [top + 0.02, body_in], color=GREY, lw=1.0, ls=(0, (4, 3)), zorder=1)
            ax.text(
                _tx(day) + 0.05 / in_per_x,
                top,
                text,
                fontsize=SMALL,
                va="top",
                ha="left",
                color="black",
                linespacing=1.1,
            )

        y = 0.0
        x_text = -0.1
        for key, (heading, colour) in _GROUPS.items():
            ax.text(
                x_text,
                y + group_in * 0.55,
                heading.upper(),
                fontsize=FONT,
                fontweight="bold",
                va="center",
                ha="left",
                color="black",
                zorder=4,
            ).set_bbox(white_box)
            y += group_in
            for row in (r for r in rows if r["group"] == key):
                name = ax.text(
                    x_text,
                    y + name_in / 2,
                    row["name"],
                    fontsize=FONT,
                    fontweight="bold",
                    va="center",
                    ha="left",
                    zorder=4,
                )
                name.set_bbox(white_box)
                y += name_in
                lines = details[id(row)]
                detail = ax.text(
                    x_text, y, "\n".join(lines), fontsize=SMALL, va="top", ha="left", zorder=4, linespacing=1.15
                )
                detail.set_bbox(white_box)
                y += detail_in * len(lines) + 0.05
                bar_y, bar_h = y + bar_in / 2, bar_in
                for start, end, kind in row["segments"]:
                    x0, x1 = _tx(start), _tx(end)
                    if kind == "onset":
                        patch = Rectangle(
                            (x0, bar_y - bar_h / 2),
                            x1 - x0,
                            bar_h,
                            facecolor=colour,
                            edgecolor="black",
                            lw=0.8,
                            zorder=3,
                        )
                    else:
                        patch = Rectangle(
                            (x0, bar_y - bar_h / 2),
                            x1 - x0,
                            bar_h,
                            facecolor=tint(colour, 0.3),
                            edgecolor=colour,
                            hatch="////",
                            lw=0.8,
                            zorder=3,
                        )
                    patch.set_gid(f"timeline:{row['categories'][0]}:{kind}")
                    ax.add_patch(patch)
                    if end >= _TIMELINE_END:  # continues beyond the chart
                        ax.annotate(
                            "",
                            xy=(x1 + 0.24 / in_per_x, bar_y),
                            xytext=(x1 - 0.05 / in_per_x, bar_y),
                            arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.2},
                            annotation_clip=False,
                            zorder=4,
                        )
                for day in row["marks"]:
                    mark = ax.plot([_tx(day)], [bar_y], marker="D", ms=9, mfc="white", mec="black", mew=1.5, zorder=5)[
                        0
                    ]
                    mark.set_gid(f"timeline:{row['categories'][0]}:median")
                y += bar_in + row_gap_in

        day_ticks = [0, 2, 3, 5, 7, 10, 14]
        week_ticks = [28, 56, 70]  # 6 wk left out: on a 4.25 inch axis its label would touch its neighbours
        ax.set_xticks([_tx(d) for d in day_ticks + week_ticks])
        ax.set_xticklabels([str(d) for d in day_ticks] + [f"{d // 7} wk" for d in week_ticks], fontsize=SMALL)
        ax.set_xlabel("days after treatment\n(after day 14 the scale is squeezed)", fontsize=FONT, linespacing=1.15)

        # Key for the two bar styles and the median mark, as words beside samples (below the axis label).
        def key_y(row):  # figure fraction of the key's rows, measured from the bottom in inches
            return (0.42 - row * 0.28) / height

        sample_w, sample_h = 0.32 / width, 0.18 / height
        for (label, face, hatch, edge), (kx, row) in zip(
            [("usual start or peak", GREY, "", "black"), ("may continue", tint(GREY, 0.3), "////", GREY)],
            [(0.03, 0), (0.03, 1)],
        ):
            fig.patches.append(
                Rectangle(
                    (kx, key_y(row) - sample_h / 2),
                    sample_w,
                    sample_h,
                    transform=fig.transFigure,
                    facecolor=face,
                    hatch=hatch,
                    edgecolor=edge,
                    lw=0.8,
                    figure=fig,
                )
            )
            fig.text(kx + sample_w + 0.1 / width, key_y(row), label, fontsize=SMALL, va="center")
        fig.add_artist(
            Line2D(
                [0.57 + 0.08 / width],
                [key_y(1)],
                marker="D",
                ms=9,
                mfc="white",
                mec="black",
                mew=1.5,
                transform=fig.transFigure,
            )
        )
        fig.text(0.57 + 0.25 / width, key_y(1), "median", fontsize=SMALL, va="center")
    return fig
