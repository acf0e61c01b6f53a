"""The shape of the course's data: findings, cases and their questions.

Every case file in ``data/cases/`` is validated against :class:`Case`. The models forbid unknown keys so a
typo in a case file is an error, not a silently ignored field.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$", min_length=1, max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def repeated(ids: list[str]) -> list[str]:
    """Ids that occur more than once, sorted."""
    return sorted({i for i in ids if ids.count(i) > 1})


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)


# --- The post-treatment review form (issue 4 fixes these identifiers) -----------------------------------

Trend = Literal["improving", "stable", "worsening"]
Lesion = Literal[
    "erythema", "oedema", "pinpoint_crusts", "flaking", "comedones", "papules", "pustules", "vesicles",
    "punched_out_erosions", "honey_crusts", "weeping", "nodules", "plaques", "scale", "white_papules",
    "linear_marks", "hyperpigmentation",
]
Site = Literal[
    "treated_area", "usual_acne_sites", "product_sites", "perioral", "periocular", "grid_pattern",
    "spreading_beyond_treated",
]
Symptom = Literal[
    "itch", "burning", "tingling", "tenderness", "pain_worsening", "warmth", "fever", "unwell", "eye_symptoms",
    "drainage", "pain_out_of_proportion",
]
History = Literal[
    "new_retinoid_or_acid", "occlusive_product", "product_in_channels", "cold_sore_history", "acne_prone",
    "darker_skin", "antibiotics_failed", "reused_equipment",
]


class Findings(Strict):
    """What staff record at a post-treatment review."""

    day_of_onset: int = Field(ge=0, le=365)
    days_since_treatment: int = Field(ge=0, le=365)
    trend: Trend
    lesions: frozenset[Lesion] = frozenset()
    distribution: frozenset[Site] = frozenset()
    symptoms: frozenset[Symptom] = frozenset()
    history: frozenset[History] = frozenset()
    # Optional (issue 8): when a possible bloodborne exposure happened, e.g. reused single-use equipment found out
    # later. HIV post-exposure prophylaxis has to start within 72 h, so the rules need hours, not days. Left out,
    # the rules take the exposure to be this treatment (see hours_since_exposure in triage_rules.yaml).
    hours_since_exposure: int | None = Field(default=None, ge=0, le=8760)

    @model_validator(mode="after")
    def _onset_not_in_future(self) -> "Findings":
        if self.day_of_onset > self.days_since_treatment:
            raise ValueError(
                f"day_of_onset ({self.day_of_onset}) is after days_since_treatment ({self.days_since_treatment})"
            )
        return self


class Category(str, Enum):
    expected_healing = "expected_healing"
    acneiform_flare = "acneiform_flare"
    contact_dermatitis = "contact_dermatitis"
    bacterial_infection = "bacterial_infection"
    herpes_simplex = "herpes_simplex"
    atypical_mycobacterial = "atypical_mycobacterial"
    granulomatous_reaction = "granulomatous_reaction"
    milia = "milia"
    pigmentation_or_scarring = "pigmentation_or_scarring"


class Action(str, Enum):
    """The traffic light, in rising urgency."""

    monitor = "monitor"
    review = "review"
    same_day = "same_day"
    emergency = "emergency"


ACTION_ORDER = [a.value for a in Action]


# --- Cases and questions ----------------------------------------------------------------------------------


class Option(Strict):
    id: Slug
    text: Text
    feedback: Text = Field(description="Why this option is right or wrong; shown when it is chosen.")


class QuestionKind(str, Enum):
    most_likely = "most_likely"  # what is most likely going on?
    next_step = "next_step"  # what do you do now?
    red_flags = "red_flags"  # which findings are red flags? (usually several answers)
    communicate = "communicate"  # what to tell the client or document


class Question(Strict):
    id: Slug
    kind: QuestionKind
    stem: Text
    options: list[Option] = Field(min_length=2)
    answer: list[Slug] = Field(min_length=1, description="Ids of the correct option or options.")
    explanation: Text
    section: Slug = Field(description="Label of the chapter section that teaches this, e.g. sec-red-flags.")
    references: list[Slug] = Field(default_factory=list, description="Bibliography keys.")

    @field_validator("answer", mode="before")
    @classmethod
    def _one_answer_as_list(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _answers_are_options(self) -> "Question":
        ids = [o.id for o in self.options]
        if repeated(ids):
            raise ValueError(f"duplicate option id {', '.join(repeated(ids))}")
        missing = [a for a in self.answer if a not in ids]
        if missing:
            raise ValueError(f"answer {', '.join(missing)} is not among the options ({', '.join(ids)})")
        if len(set(self.answer)) != len(self.answer):
            raise ValueError("answer lists the same option twice")
        return self

    @property
    def multiple(self) -> bool:
        """Several answers are asked for: rendered as checkboxes rather than radio buttons."""
        return len(self.answer) > 1 or self.kind == QuestionKind.red_flags.value


class Procedure(Strict):
    device: Literal["pen", "roller", "radiofrequency"]
    adjuncts: list[Literal["serum", "vitamin_c", "hyaluronic_acid", "prp", "growth_factors", "peptides"]] = []
    setting: Literal["clinic", "unlicensed", "home"] = "clinic"


class Client(Strict):
    age: int = Field(ge=16, le=100)
    fitzpatrick: Literal["I", "II", "III", "IV", "V", "VI"]
    notes: str = ""


# Words that name or strongly hint at an answer. A title shown beside a knowledge-check question must use
# none of them, or the title answers the question (e.g. "Spots that antibiotics did not touch").
GIVEAWAY_WORDS = (
    "acne", "allerg", "antibiotic", "bacteria", "cellulitis", "cold sore", "dermatitis", "eczema", "flare",
    "folliculitis", "granulom", "healing", "herpe", "impetigo", "infect", "milia", "mycobacteri", "normal",
    "pigment", "purg", "reaction", "scar", "tram", "virus",
)


def giveaways(text: str) -> list[str]:
    """The giveaway words (see ``GIVEAWAY_WORDS``) found in ``text``, in list order."""
    lowered = text.lower()
    return [word for word in GIVEAWAY_WORDS if word in lowered]


class Case(Strict):
    id: Slug
    title: Text
    neutral_title: Text | None = Field(
        default=None,
        description="Optional title for assessment views, naming no diagnosis or answer; derived when absent.",
    )
    topics: list[Slug] = Field(min_length=1)
    difficulty: Literal["foundation", "intermediate", "advanced"]
    client: Client
    procedure: Procedure
    vignette: Text = Field(description="Markdown; raw HTML is shown as text, never run.")
    findings: Findings
    category: Category
    action: Action
    questions: list[Question] = Field(min_length=1)
    references: list[Slug] = Field(min_length=1)

    @field_validator("neutral_title")
    @classmethod
    def _neutral_title_gives_nothing_away(cls, value: str | None) -> str | None:
        if value is not None and giveaways(value):
            raise ValueError(f"neutral_title names an answer or diagnosis: {', '.join(giveaways(value))}")
        return value

    @model_validator(mode="after")
    def _question_ids_unique(self) -> "Case":
        ids = [q.id for q in self.questions]
        if repeated(ids):
            raise ValueError(f"duplicate question id {', '.join(repeated(ids))}")
        return self

    @property
    def assessment_title(self) -> str:
        """The title a knowledge check shows: ``neutral_title``, or one built from the client and the day."""
        if self.neutral_title:
            return self.neutral_title
        days = self.findings.days_since_treatment
        when = "the day of treatment" if days == 0 else f"{days} day{'s' if days != 1 else ''} after treatment"
        return f"A client aged {self.client.age}, seen {when}"
