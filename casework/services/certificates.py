"""The Re-employment Preferential Certificate 《再就业优惠证》: issue, annual check, withdrawal,
loss and reissue by the street labour-security office, and its status for the ledger and loans.

Each use case checks access (``access.PERMISSIONS["certificates"]`` and the person in scope),
asks the pure rule in ``casework.certificates``, writes, audits and commits once. A refusal by a
rule is audited in its own transaction and raised as ``CertificateRefused`` with the reasons.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from casework import access, certificates, validation
from casework.access import Actor
from casework.db.models import EmploymentStatus, OrgUnit, Person
from casework.db.models_notice import CertificateCheck, PreferentialCertificate
from casework.errors import RuleRefused, ValidationError
from casework.i18n import Message
from casework.policy import Decision, load_policy
from casework.services import audit, scope
from casework.services.certificate_queries import (
    CandidateRow,
    CertificateRow,
    candidates,
    current,
    facts,
    list_by_street,
    status,
    street_of,
)
from casework.services.uow import UnitOfWork

__all__ = ["CandidateRow", "CertificateRefused", "CertificateRow", "IssueCertificate",
           "RecordCheck", "ReportLost", "Withdraw", "candidates", "issue", "list_by_street",
           "record_check", "reissue", "report_lost", "status", "withdraw"]

ISSUE_ATTEMPTS = 3  # two officers numbering at once: the loser takes the next serial


class CertificateRefused(RuleRefused):
    """The certificate rule said no (who may hold one, or a step of its life); each is named."""

    key = "certificates.refused"
    only_unmet = True


@dataclass(frozen=True)
class IssueCertificate:
    person_id: int
    issued_on: dt.date | None = None  # default: today


@dataclass(frozen=True)
class RecordCheck:
    certificate_id: int
    expected_version: int
    year: int
    passed: bool
    remark: str | None = None
    checked_on: dt.date | None = None


@dataclass(frozen=True)
class Withdraw:
    certificate_id: int
    expected_version: int
    reason: str
    remark: str | None = None
    withdrawn_on: dt.date | None = None


@dataclass(frozen=True)
class ReportLost:
    certificate_id: int
    expected_version: int
    lost_on: dt.date | None = None
    reissue: bool = True  # issue the replacement at once, under a new number


def issue(actor: Actor, uow: UnitOfWork, command: IssueCertificate) -> int:
    """Issue a certificate to a person who may hold one; its number is the street's next
    serial of the year. Returns the certificate's id."""
    for attempt in range(ISSUE_ATTEMPTS):
        try:
            return _issue_once(actor, uow, command)
        except IntegrityError:
            if attempt == ISSUE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _issue_once(actor: Actor, uow: UnitOfWork, command: IssueCertificate) -> int:
    policy = load_policy()
    with uow:
        on = _day(uow, command.issued_on, "issued_on")
        person = _person(actor, uow, command.person_id, action="issue_certificate")
        held = current(uow.session, person.id)
        valid = held if held and certificates.validity(policy, facts(uow.session, held),
                                                       on=on).ok else None
        may = certificates.may_hold(policy, category=person.category,
                                    registered=person.registered_on <= on,
                                    employed=_employed(uow, person.id, on),
                                    valid_number=valid.number if valid else None)
        _require(uow, actor, may, action="issue_certificate", entity="person",
                 entity_id=person.id)
        row = _new_certificate(uow, actor, person, on, replaces=None)
        uow.commit()
        return row.id


def _new_certificate(uow: UnitOfWork, actor: Actor, person: Person, on: dt.date, *,
                     replaces: PreferentialCertificate | None) -> PreferentialCertificate:
    policy = load_policy()
    street = street_of(uow.session, person)
    # PostgreSQL queues a second officer of the same street here until the first commits;
    # SQLite writes one at a time, and a clash on the unique serial is retried by ``issue``.
    uow.session.execute(select(OrgUnit.id).where(OrgUnit.id == street.id).with_for_update())
    serial = 1 + (uow.session.scalar(select(func.max(PreferentialCertificate.serial)).where(
        PreferentialCertificate.street_id == street.id,
        PreferentialCertificate.year == on.year)) or 0)
    row = PreferentialCertificate(
        person_id=person.id, street_id=street.id, year=on.year, serial=serial,
        number=certificates.number(policy, street_code=street.code, year=on.year, serial=serial),
        issued_on=on, issued_by=actor.staff_id, replaces_id=replaces.id if replaces else None)
    audit.add(uow, actor, row, action="reissue_certificate" if replaces else "issue_certificate")
    return row


def record_check(actor: Actor, uow: UnitOfWork, command: RecordCheck) -> int:
    """Record the annual check (年检) of one year, passed or failed; a failure needs a remark.
    A year is checked once (the table's unique key). Returns the check's id."""
    policy = load_policy()
    command = validation.shaped_command(command, {"year": "int", "passed": "flag",
                                                  "remark": "text", "checked_on": "date"})
    remark = command.remark
    if command.year is None:
        raise ValidationError({"year": Message("form.required")})
    if not command.passed and remark is None:
        raise ValidationError({"remark": Message("certificates.remark_needed")})
    with uow:
        on = _day(uow, command.checked_on, "checked_on")
        row = _certificate(actor, uow, command.certificate_id, command.expected_version,
                           action="check_certificate")
        _require(uow, actor, certificates.may_check(policy, facts(uow.session, row),
                                                    year=command.year, on=on),
                 action="check_certificate", entity="preferential_certificate",
                 entity_id=row.id)
        check = CertificateCheck(certificate_id=row.id, year=command.year, checked_on=on,
                                 passed=command.passed, remark=remark, staff_id=actor.staff_id)
        audit.add(uow, actor, check, action="check_certificate")
        uow.commit()
        return check.id


