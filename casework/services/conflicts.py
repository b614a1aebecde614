"""What changed in a record since a user read it, told from the audit trail.

Every save of a versioned record writes an audit row with the values before and after
(``casework.services.audit.changed``), each carrying the version. So the trail alone says, for
a user who read version ``v``, which fields someone else changed since, what they were at ``v``,
what they are now, and who saved them when. Every version check of a ``Versioned`` record goes
through ``check_version``; helpers here take the open session, never a unit of work.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.db.models import AuditEntry, Staff
from casework.errors import FieldChange, StaleRecord
from casework.services.audit import snapshot

NOT_COMPARED = frozenset({"id", "version"})


def check_version(session: Session, record, expected_version: int) -> None:
    """Raise ``StaleRecord`` listing what changed, unless ``record`` is still at
    ``expected_version``."""
    if record.version != expected_version:
        raise stale(session, record, expected_version)


def stale(session: Session, record, expected_version: int) -> StaleRecord:
    """The ``StaleRecord`` for a user who read ``record`` at ``expected_version``."""
    return StaleRecord(entity=record.__tablename__, id=record.id, yours=expected_version,
                       current=record.version,
                       changes=changes_since(session, record, expected_version))


def lost_race(session: Session, model: type, record_id: int, expected_version: int
              ) -> StaleRecord:
    """The ``StaleRecord`` after the database refused an UPDATE (SQLAlchemy's
    ``StaleDataError``): another save of the same version committed first, between our read and
    our write. The transaction is rolled back and the record read again as it now is."""
    session.rollback()
    return stale(session, session.get(model, record_id), expected_version)


def changes_since(session: Session, record, version: int) -> list[FieldChange]:
    """The fields of ``record`` whose value now differs from their value at ``version``.

    A field changed and changed back is not listed: the user's reading of it still holds.
    """
    saves = _saves_after(session, record.__tablename__, record.id, version)
    now = snapshot(record)
    names = _names(session, {e.staff_id for e in saves if e.staff_id is not None})
    changes = []
    for field, current in now.items():
        touching = [e for e in saves if field not in NOT_COMPARED
                    and e.before.get(field) != e.after.get(field)]
        if touching and touching[0].before.get(field) != current:
            last = touching[-1]
            changes.append(FieldChange(field=field, read=touching[0].before.get(field),
                                       now=current, by=names.get(last.staff_id, last.username),
                                       at=_aware(last.at)))
    return changes


def _saves_after(session: Session, entity: str, entity_id, version: int) -> list[AuditEntry]:
    """The audited saves that took the record past ``version``, oldest first."""
    rows = session.scalars(select(AuditEntry).where(
        AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id),
        AuditEntry.outcome == "ok").order_by(AuditEntry.id))
    return [e for e in rows if e.before is not None and e.after is not None
            and (e.after.get("version") or 0) > version]


def _names(session: Session, staff_ids: set[int]) -> dict[int, str]:
    if not staff_ids:
        return {}
    rows = session.execute(select(Staff.id, Staff.display_name).where(Staff.id.in_(staff_ids)))
    return dict(rows.all())


def _aware(at: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back the stored UTC time without its zone; say it is UTC."""
    if at is not None and at.tzinfo is None:
        return at.replace(tzinfo=dt.UTC)
    return at
