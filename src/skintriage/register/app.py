"""The clinic lead's register as an ipywidgets app (``notebooks/training_register.ipynb``, ``make register``).

It shows who passed and when, who failed, who never took the check, who is due within 30 days or overdue
(refresher interval configurable), filters by site and role, the team's scores by topic as a heat map, the
question statistics, and CSV/XLSX exports for audits. Every name is escaped where it is shown.
"""

from __future__ import annotations

import base64
import io
from datetime import datetime

import ipywidgets as widgets
from IPython.display import display
from sqlalchemy.orm import Session

from skintriage.bank.loader import load_exam_bank
from skintriage.web.render import escape

from .attempts import DEFAULT_REFRESHER_MONTHS, RegisterConfig, engine_for
from .report import (
    DUE_WINDOW_DAYS,
    STATUSES,
    counts,
    heatmap_figure,
    sites_and_roles,
    staff_rows,
    stats_figure,
    stored_question_stats,
    to_csv,
    to_xlsx,
    topic_scores,
)

ALL = "All"
STATUS_CLASS = {"passed": "ok", "due soon": "due", "overdue": "bad", "failed": "bad", "never taken": "none"}

_STYLE = """<style>
.skt-reg table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.95em; }
.skt-reg th, .skt-reg td { border: 1px solid #8a8a8a; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
.skt-reg th { background: #e8eef5; }
.skt-reg .st-ok { color: #1b5e20; font-weight: bold; }
.skt-reg .st-due { color: #7a4f00; font-weight: bold; }
.skt-reg .st-bad { color: #b71c1c; font-weight: bold; }
.skt-reg .st-none { color: #333333; font-weight: bold; }
.skt-reg img { max-width: 100%; height: auto; }
</style>"""


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _download(data: bytes, mime: str, filename: str, text: str) -> str:
    payload = base64.b64encode(data).decode("ascii")
    return f'<a download="{escape(filename)}" href="data:{mime};base64,{payload}">{escape(text)}</a>'


