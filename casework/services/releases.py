"""The release log of research extracts: who took which extract, when, for what purpose.

``evaluation.extract.write_extract`` writes each release as an audit row (action ``extract``)
whose ``after`` holds the parameters, row counts, the k reached, the columns coarsened and the
purpose typed; this module reads them back for the city's oversight.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from casework import access
from casework.access import Actor
from casework.db.models import AuditEntry
from casework.services import audit
from casework.services.uow import UnitOfWork

ACTION, ENTITY = "extract", "extract"
PERSON_TABLE = "persons"


@dataclass(frozen=True)
class Release:
    """One extract as the log records it (never its key)."""

    at: dt.datetime
    username: str
    purpose: str
    folder: str
    as_of: str
    k: int
    rows: dict[str, int]
    k_reached: dict[str, int]
    coarsened: dict[str, dict[str, int]]
    suppressed: dict[str, int]
    longitudinal: str | None
    reason: str | None

    @property
    def persons(self) -> int:
        return self.rows.get(PERSON_TABLE, 0)

    @property
    def lowest_k(self) -> int | None:
        """The smallest k reached (see :func:`lowest_k`); None if not recorded."""
        return lowest_k(self.k_reached, self.rows, self.k)

    def coarsened_columns(self, table: str = PERSON_TABLE) -> dict[str, int]:
        """Columns of ``table`` with rows shown less precisely than recorded, and how many."""
        return {c: n for c, n in self.coarsened.get(table, {}).items() if n}


def lowest_k(k_reached: dict[str, int], rows: dict[str, int], k: int) -> int | None:
    """The smallest group of equal quasi-identifiers over the tables that hold k rows or more
    (a smaller table has every quasi-identifier withheld); None when there is none."""
    reached = [n for table, n in k_reached.items() if rows.get(table, 0) >= k]
    return min(reached) if reached else None


def list_releases(actor: Actor, uow: UnitOfWork, *, limit: int = 200) -> list[Release]:
    """The newest ``limit`` releases, newest first; for the roles that oversee extracts."""
    with uow:
        if not access.may(actor, "list_extract_releases"):
            raise audit.deny(uow, actor, action="list_extract_releases", entity=ENTITY)
        rows = uow.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == ACTION, AuditEntry.outcome == "ok")
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit))
        return [_release(row) for row in rows]


def _release(row: AuditEntry) -> Release:
    after = row.after or {}
    coarsened = after.get("coarsened")
    if not isinstance(coarsened, dict):  # a release logged before the log had columns
        coarsened = {}
    return Release(
        at=row.at, username=row.username, purpose=after.get("purpose") or "",
        folder=after.get("folder", ""), as_of=after.get("as_of", ""), k=after.get("k", 0),
        rows=after.get("rows", {}), k_reached=after.get("k_reached", {}),
        coarsened=coarsened,
        suppressed=after.get("suppressed", {}) if isinstance(after.get("suppressed"), dict)
        else {}, longitudinal=after.get("longitudinal"), reason=after.get("reason"))
