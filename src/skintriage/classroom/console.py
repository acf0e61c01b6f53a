"""The instructor's console for a live session (ipywidgets, in Voilà or JupyterLab), also the projector view.

It drives the class server through its instructor API (the token comes from ``class-server.json`` in the data
folder, where only this user can read it) and follows the room with a long poll in a background thread. The
projected area holds only the case, the question, the live count or chart, and one row of controls above them;
the arrow keys step through questions and R reveals.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterable
from pathlib import Path

import httpx
import ipywidgets as widgets

from skintriage.bank.loader import Bank
from skintriage.classroom import content
from skintriage.classroom.run import read_server_file, server_file
from skintriage.web import render
from skintriage.web.render import escape

NOT_RUNNING = (
    "The class server is not running. Start the live session with <code>make session</code> "
    "(it starts the server and this console together)."
)

#: Session plans the console offers: the facilitator guide's cases in order, or the whole bank.
PLANS = {"guide": "Facilitator guide plan", "all": "All cases"}

KEYS_JS = """
(function () {
  if (window.__sktLiveKeys) { return; }
  window.__sktLiveKeys = true;
  var names = {ArrowRight: "skt-live-next", ArrowLeft: "skt-live-previous", r: "skt-live-reveal",
               R: "skt-live-reveal", o: "skt-live-open", O: "skt-live-open", c: "skt-live-close",
               C: "skt-live-close"};
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA" ||
                   target.isContentEditable)) { return; }
    var name = names[event.key];
    if (!name) { return; }
    var button = document.querySelector("." + name + " button, button." + name);
    if (button && !button.disabled) { event.preventDefault(); button.click(); }
  });
})();
"""

# 32 px text and above on a 1080p projector, lines kept to a readable length; controls in one row on top.
STYLE = """<style>
.skt-live { font-size: 32px; line-height: 1.35; --jp-widgets-font-size: 28px; --jp-widgets-inline-height: 56px;
  --jp-widgets-inline-label-width: 7em; }
