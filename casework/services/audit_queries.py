"""Reading the audit trail (capability ``read_audit``): filtered by person, staff account, unit,
action, outcome and date, a page at a time, within the actor's unit subtree; and the same
selection as a table for export."""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select

from casework import access, validation
from casework.access import Actor
from casework.db.models import AuditEntry, OrgUnit, Person
from casework.errors import ValidationError
from casework.i18n import Message, catalogue, t
from casework.ids import InvalidIdNumber, parse_resident_id
from casework.services import audit
from casework.services.uow import UnitOfWork

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000
OUTCOMES = ("ok", "denied")
COLUMNS = ("at", "username", "action", "outcome", "entity", "entity_id", "person_id", "unit")
# The export keeps the action's code beside its name, for whoever filters the file by code.
EXPORT_COLUMNS = (*COLUMNS, "action_code")


@dataclass(frozen=True)
class AuditFilter:
    """What to look for; every part is optional. ``person`` is a ledger record number or a
    resident ID number; the dates are days in UTC, both included."""

    person: str | None = None
    username: str | None = None
    unit_id: int | None = None
    action: str | None = None
    outcome: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    username: str
    action: str
    outcome: str
    entity: str
    entity_id: str | None
    person_id: int | None
    unit_path: str | None
    before: dict | None
    after: dict | None


@dataclass(frozen=True)
class AuditPage:
    rows: tuple[AuditRow, ...]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


def search(actor: Actor, uow: UnitOfWork, filters: AuditFilter, *, page: int = 1,
           page_size: int = PAGE_SIZE) -> AuditPage:
    """One page of the entries that match, newest first, and how many match in all."""
    with uow:
        query = _query(actor, uow, filters)
        total = uow.session.scalar(select(func.count()).select_from(query.subquery()))
        page = min(max(1, page), max(1, math.ceil(total / page_size)))
        rows = uow.session.scalars(query.order_by(AuditEntry.id.desc())
                                   .offset((page - 1) * page_size).limit(page_size))
        return AuditPage(tuple(_row(e) for e in rows), total, page, page_size)


def export_rows(actor: Actor, uow: UnitOfWork, filters: AuditFilter, *,
                limit: int = EXPORT_LIMIT) -> list[AuditRow]:
    """Every entry that matches (up to ``limit``), newest first."""
    with uow:
        query = _query(actor, uow, filters).order_by(AuditEntry.id.desc()).limit(limit)
        return [_row(e) for e in uow.session.scalars(query)]


def actions(actor: Actor, uow: UnitOfWork) -> list[str]:
    """The actions recorded within the actor's scope, for the filter's choice list."""
    with uow:
        _check(actor, uow, actor.unit_path)
        return list(uow.session.scalars(
            select(AuditEntry.action).where(AuditEntry.unit_path.startswith(actor.unit_path))
            .distinct().order_by(AuditEntry.action)))


def action_name(code: str, lang: str) -> str:
    """An action's name in ``lang`` (``audit_action.<code>``); a code with no name yet (an old
    entry, say) shows as itself rather than as a missing key."""
    return catalogue(lang).get(f"audit_action.{code}", code)


def _check(actor: Actor, uow: UnitOfWork, path: str) -> None:
    if not access.may(actor, "read_audit", path):
        raise audit.deny(uow, actor, action="read_audit", entity="audit_log")


def _query(actor: Actor, uow: UnitOfWork, f: AuditFilter):
    unit = validation.fetch(uow.session, OrgUnit, f.unit_id) if f.unit_id else None
    if f.unit_id and unit is None:
        raise ValidationError({"unit": Message("admin.choose_unit")})
    path = unit.path if unit else actor.unit_path
    _check(actor, uow, path)
    query = select(AuditEntry).where(AuditEntry.unit_path.startswith(path))
    if f.person and f.person.strip():
        query = query.where(AuditEntry.person_id == _person_id(uow, f.person.strip()))
    if f.username and f.username.strip():
        query = query.where(AuditEntry.username == f.username.strip())
    if f.action:
        query = query.where(AuditEntry.action == f.action)
    if f.outcome:
        query = query.where(AuditEntry.outcome == f.outcome)
    if f.date_from:
        query = query.where(AuditEntry.at >= _start_of(f.date_from))
    if f.date_to:
        query = query.where(AuditEntry.at < _start_of(f.date_to + dt.timedelta(days=1)))
    return query


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _person_id(uow: UnitOfWork, given: str) -> int:
    """The ledger record a record number or an ID number names (0 when none does)."""
    if given.isascii() and given.isdigit() and len(given) < 10:
        return int(given)
    try:
        number = parse_resident_id(given).number
    except InvalidIdNumber as exc:
        raise ValidationError({"person": Message("admin.audit_bad_person")}) from exc
    return uow.session.scalar(select(Person.id).where(Person.id_number == number)) or 0


def _row(e: AuditEntry) -> AuditRow:
    return AuditRow(e.id, e.at, e.username, e.action, e.outcome, e.entity, e.entity_id,
                    e.person_id, e.unit_path, e.before, e.after)


def to_frame(rows: list[AuditRow], *, lang: str) -> pd.DataFrame:
    """The rows as a table with headings in ``lang``: the action by its name, with its code in
    a column of its own at the end; the unit is its path of codes."""
    frame = pd.DataFrame(
        [(utc_text(r.at), r.username, action_name(r.action, lang),
          t(f"audit_ui.outcome.{r.outcome}", lang), r.entity, r.entity_id,
          r.person_id, r.unit_path, r.action) for r in rows], columns=list(EXPORT_COLUMNS))
    headings = {c: t(f"audit_ui.col.{c}", lang) for c in COLUMNS}
    headings["action_code"] = t("look_apps.col.action_code", lang)
    return frame.rename(columns=headings)


def utc_text(at: dt.datetime) -> str:
    """The time in UTC to the second (SQLite gives it back naive, PostgreSQL aware)."""
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return at.isoformat(sep=" ", timespec="seconds")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows the Chinese text."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8-sig")
