"""The 特困家庭 register: enter a household with its members (both decisions explained: the
registration by 连政办发[2002]132号, employment aid per member by the notice's 三(七)), verify,
confirm, change members, exit."""

from __future__ import annotations

import functools
import html

import ipywidgets as widgets

from casework import access, vocab
from casework.errors import ValidationError
from casework.i18n import Message
from casework.services import hardship
from casework.services.household_search import search_households
from casework.services.person_search import PersonMatches, search_persons
from casework.ui.common import html_box, problem_page, table_html, title, vocab_options
from casework.ui.fields import Field
from casework.ui.forms import Form
from casework.ui.hardship_members import (
    ANSWERS,
    MemberEditor,
    OtherMembers,
    decision_html,
    member_decisions,
)
from casework.ui.person_picker import Search
from casework.ui.shell import AppContext

# The two verification levels: (capability, the status they act on, the form's action).
VERIFY_STEPS = (("hardship_verify_community", "pending_community", "verify"),
                ("hardship_confirm_street", "pending_street", "confirm"))
OPEN = ("pending_community", "pending_street", "registered")
NOT_RETIRED = tuple(c for c in vocab.CATEGORIES if c != "retiree")


class HardshipRegisterApp(widgets.VBox):
    """One list and four forms: register (with both decisions), verify, members, exit."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.rows: list[hardship.HouseholdRow] = []
        self.table = html_box("cw-register-list")
        self.decision = html_box("cw-decision")
        self.refresh()
        parts = [title(ctx, "apps.hardship_register.title"), self.table]
        self.others = OtherMembers(ctx.lang)
        self.others_error = html_box("cw-error-members")
        self.register = self._register_form()
        check = widgets.Button(description=ctx.t("hardship.check"))
        check.add_class("cw-action-check")
        check.on_click(lambda _b: self._check())
        parts += [_heading(ctx, "hardship.section.register"), self.register, check,
                  self.decision]
        self.verify = self._verify_form()
        if self.verify is not None:
            parts += [_heading(ctx, "hardship.section.verify"), self.verify]
        self.members = MemberEditor(ctx, households=self._household_search(OPEN),
                                    people=self._person_search, after_save=self._after_change)
        parts += [_heading(ctx, "hardship.section.members"), self.members]
        self.exit = self._exit_form()
        if self.exit is not None:
            parts += [_heading(ctx, "hardship.section.exit"), self.exit]
        super().__init__(parts)
        self.add_class("cw-hardship-register")

    def refresh(self) -> None:
        self.rows = hardship.households(self.ctx.actor, self.ctx.uow, statuses=OPEN)
        body = "".join(
            f'<tr class="cw-household cw-status-{r.status}" data-household="{r.id}">'
            f"<td>{html.escape(r.name or '')}</td><td>{html.escape(r.community_name)}</td>"
            f"<td>{self.ctx.t('hardship.status.' + r.status)}</td>"
            f"<td>{r.targeted}/{r.members}</td></tr>" for r in self.rows)
        heads = {code: self.ctx.t(f"hardship.col.{code}")
                 for code in ("name", "community", "status", "targeted")}
        self.table.value = table_html(heads, body, max_height="12em")

    def _register_form(self) -> Form:
        fields = [Field("person", "person", "hardship.field.person", self._person_search,
                        required=True),
                  Field("household_size", "int", "hardship.field.household_size", required=True),
                  Field("household_income", "int", "hardship.field.household_income",
                        required=True),
                  Field("registration_remark", "textarea", "hardship.field.registration_remark",
                        required=True),
                  *[Field(name, "bool", f"hardship.field.{name}") for name in ANSWERS]]
        form = Form(fields, lang=self.ctx.lang, on_save=self._apply, action="register",
                    save_label="hardship.register", name="register")
        label = widgets.HTML(f"<b>{html.escape(self.ctx.t('hardship.field.members'))}</b>",
                             layout=widgets.Layout(width="11em"))
        row = widgets.HBox([label, widgets.VBox([self.others, self.others_error])])
        # The other members sit with the form's fields, above its button and status line.
        form.children = (*form.children[:-3], row, *form.children[-3:])
        return form

    def _person_search(self, **query) -> PersonMatches:
        """People in scope, not retired, who head no open household."""
        return search_persons(self.ctx.actor, self.ctx.uow, categories=NOT_RETIRED,
                              exclude_ids={r.person_id for r in self.rows}, **query)

    def _application(self, values: dict) -> hardship.Application:
        applicant = hardship.MemberInput(**{name: values[name] for name in ANSWERS})
        return hardship.Application(
            person_id=values["person"], household_size=values["household_size"],
            household_income=values["household_income"], remark=values["registration_remark"],
            applicant=applicant, members=self.others.value)

    def _check(self) -> None:
        try:
            found = hardship.assess(self.ctx.actor, self.ctx.uow,
                                    application=self._application(self.register.values()))
        except ValidationError as exc:
            self._show_errors(exc)
            return
        self._show_errors(None)
        self.decision.value = decision_html(
            self.ctx, registration=found.registration,
            criteria_reference=found.criteria_reference, aid_reference=found.aid_reference,
            members=[(m.name, m.relation, d) for m, d in found.members])

    def _show_errors(self, exc: ValidationError | None) -> None:
        texts = exc.field_texts(self.ctx.lang) if exc else {}
        self.register.show_errors(texts)
        error = texts.get("members", "")
        self.others_error.value = (f'<span style="color:#b00020">{html.escape(error)}</span>'
                                   if error else "")

    def _apply(self, values: dict) -> str:
        try:
            household_id = hardship.apply(self.ctx.actor, self.ctx.uow,
                                          application=self._application(values))
        except ValidationError as exc:
            self._show_errors(exc)
            raise
        except hardship.RegistrationRefused:
            self._check()  # both decisions, beside the refusal in the status line
            raise
        self._show_errors(None)
        self._show_household(household_id)
        self.others.clear()
        self._after_change()
        return self.ctx.t("hardship.registered", id=household_id)

    def _show_household(self, household_id: int) -> None:
        found = hardship.household_detail(self.ctx.actor, self.ctx.uow, household_id=household_id)
        self.decision.value = decision_html(
            self.ctx, registration=found.registration,
            criteria_reference=found.criteria_reference, aid_reference=found.aid_reference,
            members=member_decisions(found.members))

    def _verify_form(self) -> Form | None:
        step = next((s for s in VERIFY_STEPS if access.may(self.ctx.actor, s[0])), None)
        if step is None:
            return None
        _, status, action = step
        fields = [Field("household", "household", "hardship.field.household",
                        self._household_search((status,)), required=True),
                  Field("remark", "text", "hardship.field.remark")]
        return Form(fields, lang=self.ctx.lang, on_save=self._verify, action=action,
                    save_label=f"hardship.{action}", name="verify")

    def _verify(self, values: dict) -> str:
        row = self._row(values["household"])
        if access.may(self.ctx.actor, "hardship_verify_community"):
            hardship.verify_community(self.ctx.actor, self.ctx.uow, household_id=row.id,
                                      expected_version=row.version, remark=values["remark"])
            message = self.ctx.t("hardship.verified")
        else:
            hardship.confirm_street(self.ctx.actor, self.ctx.uow, household_id=row.id,
                                    expected_version=row.version, remark=values["remark"])
            message = self.ctx.t("hardship.confirmed")
        self._after_change()
        return message

    def _exit_form(self) -> Form | None:
        if not access.may(self.ctx.actor, "hardship_exit"):
            return None
        fields = [Field("household", "household", "hardship.field.household",
                        self._household_search(("registered",)), required=True),
                  Field("exit_reason", "choice", "hardship.field.exit_reason",
                        vocab_options("exit_reason", vocab.EXIT_REASONS), required=True),
                  Field("exit_remark", "text", "hardship.field.remark")]
        return Form(fields, lang=self.ctx.lang, on_save=self._exit, action="exit",
                    save_label="hardship.exit", name="exit")

    def _exit(self, values: dict) -> str:
        row = self._row(values["household"])
        hardship.exit_group(self.ctx.actor, self.ctx.uow, household_id=row.id,
                            expected_version=row.version, reason=values["exit_reason"],
                            remark=values["exit_remark"])
        self._after_change()
        return self.ctx.t("hardship.exited")

    def _household_search(self, statuses: tuple[str, ...]) -> Search:
        """Households in scope in ``statuses``, found by their applicant as the user types."""
        return functools.partial(search_households, self.ctx.actor, self.ctx.uow,
                                 statuses=statuses)

    def _row(self, household_id: int | None) -> hardship.HouseholdRow:
        row = next((r for r in self.rows if r.id == household_id), None)
        if row is None:
            raise ValidationError({"household": Message("form.required")})
        return row

    def _after_change(self) -> None:
        self.refresh()
        for form in (self.register, self.verify, self.exit, self.members.form):
            if form is not None:
                form.reload_options()


def _heading(ctx: AppContext, key: str) -> widgets.HTML:
    return widgets.HTML(f"<h3>{html.escape(ctx.t(key))}</h3>")


def build_hardship_register(ctx: AppContext) -> widgets.Widget:
    return HardshipRegisterApp(ctx) if ctx.actor else problem_page(ctx)
