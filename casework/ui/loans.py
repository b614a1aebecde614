"""The small-guaranteed-loan app: the loans in the actor's area with their project and the
interest subsidy's basis, applications (project kind; a valid Re-employment Preferential
Certificate is checked), the five steps in the notice's order by the roles allowed at each, and
repayments with overdue instalments flagged."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets

from casework import access, money, vocab
from casework.errors import StaleRecord
from casework.policy import JOBSEEKERS
from casework.services import loans
from casework.ui import format as fmt
from casework.ui.common import (
    html_box,
    labelled_dropdown,
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

# form name: (action class, button label)
ACTIONS = {"apply": ("apply", "loans_ui.apply"),
           "step": ("take-step", "loans_ui.take_step"),
           "repayment": ("record-repayment", "loans_ui.record_repayment")}
COLUMNS = ("person", "amount", "term", "project", "subsidy", "basis", "status", "steps", "next",
           "overdue", "outstanding")


def _field(name: str, kind: str, options=None, required: bool = False) -> Field:
    return Field(name, kind, f"loans_ui.field.{name}", options, required)


def _name(row: loans.LoanRow) -> str:
    """"name (id)" as in the applicant choice; only the id for those who see no names."""
    return f"{row.name} ({row.person_id})" if row.name else f"#{row.person_id}"


class LoansApp(widgets.VBox):
    """The loan list for everyone in scope; for staff, forms to apply, take steps and repay."""

    def __init__(self, ctx: AppContext, *, today: dt.date | None = None) -> None:
        self.ctx, self.today = ctx, today or ctx.uow.today()
        self.rows: list[loans.LoanRow] = []
        self.instalments: list[loans.InstalmentRow] = []
        self.forms: dict[str, Form] = {}
        self.loan_list = html_box("cw-loan-list")
        self.instalment_list = html_box("cw-instalment-list")
        self.picker = labelled_dropdown("cw-field-repayment_loan",
                                        ctx.t("loans_ui.field.repayment_loan"))
        self._quiet = False
        self.refresh()
        parts = [title(ctx, "apps.loans.title"), self._heading("loans"), self.loan_list]
        # Who takes some step gets the forms; everyone else only reads the list.
        if any(access.may(ctx.actor, money.loan_step_capability(s)) for s in money.LOAN_STEPS):
            self._build_forms()
            self.picker.observe(self._loan_chosen, names="value")
            if access.may(ctx.actor, money.loan_step_capability("applied")):
                parts += [self._heading("apply"), self._note("certificate_help"),
                          self.forms["apply"]]
            parts += [self._heading("step"), self._note("step_help"), self.forms["step"],
                      self._heading("repayment"), self.picker, self.instalment_list,
                      self.forms["repayment"]]
        else:
            parts.append(self._note("read_only"))
        super().__init__(parts)
        self.add_class("cw-loans")

    # Lists
    def refresh(self) -> None:
        self.rows = loans.loans(self.ctx.actor, self.ctx.uow, today=self.today)
        self.loan_list.value = self._loans_html()
        self._set_approved_loans()
        self.refresh_instalments()
        for form in self.forms.values():
            form.reload_options()

    def refresh_instalments(self) -> None:
        loan_id = self.picker.value
        self.instalments = ([] if loan_id is None else loans.instalments(
            self.ctx.actor, self.ctx.uow, loan_id=loan_id, today=self.today))
        self.instalment_list.value = self._instalments_html()

    def _set_approved_loans(self) -> None:
        kept = self.picker.value
        self._quiet = True
        try:
            approved = [r for r in self.rows if r.status == loans.APPROVED]
            self.picker.options = [("—", None)] + [(self._loan_label(r), r.id) for r in approved]
            self.picker.value = kept if kept in {r.id for r in approved} else None
        finally:
            self._quiet = False

    def _loan_chosen(self, _change) -> None:
        if not self._quiet:
            self.refresh_instalments()
            self.forms["repayment"].reload_options()

    def _loans_html(self) -> str:
        if not self.rows:
            return self._note_html("no_loans")
        body = "".join(self._loan_row(r) for r in self.rows)
        return _columns_table(self.ctx.t, COLUMNS, body)

    def _loan_row(self, r: loans.LoanRow) -> str:
        t = self.ctx.t
        lang = self.ctx.lang
        overdue = (state_badge(self.ctx, "overdue", t("loans_ui.overdue_count", count=r.overdue))
                   if r.overdue else "")
        cells = (html.escape(_name(r)), fmt.yuan(r.amount, lang),
                 t("loans_ui.months", months=r.term_months), self._project(r),
                 fmt.yuan(r.interest_subsidy, lang),
                 html.escape(r.subsidy_basis.text(lang)), self._status(r),
                 self._steps(r), self._next(r), overdue,
                 fmt.yuan(r.outstanding, lang) if r.status == loans.APPROVED else "")
        marks = " cw-overdue cw-state-overdue" if r.overdue else ""
        return (f'<tr class="cw-loan cw-loan-{r.status}{marks}" data-loan="{r.id}">'
                + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")

    def _project(self, r: loans.LoanRow) -> str:
        if r.project_kind is None:
            return ""
        kind = vocab.label("loan_project_kind", r.project_kind, self.ctx.lang)
        marker = f" ({self.ctx.t('loans_ui.micro_profit')})" if r.micro_profit else ""
        return html.escape(kind + marker)

    def _status(self, r: loans.LoanRow) -> str:
        """Approved by the bank is done (green), refused at a step is grey, and a loan
        waiting for its next step is due (amber)."""
        t = self.ctx.t
        if r.status != "refused":
            state = "done" if r.status == loans.APPROVED else "due"
            return state_badge(self.ctx, state, t(f"money.step.{r.status}"))
        step = next((s for s, approved, _remark, _role in r.steps if not approved), "")
        return state_badge(self.ctx, "refused",
                           t("loans_ui.refused_at", step=t(f"money.step.{step}")))

    def _steps(self, r: loans.LoanRow) -> str:
        t = self.ctx.t
        lines = []
        for step, approved, remark, role in r.steps:
            outcome = t("loans_ui.approved" if approved else "loans_ui.refused")
            line = " · ".join([t(f"money.step.{step}"), t(f"role.{role}"), outcome]
                              + ([remark] if remark else []))
            lines.append(html.escape(line))
        return "<br>".join(lines)

    def _next(self, r: loans.LoanRow) -> str:
        if r.next_step is None:
            return ""
        roles = "/".join(self.ctx.t(f"role.{role}") for role in money.loan_step_roles(r.next_step))
        return html.escape(self.ctx.t("loans_ui.next", step=self.ctx.t(f"money.step.{r.next_step}"),
                                      roles=roles))

    def _instalments_html(self) -> str:
        if self.picker.value is None:
            return self._note_html("choose_loan")
        t, lang = self.ctx.t, self.ctx.lang
        body = "".join(
            f'<tr class="cw-instalment{" cw-overdue cw-state-overdue" if i.overdue else ""}"'
            f' data-instalment="{i.id}">'
            f"<td>{fmt.date(i.due_on, lang)}</td><td>{fmt.yuan(i.amount_due, lang)}</td>"
            f"<td>{fmt.date(i.paid_on, lang) if i.paid_on else ''}</td>"
            f"<td>{state_badge(self.ctx, 'overdue', t('loans_ui.overdue')) if i.overdue else ''}"
            "</td></tr>" for i in self.instalments)
        return _columns_table(t, ("due", "amount_due", "paid_on", "overdue"), body)

    def _heading(self, name: str) -> widgets.HTML:
        return widgets.HTML(f"<h3>{html.escape(self.ctx.t(f'loans_ui.section.{name}'))}</h3>")

    def _note(self, key: str) -> widgets.HTML:
        return widgets.HTML(self._note_html(key))

    def _note_html(self, key: str) -> str:
        return f"<p>{html.escape(self.ctx.t(f'loans_ui.{key}'))}</p>"

    def _loan_label(self, r: loans.LoanRow) -> str:
        return self.ctx.t("loans_ui.loan_option", name=_name(r), amount=r.amount,
                          months=r.term_months, id=r.id)

    # Forms
    def _build_forms(self) -> None:
        specs = {
            "apply": ([_field("person", "person", searching(self.ctx.actor, self.ctx.uow,
                                                            categories=JOBSEEKERS), True),
                       _field("amount", "int", required=True),
                       _field("term_months", "int", required=True),
                       _field("purpose", "choice",
                              vocab_options("loan_purpose", vocab.LOAN_PURPOSES), True),
                       _field("project_kind", "choice",
                              vocab_options("loan_project_kind", vocab.LOAN_PROJECT_KINDS), True),
                       _field("business_plan", "textarea")], self._apply),
            "step": ([_field("loan", "choice", self._open_loan_options, True),
                      _field("step", "choice", self._step_options, True),
                      _field("approved", "choice", self._decision_options, True),
                      _field("remark", "textarea")], self._take_step),
            "repayment": ([_field("instalment", "choice", self._instalment_options, True),
                           _field("paid_on", "date", required=True)], self._record_repayment),
        }
        self.forms = forms_for(specs, ACTIONS, lang=self.ctx.lang, after_save=self._after_save,
                               defaults=self._defaults)
        for form in self.forms.values():
            form.save_button.layout.width = "max-content"  # longer than "Save"

    def _defaults(self, name: str) -> dict:
        return {"step": {"approved": True},
                "repayment": {"paid_on": self.today.isoformat()}}.get(name, {})

    def _after_save(self, name: str) -> None:
        self.refresh()
        self.forms[name].clear(self._defaults(name))

    def _open_loan_options(self, lang: str) -> list[tuple[str, int]]:
        return [(self._loan_label(r), r.id) for r in self.rows if r.next_step is not None]

    def _step_options(self, lang: str) -> list[tuple[str, str]]:
        # All five, not just the next one: the rule, not the form, says why a step is refused.
        return [(self.ctx.t(f"money.step.{step}"), step) for step in money.LOAN_STEPS]

    def _decision_options(self, lang: str) -> list[tuple[str, bool]]:
        return [(self.ctx.t("loans_ui.approve"), True), (self.ctx.t("loans_ui.refuse"), False)]

    def _instalment_options(self, lang: str) -> list[tuple[str, int]]:
        return [(self.ctx.t("loans_ui.instalment_option", due=i.due_on.isoformat(),
                            amount=i.amount_due), i.id)
                for i in self.instalments if i.paid_on is None]

    # Saves: each calls one service and returns the status line's text.
    def _apply(self, values: dict) -> str:
        if values["person"] is None:
            raise required("person")
        loan_id = loans.apply(self.ctx.actor, self.ctx.uow, person_id=values["person"],
                              amount=values["amount"], term_months=values["term_months"],
                              purpose=values["purpose"], project_kind=values["project_kind"],
                              business_plan=values["business_plan"], today=self.today)
        return self.ctx.t("loans_ui.applied", id=loan_id, amount=values["amount"])

    def _take_step(self, values: dict) -> str:
        row = next((r for r in self.rows if r.id == values["loan"]), None)
        if row is None:
            raise required("loan")
        if values["step"] is None:
            raise required("step")
        try:
            loans.take_step(self.ctx.actor, self.ctx.uow, loan_id=row.id,
                            expected_version=row.version, step=values["step"],
                            approved=values["approved"] is not False, remark=values["remark"],
                            today=self.today)
        except StaleRecord:
            self.refresh()  # so that a second try works on what is there now
            raise
        key = "loans_ui.step_taken" if values["approved"] is not False else "loans_ui.step_refused"
        return self.ctx.t(key, step=self.ctx.t(f"money.step.{values['step']}"), name=_name(row))

    def _record_repayment(self, values: dict) -> str:
        row = next((i for i in self.instalments if i.id == values["instalment"]), None)
        if row is None:
            raise required("instalment")
        loans.record_repayment(self.ctx.actor, self.ctx.uow, repayment_id=row.id,
                               paid_on=values["paid_on"])
        return self.ctx.t("loans_ui.repayment_recorded", due=row.due_on.isoformat(),
                          amount=row.amount_due)


def build_loans(ctx: AppContext) -> widgets.Widget:
    return LoansApp(ctx) if ctx.actor else problem_page(ctx)


def _columns_table(t, columns: tuple[str, ...], body: str) -> str:
    return table_html({c: t("loans_ui.col." + c) for c in columns}, body, max_height="30em")
