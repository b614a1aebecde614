"""Training: courses, enrolment with a waiting list, attendance, completion, dropout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select

from casework import access, validation, vocab
from casework.access import Actor
from casework.db.models import Attendance, Course, Enrolment, OrgUnit, Person, TrainingFollowUp
from casework.errors import CaseworkError, NotFound, RuleRefused, ValidationError
from casework.i18n import Message
from casework.policy import (
    Decision,
    completion,
    dates_overlap,
    enrolment_eligibility,
    follow_up_dates,
    load_policy,
)
from casework.services import audit, conflicts
from casework.services.uow import UnitOfWork

HOLDS_SEAT = ("offered", "enrolled", "completed")
ACTIVE = ("waiting", "offered", "enrolled")


class NotEligibleForCourse(RuleRefused):
    """An enrolment rule refuses the person; ``decision`` says which and why."""

    key = "training.not_eligible"


class AlreadyOnCourse(CaseworkError):
    key = "training.already_on_course"


class WrongEnrolmentState(CaseworkError):
    """The step does not fit the enrolment's status (e.g. completing someone on the list)."""

    key = "training.wrong_state"


@dataclass(frozen=True)
class EnrolmentRow:
    id: int
    person_id: int
    name: str | None
    status: str
    position: int | None  # place on the waiting list, from 1
    hours: float
    version: int


def create_course(actor: Actor, uow: UnitOfWork, *, values: Mapping) -> int:
    """A street officer or trainer sets up a course for a street in their scope."""
    with uow:
        street = validation.fetch(uow.session, OrgUnit, values.get("street_id"))
        if not access.may(actor, "organise_training", street.path if street else None):
            raise audit.deny(uow, actor, action="create_course", entity="course")
        course = Course(**clean_course(values, street), created_by=actor.staff_id)
        audit.add(uow, actor, course, action="create_course")
        uow.commit()
        return course.id


