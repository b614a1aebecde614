"""Labour demand for an area and a period, as curriculum planning reads it.

The rows are what :class:`evaluation.demand.DemandData` takes, with no person in them: the
trainer sees postings (public), and of jobseekers, referrals and placements only the unit,
the occupation and the skills. Postings are read city-wide (the location quotient compares the
area with the city); everything else only within the area, which must meet the
``read_demand`` rule of :data:`casework.access.PERMISSIONS`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select

from casework import access, vocab_terms
from casework.access import Actor
from casework.db.models import EmploymentStatus, JobPosting, OrgUnit, Person, Placement, Referral
from casework.errors import ValidationError
from casework.i18n import Message
from casework.policy import JOBSEEKERS
from casework.services import audit, org
from casework.services.uow import UnitOfWork
from evaluation.demand import DemandData

ACTION = "read_demand"
# A jobseeker whose latest status is one of these is out of work (and so part of the supply).
OUT_OF_WORK = ("unemployed", "in_training")


@dataclass(frozen=True)
class DemandView:
    """The period's rows for ``area``, and the free text that mapped to no vocabulary term
    (``(text, how many times)``, most frequent first)."""

    data: DemandData
    area: org.UnitView
    start: dt.date
    end: dt.date
    unmapped: tuple[tuple[str, int], ...]
    street_names: dict[str, tuple[str, str]]  # street code: (name_zh, name_en)


def areas(actor: Actor, uow: UnitOfWork) -> list[org.UnitView]:
    """The units whose demand the actor may read, down to streets: their own unit first, then
    the units above it, then those below it, each in path order."""
    with uow:
        units = uow.session.scalars(select(OrgUnit).where(OrgUnit.level != "community")
                                    .order_by(OrgUnit.path)).all()
        allowed = [org._view(u) for u in units if access.may(actor, ACTION, u.path)]
    return sorted(allowed, key=lambda u: (u.id != actor.unit_id,
                                          not actor.unit_path.startswith(u.path), u.path))


def demand_data(actor: Actor, uow: UnitOfWork, *, unit_id: int | None, start: dt.date,
                end: dt.date) -> DemandView:
    """The period's demand rows for the unit ``unit_id`` (None: the actor's own unit)."""
    if start > end:
        raise ValidationError({"start": Message("curriculum.bad_period")})
    with uow:
        unit = uow.session.get(OrgUnit, unit_id or actor.unit_id)
        if unit is None:
            raise ValidationError({"area": Message("curriculum.bad_area")})
        if not access.may(actor, ACTION, unit.path):
            raise audit.deny(uow, actor, action=ACTION, entity="org_unit", entity_id=unit.id)
        s = uow.session
        paths = dict(s.execute(select(OrgUnit.id, OrgUnit.path)).all())
        streets = {code: (zh, en) for code, zh, en in s.execute(
            select(OrgUnit.code, OrgUnit.name_zh, OrgUnit.name_en)
            .where(OrgUnit.level == "street"))}
        seekers, unmapped = _seekers(s, unit.path, end)
        data = DemandData(postings=_postings(s, paths, start, end), seekers=seekers,
                          referrals=_referrals(s, paths, unit.path, start, end),
                          placements=_placements(s, paths, unit.path, start, end),
                          period=f"{start.isoformat()}/{end.isoformat()}")
        return DemandView(data, org._view(unit), start, end, unmapped, streets)


def _postings(s, paths: dict, start: dt.date, end: dt.date) -> pd.DataFrame:
    P = JobPosting
    placed = dict(s.execute(select(Placement.posting_id, func.count(Placement.id))
                            .where(Placement.posting_id.is_not(None))
                            .group_by(Placement.posting_id)).all())
    rows = []
    for p in s.execute(select(P.id, P.unit_id, P.opened_on, P.closed_on, P.status,
                              P.occupation, P.skills, P.openings)
                       .where(P.opened_on >= start, P.opened_on <= end).order_by(P.id)):
        # A posting marked filled has all its openings taken (some hires come from outside
        # the ledger); otherwise the placements recorded against it count.
        done = p.status == "filled"
        rows.append({"posting_id": p.id, "area": paths[p.unit_id],
                     "month": p.opened_on.strftime("%Y-%m"), "occupation": p.occupation,
                     "skills": tuple(p.skills or ()), "openings": p.openings,
                     "filled": p.openings if done else min(placed.get(p.id, 0), p.openings),
                     "days_to_fill": float((p.closed_on - p.opened_on).days)
                     if done and p.closed_on else float("nan")})
    return pd.DataFrame(rows, columns=["posting_id", "area", "month", "occupation", "skills",
                                       "openings", "filled", "days_to_fill"])


def _seekers(s, area: str, end: dt.date) -> tuple[pd.DataFrame, tuple]:
    """Jobseekers registered by ``end`` and out of work on it: wishes and skills only."""
    query = (select(Person.id, OrgUnit.path, Person.job_wishes, Person.skills,
                    Person.skills_note).join(OrgUnit, Person.community_id == OrgUnit.id)
             .where(OrgUnit.path.startswith(area), Person.category.in_(JOBSEEKERS),
                    Person.registered_on <= end))
    people = s.execute(query).all()
    latest = _latest_status(s, [p.id for p in people], end)
    rows, unmapped = [], Counter()
    for p in people:
        if latest.get(p.id, "unemployed") not in OUT_OF_WORK:
            continue
        wishes = vocab_terms.map_text(p.job_wishes, to="occupation")
        noted = vocab_terms.map_text(p.skills_note, to="skill")
        unmapped.update(wishes.unmapped + noted.unmapped)
        skills = tuple(dict.fromkeys([*(p.skills or ()), *noted.codes]))
        rows.append({"area": p.path, "wishes": wishes.codes, "skills": skills})
    frame = pd.DataFrame(rows, columns=["area", "wishes", "skills"])
    return frame, tuple(sorted(unmapped.items(), key=lambda kv: (-kv[1], kv[0])))


def _latest_status(s, ids: list[int], end: dt.date) -> dict[int, str]:
    E = EmploymentStatus
    latest: dict[int, str] = {}
    chunk = 500  # keeps the IN list short on both databases
    for i in range(0, len(ids), chunk):
        for person_id, status in s.execute(
                select(E.person_id, E.status).where(E.person_id.in_(ids[i:i + chunk]),
                                                    E.since <= end)
                .order_by(E.person_id, E.since, E.id)):
            latest[person_id] = status
    return latest


def _referrals(s, paths: dict, area: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    rows = [{"area": paths[unit_id], "occupation": occupation, "outcome": outcome}
            for unit_id, occupation, outcome in s.execute(
                select(JobPosting.unit_id, JobPosting.occupation, Referral.outcome)
                .join(JobPosting, Referral.posting_id == JobPosting.id)
                .where(Referral.referred_on >= start, Referral.referred_on <= end))
            if paths[unit_id].startswith(area)]
    return pd.DataFrame(rows, columns=["area", "occupation", "outcome"])


def _placements(s, paths: dict, area: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    rows = [{"area": paths[unit_id], "occupation": occupation}
            for unit_id, occupation in s.execute(
                select(Placement.unit_id, JobPosting.occupation)
                .join(JobPosting, Placement.posting_id == JobPosting.id)
                .where(Placement.start_date >= start, Placement.start_date <= end))
            if paths[unit_id].startswith(area)]
    return pd.DataFrame(rows, columns=["area", "occupation"])
