"""Placements: who started which job on what contract, its social insurance month by month,
and the course or referral it followed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework import access, validation
from casework.access import Actor
from casework.db.models import (
    Course,
    EmploymentStatus,
    Enrolment,
    InsuranceContribution,
    JobPosting,
    OrgUnit,
    Placement,
    Referral,
    ServiceRecord,
)
from casework.errors import ValidationError
from casework.i18n import Message
from casework.money import Contribution, insurance_on_time
from casework.policy import Decision, load_policy
from casework.services import agency, audit, scope, subsidies
from casework.services.uow import UnitOfWork


@dataclass(frozen=True)
class CourseLink:
    """A completed course a placement may follow, newest first in the form."""

    enrolment_id: int
    title: str
    completed_on: dt.date


@dataclass(frozen=True)
class PlacementRow:
    id: int
    person_id: int
    name: str | None
    employer: str
    posting_id: int | None
    unit_id: int
    start_date: dt.date
    contract_months: int
    monthly_wage: int
    social_insurance: bool
    enrolment_id: int | None
    course_title: str | None
    referral_id: int | None
    hardship: bool
    policy_placement: bool
    personnel_file_number: str | None
    months_paid: int
    version: int
    ended_on: dt.date | None = None


def completed_courses(actor: Actor, uow: UnitOfWork, *, person_id: int) -> list[CourseLink]:
    """The person's completed courses, latest first: the form offers the first."""
    with uow:
        scope.person(actor, uow, person_id, action="read_courses")
        rows = uow.session.execute(
            select(Enrolment.id, Course.title, Enrolment.completed_on)
            .join(Course, Course.id == Enrolment.course_id)
            .where(Enrolment.person_id == person_id, Enrolment.status == "completed")
            .order_by(Enrolment.completed_on.desc(), Enrolment.id.desc()))
        return [CourseLink(*row) for row in rows]


PLACEMENT_SHAPE = {"person_id": "id", "posting_id": "id", "enrolment_id": "id", "unit_id": "id",
                   "employer": "text", "start_date": "date", "contract_months": "int",
                   "monthly_wage": "int", "social_insurance": "flag", "open_file": "bool",
                   "personnel_file_number": "text"}


def record_placement(actor: Actor, uow: UnitOfWork, *, values: Mapping,
                     today: dt.date | None = None) -> int:
    """Record a placement. The person's status becomes employed, a referral to the same
    posting becomes 'hired' and the posting fills when its openings are taken.

    No file number is needed, not even for a never-employed person: the notice says the office
    *may* set up a file for them (四(四), 可为他们建立). With ``values["open_file"]`` it does so in
    the same transaction (affairs agency), and the placement carries the new file's number.
    """
    today = today or uow.today()
    values = validation.shaped(values, PLACEMENT_SHAPE)
    with uow:
        person = scope.person(actor, uow, values.get("person_id"), action="record_placement")
        posting = (validation.fetch(uow.session, JobPosting, values["posting_id"])
                   if values.get("posting_id") else None)
        out = _clean(uow, actor, values, person, posting, today)
        if values.get("open_file"):
            opened = agency.open_here(uow, actor, person, number=out["personnel_file_number"],
                                      on=today)
            out |= {"personnel_file_number": opened.file_number, "personnel_file_opened": today}
        placement = Placement(**out, hardship=scope.aid_targeted(uow, person.id),
                              created_by=actor.staff_id)
        audit.add(uow, actor, placement, action="record_placement")
        _follow_on(uow, actor, placement, person, posting)
        uow.commit()
        return placement.id


