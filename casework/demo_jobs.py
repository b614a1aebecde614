"""Demo jobs and money: postings, referrals, placements, social insurance, subsidy claims and
loans at every step, consistent with the employment the rest of the demo decided.

Placements are written for people whose status history says they started a job; their contract
lengths and insurance records are mixed so that some meet the subsidy conditions and some do
not. Claims and loans stop at every step (some refused), so each app has something to show.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from sqlalchemy import select, update

from casework import demo_loans, demo_subsidies, money, vocab
from casework.db.bulk import indexes_built_after, insert_returning_ids, insert_rows
from casework.db.models import (
    DemandNotice,
    Enrolment,
    HardshipHousehold,
    InsuranceContribution,
    JobPosting,
    OrgUnit,
    Placement,
    Referral,
)
from casework.policy import JOBSEEKERS, Policy, add_months

# The outcomes the demo draws for a referral that did not lead to a hire (fixed here, so that
# a new outcome in the vocabulary does not change the demo's draws; demo_demand plants those
# who lacked the skill).
NOT_HIRED = ("pending", "declined", "rejected", "no_show")
CONTRACTS = ((12, 20), (24, 30), (36, 35), (60, 15))  # months, weight
INVESTOR_WEIGHTS = (15, 15, 45, 25)  # street, community, service_project, enterprise
NEW_KINDS = ("service_project", "enterprise")
INVESTOR_NAMES = {"street": ("街道办事处",), "community": ("社区居委会", "社区服务中心"),
                  "service_project": ("便民服务社", "家政服务社", "助老服务站", "保洁队"),
                  "enterprise": ("物业管理有限公司", "保洁服务有限公司", "家政服务有限公司")}
# The jobs of each of the notice's ten fields: (title, occupation, skills), each title a job
# of its occupation and asking for that occupation's skills (data/skills.csv).
JOBS = {
    "community_management": (("社区协管员", "community", ("property_mgmt",)),
                             ("社区文书", "office", ("computer_basic",))),
    "public_welfare_services": (("公益岗位保洁员", "domestic_service", ("cleaning",)),
                                ("绿化养护工", "environment", ("gardening",))),
    "convenience_services": (("家政服务员", "domestic_service", ("housekeeping", "cleaning")),
                             ("家电维修工", "repair", ("appliance_repair",)),
                             ("便民早餐点面点师", "catering", ("pastry",)),
                             ("便民超市收银员", "commerce", ("cashier",))),
    "unit_logistics": (("单位食堂炊事员", "catering", ("cooking",)),
                       ("后勤水电工", "construction", ("electrician", "plumbing")),
                       ("仓库保管员", "logistics", ("warehouse",))),
    "public_security": (("治安巡防员", "security", ("security",)),
                        ("小区门卫", "security", ("security",))),
    "culture": (("文化活动室管理员", "office", ("computer_basic",)),),
    "social_welfare": (("助老服务员", "care", ("elder_care",)),
                       ("托儿所保育员", "care", ("child_care",))),
    "social_assistance": (("救助协理员", "office", ("computer_basic",)),),
    "social_security": (("社保协理员", "office", ("computer_basic", "bookkeeping")),),
    "retiree_services": (("退休人员活动室服务员", "community", ("property_mgmt",)),
                         ("退休人员上门护理员", "care", ("elder_care",))),
}


def generate(uow, rng: random.Random, policy: Policy, people: list[dict], communities: list,
             employed: dict[int, tuple[dt.date, int]], staff: dict[str, int],
             as_of: dt.date) -> None:
    """Insert the demo's jobs and money records; ``employed`` maps people to (start, wage)."""
    postings = _postings(uow, rng, communities, staff, as_of)
    by_street: dict[int, list[dict]] = {}
    for p in postings:
        by_street.setdefault(p["street_id"], []).append(p)
    street_of = {c.id: c.parent_id for c in communities}
    hardship = set(uow.session.scalars(select(HardshipHousehold.person_id).where(
        HardshipHousehold.registered_on.is_not(None), HardshipHousehold.exited_on.is_(None))))
    courses = _completed_courses(uow)
    seekers = [p for p in people if p["category"] in JOBSEEKERS]
    referrals = _referrals(uow, rng, seekers, by_street, street_of, employed, staff)
    placements = _placements(uow, rng, seekers, by_street, street_of, employed, courses,
                             hardship, referrals, staff, as_of)
    demo_subsidies.end_placements(uow, placements)
    demo_subsidies.claims(uow, rng, policy, placements, {p["id"]: p for p in postings},
                          {p["id"]: p["category"] for p in people}, staff, as_of)
    demo_loans.generate(uow, rng, policy, seekers, employed, staff, as_of)
    _notices(uow, rng, communities, staff, as_of)


