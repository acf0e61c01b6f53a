"""The findings explorer: tick findings, watch the traffic light, category and reasons change.

One object, two views, one rules file:

* in a live kernel, an ipywidgets UI that calls :func:`skintriage.rules.triage`;
* in the static book, plain HTML (fieldsets of checkboxes, number inputs, a select, an ``aria-live`` output)
  with the rules embedded as JSON, enhanced by ``static/triage_explorer.js``, which evaluates them with
  ``static/triage.js``. Shared test vectors prove the two evaluators agree.

The rules are a training aid, not a diagnostic device; both views say so.
"""

from __future__ import annotations

import itertools
import json
from html import escape

from .pageassets import needs
from .rules import Rules, TriageResult, load_rules, rules_json_for_html, script_safe_json, triage
from .schema import Findings

# --- Words for identifiers --------------------------------------------------------------------------------

GROUP_LABELS = {
    "lesions": "What you see",
    "distribution": "Where",
    "symptoms": "What the client feels",
    "history": "History",
}

FINDING_LABELS = {
    "lesions": {
        "erythema": "erythema (redness)",
        "oedema": "oedema (swelling)",
        "pinpoint_crusts": "pinpoint crusts",
        "flaking": "flaking",
        "comedones": "comedones (blackheads, whiteheads)",
        "papules": "papules (small red bumps)",
        "pustules": "pustules (spots with a yellow-white top)",
        "vesicles": "vesicles (small fluid blisters)",
        "punched_out_erosions": "punched-out erosions (small round sores)",
        "honey_crusts": "honey-coloured crusts",
        "weeping": "weeping",
        "nodules": "nodules (lumps under the skin)",
        "plaques": "plaques (raised patches)",
        "scale": "scale",
        "white_papules": "white papules (tiny firm white bumps)",
        "linear_marks": "linear marks (tram-track lines)",
        "hyperpigmentation": "hyperpigmentation (darker patches)",
    },
    "distribution": {
        "treated_area": "across the treated area",
        "usual_acne_sites": "where the client usually gets acne",
        "product_sites": "where a product was applied",
        "perioral": "around the mouth",
        "periocular": "around the eyes",
        "grid_pattern": "in the grid pattern of the needle passes",
        "spreading_beyond_treated": "spreading beyond the treated area",
    },
    "symptoms": {
        "itch": "itch",
        "burning": "burning",
        "tingling": "tingling",
        "tenderness": "tenderness",
        "pain_worsening": "pain getting worse",
        "warmth": "warmth",
        "fever": "fever",
        "unwell": "feeling unwell",
        "eye_symptoms": "eye symptoms (pain, redness, vision change)",
        "drainage": "drainage (pus)",
    },
    "history": {
        "new_retinoid_or_acid": "started a new retinoid or acid",
        "occlusive_product": "heavy (occlusive) product used",
        "product_in_channels": "a product was put into the open channels",
        "cold_sore_history": "gets cold sores",
        "acne_prone": "acne-prone",
        "darker_skin": "darker skin (Fitzpatrick IV-VI)",
        "antibiotics_failed": "antibiotics have not helped",
        "reused_equipment": "single-use equipment was reused",
    },
}

TREND_LABELS = {"improving": "improving", "stable": "about the same", "worsening": "getting worse"}

CATEGORY_LABELS = {
    "expected_healing": "Expected healing reaction",
    "acneiform_flare": "Acneiform (acne-like) flare",
    "contact_dermatitis": "Contact dermatitis (product reaction)",
    "bacterial_infection": "Bacterial infection",
    "herpes_simplex": "Herpes simplex (cold sore virus)",
    "atypical_mycobacterial": "Atypical mycobacterial infection",
    "granulomatous_reaction": "Granulomatous reaction",
    "milia": "Milia",
    "pigmentation_or_scarring": "Pigmentation or scarring",
}

ACTION_LABELS = {
    "monitor": {"light": "Green", "title": "Monitor", "text": "aftercare advice and routine follow-up"},
    "review": {"light": "Amber", "title": "Review within days",
               "text": "a prescriber reviews within days, or a routine referral"},
    "same_day": {"light": "Red", "title": "Prescriber today", "text": "a prescriber must see the client today"},
    "emergency": {"light": "Emergency", "title": "Urgent care now",
                  "text": "send the client to urgent or emergency care now"},
}