def _clean(uow, actor: Actor, values: Mapping, person, posting: JobPosting | None,
           today: dt.date) -> dict:
    errors: dict[str, Message] = {}
    employer = str(values.get("employer") or "").strip() or (posting.investor_name
                                                             if posting else "")
    if not employer:
        errors["employer"] = Message("form.required")
    elif len(employer) > 100:
        errors["employer"] = Message("form.too_long", max=100)
    unit_id = values.get("unit_id") or (posting.unit_id if posting else None)
    unit = validation.fetch(uow.session, OrgUnit, unit_id) if unit_id else None
    if unit is None or unit.level not in ("street", "community") or not access.in_line(
            actor, unit.path):
        errors["unit_id"] = Message("jobs.choose_unit")
    start = values.get("start_date")
    if not start:
        errors["start_date"] = Message("form.required")
    elif start > today:
        errors["start_date"] = Message("form.date_in_future")
    for name, low in (("contract_months", 1), ("monthly_wage", 1)):
        if not isinstance(values.get(name), int) or values[name] < low:
            errors[name] = Message("training.at_least", low=low)
    enrolment_id = values.get("enrolment_id")
    if enrolment_id:
        enrolment = validation.fetch(uow.session, Enrolment, enrolment_id)
        if (enrolment is None or enrolment.person_id != person.id
                or enrolment.status != "completed"):
            errors["enrolment_id"] = Message("placements.not_their_course")
    file_number = str(values.get("personnel_file_number") or "").strip() or None
    if file_number and len(file_number) > 40:
        errors["personnel_file_number"] = Message("form.too_long", max=40)
    elif values.get("open_file"):
        errors |= agency.opening_errors(uow, person, file_number)
    if errors:
        raise ValidationError(errors)
    referral_id = values.get("referral_id") or (posting and uow.session.scalar(
        select(Referral.id).where(Referral.posting_id == posting.id,
                                  Referral.person_id == person.id)))
    referral = validation.fetch(uow.session, Referral, referral_id) if referral_id else None
    if referral_id and (referral is None or referral.person_id != person.id):
        raise ValidationError({"referral_id": Message("placements.not_their_referral")})
    return {"person_id": person.id, "posting_id": posting.id if posting else None,
            "employer": employer, "unit_id": unit.id, "start_date": start,
            "contract_months": values["contract_months"], "monthly_wage": values["monthly_wage"],
            "social_insurance": bool(values.get("social_insurance")),
            "enrolment_id": enrolment_id or None, "referral_id": referral_id or None,
            "policy_placement": bool(values.get("policy_placement")),
            "personnel_file_number": file_number, "personnel_file_opened": None}


def _follow_on(uow, actor: Actor, placement: Placement, person, posting) -> None:
    uow.session.add(EmploymentStatus(person_id=person.id, status="employed",
                                     since=placement.start_date,
                                     monthly_wage=placement.monthly_wage,
                                     staff_id=actor.staff_id,
                                     note=f"placement {placement.id}"))
    if placement.personnel_file_opened:  # a file set up here: the custody service begins
        uow.session.add(ServiceRecord(person_id=person.id, kind="file_custody",
                                      service_date=placement.personnel_file_opened,
                                      staff_id=actor.staff_id,
                                      notes=placement.personnel_file_number))
    if placement.referral_id:
        referral = validation.fetch(uow.session, Referral, placement.referral_id)
        before = audit.snapshot(referral)
        referral.outcome, referral.outcome_on = "hired", placement.start_date
        audit.changed(uow, actor, referral, action="referral_outcome", before=before)
    if posting is not None and posting.status == "open":
        taken = len(uow.session.scalars(select(Placement.id).where(
            Placement.posting_id == posting.id)).all())
        if taken >= posting.openings:
            before = audit.snapshot(posting)
            posting.status, posting.closed_on = "filled", placement.start_date
            audit.changed(uow, actor, posting, action="posting_filled", before=before)


def end_placement(actor: Actor, uow: UnitOfWork, *, placement_id: int, expected_version: int,
                  ended_on: dt.date | None, remark: str | None = None) -> list[int]:
    """Record that a placement ended: the person is out of work again from that day, and a
    job-development claim is flagged for recovery when the job ended before [subsidy]
    recovery_within_months. Returns the ids of the claims flagged."""
    ended_on, remark = validation.args(ended_on=("date", ended_on), remark=("text", remark))
    with uow:
        placement = scope.record(uow, Placement, placement_id, expected_version)
        person = scope.person(actor, uow, placement.person_id, action="end_placement")
        if ended_on is None:
            raise ValidationError({"ended_on": Message("form.required")})
        if ended_on > uow.today():
            raise ValidationError({"ended_on": Message("form.date_in_future")})
        if ended_on < placement.start_date:
            raise ValidationError({"ended_on": Message(
                "placements.ended_before_start", start=placement.start_date.isoformat())})
        if placement.ended_on is not None:
            raise ValidationError({"ended_on": Message(
                "placements.already_ended", on=placement.ended_on.isoformat())})
        before = audit.snapshot(placement)
        placement.ended_on = ended_on
        audit.changed(uow, actor, placement, action="end_placement", before=before)
        uow.session.add(EmploymentStatus(
            person_id=person.id, status="unemployed", since=ended_on, staff_id=actor.staff_id,
            note=f"placement {placement.id} ended" + (f": {remark}" if remark else "")))
        flagged = subsidies.flag_recovery(uow, actor, placement)
        uow.commit()
        return flagged


