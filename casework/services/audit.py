"""Audit rows: who, when, entity, before/after. Refusals are audited in their own transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import inspect, select

from casework.access import Actor
from casework.db.models import AuditEntry
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
) -> None:
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
        )
    )


def add(uow: UnitOfWork, actor: Actor, row: object, *, action: str) -> None:
    """Insert ``row`` and audit it with its values as ``after``."""
    uow.session.add(row)
    uow.session.flush()
    record(uow, actor, action=action, entity=row.__tablename__, entity_id=row.id,
           after=snapshot(row))


def changed(uow: UnitOfWork, actor: Actor, row: object, *, action: str, before: dict) -> None:
    """Flush a change to ``row`` (bumping its version) and audit before and after."""
    uow.session.flush()
    record(uow, actor, action=action, entity=row.__tablename__, entity_id=row.id,
           before=before, after=snapshot(row))


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
