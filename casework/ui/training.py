"""The training app: courses, enrolment with a waiting list, attendance, completion, follow-ups."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets

from casework import access, vocab
from casework.errors import ValidationError
from casework.i18n import Message
from casework.services import course_lists, follow_ups, org, training
from casework.services.person_search import PersonMatches, search_persons
from casework.ui.common import (
    html_box,
    labelled_dropdown,
    occupation_options,
    problem_page,
    required,
    skill_options,
    title,
    vocab_options,
)
from casework.ui.fields import Field
from casework.ui.follow_ups import follow_up_fields, follow_up_label, record_chosen
from casework.ui.forms import Form, forms_for
from casework.ui.shell import AppContext
from casework.ui.training_lists import courses_html, enrolments_html
from casework.ui.training_lists import name_of as _name

# The categories the enrolment rule may accept; the rule itself still decides (working age etc.).
ENROLLABLE = ("laid_off", "unemployed", "never_employed", "new_entrant")
# form name: (action class, save label)
ACTIONS = {"course": ("create-course", "training_ui.create_course"),
           "enrol": ("enrol", "training_ui.enrol"),
           "drop": ("drop", "training_ui.drop"),
           "offer": ("accept-offer", "training_ui.accept_offer"),
           "attendance": ("record-attendance", "training_ui.record_attendance"),
           "complete": ("complete", "training_ui.complete"),
           "follow-up": ("record-follow-up", "training_ui.record_follow_up")}
CERTIFICATE = ("certificate_type", "certificate_number", "certificate_date")


def _field(name: str, kind: str, options=None, required: bool = False) -> Field:
    return Field(name, kind, f"training_ui.field.{name}", options, required)


def course_fields(streets) -> list[Field]:
    return [_field("title", "text", required=True),
            _field("occupation", "choice", occupation_options, required=True),
            _field("skills", "multi", skill_options),
            _field("kind", "choice", vocab_options("course_kind", vocab.COURSE_KINDS), True),
            _field("provider", "text", required=True),
            _field("start_date", "date", required=True),
            _field("end_date", "date", required=True),
            _field("hours", "int", required=True),
            _field("capacity", "int", required=True),
            _field("cost_per_trainee", "int", required=True),
            _field("funding_source", "choice",
                   vocab_options("funding_source", vocab.FUNDING_SOURCES), True),
            _field("street_id", "choice", streets, required=True)]


class TrainingApp(widgets.VBox):
    """The course list and, for organisers, a form per step of a trainee's way through a course."""

    def __init__(self, ctx: AppContext, *, today: dt.date | None = None) -> None:
        self.ctx, self.today = ctx, today or ctx.uow.today()
        self.courses: list[course_lists.CourseRow] = []
        self.rows: list[training.EnrolmentRow] = []
        self.due: list[follow_ups.FollowUpRow] = []
        self.forms: dict[str, Form] = {}
        self.course_list, self.enrolment_list = map(html_box, ("cw-course-list",
                                                               "cw-enrolment-list"))
        self.picker = labelled_dropdown("cw-field-course", ctx.t("look_pickers.course"))
        self._quiet, self._declining, self._select = False, False, None
        self.refresh()
        self.picker.observe(self._course_chosen, names="value")
        parts = [title(ctx, "apps.training_enrolment.title"), self._heading("courses"),
                 self.course_list]
        if access.may(ctx.actor, "organise_training"):
            self._build_forms()
            self._planned_course()
            parts += [self._heading("course"), self.forms["course"]]
        parts += [self._heading("manage"), self.picker, self.enrolment_list]
        if self.forms:
            parts += [w for name in ("enrol", "drop", "offer", "attendance", "complete",
                                     "follow-up") for w in (self._heading(name), self.forms[name])]
        else:
            parts.append(widgets.HTML(f"<p>{html.escape(ctx.t('training_ui.read_only'))}</p>"))
        super().__init__(parts)
        self.add_class("cw-training")

    # Lists
    def refresh(self) -> None:
        actor, uow = self.ctx.actor, self.ctx.uow
        self.courses = course_lists.list_courses(actor, uow)
        self.course_list.value = courses_html(self.ctx, self.courses, self.today)
        self._set_courses()
        self.refresh_enrolments()
        self.due = follow_ups.follow_ups(actor, uow, today=self.today)

    def refresh_enrolments(self) -> None:
        course_id = self.picker.value
        self.rows = ([] if course_id is None else
                     training.enrolments(self.ctx.actor, self.ctx.uow, course_id=course_id))
        if course_id is None or not self.rows:
            key = "training_ui.choose_course" if course_id is None else "training_ui.empty"
            self.enrolment_list.value = f"<p>{html.escape(self.ctx.t(key))}</p>"
        else:
            self.enrolment_list.value = enrolments_html(self.ctx, self.rows)

    def _set_courses(self) -> None:
        kept, self._select = self._select or self.picker.value, None
        self._quiet = True
        try:
            self.picker.options = [("—", None)] + [
                (f"{c.title} · {c.start_date} – {c.end_date}", c.id) for c in self.courses]
            self.picker.value = kept if kept in {c.id for c in self.courses} else None
        finally:
            self._quiet = False

    def _course_chosen(self, _change) -> None:
        if not self._quiet:
            self.refresh_enrolments()
            self._reload_options()

    def _heading(self, name: str) -> widgets.HTML:
        text = self.ctx.t(f"training_ui.section.{name.replace('-', '_')}")
        return widgets.HTML(f"<h3>{html.escape(text)}</h3>")

    # Forms
    def _build_forms(self) -> None:
        actor, uow, lang = self.ctx.actor, self.ctx.uow, self.ctx.lang
        self.streets = [(u.name(lang), u.id) for u in org.streets_for(actor, uow)]
        dropout = vocab_options("dropout_reason", vocab.DROPOUT_REASONS)
        specs = {
            "course": (course_fields(lambda _l: self.streets), self._create_course),
            "enrol": ([_field("person", "person", self._person_search, True)], self._enrol),
            "drop": ([self._enrolment_field(training.ACTIVE),
                      _field("dropout_reason", "choice", dropout, True)], self._drop),
            "offer": ([self._enrolment_field(("offered",))], self._answer_offer),
            "attendance": ([self._enrolment_field(("enrolled",)),
                            _field("hours", "int", required=True),
                            _field("session_date", "date")], self._attendance),
            "complete": ([self._enrolment_field(("enrolled",)),
                          _field("completed_on", "date", required=True),
                          _field("certificate_type", "text"), _field("certificate_number", "text"),
                          _field("certificate_date", "date")], self._complete),
            "follow-up": (follow_up_fields(self._follow_up_options), self._record_follow_up),
        }
        self.forms = forms_for(specs, ACTIONS, lang=lang, after_save=self._after_save,
                               defaults=self._defaults)
        self._add_decline_button()

    def _planned_course(self) -> None:
        """``?draft=curriculum``: fill the course form from the curriculum plan's draft."""
        from casework.services import drafts

        if self.ctx.params.get("draft") == "curriculum":
            draft = drafts.load_draft(self.ctx.actor, self.ctx.uow, form="course",
                                      key="curriculum")
            if draft:
                self.forms["course"].set_values(draft)

    def _add_decline_button(self) -> None:
        form = self.forms["offer"]
        decline = widgets.Button(description=self.ctx.t("training_ui.decline_offer"))
        decline.add_class("cw-action-decline-offer")
        decline.on_click(lambda _b: self._decline())
        children = list(form.children)
        children[children.index(form.save_button)] = widgets.HBox([form.save_button, decline])
        form.children = children

    def _decline(self) -> None:
        # The same form saves both answers, so errors and the status line behave alike.
        self._declining = True
        try:
            self.forms["offer"].submit()
        finally:
            self._declining = False

    def _defaults(self, name: str) -> dict:
        today = self.today.isoformat()
        if name == "course" and len(self.streets) == 1:
            return {"street_id": self.streets[0][1]}
        return {"complete": {"completed_on": today},
                "follow-up": {"recorded_on": today}}.get(name, {})

    def _after_save(self, name: str) -> None:
        self.refresh()
        self.forms[name].clear(self._defaults(name))
        self._reload_options()

    def _reload_options(self) -> None:
        for form in self.forms.values():
            form.reload_options()

    def _enrolment_field(self, statuses: tuple[str, ...]) -> Field:
        return _field("enrolment", "choice", lambda lang: self._enrolment_options(statuses), True)

    def _enrolment_options(self, statuses: tuple[str, ...]) -> list[tuple[str, int]]:
        return [(f"{_name(r)} · {self.ctx.t('training.status.' + r.status)}", r.id)
                for r in self.rows if r.status in statuses]

    def _person_search(self, **query) -> PersonMatches:
        """Those who may enrol: in scope, of an enrollable category, not yet on the course."""
        return search_persons(self.ctx.actor, self.ctx.uow, categories=ENROLLABLE,
                              exclude_ids={r.person_id for r in self.rows}, **query)

    def _follow_up_options(self, lang: str) -> list[tuple[str, int]]:
        return [(follow_up_label(self.ctx, f), f.id) for f in self.due]

    def _course_id(self) -> int:
        if self.picker.value is None:
            raise ValidationError({"course": Message("training_ui.choose_course_first")})
        return self.picker.value

    def _row(self, enrolment_id: int | None) -> training.EnrolmentRow:
        row = next((r for r in self.rows if r.id == enrolment_id), None)
        if row is None:
            raise required("enrolment")
        return row

    def _name_of(self, enrolment_id: int) -> str:
        rows = training.enrolments(self.ctx.actor, self.ctx.uow, course_id=self._course_id())
        return next((_name(r) for r in rows if r.id == enrolment_id), f"#{enrolment_id}")

    # Saves: each calls one service and returns the status line's text.
    def _create_course(self, values: dict) -> str:
        self._select = training.create_course(self.ctx.actor, self.ctx.uow, values=values)
        return self.ctx.t("training_ui.course_created", title=values["title"])

    def _enrol(self, values: dict) -> str:
        course_id = self._course_id()
        if values["person"] is None:
            raise required("person")
        row = training.enrol(self.ctx.actor, self.ctx.uow, course_id=course_id,
                             person_id=values["person"], today=self.today)
        if row.status == "waiting":
            return self.ctx.t("training_ui.waiting", name=_name(row), position=row.position)
        return self.ctx.t("training_ui.enrolled", name=_name(row))

    def _drop(self, values: dict) -> str:
        row = self._row(values["enrolment"])
        if values["dropout_reason"] is None:
            raise required("dropout_reason")
        offered = training.drop(self.ctx.actor, self.ctx.uow, enrolment_id=row.id,
                                expected_version=row.version, reason=values["dropout_reason"],
                                on=self.today)
        if offered is None:
            return self.ctx.t("training_ui.dropped", name=_name(row))
        return self.ctx.t("training_ui.dropped_offered", name=_name(row),
                          offered=self._name_of(offered))

    def _answer_offer(self, values: dict) -> str:
        row, accept = self._row(values["enrolment"]), not self._declining
        result = training.answer_offer(self.ctx.actor, self.ctx.uow, enrolment_id=row.id,
                                       expected_version=row.version, accept=accept)
        if accept:
            return self.ctx.t("training_ui.offer_accepted", name=_name(row))
        if result is None:
            return self.ctx.t("training_ui.offer_declined", name=_name(row))
        return self.ctx.t("training_ui.offer_declined_next", name=_name(row),
                          offered=self._name_of(result))

    def _attendance(self, values: dict) -> str:
        row, hours = self._row(values["enrolment"]), values["hours"]
        if not isinstance(hours, int):
            # The service compares hours as a number; a blank or a word must stop here.
            raise ValidationError({"hours": Message("form.required" if hours is None
                                                    else "ledger.not_a_count")})
        total = training.record_attendance(self.ctx.actor, self.ctx.uow, enrolment_id=row.id,
                                           hours=hours, session_date=values["session_date"],
                                           today=self.today)
        return self.ctx.t("training_ui.attendance_recorded", name=_name(row), total=f"{total:g}")

    def _complete(self, values: dict) -> str:
        row = self._row(values["enrolment"])
        if values["completed_on"] is None:
            raise required("completed_on")
        decision = training.complete(self.ctx.actor, self.ctx.uow, enrolment_id=row.id,
                                     expected_version=row.version, on=values["completed_on"],
                                     certificate={k: values[k] for k in CERTIFICATE})
        return self.ctx.t("training_ui.completed", name=_name(row),
                          reasons=" ".join(decision.explain(self.ctx.lang)))

    def _record_follow_up(self, values: dict) -> str:
        return record_chosen(self.ctx, self.due, values, today=self.today)


def build_training(ctx: AppContext) -> widgets.Widget:
    return TrainingApp(ctx) if ctx.actor else problem_page(ctx)