def record_contribution(actor: Actor, uow: UnitOfWork, *, placement_id: int, due_on: dt.date,
                        paid_on: dt.date | None, amount: int | None = None) -> int:
    """One month of social insurance for a placement; recording the month again updates it."""
    due_on, paid_on, amount = validation.args(due_on=("date", due_on), paid_on=("date", paid_on),
                                              amount=("int", amount))
    with uow:
        placement = scope.record(uow, Placement, placement_id)
        scope.person(actor, uow, placement.person_id, action="record_contribution")
        errors = {}
        if due_on is None:
            errors["due_on"] = Message("form.required")
        elif due_on < placement.start_date:
            errors["due_on"] = Message("placements.before_start",
                                       start=placement.start_date.isoformat())
        if paid_on and paid_on > uow.today():
            errors["paid_on"] = Message("form.date_in_future")
        if errors:
            raise ValidationError(errors)
        row = uow.session.scalar(select(InsuranceContribution).where(
            InsuranceContribution.placement_id == placement_id,
            InsuranceContribution.due_on == due_on))
        if row is None:
            row = InsuranceContribution(placement_id=placement_id, due_on=due_on,
                                        paid_on=paid_on, amount=amount, staff_id=actor.staff_id)
            audit.add(uow, actor, row, action="record_contribution")
        else:
            before = audit.snapshot(row)
            row.paid_on, row.amount, row.staff_id = paid_on, amount, actor.staff_id
            audit.changed(uow, actor, row, action="record_contribution", before=before)
        uow.commit()
        return row.id


def contributions(uow: UnitOfWork, placement_id: int) -> list[Contribution]:
    rows = uow.session.scalars(select(InsuranceContribution).where(
        InsuranceContribution.placement_id == placement_id)
        .order_by(InsuranceContribution.due_on))
    return [Contribution(r.due_on, r.paid_on) for r in rows]


def insurance_status(actor: Actor, uow: UnitOfWork, *, placement_id: int,
                     today: dt.date | None = None) -> Decision:
    """Is social insurance paid on time for this placement (policy.toml's definition)?"""
    with uow:
        placement = scope.record(uow, Placement, placement_id)
        scope.person(actor, uow, placement.person_id, action="read_placement")
        return insurance_on_time(load_policy(), contributions(uow, placement_id),
                                 today=today or uow.today())


def placements(actor: Actor, uow: UnitOfWork, *, person_id: int | None = None,
               limit: int = 500) -> list[PlacementRow]:
    """Placements of people in the actor's area, newest first."""
    with uow:
        query = scope.in_area(select(Placement), Placement.person_id, actor).options(
            selectinload(Placement.person))
        if person_id:
            query = query.where(Placement.person_id == person_id)
        found = list(uow.session.scalars(query.order_by(
            Placement.start_date.desc(), Placement.id.desc()).limit(limit)))
        courses = dict(uow.session.execute(
            select(Enrolment.id, Course.title).join(Course, Course.id == Enrolment.course_id)
            .where(Enrolment.id.in_([p.enrolment_id for p in found if p.enrolment_id]))).all())
        paid = {}
        for c in uow.session.scalars(select(InsuranceContribution).where(
                InsuranceContribution.placement_id.in_([p.id for p in found]))):
            paid[c.placement_id] = paid.get(c.placement_id, 0) + (c.paid_on is not None)
        return [PlacementRow(p.id, p.person_id, p.person.name if actor.sees_identities else None,
                             p.employer, p.posting_id, p.unit_id, p.start_date,
                             p.contract_months, p.monthly_wage, p.social_insurance,
                             p.enrolment_id, courses.get(p.enrolment_id), p.referral_id,
                             p.hardship, p.policy_placement, p.personnel_file_number,
                             paid.get(p.id, 0), p.version, p.ended_on) for p in found]
