"""The findings explorer: tick findings, watch the traffic light, category and reasons change.

One object, two views, one rules file:

* in a live kernel, an ipywidgets UI that calls :func:`skintriage.rules.triage`;
* in the static book, plain HTML (fieldsets of checkboxes, number inputs, a select, an ``aria-live`` output)
  with the rules embedded as JSON, enhanced by ``static/ui/triage_explorer.js``, which evaluates them with
  ``static/core/triage.js``. Shared test vectors prove the two evaluators agree.

The rules are a training aid, not a diagnostic device; both views say so.
"""

from __future__ import annotations

import itertools
import json
from html import escape

from skintriage.bank.schema import Findings
from skintriage.pageassets import needs
from skintriage.rules import Rules, TriageResult, load_rules, rules_json_for_html, script_safe_json, triage
from skintriage.vocab import (
    ACTIONS,
    CATEGORIES,
    EXPOSURE_HINT,
    EXPOSURE_LABEL,
    FINDING_LABELS,
    GROUP_LABELS,
    TREND_LABELS,
    category_title,
)
from skintriage.web.display import static_build

EXPOSURE_MAX = 8760  # a year of hours: the form's upper bound

# Inline colours for the widget view (the book's CSS is not loaded in JupyterLab); words carry the meaning.
_WIDGET_LIGHT_STYLE = {
    "monitor": "background:#1a7f37;color:#fff",
    "review": "background:#f5b400;color:#1f1f1f",
    "same_day": "background:#b3261e;color:#fff",
    "emergency": "background:#5c0000;color:#fff;outline:3px dashed #b3261e",
}
_WIDGET_ICON = {"monitor": "\u25cf", "review": "\u25b2", "same_day": "\u25a0", "emergency": "\u2716"}

NOT_A_DEVICE = "Training aid, not a diagnostic device."

#: Shown instead of a verdict while nothing is ticked: an empty form is not "Green: monitor".
PROMPT = (
    "Nothing ticked yet. Tick what you see, where, what the client feels or their history, and the "
    "course's rules will show what to do."
)

#: The category line when the rule that gave the category does not decide the action (:func:`category_text`).
CATEGORY_OUTRANKED = "not given: a red flag comes first, and a prescriber decides"
CATEGORY_NO_PATTERN = "none: these findings fit no pattern the course teaches"

_FIELD_ORDER = ("days_since_treatment", "day_of_onset", "trend", *GROUP_LABELS)


def is_blank(findings: Findings | dict) -> bool:
    """True when no finding is ticked in any group (the days and trend alone say nothing)."""
    get = findings.get if isinstance(findings, dict) else lambda name, default=(): getattr(findings, name, default)
    return not any(get(group, ()) for group in GROUP_LABELS)


def explorer_query(findings: Findings) -> str:
    """The query string that fills the explorer's form with ``findings`` (read by triage_explorer.js). A query,
    not a #fragment: the theme's scripts read any #fragment as an element id.
    ``days_since_treatment=4&day_of_onset=1&trend=worsening&lesions=erythema,vesicles&...``."""
    from urllib.parse import quote

    parts = []
    for name in _FIELD_ORDER:
        value = getattr(findings, name)
        if isinstance(value, frozenset):
            if not value:
                continue
            value = ",".join(sorted(value))
        elif hasattr(value, "value"):
            value = value.value
        parts.append(f"{name}={quote(str(value), safe=',_')}")
    if findings.hours_since_exposure is not None:  # optional on the form: only when the case records it
        parts.append(f"hours_since_exposure={findings.hours_since_exposure}")
    return "&".join(parts)


def browser_labels(rules: Rules | None = None) -> dict:
    """The words the static view's script shows (``labels`` in static/core/explorer_core.js), as JSON data,
    with what ``categoryText`` needs to decide, as :func:`category_text` does, whether a category is shown."""
    rules = rules or load_rules()
    return {
        "categories": {category: words["title"] for category, words in CATEGORIES.items()},
        "actions": ACTIONS,
        "prompt": PROMPT,
        "category_rules": [rule.id for rule in rules.category_rules],
        "default_rule": rules.default.id,
        "outranked": CATEGORY_OUTRANKED,
        "no_pattern": CATEGORY_NO_PATTERN,
    }


