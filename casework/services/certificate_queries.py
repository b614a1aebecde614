"""Reading certificates: a person's status, the street list and who may be issued one (use
cases, each opening the unit of work once), and the session-level readers the certificate and
loan services share (a person's current certificate, its facts for the pure rules, typed rows).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from casework import access, certificates
from casework.access import Actor
from casework.db.models import OrgUnit, Person
from casework.db.models_notice import CertificateCheck, PreferentialCertificate
from casework.errors import ValidationError
from casework.i18n import Message
from casework.policy import load_policy
from casework.services import audit, scope
from casework.services.uow import UnitOfWork

HIDDEN = "—"  # a certificate number as those who see no identities see it


@dataclass(frozen=True)
class CertificateRow:
    """One certificate as a list or the ledger shows it, with its state on the day asked."""

    id: int
    person_id: int
    name: str | None  # None for those who see no identities
    number: str
    street_id: int
    street: tuple[str, str]  # (zh, en) name
    issued_on: dt.date
    last_check: tuple[int, bool, dt.date] | None  # (year, passed, checked on)
    due_year: int | None  # the earliest year after issue, up to today's, not yet checked
    state: str  # one of certificates.STATES
    reason: Message  # why it is (not) valid, naming the state
    withdrawn_on: dt.date | None
    withdrawal_reason: str | None
    withdrawal_remark: str | None
    lost_on: dt.date | None
    replaces: str | None  # number of the lost certificate this one replaces
    replaced_by: str | None  # number of the certificate that replaced this lost one
    version: int

    def street_name(self, lang: str) -> str:
        return self.street[0] if lang == "zh" else self.street[1]


def status(actor: Actor, uow: UnitOfWork, *, person_id: int, on: dt.date | None = None
           ) -> CertificateRow | None:
    """The person's latest certificate and what it is on ``on`` (today); None if never issued.
    Anyone who may read the person's ledger may read it."""
    with uow:
        person = uow.session.get(Person, person_id)
        if person is None:
            raise ValidationError({"person_id": Message("error.person_not_found", id=person_id)})
        if not access.may_read_ledger(actor, person.community.path):
            raise audit.deny(uow, actor, action="read_certificate", entity="person",
                             entity_id=person_id)
        row = current(uow.session, person_id)
        if row is None:
            return None
        return certificate_rows(uow.session, actor, [row], on=on or uow.today())[0]


def list_by_street(actor: Actor, uow: UnitOfWork, *, street_id: int | None = None,
                   search: str | None = None, on: dt.date | None = None,
                   limit: int = 500) -> list[CertificateRow]:
    """Certificates of people in the actor's area (and in ``street_id`` if given), newest
    first, each with its state on ``on``; ``search`` matches the number or the holder's name
    (for those who see identities: numbers and names are what it would confirm)."""
    with uow:
        query = scope.in_area(select(PreferentialCertificate),
                              PreferentialCertificate.person_id, actor)
        if street_id is not None:
            query = query.where(PreferentialCertificate.street_id == street_id)
        if search and search.strip() and actor.sees_identities:
            text = f"%{search.strip()}%"
            query = query.where(PreferentialCertificate.number.like(text)
                                | Person.name.like(text))
        found = list(uow.session.scalars(query.options(
            selectinload(PreferentialCertificate.person)).order_by(
            PreferentialCertificate.issued_on.desc(), PreferentialCertificate.id.desc())
            .limit(limit)))
        return certificate_rows(uow.session, actor, found, on=on or uow.today())


@dataclass(frozen=True)
class CandidateRow:
    """Someone who may be issued a certificate: a registered laid-off or unemployed person in
    the area whose certificates (if any) are all withdrawn or lost."""

    id: int
    name: str | None
    community_id: int