def withdraw(actor: Actor, uow: UnitOfWork, command: Withdraw) -> int:
    """Withdraw the certificate (on stable employment, moving away, retirement, death, ...),
    with the reason code and a remark. Returns the new version."""
    policy = load_policy()
    command = validation.shaped_command(command, {"reason": "choice", "remark": "text"})
    with uow:
        on = _day(uow, command.withdrawn_on, "withdrawn_on")
        row = _certificate(actor, uow, command.certificate_id, command.expected_version,
                           action="withdraw_certificate")
        _require(uow, actor, certificates.may_withdraw(policy, facts(uow.session, row),
                                                       reason=command.reason, on=on),
                 action="withdraw_certificate", entity="preferential_certificate",
                 entity_id=row.id)
        before = audit.snapshot(row)
        row.withdrawn_on, row.withdrawal_reason = on, command.reason
        row.withdrawal_remark = (command.remark or "").strip() or None
        audit.changed(uow, actor, row, action="withdraw_certificate", before=before)
        uow.commit()
        return row.version


def report_lost(actor: Actor, uow: UnitOfWork, command: ReportLost) -> int | None:
    """Mark the certificate lost (it is no longer valid) and, unless told not to, issue the
    replacement under a new number pointing back at it. Returns the replacement's id."""
    policy = load_policy()
    command = validation.shaped_command(command, {"reissue": "flag"})
    with uow:
        on = _day(uow, command.lost_on, "lost_on")
        row = _certificate(actor, uow, command.certificate_id, command.expected_version,
                           action="report_certificate_lost")
        _require(uow, actor, certificates.may_report_lost(policy, facts(uow.session, row),
                                                          on=on),
                 action="report_certificate_lost", entity="preferential_certificate",
                 entity_id=row.id)
        before = audit.snapshot(row)
        row.lost_on = on
        audit.changed(uow, actor, row, action="report_certificate_lost", before=before)
        new = _new_certificate(uow, actor, row.person, on, replaces=row) \
            if command.reissue else None
        uow.commit()
        return new.id if new else None


def reissue(actor: Actor, uow: UnitOfWork, *, certificate_id: int,
            issued_on: dt.date | None = None) -> int:
    """Replace a certificate reported lost earlier and not yet replaced; the new id."""
    policy = load_policy()
    with uow:
        on = _day(uow, issued_on, "issued_on")
        row = _certificate(actor, uow, certificate_id, None, action="reissue_certificate")
        replaced = uow.session.scalar(select(func.count(PreferentialCertificate.id)).where(
            PreferentialCertificate.replaces_id == row.id)) > 0
        _require(uow, actor, certificates.may_reissue(policy, facts(uow.session, row),
                                                      replaced=replaced),
                 action="reissue_certificate", entity="preferential_certificate",
                 entity_id=row.id)
        new = _new_certificate(uow, actor, row.person, on, replaces=row)
        uow.commit()
        return new.id


# helpers: each takes the open unit of work


def _day(uow: UnitOfWork, day: dt.date | None, field: str) -> dt.date:
    (day,) = validation.args(**{field: ("date", day)})
    today = uow.today()
    if day is not None and day > today:
        raise ValidationError({field: Message("form.date_in_future")})
    return day or today


def _person(actor: Actor, uow: UnitOfWork, person_id: int, *, action: str) -> Person:
    person = scope.person(actor, uow, person_id, action=action)
    if not access.may(actor, "certificates"):
        raise audit.deny(uow, actor, action=action, entity="person", entity_id=person_id)
    return person


def _certificate(actor: Actor, uow: UnitOfWork, certificate_id: int,
                 expected_version: int | None, *, action: str) -> PreferentialCertificate:
    row = scope.record(uow, PreferentialCertificate, certificate_id, expected_version)
    _person(actor, uow, row.person_id, action=action)
    return row


def _employed(uow: UnitOfWork, person_id: int, on: dt.date) -> bool:
    latest = uow.session.scalars(select(EmploymentStatus.status).where(
        EmploymentStatus.person_id == person_id, EmploymentStatus.since <= on)
        .order_by(EmploymentStatus.since.desc(), EmploymentStatus.id.desc()).limit(1)).first()
    return latest == "employed"


def _require(uow: UnitOfWork, actor: Actor, decision: Decision, *, action: str, entity: str,
             entity_id: int) -> None:
    """Raise ``CertificateRefused`` (audited in its own transaction) unless ``decision.ok``."""
    if decision.ok:
        return
    with uow.fresh() as own:
        audit.record(own, actor, action=action, entity=entity, entity_id=entity_id,
                     outcome="denied",
                     after={"reasons": [r.to_json() for r in decision.reasons]})
        own.commit()
    raise CertificateRefused(decision)
