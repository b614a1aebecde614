"""The placements app: record placements and their social insurance, claim placement subsidies
and take each claim through review, approval and payment."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets

from casework import access, vocab
from casework.errors import CaseworkError, ValidationError
from casework.i18n import Message
from casework.money import SUBSIDY_STEPS
from casework.services import jobs, org, placements, subsidies
from casework.ui import file_offer, placement_lists
from casework.ui import format as fmt
from casework.ui.common import html_box, problem_page, required, title, vocab_options
from casework.ui.fields import Field
from casework.ui.forms import Form, forms_for
from casework.ui.person_picker import searching
from casework.ui.placement_lists import who
from casework.ui.shell import AppContext

LATER_STEPS = SUBSIDY_STEPS[1:]  # the claim itself is the claim form's job
# form name: (action class, save label)
ACTIONS = {"placement": ("record-placement", "placements_ui.record_placement"),
           "contribution": ("record-contribution", "placements_ui.record_contribution"),
           "claim": ("claim", "placements_ui.claim"),
           "claim-step": ("claim-step", "placements_ui.take_step"),
           "end": ("end-placement", "placements_ui.end_placement")}
# The placement form's field names that differ from the service's keys.
SERVICE_KEYS = {"person": "person_id", "posting": "posting_id"}


def _field(name: str, kind: str, options=None, required: bool = False) -> Field:
    return Field(name, kind, f"placements_ui.field.{name}", options, required)


def _is_blank_or_count(value: object) -> bool:
    return value is None or isinstance(value, int)


class PlacementsApp(widgets.VBox):
    """Lists of placements and claims and, for ledger writers, the four forms that change them."""

    def __init__(self, ctx: AppContext, *, today: dt.date | None = None) -> None:
        self.ctx, self.today = ctx, today or ctx.uow.today()
        self.rows: list[placements.PlacementRow] = []
        self.claim_rows: list[subsidies.ClaimRow] = []
        self.courses: list[placements.CourseLink] = []
        self.forms: dict[str, Form] = {}
        self.placement_list = html_box("cw-placement-list")
        self.claim_list = placement_lists.claims_table(ctx)
        self.refresh()
        parts = [title(ctx, "apps.placements.title"), self._heading("placements"),
                 self.placement_list]
        if access.may(ctx.actor, "write_ledger"):
            self._build_forms()
            parts += [self._heading("placement"), self.forms["placement"],
                      self._heading("contribution"), self.forms["contribution"],
                      self._heading("end"), self.forms["end"],
                      self._heading("claims"), self.claim_list,
                      self._heading("claim"), self.forms["claim"],
                      self._heading("claim_step"), self.forms["claim-step"]]
        else:
            parts += [self._heading("claims"), self.claim_list,
                      widgets.HTML(f"<p>{html.escape(ctx.t('placements_ui.read_only'))}</p>")]
        super().__init__(parts)
        self.add_class("cw-placements")

    # Lists
    def refresh(self, *, placed: bool = True, claimed: bool = True) -> None:
        """Read the placements and/or the claims again (each list costs a service call)."""
        actor, uow = self.ctx.actor, self.ctx.uow
        if placed:
            self.rows = placements.placements(actor, uow)
            self.placement_list.value = placement_lists.placements_html(self.ctx, self.rows)
        if claimed:
            self.claim_rows = subsidies.claims(actor, uow)
            self.claim_list.set_rows(self.claim_rows)

    def _heading(self, name: str) -> widgets.HTML:
        text = self.ctx.t(f"placements_ui.section.{name}")
        return widgets.HTML(f"<h3>{html.escape(text)}</h3>")

    # Forms
    def _build_forms(self) -> None:
        actor, uow, lang = self.ctx.actor, self.ctx.uow, self.ctx.lang
        units = sorted(org.streets_for(actor, uow) + org.units(actor, uow, level="community"),
                       key=lambda u: u.path)  # each street, then its communities
        self.units = [(u.name(lang), u.id) for u in units]
        self.postings = jobs.postings(actor, uow, status="open")
        placement = _field("placement", "choice", self._placement_options, True)
        specs = {
            "placement": (self._placement_fields(), self._record_placement),
            "contribution": ([placement, _field("due_on", "date", required=True),
                              _field("paid_on", "date"), _field("amount", "int")],
                             self._record_contribution),
            "claim": ([placement,
                       _field("kind", "choice", vocab_options("subsidy_kind",
                                                              vocab.SUBSIDY_KINDS), True),
                       _field("funding_level", "choice", vocab_options(
                           "funding_level", vocab.FUNDING_LEVELS), True)], self._claim),
            "claim-step": ([_field("claim", "choice", self._claim_options, True),
                            _field("step", "choice", self._step_options, True),
                            _field("approved", "choice", self._decision_options, True),
                            _field("remark", "textarea")], self._take_step),
            "end": ([placement, _field("ended_on", "date", required=True),
                     _field("end_remark", "textarea")], self._end_placement),
        }
        self.forms = forms_for(specs, ACTIONS, lang=lang, after_save=self._after_save,
                               defaults=self._defaults)
        inputs = self.forms["placement"].inputs
        inputs["person"].observe(self._person_chosen, names="value")
        inputs["posting"].observe(self._posting_chosen, names="value")
        file_offer.offer(self.ctx, self.forms["placement"], None)
        self.forms["claim-step"].inputs["claim"].observe(self._claim_chosen, names="value")

    def _placement_fields(self) -> list[Field]:
        return [_field("person", "person", searching(self.ctx.actor, self.ctx.uow), True),
                _field("posting", "choice", self._posting_options),
                _field("employer", "text", required=True),
                _field("unit_id", "choice", lambda _lang: self.units, True),
                _field("start_date", "date", required=True),
                _field("contract_months", "int", required=True),
                _field("monthly_wage", "int", required=True),
                _field("social_insurance", "bool"),
                _field("enrolment_id", "choice", self._course_options),
                _field("policy_placement", "bool"),
                _field("personnel_file_number", "text"),
                _field(file_offer.FIELD, "bool")]

    def _defaults(self, name: str) -> dict:
        if name == "placement" and len(self.units) == 1:
            return {"unit_id": self.units[0][1]}
        return {"claim": {"kind": vocab.SUBSIDY_KINDS[0]},
                "claim-step": {"approved": True}}.get(name, {})

    def _after_save(self, name: str) -> None:
        # A claim's save has read the claims already, to report the amount.
        if name != "claim":
            self.refresh(placed=name in ("placement", "contribution", "end"),
                         claimed=name in ("claim-step", "end"))
        if name == "placement":  # the posting may have filled
            self.postings = jobs.postings(self.ctx.actor, self.ctx.uow, status="open")
        self.forms[name].clear(self._defaults(name))
        for form in self.forms.values():
            form.reload_options()

    def _posting_options(self, lang: str) -> list[tuple[str, int]]:
        return [(f"{p.title} · {p.investor_name} · {p.unit_name(lang)} (#{p.id})", p.id)
                for p in self.postings]

    def _course_options(self, lang: str) -> list[tuple[str, int]]:
        return [(f"{c.title} ({c.completed_on})", c.enrolment_id) for c in self.courses]

    def _placement_options(self, lang: str) -> list[tuple[str, int]]:
        return [(f"{who(r.name, r.person_id)} · {r.employer} · {r.start_date} · #{r.id}", r.id)
                for r in self.rows]

    def _claim_options(self, lang: str) -> list[tuple[str, int]]:
        t = self.ctx.t
        return [(f"#{c.id} · {who(c.name, c.person_id)} · "
                 f"{vocab.label('subsidy_kind', c.kind, lang)} · "
                 f"{t('placements_ui.claim_status.' + c.status)}", c.id)
                for c in self.claim_rows if c.next_step]

    def _step_options(self, lang: str) -> list[tuple[str, str]]:
        return [(self.ctx.t(f"money.step.{s}"), s) for s in LATER_STEPS]

    def _decision_options(self, lang: str) -> list[tuple[str, bool]]:
        return [(self.ctx.t("placements_ui.approve"), True),
                (self.ctx.t("placements_ui.refuse"), False)]

    # What one choice fills in elsewhere
    def _person_chosen(self, change) -> None:
        person_id = change["new"]
        try:
            self.courses = ([] if person_id is None else placements.completed_courses(
                self.ctx.actor, self.ctx.uow, person_id=person_id))
        except CaseworkError:
            self.courses = []
        widget = self.forms["placement"].inputs["enrolment_id"]
        widget.options = [("—", None)] + self._course_options(self.ctx.lang)
        # The latest completed course is the one a placement most likely follows.
        widget.value = self.courses[0].enrolment_id if self.courses else None
        file_offer.offer(self.ctx, self.forms["placement"], person_id)

    def _posting_chosen(self, change) -> None:
        posting = next((p for p in self.postings if p.id == change["new"]), None)
        if posting is None:
            return
        form = self.forms["placement"]
        current = form.values()
        filled = {"employer": posting.investor_name, "contract_months": posting.contract_months,
                  "monthly_wage": posting.monthly_wage}
        values = {k: v for k, v in filled.items() if current[k] is None}
        if posting.unit_id in [v for _, v in self.units]:
            values["unit_id"] = posting.unit_id
        form.set_values(values)

    def _claim_chosen(self, change) -> None:
        row = next((c for c in self.claim_rows if c.id == change["new"]), None)
        if row is not None and row.next_step in LATER_STEPS:
            self.forms["claim-step"].inputs["step"].value = row.next_step

    # Saves: each calls one service and returns the status line's text.
    def _record_placement(self, values: dict) -> str:
        if values["person"] is None:
            raise required("person")
        payload = {SERVICE_KEYS.get(k, k): v for k, v in values.items()}
        try:
            placement_id = placements.record_placement(self.ctx.actor, self.ctx.uow,
                                                       values=payload, today=self.today)
        except ValidationError as exc:
            back = {v: k for k, v in SERVICE_KEYS.items()}
            raise ValidationError({back.get(k, k): m for k, m in exc.fields.items()}) from exc
        placed = placements.placements(self.ctx.actor, self.ctx.uow, person_id=values["person"])
        row = next(r for r in placed if r.id == placement_id)
        name = who(row.name, row.person_id)
        if not values[file_offer.FIELD]:
            return self.ctx.t("placements_ui.placement_recorded", name=name)
        return self.ctx.t("placements_ui.placement_recorded_with_file", name=name,
                          number=row.personnel_file_number)

    def _record_contribution(self, values: dict) -> str:
        row = self._placement(values["placement"])
        if not _is_blank_or_count(values["amount"]):
            raise ValidationError({"amount": Message("ledger.not_a_count")})
        actor, uow = self.ctx.actor, self.ctx.uow
        placements.record_contribution(actor, uow, placement_id=row.id,
                                       due_on=values["due_on"], paid_on=values["paid_on"],
                                       amount=values["amount"])
        status = placements.insurance_status(actor, uow, placement_id=row.id, today=self.today)
        return self.ctx.t("placements_ui.contribution_recorded",
                          name=who(row.name, row.person_id), due=values["due_on"].isoformat(),
                          reasons=" ".join(status.explain(self.ctx.lang)))

    def _end_placement(self, values: dict) -> str:
        row = self._placement(values["placement"])
        flagged = placements.end_placement(self.ctx.actor, self.ctx.uow, placement_id=row.id,
                                           expected_version=row.version,
                                           ended_on=values["ended_on"],
                                           remark=values["end_remark"])
        key = "placements_ui.ended_recovery" if flagged else "placements_ui.ended"
        return self.ctx.t(key, name=who(row.name, row.person_id),
                          on=values["ended_on"].isoformat(),
                          claims=", ".join(f"#{c}" for c in flagged))

    def _claim(self, values: dict) -> str:
        row = self._placement(values["placement"])
        for name in ("kind", "funding_level"):
            if values[name] is None:
                raise required(name)
        claim_id = subsidies.claim(self.ctx.actor, self.ctx.uow, placement_id=row.id,
                                   kind=values["kind"], funding_level=values["funding_level"],
                                   today=self.today)
        self.refresh(placed=False)
        claim = next(c for c in self.claim_rows if c.id == claim_id)
        lang = self.ctx.lang
        return self.ctx.t("placements_ui.claimed", id=claim_id, name=who(row.name, row.person_id),
                          kind=vocab.label("subsidy_kind", claim.kind, lang),
                          amount=fmt.number(claim.amount),
                          fund=vocab.label("funding_level", claim.funding_level, lang))

    def _take_step(self, values: dict) -> str:
        row = next((c for c in self.claim_rows if c.id == values["claim"]), None)
        if row is None:
            raise required("claim")
        if values["step"] is None:
            raise required("step")
        approved = values["approved"] is not False
        subsidies.advance(self.ctx.actor, self.ctx.uow, claim_id=row.id,
                          expected_version=row.version, step=values["step"],
                          approved=approved, remark=values["remark"], today=self.today)
        key = "placements_ui.step_taken" if approved else "placements_ui.step_refused"
        return self.ctx.t(key, id=row.id, step=self.ctx.t(f"money.step.{values['step']}"))

    def _placement(self, placement_id: int | None) -> placements.PlacementRow:
        row = next((r for r in self.rows if r.id == placement_id), None)
        if row is None:
            raise required("placement")
        return row


def build_placements(ctx: AppContext) -> widgets.Widget:
    return PlacementsApp(ctx) if ctx.actor else problem_page(ctx)