def candidates(actor: Actor, uow: UnitOfWork, *, street_id: int | None = None,
               search: str | None = None, limit: int = 200) -> list[CandidateRow]:
    """Candidates for a certificate, searched by name or ID number in SQL, newest first."""
    held = exists().where(PreferentialCertificate.person_id == Person.id,
                          PreferentialCertificate.withdrawn_on.is_(None),
                          PreferentialCertificate.lost_on.is_(None))
    with uow:
        query = (select(Person).join(OrgUnit, Person.community_id == OrgUnit.id)
                 .where(OrgUnit.path.startswith(actor.unit_path), ~held,
                        Person.category.in_(load_policy()["certificate"]["holder_categories"])))
        if street_id is not None:
            query = query.where(OrgUnit.parent_id == street_id)
        if search and search.strip() and actor.sees_identities:
            like = f"%{search.strip()}%"
            query = query.where(Person.name.like(like) | Person.id_number.like(like))
        return [CandidateRow(p.id, p.name if actor.sees_identities else None, p.community_id)
                for p in uow.session.scalars(query.order_by(Person.id.desc()).limit(limit))]


def current(session: Session, person_id: int) -> PreferentialCertificate | None:
    """The person's latest certificate (a replacement comes after the one it replaces)."""
    return session.scalars(select(PreferentialCertificate)
                           .where(PreferentialCertificate.person_id == person_id)
                           .order_by(PreferentialCertificate.issued_on.desc(),
                                     PreferentialCertificate.id.desc()).limit(1)).first()


def street_of(session: Session, person: Person) -> OrgUnit:
    """The street office over the person's community: it issues and numbers the certificate."""
    return session.get(OrgUnit, person.community.parent_id)


def facts(session: Session, row: PreferentialCertificate,
          checks: list[CertificateCheck] | None = None) -> certificates.Certificate:
    """The certificate as the pure rules take it, with its annual checks."""
    if checks is None:
        checks = list(session.scalars(select(CertificateCheck).where(
            CertificateCheck.certificate_id == row.id)))
    return certificates.Certificate(
        row.number, row.issued_on, row.withdrawn_on, row.withdrawal_reason, row.lost_on,
        tuple(certificates.Check(c.year, c.checked_on, c.passed) for c in checks))


def certificate_rows(session: Session, actor: Actor, found: list[PreferentialCertificate], *,
                     on: dt.date) -> list[CertificateRow]:
    """Typed rows for ``found``, their checks, streets and replacements read in three queries."""
    ids = [r.id for r in found]
    checks: dict[int, list[CertificateCheck]] = {}
    for c in session.scalars(select(CertificateCheck).where(
            CertificateCheck.certificate_id.in_(ids)).order_by(CertificateCheck.year)):
        checks.setdefault(c.certificate_id, []).append(c)
    linked = {r.id: r.number for r in found}
    wanted = {r.replaces_id for r in found if r.replaces_id} - set(linked)
    linked |= dict(session.execute(select(PreferentialCertificate.id,
                                          PreferentialCertificate.number)
                                   .where(PreferentialCertificate.id.in_(wanted))).all())
    successors = dict(session.execute(
        select(PreferentialCertificate.replaces_id, PreferentialCertificate.number)
        .where(PreferentialCertificate.replaces_id.in_(ids))).all())
    streets = {u.id: (u.name_zh, u.name_en) for u in session.scalars(
        select(OrgUnit).where(OrgUnit.id.in_({r.street_id for r in found})))}
    policy = load_policy()
    return [_row(policy, actor, r, checks.get(r.id, []), streets[r.street_id],
                 linked.get(r.replaces_id), successors.get(r.id), on) for r in found]


def _row(policy, actor: Actor, r: PreferentialCertificate, checks: list[CertificateCheck],
         street: tuple[str, str], replaces: str | None, replaced_by: str | None,
         on: dt.date) -> CertificateRow:
    # The number identifies its holder (the release rules withhold it): researchers see none.
    shown = actor.sees_identities
    held = dataclasses.replace(facts(None, r, checks), number=r.number if shown else HIDDEN)
    decision = certificates.validity(policy, held, on=on)
    last = max(checks, key=lambda c: c.year, default=None)
    done = {c.year for c in checks}
    due = next((y for y in range(r.issued_on.year + 1, on.year + 1) if y not in done), None)
    return CertificateRow(
        r.id, r.person_id, r.person.name if shown else None, held.number,
        r.street_id, street, r.issued_on,
        (last.year, last.passed, last.checked_on) if last else None, due,
        certificates.state(policy, held, on=on), decision.reasons[0],
        r.withdrawn_on, r.withdrawal_reason, r.withdrawal_remark if shown else None, r.lost_on,
        replaces and (replaces if shown else HIDDEN),
        replaced_by and (replaced_by if shown else HIDDEN), r.version)
