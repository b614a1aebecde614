"""Changing an open ledger record, and what the user sees when someone else saved it first."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

import ipywidgets as widgets

from casework import vocab
from casework.errors import FieldChange, StaleRecord, ValidationError
from casework.i18n import Message
from casework.services import persons
from casework.ui.fields import Field, to_json
from casework.ui.forms import Form
from casework.ui.shell import AppContext

BOX = "border-left:4px solid #b00020;padding:0.3em 0.8em;margin:0.5em 0;background:#fff5f5"
CELL = "padding:0.2em 0.8em;text-align:left;vertical-align:top"
VOCABULARIES = {"sex": "sex", "category": "category", "education": "education",
                "income_band": "income_band"}


class PersonEditor(widgets.VBox):
    """The open record in a form; saving sends only the fields the user changed.

    When someone else saved the record after it was opened, nothing is written: the status
    line says so and the ``cw-conflict`` block lists each field they changed, with the value
    this user read, the value saved now, what this user typed there, and who saved it when.
    What was typed stays in the form.

    **Reload** (``cw-action-reload``) reads the record again, as a caseworker re-reading the
    file would: a field only the other person changed shows their saved value; a field only
    this user changed keeps what they typed; a field both changed shows the saved value,
    because overwriting a colleague's newer entry should be a deliberate act. What this user
    had typed there stays listed in the conflict block to re-enter if still meant. The next
    save is then checked against the version just read.
    """

    def __init__(self, ctx: AppContext, fields: list[Field], *,
                 on_saved: Callable[[], None]) -> None:
        self.ctx, self.on_saved = ctx, on_saved
        self.person_id: int | None = None
        self.version = 0
        self.read: dict = {}  # the values as the form showed them when the record was read
        self.stale: StaleRecord | None = None  # the refusal the conflict block shows
        self.form = Form(fields, lang=ctx.lang, on_save=self._save, action="update",
                         save_label="conflicts.save", name="edit")
        self.conflict = widgets.HTML("")
        self.conflict.add_class("cw-conflict")
        self.reload_button = widgets.Button(description=ctx.t("conflicts.reload"),
                                            layout=widgets.Layout(display="none"))
        self.reload_button.add_class("cw-action-reload")
        self.reload_button.on_click(lambda _b: self.reload())
        self.labels = {f.name: f for f in fields}
        super().__init__([self.form, self.conflict, self.reload_button])
        self.add_class("cw-person-edit")

    def show_record(self, person_id: int | None, record: persons.PersonDetail | None) -> None:
        """Show ``record`` as read now: its values become both the form and the reading."""
        self.person_id = person_id
        self._conflict(None)
        if record is None:
            self.form.clear()
            self.read, self.version = {}, 0
            return
        self.form.clear({k: v for k, v in record.values.items() if k in self.form.inputs})
        self.read, self.version = self.form.values(), record.version

    def typed_changes(self) -> dict:
        """The fields whose value the user changed since the record was read."""
        return {k: v for k, v in self.form.values().items() if v != self.read.get(k)}

    def _save(self, values: dict) -> str:
        if self.person_id is None:
            raise ValidationError({"person": Message("ledger.open_first")})
        changes = self.typed_changes()
        if not changes:
            return self.ctx.t("conflicts.nothing_changed")
        try:
            persons.update_person(self.ctx.actor, self.ctx.uow, person_id=self.person_id,
                                  expected_version=self.version, changes=changes)
        except StaleRecord as exc:
            self._conflict(exc, typed=changes)
            raise StaleRecord("conflicts.status", changes=exc.changes,
                              count=len(exc.changes)) from exc
        self.show_record(self.person_id, self._detail())
        self.on_saved()
        return self.ctx.t("conflicts.saved")

    def reload(self) -> None:
        """Read the record again, keeping what the user typed where nobody else changed it."""
        typed = self.typed_changes()
        theirs = set(self.stale.fields) if self.stale else set()
        stale = self.stale
        self.show_record(self.person_id, self._detail())
        kept = {k: to_json(self.labels[k], v) for k, v in typed.items() if k not in theirs}
        self.form.set_values(kept)
        if stale is not None:
            self.conflict.value = self._conflict_html(stale, typed, reloaded=True)
        self.form.set_status(self.ctx.t("conflicts.reloaded"), "info")
        self.on_saved()

    def _detail(self) -> persons.PersonDetail:
        return persons.get_person(self.ctx.actor, self.ctx.uow, person_id=self.person_id)

    def _conflict(self, exc: StaleRecord | None, typed: dict | None = None) -> None:
        self.stale = exc
        self.conflict.value = "" if exc is None else self._conflict_html(exc, typed or {})
        self.reload_button.layout.display = "none" if exc is None else ""

    def _conflict_html(self, exc: StaleRecord, typed: dict, *, reloaded: bool = False) -> str:
        t = self.ctx.t
        heads = "".join(f"<th style=\"{CELL}\">{html.escape(t(f'conflicts.column.{c}'))}</th>"
                        for c in ("field", "read", "now", "yours", "by"))
        rows = "".join(self._row(c, typed) for c in exc.changes)
        note = t("conflicts.after_reload" if reloaded else "conflicts.explain")
        return (f'<div class="cw-conflict-list" style="{BOX}"><p>{html.escape(note)}</p>'
                f"<table><tr>{heads}</tr>{rows}</table></div>")

    def _row(self, change: FieldChange, typed: dict) -> str:
        t, name = self.ctx.t, change.field
        yours = (self._shown(name, to_json(self.labels[name], typed[name]))
                 if name in typed and name in self.labels else "—")
        cells = (("label", t(f"ledger.field.{name}")),
                 ("read", self._shown(name, change.read)), ("now", self._shown(name, change.now)),
                 ("yours", yours), ("by", t("conflicts.by", who=change.by, at=_when(change.at))))
        tds = "".join(f'<td class="cw-conflict-{k}" style="{CELL}">{html.escape(v)}</td>'
                      for k, v in cells)
        return f'<tr class="cw-conflict-field-{html.escape(name)}">{tds}</tr>'

    def _shown(self, name: str, value) -> str:
        if value in (None, "", []):
            return "—"
        if name == "community_id" and name in self.labels:
            found = dict((v, k) for k, v in self.labels[name].options(self.ctx.lang))
            return found.get(value, str(value))
        return shown_value(name, value, self.ctx.lang)


def shown_value(key: str, value, lang: str) -> str:
    """A stored value as a reader expects it: labels, not codes."""
    if key in VOCABULARIES:
        return vocab.label(VOCABULARIES[key], value, lang)
    if key == "skills":
        return ", ".join(vocab.skills()[c].name(lang) for c in value if c in vocab.skills())
    return str(value)


def _when(at: dt.datetime | None) -> str:
    """The save's time on this server's clock (the city's), to the minute."""
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at else "—"
