"""Retirees' socialised management (离退休人员社会化管理): the street office keeps each enterprise
retiree's basic record (former employer, pension, a contact, the services given) and lists them
by street; the community station knows every retiree in its community."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select

from casework import agency_rules, validation
from casework.access import Actor
from casework.db.models import OrgUnit, Person
from casework.db.models_notice import RetireeRecord
from casework.errors import ValidationError
from casework.i18n import Message
from casework.services import audit, scope
from casework.services.uow import UnitOfWork

PHONE = re.compile(r"^[0-9][0-9 -]{5,19}$")


@dataclass(frozen=True)
class RetireeFacts:
    """What the form records about one retiree."""

    former_employer: str | None
    pension_status: str | None  # receiving, suspended, pending
    retired_on: dt.date | None = None
    pension_monthly: int | None = None  # yuan a month
    contact_name: str | None = None
    contact_phone: str | None = None
    services: tuple[str, ...] = ()
    remark: str | None = None


@dataclass(frozen=True)
class RetireeRow:
    """A retiree on a ledger in scope, with their record (``record_id`` None when none yet)."""

    person_id: int
    name: str | None
    community_id: int
    record_id: int | None
    former_employer: str | None
    retired_on: dt.date | None
    pension_status: str | None
    pension_monthly: int | None
    contact_name: str | None
    contact_phone: str | None
    services: tuple[str, ...]
    remark: str | None
    version: int | None

    def facts(self) -> RetireeFacts:
        return RetireeFacts(self.former_employer, self.pension_status, self.retired_on,
                            self.pension_monthly, self.contact_name, self.contact_phone,
                            self.services, self.remark)


FACTS_SHAPE = {"former_employer": "text", "pension_status": "choice", "retired_on": "date",
               "pension_monthly": "int", "contact_name": "text", "contact_phone": "text",
               "services": "multi", "remark": "text"}


def create_record(actor: Actor, uow: UnitOfWork, *, person_id: int | None,
                  facts: RetireeFacts) -> int:
    """Open the basic record of a retiree on the ledger (one per person)."""
    facts = validation.shaped_command(facts, FACTS_SHAPE)
    with uow:
        person = scope.person(actor, uow, person_id, action="create_retiree_record")
        errors = _errors(uow, person, facts)
        if person.category != "retiree":
            errors["person_id"] = Message("retirees.not_a_retiree")
        elif uow.session.scalar(select(RetireeRecord.id).where(
                RetireeRecord.person_id == person.id)):
            errors["person_id"] = Message("retirees.has_record")
        if errors:
            raise ValidationError(errors)
        row = RetireeRecord(person_id=person.id, **_columns(facts))
        audit.add(uow, actor, row, action="create_retiree_record")
        uow.commit()
        return row.id


def update_record(actor: Actor, uow: UnitOfWork, *, record_id: int, expected_version: int,
                  facts: RetireeFacts) -> int:
    """Change a record the user read at ``expected_version``; returns the new version."""
    facts = validation.shaped_command(facts, FACTS_SHAPE)
    with uow:
        row = scope.record(uow, RetireeRecord, record_id, expected_version)
        person = scope.person(actor, uow, row.person_id, action="update_retiree_record")
        errors = _errors(uow, person, facts)
        if errors:
            raise ValidationError(errors)
        before = audit.snapshot(row)
        for name, value in _columns(facts).items():
            setattr(row, name, value)
        audit.changed(uow, actor, row, action="update_retiree_record", before=before)
        uow.commit()
        return row.version


def retirees(actor: Actor, uow: UnitOfWork, *, street_id: int | None = None,
             pension_status: str | None = None, service: str | None = None,
             without_record: bool = False, search: str | None = None,
             person_id: int | None = None, limit: int = 500) -> list[RetireeRow]:
    """Retirees on ledgers in the actor's area, by name; filtered in SQL by street, pension
    status and record, then by a service received (a JSON list, so checked per row)."""
    with uow:
        query = (select(Person, RetireeRecord)
                 .join(OrgUnit, Person.community_id == OrgUnit.id)
                 .outerjoin(RetireeRecord, RetireeRecord.person_id == Person.id)
                 .where(OrgUnit.path.startswith(actor.unit_path), Person.category == "retiree"))
        if street_id:
            query = query.where(OrgUnit.parent_id == street_id)
        if pension_status:
            query = query.where(RetireeRecord.pension_status == pension_status)
        if without_record:
            query = query.where(RetireeRecord.id.is_(None))
        if person_id is not None:  # the one a picker chose, wherever it falls in the list
            query = query.where(Person.id == person_id)
        if search and actor.sees_identities:
            query = query.where(Person.name.like(f"%{search.strip()}%"))
        found = uow.session.execute(query.order_by(Person.name, Person.id)
                                    .limit(limit if not service else None)).all()
        rows = [_row(actor, p, r) for p, r in found]
        return [r for r in rows if not service or service in r.services][:limit]


def _row(actor: Actor, person: Person, record: RetireeRecord | None) -> RetireeRow:
    name = person.name if actor.sees_identities else None
    if record is None:
        return RetireeRow(person.id, name, person.community_id, None, None, None, None, None,
                          None, None, (), None, None)
    contact = (record.contact_name, record.contact_phone) if actor.sees_identities else (None,
                                                                                        None)
    return RetireeRow(person.id, name, person.community_id, record.id, record.former_employer,
                      record.retired_on, record.pension_status, record.pension_monthly,
                      *contact, tuple(record.services or ()), record.remark, record.version)


def _errors(uow: UnitOfWork, person: Person, facts: RetireeFacts) -> dict[str, Message]:
    errors: dict[str, Message] = {}
    employer = (facts.former_employer or "").strip()
    if not employer:
        errors["former_employer"] = Message("form.required")
    elif len(employer) > 100:
        errors["former_employer"] = Message("form.too_long", max=100)
    if facts.pension_status not in agency_rules.PENSION_STATUSES:
        errors["pension_status"] = Message("form.required")
    if facts.retired_on and facts.retired_on > uow.today():
        errors["retired_on"] = Message("form.date_in_future")
    elif facts.retired_on and facts.retired_on <= person.birth_date:
        errors["retired_on"] = Message("retirees.before_birth")
    monthly = facts.pension_monthly
    if monthly is not None and (not isinstance(monthly, int) or monthly < 0):
        errors["pension_monthly"] = Message("retirees.not_an_amount")
    elif facts.pension_status == "receiving" and not monthly:
        errors["pension_monthly"] = Message("retirees.amount_needed")
    phone = (facts.contact_phone or "").strip()
    if phone and not PHONE.match(phone):
        errors["contact_phone"] = Message("retirees.bad_phone")
    if phone and not (facts.contact_name or "").strip():
        errors["contact_name"] = Message("retirees.contact_needed")
    if set(facts.services) - set(agency_rules.RETIREE_SERVICES):
        errors["services"] = Message("form.bad_choice")
    return errors


def _columns(facts: RetireeFacts) -> dict:
    return {"former_employer": facts.former_employer.strip(), "retired_on": facts.retired_on,
            "pension_status": facts.pension_status, "pension_monthly": facts.pension_monthly,
            "contact_name": (facts.contact_name or "").strip() or None,
            "contact_phone": (facts.contact_phone or "").strip() or None,
            "services": [s for s in agency_rules.RETIREE_SERVICES if s in facts.services],
            "remark": (facts.remark or "").strip() or None}
