"""The course's words for the identifiers in its data: categories, actions, finding groups and findings.

One table, used by every view: the explorer (Python and, as JSON, the browser), figures and their alt text,
the knowledge check's summaries, the answer key and the instructor session. The identifiers themselves are
defined by the schema (`skintriage.bank.schema`); a test checks every identifier has its words here.
"""

from __future__ import annotations

import json

# Each category: a title for headings and results, and the plain lower-case words used inside sentences,
# figure labels and alt text.
CATEGORIES: dict[str, dict[str, str]] = {
    "expected_healing": {"title": "Expected healing reaction", "words": "expected healing"},
    "acneiform_flare": {"title": "Acne-like (acneiform) flare", "words": "acne-like flare"},
    "contact_dermatitis": {"title": "Contact dermatitis (product reaction)", "words": "contact dermatitis"},
    "bacterial_infection": {"title": "Bacterial infection", "words": "bacterial infection"},
    "herpes_simplex": {"title": "Herpes simplex (cold sore virus)", "words": "herpes simplex"},
    "atypical_mycobacterial": {"title": "Atypical mycobacterial infection", "words": "atypical mycobacteria"},
    "granulomatous_reaction": {"title": "Granulomatous reaction", "words": "granulomatous reaction"},
    "milia": {"title": "Milia", "words": "milia"},
    "pigmentation_or_scarring": {"title": "Pigmentation or scarring", "words": "pigmentation or scarring"},
}

# Each action band, least urgent first: the traffic-light word, the title, what it means, and a short word.
ACTIONS: dict[str, dict[str, str]] = {
    "monitor": {
        "light": "Green",
        "title": "Monitor",
        "text": "aftercare advice and routine follow-up",
        "short": "monitor",
    },
    "review": {
        "light": "Amber",
        "title": "Review within days",
        "text": "a prescriber reviews within days, or a routine referral",
        "short": "review",
    },
    "same_day": {
        "light": "Red",
        "title": "Prescriber the same day",
        "text": "a prescriber must see the client today",
        "short": "same day",
    },
    "emergency": {
        "light": "Emergency",
        "title": "Urgent care now",
        "text": "send the client to urgent or emergency care now",
        "short": "emergency",
    },
}

# The review form's groups and the words for each finding in them.
GROUP_LABELS: dict[str, str] = {
    "lesions": "What you see",
    "distribution": "Where",
    "symptoms": "What the client feels",
    "history": "History",
}

FINDING_LABELS: dict[str, dict[str, str]] = {
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
        "pain_out_of_proportion": "pain out of proportion to what you see",
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

# The optional exposure-time field of the review form: its label and hint, shared by both explorer views.
EXPOSURE_LABEL = "Hours since single-use equipment may have been reused"
EXPOSURE_HINT = "optional; leave blank if not known (the treatment day is then used)"

TREND_LABELS: dict[str, str] = {"improving": "improving", "stable": "about the same", "worsening": "getting worse"}


def category_title(category: str) -> str:
    return CATEGORIES[category]["title"]


def category_words(category: str) -> str:
    return CATEGORIES[category]["words"]


def finding_label(group: str, identifier: str) -> str:
    return FINDING_LABELS[group][identifier]


def action_heading(action: str) -> str:
    """'Red: Prescriber the same day': the light's word first, so colour is never the only cue."""
    return f"{ACTIONS[action]['light']}: {ACTIONS[action]['title']}"


def as_json() -> str:
    """The whole vocabulary for the browser's scripts."""
    return json.dumps(
        {
            "categories": {k: v["title"] for k, v in CATEGORIES.items()},
            "actions": ACTIONS,
            "groups": GROUP_LABELS,
            "findings": FINDING_LABELS,
            "trends": TREND_LABELS,
        },
        ensure_ascii=False,
        sort_keys=True,
    )
