"""Demo Re-employment Preferential Certificates 《再就业优惠证》, issued by each person's street.

Most registered laid-off and unemployed people hold one, issued a few weeks after registration
(unless a job came first). Each is checked early in every following year (a few checks are
missed, a very few fail); about half of those who later found a stable job had theirs withdrawn;
a few were lost and reissued under a new number. Serials count per street and year in the order
of issue, as the street office numbers them. The loans of the demo (``demo_jobs``) are made only
to people whose certificate is valid on the day they apply.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select

from casework import certificates
from casework.db.bulk import indexes_built_after, insert_returning_ids, insert_rows
from casework.db.models import OrgUnit
from casework.db.models_notice import CertificateCheck, PreferentialCertificate
from casework.policy import Policy

ISSUE_SHARE = 0.85  # of registered laid-off and unemployed people out of work at issue
WITHDRAW_SHARE = 0.5  # of holders who later found a stable job
LOST_SHARE = 0.03
FAILED_REMARKS = ("本人未到场，经电话联系仍未补检", "核查发现已在外地就业，待收回")


@dataclass
class _Plan:
    """One certificate to be written: its person, street, dates and checks."""

    person_id: int
    street_id: int
    issued_on: dt.date
    withdrawn_on: dt.date | None = None
    lost_on: dt.date | None = None
    checks: list[tuple[int, dt.date, bool]] = field(default_factory=list)
    replaces: _Plan | None = None


def generate(uow, rng: random.Random, policy: Policy, people: list[dict],
             employed: dict[int, tuple[dt.date, int]], staff: dict[str, int],
             as_of: dt.date) -> None:
    """Write the demo's certificates and their annual checks (call before ``demo_jobs``)."""
    street_of = dict(uow.session.execute(select(OrgUnit.id, OrgUnit.parent_id)
                                         .where(OrgUnit.level == "community")).all())
    plans: list[_Plan] = []
    for person in people:
        plan = _plan(rng, policy, person, street_of[person["community_id"]],
                     employed.get(person["id"]), as_of)
        if plan is not None:
            plans.append(plan)
            if plan.lost_on is not None:
                plans.append(_replacement(rng, policy, plan, as_of))
    _insert(uow, policy, plans, staff["street_officer"])


def _plan(rng, policy, person: dict, street_id: int, job: tuple[dt.date, int] | None,
          as_of: dt.date) -> _Plan | None:
    if person["category"] not in policy["certificate"]["holder_categories"] \
            or rng.random() > ISSUE_SHARE:
        return None
    issued = person["registered_on"] + dt.timedelta(days=rng.randint(7, 60))
    if issued > as_of or (job is not None and job[0] <= issued):
        return None
    plan = _Plan(person["id"], street_id, issued)
    if job is not None and rng.random() < WITHDRAW_SHARE:
        plan.withdrawn_on = min(job[0] + dt.timedelta(days=rng.randint(10, 90)), as_of)
    elif rng.random() < LOST_SHARE:
        plan.lost_on = issued + dt.timedelta(days=rng.randint(30, max(31, (as_of - issued).days)))
        plan.lost_on = min(plan.lost_on, as_of)
    _checks(rng, policy, plan, end=plan.withdrawn_on or plan.lost_on or as_of)
    return plan


def _replacement(rng, policy, lost: _Plan, as_of: dt.date) -> _Plan:
    """The new certificate for a lost one: a few days later, checked from then on."""
    plan = _Plan(lost.person_id, lost.street_id,
                 min(lost.lost_on + dt.timedelta(days=rng.randint(0, 7)), as_of), replaces=lost)
    _checks(rng, policy, plan, end=as_of)
    return plan


