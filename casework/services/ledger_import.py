"""Bringing an existing Excel ledger (台帐) in: all rows or none, in one transaction.

Every row is checked by the ledger form's rules (``casework.ledger``), against the ledger and
against the other rows of the file. If any row is wrong nothing is written and the refusal
carries the workbook back with an error column. Otherwise the people, their first status and
one audit row per person (the values written, the file's row) are inserted in bulk.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from casework import access
from casework.access import Actor
from casework.db.bulk import insert_returning_ids, insert_rows
from casework.db.models import AuditEntry, EmploymentStatus, OrgUnit, Person
from casework.errors import CaseworkError
from casework.i18n import Message
from casework.ledger_import import (
    CommunityIndex,
    RowResult,
    mark_on_ledger,
    mark_similar,
    read_sheet,
    validate_rows,
)
from casework.ledger_workbook import annotate
from casework.services import audit, persons
from casework.services.uow import UnitOfWork

CHUNK = 500
ACTION = "import_ledger"


@dataclass(frozen=True)
class ImportLedger:
    """The workbook to import, as uploaded, and its file name (kept in the audit rows)."""

    workbook: bytes
    filename: str = ""


@dataclass(frozen=True)
class LedgerImported:
    rows: int
    person_ids: tuple[int, ...]
    seconds: float


class LedgerImportRefused(CaseworkError):
    """Some rows are wrong, so none was written; ``annotated(lang)`` is the workbook back with
    an error column, and ``errors`` maps each bad row (its number in Excel) to its messages."""

    key = "ledger_import.refused"

    def __init__(self, *, content: bytes, sheet_title: str, rows: int,
                 errors: dict[int, dict[str, Message]]) -> None:
        self.content, self.sheet_title, self.errors = content, sheet_title, errors
        super().__init__(self.key, bad=len(errors), rows=rows,
                         column=Message("ledger_import.error_header"))

    def annotated(self, lang: str) -> bytes:
        return annotate(self.content, sheet_title=self.sheet_title, errors=self.errors,
                        lang=lang)


def import_ledger(actor: Actor, uow: UnitOfWork, *, command: ImportLedger) -> LedgerImported:
    """Register every person of the workbook, or none: see the module's description.

    Raises ``WorkbookUnreadable`` for a file that is not a ledger workbook, ``AccessDenied``
    (audited) for an account that may not register people, and ``LedgerImportRefused``.
    """
    started = time.perf_counter()
    sheet = read_sheet(command.workbook)
    with uow:
        if not persons.may_write(actor):
            raise audit.deny(uow, actor, action=ACTION, entity="person")
        today = uow.today()
        results = validate_rows(sheet, communities=_communities(actor, uow), today=today)
        mark_on_ledger(results, _on_ledger(uow, [r.id_number for r in results if r.id_number]))
        mark_similar(results, _same_births(uow, [r.values["birth_date"] for r in results
                                                 if r.values and not r.confirmed]))
        errors = {r.row: r.errors for r in results if r.errors}
        if errors:
            raise LedgerImportRefused(content=command.workbook, sheet_title=sheet.title,
                                      rows=len(results), errors=errors)
        try:
            ids = _write(actor, uow, results, today=today, filename=command.filename)
            uow.commit()
        except IntegrityError as exc:  # someone registered one of them since we looked
            raise CaseworkError("ledger_import.conflict") from exc
    return LedgerImported(len(ids), tuple(ids), time.perf_counter() - started)


def _communities(actor: Actor, uow: UnitOfWork) -> CommunityIndex:
    """Every community, so one out of scope is named as such rather than as unknown."""
    units = uow.session.execute(select(OrgUnit.id, OrgUnit.code, OrgUnit.name_zh,
                                       OrgUnit.name_en, OrgUnit.path, OrgUnit.closed_on)
                                .where(OrgUnit.level == "community"))
    # A closed community takes no new people (casework.services.units_admin.close_unit).
    return CommunityIndex.of((u.id, u.code, u.name_zh, u.name_en,
                              access.may_write_ledger(actor, u.path) and u.closed_on is None)
                             for u in units)


def _on_ledger(uow: UnitOfWork, numbers: Iterable[str]) -> dict[str, int]:
    """``{id_number: person id}`` of the numbers already on the ledger (in their 18-digit form,
    which is also the form a 15-digit original is stored under)."""
    numbers, found = sorted(set(numbers)), {}
    for start in range(0, len(numbers), CHUNK):
        found.update(uow.session.execute(
            select(Person.id_number, Person.id)
            .where(Person.id_number.in_(numbers[start:start + CHUNK]))).tuples().all())
    return found


def _same_births(uow: UnitOfWork, births: Iterable[dt.date]
                 ) -> dict[dt.date, list[tuple[int, str]]]:
    """``{birth date: [(person id, name)]}`` of the people on the ledger born on these days."""
    births, found = sorted(set(births)), {}
    for start in range(0, len(births), CHUNK):
        for person_id, name, birth in uow.session.execute(
                select(Person.id, Person.name, Person.birth_date)
                .where(Person.birth_date.in_(births[start:start + CHUNK]))):
            found.setdefault(birth, []).append((person_id, name))
    return found


def _write(actor: Actor, uow: UnitOfWork, results: list[RowResult], *, today: dt.date,
           filename: str) -> list[int]:
    people = [{**r.values, "registered_on": today, "version": 1} for r in results]
    ids = insert_returning_ids(uow.session, Person, people)
    insert_rows(uow.session, EmploymentStatus, [
        {"person_id": i, "staff_id": actor.staff_id, "monthly_wage": None, "note": None,
         **persons.initial_status(p, today=today)} for i, p in zip(ids, people, strict=True)])
    now = dt.datetime.now(dt.UTC)
    paths = dict(uow.session.execute(select(OrgUnit.id, OrgUnit.path).where(
        OrgUnit.id.in_({p["community_id"] for p in people}))).all())
    insert_rows(uow.session, AuditEntry, [
        {"at": now, "staff_id": actor.staff_id, "username": actor.username, "action": ACTION,
         "entity": "person", "entity_id": str(i), "outcome": "ok", "before": None,
         "person_id": i, "unit_path": paths[p["community_id"]],
         "after": {**_jsonable({**p, "id": i}),
                   "import": {"file": filename, "row": r.row, "confirmed_similar": r.confirmed}}}
        for i, p, r in zip(ids, people, results, strict=True)])
    return ids


def _jsonable(values: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}
