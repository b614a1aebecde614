"""The hardship-register app: check eligibility, enter a household, verify, confirm, exit."""

from __future__ import annotations

import html

import ipywidgets as widgets

from casework import vocab
from casework.errors import ValidationError
from casework.i18n import Message
from casework.services import hardship, persons
from casework.ui.common import problem_page, title, vocab_options
from casework.ui.fields import Field
from casework.ui.forms import Form
from casework.ui.shell import AppContext

STEP_FOR_ROLE = {"community_worker": ("pending_community", "verify"),
                 "street_officer": ("pending_street", "confirm")}


class HardshipRegisterApp(widgets.VBox):
    """Three forms over one list: register (with the eligibility check), verify, exit."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.rows: list[hardship.HouseholdRow] = []
        self.table = widgets.HTML()
        self.table.add_class("cw-register-list")
        self.decision = widgets.HTML()
        self.decision.add_class("cw-decision")
        self.refresh()
        parts = [title(ctx, "apps.hardship_register.title"), self.table]
        self.register = self._register_form()
        check = widgets.Button(description=ctx.t("hardship.check"))
        check.add_class("cw-action-check")
        check.on_click(lambda _b: self._check())
        parts += [widgets.HTML(f"<h3>{ctx.t('hardship.section.register')}</h3>"),
                  self.register, check, self.decision]
        self.verify = self._verify_form()
        if self.verify is not None:
            parts += [widgets.HTML(f"<h3>{ctx.t('hardship.section.verify')}</h3>"), self.verify]
        self.exit = self._exit_form()
        if self.exit is not None:
            parts += [widgets.HTML(f"<h3>{ctx.t('hardship.section.exit')}</h3>"), self.exit]
        super().__init__(parts)
        self.add_class("cw-hardship-register")

    def refresh(self) -> None:
        self.rows = hardship.households(self.ctx.actor, self.ctx.uow,
                                        statuses=("pending_community", "pending_street",
                                                  "registered"))
        body = "".join(
            f'<tr class="cw-household cw-status-{r.status}" data-household="{r.id}">'
            f"<td>{html.escape(r.name or '')}</td><td>{html.escape(r.community_name)}</td>"
            f"<td>{self.ctx.t('hardship.status.' + r.status)}</td></tr>" for r in self.rows)
        self.table.value = f'<div style="max-height:12em;overflow:auto"><table>{body}</table></div>'

    def _register_form(self) -> Form:
        fields = [Field("person", "choice", "hardship.field.person", self._person_options,
                        required=True),
                  Field("able_to_work", "bool", "hardship.field.able_to_work"),
                  Field("willing", "bool", "hardship.field.willing"),
                  Field("accepts_any_job", "bool", "hardship.field.accepts_any_job")]
        return Form(fields, lang=self.ctx.lang, on_save=self._apply, action="register",
                    save_label="hardship.register", name="register")

    def _person_options(self, lang: str) -> list[tuple[str, int]]:
        in_group = {r.person_id for r in self.rows}
        people = persons.list_persons(self.ctx.actor, self.ctx.uow, limit=500)
        return [(f"#{p.id} · {p.name} · {vocab.label('category', p.category, lang)}", p.id)
                for p in people if p.id not in in_group and p.category != "retiree"]

    def _criteria(self, values: dict) -> dict:
        if values["person"] is None:
            raise ValidationError({"person": Message("form.required")})
        return {"person_id": values["person"], "able_to_work": values["able_to_work"],
                "willing": values["willing"], "accepts_any_job": values["accepts_any_job"]}

    def _check(self) -> None:
        try:
            decision = hardship.assess(self.ctx.actor, self.ctx.uow,
                                       **self._criteria(self.register.values()))
        except ValidationError as exc:
            self.register.show_errors(exc.field_texts(self.ctx.lang))
            return
        verdict = self.ctx.t("hardship.eligible" if decision.ok else "hardship.ineligible")
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in decision.explain(self.ctx.lang))
        reference = self.ctx.t("hardship.criteria", reference="连政办发[2002]132号")
        self.decision.value = (f'<p class="cw-decision-{"ok" if decision.ok else "no"}">'
                               f"<b>{verdict}</b> {reference}</p><ul>{reasons}</ul>"
                               f"<small>{decision.policy_version}</small>")

    def _apply(self, values: dict) -> str:
        household_id = hardship.apply(self.ctx.actor, self.ctx.uow, **self._criteria(values))
        self._after_change()
        return self.ctx.t("hardship.registered", id=household_id)

    def _verify_form(self) -> Form | None:
        step = STEP_FOR_ROLE.get(self.ctx.actor.role)
        if step is None:
            return None
        status, action = step
        fields = [Field("household", "choice", "hardship.field.household",
                        lambda lang: self._household_options(status), required=True),
                  Field("remark", "text", "hardship.field.remark")]
        return Form(fields, lang=self.ctx.lang, on_save=self._verify, action=action,
                    save_label=f"hardship.{action}", name="verify")

    def _verify(self, values: dict) -> str:
        row = self._row(values["household"])
        if self.ctx.actor.role == "community_worker":
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
        if self.ctx.actor.role not in hardship.OFFICERS:
            return None
        fields = [Field("household", "choice", "hardship.field.household",
                        lambda lang: self._household_options("registered"), required=True),
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

    def _household_options(self, status: str) -> list[tuple[str, int]]:
        return [(f"#{r.person_id} · {r.name} · {r.community_name}", r.id)
                for r in self.rows if r.status == status]

    def _row(self, household_id: int | None) -> hardship.HouseholdRow:
        row = next((r for r in self.rows if r.id == household_id), None)
        if row is None:
            raise ValidationError({"household": Message("form.required")})
        return row

    def _after_change(self) -> None:
        self.refresh()
        for form in (self.register, self.verify, self.exit):
            if form is not None:
                form.reload_options()


def build_hardship_register(ctx: AppContext) -> widgets.Widget:
    return HardshipRegisterApp(ctx) if ctx.actor else problem_page(ctx)


