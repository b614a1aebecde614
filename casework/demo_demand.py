"""Demand planted in the demo, so that curriculum planning has something true to find.

In the year before the as-of date, every street posts jobs in a few *shortage* occupations:
many openings, most still open, the few filled ones filled slowly, referrals turned down for a
lacking skill, and few jobseekers who wish for the work. One *glut* occupation is the opposite:
its postings are filled within days and many jobseekers wish for it. Jobseekers get job wishes
as free text (the words of data/vocabulary_terms.csv, and some that map to nothing).

Which occupations are which goes into the demo's truth (``truth["demand"]``); nothing in
``evaluation`` reads it. Run after :mod:`casework.demo_jobs`, on its own random stream, so the
rest of the demo is unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from itertools import accumulate

from sqlalchemy import bindparam, select, update

from casework import settings, vocab
from casework.db.bulk import insert_returning_ids, insert_rows
from casework.db.models import JobPosting, Person, Referral
from casework.policy import JOBSEEKERS

# (occupation, posting title, skills asked): each title carries its occupation's word.
SHORTAGES = (("care", "养老护理员", ("elder_care",)),
             ("construction", "水电安装工", ("electrician", "plumbing")),
             ("repair", "家电维修工", ("appliance_repair",)))
GLUT = ("security", "小区门卫", ("security",))
PERIOD_DAYS = 365  # the plant lies in the year before the as-of date
WISH_WEIGHTS = {"shortage": 1, "glut": 30, "other": 4}
VAGUE = ("什么工作都行", "离家近的", "看情况再说", "轻松一点的活")


def generate(uow, rng: random.Random, people: list[dict], communities: list,
             staff: dict[str, int], as_of: dt.date) -> dict:
    """Plant the postings, referrals and wishes; return the truth about them."""
    streets: dict[int, list] = {}
    for c in communities:
        streets.setdefault(c.parent_id, []).append(c)
    postings = []
    for _street, members in sorted(streets.items()):
        for occupation, title, skills in SHORTAGES:
            postings += [_shortage_posting(rng, rng.choice(members), occupation, title, skills,
                                           staff, as_of) for _ in range(2)]
        postings.append(_glut_posting(rng, rng.choice(members), staff, as_of))
    ids = insert_returning_ids(uow.session, JobPosting, postings)
    planted = [(pid, row["unit_id"], row["opened_on"])
               for pid, row in zip(ids, postings, strict=True) if row["occupation"] != GLUT[0]]
    _quick_fills(uow, rng, as_of)
    _referrals(uow, rng, people, communities, planted, staff, as_of)
    _wishes(uow, rng, people)
    return {"shortage": [o for o, _, _ in SHORTAGES], "glut": GLUT[0],
            "period": [(as_of - dt.timedelta(days=PERIOD_DAYS)).isoformat(),
                       as_of.isoformat()]}


def _posting(rng, unit, occupation, title, skills, staff, opened, status, closed) -> dict:
    return {"title": title, "field": "convenience_services", "investor_kind": "enterprise",
            "investor_name": f"{unit.name_zh.removesuffix('社区')}便民服务有限公司",
            "investor_new": True, "unit_id": unit.id, "occupation": occupation,
            "skills": sorted(skills), "monthly_wage": rng.randrange(500, 901, 10),
            "contract_months": 36, "openings": rng.randint(5, 9), "public_welfare": False,
            "contact": f"{unit.name_zh}劳动保障事务站", "description": None, "status": status,
            "opened_on": opened, "closed_on": closed, "created_by": staff["community_worker"],
            "version": 1}


def _shortage_posting(rng, unit, occupation, title, skills, staff, as_of) -> dict:
    """Open for months; one in four filled, after more than three months."""
    opened = as_of - dt.timedelta(days=rng.randint(200, PERIOD_DAYS - 5))
    if rng.random() < 0.25:
        return _posting(rng, unit, occupation, title, skills, staff, opened, "filled",
                        opened + dt.timedelta(days=rng.randint(95, 190)))
    return _posting(rng, unit, occupation, title, skills, staff, opened, "open", None)


def _glut_posting(rng, unit, staff, as_of) -> dict:
    """Filled within days of opening."""
    occupation, title, skills = GLUT
    opened = as_of - dt.timedelta(days=rng.randint(30, PERIOD_DAYS - 5))
    row = _posting(rng, unit, occupation, title, skills, staff, opened, "filled",
                   opened + dt.timedelta(days=rng.randint(2, 12)))
    return row | {"openings": rng.randint(1, 2)}


def _quick_fills(uow, rng, as_of: dt.date) -> None:
    """The glut's other postings of the year were filled within days too."""
    since = as_of - dt.timedelta(days=PERIOD_DAYS)
    rows = uow.session.execute(select(JobPosting.id, JobPosting.opened_on).where(
        JobPosting.occupation == GLUT[0], JobPosting.opened_on >= since,
        JobPosting.status != "filled")).all()
    table = JobPosting.__table__
    changes = [{"pid": pid, "closed": min(as_of, opened + dt.timedelta(days=rng.randint(2, 12)))}
               for pid, opened in rows]
    if changes:
        uow.session.execute(update(table).where(table.c.id == bindparam("pid"))
                            .values(status="filled", closed_on=bindparam("closed")), changes)


