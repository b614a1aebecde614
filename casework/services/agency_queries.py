"""Reading the affairs-agency registers: personnel files by street and status, continuations,
and one person's records (the writes are in ``casework.services.agency``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework import access, agency_rules
from casework.access import Actor
from casework.db.models import OrgUnit, Person
from casework.db.models_notice import InsuranceContinuation, PersonnelFile
from casework.services import audit, scope
from casework.services.uow import UnitOfWork


@dataclass(frozen=True)
class FileRow:
    id: int
    person_id: int
    name: str | None
    file_number: str
    holder_unit_id: int
    opened_here: bool
    received_on: dt.date
    received_from: str | None
    released_on: dt.date | None
    released_to: str | None
    annual_fee_yuan: int
    version: int

    @property
    def status(self) -> str:
        return "released" if self.released_on else "held"


@dataclass(frozen=True)
class ContinuationRow:
    id: int
    person_id: int
    name: str | None
    kind: str
    from_unit: str | None
    to_unit: str | None
    months_credited: int | None
    continued_on: dt.date
    fee_yuan: int


@dataclass(frozen=True)
class AgencyRecords:
    """A person's affairs-agency records: files (newest first) and continuations."""

    files: list[FileRow]
    continuations: list[ContinuationRow]


def files(actor: Actor, uow: UnitOfWork, *, street_id: int | None = None,
          status: str | None = None, person_id: int | None = None,
          limit: int = 500) -> list[FileRow]:
    """Files of people in the actor's area, held by ``street_id``, ``status`` held or released;
    newest first."""
    with uow:
        return _files(actor, uow, street_id=street_id, status=status, person_id=person_id,
                      limit=limit)


def continuations(actor: Actor, uow: UnitOfWork, *, street_id: int | None = None,
                  person_id: int | None = None, limit: int = 500) -> list[ContinuationRow]:
    """Continuations of people in the actor's area (on a street's ledgers), newest first."""
    with uow:
        return _continuations(actor, uow, street_id=street_id, person_id=person_id,
                              limit=limit)


def person_records(actor: Actor, uow: UnitOfWork, *, person_id: int) -> AgencyRecords:
    """Everything affairs agency has done for one person."""
    with uow:
        found = uow.session.get(Person, person_id)
        if found is None or not access.may_read_ledger(actor, found.community.path):
            raise audit.deny(uow, actor, action="read_agency", entity="person",
                             entity_id=person_id)
        return AgencyRecords(_files(actor, uow, person_id=person_id),
                             _continuations(actor, uow, person_id=person_id))


def _files(actor, uow, *, street_id=None, status=None, person_id=None, limit=500):
    query = scope.in_area(select(PersonnelFile), PersonnelFile.person_id, actor).options(
        selectinload(PersonnelFile.person))
    if street_id:
        query = query.where(PersonnelFile.holder_unit_id == street_id)
    if person_id:
        query = query.where(PersonnelFile.person_id == person_id)
    if status in agency_rules.FILE_STATES:
        column = PersonnelFile.released_on
        query = query.where(column.is_(None) if status == "held" else column.is_not(None))
    rows = uow.session.scalars(query.order_by(PersonnelFile.received_on.desc(),
                                              PersonnelFile.id.desc()).limit(limit))
    return [FileRow(f.id, f.person_id, _name(actor, f.person), f.file_number, f.holder_unit_id,
                    f.opened_here, f.received_on, f.received_from, f.released_on,
                    f.released_to, f.annual_fee_yuan, f.version) for f in rows]


def _continuations(actor, uow, *, street_id=None, person_id=None, limit=500):
    query = scope.in_area(select(InsuranceContinuation), InsuranceContinuation.person_id,
                          actor).options(selectinload(InsuranceContinuation.person))
    if street_id:
        query = query.where(OrgUnit.parent_id == street_id)  # the person's community's street
    if person_id:
        query = query.where(InsuranceContinuation.person_id == person_id)
    rows = uow.session.scalars(query.order_by(InsuranceContinuation.continued_on.desc(),
                                              InsuranceContinuation.id.desc()).limit(limit))
    return [ContinuationRow(c.id, c.person_id, _name(actor, c.person), c.kind, c.from_unit,
                            c.to_unit, c.months_credited, c.continued_on, c.fee_yuan)
            for c in rows]


def _name(actor: Actor, person: Person) -> str | None:
    return person.name if actor.sees_identities else None
