"""The affairs-agency app (劳动保障事务代理) for the street office: the personnel files in its
custody (receive, release) and social-insurance continuations, street by street."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets

from casework import access, agency_rules, vocab
from casework.errors import ValidationError
from casework.i18n import Message
from casework.policy import load_policy
from casework.services import agency, org
from casework.ui import format as fmt
from casework.ui.common import (
    html_box,
    problem_page,
    required,
    state_badge,
    table_html,
    title,
    vocab_options,
)
from casework.ui.fields import Field
from casework.ui.forms import Form, forms_for
from casework.ui.person_picker import searching
from casework.ui.shell import AppContext

# form name: (action class, save label)
ACTIONS = {"receive": ("receive-file", "agency_ui.receive"),
           "release": ("release-file", "agency_ui.release"),
           "continuation": ("record-continuation", "agency_ui.record_continuation")}
FILE_STATES = {"released": "done", "held": "upcoming"}
FILE_COLUMNS = ("number", "person", "status", "received_on", "received_from", "released_on",
                "released_to", "fee")
CONTINUATION_COLUMNS = ("person", "kind", "from_unit", "to_unit", "months", "continued_on",
                        "fee")


def _field(name: str, kind: str, options=None, required: bool = False) -> Field:
    return Field(name, kind, f"agency_ui.field.{name}", options, required)


def _who(name: str | None, person_id: int) -> str:
    return f"{name or ''} ({person_id})"


class AgencyApp(widgets.VBox):
    """Filters (street, file status), the two lists and, for the street office, three forms."""

    def __init__(self, ctx: AppContext, *, today: dt.date | None = None) -> None:
        self.ctx, self.today = ctx, today or ctx.uow.today()
        self.streets = org.streets_for(ctx.actor, ctx.uow)
        self.street = widgets.Dropdown(options=[(s.name(ctx.lang), s.id) for s in self.streets],
                                       value=self.streets[0].id if self.streets else None)
        self.street.add_class("cw-field-street")
        self.street.description = ctx.t("agency_ui.field.street")  # its own <label>
        self.status = widgets.Dropdown(options=[(ctx.t("agency_ui.all"), None)] + vocab_options(
            "file_status", agency_rules.FILE_STATES)(ctx.lang), index=0)
        self.status.add_class("cw-field-file_status")
        self.status.description = ctx.t("agency_ui.field.file_status")
        self.file_list, self.continuation_list = map(html_box, ("cw-file-list",
                                                                "cw-continuation-list"))
        self.rows: list[agency.FileRow] = []
        self.held: list[agency.FileRow] = []
        self.forms: dict[str, Form] = {}
        self.refresh()
        for widget in (self.street, self.status):
            widget.style.description_width = "initial"
        filters = widgets.HBox([self.street, self.status])
        parts = [title(ctx, "apps.agency.title"), self._fees_note(), filters,
                 self._heading("files"), self.file_list]
        if access.may(ctx.actor, "affairs_agency"):
            self._build_forms()
            parts += [self._heading("receive"), self.forms["receive"],
                      self._heading("release"), self.forms["release"]]
        parts += [self._heading("continuations"), self.continuation_list]
        if self.forms:
            parts += [self._heading("continuation"), self.forms["continuation"]]
        else:
            parts.append(widgets.HTML(f"<p>{html.escape(ctx.t('agency_ui.read_only'))}</p>"))
        super().__init__(parts)
        self.add_class("cw-agency")
        self.street.observe(lambda _c: self._after_save(None), names="value")
        self.status.observe(lambda _c: self.refresh(), names="value")

    # Lists
    def refresh(self) -> None:
        actor, uow, street = self.ctx.actor, self.ctx.uow, self.street.value
        self.rows = agency.files(actor, uow, street_id=street, status=self.status.value)
        self.held = agency.files(actor, uow, street_id=street, status="held")
        self.file_list.value = self._files_html()
        self.continuation_list.value = self._continuations_html(
            agency.continuations(actor, uow, street_id=street))

    def _files_html(self) -> str:
        t, lang = self.ctx.t, self.ctx.lang
        if not self.rows:
            return f"<p>{html.escape(t('agency_ui.no_files'))}</p>"
        body = "".join(
            f'<tr class="cw-file cw-file-{r.status}" data-file="{r.id}" data-person='
            f'"{r.person_id}"><td>{html.escape(r.file_number)}</td>'
            f"<td>{html.escape(_who(r.name, r.person_id))}</td>"
            f"<td>{self._status_html(r)}</td><td>{fmt.date(r.received_on, lang)}</td>"
            f"<td>{html.escape(r.received_from or t('agency_ui.opened_here'))}</td>"
            f"<td>{fmt.date(r.released_on, lang) if r.released_on else ''}</td>"
            f"<td>{html.escape(r.released_to or '')}</td>"
            f"<td>{fmt.yuan(r.annual_fee_yuan, lang)}</td></tr>" for r in self.rows)
        heads = {c: t(f"agency_ui.col.{c}") for c in FILE_COLUMNS}
        return table_html(heads, body, max_height="18em")

    def _status_html(self, row: agency.FileRow) -> str:
        """A released file's custody is done (green); a held one asks nothing yet (muted)."""
        return state_badge(self.ctx, FILE_STATES.get(row.status, "upcoming"),
                           vocab.label("file_status", row.status, self.ctx.lang))

    def _continuations_html(self, rows: list[agency.ContinuationRow]) -> str:
        t, lang = self.ctx.t, self.ctx.lang
        if not rows:
            return f"<p>{html.escape(t('agency_ui.no_continuations'))}</p>"
        body = "".join(
            f'<tr class="cw-continuation" data-continuation="{c.id}" data-person="{c.person_id}">'
            f"<td>{html.escape(_who(c.name, c.person_id))}</td>"
            f"<td>{html.escape(vocab.label('insurance_kind', c.kind, lang))}</td>"
            f"<td>{html.escape(c.from_unit or '')}</td><td>{html.escape(c.to_unit or '')}</td>"
            f"<td>{fmt.number(c.months_credited) if c.months_credited is not None else ''}</td>"
            f"<td>{fmt.date(c.continued_on, lang)}</td><td>{fmt.yuan(c.fee_yuan, lang)}</td>"
            "</tr>" for c in rows)
        heads = {c: t(f"agency_ui.col.{c}") for c in CONTINUATION_COLUMNS}
        return table_html(heads, body, max_height="14em")

    def _fees_note(self) -> widgets.HTML:
        fees = agency_rules.low_fees(load_policy())
        note = widgets.HTML("<p><small>" + html.escape(self.ctx.t(
            "agency_ui.fees_note", custody=fees["file_custody"],
            continuation=fees["continuation"])) + "</small></p>")
        note.add_class("cw-fees-note")
        return note

    def _heading(self, name: str) -> widgets.HTML:
        return widgets.HTML(f"<h3>{html.escape(self.ctx.t(f'agency_ui.section.{name}'))}</h3>")

    # Forms
    def _build_forms(self) -> None:
        person = [_field("person", "person", searching(self.ctx.actor, self.ctx.uow), True)]
        specs = {
            "receive": (person + [
                _field("file_number", "text", required=True),
                _field("received_on", "date", required=True),
                _field("received_from", "text", required=True),
                _field("fee_yuan", "int"), _field("remark", "textarea")], self._receive),
            "release": ([_field("file", "choice", self._file_options, True),
                         _field("released_on", "date", required=True),
                         _field("released_to", "text", required=True)], self._release),
            "continuation": (person + [
                _field("kind", "choice", vocab_options("insurance_kind",
                                                       agency_rules.INSURANCE_KINDS), True),
                _field("from_unit", "text", required=True),
                _field("to_unit", "text", required=True),
                _field("months_credited", "int"),
                _field("continued_on", "date", required=True),
                _field("fee_yuan", "int"), _field("remark", "textarea")], self._continue),
        }
        self.forms = forms_for(specs, ACTIONS, lang=self.ctx.lang, after_save=self._after_save,
                               defaults=self._defaults)

    def _file_options(self, _lang: str) -> list[tuple[str, int]]:
        return [(f"{r.file_number} · {_who(r.name, r.person_id)}", r.id) for r in self.held]

    def _defaults(self, name: str) -> dict:
        day = self.today.isoformat()
        return {"receive": {"received_on": day}, "release": {"released_on": day},
                "continuation": {"continued_on": day}}[name]

    def _after_save(self, name: str | None) -> None:
        self.refresh()
        for form_name, form in self.forms.items():
            if form_name == name:
                form.clear(self._defaults(name))
            form.reload_options()

    # Saves: each calls one service and returns the status line's text.
    def _receive(self, values: dict) -> str:
        command = agency.ReceiveFile(
            person_id=_chosen(values, "person"), file_number=values["file_number"],
            received_on=values["received_on"], received_from=values["received_from"],
            fee_yuan=_count(values, "fee_yuan"), remark=values["remark"])
        agency.receive_file(self.ctx.actor, self.ctx.uow, command=command)
        return self.ctx.t("agency_ui.received", number=values["file_number"])

    def _release(self, values: dict) -> str:
        row = next((r for r in self.held if r.id == values["file"]), None)
        if row is None:
            raise required("file")
        command = agency.ReleaseFile(file_id=row.id, expected_version=row.version,
                                     released_on=values["released_on"],
                                     released_to=values["released_to"])
        agency.release_file(self.ctx.actor, self.ctx.uow, command=command)
        return self.ctx.t("agency_ui.released", number=row.file_number,
                          to=values["released_to"])

    def _continue(self, values: dict) -> str:
        command = agency.Continuation(
            person_id=_chosen(values, "person"), kind=values["kind"],
            from_unit=values["from_unit"], to_unit=values["to_unit"],
            months_credited=_count(values, "months_credited"),
            continued_on=values["continued_on"], fee_yuan=_count(values, "fee_yuan"),
            remark=values["remark"])
        agency.record_continuation(self.ctx.actor, self.ctx.uow, command=command)
        return self.ctx.t("agency_ui.continued", kind=vocab.label(
            "insurance_kind", values["kind"], self.ctx.lang))


def _chosen(values: dict, name: str) -> int:
    if values[name] is None:
        raise required(name)
    return values[name]


def _count(values: dict, name: str) -> int | None:
    """A count field: blank, or a whole number (what else was typed is refused beside it)."""
    value = values[name]
    if value is not None and not isinstance(value, int):
        raise ValidationError({name: Message("agency.not_a_count")})
    return value


def build_agency(ctx: AppContext) -> widgets.Widget:
    return AgencyApp(ctx) if ctx.actor else problem_page(ctx)