# Inline colours for the widget view (the book's CSS is not loaded in JupyterLab); words carry the meaning.
_WIDGET_LIGHT_STYLE = {
    "monitor": "background:#1a7f37;color:#fff",
    "review": "background:#f5b400;color:#1f1f1f",
    "same_day": "background:#b3261e;color:#fff",
    "emergency": "background:#5c0000;color:#fff;outline:3px dashed #b3261e",
}
_WIDGET_ICON = {"monitor": "\u25cf", "review": "\u25b2", "same_day": "\u25a0", "emergency": "\u2716"}

NOT_A_DEVICE = "Training aid, not a diagnostic device."


def finding_label(group: str, identifier: str) -> str:
    return FINDING_LABELS.get(group, {}).get(identifier, identifier.replace("_", " "))


def summary_text(result: TriageResult) -> str:
    """The one line a screen reader announces when the result changes."""
    action = ACTION_LABELS[result.action]
    count = len(result.reasons)
    return (
        f"{action['light']}: {action['title']}. Likely category: {CATEGORY_LABELS[result.category]}. "
        f"{count} reason{'s' if count != 1 else ''}."
    )


def result_html(result: TriageResult, *, inline_style: bool = False) -> str:
    """Traffic light, category and reasons as HTML (everything escaped). Shared by both views."""
    action = ACTION_LABELS[result.action]
    style = f' style="{_WIDGET_LIGHT_STYLE[result.action]};padding:0.4em 0.8em;border-radius:0.4em"' if inline_style else ""
    icon = _WIDGET_ICON[result.action] if inline_style else ""
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in result.reasons)
    return (
        f'<p class="skt-light" data-action="{escape(result.action)}"{style}>'
        f'<span class="skt-light-icon" aria-hidden="true">{icon}</span> '
        f'<span class="skt-light-text"><strong class="skt-light-title">{escape(action["light"])}: '
        f'{escape(action["title"])}</strong> <span class="skt-light-detail">({escape(action["text"])})</span>'
        "</span></p>"
        f'<p class="skt-category">Likely category: <strong class="skt-category-name">'
        f"{escape(CATEGORY_LABELS[result.category])}</strong></p>"
        '<p class="skt-reasons-title">Why (the rules that fired):</p>'
        f'<ol class="skt-reasons">{reasons}</ol>'
    )


_counter = itertools.count(1)

DEFAULT_FINDINGS = {"day_of_onset": 0, "days_since_treatment": 2, "trend": "improving"}


