"""Progress against the yearly placement target, by month and by unit, and advanced-unit
candidates ranked by a transparent score within the notice's quotas.

A placement counts for the community whose ledger the person is on, and for every unit above
it. A unit's target is the one an administrator set for it that year; otherwise its parent's
target (less the targets set for its siblings) is split among the remaining siblings in
proportion to the registered jobseekers on their ledgers (equally if none are registered).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import extract, func, select

from casework import access
from casework.access import Actor
from casework.db.models import OrgUnit, Person, Placement, PlacementTarget
from casework.errors import ValidationError
from casework.i18n import Message
from casework.policy import JOBSEEKERS, load_policy
from casework.services import audit
from casework.services.uow import UnitOfWork

TARGET_SETTERS = frozenset({"admin", "city_officer"})
VIEWERS = frozenset({"street_officer", "district_officer", "city_officer", "admin"})
LEVELS = ("city", "district", "street", "community")  # counties sit with districts


@dataclass(frozen=True)
class UnitProgress:
    unit_id: int
    code: str
    level: str
    name_zh: str
    name_en: str
    parent_id: int | None
    placements: int
    stable: int  # placements on contracts of 36 months or more with social insurance
    target: float
    target_source: str  # "notice" (the city's 8,000), "set" by an administrator, or "split"

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    @property
    def attainment(self) -> float:
        return self.placements / self.target if self.target else 0.0


@dataclass(frozen=True)
class MonthProgress:
    month: int
    placements: int
    cumulative: int
    target_to_date: float


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
        if actor.role not in TARGET_SETTERS or (unit and not access.in_scope(actor, unit.path)):
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
    """Placements in ``year`` by month for the actor's unit, and by unit in the actor's area."""
    if actor.role not in VIEWERS:
        with uow:
            raise audit.deny(uow, actor, action="read_progress", entity="progress")
    with uow:
        units = list(uow.session.scalars(select(OrgUnit).order_by(OrgUnit.path)))
        tree = [(u.id, u.path) for u in units]  # plain values: they outlive the session
        counts, stable, months = _placements(uow, year)
        targets = _targets(uow, units, year, load_policy()["targets"]["annual_placements"])
        rows = _rollup(units, counts, stable, targets)
    paths = dict(tree)
    home = rows[actor.unit_id]
    mine = Counter()
    for community, counted in months.items():
        if paths[community].startswith(paths[home.unit_id]):
            mine.update(counted)
    by_month, total = [], 0
    for month in range(1, 13):
        total += mine[month]
        by_month.append(MonthProgress(month, mine[month], total, home.target * month / 12))
    units = [rows[unit_id] for unit_id, path in tree if access.in_scope(actor, path)]
    return ProgressReport(year, home, by_month, units)


def _placements(uow: UnitOfWork, year: int):
    """Per community: placements, stable placements, and placements by month."""
    need = load_policy()["subsidy"]["min_contract_months"]
    found = uow.session.execute(
        select(Person.community_id, extract("month", Placement.start_date),
               Placement.contract_months, Placement.social_insurance)
        .join(Person, Person.id == Placement.person_id)
        .where(Placement.start_date >= dt.date(year, 1, 1),
               Placement.start_date <= dt.date(year, 12, 31))).all()
    counts, stable, months = Counter(), Counter(), defaultdict(Counter)
    for community, month, contract, insured in found:
        counts[community] += 1
        stable[community] += contract >= need and insured
        months[community][int(month)] += 1
    return counts, stable, months


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


def _rollup(tree, counts, stable, targets) -> dict[int, UnitProgress]:
    placed, steady = Counter(), Counter()
    by_path = {u.path: u for u in tree}
    for unit in tree:
        if counts[unit.id] or stable[unit.id]:
            for path, ancestor in by_path.items():
                if unit.path.startswith(path):
                    placed[ancestor.id] += counts[unit.id]
                    steady[ancestor.id] += stable[unit.id]
    return {u.id: UnitProgress(u.id, u.code, u.level, u.name_zh, u.name_en, u.parent_id,
                               placed[u.id], steady[u.id], *targets[u.id]) for u in tree}