def _postings(uow, rng, communities, staff, as_of) -> list[dict]:
    rows, streets = [], {}
    for c in communities:
        streets.setdefault(c.parent_id, []).append(c)
    for street_id, members in sorted(streets.items()):
        for _ in range(rng.randint(3, 6)):
            field = rng.choice(vocab.COMMUNITY_FIELDS)
            kind = rng.choices(vocab.INVESTOR_KINDS, INVESTOR_WEIGHTS)[0]
            # Streets invest too: their postings are seen by every community of the street.
            community = (uow.session.get(OrgUnit, street_id) if kind == "street"
                         else rng.choice(members))
            opened = as_of - dt.timedelta(days=rng.randint(0, 700))
            status = rng.choices(vocab.POSTING_STATUSES, (5, 3, 2))[0]
            title, occupation, skills = rng.choice(JOBS[field])
            rows.append({
                "title": title, "field": field,
                "investor_kind": kind, "investor_name": _investor_name(rng, kind, community),
                # Most projects and enterprises of the notice's years were newly opened.
                "investor_new": kind in NEW_KINDS and rng.random() < 0.8,
                "unit_id": community.id,
                "occupation": occupation, "skills": sorted(skills),
                "monthly_wage": rng.randrange(450, 901, 10),
                "contract_months": rng.choices(*zip(*CONTRACTS, strict=True))[0],
                "openings": rng.randint(1, 8), "public_welfare": field in (
                    "public_welfare_services", "public_security", "social_welfare"),
                "contact": f"{community.name_zh}劳动保障事务站", "description": None,
                "status": status, "opened_on": opened,
                "closed_on": None if status == "open" else min(
                    as_of, opened + dt.timedelta(days=rng.randint(20, 120))),
                "created_by": staff["community_worker"], "version": 1,
                "street_id": street_id})
    ids = insert_returning_ids(uow.session, JobPosting,
                               [{k: v for k, v in r.items() if k != "street_id"} for r in rows])
    for pid, row in zip(ids, rows, strict=True):
        row["id"] = pid
    return rows


def _investor_name(rng, kind: str, unit) -> str:
    """A street office's own unit, a community's, or a project or enterprise it opened."""
    place = unit.name_zh.removesuffix("社区").removesuffix("街道")
    return f"{place}{rng.choice(INVESTOR_NAMES[kind])}"


def _completed_courses(uow) -> dict[int, list[tuple[dt.date, int]]]:
    out: dict[int, list[tuple[dt.date, int]]] = {}
    for person_id, enrolment_id, done in uow.session.execute(
            select(Enrolment.person_id, Enrolment.id, Enrolment.completed_on)
            .where(Enrolment.status == "completed")):
        out.setdefault(person_id, []).append((done, enrolment_id))
    return out


def _referrals(uow, rng, seekers, by_street, street_of, employed, staff) -> dict:
    """About a quarter of jobseekers were referred to a posting of their street; no posting
    hires more people than it has openings."""
    rows, hires = [], {}
    for person in seekers:
        options = by_street.get(street_of[person["community_id"]])
        if not options or rng.random() > 0.25:
            continue
        posting = rng.choice(options)
        start = employed.get(person["id"])
        referred = max(posting["opened_on"], person["registered_on"])
        # A hire follows its referral: only a job that began after both can be this posting's.
        hired = (start is not None and start[0] > referred and rng.random() < 0.5
                 and hires.get(posting["id"], 0) < posting["openings"])
        hires[posting["id"]] = hires.get(posting["id"], 0) + hired
        if hired:
            referred = max(referred, start[0] - dt.timedelta(days=rng.randint(7, 45)))
        rows.append({"posting_id": posting["id"], "person_id": person["id"],
                     "referred_on": referred,
                     "score": round(rng.uniform(20, 90), 1),
                     "factors": {"skills": 0.5, "wishes": 0.5, "distance": 0.6,
                                 "hardship": 0.0},
                     "outcome": "hired" if hired else rng.choice(NOT_HIRED),
                     "outcome_on": start[0] if hired else None,
                     "staff_id": staff["community_worker"], "version": 1})
    ids = insert_returning_ids(uow.session, Referral, rows)
    return {row["person_id"]: (rid, row) for rid, row in zip(ids, rows, strict=True)}


