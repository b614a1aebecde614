"""The home-visit app: households due or overdue first, the last visits, and today's visit."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets

from casework import vocab
from casework.errors import ValidationError
from casework.i18n import Message
from casework.services import drafts, hardship, visits
from casework.ui.common import problem_page, title, vocab_options
from casework.ui.fields import Field
from casework.ui.forms import DraftStore, Form
from casework.ui.shell import AppContext

FORM_NAME = "home_visit"


def visit_fields(household_options) -> list[Field]:
    return [
        Field("person", "choice", "visits.field.person", household_options, required=True),
        Field("visit_date", "date", "visits.field.visit_date", required=True),
        Field("visitors", "text", "visits.field.visitors"),
        Field("present", "text", "visits.field.present"),
        Field("living_conditions", "textarea", "visits.field.living_conditions", required=True),
        Field("income_change", "choice", "visits.field.income_change",
              vocab_options("income_change", vocab.INCOME_CHANGES)),
        Field("employment_status", "textarea", "visits.field.employment_status", required=True),
        Field("needs", "multi", "visits.field.needs", vocab_options("need", vocab.NEEDS)),
        Field("needs_note", "text", "visits.field.needs_note"),
        Field("services", "multi", "visits.field.services",
              vocab_options("visit_service", vocab.VISIT_SERVICES)),
        Field("follow_up", "text", "visits.field.follow_up"),
        Field("follow_up_due", "date", "visits.field.follow_up_due"),
        Field("next_visit_date", "date", "visits.field.next_visit_date"),
    ]


class HomeVisitsApp(widgets.VBox):
    """Household list (most urgent first), the roll-up for officers, last visits and the form."""

    def __init__(self, ctx: AppContext, *, today: dt.date | None = None,
                 draft_delay: float = 2.0) -> None:
        self.ctx, self.today = ctx, today or dt.date.today()
        self.rows: list[hardship.HouseholdRow] = []
        self.table = widgets.HTML()
        self.table.add_class("cw-household-list")
        self.rollup = widgets.HTML()
        self.rollup.add_class("cw-rollup")
        self.history = widgets.HTML()
        self.history.add_class("cw-last-visits")
        self.refresh()
        actor, uow = ctx.actor, ctx.uow
        store = DraftStore(
            save=lambda p: drafts.save_draft(actor, uow, form=FORM_NAME, key="new", payload=p),
            load=lambda: drafts.load_draft(actor, uow, form=FORM_NAME, key="new"),
            discard=lambda: drafts.discard_draft(actor, uow, form=FORM_NAME, key="new"))
        self.form = Form(visit_fields(self._options), lang=ctx.lang, on_save=self._save,
                         drafts=store, draft_delay=draft_delay)
        self._reset_form()
        self.form.inputs["person"].observe(self._show_history, names="value")
        super().__init__([title(ctx, "apps.home_visits.title"), self.rollup, self.table,
                          self.history, self.form])
        self.add_class("cw-home-visits")

    def refresh(self) -> None:
        self.rows = hardship.households(self.ctx.actor, self.ctx.uow, today=self.today)
        self.table.value = self._table_html()
        if self.ctx.actor.role != "community_worker":
            rollup = hardship.overdue_rollup(self.ctx.actor, self.ctx.uow, today=self.today)
            self.rollup.value = self._rollup_html(rollup)

    def _options(self, lang: str) -> list[tuple[str, int]]:
        return [(f"{r.name} · {r.community_name} · {self._due_text(r)}", r.id) for r in self.rows]

    def _due_text(self, row: hardship.HouseholdRow) -> str:
        due = row.due
        if due.state == "overdue":
            text = self.ctx.t("visits.overdue_days", days=due.days_overdue)
        elif due.state == "due":
            text = self.ctx.t("visits.due_today")
        else:
            text = self.ctx.t("visits.due_on", date=due.due_on.isoformat())
        return f"{text}（{self.ctx.t('visits.never_visited')}）" if due.never_visited else text

    def _table_html(self) -> str:
        if not self.rows:
            return f"<p>{self.ctx.t('visits.none_in_scope')}</p>"
        items = "".join(
            f'<tr class="cw-household cw-due-{r.due.state}" data-household="{r.id}">'
            f"<td>{html.escape(r.name or '')}</td><td>{html.escape(r.community_name)}</td>"
            f"<td>{html.escape(self._due_text(r))}</td></tr>" for r in self.rows)
        return (f"<h3>{self.ctx.t('visits.households')}</h3>"
                f'<div style="max-height:14em;overflow:auto"><table>{items}</table></div>')

    def _rollup_html(self, rows) -> str:
        body = "".join(
            f'<tr class="cw-rollup-{r.level}"><td style="padding-left:{r.depth}em">'
            f"{html.escape(r.name_zh if self.ctx.lang == 'zh' else r.name_en)}</td>"
            f"<td>{r.registered}</td><td>{r.overdue}</td></tr>"
            for r in rows if r.registered)
        head = "".join(f"<th>{self.ctx.t(k)}</th>" for k in
                       ("visits.unit", "visits.registered_count", "visits.overdue_count"))
        return (f"<h3>{self.ctx.t('visits.rollup')}</h3><div style=\"max-height:14em;"
                f'overflow:auto"><table><tr>{head}</tr>{body}</table></div>')

    def _show_history(self, change=None) -> None:
        household = self.form.inputs["person"].value
        if household is None:
            self.history.value = ""
            return
        rows = visits.visits_of(self.ctx.actor, self.ctx.uow, household_id=household, limit=3)
        items = "".join(
            f"<li>{v['visit_date']}: {html.escape(v['living_conditions'])} "
            f"{html.escape(v['employment_status'])} "
            f"{'、'.join(vocab.label('need', n, self.ctx.lang) for n in v['needs'])}</li>"
            for v in rows) or f"<li>{self.ctx.t('visits.no_visits')}</li>"
        self.history.value = f"<h4>{self.ctx.t('visits.last_visits')}</h4><ul>{items}</ul>"

    def _save(self, values: dict) -> str:
        household = values.pop("person")
        if household is None:
            raise ValidationError({"person": Message("visits.choose_household")})
        visits.record_visit(self.ctx.actor, self.ctx.uow, household_id=household, values=values,
                            today=self.today)
        name = next((r.name for r in self.rows if r.id == household), "")
        self.refresh()
        self.form.reload_options()
        message = self.ctx.t("visits.saved", name=name, date=values["visit_date"].isoformat())
        self._reset_form()
        return message

    def _reset_form(self) -> None:
        self.form.clear({"visit_date": self.today.isoformat(),
                         "visitors": self.ctx.actor.username})


def build_home_visits(ctx: AppContext) -> widgets.Widget:
    return HomeVisitsApp(ctx) if ctx.actor else problem_page(ctx)
