"""特困家庭 in scope, with their verification status and the home-visit schedule, and the
overdue roll-up from community to city. Read only: nothing here writes."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from casework import access
from casework.access import Actor
from casework.db.models import HardshipHousehold, HomeVisit, OrgUnit, Person
from casework.db.models_notice import HardshipMember
from casework.policy import VisitDue, load_policy, visit_due
from casework.services import audit
from casework.services.uow import UnitOfWork


@dataclass(frozen=True)
class HouseholdRow:
    id: int
    person_id: int
    name: str | None
    community_id: int
    community_name: str
    status: str  # pending_community, pending_street, registered, exited
    version: int
    last_visit: dt.date | None
    due: VisitDue | None  # only for registered households
    members: int = 0
    targeted: int = 0  # members targeted for employment aid


def status_of(h: HardshipHousehold) -> str:
    if h.exited_on:
        return "exited"
    if h.street_confirmed_at:
        return "registered"
    return "pending_street" if h.community_verified_at else "pending_community"


def households(actor: Actor, uow: UnitOfWork, *, today: dt.date | None = None,
               statuses: tuple[str, ...] = ("registered",)) -> list[HouseholdRow]:
    """Households in scope; registered ones carry their visit due date, computed now.

    Overdue come first (most overdue first), then due today, then upcoming by due date.
    """
    today = today or uow.today()
    with uow:
        return household_rows(actor, uow.session, today=today, statuses=statuses)


def household_rows(actor: Actor, session: Session, *, today: dt.date,
                   statuses: tuple[str, ...] = ("registered",)) -> list[HouseholdRow]:
    """``households``, read in the caller's open transaction."""
    policy = load_policy()
    due = cache(lambda registered_on, last, planned: visit_due(
        policy, registered_on=registered_on, last_visit=last, today=today, planned=planned))
    out = [HouseholdRow(r.id, r.person_id, r.name if actor.sees_identities else None,
                        r.community_id, r.name_zh, r.status, r.version, r.last,
                        due(r.registered_on, r.last, r.planned)
                        if r.status == "registered" else None, r.members, r.targeted)
           for r in session.execute(_household_query(actor, statuses))]
    return sorted(out, key=_urgency)


def _status_case():
    """``status_of`` in SQL, so that only the households asked for are read."""
    h = HardshipHousehold
    return case((h.exited_on.is_not(None), "exited"),
                (h.street_confirmed_at.is_not(None), "registered"),
                (h.community_verified_at.is_not(None), "pending_street"),
                else_="pending_community")


def _household_query(actor: Actor, statuses: tuple[str, ...]):
    """One row per household in scope with one of ``statuses``: plain columns, the applicant's
    name, its last visit, the earliest next visit planned on that day, and its members.

    Whole ORM rows and a lazy ``h.person`` (a query per household) made a street of 5,000
    households take seconds; a window over every visit of the street then took 130 ms. Now
    each household's figures are correlated subqueries that seek the covering indexes of
    migration 0010 (about 40 ms for 5,000 households on SQLite), and no grouped subquery is
    joined (see ``_latest_visits``).
    """
    h, visit, member = HardshipHousehold, aliased(HomeVisit), aliased(HardshipMember)
    # Correlated by name: inside ``planned`` it is two levels below the household's row,
    # where implicit correlation would give it a FROM of its own (every household's visits).
    last = (select(func.max(HomeVisit.visit_date)).where(HomeVisit.household_id == h.id)
            .correlate_except(HomeVisit).scalar_subquery())
    planned = (select(func.min(visit.next_visit_date))
               .where(visit.household_id == h.id, visit.visit_date == last).scalar_subquery())
    members = (select(func.count()).select_from(member).where(member.household_id == h.id)
               .scalar_subquery())
    targeted = (select(func.count()).select_from(member)
                .where(member.household_id == h.id, member.aid_targeted.is_(True))
                .scalar_subquery())
    status = _status_case()
    return (select(h.id, h.person_id, h.version, h.registered_on, h.community_id,
                   OrgUnit.name_zh, Person.name, status.label("status"), last.label("last"),
                   planned.label("planned"), members.label("members"),
                   targeted.label("targeted"))
            .join(OrgUnit, h.community_id == OrgUnit.id)
            .join(Person, h.person_id == Person.id)
            .where(OrgUnit.path.startswith(actor.unit_path), status.in_(statuses)))


def _urgency(row: HouseholdRow):
    if row.due is None:
        return (3, 0, row.id)
    rank = {"overdue": 0, "due": 1, "upcoming": 2}[row.due.state]
    return (rank, -row.due.days_overdue, row.due.due_on.toordinal(), row.id)


@dataclass(frozen=True)
class RollupRow:
    unit_id: int
    level: str
    name_zh: str
    name_en: str
    depth: int
    registered: int
    overdue: int