def category_text(result: TriageResult, rules: Rules | None = None) -> str:
    """The likely category to show: only when its own category rule decides the action (leads ``fired``).

    A red flag that outranks the category rule (calm day-2 redness plus fever: Emergency) must not leave
    "Expected healing reaction" beside the escalation, and the rules' default gives a category only because a
    result needs one. ``categoryText`` in static/core/explorer_core.js is its twin (tests/vectors/explorer.json)."""
    rules = rules or load_rules()
    deciding = result.fired[0] if result.fired else None
    if deciding in {rule.id for rule in rules.category_rules}:
        return category_title(result.category)
    return CATEGORY_NO_PATTERN if deciding == rules.default.id else CATEGORY_OUTRANKED


def summary_text(result: TriageResult, rules: Rules | None = None) -> str:
    """The one line a screen reader announces when the result changes (``summary`` in
    static/core/explorer_core.js is its twin: tests/vectors/explorer.json)."""
    action = ACTIONS[result.action]
    count = len(result.reasons)
    return (
        f"{action['light']}: {action['title']}. Likely category: {category_text(result, rules)}. "
        f"{count} reason{'s' if count != 1 else ''}."
    )


def result_html(result: TriageResult, rules: Rules | None = None, *, inline_style: bool = False) -> str:
    """Traffic light, category and reasons as HTML (everything escaped). Shared by both views."""
    action = ACTIONS[result.action]
    style = (
        f' style="{_WIDGET_LIGHT_STYLE[result.action]};padding:0.4em 0.8em;border-radius:0.4em"' if inline_style else ""
    )
    icon = _WIDGET_ICON[result.action] if inline_style else ""
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in result.reasons)
    return (
        f'<p class="skt-light" data-action="{escape(result.action)}"{style}>'
        f'<span class="skt-light-icon" aria-hidden="true">{icon}</span> '
        f'<span class="skt-light-text"><strong class="skt-light-title">{escape(action["light"])}: '
        f'{escape(action["title"])}</strong> <span class="skt-light-detail">({escape(action["text"])})</span>'
        "</span></p>"
        f'<p class="skt-category">Likely category: <strong class="skt-category-name">'
        f"{escape(category_text(result, rules))}</strong></p>"
        '<p class="skt-reasons-title">Why (the rules that fired):</p>'
        f'<ol class="skt-reasons">{reasons}</ol>'
    )