def _referrals(uow, rng, people, communities, planted: list[tuple], staff,
               as_of: dt.date) -> None:
    """Jobseekers sent to the shortage postings mostly lacked the skill asked for."""
    street_of = {c.id: c.parent_id for c in communities}
    by_street: dict[int, list[dict]] = {}
    for p in people:
        if p["category"] in JOBSEEKERS:
            by_street.setdefault(street_of[p["community_id"]], []).append(p)
    rows = []
    for pid, unit_id, opened in planted:
        pool = by_street.get(street_of[unit_id], [])
        for person in rng.sample(pool, min(len(pool), 2)):
            day = min(as_of, opened + dt.timedelta(days=rng.randint(5, 60)))
            lacked = rng.random() < 0.7
            rows.append({"posting_id": pid, "person_id": person["id"], "referred_on": day,
                         "score": round(rng.uniform(20, 60), 1),
                         "factors": {"skills": 0.0, "wishes": 0.5, "distance": 0.6,
                                     "hardship": 0.0},
                         "outcome": "lacked_skill" if lacked else "rejected",
                         "outcome_on": min(as_of, day + dt.timedelta(days=rng.randint(1, 7))),
                         "staff_id": staff["community_worker"], "version": 1})
    insert_rows(uow.session, Referral, rows)


def _wishes(uow, rng, people) -> None:
    """Most jobseekers state one or two wishes; some say nothing the vocabulary knows."""
    words = _words()
    shortage = {o for o, _, _ in SHORTAGES}
    codes = sorted(words)
    cumulative = list(accumulate(WISH_WEIGHTS["shortage" if c in shortage else "glut"
                                              if c == GLUT[0] else "other"] for c in codes))
    changes = []
    for person in people:
        if person["category"] not in JOBSEEKERS or rng.random() < 0.15:
            continue
        if rng.random() < 0.08:
            text = rng.choice(VAGUE)
        else:
            chosen = dict.fromkeys(rng.choices(codes, cum_weights=cumulative, k=rng.randint(1, 2)))
            text = "、".join(rng.choice(words[c]) for c in chosen)
        changes.append({"pid": person["id"], "wishes": text})
    table = Person.__table__
    if changes:
        uow.session.execute(update(table).where(table.c.id == bindparam("pid"))
                            .values(job_wishes=bindparam("wishes")), changes)


def _words() -> dict[str, list[str]]:
    """The Chinese words of each occupation a jobseeker might use."""
    words = {code: [names[0]] for code, names in vocab.occupations().items()}
    with open(settings.data_dir() / "vocabulary_terms.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not row["term"].isascii():
                words[row["occupation"]].append(row["term"])
    return words
