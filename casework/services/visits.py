"""Home visits (定期家访) to registered hardship households."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import select

from casework import access, validation, vocab
from casework.access import Actor
from casework.db.models import HardshipHousehold, HomeVisit
from casework.errors import NotFound, ValidationError
from casework.i18n import Message
from casework.services import audit, conflicts
from casework.services.hardship import status_of
from casework.services.uow import UnitOfWork

FIELDS = ("visit_date", "visitors", "present", "living_conditions", "income_change",
          "employment_status", "employment_note", "needs", "needs_note", "services", "follow_up",
          "follow_up_due", "next_visit_date")


SHAPE = {"visit_date": "date", "visitors": "text", "present": "text", "living_conditions": "text",
         "employment_note": "text", "needs_note": "text", "follow_up": "text",
         "income_change": "choice", "needs": "multi", "services": "multi",
         "follow_up_due": "date", "next_visit_date": "date"}


def clean_visit(values: Mapping, *, registered_on: dt.date, today: dt.date) -> dict:
    """Check a visit's fields; raises ValidationError with a message per field."""
    errors: dict[str, Message] = {}
    out = validation.shaped({f: values.get(f) for f in FIELDS}, SHAPE)
    visit_date = out["visit_date"]
    if visit_date is None:
        errors["visit_date"] = Message("form.required")
    elif visit_date > today:
        errors["visit_date"] = Message("form.date_in_future")
    elif visit_date < registered_on:
        errors["visit_date"] = Message("visits.before_registration",
                                       date=registered_on.isoformat())
    if not out["living_conditions"]:
        errors["living_conditions"] = Message("form.required")
    out["employment_status"] = _clean_members(out["employment_status"], errors)
    if out["income_change"] not in (None, *vocab.INCOME_CHANGES):
        errors["income_change"] = Message("form.bad_choice")
    for name, allowed in (("needs", vocab.NEEDS), ("services", vocab.VISIT_SERVICES)):
        out[name] = sorted(set(out[name] or ()))
        if any(v not in allowed for v in out[name]):
            errors[name] = Message("form.bad_choice")
    for name in ("next_visit_date", "follow_up_due"):
        if out[name] and visit_date and out[name] <= visit_date:
            errors[name] = Message("visits.not_after_visit")
    if out["follow_up_due"] and not out["follow_up"]:
        errors["follow_up"] = Message("visits.follow_up_missing")
    if errors:
        raise ValidationError(errors)
    return out


def _clean_members(entries, errors: dict) -> list[dict]:
    """One ``{"member", "status"}`` per working-age member; blank rows are dropped."""
    members, entries = [], [] if entries is None else entries
    if not isinstance(entries, list | tuple) or not all(isinstance(e, dict) for e in entries):
        errors["employment_status"] = Message("visits.member_incomplete")
        return []
    for entry in entries:
        problems: dict[str, Message] = {}
        member = validation.text(entry, "member", problems) or ""
        status = validation.choice(entry, "status", problems, vocab.EMPLOYMENT_STATUSES)
        if problems:  # a row's text or status that cannot be kept: said beside the rows
            errors["employment_status"] = next(iter(problems.values()))
            continue
        if not member and status is None:
            continue
        if not member or len(member) > 30 or status not in vocab.EMPLOYMENT_STATUSES:
            errors["employment_status"] = Message("visits.member_incomplete")
        members.append({"member": member, "status": status})
    if not members:
        errors.setdefault("employment_status", Message("visits.members_required"))
    return members


def record_visit(actor: Actor, uow: UnitOfWork, *, household_id: int, values: Mapping,
                 today: dt.date | None = None) -> int:
    """Save today's (or a past) visit to a registered household in the actor's scope."""
    today = today or uow.today()
    with uow:
        household = _household(actor, uow, household_id, "record_visit")
        if status_of(household) != "registered":
            raise ValidationError({"person": Message("visits.not_registered")})
        cleaned = clean_visit(values, registered_on=household.registered_on, today=today)
        visit = HomeVisit(household_id=household_id, author_id=actor.staff_id, **cleaned)
        audit.add(uow, actor, visit, action="record_visit")
        uow.commit()
        return visit.id


def correct_visit(actor: Actor, uow: UnitOfWork, *, visit_id: int, expected_version: int,
                  values: Mapping, today: dt.date | None = None) -> int:
    """The author corrects a visit: a new version, with before and after in the audit trail."""
    today = today or uow.today()
    with uow:
        visit = validation.fetch(uow.session, HomeVisit, visit_id)
        if visit is None:
            raise NotFound()
        household = _household(actor, uow, visit.household_id, "correct_visit")
        if visit.author_id != actor.staff_id:
            raise audit.deny(uow, actor, action="correct_visit", entity="home_visit",
                             entity_id=visit_id)
        conflicts.check_version(uow.session, visit, expected_version)
        before = audit.snapshot(visit)
        cleaned = clean_visit({**{f: getattr(visit, f) for f in FIELDS}, **values},
                              registered_on=household.registered_on, today=today)
        for key, value in cleaned.items():
            setattr(visit, key, value)
        audit.changed(uow, actor, visit, action="correct_visit", before=before)
        uow.commit()
        return visit.version


def visits_of(actor: Actor, uow: UnitOfWork, *, household_id: int, limit: int = 5) -> list[dict]:
    """The latest visits to a household, newest first."""
    with uow:
        _household(actor, uow, household_id, "read_visits", write=False)
        rows = uow.session.scalars(select(HomeVisit).where(HomeVisit.household_id == household_id)
                                   .order_by(HomeVisit.visit_date.desc(), HomeVisit.id.desc())
                                   .limit(limit))
        return [audit.snapshot(v) for v in rows]


def _household(actor, uow, household_id, action, *, write=True) -> HardshipHousehold:
    household = validation.fetch(uow.session, HardshipHousehold, household_id)
    if household is None:
        raise NotFound()
    check = access.may_write_ledger if write else access.may_read_ledger
    if not check(actor, household.community.path):
        raise audit.deny(uow, actor, action=action, entity="hardship_household",
                         entity_id=household_id)
    return household


