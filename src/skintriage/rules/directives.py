"""Sphinx side of the printed protocol: pages show the rules' bands and quote their checklist lines, never a copy.

``{skt-bands}`` (a directive) renders :func:`~skintriage.rules.protocol.band_table_markdown`; options
``:columns: band signs route`` (any of :data:`~skintriage.rules.protocol.COLUMNS`), ``:bands: emergency same_day``
(some bands only) and ``:class:``. ``{skt-sign}`\\`id\\``` (a role) gives one checklist line in quotes with its
band, e.g. ``“Pain getting worse instead of settling” (same day)``. An unknown id, band or column is a build error
(the builds run with warnings as errors). Each page that uses them is re-read when the rules file changes.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective, SphinxRole

from skintriage import course
from skintriage.bank.loader import BankError
from skintriage.rules.model import load_rules
from skintriage.rules.protocol import band_table_markdown, find_sign, sign_quote


def _words(argument: str | None) -> list[str]:
    return (argument or "").replace(",", " ").split()


class BandsDirective(SphinxDirective):
    """The rules' bands as a table: heading, checklist lines, route (or the columns asked for)."""

    has_content = False
    option_spec = {"columns": _words, "bands": _words, "class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(course.RULES_FILE))
        options = {"columns": tuple(self.options["columns"])} if self.options.get("columns") else {}
        if self.options.get("bands"):
            options["actions"] = self.options["bands"]
        if self.options.get("class"):
            options["css_class"] = " ".join(["skt-bands", *self.options["class"]])
        try:
            text = band_table_markdown(load_rules(), **options)
        except (ValueError, BankError) as error:
            raise self.error(f"skt-bands: {error}") from None
        container = nodes.container()
        self.state.nested_parse(StringList(text.splitlines(), source=self.get_source_info()[0]), 0, container)
        return container.children


class SignRole(SphinxRole):
    """One checklist line, quoted with its band (plain text: docutils escapes it in every output)."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        self.env.note_dependency(str(course.RULES_FILE))
        rule_id = self.text.strip()
        try:
            rules = load_rules()
            _, band = find_sign(rule_id, rules)
            text = sign_quote(rule_id, rules)
        except (KeyError, BankError) as error:
            message = self.inliner.reporter.error(f"skt-sign: {error}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, message)], [message]
        return [nodes.inline(self.rawtext, text, classes=["skt-sign", f"skt-sign-{band.action}"])], []


def setup(app: Sphinx) -> dict:
    app.add_directive("skt-bands", BandsDirective)
    app.add_role("skt-sign", SignRole())
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
