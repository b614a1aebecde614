"""The follow-ups app: trainees' outcomes at 3, 6 and 12 months after their course, due and
overdue first, each recorded where the trainee lives or by the course's organisers. One form,
so it works on a tablet at the trainee's home as well as at a desk."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets

from casework.services import follow_ups
from casework.ui.common import (
    html_box,
    occupation_options,
    required,
    table_html,
    title,
)
from casework.ui.fields import Field
from casework.ui.forms import Form
from casework.ui.gate import open_gated
from casework.ui.shell import AppContext

TITLE = "apps.follow_ups.title"


def follow_up_fields(due_options) -> list[Field]:
    """The follow-up form, here and in the training app: which follow-up, and its outcome."""
    kinds = (("follow_up", "choice", due_options, True), ("recorded_on", "date", None, True),
             ("employed", "bool", None, False), ("employer", "text", None, False),
             ("job_field", "choice", occupation_options, False),
             ("monthly_wage", "int", None, False), ("contract_months", "int", None, False),
             ("social_insurance", "bool", None, False), ("self_employed", "bool", None, False),
             ("with_loan", "bool", None, False))
    return [Field(name, kind, f"training_ui.field.{name}", options, required)
            for name, kind, options, required in kinds]


def trainee(row: follow_ups.FollowUpRow) -> str:
    """The trainee's name, or their enrolment's number for an account that sees no names."""
    return row.name or f"#{row.enrolment_id}"


def follow_up_label(ctx: AppContext, row: follow_ups.FollowUpRow) -> str:
    t = ctx.t
    return (f"{trainee(row)} · {row.course_title} · {t('training_ui.months', months=row.months)}"
            f" · {t('training_ui.due.' + row.state, date=row.due_on.isoformat())}")


def record_chosen(ctx: AppContext, due: list[follow_ups.FollowUpRow], values: dict, *,
                  today: dt.date) -> str:
    """Record the outcome of the follow-up chosen in ``values`` (one of ``due``); returns the
    status line."""
    chosen = values.pop("follow_up")
    row = next((f for f in due if f.id == chosen), None)
    if row is None:
        raise required("follow_up")
    follow_ups.record_follow_up(ctx.actor, ctx.uow, follow_up_id=row.id,
                                expected_version=row.version, values=values, today=today)
    return ctx.t("training_ui.follow_up_recorded", name=trainee(row), months=row.months)


class FollowUpsApp(widgets.VBox):
    """The due list and the form that records one follow-up's outcome."""

    def __init__(self, ctx: AppContext, *, today: dt.date | None = None) -> None:
        self.ctx, self.today = ctx, today or ctx.uow.today()
        self.due: list[follow_ups.FollowUpRow] = []
        self.table = html_box("cw-follow-up-list")
        self.form = Form(follow_up_fields(self._options), lang=ctx.lang, on_save=self._save,
                         action="record-follow-up", save_label="training_ui.record_follow_up",
                         name="follow-up", on_saved=self._after_save)
        self.refresh()
        self.form.clear({"recorded_on": self.today.isoformat()})
        intro = widgets.HTML(f"<p>{html.escape(ctx.t('follow_ups_ui.intro'))}</p>")
        super().__init__([title(ctx, TITLE), intro, self.table, self.form])
        self.add_class("cw-follow-ups")

    def refresh(self) -> None:
        self.due = follow_ups.follow_ups(self.ctx.actor, self.ctx.uow, today=self.today)
        self.table.value = self._table_html()
        self.form.reload_options()

    def _options(self, lang: str) -> list[tuple[str, int]]:
        return [(follow_up_label(self.ctx, row), row.id) for row in self.due]

    def _table_html(self) -> str:
        t = self.ctx.t
        if not self.due:
            return f"<p>{html.escape(t('follow_ups_ui.none'))}</p>"
        body = "".join(
            f'<tr class="cw-follow-up cw-state-{r.state}" data-follow-up="{r.id}">'
            f"<td>{html.escape(trainee(r))}</td>"
            f"<td>{html.escape(r.course_title)}</td>"
            f"<td>{html.escape(t('training_ui.months', months=r.months))}</td>"
            f"<td>{html.escape(t('training_ui.due.' + r.state, date=r.due_on.isoformat()))}"
            f"</td></tr>" for r in self.due)
        heads = {c: t(f"follow_ups_ui.col.{c}") for c in ("name", "course", "months", "due")}
        return table_html(heads, body)

    def _save(self, values: dict) -> str:
        return record_chosen(self.ctx, self.due, values, today=self.today)

    def _after_save(self) -> None:
        self.refresh()
        self.form.clear({"recorded_on": self.today.isoformat()})


def build_follow_ups(ctx: AppContext) -> widgets.Widget:
    return open_gated(ctx, FollowUpsApp, capability="follow_up_trainees", page="follow_ups")
