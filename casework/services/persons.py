"""Use cases of the person ledger (台帐): register, update, track status, log services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm.exc import StaleDataError

from casework import access, validation, vocab
from casework.access import Actor
from casework.db.models import EmploymentStatus, OrgUnit, Person, ServiceRecord
from casework.errors import DuplicatePerson, NotFound, ValidationError
from casework.i18n import Message
from casework.ledger import clean_person, close_names
from casework.services import audit, conflicts
from casework.services.uow import UnitOfWork

IDENTIFYING = ("name", "id_number", "id_number_original", "phone", "address")


class PossibleDuplicate(ValidationError):
    """Someone with a close name and the same birth date is already registered."""

    def __init__(self, matches: list[PersonSummary]) -> None:
        self.matches = matches
        names = ", ".join(f"{m.name} (#{m.id})" for m in matches)
        super().__init__({"name": Message("ledger.possible_duplicate", matches=names)})


@dataclass(frozen=True)
class PersonSummary:
    id: int
    name: str | None
    sex: str
    birth_date: dt.date | None
    community_id: int
    category: str
    version: int


@dataclass(frozen=True)
class PersonDetail:
    values: dict
    version: int
    status_history: list[dict] = field(default_factory=list)
    services: list[dict] = field(default_factory=list)


def register_person(actor: Actor, uow: UnitOfWork, *, values: Mapping, today: dt.date | None = None,
                    confirm_similar: bool = False) -> int:
    """Add a person to the ledger of a community in the actor's scope; returns the new id.

    An ID number already on file raises ``DuplicatePerson`` pointing at that record. A close
    match on name and birth date raises ``PossibleDuplicate`` unless ``confirm_similar``.
    """
    today = today or uow.today()
    with uow:
        community = _writable_community(actor, uow, values.get("community_id"), "register_person")
        cleaned = clean_person(values, today=today)
        _refuse_duplicate_id(uow, cleaned["id_number"])
        if not confirm_similar:
            matches = _similar(actor, uow, cleaned["name"], cleaned["birth_date"])
            if matches:
                raise PossibleDuplicate(matches)
        person = Person(**cleaned, community_id=community.id, registered_on=today)
        audit.add(uow, actor, person, action="register_person")
        uow.session.add(EmploymentStatus(person_id=person.id, staff_id=actor.staff_id,
                                         **initial_status(cleaned, today=today)))
        uow.commit()
        return person.id


def update_person(actor: Actor, uow: UnitOfWork, *, person_id: int, expected_version: int,
                  changes: Mapping, today: dt.date | None = None) -> int:
    """Change a ledger record read at ``expected_version``; returns the new version.

    If someone saved the record since, nothing is overwritten: ``StaleRecord`` is raised, its
    ``changes`` naming each field saved since with the value read, the value now and who saved
    it when (``casework.services.conflicts``).
    """
    today = today or uow.today()
    with uow:
        person = _get(uow, person_id)
        _check_write(actor, uow, person.community.path, "update_person", person_id)
        conflicts.check_version(uow.session, person, expected_version)
        before = audit.snapshot(person)
        # Sex and birth date always come from the ID number; keep them only if the user typed them.
        merged = {k: v for k, v in before.items() if k not in ("sex", "birth_date")} | dict(changes)
        if "community_id" in changes:
            _writable_community(actor, uow, changes["community_id"], "update_person")
        cleaned = clean_person(merged, today=today)
        if cleaned["id_number"] != person.id_number:
            _refuse_duplicate_id(uow, cleaned["id_number"])
        elif cleaned["id_number_original"] is None:
            # The stored 18-digit form came back unchanged: keep the 15-digit original it had.
            cleaned["id_number_original"] = person.id_number_original
        for key, value in {**cleaned, "community_id": merged["community_id"]}.items():
            setattr(person, key, value)
        try:
            audit.changed(uow, actor, person, action="update_person", before=before)
        except StaleDataError:
            raise conflicts.lost_race(uow.session, Person, person_id, expected_version) from None
        uow.commit()
        return person.version


def initial_status(cleaned: Mapping, *, today: dt.date) -> dict:
    """The first entry of a new record's status history: out of work since the date given."""
    return {"status": "unemployed", "since": cleaned["out_of_work_since"] or today}


def record_status(actor: Actor, uow: UnitOfWork, *, person_id: int, status: str, since: dt.date,
                  note: str | None = None, monthly_wage: int | None = None,
                  today: dt.date | None = None) -> int:
    """Dynamic tracking: append an employment-status change (and the new wage) to the history."""
    status, since, note, monthly_wage = validation.args(
        status=("choice", status), since=("date", since), note=("text", note),
        monthly_wage=("int", monthly_wage))
    errors = {}
    if monthly_wage is not None and (not isinstance(monthly_wage, int) or monthly_wage < 0):
        errors["monthly_wage"] = Message("ledger.not_a_count")
    if status not in vocab.EMPLOYMENT_STATUSES:
        errors["status"] = Message("form.bad_choice")
    if since is None:
        errors["since"] = Message("form.required")
    elif since > (today or uow.today()):
        errors["since"] = Message("form.date_in_future")
    return _append(actor, uow, person_id, "record_status", errors,
                   EmploymentStatus(person_id=person_id, status=status, since=since, note=note,
                                    monthly_wage=monthly_wage, staff_id=actor.staff_id))