def overdue_rollup(actor: Actor, uow: UnitOfWork, *, today: dt.date | None = None
                   ) -> list[RollupRow]:
    """Registered and overdue counts for every unit in scope: community → street → district →
    city, in tree order."""
    today = today or uow.today()
    with uow:
        if not access.may(actor, "visit_rollup"):
            raise audit.deny(uow, actor, action="visit_rollup", entity="hardship_household")
        rows = household_rows(actor, uow.session, today=today)
        units = uow.session.scalars(select(OrgUnit).where(
            OrgUnit.path.startswith(actor.unit_path)).order_by(OrgUnit.path)).all()
        paths = {u.id: u.path for u in units}
        registered: Counter[str] = Counter()
        overdue: Counter[str] = Counter()
        for row in rows:
            # Count each household once for its community and once for every unit above it.
            for ancestor in _ancestors(paths[row.community_id]):
                registered[ancestor] += 1
                overdue[ancestor] += row.due.state == "overdue"
        depth = actor.unit_path.count("/")
        return [RollupRow(u.id, u.level, u.name_zh, u.name_en, u.path.count("/") - depth,
                          registered[u.path], overdue[u.path]) for u in units]


def _ancestors(path: str) -> list[str]:
    """"/a/b/c/" → ["/a/", "/a/b/", "/a/b/c/"]."""
    codes = path.strip("/").split("/")
    return ["/" + "/".join(codes[:i]) + "/" for i in range(1, len(codes) + 1)]


def visit_due_counts(actor: Actor, session: Session, *, today: dt.date) -> Counter[str]:
    """How many registered households in scope are overdue, due today and upcoming, read in
    the caller's open transaction.

    For a work queue over a whole city: one aggregate query groups the households by the dates
    ``visit_due`` reads (the last visit or the registration, and the next visit planned at the
    last visit), and the rule runs once per group, not once per household.
    """
    latest = _latest_visits(actor)
    groups = session.execute(
        select(latest.c.since, latest.c.visited, latest.c.next, func.count())
        .group_by(latest.c.since, latest.c.visited, latest.c.next))
    policy, counts = load_policy(), Counter()
    for on, was_visited, nxt, n in groups:
        due = visit_due(policy, registered_on=on, last_visit=on if was_visited else None,
                        today=today, planned=nxt)
        counts[due.state] += n
    return counts


def _latest_visits(actor: Actor):
    """Per registered household in scope: the date of its last visit (or its registration),
    whether it was ever visited, and the earliest next visit planned on its last visit's day.

    Aggregates over aggregates, never a join to one: a planner that misjudges a grouped
    subquery's size (PostgreSQL before its first ANALYZE) would rescan it once per household.
    """
    rows = (select(HardshipHousehold.id, HardshipHousehold.registered_on, HomeVisit.visit_date,
                   HomeVisit.next_visit_date,
                   func.max(HomeVisit.visit_date).over(partition_by=HardshipHousehold.id)
                   .label("last"))
            .join(OrgUnit, HardshipHousehold.community_id == OrgUnit.id)
            .outerjoin(HomeVisit, HomeVisit.household_id == HardshipHousehold.id)
            .where(OrgUnit.path.startswith(actor.unit_path),
                   HardshipHousehold.street_confirmed_at.is_not(None),
                   HardshipHousehold.exited_on.is_(None)).subquery())
    return (select(func.coalesce(func.max(rows.c.visit_date), func.max(rows.c.registered_on))
                   .label("since"),
                   case((func.count(rows.c.visit_date) == 0, 0), else_=1).label("visited"),
                   func.min(rows.c.next_visit_date).label("next"))
            .where((rows.c.visit_date == rows.c.last) | rows.c.last.is_(None))
            .group_by(rows.c.id).subquery())

def status_counts(actor: Actor, session: Session) -> Counter[str]:
    """How many households in scope stand at each status of ``status_of``, counted in one
    query in the caller's open transaction."""
    flags = [case((column.is_(None), 0), else_=1) for column in (
        HardshipHousehold.exited_on, HardshipHousehold.street_confirmed_at,
        HardshipHousehold.community_verified_at)]
    groups = session.execute(
        select(*flags, func.count(HardshipHousehold.id)).select_from(HardshipHousehold)
        .join(OrgUnit, HardshipHousehold.community_id == OrgUnit.id)
        .where(OrgUnit.path.startswith(actor.unit_path)).group_by(*flags))
    counts: Counter[str] = Counter()
    for exited, confirmed, verified, n in groups:
        # status_of reads only whether each date is set: a group's flags stand in for them.
        counts[status_of(SimpleNamespace(exited_on=exited, street_confirmed_at=confirmed,
                                         community_verified_at=verified))] += n
    return counts
