"""The job-postings app: post community jobs, rank and refer jobseekers, record what came of it,
and publish service-demand notices for the public board."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets

from casework import access, vocab
from casework.errors import CaseworkError, ValidationError
from casework.i18n import Message
from casework.policy import JOBSEEKERS
from casework.services import jobs, org
from casework.ui.common import (
    html_box,
    labelled_dropdown,
    occupation_options,
    required,
    skill_options,
    title,
    vocab_options,
)
from casework.ui.fields import Field
from casework.ui.forms import Form, forms_for
from casework.ui.gate import open_gated
from casework.ui.person_picker import PersonPicker, searching
from casework.ui.posting_lists import (
    candidates_html,
    matching_legend,
    note,
    person_matches_html,
    postings_table,
    referrals_html,
    show_postings,
)
from casework.ui.posting_lists import name_of as _name
from casework.ui.shell import AppContext

UNIT_LEVELS = ("street", "community")
# button action: the status it sets
STATUS_ACTIONS = {"fill-posting": "filled", "close-posting": "closed", "reopen-posting": "open"}
OUTCOMES = tuple(o for o in vocab.REFERRAL_OUTCOMES if o != "pending")
# form name: (action class, save label)
ACTIONS = {"posting": ("create-posting", "jobs_ui.create_posting"),
           "refer": ("refer", "jobs_ui.refer"),
           "outcome": ("record-outcome", "jobs_ui.record_outcome"),
           "notice": ("publish-notice", "jobs_ui.publish_notice")}


def _field(name: str, kind: str, options=None, required: bool = False) -> Field:
    return Field(name, kind, f"jobs_ui.field.{name}", options, required)


def posting_fields(units) -> list[Field]:
    return [_field("title", "text", required=True),
            _field("field", "choice", vocab_options("community_field", vocab.COMMUNITY_FIELDS),
                   True),
            _field("investor_kind", "choice", vocab_options("investor_kind", vocab.INVESTOR_KINDS),
                   True),
            _field("investor_name", "text", required=True),
            _field("investor_new", "bool"),
            _field("unit_id", "choice", units, True),
            _field("occupation", "choice", occupation_options, True),
            _field("skills", "multi", skill_options),
            _field("monthly_wage", "int", required=True),
            _field("contract_months", "int", required=True),
            _field("openings", "int", required=True),
            _field("public_welfare", "bool"),
            _field("contact", "text"),
            _field("description", "textarea")]


def notice_fields(units) -> list[Field]:
    return [_field("unit_id", "choice", units, True),
            _field("field", "choice", vocab_options("community_field", vocab.COMMUNITY_FIELDS),
                   True),
            _field("title", "text", required=True),
            _field("body", "textarea"),
            _field("closes_on", "date")]


class JobPostingsApp(widgets.VBox):
    """Postings with their status; for posting staff, matching, referrals, outcomes, notices."""

    def __init__(self, ctx: AppContext, *, today: dt.date | None = None) -> None:
        self.ctx, self.today = ctx, today or ctx.uow.today()
        self.poster = access.may(ctx.actor, "post_jobs")
        self.postings: list[jobs.PostingRow] = []
        self.matches: list[jobs.Match] = []
        self.referred: list[jobs.ReferralRow] = []
        self.forms: dict[str, Form] = {}
        self.posting_list = postings_table(ctx)
        self.candidate_list = html_box("cw-candidate-list")
        self.referral_list, self.person_matches = map(html_box, ("cw-referral-list",
                                                              "cw-person-matches"))
        self.picker = labelled_dropdown("cw-field-posting", ctx.t("look_pickers.posting"),
                                        [("—", None)])
        self.person = PersonPicker("person", search=searching(ctx.actor, ctx.uow,
                                                              categories=JOBSEEKERS),
                                   lang=ctx.lang)
        self._quiet, self._select = False, None
        parts = [title(ctx, "apps.job_postings.title"), self._heading("postings"),
                 self.posting_list]
        if self.poster:
            self._build_forms()
            parts += self._staff_parts()
        else:
            parts.append(widgets.HTML(f"<p>{html.escape(ctx.t('jobs_ui.read_only'))}</p>"))
        self.refresh()
        self.picker.observe(self._posting_chosen, names="value")
        self.person.observe(lambda _c: self.refresh_person(), names="value")
        super().__init__(parts)
        self.add_class("cw-job-postings")

    def _staff_parts(self) -> list[widgets.Widget]:
        legend = widgets.HTML(matching_legend(self.ctx))
        legend.add_class("cw-matching-legend")
        h = self._heading
        return [h("posting"), self.forms["posting"], h("manage"), self._manage_bar(),
                h("candidates"), legend, self.candidate_list, h("refer"), self.forms["refer"],
                h("referrals"), self.referral_list, h("outcome"), self.forms["outcome"],
                h("person"), self.person, self.person_matches, h("notice"), self.forms["notice"]]

    def _manage_bar(self) -> widgets.Widget:
        self.manage_status = widgets.HTML("")
        self.manage_status.add_class("cw-status")
        buttons = []
        for action, status in STATUS_ACTIONS.items():
            button = widgets.Button(description=self.ctx.t(f"jobs_ui.{action.replace('-', '_')}"))
            button.add_class(f"cw-action-{action}")
            button.on_click(lambda _b, s=status: self._set_status(s))
            buttons.append(button)
        box = widgets.VBox([self.picker, widgets.HBox(buttons), self.manage_status])
        box.add_class("cw-posting-manage")
        return box

    def _heading(self, name: str) -> widgets.HTML:
        return widgets.HTML(f"<h3>{html.escape(self.ctx.t(f'jobs_ui.section.{name}'))}</h3>")

    # Lists
    def refresh(self) -> None:
        self.postings = jobs.postings(self.ctx.actor, self.ctx.uow)
        show_postings(self.posting_list, self.postings)
        self._set_postings()
        if self.poster:
            self.refresh_posting()
            self.refresh_person()

    def refresh_posting(self) -> None:
        actor, uow, posting = self.ctx.actor, self.ctx.uow, self.chosen()
        self.matches = [] if posting is None else jobs.candidates(actor, uow,
                                                                  posting_id=posting.id)
        self.referred = [] if posting is None else jobs.referrals(actor, uow,
                                                                  posting_id=posting.id)
        referred = {r.person_id for r in self.referred}
        self.candidate_list.value = self._empty(posting, self.matches, "no_candidates") or (
            candidates_html(self.ctx, self.matches, referred))
        self.referral_list.value = self._empty(posting, self.referred, "no_referrals") or (
            referrals_html(self.ctx, self.referred))
        for form in self.forms.values():
            form.reload_options()

    def refresh_person(self) -> None:
        if self.person.value is None:
            self.person_matches.value = note(self.ctx, "choose_person")
            return
        found = jobs.postings_for_person(self.ctx.actor, self.ctx.uow, person_id=self.person.value)
        units = {p.id: p.unit_name(self.ctx.lang) for p in self.postings}
        self.person_matches.value = (person_matches_html(self.ctx, found, units) if found
                                     else note(self.ctx, "no_matches"))

    def _empty(self, posting, rows: list, key: str) -> str:
        if posting is None:
            return note(self.ctx, "choose_posting")
        return "" if rows else note(self.ctx, key)

    def chosen(self) -> jobs.PostingRow | None:
        return next((p for p in self.postings if p.id == self.picker.value), None)

    def _set_postings(self) -> None:
        kept, self._select = self._select or self.picker.value, None
        self._quiet = True
        try:
            self.picker.options = [("—", None)] + [
                (f"{p.title} · {vocab.label('posting_status', p.status, self.ctx.lang)} · #{p.id}",
                 p.id) for p in self.postings]
            self.picker.value = kept if kept in {p.id for p in self.postings} else None
        finally:
            self._quiet = False

    def _posting_chosen(self, _change) -> None:
        if not self._quiet and self.poster:
            self.refresh_posting()

    def _set_status(self, status: str) -> None:
        posting, t = self.chosen(), self.ctx.t
        if posting is None:
            self._say(t("jobs_ui.choose_posting_first"), "error")
            return
        try:
            jobs.set_status(self.ctx.actor, self.ctx.uow, posting_id=posting.id,
                            expected_version=posting.version, status=status, today=self.today)
        except CaseworkError as exc:
            self._say(exc.text(self.ctx.lang), "error")
        else:
            label = vocab.label("posting_status", status, self.ctx.lang)
            self._say(t("jobs_ui.posting_status_set", title=posting.title, status=label), "ok")
        self.refresh()  # a stale version is read again, so the next click works on the new one

    def _say(self, text: str, kind: str) -> None:
        self.manage_status.value = f'<span class="cw-status-{kind}">{html.escape(text)}</span>'

    # Forms
    def _build_forms(self) -> None:
        lang = self.ctx.lang
        units = [(f"{u.name(lang)} ({self.ctx.t('level.' + u.level)})", u.id)
                 for u in org.units(self.ctx.actor, self.ctx.uow) if u.level in UNIT_LEVELS]
        self.unit_default = {"unit_id": units[0][1]} if len(units) == 1 else {}
        outcomes = vocab_options("referral_outcome", OUTCOMES)
        specs = {
            "posting": (posting_fields(lambda _l: units), self._create_posting),
            "refer": ([_field("candidate", "choice", self._candidate_options, True)], self._refer),
            "outcome": ([_field("referral", "choice", self._referral_options, True),
                         _field("outcome", "choice", outcomes, True),
                         _field("outcome_on", "date")], self._record_outcome),
            "notice": (notice_fields(lambda _l: units), self._publish_notice),
        }
        self.forms = forms_for(specs, ACTIONS, lang=lang, after_save=self._after_save,
                               defaults=self._defaults)

    def _defaults(self, name: str) -> dict:
        if name == "outcome":
            return {"outcome_on": self.today.isoformat()}
        return self.unit_default if name in ("posting", "notice") else {}

    def _after_save(self, name: str) -> None:
        self.forms[name].clear(self._defaults(name))
        if name in ("posting", "refer", "outcome"):
            self.refresh()

    def _candidate_options(self, lang: str) -> list[tuple[str, int]]:
        referred = {r.person_id for r in self.referred}
        return [(f"{rank}. {_name(m)} · {m.score:.1f}", m.person_id)
                for rank, m in enumerate(self.matches, 1) if m.person_id not in referred]

    def _referral_options(self, lang: str) -> list[tuple[str, int]]:
        return [(f"{_name(r)} · {vocab.label('referral_outcome', r.outcome, lang)}", r.id)
                for r in self.referred]

    # Saves: each calls one service and returns the status line's text.
    def _create_posting(self, values: dict) -> str:
        self._select = jobs.create_posting(self.ctx.actor, self.ctx.uow, values=values,
                                           today=self.today)
        return self.ctx.t("jobs_ui.posting_created", title=values["title"])

    def _refer(self, values: dict) -> str:
        posting = self.chosen()
        if posting is None:
            raise ValidationError({"candidate": Message("jobs_ui.choose_posting_first")})
        match = next((m for m in self.matches if m.person_id == values["candidate"]), None)
        if match is None:
            raise required("candidate")
        jobs.refer(self.ctx.actor, self.ctx.uow, posting_id=posting.id,
                   person_id=match.person_id, today=self.today)
        return self.ctx.t("jobs_ui.referred", name=_name(match), title=posting.title,
                          score=f"{match.score:.1f}")

    def _record_outcome(self, values: dict) -> str:
        row = next((r for r in self.referred if r.id == values["referral"]), None)
        if row is None:
            raise required("referral")
        if values["outcome"] is None:
            raise required("outcome")
        jobs.record_outcome(self.ctx.actor, self.ctx.uow, referral_id=row.id,
                            expected_version=row.version, outcome=values["outcome"],
                            on=values["outcome_on"] or self.today)
        outcome = vocab.label("referral_outcome", values["outcome"], self.ctx.lang)
        return self.ctx.t("jobs_ui.outcome_recorded", name=_name(row), outcome=outcome)

    def _publish_notice(self, values: dict) -> str:
        jobs.publish_notice(self.ctx.actor, self.ctx.uow, values=values, today=self.today)
        return self.ctx.t("jobs_ui.notice_published", title=values["title"])


def build_job_postings(ctx: AppContext) -> widgets.Widget:
    return open_gated(ctx, JobPostingsApp, capability="read_postings", page="job_postings")
