"""Demo subsidy claims on the demo's placements, and the placements' ends.

A placement ends when the person's status history next changes after its start. Claims are made
about six months into a placement that qualified then, and stop at every step (some refused); a
job-development claim whose placement then ended before [subsidy] recovery_within_months is
flagged for recovery on the day the end was recorded, as ``subsidies.flag_recovery`` would.
"""

from __future__ import annotations

import datetime as dt
import json
import random

from sqlalchemy import bindparam, select, update

from casework import money
from casework.db.bulk import insert_returning_ids, insert_rows
from casework.db.models import EmploymentStatus, Placement, SubsidyClaim, SubsidyStep
from casework.policy import Policy, add_months

FUNDS = (("city", 40), ("district", 35), ("street", 25))


def end_placements(uow, placements: list[dict]) -> None:
    """A placement ends when the person's status history next changes after its start (the
    demo writes placements for the latest job only, so any later status ends it)."""
    people = {row["person_id"]: row for row in placements}
    later: dict[int, dt.date] = {}
    for person_id, since in uow.session.execute(
            select(EmploymentStatus.person_id, EmploymentStatus.since)
            .where(EmploymentStatus.person_id.in_(list(people)))):
        if since > people[person_id]["start_date"]:
            later[person_id] = min(since, later.get(person_id, since))
    for person_id, ended in later.items():
        people[person_id]["ended_on"] = ended
    if later:  # one executemany, not a statement per placement
        table = Placement.__table__
        uow.session.connection().execute(
            update(table).where(table.c.id == bindparam("placement")).values(
                ended_on=bindparam("ended")),
            [{"placement": people[p]["id"], "ended": ended} for p, ended in later.items()])


def claims(uow, rng: random.Random, policy: Policy, placements: list[dict], postings: dict,
           categories: dict[int, str], staff: dict[str, int], as_of: dt.date) -> None:
    """Claims for most placements that qualified when claimed, stopped at every step; a few
    refused. A job-development claim whose placement then ended too early is flagged for
    recovery on the day the end was recorded."""
    claims, plans = [], []
    for row in placements:
        claimed = min(as_of, add_months(row["start_date"], 6))
        if row["ended_on"] and row["ended_on"] <= claimed:
            continue  # over before a claim was made
        for kind, amount, monthly_amount, n_months in _due(policy, row, postings, categories,
                                                           as_of):
            if rng.random() > 0.85:
                continue
            depth = rng.choices((1, 2, 3, 4), (10, 10, 15, 65))[0]
            refused = rng.random() < 0.04
            level = rng.choices(*zip(*FUNDS, strict=True))[0]
            done = money.SUBSIDY_STEPS[:depth]
            claims.append({
                "placement_id": row["id"], "kind": kind, "amount": amount,
                "monthly_amount": monthly_amount, "months": n_months,
                "payee_unit_id": row["unit_id"], "funding_level": level,
                "status": "refused" if refused else done[-1], "claimed_on": claimed,
                "paid_on": min(as_of, claimed + dt.timedelta(days=40))
                if done[-1] == "paid" and not refused else None,
                "decision": [], "policy_version": policy.version, "version": len(done),
                **_recovery(policy, row, kind, refused)})
            plans.append((done, refused, claimed, level))
    ids = insert_returning_ids(uow.session, SubsidyClaim, claims)
    steps = []
    for cid, (done, refused, claimed, level) in zip(ids, plans, strict=True):
        for i, step in enumerate(done):
            role = money.subsidy_step_roles(step, funding_level=level)[0]
            last = i == len(done) - 1
            steps.append({"claim_id": cid, "step": step, "approved": not (refused and last),
                          "remark": "材料不全" if refused and last else None,
                          "staff_id": staff[role], "role": role,
                          "at": dt.datetime.combine(claimed + dt.timedelta(days=10 * i),
                                                    dt.time(10), dt.UTC)})
    insert_rows(uow.session, SubsidyStep, steps)


def _due(policy, row, postings, categories, as_of) -> list[tuple]:
    """(kind, amount, monthly amount, months) of each subsidy the placement qualified for."""
    insurance = money.insurance_on_time(policy, row["contributions"], today=as_of)
    posting = postings.get(row["posting_id"])
    kinds = []
    if money.job_development_subsidy(
            policy, category=categories[row["person_id"]],
            investor_kind=posting["investor_kind"] if posting else None,
            investor_new=bool(posting and posting["investor_new"]),
            contract_months=row["contract_months"], insurance=insurance,
            already_claimed=False).ok:
        kinds.append(("job_development", policy["subsidy"]["job_development_yuan"], None, None))
    monthly, months = money.differential_purchase(
        policy, hardship_or_policy_placement=row["hardship"] or row["policy_placement"])
    if months:
        kinds.append(("differential_purchase", monthly * months, monthly, months))
    return kinds


def _recovery(policy, row, kind: str, refused: bool) -> dict:
    ended = row["ended_on"]
    if kind != "job_development" or refused or ended is None:
        return {"recovery_flagged_on": None, "recovery_reason": None}
    decision = money.subsidy_recovery(policy, start=row["start_date"], ended_on=ended)
    if not decision.ok:
        return {"recovery_flagged_on": None, "recovery_reason": None}
    return {"recovery_flagged_on": ended,
            "recovery_reason": json.dumps(decision.reasons[0].to_json(), ensure_ascii=False)}