def clean_course(values: Mapping, street: OrgUnit | None) -> dict:
    """Check a course's fields; raises ValidationError with a message per field."""
    errors: dict[str, Message] = {}
    out = {k: values.get(k) for k in ("title", "occupation", "kind", "provider", "start_date",
                                      "end_date", "hours", "capacity", "cost_per_trainee",
                                      "funding_source")}
    for name in ("title", "provider"):
        out[name] = validation.text(values, name, errors, max_len=100, required=True)
    for name, allowed in (("occupation", vocab.occupations()), ("kind", vocab.COURSE_KINDS),
                          ("funding_source", vocab.FUNDING_SOURCES)):
        out[name] = validation.choice(values, name, errors, allowed, required=True)
    out["skills"] = validation.choices(values, "skills", errors, vocab.skills())
    for name, low in (("hours", 1), ("capacity", 1), ("cost_per_trainee", 0)):
        value = out[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            errors[name] = Message("training.at_least", low=low)
        else:
            validation.whole(values, name, errors, low=low)
    for name in ("start_date", "end_date"):
        out[name] = validation.date(values, name, errors, required=True)
    if out["start_date"] and out["end_date"] and out["end_date"] < out["start_date"]:
        errors["end_date"] = Message("training.ends_before_start")
    if street is None or street.level != "street":
        errors["street_id"] = Message("training.choose_street")
    if errors:
        raise ValidationError(errors)
    return out | {"street_id": street.id}


def enrol(actor: Actor, uow: UnitOfWork, *, course_id: int, person_id: int,
          today: dt.date | None = None) -> EnrolmentRow:
    """Enrol a person, or put them on the waiting list when every seat is taken.

    Refused with reasons (``NotEligibleForCourse``) when a rule is not met.
    """
    today = today or uow.today()
    with uow:
        course = _course(actor, uow, course_id, "enrol")
        person = validation.fetch(uow.session, Person, person_id)
        if person is None:
            raise NotFound("error.person_not_found", id=person_id)
        if not access.in_scope(actor, person.community.path) and not access.in_scope(
                actor, course.street.path):
            raise audit.deny(uow, actor, action="enrol", entity="person", entity_id=person_id)
        if uow.session.scalar(select(Enrolment.id).where(Enrolment.course_id == course_id,
                                                         Enrolment.person_id == person_id)):
            raise AlreadyOnCourse()
        decision = _eligibility(uow, course, person)
        if not decision.ok:
            raise NotEligibleForCourse(decision)
        full = _seats_taken(uow, course_id) >= course.capacity
        enrolment = Enrolment(course_id=course_id, person_id=person_id,
                              status="waiting" if full else "enrolled", applied_on=today,
                              decision=[r.to_json() for r in decision.reasons],
                              policy_version=decision.policy_version)
        audit.add(uow, actor, enrolment, action="enrol")
        uow.commit()
        return _enrolment_row(uow, actor, enrolment)


def _eligibility(uow: UnitOfWork, course: Course, person: Person) -> Decision:
    others = uow.session.scalars(
        select(Course).join(Enrolment, Enrolment.course_id == Course.id)
        .where(Enrolment.person_id == person.id, Enrolment.status.in_(ACTIVE),
               Course.id != course.id))
    overlap = next((c.title for c in others
                    if dates_overlap(c.start_date, c.end_date, course.start_date,
                                     course.end_date)), None)
    return enrolment_eligibility(load_policy(), category=person.category,
                                 birth_date=person.birth_date, sex=person.sex,
                                 course_kind=course.kind, course_start=course.start_date,
                                 overlapping_course=overlap)


def _seats_taken(uow: UnitOfWork, course_id: int) -> int:
    return uow.session.scalar(select(func.count(Enrolment.id)).where(
        Enrolment.course_id == course_id, Enrolment.status.in_(HOLDS_SEAT)))


def drop(actor: Actor, uow: UnitOfWork, *, enrolment_id: int, expected_version: int,
         reason: str, on: dt.date | None = None) -> int | None:
    """Record a dropout with its reason; the freed seat is offered to the first person waiting.

    Returns the id of the enrolment that was offered the seat, if anyone was waiting.
    """
    reason, on = validation.args(dropout_reason=("choice", reason), dropped_on=("date", on))
    on = on or uow.today()
    with uow:
        enrolment = _enrolment(actor, uow, enrolment_id, expected_version, "drop")
        errors = {}
        if reason not in vocab.DROPOUT_REASONS:
            errors["dropout_reason"] = Message("form.bad_choice")
        if on > uow.today() or on < enrolment.applied_on:
            errors["dropped_on"] = Message("training.bad_dropout_date",
                                           applied=enrolment.applied_on.isoformat())
        if errors:
            raise ValidationError(errors)
        if enrolment.status not in ACTIVE:
            raise WrongEnrolmentState(status=Message(f"training.status.{enrolment.status}"))
        held_seat = enrolment.status in HOLDS_SEAT
        before = audit.snapshot(enrolment)
        enrolment.status, enrolment.dropped_on, enrolment.dropout_reason = "dropped", on, reason
        audit.changed(uow, actor, enrolment, action="drop", before=before)
        offered = _offer_next(uow, actor, enrolment.course_id) if held_seat else None
        uow.commit()
        return offered


def answer_offer(actor: Actor, uow: UnitOfWork, *, enrolment_id: int, expected_version: int,
                 accept: bool) -> int | None:
    """The person offered a seat takes it, or declines and the seat goes to the next in line.

    Returns the id of the enrolment that now holds or was offered the seat.
    """
    with uow:
        enrolment = _enrolment(actor, uow, enrolment_id, expected_version, "answer_offer")
        if enrolment.status != "offered":
            raise WrongEnrolmentState(status=Message(f"training.status.{enrolment.status}"))
        before = audit.snapshot(enrolment)
        if accept:
            decision = _eligibility(uow, enrolment.course, enrolment.person)
            if not decision.ok:
                raise NotEligibleForCourse(decision)
        enrolment.status = "enrolled" if accept else "declined"
        audit.changed(uow, actor, enrolment, action="answer_offer", before=before)
        result = enrolment.id if accept else _offer_next(uow, actor, enrolment.course_id)
        uow.commit()
        return result


def _offer_next(uow: UnitOfWork, actor: Actor, course_id: int) -> int | None:
    first = uow.session.scalar(select(Enrolment).where(
        Enrolment.course_id == course_id, Enrolment.status == "waiting")
        .order_by(Enrolment.applied_on, Enrolment.id).limit(1))
    if first is None:
        return None
    before = audit.snapshot(first)
    first.status = "offered"
    audit.changed(uow, actor, first, action="offer_seat", before=before)
    return first.id


def record_attendance(actor: Actor, uow: UnitOfWork, *, enrolment_id: int, hours: float,
                      session_date: dt.date | None = None, today: dt.date | None = None
                      ) -> float:
    """Add a session's hours, or (with no date) set the total; returns the hours attended."""
    hours, session_date = validation.args(hours=("number", hours),
                                          session_date=("date", session_date))
    today = today or uow.today()
    with uow:
        enrolment = _enrolment(actor, uow, enrolment_id, None, "record_attendance")
        course = enrolment.course
        errors = {}
        # A recorded total stands for everything attended so far; sessions add to it.
        kept = 0.0 if session_date is None else _hours(uow, enrolment_id)
        if enrolment.status != "enrolled":
            errors["hours"] = Message("training.not_enrolled")
        elif not isinstance(hours, int | float) or not 0 < hours <= course.hours - kept:
            errors["hours"] = Message("training.bad_hours", hours=course.hours, kept=f"{kept:g}")
        if session_date and not (course.start_date <= session_date <= min(course.end_date,
                                                                          today)):
            errors["session_date"] = Message("training.session_outside_course")
        if errors:
            raise ValidationError(errors)
        if session_date is None:
            for old in uow.session.scalars(select(Attendance).where(
                    Attendance.enrolment_id == enrolment_id)):
                uow.session.delete(old)
        row = Attendance(enrolment_id=enrolment_id, session_date=session_date, hours=hours,
                         staff_id=actor.staff_id)
        audit.add(uow, actor, row, action="record_attendance")
        total = _hours(uow, enrolment_id)
        uow.commit()
        return total


def _hours(uow: UnitOfWork, enrolment_id: int) -> float:
    return float(uow.session.scalar(select(func.coalesce(func.sum(Attendance.hours), 0)).where(
        Attendance.enrolment_id == enrolment_id)))


def complete(actor: Actor, uow: UnitOfWork, *, enrolment_id: int, expected_version: int,
             on: dt.date | None = None, certificate: Mapping | None = None,
             today: dt.date | None = None) -> Decision:
    """Mark completion when enough hours were attended; schedules the outcome follow-ups.

    Raises ``ValidationError`` on ``hours`` with the explanation when the hours fall short.
    """
    (on,) = validation.args(completed_on=("date", on))
    today = today or uow.today()
    on = on or today
    certificate = dict(certificate or {})
    with uow:
        enrolment = _enrolment(actor, uow, enrolment_id, expected_version, "complete")
        if enrolment.status != "enrolled":
            raise WrongEnrolmentState(status=Message(f"training.status.{enrolment.status}"))
        policy = load_policy()
        decision = completion(policy, hours_attended=_hours(uow, enrolment_id),
                              course_hours=enrolment.course.hours)
        errors = {} if decision.ok else {"hours": decision.reasons[0]}
        if on < enrolment.course.start_date or on > today:
            errors["completed_on"] = Message("training.bad_completion_date")
        if certificate.get("certificate_number") and not certificate.get("certificate_date"):
            errors["certificate_date"] = Message("form.required")
        for key in ("certificate_type", "certificate_number"):
            if len(certificate.get(key) or "") > 60:
                errors[key] = Message("form.too_long", max=60)
        if errors:
            raise ValidationError(errors)
        before = audit.snapshot(enrolment)
        enrolment.status, enrolment.completed_on = "completed", on
        for key in ("certificate_type", "certificate_number", "certificate_date"):
            setattr(enrolment, key, certificate.get(key) or None)
        audit.changed(uow, actor, enrolment, action="complete", before=before)
        for months, due in follow_up_dates(policy, course_end=enrolment.course.end_date):
            uow.session.add(TrainingFollowUp(enrolment_id=enrolment_id, months=months,
                                             due_on=due))
        uow.commit()
        return decision


def enrolments(actor: Actor, uow: UnitOfWork, *, course_id: int) -> list[EnrolmentRow]:
    """Everyone on a course: enrolled and completed first, then the waiting list in order."""
    with uow:
        _course(actor, uow, course_id, "read_course", write=False)
        rows = uow.session.scalars(select(Enrolment).where(Enrolment.course_id == course_id)
                                   .order_by(Enrolment.applied_on, Enrolment.id))
        order = {"enrolled": 0, "offered": 1, "completed": 0, "waiting": 2, "dropped": 3,
                 "declined": 3}
        out = [_enrolment_row(uow, actor, e) for e in rows]
        return sorted(out, key=lambda r: (order[r.status], r.position or 0, r.id))


def _enrolment_row(uow: UnitOfWork, actor: Actor, e: Enrolment) -> EnrolmentRow:
    position = None
    if e.status == "waiting":
        position = uow.session.scalar(select(func.count(Enrolment.id)).where(
            Enrolment.course_id == e.course_id, Enrolment.status == "waiting",
            (Enrolment.applied_on < e.applied_on)
            | ((Enrolment.applied_on == e.applied_on) & (Enrolment.id <= e.id))))
    name = e.person.name if actor.sees_identities else None
    return EnrolmentRow(e.id, e.person_id, name, e.status, position, _hours(uow, e.id),
                        e.version)


def _course(actor, uow, course_id, action, *, write=True) -> Course:
    course = validation.fetch(uow.session, Course, course_id)
    if course is None:
        raise NotFound()
    # Reading a course needs it in line only; changing it needs the organiser's capability.
    check = access.may if write else access.reaches
    if not check(actor, "organise_training", course.street.path):
        raise audit.deny(uow, actor, action=action, entity="course", entity_id=course_id)
    return course


def _enrolment(actor, uow, enrolment_id, expected_version, action) -> Enrolment:
    enrolment = validation.fetch(uow.session, Enrolment, enrolment_id)
    if enrolment is None:
        raise NotFound()
    _course(actor, uow, enrolment.course_id, action)
    if expected_version is not None:
        conflicts.check_version(uow.session, enrolment, expected_version)
    return enrolment