.skt-live .widget-html-content, .skt-live .widget-html { font-size: 32px; line-height: 1.35; }
.skt-live .skt-live-read { max-width: 38em; }
.skt-live .skt-live-read p, .skt-live .skt-live-read li { max-width: 38em; }
.skt-live .skt-live-controls { flex-wrap: wrap; gap: 8px; align-items: center; position: sticky; top: 0; z-index: 2;
  background: var(--jp-layout-color0, #fff); padding: 6px 0; border-bottom: 2px solid #0a5a8a; }
.skt-live .jupyter-button { font-size: 28px; height: auto; min-height: 56px; padding: 4px 18px; width: auto; }
.skt-live .widget-dropdown select, .skt-live .widget-dropdown > select { font-size: 26px; height: 56px; }
.skt-live .widget-dropdown { height: auto; }
.skt-live .widget-label { font-size: 26px; }
.skt-live h2 { font-size: 40px; margin: 8px 0; }
.skt-live .skt-live-count { font-size: 36px; font-weight: bold; }
.skt-live .skt-live-options { list-style: none; padding: 0; margin: 8px 0; }
.skt-live .skt-live-options li { margin: 6px 0; }
.skt-live .skt-live-letter { font-weight: bold; display: inline-block; min-width: 1.6em; }
.skt-live .skt-live-right { font-weight: bold; }
.skt-live .skt-live-join { display: flex; gap: 24px; align-items: center; flex-wrap: wrap; }
.skt-live .skt-live-join svg { width: 300px; height: 300px; }
.skt-live .skt-live-code { font-size: 64px; font-weight: bold; letter-spacing: 0.15em; }
.skt-live table.skt-live-chart { border-collapse: collapse; margin: 8px 0; }
.skt-live .skt-live-chart th, .skt-live .skt-live-chart td { padding: 4px 12px; text-align: left; font-size: 30px; }
.skt-live .skt-live-bar { display: inline-block; height: 28px; background: #0a5a8a; vertical-align: middle; }
.skt-live .skt-live-bar.skt-live-round1 { background: #8a8a8a; }
.skt-live .skt-live-setup { font-size: 24px; }
.skt-live .skt-live-setup .widget-html-content { font-size: 24px; }
</style>"""


RIGHT_CLASS = ' class="skt-live-right"'


class ServerUnavailable(RuntimeError):
    pass


class ClassClient:
    """The instructor's side of the class server's API."""

    def __init__(self, data: Path | None = None):
        self.path = server_file(data)

    def _info(self) -> dict:
        info = read_server_file(self.path)
        if not info:
            raise ServerUnavailable(NOT_RUNNING)
        return info

    def request(self, method: str, path: str, timeout: float = 10, **kwargs) -> dict | str:
        info = self._info()  # re-read each time: a restarted server has a new token
        try:
            response = httpx.request(
                method,
                info["url"].rstrip("/") + path,
                timeout=timeout,
                headers={"Authorization": f"Bearer {info['token']}"},
                **kwargs,
            )
        except httpx.TransportError as exc:
            raise ServerUnavailable(NOT_RUNNING) from exc
        if response.status_code != 200:
            try:
                message = response.json()["error"]
            except ValueError:
                message = response.text[:200]
            raise RuntimeError(message)
        return response.text if response.headers.get("content-type", "").startswith("text/csv") else response.json()

    @property
    def join_base(self) -> str:
        return self._info()["join_url"]

    def room(self, after: int | None = None) -> dict:
        query = f"?after={after}" if after is not None else ""
        return self.request("GET", f"/api/instructor/room{query}", timeout=40)

    def open_room(self, new: bool = False) -> dict:
        return self.request("POST", "/api/instructor/session" + ("?new=1" if new else ""))

    def open_poll(self, case_id: str, question_id: str) -> dict:
        return self.request("POST", "/api/instructor/poll", json={"case_id": case_id, "question_id": question_id})

    def set_status(self, action: str, poll: int) -> dict:
        return self.request("POST", f"/api/instructor/{action}", json={"poll": poll})

    def summary(self) -> list[dict]:
        return self.request("GET", "/api/instructor/summary")["rows"]

    def summary_csv(self) -> str:
        return self.request("GET", "/api/instructor/summary.csv")


def qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff", title=f"QR code: {url}")


def chart_html(question, rows_by_round: dict[int, dict[str, int]], answered: dict[int, int], revealed: bool) -> str:
    """Answers per option, one bar per round side by side; the right answer named only after reveal."""
    mapping = content.letters(question)
    right = set(question.answer)
    rounds = sorted(rows_by_round)
    most = max([1, *(n for counts in rows_by_round.values() for n in counts.values())])
    head = "".join(f'<th scope="col">Round {r} ({answered.get(r, 0)} answered)</th>' for r in rounds)
    body = []
    for letter, option_id in mapping.items():
        mark = " (right answer)" if revealed and option_id in right else ""
        cells = []
        for r in rounds:
            n = rows_by_round[r].get(letter, 0)
            css = "skt-live-bar" + (" skt-live-round1" if len(rounds) > 1 and r == rounds[0] else "")
            cells.append(f'<td><span class="{css}" style="width:{int(400 * n / most)}px"></span> {n}</td>')
        label_class = ' class="skt-live-right"' if mark else ""
        body.append(f'<tr><th scope="row"{label_class}>{letter}{escape(mark)}</th>{"".join(cells)}</tr>')
    caption = "Answers per option" + (", round by round" if len(rounds) > 1 else "")
    return (
        f'<table class="skt-live-chart"><caption>{caption}</caption><thead><tr><th scope="col">Option</th>'
        f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


class LiveConsole:
    """The live session: open the room, put questions to it, watch the answers arrive, reveal, ask again."""

    def __init__(
        self,
        bank: Bank | None = None,
        plan: str | Iterable[str] = "guide",
        client: ClassClient | None = None,
        follow: bool = True,
    ):
        from skintriage.instructor.session import GUIDE_CASES, shipped_bank

        self.bank = bank or shipped_bank()
        self.client = client or ClassClient()
        self.plans = {"guide": list(GUIDE_CASES), "all": list(self.bank)}
        if not isinstance(plan, str):
            self.plans["custom"] = list(plan)
            plan = "custom"
        if plan not in self.plans:
            raise KeyError(f"no session plan '{plan}': choose one of {', '.join(self.plans)}")
        self.room: dict = {"session": None}
        self._render_lock = threading.RLock()
        self.last_error = ""

        self.plan_picker = widgets.Dropdown(
            options=[(PLANS.get(k, "This notebook's list"), k) for k in self.plans],
            value=plan,
            description="Plan",
            layout=widgets.Layout(width="auto"),
        )
        self.case_picker = widgets.Dropdown(description="Case", layout=widgets.Layout(width="auto", max_width="100%"))
        self.question_picker = widgets.Dropdown(description="Question", layout=widgets.Layout(width="auto"))
        self.room_button = self._button("Open the room", "skt-live-room", "Create the class session: code and QR")
        self.previous_button = self._button("\u2190 Previous", "skt-live-previous", "Previous question (left arrow)")
        self.next_button = self._button("Next \u2192", "skt-live-next", "Next question (right arrow)")
        self.open_button = self._button("Open voting", "skt-live-open", "Put this question to the room (O)")
        self.close_button = self._button("Close voting", "skt-live-close", "Stop taking answers, show the chart (C)")
        self.reveal_button = self._button("Reveal (R)", "skt-live-reveal", "Show the right answer on every phone")
        self.again_button = self._button(
            "Second round", "skt-live-again", "Ask the same question again after discussion (peer instruction)"
        )
        self.export_button = self._button("Class summary (CSV)", "skt-live-export", "Per question and round")
        self.join_toggle = widgets.ToggleButton(
            value=True, description="Join details", tooltip="Show or hide the code and QR code"
        )
        self.join_toggle.add_class("skt-live-join-toggle")
        self.join_box = widgets.HTML()
        self.count = widgets.HTML()
        self.count.add_class("skt-live-count-box")
        self.stage = widgets.HTML()  # the case and question as projected
        self.chart = widgets.HTML()
        self.explanation = widgets.HTML()
        self.export = widgets.HTML()
        self.message = widgets.HTML()

        controls = widgets.HBox(
            [
                self.previous_button,
                self.next_button,
                self.open_button,
                self.close_button,
                self.reveal_button,
                self.again_button,
                self.join_toggle,
            ]
        )
        controls.add_class("skt-live-controls")
        setup = widgets.HBox(
            [self.room_button, self.plan_picker, self.case_picker, self.question_picker, self.export_button]
        )
        setup.add_class("skt-live-setup")
        setup.layout.flex_flow = "row wrap"
        self.box = widgets.VBox(
            [
                widgets.HTML(STYLE),
                controls,
                self.message,
                self.join_box,
                self.count,
                self.stage,
                self.chart,
                self.explanation,
                setup,
                self.export,
            ]
        )
        self.box.add_class("skt-live")

        self.plan_picker.observe(lambda change: self._fill_cases(), names="value")
        self.case_picker.observe(lambda change: self._fill_questions(), names="value")
        self.question_picker.observe(lambda change: self._render(), names="value")
        self.room_button.on_click(lambda _: self._safely(self.open_room))
        self.previous_button.on_click(lambda _: self.step(-1))
        self.next_button.on_click(lambda _: self.step(1))
        self.open_button.on_click(lambda _: self._safely(self.open_voting))
        self.again_button.on_click(lambda _: self._safely(self.open_voting))
        self.close_button.on_click(lambda _: self._safely(self.close_voting))
        self.reveal_button.on_click(lambda _: self._safely(self.reveal))
        self.export_button.on_click(lambda _: self._safely(self.export_csv))
        self.join_toggle.observe(lambda change: self._show(self.room), names="value")
        self._fill_cases()
        self._safely(self.refresh)
        self._stop = threading.Event()
        if follow:
            threading.Thread(target=self._follow, name="skt-live-follow", daemon=True).start()

    # --- widgets ----------------------------------------------------------------------------------------------

    @staticmethod
    def _button(text: str, css: str, tooltip: str) -> widgets.Button:
        button = widgets.Button(description=text, tooltip=tooltip, layout=widgets.Layout(width="auto"))
        button.add_class(css)
        return button

    def _fill_cases(self) -> None:
        ids = self.plans[self.plan_picker.value]
        # Neutral labels: the category would give the answer away before the room votes.
        self.case_picker.options = [(f"Case {n}: {self.bank[i].assessment_title}", i) for n, i in enumerate(ids, 1)]
        self.case_picker.value = ids[0]
        self._fill_questions()

    def _fill_questions(self) -> None:
        case = self.case
        self.question_picker.options = [
            (f"{n} of {len(case.questions)}", q.id) for n, q in enumerate(case.questions, 1)
        ]
        self.question_picker.value = case.questions[0].id
        self._render()

    @property
    def case(self):
        return self.bank[self.case_picker.value]

    @property
    def question(self):
        return next(q for q in self.case.questions if q.id == self.question_picker.value)

    # --- what the instructor does -----------------------------------------------------------------------------

    def _safely(self, action) -> None:
        try:
            action()
            self.last_error = ""
        except Exception as exc:  # shown in the console: a session must never stop on one failed click
            self.last_error = str(exc)
        self._render()

    def open_room(self) -> None:
        self.client.open_room()
        self.join_toggle.value = True
        self.refresh()

    def open_voting(self) -> None:
        self.client.open_poll(self.case.id, self.question.id)
        self.join_toggle.value = False  # the projector now shows the question, not the join details
        self.refresh()

    def close_voting(self) -> None:
        poll = self.current_poll()
        if poll:
            self.client.set_status("close", poll["id"])
            self.refresh()

    def reveal(self) -> None:
        poll = self.current_poll()
        if poll:
            self.client.set_status("reveal", poll["id"])
            self.refresh()

    def step(self, delta: int) -> None:
        """The next or previous question, across cases in the plan's order."""
        ids = self.plans[self.plan_picker.value]
        steps = [(c, q.id) for c in ids for q in self.bank[c].questions]
        here = steps.index((self.case.id, self.question.id))
        target = here + delta
        if 0 <= target < len(steps):
            case_id, question_id = steps[target]
            if case_id != self.case.id:
                self.case_picker.value = case_id
            self.question_picker.value = question_id

    def export_csv(self) -> Path:
        """Write the class summary to the data folder and offer it as a download link."""
        text = self.client.summary_csv()
        code = (self.room.get("session") or {}).get("code", "session")
        path = self.client.path.parent / f"class-summary-{code}.csv"
        path.write_text(text, encoding="utf-8")
        rows = len(list(csv.DictReader(io.StringIO(text))))
        import base64

        data = base64.b64encode(text.encode()).decode()
        self.export.value = (
            f"<p>Class summary: {rows} rows, saved as <code>{escape(path)}</code>. "
            f'<a download="{escape(path.name)}" href="data:text/csv;base64,{data}">'
            f"Download the CSV</a></p>"
        )
        return path

    def refresh(self, room: dict | None = None) -> None:
        self._show(room if room is not None else self.client.room())

    def _show(self, room: dict) -> None:
        """Render a room state unless a newer one is already shown.

        Button clicks and the follow thread both fetch the room; a long poll that started before a click can
        answer after it, and must not put the older state back on the projector. Versions count from 0 again
        when the server restarts, so they are compared only within one server process (its ``boot`` id).
        """
        with self._render_lock:
            shown = self.room or {}
            version, before = room.get("version"), shown.get("version")
            same_server = room.get("boot") == shown.get("boot")
            if same_server and version is not None and before is not None and version < before:
                return
            self.room = room
            self._draw()

    def current_poll(self) -> dict | None:
        return (self.room or {}).get("poll")

    def stop(self) -> None:
        self._stop.set()

    def _follow(self) -> None:
        version = None
        while not self._stop.is_set():
            try:
                room = self.client.room(after=version)
                version = room.get("version")
                self._show(room)
            except Exception:
                self._stop.wait(1.0)  # server down or restarting: try again shortly

    # --- the projected view -----------------------------------------------------------------------------------

    def _poll_matches(self, poll: dict | None) -> bool:
        return bool(poll) and poll["case_id"] == self.case.id and poll["question_id"] == self.question.id

    def _render(self) -> None:
        with self._render_lock:  # the follow thread and the widget callbacks both draw
            self._draw()

    def _draw(self) -> None:
        room = self.room or {"session": None}
        session = room.get("session")
        poll = self.current_poll()
        here = self._poll_matches(poll)
        status = poll["status"] if here else None
        shown = self.last_error if self.last_error == NOT_RUNNING else escape(self.last_error)
        self.message.value = f'<p role="alert">{shown}</p>' if self.last_error else ""
        self.room_button.description = "New room" if session else "Open the room"
        self.open_button.disabled = not session or here  # asked already: the next ask is a new round
        self.again_button.disabled = not session or not here or status == "open"
        self.again_button.description = f"Round {poll['round'] + 1}" if here and status != "open" else "Second round"
        self.close_button.disabled = status != "open"
        self.reveal_button.disabled = status not in ("open", "closed")

        if session and self.join_toggle.value:
            url = session["join_url"]
            self.join_box.value = (
                f'<div class="skt-live-join"><div>{qr_svg(url)}</div><div><p>Join on your phone:</p>'
                f'<p><code class="skt-live-url">{escape(url.split("?")[0])}</code></p><p>Session code</p>'
                f'<p class="skt-live-code">{escape(session["code"])}</p></div></div>'
            )
        else:
            self.join_box.value = ""

        case, question = self.case, self.question
        revealed = status == "revealed"
        mapping = content.letters(question)
        items = []
        for i, (letter, option_id) in enumerate(mapping.items()):
            right = revealed and option_id in question.answer
            items.append(
                f'<li{RIGHT_CLASS if right else ""}><span class="skt-live-letter">{letter}.</span> '
                f"{render.markdown_inline(question.options[i].text)}{' (right answer)' if right else ''}</li>"
            )
        options = "".join(items)
        number = [q.id for q in case.questions].index(question.id) + 1
        self.stage.value = (
            f'<div class="skt-live-read">{content.case_html(case)}'
            f"<p><strong>Question {number} of {len(case.questions)}.</strong> "
            f'{render.markdown_inline(question.stem)}</p><ul class="skt-live-options">{options}</ul></div>'
        )

        if here and status in ("closed", "revealed"):
            self.chart.value = self._chart(poll, revealed)
        else:
            self.chart.value = ""
        explanation = ""
        if revealed:
            explanation = f'<div class="skt-live-read">{render.markdown_block(question.explanation)}'
            if question.id == case.questions[-1].id:  # the case's last question: what the triage rules say
                from skintriage.instructor.session import verdict_html

                explanation += verdict_html(case)
            explanation += "</div>"
        self.explanation.value = explanation

        # The count line is announced (aria-live): set it last, once the chart and answer it speaks of are shown.
        seats = room.get("seats", 0)
        if here:
            state = {"open": "Voting open", "closed": "Voting closed", "revealed": "Answer revealed"}[status]
            self.count.value = (
                f'<p class="skt-live-count" aria-live="polite">{poll["answered"]} of {seats} '
                f"answered. {state}, round {poll['round']}.</p>"
            )
        elif session:
            self.count.value = f'<p class="skt-live-count" aria-live="polite">{seats} joined.</p>'
        else:
            self.count.value = ""

    def _chart(self, poll: dict, revealed: bool) -> str:
        rounds = {poll["round"]: poll["counts"]}
        answered = {poll["round"]: poll["answered"]}
        if poll["round"] > 1:
            try:
                for row in self.client.summary():
                    if (row["case_id"], row["question_id"]) == (poll["case_id"], poll["question_id"]) and row[
                        "round"
                    ] < poll["round"]:
                        rounds.setdefault(row["round"], {})[row["option"]] = row["chosen_by"]
                        answered[row["round"]] = row["answered"]
            except Exception:
                pass
            rounds = {r: rounds[r] for r in sorted(rounds)[-2:]}  # the last two rounds, side by side
        return chart_html(self.question, rounds, answered, revealed)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.box._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/plain"] = "Live session console (run it in JupyterLab or Voila to see the controls)."
        return bundle


def keyboard_shortcuts():
    """Arrow keys step through questions, R reveals, O opens and C closes voting (in Voilà and JupyterLab)."""
    from IPython.display import Javascript

    return Javascript(KEYS_JS)


__all__ = ["ClassClient", "LiveConsole", "chart_html", "keyboard_shortcuts", "qr_svg"]
