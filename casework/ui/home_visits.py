"""The home-visit app: households due or overdue first, the last visits, and today's visit."""

from __future__ import annotations

import datetime as dt
import functools
import html

import ipywidgets as widgets

from casework import access, vocab
from casework.errors import ValidationError
from casework.i18n import Message
from casework.services import drafts, hardship, visits
from casework.services.household_search import search_households
from casework.ui import format as fmt
from casework.ui.common import card, problem_page, state_badge, title, vocab_options
from casework.ui.fields import Field
from casework.ui.forms import DraftStore, Form
from casework.ui.records import visit_record_html
from casework.ui.shell import AppContext
from casework.ui.table import Column, DataTable, RowLook

FORM_NAME = "home_visit"


def visit_fields(household_search) -> list[Field]:
    """The visit form; the household ("person", its applicant) is found by searching."""
    return [
        Field("person", "household", "visits.field.person", household_search, required=True),
        Field("visit_date", "date", "visits.field.visit_date", required=True),
        Field("visitors", "text", "visits.field.visitors"),
        Field("present", "text", "visits.field.present"),
        Field("living_conditions", "textarea", "visits.field.living_conditions", required=True),
        Field("income_change", "choice", "visits.field.income_change",
              vocab_options("income_change", vocab.INCOME_CHANGES)),
        Field("employment_status", "members", "visits.field.employment_status", required=True),
        Field("employment_note", "textarea", "visits.field.employment_note"),
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
        self.ctx, self.today = ctx, today or ctx.uow.today()
        self.rows: list[hardship.HouseholdRow] = []
        self.table = self._household_table()
        self.rollup = widgets.HTML()
        self.rollup.add_class("cw-rollup")
        self.history = widgets.HTML()
        self.history.add_class("cw-last-visits")
        self.editing: dict | None = None  # the visit being corrected, as last read
        self.own_visits = widgets.Dropdown(options=[], value=None,
                                           description=ctx.t("visits.edit_visit"))
        self.own_visits.add_class("cw-field-correct_visit")
        edit = _button(ctx.t("visits.edit_visit"), "edit-visit", self._edit)
        new = _button(ctx.t("visits.new_visit"), "new-visit", self._new_visit)
        self.correction = widgets.HBox([self.own_visits, edit, new])
        self.refresh()
        actor, uow = ctx.actor, ctx.uow
        # Drafts keep a new visit; a correction starts from the saved visit, so it needs none.
        store = DraftStore(
            save=lambda p: self.editing or drafts.save_draft(actor, uow, form=FORM_NAME,
                                                             key="new", payload=p),
            load=lambda: drafts.load_draft(actor, uow, form=FORM_NAME, key="new"),
            discard=lambda: self.editing or drafts.discard_draft(actor, uow, form=FORM_NAME,
                                                                 key="new"))
        search = functools.partial(search_households, actor, uow, statuses=("registered",))
        self.form = Form(visit_fields(search), lang=ctx.lang, on_save=self._save,
                         drafts=store, draft_delay=draft_delay, on_saved=self._after_save)
        self._reset_form()
        self.form.inputs["person"].observe(self._show_history, names="value")
        super().__init__([title(ctx, "apps.home_visits.title"), self.rollup, self.table,
                          self.history, self.correction, card(self.form)])
        self.add_class("cw-home-visits")

    def refresh(self) -> None:
        self.rows = hardship.households(self.ctx.actor, self.ctx.uow, today=self.today)
        self.table.set_rows(self.rows)
        if access.may(self.ctx.actor, "visit_rollup"):
            rollup = hardship.overdue_rollup(self.ctx.actor, self.ctx.uow, today=self.today)
            self.rollup.value = self._rollup_html(rollup)

    def _due_text(self, row: hardship.HouseholdRow) -> str:
        due = row.due
        if due.state == "overdue":
            text = self.ctx.t("visits.overdue_days", days=due.days_overdue)
        elif due.state == "due":
            text = self.ctx.t("visits.due_today")
        else:
            text = self.ctx.t("visits.due_on", date=fmt.date(due.due_on, self.ctx.lang))
        return f"{text}（{self.ctx.t('visits.never_visited')}）" if due.never_visited else text

    def _household_table(self) -> DataTable:
        """The households: sorted, filtered and paged; one card per household on a phone."""
        t = self.ctx.t
        columns = [
            Column("name", t("look.col.household"), lambda r: r.name or "",
                   sort_key=lambda r: r.name or ""),
            Column("community", t("look.col.community"), lambda r: r.community_name,
                   sort_key=lambda r: r.community_name),
            Column("due", t("look.col.visit_due"), self._due_text,
                   sort_key=lambda r: r.due.due_on.isoformat(),
                   cell_html=lambda r: state_badge(self.ctx, r.due.state, self._due_text(r)))]
        look = RowLook(classes=lambda r: f"cw-household cw-due-{r.due.state}",
                       data=lambda r: {"household": r.id}, state=lambda r: r.due.state)
        table = DataTable("households", columns, lang=self.ctx.lang, look=look,
                          states=("overdue", "due", "upcoming"),
                          heading=t("visits.households"))
        table.add_class("cw-household-list")
        return table

    def _rollup_html(self, rows) -> str:
        body = "".join(
            f'<tr class="cw-rollup-{r.level}"><td style="padding-left:{r.depth}em">'
            f"{html.escape(r.name_zh if self.ctx.lang == 'zh' else r.name_en)}</td>"
            f"<td>{r.registered}</td><td>{r.overdue}</td></tr>"
            for r in rows if r.registered)
        head = "".join(f"<th>{self.ctx.t(k)}</th>" for k in
                       ("visits.unit", "visits.registered_count", "visits.overdue_count"))
        return (f"<h3>{self.ctx.t('visits.rollup')}</h3><div class=\"cw-scroll\" tabindex=\"0\" "
                f'style="max-height:14em;overflow:auto"><table class="cw-table"><thead><tr>{head}'
                f"</tr></thead><tbody>{body}</tbody></table></div>")

    def _show_history(self, change=None) -> None:
        household = self.form.inputs["person"].value
        if household is None:
            self.history.value = ""
            self._offer_corrections([])
            return
        rows = visits.visits_of(self.ctx.actor, self.ctx.uow, household_id=household, limit=3)
        self._offer_corrections(rows)
        name = next((r.name or "" for r in self.rows if r.id == household), "")
        self.history.value = visit_record_html(self.ctx, household=name, visits=rows,
                                               fields=visits.FIELDS)

    def _members_text(self, members: list[dict]) -> str:
        lang = self.ctx.lang
        return ", ".join(f"{m['member']}: {vocab.label('employment_status', m['status'], lang)}"
                         for m in members)

    def _offer_corrections(self, rows: list[dict]) -> None:
        """Its author may correct a visit: list the actor's own among the latest."""
        own = [(f"{v['visit_date']} · {v['living_conditions'][:16]}", v) for v in rows
               if v["author_id"] == self.ctx.actor.staff_id]
        self.own_visits.options = own
        self.own_visits.value = None
        self.correction.layout.display = None if own else "none"

    def _edit(self) -> None:
        visit = self.own_visits.value
        if visit is None:
            return
        household = self.form.inputs["person"].value
        self.editing = visit
        fields = {k: v for k, v in visit.items() if k in visits.FIELDS}
        self.form.clear(fields | {"person": household})
        self.form.set_status(self.ctx.t("visits.correcting", date=visit["visit_date"],
                                        version=visit["version"]))

    def _save(self, values: dict) -> str:
        household = values.pop("person")
        if household is None:
            raise ValidationError({"person": Message("visits.choose_household")})
        if self.editing:
            version = visits.correct_visit(self.ctx.actor, self.ctx.uow,
                                           visit_id=self.editing["id"],
                                           expected_version=self.editing["version"],
                                           values=values, today=self.today)
            message = self.ctx.t("visits.corrected", date=values["visit_date"].isoformat(),
                                 version=version)
        else:
            visits.record_visit(self.ctx.actor, self.ctx.uow, household_id=household,
                                values=values, today=self.today)
            name = next((r.name for r in self.rows if r.id == household), "")
            message = self.ctx.t("visits.saved", name=name,
                                 date=values["visit_date"].isoformat())
        return message

    def _after_save(self) -> None:
        self.refresh()
        self.form.reload_options()
        self._reset_form()

    def _new_visit(self) -> None:
        self._reset_form()
        self.form.set_status("")

    def _reset_form(self) -> None:
        self.editing = None
        self.form.clear({"visit_date": self.today.isoformat(),
                         "visitors": self.ctx.actor.username})


def _button(text: str, action: str, on_click) -> widgets.Button:
    button = widgets.Button(description=text)
    button.add_class(f"cw-action-{action}")
    button.on_click(lambda _b: on_click())
    return button


def build_home_visits(ctx: AppContext) -> widgets.Widget:
    return HomeVisitsApp(ctx) if ctx.actor else problem_page(ctx)
