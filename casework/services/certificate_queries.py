"""Readers the certificate and loan services share: a person's current certificate, its facts
for the pure rules, and typed rows for lists. Each takes an open session, never a unit of work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import certificates
from casework.access import Actor
from casework.db.models import OrgUnit, Person
from casework.db.models_notice import CertificateCheck, PreferentialCertificate
from casework.i18n import Message
from casework.policy import load_policy


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
    decision = certificates.validity(policy, facts(None, r, checks), on=on)
    last = max(checks, key=lambda c: c.year, default=None)
    done = {c.year for c in checks}
    due = next((y for y in range(r.issued_on.year + 1, on.year + 1) if y not in done), None)
    return CertificateRow(
        r.id, r.person_id, r.person.name if actor.sees_identities else None, r.number,
        r.street_id, street, r.issued_on,
        (last.year, last.passed, last.checked_on) if last else None, due,
        certificates.state(policy, facts(None, r, checks), on=on), decision.reasons[0],
        r.withdrawn_on, r.withdrawal_reason, r.withdrawal_remark, r.lost_on, replaces,
        replaced_by, r.version)
