"""Demo hardship households with visit histories: some on schedule, some overdue, some pending."""

from __future__ import annotations

import datetime as dt
import random

from casework import vocab
from casework.db.bulk import insert_returning_ids, insert_rows
from casework.db.models import HardshipHousehold, HomeVisit
from casework.policy import Policy, hardship_eligibility

LIVING = ("两室一厅，住房简陋，家具陈旧。", "租住平房，冬季取暖困难。", "住房尚可，生活拮据。",
          "与老人同住，一间半住房。")
MEMBER_STATUSES = (("unemployed", "flexible"), ("unemployed", "unemployed"),
                   ("flexible", "unemployed"), ("unemployed", "employed"))


def households(rng: random.Random, policy: Policy, people: list[dict], staff: dict[str, int],
               as_of: dt.date, demo_community: int) -> tuple[list[dict], list[float]]:
    """Turn poor, working-age clients into hardship households; the demo community gets many."""
    rows, plans = [], []
    for person in people:
        if not _candidate(policy, person, as_of):
            continue
        share = 0.6 if person["community_id"] == demo_community else 0.15
        if rng.random() >= share:
            continue
        rows.append(_household(rng, policy, person, staff, as_of))
        plans.append(rng.random())
    return rows, plans


def _candidate(policy: Policy, person: dict, as_of: dt.date) -> bool:
    if person["category"] in ("retiree",) or person["income_band"] not in ("subsistence", "low"):
        return False
    return hardship_eligibility(policy, birth_date=person["birth_date"], sex=person["sex"],
                                on=as_of, able_to_work=True, willing=True,
                                accepts_any_job=True).ok


def _household(rng, policy, person, staff, as_of) -> dict:
    applied = max(person["registered_on"], as_of - dt.timedelta(days=400)) + dt.timedelta(
        days=rng.randint(0, 20))
    applied = min(applied, as_of - dt.timedelta(days=3))
    stage = rng.choices(("registered", "pending_street", "pending_community"), (85, 8, 7))[0]
    verified = applied + dt.timedelta(days=1)
    confirmed = min(applied + dt.timedelta(days=rng.randint(2, 10)), as_of)
    decision = hardship_eligibility(policy, birth_date=person["birth_date"], sex=person["sex"],
                                    on=applied, able_to_work=True, willing=True,
                                    accepts_any_job=True)
    return {
        "person_id": person["id"], "community_id": person["community_id"], "applied_on": applied,
        "able_to_work": True, "willing": True, "accepts_any_job": True, "eligible": True,
        "decision": [r.to_json() for r in decision.reasons],
        "policy_version": policy.version,
        "criteria_reference": policy["hardship"]["criteria_reference"],
        "community_verified_by": staff["community_worker"] if stage != "pending_community"
        else None,
        "community_verified_at": _at(verified) if stage != "pending_community" else None,
        "community_remark": "入户核实属实。" if stage != "pending_community" else None,
        "street_confirmed_by": staff["street_officer"] if stage == "registered" else None,
        "street_confirmed_at": _at(confirmed) if stage == "registered" else None,
        "street_remark": "同意登记。" if stage == "registered" else None,
        "registered_on": confirmed if stage == "registered" else None,
        "exited_on": None, "exit_reason": None, "exit_remark": None, "exited_by": None,
        "version": 1,
    }


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC)


def insert_all(uow, rng: random.Random, rows: list[dict], plans: list[float],
               staff: dict[str, int], as_of: dt.date, interval: int) -> None:
    if not rows:
        return
    ids = insert_returning_ids(uow.session, HardshipHousehold, rows)
    visits = []
    for hid, row, plan in zip(ids, rows, plans, strict=True):
        if row["registered_on"] is not None:
            visits += _visits(rng, hid, row["registered_on"], plan, staff, as_of, interval)
    if visits:
        insert_rows(uow.session, HomeVisit, visits)


def _members(rng) -> list[dict]:
    head, spouse = rng.choice(MEMBER_STATUSES)
    members = [{"member": "户主", "status": head}]
    return members + ([{"member": "配偶", "status": spouse}] if rng.random() < 0.7 else [])


def _visits(rng, hid, registered, plan, staff, as_of, interval) -> list[dict]:
    """Monthly visits; the plan draws whether the last one lapsed (overdue) or not."""
    stop = as_of - dt.timedelta(days=rng.randint(interval + 5, 3 * interval)) if plan < 0.3 \
        else as_of - dt.timedelta(days=rng.randint(1, interval - 5))
    day, out = registered + dt.timedelta(days=rng.randint(3, 20)), []
    while day <= stop:
        out.append({
            "household_id": hid, "visit_date": day, "author_id": staff["community_worker"],
            "visitors": "demo-community-worker", "present": "户主",
            "living_conditions": rng.choice(LIVING),
            "income_change": rng.choice(vocab.INCOME_CHANGES),
            "employment_status": _members(rng), "employment_note": None,
            "needs": sorted(rng.sample(vocab.NEEDS, rng.randint(1, 2))), "needs_note": None,
            "services": sorted(rng.sample(vocab.VISIT_SERVICES, rng.randint(1, 2))),
            "follow_up": None, "follow_up_due": None,
            "next_visit_date": day + dt.timedelta(days=interval), "version": 1,
        })
        day += dt.timedelta(days=rng.randint(interval - 6, interval))
    return out