def log_service(actor: Actor, uow: UnitOfWork, *, person_id: int, kind: str,
                service_date: dt.date, notes: str | None = None,
                today: dt.date | None = None) -> int:
    """Add a service to the person's log: consultation, guidance, referral or affairs agency."""
    kind, service_date, notes = validation.args(kind=("choice", kind),
                                                service_date=("date", service_date),
                                                notes=("text", notes))
    errors = {}
    if kind not in vocab.SERVICE_KINDS:
        errors["kind"] = Message("form.bad_choice")
    if service_date is None:
        errors["service_date"] = Message("form.required")
    elif service_date > (today or uow.today()):
        errors["service_date"] = Message("form.date_in_future")
    return _append(actor, uow, person_id, "log_service", errors,
                   ServiceRecord(person_id=person_id, kind=kind, service_date=service_date,
                                 staff_id=actor.staff_id, notes=notes))


def _append(actor, uow, person_id, action, errors, row) -> int:
    with uow:
        person = _get(uow, person_id)
        _check_write(actor, uow, person.community.path, action, person_id)
        if errors:
            raise ValidationError(errors)
        audit.add(uow, actor, row, action=action)
        uow.commit()
        return row.id


def get_person(actor: Actor, uow: UnitOfWork, *, person_id: int) -> PersonDetail:
    """One ledger record with its status history and services log; de-identified for researchers."""
    with uow:
        person = _get(uow, person_id)
        if not access.may_read_ledger(actor, person.community.path):
            raise audit.deny(uow, actor, action="read_person", entity="person",
                             entity_id=person_id)
        values = _redact(actor, audit.snapshot(person))
        history = uow.session.scalars(select(EmploymentStatus).where(
            EmploymentStatus.person_id == person_id).order_by(EmploymentStatus.since,
                                                              EmploymentStatus.id))
        services = uow.session.scalars(select(ServiceRecord).where(
            ServiceRecord.person_id == person_id).order_by(ServiceRecord.service_date,
                                                           ServiceRecord.id))
        return PersonDetail(values, person.version, [audit.snapshot(h) for h in history],
                            [audit.snapshot(s) for s in services])


def list_persons(actor: Actor, uow: UnitOfWork, *, community_id: int | None = None,
                 search: str | None = None, limit: int = 200) -> list[PersonSummary]:
    """Ledger records in the actor's scope, newest first; ``search`` matches name or ID number."""
    with uow:
        query = (select(Person).join(OrgUnit, Person.community_id == OrgUnit.id)
                 .where(OrgUnit.path.startswith(actor.unit_path)))
        if community_id is not None:
            query = query.where(Person.community_id == community_id)
        if search and actor.sees_identities:
            like = f"%{search.strip()}%"
            query = query.where(or_(Person.name.like(like), Person.id_number.like(like),
                                    Person.id_number_original.like(like)))
        rows = uow.session.scalars(query.order_by(Person.id.desc()).limit(limit))
        return [_summary(actor, p) for p in rows]


def count_persons(actor: Actor, uow: UnitOfWork) -> int:
    with uow:
        return uow.session.scalar(
            select(func.count(Person.id)).join(OrgUnit, Person.community_id == OrgUnit.id)
            .where(OrgUnit.path.startswith(actor.unit_path)))


def _summary(actor: Actor, p: Person) -> PersonSummary:
    shown = actor.sees_identities
    return PersonSummary(p.id, p.name if shown else None, p.sex,
                         p.birth_date if shown else None, p.community_id, p.category, p.version)


def _redact(actor: Actor, values: dict) -> dict:
    if actor.sees_identities:
        return values
    redacted = {k: v for k, v in values.items() if k not in IDENTIFYING}
    redacted["birth_year"] = values["birth_date"][:4]
    del redacted["birth_date"]
    return redacted


def _get(uow: UnitOfWork, person_id: int) -> Person:
    person = validation.fetch(uow.session, Person, person_id)
    if person is None:
        raise NotFound("error.person_not_found", id=person_id)
    return person


def may_write(actor: Actor) -> bool:
    """Whether the account may change ledger records at all (in its own area)."""
    return access.may(actor, "write_ledger")


def _check_write(actor: Actor, uow: UnitOfWork, path: str, action: str, entity_id) -> None:
    if not access.may_write_ledger(actor, path):
        raise audit.deny(uow, actor, action=action, entity="person", entity_id=entity_id)


def _writable_community(actor: Actor, uow: UnitOfWork, community_id, action: str) -> OrgUnit:
    unit = validation.fetch(uow.session, OrgUnit, community_id)
    if unit is None or unit.level != "community":
        raise ValidationError({"community_id": Message("ledger.choose_community")})
    _check_write(actor, uow, unit.path, action, None)
    if unit.closed_on is not None:  # its people stay, but nobody new is placed in it
        raise ValidationError({"community_id": Message("admin.unit_closed", name=unit.name_zh,
                                                       on=unit.closed_on.isoformat())})
    return unit


def _refuse_duplicate_id(uow: UnitOfWork, id_number: str) -> None:
    existing = uow.session.scalar(select(Person).where(Person.id_number == id_number))
    if existing is not None:
        raise DuplicatePerson(person_id=existing.id, community=existing.community.name_zh)


def _similar(actor: Actor, uow: UnitOfWork, name: str, birth_date: dt.date
             ) -> list[PersonSummary]:
    same_birth = uow.session.scalars(select(Person).where(Person.birth_date == birth_date))
    return [_summary(actor, p) for p in same_birth if close_names(p.name, name)]

