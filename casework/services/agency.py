"""Labour-security affairs agency (劳动保障事务代理, notice 四(四)): the street office keeps
personnel files in custody (file in, file out, the holder and the fee) and continues people's
social-insurance relations, at the low-threshold fees of data/policy.toml [agency]."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from casework import access, agency_rules, validation
from casework.access import Actor
from casework.db.models import OrgUnit, Person
from casework.db.models_notice import InsuranceContinuation, PersonnelFile
from casework.errors import ValidationError
from casework.i18n import Message
from casework.policy import Decision, load_policy
from casework.services import audit, scope
from casework.services.agency_queries import (  # noqa: F401 (the capability's one interface)
    AgencyRecords,
    ContinuationRow,
    FileRow,
    continuations,
    files,
    person_records,
)
from casework.services.uow import UnitOfWork


@dataclass(frozen=True)
class ReceiveFile:
    """A personnel file taken into the street office's custody (file in)."""

    person_id: int | None
    file_number: str | None
    received_on: dt.date | None
    received_from: str | None
    fee_yuan: int | None = None  # blank: the low-standard fee
    remark: str | None = None


@dataclass(frozen=True)
class ReleaseFile:
    """A file handed out of custody (file out), to whom and when."""

    file_id: int
    expected_version: int
    released_on: dt.date | None
    released_to: str | None


@dataclass(frozen=True)
class Continuation:
    """One social-insurance relation continued (接续社会保险关系)."""

    person_id: int | None
    kind: str | None  # pension, medical, unemployment
    from_unit: str | None
    to_unit: str | None
    months_credited: int | None
    continued_on: dt.date | None
    fee_yuan: int | None = None
    remark: str | None = None


RECEIVE_SHAPE = {"person_id": "id", "file_number": "text", "received_on": "date",
                 "received_from": "text", "fee_yuan": "int", "remark": "text"}
RELEASE_SHAPE = {"file_id": "id", "expected_version": "int", "released_on": "date",
                 "released_to": "text"}
CONTINUATION_SHAPE = {"person_id": "id", "kind": "choice", "from_unit": "text", "to_unit": "text",
                      "months_credited": "int", "continued_on": "date", "fee_yuan": "int",
                      "remark": "text"}


def receive_file(actor: Actor, uow: UnitOfWork, *, command: ReceiveFile) -> int:
    """Take a file into custody; its holder is the street office above the person's community."""
    command = validation.shaped_command(command, RECEIVE_SHAPE)
    with uow:
        person = _agent_person(actor, uow, command.person_id, "receive_file")
        errors = _text_errors(file_number=(command.file_number, 40),
                              received_from=(command.received_from, 100))
        errors |= _date_errors(uow, received_on=command.received_on)
        errors |= _number_errors(uow, command.file_number)
        if held_file_number(uow, person.id):
            errors["person_id"] = Message("agency.already_held",
                                          number=held_file_number(uow, person.id))
        amount = _fee(errors, "file_custody", command.fee_yuan)
        if errors:
            raise ValidationError(errors)
        row = PersonnelFile(person_id=person.id, file_number=command.file_number.strip(),
                            holder_unit_id=person.community.parent_id, opened_here=False,
                            received_on=command.received_on,
                            received_from=command.received_from.strip(),
                            annual_fee_yuan=amount, remark=_blank(command.remark),
                            created_by=actor.staff_id)
        audit.add(uow, actor, row, action="receive_file")
        uow.commit()
        return row.id


def release_file(actor: Actor, uow: UnitOfWork, *, command: ReleaseFile) -> int:
    """Hand a file out of custody; returns the file's new version."""
    command = validation.shaped_command(command, RELEASE_SHAPE)
    with uow:
        row = scope.record(uow, PersonnelFile, command.file_id, command.expected_version)
        _agent_person(actor, uow, row.person_id, "release_file")
        errors = _text_errors(released_to=(command.released_to, 100))
        errors |= _date_errors(uow, released_on=command.released_on)
        if row.released_on is not None:
            errors["file_id"] = Message("agency.already_released",
                                        on=row.released_on.isoformat())
        elif command.released_on and command.released_on < row.received_on:
            errors["released_on"] = Message("agency.before_received",
                                            on=row.received_on.isoformat())
        if errors:
            raise ValidationError(errors)
        before = audit.snapshot(row)
        row.released_on, row.released_to = command.released_on, command.released_to.strip()
        audit.changed(uow, actor, row, action="release_file", before=before)
        uow.commit()
        return row.version