def prompt_html() -> str:
    return f'<p class="skt-light" data-action="none"><strong class="skt-light-title">{escape(PROMPT)}</strong></p>'


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
        if is_blank(f):
            live_text, output = PROMPT, prompt_html()
        else:
            live_text, output = summary_text(result, self.rules), result_html(result, self.rules)
        return f"""<div class="skt-explorer" {needs("explorer")} id="{uid}">
<p class="skt-disclaimer"><strong>{escape(NOT_A_DEVICE)}</strong> {escape(self.rules.disclaimer)}
<span class="skt-edition">(Rules edition {escape(self.rules.edition)}.)</span></p>
<form class="skt-form" aria-label="Findings">
<fieldset class="skt-group skt-timing"><legend>When and which way</legend>
{number("days_since_treatment", "Days since treatment", f.days_since_treatment, "0 = the day of treatment")}
{number("day_of_onset", "The spots began on day", f.day_of_onset, "day after treatment, not after today")}
<div class="skt-field"><label for="{uid}-hours_since_exposure">{escape(EXPOSURE_LABEL)}</label>
<input type="number" id="{uid}-hours_since_exposure" name="hours_since_exposure" min="0" max="{EXPOSURE_MAX}"
step="1" inputmode="numeric" value="{"" if f.hours_since_exposure is None else f.hours_since_exposure}"
aria-describedby="{uid}-hours_since_exposure-hint">
<span class="skt-hint" id="{uid}-hours_since_exposure-hint">{escape(EXPOSURE_HINT)}</span></div>
<div class="skt-field"><label for="{uid}-trend">Trend</label>
<select id="{uid}-trend" name="trend">{trend_options}</select></div>
</fieldset>
{"".join(groups)}
</form>
<p class="skt-live" role="status" aria-live="polite" aria-atomic="true">{escape(live_text)}</p>
<p class="skt-prefill-note" hidden></p>
<section class="skt-output" aria-labelledby="{uid}-result-title">
<p class="skt-output-title" id="{uid}-result-title"><strong>What the course's rules say</strong></p>
<div class="skt-result">{output}</div>
<noscript><p>Turn on JavaScript to see the result change as you tick findings.</p></noscript>
</section>
<script type="application/json" class="skt-rules">{rules_json_for_html(self.rules)}</script>
<script type="application/json" class="skt-labels">{script_safe_json(json.dumps(browser_labels(self.rules), ensure_ascii=True))}</script>
</div>"""

    # --- live view ----------------------------------------------------------------------------------------

    def widget(self):
        return ExplorerWidget(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        html = self.to_html()
        try:
            bundle = (
                {} if static_build() else self.widget().box._repr_mimebundle_(include=include, exclude=exclude) or {}
            )
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
        self.days = w.IntSlider(
            value=f.days_since_treatment,
            min=0,
            max=365,
            description="Days since treatment",
            style=wide,
            layout=layout,
            continuous_update=False,
        )
        self.onset = w.IntSlider(
            value=f.day_of_onset,
            min=0,
            max=365,
            description="The spots began on day",
            style=wide,
            layout=layout,
            continuous_update=False,
        )
        self.trend = w.Dropdown(
            options=[(text, value) for value, text in TREND_LABELS.items()],
            value=f.trend,
            description="Trend",
            style=wide,
        )
        # A text box, not a number box: the field is optional and blank means "not recorded".
        self.hours = w.Text(
            value="" if f.hours_since_exposure is None else str(f.hours_since_exposure),
            description=EXPOSURE_LABEL,
            placeholder=EXPOSURE_HINT,
            style=wide,
            layout=layout,
            continuous_update=False,
        )
        self.boxes: dict[str, dict[str, object]] = {}
        sections = []
        for group, label in GROUP_LABELS.items():
            chosen = getattr(f, group)
            self.boxes[group] = {
                ident: w.Checkbox(value=ident in chosen, description=text, indent=False, layout=w.Layout(width="auto"))
                for ident, text in FINDING_LABELS[group].items()
            }
            sections.append(w.HTML(f"<strong>{escape(label)}</strong>"))
            sections.append(
                w.GridBox(
                    list(self.boxes[group].values()),
                    layout=w.Layout(grid_template_columns="repeat(auto-fill, minmax(16rem, 1fr))", grid_gap="0 1rem"),
                )
            )
        self.output = w.HTML()
        note = w.HTML(f"<p><strong>{escape(NOT_A_DEVICE)}</strong> {escape(explorer.rules.disclaimer)}</p>")
        self.box = w.VBox(
            [
                note,
                self.days,
                self.onset,
                self.trend,
                self.hours,
                *sections,
                w.HTML("<strong>What the course's rules say</strong>"),
                self.output,
            ]
        )
        controls = [self.days, self.onset, self.trend, self.hours]
        for control in controls + [b for g in self.boxes.values() for b in g.values()]:
            control.observe(self._update, names="value")
        self._update()

    def findings_dict(self) -> dict:
        data = {"day_of_onset": self.onset.value, "days_since_treatment": self.days.value, "trend": self.trend.value}
        hours = self.hours.value.strip()
        if hours:
            data["hours_since_exposure"] = int(hours) if hours.isdigit() else hours
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
        hours = data.get("hours_since_exposure")
        if hours is not None and not (isinstance(hours, int) and 0 <= hours <= EXPOSURE_MAX):
            self.output.value = (
                f"<p><strong>Check the hours:</strong> enter a whole number from 0 to {EXPOSURE_MAX}, or leave the "
                "hours since the exposure blank if not known.</p>"
            )
            return
        if is_blank(data):
            self.output.value = prompt_html()
            return
        result = triage(Findings.model_validate(data), self.explorer.rules)
        self.output.value = result_html(result, self.explorer.rules, inline_style=True)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.box._repr_mimebundle_(include=include, exclude=exclude)


__all__ = [
    "CATEGORY_NO_PATTERN",
    "CATEGORY_OUTRANKED",
    "PROMPT",
    "Explorer",
    "ExplorerWidget",
    "browser_labels",
    "category_text",
    "explorer_query",
    "is_blank",
    "result_html",
    "summary_text",
]
