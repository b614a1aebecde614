"""Progress against the yearly target of 8,000 people into community employment and
re-employment (社区就业再就业), by month and by unit, and advanced-unit candidates ranked by a
transparent score within the notice's quotas.

Who counts: laid-off and unemployed people (the never-employed included; not retirees or new
entrants), each once a year, on their first qualifying event of that year: a placement record
(安置), self-employment (自谋职业) from the status history, split by whether the person holds a
bank-approved small guaranteed loan, or flexible employment (灵活就业) from the status history.
The first event of the year wins, so a person placed in March and self-employed in May counts
once, as a placement; on the same day a placement comes first, then self-employment, then
flexible employment (the order of ``KINDS``). A status "employed" is not counted on its own: the
placement that wrote it is.

A person counts for the community whose ledger they are on, and for every unit above it. A
unit's target is the one an administrator set for it that year; otherwise its parent's target
(less the targets set for its siblings) is split among the remaining siblings in proportion to
the registered jobseekers on their ledgers (equally if none are registered).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from casework import access, money
from casework.access import Actor
from casework.db.models import (
    EmploymentStatus,
    Loan,
    OrgUnit,
    Person,
    Placement,
    PlacementTarget,
)
from casework.errors import ValidationError
from casework.i18n import Message
from casework.policy import JOBSEEKERS, load_policy
from casework.services import audit
from casework.services.uow import UnitOfWork

# The kinds of community employment and re-employment counted, in the order that breaks a tie.
KINDS = ("placement", "self_employed_loan", "self_employed", "flexible")
COUNTED_STATUSES = ("self_employed", "flexible")  # EmploymentStatus.status values counted

LEVELS = ("city", "district", "street", "community")  # counties sit with districts


@dataclass(frozen=True)
class Event:
    """A person's qualifying event: who, on whose ledger, when, which kind, and (placements)
    whether it is stable: a contract of 3 years or more with social insurance."""

    person_id: int
    community_id: int
    day: dt.date
    kind: str
    stable: bool = False


def first_of_each_person(events: Iterable[Event]) -> list[Event]:
    """Each person once: their earliest event; on the same day, the kind first in ``KINDS``."""
    first: dict[int, Event] = {}
    for event in events:
        kept = first.get(event.person_id)
        if kept is None or (event.day, KINDS.index(event.kind)) < (kept.day,
                                                                    KINDS.index(kept.kind)):
            first[event.person_id] = event
    return sorted(first.values(), key=lambda e: (e.day, e.person_id))


@dataclass(frozen=True)
class UnitProgress:
    unit_id: int
    code: str
    level: str
    name_zh: str
    name_en: str
    parent_id: int | None
    counted: int  # people counted towards the target, each once
    by_kind: dict[str, int]  # counted, by the kind of their first event (KINDS)
    stable: int  # counted placements on contracts of 36 months or more with social insurance
    target: float
    target_source: str  # "notice" (the city's 8,000), "set" by an administrator, or "split"

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    @property
    def placements(self) -> int:
        """People counted through a placement record (the stable share's denominator)."""
        return self.by_kind["placement"]

    @property
    def attainment(self) -> float:
        return self.counted / self.target if self.target else 0.0


@dataclass(frozen=True)
class MonthProgress:
    month: int
    counted: int
    cumulative: int
    target_to_date: float
    by_kind: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ProgressReport:
    year: int
    home: UnitProgress
    months: list[MonthProgress]
    units: list[UnitProgress]  # the actor's area, in tree order

    def level(self, level: str) -> list[UnitProgress]:
        wanted = ("district", "county") if level == "district" else (level,)
        return [u for u in self.units if u.level in wanted]


def set_target(actor: Actor, uow: UnitOfWork, *, unit_id: int, year: int,
               placements: int) -> None:
    """An administrator (or city officer) sets a unit's placement target for a year."""
    with uow:
        unit = uow.session.get(OrgUnit, unit_id) if unit_id else None
        if not access.may(actor, "set_targets", unit.path if unit else None):
            raise audit.deny(uow, actor, action="set_target", entity="placement_target")
        if unit is None:
            raise ValidationError({"unit_id": Message("form.required")})
        if not isinstance(placements, int) or placements < 0:
            raise ValidationError({"placements": Message("training.at_least", low=0)})
        row = uow.session.scalar(select(PlacementTarget).where(
            PlacementTarget.unit_id == unit_id, PlacementTarget.year == year))
        before = audit.snapshot(row) if row else None
        if row is None:
            row = PlacementTarget(unit_id=unit_id, year=year, placements=placements,
                                  set_by=actor.staff_id)
            uow.session.add(row)
        row.placements, row.set_by = placements, actor.staff_id
        uow.session.flush()
        audit.record(uow, actor, action="set_target", entity="placement_target",
                     entity_id=row.id, before=before, after=audit.snapshot(row))
        uow.commit()


def progress(actor: Actor, uow: UnitOfWork, *, year: int) -> ProgressReport:
    """People counted in ``year`` by month for the actor's unit, and by unit in the actor's
    area, each with the breakdown by kind."""
    with uow:
        return report_in(actor, uow, year=year)


def report_in(actor: Actor, uow: UnitOfWork, *, year: int) -> ProgressReport:
    """``progress``'s report within the caller's open unit of work, which it does not enter
    (it takes the unit of work, not its session, to audit a refusal on its own)."""
    if not access.may(actor, "view_progress"):
        raise audit.deny(uow, actor, action="read_progress", entity="progress")
    units = list(uow.session.scalars(select(OrgUnit).order_by(OrgUnit.path)))
    tree = [(u.id, u.path) for u in units]
    counted = counted_events(uow, year)
    targets = _targets(uow, units, year, load_policy()["targets"]["annual_placements"])
    rows = _rollup(units, counted, targets)
    paths = dict(tree)
    home = rows[actor.unit_id]
    mine = [e for e in counted if paths[e.community_id].startswith(paths[home.unit_id])]
    by_month, total = [], 0
    for month in range(1, 13):
        kinds = _by_kind(e for e in mine if e.day.month == month)
        total += sum(kinds.values())
        by_month.append(MonthProgress(month, sum(kinds.values()), total,
                                      home.target * month / 12, kinds))
    units = [rows[unit_id] for unit_id, path in tree if access.in_scope(actor, path)]
    return ProgressReport(year, home, by_month, units)


def counted_events(uow: UnitOfWork, year: int) -> list[Event]:
    """The first qualifying event in ``year`` of each laid-off or unemployed person."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    need = load_policy()["subsidy"]["min_contract_months"]
    placed = uow.session.execute(
        select(Placement.person_id, Person.community_id, Placement.start_date,
               Placement.contract_months, Placement.social_insurance)
        .join(Person, Person.id == Placement.person_id)
        .where(Placement.start_date.between(first, last), Person.category.in_(JOBSEEKERS)))
    events = [Event(person, community, day, "placement", months >= need and insured)
              for person, community, day, months, insured in placed]
    statuses = uow.session.execute(
        select(EmploymentStatus.person_id, Person.community_id, EmploymentStatus.since,
               EmploymentStatus.status)
        .join(Person, Person.id == EmploymentStatus.person_id)
        .where(EmploymentStatus.since.between(first, last),
               EmploymentStatus.status.in_(COUNTED_STATUSES), Person.category.in_(JOBSEEKERS)))
    # "With a loan": the person holds a bank-approved small guaranteed loan applied for by the
    # end of the year.
    borrowers = set(uow.session.scalars(select(Loan.person_id).where(
        Loan.status == money.LOAN_STEPS[-1], Loan.applied_on <= last)))
    for person, community, day, status in statuses:
        kind = status if status == "flexible" else (
            "self_employed_loan" if person in borrowers else "self_employed")
        events.append(Event(person, community, day, kind))
    return first_of_each_person(events)


def _by_kind(events: Iterable[Event]) -> dict[str, int]:
    counts = Counter(e.kind for e in events)
    return {kind: counts[kind] for kind in KINDS}


def _targets(uow: UnitOfWork, tree: list[OrgUnit], year: int, city_target: int
             ) -> dict[int, tuple[float, str]]:
    set_ = dict(uow.session.execute(select(PlacementTarget.unit_id, PlacementTarget.placements)
                                    .where(PlacementTarget.year == year)).all())
    registered = Counter(dict(uow.session.execute(
        select(Person.community_id, func.count(Person.id))
        .where(Person.category.in_(JOBSEEKERS)).group_by(Person.community_id)).all()))
    children: dict[int | None, list[OrgUnit]] = defaultdict(list)
    for unit in tree:
        children[unit.parent_id].append(unit)
    weight: dict[int, int] = {}
    for unit in reversed(tree):  # children come after parents in path order
        weight[unit.id] = registered[unit.id] + sum(weight[c.id] for c in children[unit.id])
    out: dict[int, tuple[float, str]] = {}
    for unit in tree:
        if unit.parent_id is None:
            out[unit.id] = (float(set_.get(unit.id, city_target)),
                            "set" if unit.id in set_ else "notice")
    for unit in tree:
        kids = children[unit.id]
        rest = out[unit.id][0] - sum(set_[c.id] for c in kids if c.id in set_)
        free = [c for c in kids if c.id not in set_]
        total = sum(weight[c.id] for c in free)
        for c in kids:
            if c.id in set_:
                out[c.id] = (float(set_[c.id]), "set")
            else:
                share = weight[c.id] / total if total else 1 / len(free)
                out[c.id] = (max(rest, 0.0) * share, "split")
    return out


def _rollup(tree, counted: list[Event], targets) -> dict[int, UnitProgress]:
    """Each unit's counts: the events of the communities under it."""
    by_community: dict[int, list[Event]] = defaultdict(list)
    for event in counted:
        by_community[event.community_id].append(event)
    paths = {u.id: u.path for u in tree}
    under: dict[int, list[Event]] = defaultdict(list)
    for community, events in by_community.items():
        for unit in tree:
            if paths[community].startswith(unit.path):
                under[unit.id] += events
    out = {}
    for u in tree:
        events = under[u.id]
        out[u.id] = UnitProgress(u.id, u.code, u.level, u.name_zh, u.name_en, u.parent_id,
                                 len(events), _by_kind(events), sum(e.stable for e in events),
                                 *targets[u.id])
    return out