def record_continuation(actor: Actor, uow: UnitOfWork, *, command: Continuation) -> int:
    """Record one continuation of a person's social-insurance relation."""
    command = validation.shaped_command(command, CONTINUATION_SHAPE)
    with uow:
        person = _agent_person(actor, uow, command.person_id, "record_continuation")
        errors = _text_errors(from_unit=(command.from_unit, 100), to_unit=(command.to_unit, 100))
        errors |= _date_errors(uow, continued_on=command.continued_on)
        if command.kind not in agency_rules.INSURANCE_KINDS:
            errors["kind"] = Message("form.bad_choice")
        months = command.months_credited
        if months is not None and (not isinstance(months, int) or months < 0):
            errors["months_credited"] = Message("agency.not_a_count")
        amount = _fee(errors, "continuation", command.fee_yuan)
        if errors:
            raise ValidationError(errors)
        row = InsuranceContinuation(
            person_id=person.id, kind=command.kind, from_unit=command.from_unit.strip(),
            to_unit=command.to_unit.strip(), months_credited=months,
            continued_on=command.continued_on, fee_yuan=amount,
            remark=_blank(command.remark), staff_id=actor.staff_id)
        audit.add(uow, actor, row, action="record_continuation")
        uow.commit()
        return row.id


def file_offer(actor: Actor, uow: UnitOfWork, *, person_id: int) -> Decision:
    """May the office set up a file for this person now (the placement form's offer)?"""
    with uow:
        person = scope.person(actor, uow, person_id, action="read_agency")
        return agency_rules.may_open_file(load_policy(), category=person.category,
                                          held_file=held_file_number(uow, person.id))


# Helpers for a use case with an open transaction (the placement's file offer).
def opening_errors(uow: UnitOfWork, person: Person, number: str | None) -> dict[str, Message]:
    """Why a file may not be opened here for ``person`` (empty when it may)."""
    decision = agency_rules.may_open_file(load_policy(), category=person.category,
                                          held_file=held_file_number(uow, person.id))
    errors = {} if decision.ok else {"open_file": decision.unmet()[0]}
    return errors | _number_errors(uow, number, field="personnel_file_number")


def open_here(uow: UnitOfWork, actor: Actor, person: Person, *, number: str | None,
              on: dt.date) -> PersonnelFile:
    """Set up a personnel file for a never-employed person (可为他们建立), held by their street;
    without ``number`` the next one of the street and year. Checked by ``opening_errors``."""
    street = uow.session.get(OrgUnit, person.community.parent_id)
    amount, _ = agency_rules.fee(load_policy(), kind="file_custody", charged=None)
    row = PersonnelFile(person_id=person.id, file_number=number or _next_number(uow, street, on),
                        holder_unit_id=street.id, opened_here=True, received_on=on,
                        annual_fee_yuan=amount, created_by=actor.staff_id)
    audit.add(uow, actor, row, action="open_file")
    return row


def held_file_number(uow: UnitOfWork, person_id: int) -> str | None:
    """The number of the person's file in custody now, if any."""
    return uow.session.scalar(select(PersonnelFile.file_number).where(
        PersonnelFile.person_id == person_id, PersonnelFile.released_on.is_(None)).limit(1))


def _next_number(uow: UnitOfWork, street: OrgUnit, on: dt.date) -> str:
    prefix = f"DA{street.code}-{on.year}-"
    taken = uow.session.scalar(select(func.count(PersonnelFile.id)).where(
        PersonnelFile.file_number.startswith(prefix)))
    serial = taken + 1
    while uow.session.scalar(select(PersonnelFile.id).where(
            PersonnelFile.file_number == f"{prefix}{serial:04d}")):
        serial += 1
    return f"{prefix}{serial:04d}"


def _agent_person(actor: Actor, uow: UnitOfWork, person_id: int | None, action: str) -> Person:
    person = scope.person(actor, uow, person_id, action=action)
    if not access.may(actor, "affairs_agency"):
        raise audit.deny(uow, actor, action=action, entity="person", entity_id=person.id)
    return person


def _fee(errors: dict, kind: str, charged: int | None) -> int:
    if charged is not None and not isinstance(charged, int):
        errors["fee_yuan"] = Message("agency.not_a_count")
        return 0
    amount, decision = agency_rules.fee(load_policy(), kind=kind, charged=charged)
    if not decision.ok:
        errors["fee_yuan"] = decision.unmet()[0]
    return amount


def _number_errors(uow: UnitOfWork, number: str | None, *,
                   field: str = "file_number") -> dict[str, Message]:
    number = (number or "").strip()
    if number and uow.session.scalar(select(PersonnelFile.id).where(
            PersonnelFile.file_number == number)):
        return {field: Message("agency.number_taken", number=number)}
    return {}


def _text_errors(**texts: tuple[str | None, int]) -> dict[str, Message]:
    errors = {}
    for name, (text, longest) in texts.items():
        if not (text or "").strip():
            errors[name] = Message("form.required")
        elif len(text.strip()) > longest:
            errors[name] = Message("form.too_long", max=longest)
    return errors


def _date_errors(uow: UnitOfWork, **dates: dt.date | None) -> dict[str, Message]:
    today = uow.today()
    return {name: Message("form.required") if day is None else Message("form.date_in_future")
            for name, day in dates.items() if day is None or day > today}


def _blank(text: str | None) -> str | None:
    return (text or "").strip() or None
