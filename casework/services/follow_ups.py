"""Outcome follow-ups of trainees at 3, 6 and 12 months: due lists and records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from casework import access, validation, vocab
from casework.access import Actor
from casework.db.models import Course, Enrolment, OrgUnit, Person, TrainingFollowUp
from casework.errors import NotFound, ValidationError
from casework.i18n import Message
from casework.policy import load_policy
from casework.services import audit, conflicts, org
from casework.services.uow import UnitOfWork

FIELDS = ("recorded_on", "employed", "employer", "job_field", "monthly_wage", "contract_months",
          "social_insurance", "self_employed", "with_loan")


@dataclass(frozen=True)
class FollowUpRow:
    id: int
    enrolment_id: int
    name: str | None
    course_title: str
    months: int
    due_on: dt.date
    state: str  # overdue, due, upcoming, recorded
    version: int


def follow_ups(actor: Actor, uow: UnitOfWork, *, today: dt.date | None = None,
               include_recorded: bool = False) -> list[FollowUpRow]:
    """Follow-ups in the actor's scope; overdue first, then due today, then by due date.

    The state is computed from the due date and today, never stored.
    """
    today = today or uow.today()
    with uow:
        query = (_in_scope(actor, uow.session, select(TrainingFollowUp, Enrolment, Course))
                 .order_by(TrainingFollowUp.due_on, TrainingFollowUp.id))
        if not include_recorded:
            query = query.where(TrainingFollowUp.recorded_on.is_(None))
        out = [FollowUpRow(f.id, e.id, e.person.name if actor.sees_identities else None,
                           c.title, f.months, f.due_on, _state(f, today), f.version)
               for f, e, c in uow.session.execute(query).all()]
    rank = {"overdue": 0, "due": 1, "upcoming": 2, "recorded": 3}
    return sorted(out, key=lambda r: (rank[r.state], r.due_on, r.id))


def _state(f: TrainingFollowUp, today: dt.date) -> str:
    if f.recorded_on:
        return "recorded"
    return "overdue" if f.due_on < today else "due" if f.due_on == today else "upcoming"


def due_count(actor: Actor, session: Session, *, today: dt.date) -> int:
    """How many of ``follow_ups``' follow-ups are due today or overdue, counted in one query
    in the caller's open transaction."""
    return session.scalar(
        _in_scope(actor, session, select(func.count(TrainingFollowUp.id)))
        .where(TrainingFollowUp.recorded_on.is_(None), TrainingFollowUp.due_on <= today))


def _in_scope(actor: Actor, session: Session, query: Select) -> Select:
    """Follow-ups of the courses of the actor's line; for an account that follows up only its
    own community's trainees (a community station), those trainees' follow-ups."""
    query = (query.join(Enrolment, TrainingFollowUp.enrolment_id == Enrolment.id)
             .join(Course, Enrolment.course_id == Course.id))
    if access.may(actor, "follow_up_trainees") and not access.may(actor, "organise_training"):
        return (query.join(Person, Enrolment.person_id == Person.id)
                .join(OrgUnit, Person.community_id == OrgUnit.id)
                .where(OrgUnit.path.startswith(actor.unit_path)))
    streets = [s.id for s in org.streets_in_line(actor, session)]
    return query.where(Course.street_id.in_(streets))


SHAPE = {"recorded_on": "date", "employed": "bool", "self_employed": "bool", "with_loan": "bool",
         "employer": "text", "job_field": "choice", "monthly_wage": "int",
         "contract_months": "int", "social_insurance": "bool"}


def clean_follow_up(values: Mapping, *, due_on: dt.date, early_days: int,
                    today: dt.date) -> dict:
    """Check a follow-up's fields; raises ValidationError with a message per field."""
    errors: dict[str, Message] = {}
    out = {f: values.get(f) for f in FIELDS}
    out |= validation.shaped(out, SHAPE)
    out["employer"] = out["employer"] or None
    if out["employer"] and len(out["employer"]) > 100:
        errors["employer"] = Message("form.too_long", max=100)
    if out["recorded_on"] is None:
        errors["recorded_on"] = Message("form.required")
    elif out["recorded_on"] > today:
        errors["recorded_on"] = Message("form.date_in_future")
    elif out["recorded_on"] < due_on - dt.timedelta(days=early_days):
        errors["recorded_on"] = Message("training.follow_up_too_early", due=due_on.isoformat(),
                                        days=early_days)
    if out["employed"] is None:
        errors["employed"] = Message("form.required")
    if out["employed"] and not out["self_employed"]:
        for name in ("employer", "job_field", "monthly_wage"):
            if not out[name]:
                errors[name] = Message("training.needed_when_employed")
    if out["job_field"] and out["job_field"] not in vocab.occupations():
        errors["job_field"] = Message("form.bad_choice")
    for name in ("monthly_wage", "contract_months"):
        if out[name] is not None and (not isinstance(out[name], int) or out[name] < 0):
            errors[name] = Message("ledger.not_a_count")
    if out["self_employed"] and not out["employed"]:
        errors["self_employed"] = Message("training.self_employed_is_employed")
    if not out["self_employed"]:
        out["with_loan"] = None
    if errors:
        raise ValidationError(errors)
    return out


def record_follow_up(actor: Actor, uow: UnitOfWork, *, follow_up_id: int,
                     expected_version: int, values: Mapping,
                     today: dt.date | None = None) -> int:
    """Record (or correct) one follow-up; returns its new version."""
    today = today or uow.today()
    with uow:
        f = validation.fetch(uow.session, TrainingFollowUp, follow_up_id)
        if f is None:
            raise NotFound()
        course, trainee = f.enrolment.course, f.enrolment.person
        if not (access.may(actor, "organise_training", course.street.path)
                or access.may(actor, "follow_up_trainees", trainee.community.path)):
            raise audit.deny(uow, actor, action="record_follow_up", entity="training_follow_up",
                             entity_id=follow_up_id)
        conflicts.check_version(uow.session, f, expected_version)
        early = load_policy()["training"]["follow_up_early_days"]
        cleaned = clean_follow_up(values, due_on=f.due_on, early_days=early, today=today)
        before = audit.snapshot(f)
        for key, value in cleaned.items():
            setattr(f, key, value)
        f.recorded_by = actor.staff_id
        audit.changed(uow, actor, f, action="record_follow_up", before=before)
        uow.commit()
        return f.version


