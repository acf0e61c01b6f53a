"""Who is taking the check: pick your name from the clinic's roster, or type your staff id.

An id that is not on the roster is refused with a clear message; nobody is added to the roster from here.
Names are shown as widget labels (plain text, never HTML).
"""

from __future__ import annotations

import ipywidgets as widgets
from sqlalchemy.orm import Session

from .attempts import RegisterConfig, engine_for
from .roster import list_staff


def roster_choices(config: RegisterConfig) -> list[tuple[str, str]]:
    """(label, staff id) for every person on the roster; a repeated label gets its staff id added."""
    with Session(engine_for(config)) as session:
        people = [(s.name, s.role, s.site, s.staff_id) for s in list_staff(session)]
    labels = [f"{name}, {role}, {site}" for name, role, site, _ in people]
    return [
        (label if labels.count(label) == 1 else f"{label} ({staff_id})", staff_id)
        for label, (_, _, _, staff_id) in zip(labels, people)
    ]


class TraineePicker:
    """A name list and a staff-id box; :meth:`chosen` gives the staff id or a message saying what is missing."""

    def __init__(self, choices: list[tuple[str, str]], staff_id: str = ""):
        self.known = {staff_id for _, staff_id in choices}
        self.name = widgets.Dropdown(
            options=[("Choose your name", "")] + choices,
            value="",
            description="Your name",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="32em"),
        )
        self.name.add_class("skt-kc-staff-name")
        self.staff_id = widgets.Text(
            value=staff_id,
            description="or your staff id",
            placeholder="as on your clinic's roster",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="24em"),
        )
        self.staff_id.add_class("skt-kc-staff-id")
        note = (
            ""
            if choices
            else (
                "<p><strong>The clinic's staff roster is empty.</strong> Ask your clinic lead to import it "
                "(<code>skintriage staff import staff.csv</code>) before you take the check.</p>"
            )
        )
        self.widget = widgets.VBox([widgets.HTML(note), self.name, self.staff_id])

    def chosen(self) -> tuple[str | None, str | None]:
        """(staff id, None) or (None, message for the trainee)."""
        picked = self.name.value or ""
        typed = " ".join(self.staff_id.value.split())
        if picked and typed and picked != typed:
            return None, "Your name and the staff id you typed are different people: clear one of them."
        staff_id = picked or typed
        if not staff_id:
            return None, "Choose your name from the list, or enter your staff id, before submitting."
        if staff_id not in self.known:
            return None, (
                f"Staff id '{staff_id}' is not on the clinic's roster. Check it, or ask your clinic lead to add you."
            )
        return staff_id, None

    def disable(self) -> None:
        self.name.disabled = True
        self.staff_id.disabled = True