def _placements(uow, rng, seekers, by_street, street_of, employed, courses, hardship,
                referrals, staff, as_of) -> list[dict]:
    rows = []
    # Openings held for the people hired through a referral; the rest may be filled directly.
    taken = Counter(r["posting_id"] for _, r in referrals.values() if r["outcome"] == "hired")
    for person in seekers:
        job = employed.get(person["id"])
        if job is None or rng.random() > 0.8:
            continue
        start, wage = job
        referral = referrals.get(person["id"])
        hired = referral and referral[1]["outcome"] == "hired"
        street_postings = by_street.get(street_of[person["community_id"]], [])
        posting = next((p for p in street_postings if p["id"] == referral[1]["posting_id"]),
                       None) if hired else None
        if posting is None and rng.random() < 0.6:
            posting = _open_posting(rng, street_postings, taken, start)
        course = max((c for c in courses.get(person["id"], []) if c[0] <= start), default=None)
        never = person["category"] == "never_employed"
        rows.append({
            "person_id": person["id"], "posting_id": posting["id"] if posting else None,
            "employer": posting["investor_name"] if posting else rng.choice(
                ("社区服务中心", "物业公司", "街道保洁队", "家政服务社")),
            "unit_id": posting["unit_id"] if posting else person["community_id"],
            "start_date": start,
            "contract_months": rng.choices(*zip(*CONTRACTS, strict=True))[0],
            "monthly_wage": wage, "social_insurance": rng.random() < 0.75,
            "enrolment_id": course[1] if course else None,
            "referral_id": referral[0] if hired else None,
            "hardship": person["id"] in hardship, "policy_placement": rng.random() < 0.05,
            "personnel_file_number": f"RS{person['id']:07d}" if never else None,
            "personnel_file_opened": start if never else None, "ended_on": None,
            "created_by": staff["community_worker"], "version": 1})
    with indexes_built_after(uow.session, Placement.__table__):
        ids = insert_returning_ids(uow.session, Placement, rows)
    _fill(uow, by_street, rows)
    contributions = []
    for pid, row in zip(ids, rows, strict=True):
        row["id"] = pid
        if row["social_insurance"]:
            contributions += _contributions(rng, pid, row["start_date"], as_of)
    insert_rows(uow.session, InsuranceContribution, contributions)
    row_contributions = {}
    for c in contributions:
        row_contributions.setdefault(c["placement_id"], []).append(
            money.Contribution(c["due_on"], c["paid_on"]))
    for row in rows:
        row["contributions"] = row_contributions.get(row["id"], [])
    return rows


def _open_posting(rng, postings: list[dict], taken: Counter, start: dt.date) -> dict | None:
    """A community job of the street, opened by ``start``, with an opening left: about half
    the placements the demo records without a referral were into such jobs."""
    free = [p for p in postings if p["opened_on"] <= start and taken[p["id"]] < p["openings"]]
    if not free:
        return None
    chosen = rng.choice(free)
    taken[chosen["id"]] += 1
    return chosen


def _fill(uow, by_street, placements) -> None:
    """An open posting whose openings are all taken is filled on the last start date."""
    taken: dict[int, list[dt.date]] = {}
    for row in placements:
        if row["posting_id"]:
            taken.setdefault(row["posting_id"], []).append(row["start_date"])
    for postings in by_street.values():
        for p in postings:
            starts = taken.get(p["id"], [])
            if p["status"] == "open" and len(starts) >= p["openings"]:
                uow.session.execute(update(JobPosting).where(JobPosting.id == p["id"])
                                    .values(status="filled", closed_on=max(starts)))


def _contributions(rng, placement_id, start, as_of) -> list[dict]:
    """Up to six months on record; one placement in six pays a month late."""
    late_month = rng.randint(1, 6) if rng.random() < 1 / 6 else None
    out = []
    for month in range(1, 7):
        due = add_months(start, month)
        if due > as_of:
            break
        paid = due + dt.timedelta(days=45 if month == late_month else rng.randint(0, 20))
        out.append({"placement_id": placement_id, "due_on": due,
                    "paid_on": paid if paid <= as_of else None, "amount": 150, "staff_id": None})
    return out


def _notices(uow, rng, communities, staff, as_of) -> None:
    rows = [{"unit_id": c.id, "field": "convenience_services", "title": "招募家政钟点工",
             "body": "社区居民需要家政钟点服务，有意者请到社区劳动保障事务站登记。",
             "published_on": as_of - dt.timedelta(days=rng.randint(0, 30)),
             "closes_on": as_of + dt.timedelta(days=rng.randint(5, 60)),
             "created_by": staff["community_worker"]}
            for c in communities if rng.random() < 0.15]
    insert_rows(uow.session, DemandNotice, rows)
