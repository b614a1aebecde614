"""The retirees app (离退休人员社会化管理): the street's retirees with their basic records, filtered
by pension status and service; open one to enter or edit its record."""

from __future__ import annotations

import html

import ipywidgets as widgets

from casework import agency_rules, vocab
from casework.errors import ValidationError
from casework.i18n import Message
from casework.services import org, persons, retirees
from casework.services.person_search import PersonMatches, search_persons
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
from casework.ui.forms import Form
from casework.ui.shell import AppContext

PENSION_STATES = {"receiving": "done", "pending": "due", "suspended": "refused"}
COLUMNS = ("person", "employer", "retired_on", "pension_status", "pension_monthly", "contact",
           "services")
FACT_FIELDS = ("former_employer", "retired_on", "pension_status", "pension_monthly",
               "contact_name", "contact_phone", "services", "remark")


def _field(name: str, kind: str, options=None, required: bool = False) -> Field:
    return Field(name, kind, f"retirees_ui.field.{name}", options, required)


class RetireesApp(widgets.VBox):
    """Filters, the list, and the form that opens one retiree's record."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        lang = ctx.lang
        streets = org.streets_for(ctx.actor, ctx.uow)
        self.street = self._filter("street", [(s.name(lang), s.id) for s in streets],
                                   streets[0].id if streets else None)
        self.pension_status = self._filter("pension_status_filter", [
            (ctx.t("retirees_ui.all"), None)] + vocab_options(
                "pension_status", agency_rules.PENSION_STATUSES)(lang), None)
        self.service = self._filter("service_filter", [(ctx.t("retirees_ui.all"), None)]
                                    + vocab_options("retiree_service",
                                                    agency_rules.RETIREE_SERVICES)(lang), None)
        self.rows: list[retirees.RetireeRow] = []
        self.table = html_box("cw-retiree-list")
        self.refresh()
        filters = widgets.HBox([self.street, self.pension_status, self.service])
        parts = [title(ctx, "apps.retirees.title"), filters, self.table]
        self.form: Form | None = None
        self.opened: retirees.RetireeRow | None = None
        if persons.may_write(ctx.actor):
            self.form = self._build_form()
            parts += [widgets.HTML(f"<h3>{html.escape(ctx.t('retirees_ui.section.record'))}"
                                   "</h3>"), self.form]
        else:
            parts.append(widgets.HTML(f"<p>{html.escape(ctx.t('retirees_ui.read_only'))}</p>"))
        super().__init__(parts)
        self.add_class("cw-retirees")
        for widget in (self.street, self.pension_status, self.service):
            widget.observe(lambda _c: self._filtered(), names="value")

    def _filter(self, name: str, options: list, value) -> widgets.Dropdown:
        widget = widgets.Dropdown(options=options, style={"description_width": "initial"},
                                  description=self.ctx.t(f"retirees_ui.field.{name}"))
        widget.index = next((i for i, (_, v) in enumerate(options) if v == value), None)
        widget.add_class(f"cw-field-{name}")
        return widget

    # The list
    def refresh(self) -> None:
        self.rows = retirees.retirees(self.ctx.actor, self.ctx.uow, street_id=self.street.value,
                                      pension_status=self.pension_status.value,
                                      service=self.service.value)
        self.table.value = self._html()

    def _filtered(self) -> None:
        self.refresh()
        if self.form is not None:
            self.form.reload_options()

    def _html(self) -> str:
        t, lang = self.ctx.t, self.ctx.lang
        if not self.rows:
            return f"<p>{html.escape(t('retirees_ui.none'))}</p>"
        body = "".join(
            f'<tr class="cw-retiree cw-retiree-{r.pension_status or "no_record"}" '
            f'data-person="{r.person_id}"><td>{html.escape(_who(r))}</td>'
            f"<td>{html.escape(r.former_employer or t('retirees_ui.no_record'))}</td>"
            f"<td>{fmt.date(r.retired_on, lang) if r.retired_on else ''}</td>"
            f"<td>{self._pension_html(r.pension_status)}</td>"
            f"<td>{'' if r.pension_monthly is None else fmt.yuan(r.pension_monthly, lang)}</td>"
            f"<td>{html.escape(' '.join(x for x in (r.contact_name, r.contact_phone) if x))}</td>"
            f"<td>{html.escape(_joined(lang, r.services))}"
            "</td></tr>" for r in self.rows)
        heads = {c: t(f"retirees_ui.col.{c}") for c in COLUMNS}
        return table_html(heads, body, max_height="20em")

    def _pension_html(self, status: str | None) -> str:
        """Receiving is done (green), pending a decision is due (amber), suspended is stopped
        (grey); no record shows nothing."""
        if status is None:
            return ""
        return state_badge(self.ctx, PENSION_STATES.get(status, "upcoming"),
                           _label(self.ctx.lang, "pension_status", status))

    # The record form
    def _build_form(self) -> Form:
        lang = self.ctx.lang
        fields = [_field("retiree", "person", self._retiree_search, True),
                  _field("former_employer", "text", required=True),
                  _field("retired_on", "date"),
                  _field("pension_status", "choice", vocab_options(
                      "pension_status", agency_rules.PENSION_STATUSES), True),
                  _field("pension_monthly", "int"),
                  _field("contact_name", "text"), _field("contact_phone", "text"),
                  _field("services", "multi", vocab_options("retiree_service",
                                                            agency_rules.RETIREE_SERVICES)),
                  _field("remark", "textarea")]
        form = Form(fields, lang=lang, on_save=self._save, action="save-retiree",
                    save_label="retirees_ui.save", name="retiree", on_saved=self._saved)
        form.inputs["retiree"].observe(self._opened, names="value")
        return form

    def _retiree_search(self, **query) -> PersonMatches:
        """Retirees on the ledgers of the street chosen above, searched as the user types."""
        return search_persons(self.ctx.actor, self.ctx.uow, categories=("retiree",),
                              street_id=self.street.value, **query)

    def _row(self, person_id: int | None) -> retirees.RetireeRow | None:
        """The chosen retiree with their record, read again (it may be beyond the list)."""
        if person_id is None:
            return None
        found = retirees.retirees(self.ctx.actor, self.ctx.uow, person_id=person_id, limit=1)
        return found[0] if found else None

    def _opened(self, change) -> None:
        """Fill the form with the chosen retiree's record (blank when there is none yet)."""
        row = self.opened = self._row(change["new"])
        if row is None:
            return
        facts = row.facts()
        self.form.set_values({name: _json(getattr(facts, name)) for name in FACT_FIELDS})
        self.form.show_errors({})
        self.form.set_status(self.ctx.t("retirees_ui.opened" if row.record_id
                                        else "retirees_ui.new_record", name=_who(row)))

    def _save(self, values: dict) -> str:
        # The record as it was opened: its version tells whether someone saved it since.
        row = self.opened if self.opened and self.opened.person_id == values["retiree"] else (
            self._row(values["retiree"]))
        if row is None:
            raise required("retiree")
        monthly = values["pension_monthly"]
        if monthly is not None and not isinstance(monthly, int):
            raise ValidationError({"pension_monthly": Message("retirees.not_an_amount")})
        facts = retirees.RetireeFacts(**{name: values[name] for name in FACT_FIELDS}
                                      | {"services": tuple(values["services"])})
        actor, uow = self.ctx.actor, self.ctx.uow
        try:
            if row.record_id is None:
                retirees.create_record(actor, uow, person_id=row.person_id, facts=facts)
            else:
                retirees.update_record(actor, uow, record_id=row.record_id,
                                       expected_version=row.version, facts=facts)
        except ValidationError as exc:
            raise ValidationError({"retiree" if k == "person_id" else k: m
                                   for k, m in exc.fields.items()}) from exc
        return self.ctx.t("retirees_ui.saved", name=_who(row))

    def _saved(self) -> None:
        """The list is read again; the record stays open at its new version."""
        kept = self.form.inputs["retiree"].value
        self.refresh()
        self.form.reload_options()
        self.form.inputs["retiree"].value = kept
        self.opened = self._row(kept)


def _who(row: retirees.RetireeRow) -> str:
    return f"{row.name or ''} ({row.person_id})"


def _label(lang: str, vocabulary: str, code: str | None) -> str:
    return vocab.label(vocabulary, code, lang) if code else ""


def _joined(lang: str, services: tuple[str, ...]) -> str:
    return ("、" if lang == "zh" else ", ").join(_label(lang, "retiree_service", s)
                                                 for s in services)


def _json(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    return value.isoformat() if hasattr(value, "isoformat") else value


def build_retirees(ctx: AppContext) -> widgets.Widget:
    return RetireesApp(ctx) if ctx.actor else problem_page(ctx)
