"""Advanced-unit candidates (先进单位): streets and communities ranked by a transparent score,
and individuals by placements recorded, each within the notice's quota per county or district.

A unit's target attainment is the count of ``casework.services.progress``: laid-off and
unemployed people placed, self-employed or in flexible employment, each once a year; its
stable share is over the placements among them.

The score's parts and weights come from data/policy.toml [advanced_units.score]; every part is
returned beside the score so a supervisor can see why a unit ranks where it does.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.access import Actor
from casework.db.models import OrgUnit, Placement, Staff
from casework.policy import load_policy
from casework.services import hardship_schedule, progress
from casework.services.uow import UnitOfWork

KINDS = ("streets", "communities", "individuals")
PARTS = ("attainment", "stable", "visits", "placements")  # units have the first three


@dataclass(frozen=True)
class Candidate:
    kind: str  # streets, communities, individuals
    parent_name_zh: str  # the county or district whose quota applies
    parent_name_en: str
    name_zh: str
    name_en: str
    rank: int
    within_quota: bool
    score: float
    parts: dict[str, float]  # attainment, stable, visits (units) or placements (individuals)

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def parent_name(self, lang: str) -> str:
        return self.parent_name_zh if lang == "zh" else self.parent_name_en


def candidates(actor: Actor, uow: UnitOfWork, *, year: int, today: dt.date | None = None
               ) -> list[Candidate]:
    """For each county or district in the actor's area: its streets, communities and staff,
    ranked, with the ones inside the notice's upper quota marked."""
    policy = load_policy()
    today = today or uow.today()
    out: list[Candidate] = []
    with uow:
        report = progress.report_in(actor, uow, year=year)
        visits = _visits_on_time(actor, uow.session, today)
        tree = {i: (parent, path) for i, parent, path in uow.session.execute(
            select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.path)).all()}
        recorded = _recorded_by(uow, year)
    for top in [u for u in report.units if u.level in ("district", "county")]:
        quota = policy["advanced_units"][top.level]
        streets = [u for u in report.units if u.parent_id == top.unit_id]
        communities = [u for u in report.units if tree[u.unit_id][0] in
                       {s.unit_id for s in streets}]
        for kind, members in (("streets", streets), ("communities", communities)):
            scored = [(_score(policy, u, visits.get(u.unit_id)), u) for u in members]
            out += _ranked(kind, top, quota[kind][1],
                           [(score, parts, u.name_zh, u.name_en) for (score, parts), u in scored])
        staff = [(float(n), {"placements": float(n)}, name, name)
                 for (unit_id, name), n in recorded.items()
                 if tree[unit_id][1].startswith(tree[top.unit_id][1])]
        out += _ranked("individuals", top, quota["individuals"][1], staff)
    return out


def _score(policy, unit: progress.UnitProgress, visits: float | None) -> tuple[float, dict]:
    weights = policy["advanced_units"]["score"]
    parts = {"attainment": round(min(unit.attainment, 1.0), 3),
             "stable": round(unit.stable / unit.placements, 3) if unit.placements else 0.0,
             "visits": round(1.0 if visits is None else visits, 3)}
    return round(sum(weights[k] * v for k, v in parts.items()), 1), parts


def _ranked(kind, top, quota: int, scored: list) -> list[Candidate]:
    scored = sorted(scored, key=lambda s: (-s[0], s[2]))
    # Only units that counted someone (and staff who recorded a placement) may be named.
    return [Candidate(kind, top.name_zh, top.name_en, name_zh, name_en, i + 1,
                      i < quota and parts.get("attainment", parts.get("placements", 0)) > 0,
                      score, parts)
            for i, (score, parts, name_zh, name_en) in enumerate(scored)]


def _visits_on_time(actor: Actor, session: Session, today: dt.date) -> dict[int, float]:
    """Share of registered hardship households not overdue for a visit, per street and
    community (communities and their street both count each household)."""
    rows = hardship_schedule.household_rows(actor, session, today=today)
    parent = dict(session.execute(select(OrgUnit.id, OrgUnit.parent_id)).all())
    total, fine = Counter(), Counter()
    for row in rows:
        for unit in (row.community_id, parent[row.community_id]):
            total[unit] += 1
            fine[unit] += row.due is None or row.due.state != "overdue"
    return {unit: fine[unit] / total[unit] for unit in total}


def _recorded_by(uow: UnitOfWork, year: int) -> Counter:
    """Placements each staff member recorded in the year, keyed by (home unit, display name)."""
    rows = uow.session.execute(
        select(Staff.unit_id, Staff.display_name)
        .join(Placement, Placement.created_by == Staff.id)
        .where(Placement.start_date >= dt.date(year, 1, 1),
               Placement.start_date <= dt.date(year, 12, 31))).all()
    return Counter((unit_id, name) for unit_id, name in rows)