class RegisterApp:
    def __init__(
        self,
        config: RegisterConfig | None = None,
        *,
        refresher_months: int = DEFAULT_REFRESHER_MONTHS,
        due_window_days: int = DUE_WINDOW_DAYS,
        now: datetime | None = None,
    ):
        self.config = config or RegisterConfig()
        self.engine = engine_for(self.config)
        self.now = now
        self.due_window_days = due_window_days
        with Session(self.engine) as session:
            sites, roles = sites_and_roles(session)
        self.site = widgets.Dropdown(options=[ALL, *sites], value=ALL, description="Site")
        self.role = widgets.Dropdown(options=[ALL, *roles], value=ALL, description="Role")
        self.months = widgets.BoundedIntText(
            value=refresher_months,
            min=1,
            max=120,
            description="Refresher (months)",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="16em"),
        )
        for control in (self.site, self.role, self.months):
            control.observe(lambda _change: self.refresh(), names="value")
        self.output = widgets.HTML()
        self.output.add_class("skt-reg")
        self.widget = widgets.VBox(
            [
                widgets.HTML(_STYLE),
                widgets.HBox([self.site, self.role, self.months], layout=widgets.Layout(flex_flow="row wrap")),
                self.output,
            ]
        )
        self.refresh()

    def rows(self):
        with Session(self.engine) as session:
            return staff_rows(
                session,
                now=self.now,
                refresher_months=int(self.months.value),
                due_window_days=self.due_window_days,
                site=None if self.site.value == ALL else self.site.value,
                role=None if self.role.value == ALL else self.role.value,
            )

    def refresh(self) -> None:
        rows = self.rows()
        self.output.value = "".join(
            [
                self.summary_html(rows),
                self.table_html(rows),
                self.exports_html(rows),
                self.heatmap_html(rows),
                self.stats_html(),
            ]
        )

    def summary_html(self, rows) -> str:
        found = counts(rows)
        items = "".join(f"<li>{escape(status)}: <strong>{found[status]}</strong></li>" for status in STATUSES)
        return (
            f"<h2>Team status</h2><p>{len(rows)} staff shown; refresher every {int(self.months.value)} months; "
            f"due soon = within {self.due_window_days} days.</p><ul class='skt-reg-counts'>{items}</ul>"
        )

    def table_html(self, rows) -> str:
        if not rows:
            return (
                "<p>No staff on the roster for this filter. Import the roster with "
                "<code>skintriage staff import staff.csv</code>.</p>"
            )
        head = (
            "<tr><th scope='col'>Staff id</th><th scope='col'>Name</th><th scope='col'>Role</th>"
            "<th scope='col'>Site</th><th scope='col'>Status</th><th scope='col'>Attempts</th>"
            "<th scope='col'>Last attempt (UTC)</th><th scope='col'>Last score</th>"
            "<th scope='col'>Last passed</th><th scope='col'>Refresher due</th></tr>"
        )
        body = "".join(
            "<tr>"
            + "".join(f"<td>{escape(str(v))}</td>" for v in (r.staff_id, r.name, r.role, r.site))
            + f"<td class='skt-reg-status st-{STATUS_CLASS[r.status]}'>{escape(r.status)}</td>"
            + "".join(
                f"<td>{escape(str(v)) or '-'}</td>"
                for v in (r.attempts, r.last_attempt, r.last_score, r.last_passed, r.refresher_due)
            )
            + "</tr>"
            for r in rows
        )
        return (
            f"<table class='skt-reg-table'><caption>Training register: one row per person</caption>"
            f"<thead>{head}</thead><tbody>{body}</tbody></table>"
        )

    def exports_html(self, rows) -> str:
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        links = [
            _download(
                to_csv(rows).encode("utf-8"), "text/csv", f"training-register_{stamp}.csv", "Export for audit (CSV)"
            ),
            _download(
                to_xlsx(rows),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                f"training-register_{stamp}.xlsx",
                "Export for audit (Excel, XLSX)",
            ),
        ]
        return "<h2>Export</h2><ul>" + "".join(f"<li>{link}</li>" for link in links) + "</ul>"

    def heatmap_html(self, rows) -> str:
        with Session(self.engine) as session:
            names, topics, matrix = topic_scores(session, [r.staff_id for r in rows])
        if not names:
            return "<h2>Scores by topic</h2><p>No attempts yet for this filter.</p>"
        alt = "Heat map of questions right by topic, latest attempt per person; the table below gives the numbers."
        cells = "".join(
            f"<tr><th scope='row'>{escape(name)}</th>"
            + "".join(f"<td>{'-' if v is None else f'{v:.0f} %'}</td>" for v in row)
            + "</tr>"
            for name, row in zip(names, matrix)
        )
        header = "".join(f"<th scope='col'>{escape(t)}</th>" for t in topics)
        return (
            f"<h2>Scores by topic</h2><img class='skt-reg-heatmap' alt='{escape(alt)}' "
            f"src='data:image/png;base64,{_png(heatmap_figure(names, topics, matrix))}'>"
            f"<table class='skt-reg-topics'><caption>Questions right by topic (latest attempt; - = not "
            f"asked)</caption><thead><tr><th scope='col'>Person</th>{header}</tr></thead><tbody>{cells}"
            f"</tbody></table>"
        )

    def stats_html(self) -> str:
        with Session(self.engine) as session:
            stats = stored_question_stats(session, load_exam_bank())
        intro = (
            "<h2>Question statistics</h2><p>First attempts only, as Moodle's quiz statistics. Facility: per "
            "cent right. Discrimination: 100 x the correlation between the question and the rest of the "
            "attempt (negative: weaker trainees do better on it). Flagged questions need an author's look.</p>"
        )
        if not stats:
            return intro + "<p>No attempts yet.</p>"
        body = "".join(
            f"<tr><td>{escape(s.question)}</td><td>{s.attempts}</td><td>{s.facility:.0f} %</td>"
            f"<td>{'-' if s.discrimination is None else f'{s.discrimination:.0f}'}</td>"
            f"<td>{escape(', '.join(f'{o} {p:.0f} %' for o, p in s.wrong_options.items()) or '-')}</td>"
            f"<td>{escape('; '.join(s.flags)) or '-'}</td></tr>"
            for s in stats
        )
        alt = "Bar chart of the facility index per question with the discrimination index as dots; the table gives the numbers."
        return (
            intro + "<table class='skt-reg-stats'><caption>Per question</caption><thead><tr>"
            "<th scope='col'>Question</th><th scope='col'>Attempts</th><th scope='col'>Facility</th>"
            "<th scope='col'>Discrimination</th><th scope='col'>Wrong options chosen</th>"
            f"<th scope='col'>Flags</th></tr></thead><tbody>{body}</tbody></table>"
            f"<img class='skt-reg-stats-chart' alt='{escape(alt)}' "
            f"src='data:image/png;base64,{_png(stats_figure(stats))}'>"
        )

    def show(self) -> None:
        display(self.widget)


def run(
    *,
    database_url: str | None = None,
    refresher_months: int = DEFAULT_REFRESHER_MONTHS,
    due_window_days: int = DUE_WINDOW_DAYS,
    now: str | None = None,
) -> RegisterApp:
    app = RegisterApp(
        RegisterConfig(url=database_url),
        refresher_months=refresher_months,
        due_window_days=due_window_days,
        now=datetime.fromisoformat(now) if now else None,
    )
    app.show()
    return app
