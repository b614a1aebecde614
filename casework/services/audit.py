"""Audit rows: who, when, entity, before/after. Refusals are audited in their own transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import inspect, select

from casework.access import Actor
from casework.db.models import AuditEntry, OrgUnit, Person, Staff
from casework.errors import AccessDenied
from casework.services.uow import UnitOfWork


def snapshot(record: object, exclude: Iterable[str] = ()) -> dict:
    """The record's column values as JSON-ready data."""
    skip = set(exclude)
    values = {}
    for column in inspect(record).mapper.column_attrs:
        if column.key not in skip:
            values[column.key] = _jsonable(getattr(record, column.key))
    return values


def _jsonable(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def record(
    uow: UnitOfWork,
    actor: Actor,
    *,
    action: str,
    entity: str,
    entity_id: object = None,
    before: dict | None = None,
    after: dict | None = None,
    outcome: str = "ok",
    row: object = None,
) -> None:
    """One audit entry; whom (``person_id``) and where (``unit_path``) it concerns are read from
    ``row`` or, for an entry about a person, from that person (see ``_subject``)."""
    person_id, unit_path = _subject(uow, actor, entity=entity, entity_id=entity_id, row=row)
    uow.session.add(
        AuditEntry(
            at=dt.datetime.now(dt.UTC),
            staff_id=actor.staff_id,
            username=actor.username,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            outcome=outcome,
            before=before,
            after=after,
            person_id=person_id,
            unit_path=unit_path,
        )
    )


def _subject(uow: UnitOfWork, actor: Actor, *, entity: str, entity_id: object,
             row: object) -> tuple[int | None, str | None]:
    """The person an entry concerns, and the path of the unit it belongs to: the unit itself,
    a staff account's home unit, the person's community, or else the acting account's unit."""
    session = uow.session
    if isinstance(row, OrgUnit):
        return None, row.path
    if isinstance(row, Staff):
        unit = session.get(OrgUnit, row.unit_id)
        return None, unit.path if unit else actor.unit_path
    person_id = row.id if isinstance(row, Person) else getattr(row, "person_id", None)
    if person_id is None and entity == "person":
        person_id = _number(entity_id)
    person = session.get(Person, person_id) if isinstance(person_id, int) else None
    if person is not None:
        return person.id, session.get(OrgUnit, person.community_id).path
    unit_id = getattr(row, "community_id", None)
    unit = session.get(OrgUnit, unit_id) if isinstance(unit_id, int) else None
    return None, unit.path if unit else actor.unit_path


def _number(value: object) -> int | None:
    """An id as a number, or None for anything that is not one (a refused attempt may name
    text, a huge number or nothing)."""
    text = str(value) if value is not None else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def add(uow: UnitOfWork, actor: Actor, row: object, *, action: str) -> None:
    """Insert ``row`` and audit it with its values as ``after``."""
    uow.session.add(row)
    uow.session.flush()
    record(uow, actor, action=action, entity=row.__tablename__, entity_id=row.id,
           after=snapshot(row), row=row)


def changed(uow: UnitOfWork, actor: Actor, row: object, *, action: str, before: dict) -> None:
    """Flush a change to ``row`` (bumping its version) and audit before and after."""
    uow.session.flush()
    record(uow, actor, action=action, entity=row.__tablename__, entity_id=row.id,
           before=before, after=snapshot(row), row=row)


def deny(uow: UnitOfWork, actor: Actor, *, action: str, entity: str, entity_id: object = None):
    """Record the refused attempt in a transaction of its own, then return the error to raise."""
    with uow.fresh() as audit_uow:
        record(audit_uow, actor, action=action, entity=entity, entity_id=entity_id,
               outcome="denied")
        audit_uow.commit()
    return AccessDenied(action=action, entity=entity)


def trail(uow: UnitOfWork, *, entity: str, entity_id: object) -> list[AuditEntry]:
    """The audit rows of one record, oldest first."""
    rows = uow.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id)
    )
    return list(rows)