def _checks(rng, policy, plan: _Plan, *, end: dt.date) -> None:
    """A check early in each year after the issue year, up to ``end``; 4% missed, 2% failed
    (after which nothing more is checked)."""
    month = policy["certificate"]["annual_check_due_month"]
    for year in range(plan.issued_on.year + 1, end.year + 1):
        day = dt.date(year, rng.randint(1, month), rng.randint(1, 28))
        if day > end:
            break
        draw = rng.random()
        if draw < 0.04:
            continue
        plan.checks.append((year, day, draw >= 0.06))
        if draw < 0.06:
            break


def _insert(uow, policy: Policy, plans: list[_Plan], officer: int) -> None:
    """Number the certificates per street and year in the order of issue, then write them."""
    codes = dict(uow.session.execute(select(OrgUnit.id, OrgUnit.code)
                                     .where(OrgUnit.level == "street")).all())
    serials: dict[tuple[int, int], int] = {}
    ordered = sorted(plans, key=lambda p: (p.issued_on, p.replaces is not None, p.person_id))
    rows = []
    for plan in ordered:
        key = (plan.street_id, plan.issued_on.year)
        serials[key] = serials.get(key, 0) + 1
        rows.append({
            "person_id": plan.person_id, "street_id": plan.street_id, "year": key[1],
            "serial": serials[key], "issued_on": plan.issued_on, "issued_by": officer,
            "number": certificates.number(policy, street_code=codes[plan.street_id],
                                          year=key[1], serial=serials[key]),
            "withdrawn_on": plan.withdrawn_on,
            "withdrawal_reason": "stable_employment" if plan.withdrawn_on else None,
            "withdrawal_remark": "已签订劳动合同，稳定就业" if plan.withdrawn_on else None,
            "lost_on": plan.lost_on, "replaces_id": None, "version": 1})
    with indexes_built_after(uow.session, PreferentialCertificate.__table__):
        new_ids = insert_returning_ids(uow.session, PreferentialCertificate, rows)
    ids = dict(zip(map(id, ordered), new_ids, strict=True))
    replacing = [{"certificate": ids[id(plan)], "replaces": ids[id(plan.replaces)]}
                 for plan in ordered if plan.replaces is not None]
    if replacing:
        table = PreferentialCertificate.__table__
        uow.session.connection().execute(
            table.update().where(table.c.id == bindparam("certificate"))
            .values(replaces_id=bindparam("replaces")), replacing)
    insert_rows(uow.session, CertificateCheck, [
        {"certificate_id": ids[id(plan)], "year": year, "checked_on": day, "passed": passed,
         "remark": None if passed else FAILED_REMARKS[year % len(FAILED_REMARKS)],
         "staff_id": officer}
        for plan in ordered for year, day, passed in plan.checks])


def valid_certificate(uow, policy: Policy, person_id: int, on: dt.date,
                      held: dict[int, list[tuple[int, certificates.Certificate]]] | None = None
                      ) -> int | None:
    """The id of the person's certificate that is valid on ``on``, if any (``held``: the
    result of ``holdings``, read once for many people)."""
    for certificate_id, facts in (held if held is not None else holdings(uow)).get(person_id, ()):
        if certificates.validity(policy, facts, on=on).ok:
            return certificate_id
    return None


def holdings(uow) -> dict[int, list[tuple[int, certificates.Certificate]]]:
    """Every person's certificates as the pure rules take them, with their checks."""
    checks: dict[int, list[certificates.Check]] = {}
    # Plain rows, not ORM objects: a million people's certificates are read here. The same
    # statements as the ORM's, so the rows come in the same order.
    for c in uow.session.execute(select(CertificateCheck.__table__)):
        checks.setdefault(c.certificate_id, []).append(
            certificates.Check(c.year, c.checked_on, c.passed))
    held: dict[int, list[tuple[int, certificates.Certificate]]] = {}
    table = PreferentialCertificate.__table__
    for r in uow.session.execute(select(table).order_by(table.c.issued_on)):
        held.setdefault(r.person_id, []).append((r.id, certificates.Certificate(
            r.number, r.issued_on, r.withdrawn_on, r.withdrawal_reason, r.lost_on,
            tuple(checks.get(r.id, ())))))
    return held