class Explorer:
    """Tick findings, see the traffic light. ``Explorer()`` in a notebook cell shows it."""

    def __init__(self, rules: Rules | None = None, findings: Findings | dict | None = None):
        self.rules = rules or load_rules()
        if findings is None:
            findings = DEFAULT_FINDINGS
        self.findings = findings if isinstance(findings, Findings) else Findings.model_validate(findings)

    def result(self, findings: Findings | None = None) -> TriageResult:
        return triage(findings or self.findings, self.rules)

    # --- static view ---------------------------------------------------------------------------------------

    def to_html(self) -> str:
        uid = f"skt-explorer-{next(_counter)}"
        f = self.findings
        result = self.result()
        labels = {
            "categories": CATEGORY_LABELS,
            "actions": ACTION_LABELS,
        }

        def number(name: str, label: str, value: int, hint: str) -> str:
            return (
                f'<div class="skt-field"><label for="{uid}-{name}">{escape(label)}</label>'
                f'<input type="number" id="{uid}-{name}" name="{name}" min="0" max="365" step="1" '
                f'inputmode="numeric" value="{value}" aria-describedby="{uid}-{name}-hint" required>'
                f'<span class="skt-hint" id="{uid}-{name}-hint">{escape(hint)}</span></div>'
            )

        trend_options = "".join(
            f'<option value="{escape(v)}"{" selected" if v == f.trend else ""}>{escape(text)}</option>'
            for v, text in TREND_LABELS.items()
        )
        groups = []
        for group, label in GROUP_LABELS.items():
            chosen = getattr(f, group)
            items = "".join(
                f'<li><input type="checkbox" id="{uid}-{group}-{escape(ident)}" name="{group}" '
                f'value="{escape(ident)}"{" checked" if ident in chosen else ""}>'
                f'<label for="{uid}-{group}-{escape(ident)}">{escape(text)}</label></li>'
                for ident, text in FINDING_LABELS[group].items()
            )
            groups.append(
                f'<fieldset class="skt-group" data-group="{group}"><legend>{escape(label)}</legend>'
                f'<ul class="skt-options">{items}</ul></fieldset>'
            )
        return f"""<div class="skt-explorer" {needs("explorer")} id="{uid}">
<p class="skt-disclaimer"><strong>{escape(NOT_A_DEVICE)}</strong> {escape(self.rules.disclaimer)}
<span class="skt-edition">(Rules edition {escape(self.rules.edition)}.)</span></p>
<form class="skt-form" aria-label="Findings">
<fieldset class="skt-group skt-timing"><legend>When and which way</legend>
{number("days_since_treatment", "Days since treatment", f.days_since_treatment, "0 = the day of treatment")}
{number("day_of_onset", "The spots began on day", f.day_of_onset, "day after treatment, not after today")}
<div class="skt-field"><label for="{uid}-trend">Trend</label>
<select id="{uid}-trend" name="trend">{trend_options}</select></div>
</fieldset>
{''.join(groups)}
</form>
<p class="skt-live" role="status" aria-live="polite" aria-atomic="true">{escape(summary_text(result))}</p>
<section class="skt-output" aria-labelledby="{uid}-result-title">
<p class="skt-output-title" id="{uid}-result-title"><strong>What the course's rules say</strong></p>
<div class="skt-result">{result_html(result)}</div>
<noscript><p>Turn on JavaScript to see the result change as you tick findings.</p></noscript>
</section>
<script type="application/json" class="skt-rules">{rules_json_for_html(self.rules)}</script>
<script type="application/json" class="skt-labels">{script_safe_json(json.dumps(labels, ensure_ascii=True))}</script>
</div>"""

    # --- live view ----------------------------------------------------------------------------------------

    def widget(self):
        return ExplorerWidget(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        html = self.to_html()
        try:
            bundle = self.widget().box._repr_mimebundle_(include=include, exclude=exclude) or {}
        except ImportError:  # no ipywidgets: the static view still works
            bundle = {}
        return {**bundle, "text/html": html, "text/plain": "Findings explorer (" + NOT_A_DEVICE + ")"}


class ExplorerWidget:
    """The ipywidgets view; every change re-runs :func:`skintriage.rules.triage`."""

    def __init__(self, explorer: Explorer):
        import ipywidgets as w

        self.explorer = explorer
        f = explorer.findings
        wide = {"description_width": "initial"}
        layout = w.Layout(width="100%", max_width="32rem")
        self.days = w.IntSlider(value=f.days_since_treatment, min=0, max=365, description="Days since treatment",
                                style=wide, layout=layout, continuous_update=False)
        self.onset = w.IntSlider(value=f.day_of_onset, min=0, max=365, description="The spots began on day",
                                 style=wide, layout=layout, continuous_update=False)
        self.trend = w.Dropdown(options=[(text, value) for value, text in TREND_LABELS.items()], value=f.trend,
                                description="Trend", style=wide)
        self.boxes: dict[str, dict[str, object]] = {}
        sections = []
        for group, label in GROUP_LABELS.items():
            chosen = getattr(f, group)
            self.boxes[group] = {
                ident: w.Checkbox(value=ident in chosen, description=text, indent=False,
                                  layout=w.Layout(width="auto"))
                for ident, text in FINDING_LABELS[group].items()
            }
            sections.append(w.HTML(f"<strong>{escape(label)}</strong>"))
            sections.append(w.GridBox(list(self.boxes[group].values()), layout=w.Layout(
                grid_template_columns="repeat(auto-fill, minmax(16rem, 1fr))", grid_gap="0 1rem")))
        self.output = w.HTML()
        note = w.HTML(f"<p><strong>{escape(NOT_A_DEVICE)}</strong> {escape(explorer.rules.disclaimer)}</p>")
        self.box = w.VBox([note, self.days, self.onset, self.trend, *sections,
                           w.HTML("<strong>What the course's rules say</strong>"), self.output])
        for control in [self.days, self.onset, self.trend] + [b for g in self.boxes.values() for b in g.values()]:
            control.observe(self._update, names="value")
        self._update()

    def findings_dict(self) -> dict:
        data = {"day_of_onset": self.onset.value, "days_since_treatment": self.days.value, "trend": self.trend.value}
        for group, boxes in self.boxes.items():
            data[group] = sorted(ident for ident, box in boxes.items() if box.value)
        return data

    def _update(self, change=None) -> None:
        data = self.findings_dict()
        if data["day_of_onset"] > data["days_since_treatment"]:
            self.output.value = (
                "<p><strong>Check the days:</strong> the spots cannot begin after today (the day they began is "
                "later than the days since treatment).</p>"
            )
            return
        result = triage(Findings.model_validate(data), self.explorer.rules)
        self.output.value = result_html(result, inline_style=True)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.box._repr_mimebundle_(include=include, exclude=exclude)


__all__ = ["Explorer", "ExplorerWidget", "finding_label", "result_html", "summary_text"]
