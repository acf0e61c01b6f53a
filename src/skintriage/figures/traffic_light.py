"""Figure 3: the four escalation levels and their triggers, generated from the triage rules' checklist."""

from __future__ import annotations

import textwrap

import matplotlib
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from skintriage.figures.style import (
    ACTION_LABELS,
    RC_PARAMS,
    TeachingFigure,
    new_figure,
    tint,
)
from skintriage.rules import checklist

# The trigger lines are the red-flag checklist, generated from the course's triage rules
# (data/triage_rules.yaml, skintriage.rules.checklist): each band's summaries, in the checklist's order, so the
# figure, the chapter's checklist (book/telling_apart.md, sec-red-flags) and the explorer cannot drift apart.
# Only the look of each level and its short "what to do" live here.
# Header colours darken with urgency (greyscale about 0.79, 0.63, 0.32, 0.11), so the order survives
# greyscale printing and colour blindness; the level is also written in each header.
TRAFFIC_LIGHT: list[dict] = [
    {
        "action": "emergency",
        "colour": "#3A0A2E",
        "edge": "#3A0A2E",
        "text": "white",
        "do": "urgent or emergency care now",
    },
    {
        "action": "same_day",
        "colour": "#B8290F",
        "edge": "#B8290F",
        "text": "white",
        "do": "a prescriber sees them today",
    },
    {
        "action": "review",
        "colour": "#E69F00",
        "edge": "#E69F00",
        "text": "black",
        "do": "a prescriber reviews within days",
        "note": "and record product name and batch",
    },
    {
        "action": "monitor",
        "colour": "#9FE0C5",
        "edge": "#009E73",
        "text": "black",
        "do": "reassure, record, follow up",
    },
]


def traffic_light_triggers(rules=None) -> dict[str, list[str]]:
    """Each level's trigger lines: the checklist's summaries for that action (from the triage rules)."""
    return {band.action: band.summaries for band in checklist(rules)}


def traffic_light_alt(rules=None) -> str:
    """Alt text for :func:`traffic_light_chart`, from the same checklist.

    myst-nb needs the alt text as literal cell metadata, so book/telling_apart.md holds a copy of this text;
    tests/test_checklist.py checks the copy matches (and names every summary), so the two cannot drift.
    """
    triggers = traffic_light_triggers(rules)
    parts = [
        "Four stacked boxes, most urgent at the top, joined by downward arrows labelled 'none of these'; a "
        "note says to start at the top because the first box that fits decides."
    ]
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
    with matplotlib.rc_context(RC_PARAMS):
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
                wrapped = [
                    w.replace("\u00a0", " ")
                    for w in textwrap.wrap(trigger.replace("day ", "day\u00a0"), wrap, break_on_hyphens=False)
                ]
                lines.append("\u2022 " + wrapped[0])
                lines += ["   " + w for w in wrapped[1:]]
            if level.get("note"):
                lines.append("\u2192 " + level["note"])
            blocks.append((level, lines))
        top_in, bottom_in = 0.75, 0.7
        heights = [head_in + 0.22 + len(lines) * line_in for _, lines in blocks]
        height = top_in + sum(heights) + gap_in * (len(blocks) - 1) + bottom_in
        fig = new_figure(width, height)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, width)
        ax.set_ylim(0, height)
        ax.axis("off")
        ax.text(
            0.25,
            height - 0.36,
            "start at the top:\nthe first box that fits decides",
            fontsize=body_size,
            style="italic",
            va="center",
            ha="left",
            color="black",
            linespacing=1.2,
        )
        y = height - top_in
        x0, x1 = 0.2, width - 0.2
        for i, ((level, lines), h) in enumerate(zip(blocks, heights)):
            colour, edge = level["colour"], level["edge"]
            box = FancyBboxPatch(
                (x0, y - h),
                x1 - x0,
                h,
                boxstyle="round,pad=0,rounding_size=0.08",
                facecolor=tint(edge, 0.12),
                edgecolor=edge,
                lw=2.5,
                zorder=2,
            )
            box.set_gid(f"traffic:{level['action']}:box")
            ax.add_patch(box)
            head = FancyBboxPatch(
                (x0, y - head_in),
                x1 - x0,
                head_in,
                boxstyle="round,pad=0,rounding_size=0.08",
                facecolor=colour,
                edgecolor=edge,
                lw=2.5,
                zorder=3,
            )
            head.set_gid(f"traffic:{level['action']}:header")
            ax.add_patch(head)
            ax.text(
                x0 + 0.15,
                y - head_in * 0.3,
                ACTION_LABELS[level["action"]].upper(),
                fontsize=head_size,
                fontweight="bold",
                color=level["text"],
                va="center",
                ha="left",
                zorder=4,
            )
            ax.text(
                x0 + 0.15,
                y - head_in * 0.72,
                level["do"],
                fontsize=body_size,
                color=level["text"],
                va="center",
                ha="left",
                zorder=4,
            )
            ax.text(
                x0 + 0.2,
                y - head_in - 0.12,
                "\n".join(lines),
                fontsize=body_size,
                va="top",
                ha="left",
                linespacing=1.35,
                color="black",
                zorder=4,
                parse_math=False,
            )
            y -= h
            if i < len(blocks) - 1:
                arrow = FancyArrowPatch(
                    (width / 2, y - 0.04),
                    (width / 2, y - gap_in + 0.04),
                    arrowstyle="-|>",
                    mutation_scale=18,
                    color="black",
                    lw=1.8,
                    zorder=1,
                )
                ax.add_patch(arrow)
                ax.text(width / 2 + 0.18, y - gap_in / 2, "none of these", fontsize=body_size, va="center", ha="left")
                y -= gap_in
        ax.text(
            0.25,
            bottom_in / 2,
            "in every case: photograph and record\nwhat you see",
            fontsize=body_size,
            va="center",
            ha="left",
            linespacing=1.2,
        )
    return fig
