"""Synthetic demo data: reproducible from a seed and an as-of date, never real people.

The same ``seed`` and ``as_of`` on an empty database give identical rows.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from casework import clock, demo_certificates, demo_hardship, demo_jobs, demo_training, vocab
from casework.db.bulk import insert_returning_ids, insert_rows
from casework.db.models import (
    Base,
    EmploymentStatus,
    OrgUnit,
    Person,
    ServiceRecord,
    Staff,
)
from casework.ids import make_resident_id
from casework.policy import load_policy
from casework.services import audit, org
from casework.services.uow import UnitOfWork

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕"
            "苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾")
GIVEN_M = "伟强军磊勇杰涛斌明超刚平辉鹏华飞建国志海波峰林东兵宏新春德成"
GIVEN_F = "芳娟敏静丽艳娜秀英霞玲燕红梅琴兰凤洁莉萍雪慧琳婷月娥桂香珍"
STREET_NAMES = ("朝阳", "新海", "浦东", "路南", "幸福", "海连", "云台", "墟沟", "青口", "牛山",
                "伊山", "新安", "城东", "城西", "南城", "板浦", "新坝", "白塔", "花果山",
                "猴嘴", "中云")
COMMUNITY_SUFFIXES = ("一村", "新村", "花园", "小区")
CATEGORY_WEIGHTS = {"laid_off": 45, "unemployed": 30, "never_employed": 8, "retiree": 10,
                    "new_entrant": 7}
ROLE_UNITS = {"community_worker": "community", "street_officer": "street",
              "district_officer": "district", "city_officer": "city", "trainer": "street",
              "researcher": "city", "admin": "city"}
DEMO_DISTRICT = "320705"


@dataclass(frozen=True)
class DemoSummary:
    persons: int
    units: int
    staff: int
    truth: dict  # the planted training effect: for tests only, never for evaluation


def ledger_is_empty(uow: UnitOfWork) -> bool:
    with uow:
        return not uow.session.scalar(select(func.count(Person.id)))


def generate(uow: UnitOfWork, *, persons: int, seed: int, as_of: dt.date,
             training_effect: float = 0.10, wage_effect: int = 150) -> DemoSummary:
    """Fill an empty ledger with streets, communities, demo accounts and ``persons`` people,
    with hardship households, courses and outcomes (see demo_training for what is planted)."""
    org.seed_divisions(uow)
    rng = random.Random(seed)
    policy = load_policy()
    with uow:
        units = _streets_and_communities(uow)
        staff = _demo_staff(uow, units)
        communities = [u for u in units if u.level == "community"]
        people = _persons(uow, rng, communities, persons, as_of)
        plan = demo_training.generate(uow, random.Random(seed + 1), policy, people, communities,
                                      as_of, effect=training_effect, wage_effect=wage_effect)
        employed = _statuses(uow, people, plan.paths)
        _hardship(uow, rng, policy, people, communities, as_of)
        staff_ids = {s.role: s.id for s in uow.session.scalars(select(Staff))}
        demo_certificates.generate(uow, random.Random(seed + 6), policy, people, employed,
                                   staff_ids, as_of)
        demo_jobs.generate(uow, random.Random(seed + 2), policy, people, communities, employed,
                           staff_ids, as_of)
        settings = {"persons": persons, "seed": seed, "as_of": as_of.isoformat(),
                    "training_effect": training_effect, "wage_effect": wage_effect}
        audit.record(uow, org.SYSTEM, action="demo_seed", entity="demo", after=settings)
        clock.set_clock(uow.session, as_of)
        uow.commit()
    return DemoSummary(persons, len(units), staff, truth=plan.truth | {"settings": settings})


def reset(uow: UnitOfWork) -> None:
    """Remove ledger, staff and street/community rows; the 2003 divisions stay."""
    with uow:
        # Children before parents; the org tree is kept (only its lower levels go, below).
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != OrgUnit.__tablename__:
                uow.session.execute(delete(table))
        for level in ("community", "street"):
            uow.session.execute(delete(OrgUnit).where(OrgUnit.level == level))
        uow.commit()
    clock.forget()


def _streets_and_communities(uow: UnitOfWork) -> list[OrgUnit]:
    created = []
    parents = uow.session.scalars(select(OrgUnit).where(OrgUnit.level.in_(("district", "county")))
                                  .order_by(OrgUnit.code)).all()
    for d, parent in enumerate(parents):
        for s in range(3):
            name = STREET_NAMES[(d * 3 + s) % len(STREET_NAMES)]
            street = org._add_unit(uow, org.SYSTEM, parent, f"{parent.code}{s + 1:03d}",
                                   "street", f"{name}街道", f"{name} Street")
            created.append(street)
            for c, suffix in enumerate(COMMUNITY_SUFFIXES):
                created.append(org._add_unit(
                    uow, org.SYSTEM, street, f"{street.code}{c + 1:03d}", "community",
                    f"{name}{suffix}社区", f"{name} {suffix} Community"))
    return created


def _demo_staff(uow: UnitOfWork, units: list[OrgUnit]) -> int:
    """One ``demo-<role>`` account per role, all in the demo district's first street."""
    home = {
        "community": next(u for u in units if u.level == "community"
                          and u.code.startswith(DEMO_DISTRICT)),
        "street": next(u for u in units
                       if u.level == "street" and u.code.startswith(DEMO_DISTRICT)),
        "district": uow.session.scalar(select(OrgUnit).where(OrgUnit.code == DEMO_DISTRICT)),
        "city": uow.session.scalar(select(OrgUnit).where(OrgUnit.level == "city")),
    }
    for role, level in ROLE_UNITS.items():
        name = f"demo-{role.replace('_', '-')}"
        uow.session.add(Staff(username=name, display_name=name, role=role,
                              unit_id=home[level].id))
    uow.session.flush()
    return len(ROLE_UNITS)


def _persons(uow, rng: random.Random, communities, count: int, as_of: dt.date) -> None:
    # The demo worker's community gets a larger share, so their ledger is never empty.
    favoured = _first_demo_community(communities)
    weights = [6 if i == favoured else 1 for i in range(len(communities))]
    area_codes = [c.code[:6] for c in communities]
    used: set[str] = set()
    people = [_person(rng, rng.choices(communities, weights)[0], area_codes, used, as_of)
              for _ in range(count)]
    ids = insert_returning_ids(uow.session, Person, people)
    services = []
    for pid, person in zip(ids, people, strict=True):
        person["id"] = pid
        services.extend(_services(rng, person, as_of))
    if services:
        insert_rows(uow.session, ServiceRecord, services)
    return people


def _hardship(uow, rng: random.Random, policy, people, communities, as_of: dt.date) -> None:
    staff = {s.role: s.id for s in uow.session.scalars(select(Staff))}
    demo_community = communities[_first_demo_community(communities)].id
    rows, plans = demo_hardship.households(rng, policy, people, staff, as_of, demo_community)
    demo_hardship.insert_all(uow, rng, rows, plans, staff, as_of,
                             policy["visits"]["interval_days"])


def _first_demo_community(communities) -> int:
    return next(i for i, c in enumerate(communities) if c.code.startswith(DEMO_DISTRICT))


def _person(rng, community, area_codes, used, as_of) -> dict:
    category = rng.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))[0]
    sex = rng.choice("MF")
    low, high = {"retiree": (51, 75), "new_entrant": (16, 20)}.get(category, (18, 58))
    birth = _years_before(as_of, rng.randint(low, high - 1)) - dt.timedelta(
        days=rng.randint(0, 364))
    id_number = _unique_id(rng, rng.choice(area_codes), birth, sex, used)
    registered = as_of - dt.timedelta(days=rng.randint(0, 3 * 365))
    since = None if category == "retiree" else registered - dt.timedelta(days=rng.randint(0, 720))
    members = rng.randint(1, 6)
    education = rng.choices(vocab.EDUCATION, (3, 12, 35, 25, 13, 8, 4))[0]
    return {
        "id_number": id_number, "sex": sex, "birth_date": birth,
        "name": rng.choice(SURNAMES) + "".join(
            rng.choice(GIVEN_M if sex == "M" else GIVEN_F) for _ in range(rng.randint(1, 2))),
        "phone": f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}",
        "address": f"{community.name_zh}{rng.randint(1, 40)}号楼{rng.randint(1, 6)}单元"
                   f"{rng.randint(101, 1802)}室",
        "community_id": community.id, "household_members": members,
        "dependants": rng.randint(0, members - 1),
        "income_band": rng.choices(vocab.INCOME_BANDS, (15, 45, 30, 10))[0],
        "education": education,
        "skills": sorted(rng.sample(sorted(vocab.skills()), rng.randint(0, 3))),
        "skills_note": None, "job_wishes": None, "living_needs": None,
        "category": category, "out_of_work_since": since,
        "certificate_number": None, "certificate_issued": None, "certificate_street_id": None,
        "registered_on": registered, "version": 1,
    } | {"prior_wage": _prior_wage(rng, category, education)}


def _prior_wage(rng, category: str, education: str) -> int | None:
    """Those who lost a job had a wage; it rises with education."""
    if category not in ("laid_off", "unemployed"):
        return None
    return int(round(450 + 100 * vocab.EDUCATION.index(education) + rng.gauss(0, 80), -1))


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _unique_id(rng, area, birth, sex, used) -> str:
    while True:
        number = make_resident_id(area, birth, rng.randint(0, 499), sex)
        if number not in used:
            used.add(number)
            return number


def _statuses(uow, people, paths: dict) -> dict[int, tuple[dt.date, int]]:
    """Insert everyone's status history; return the latest job of those who had one (not
    flexible or self-employed work): ``{id: (since, wage)}``."""
    rows = [row for person in people for row in _status_history(person, paths)]
    insert_rows(uow.session, EmploymentStatus, rows)
    return {r["person_id"]: (r["since"], r["monthly_wage"]) for r in rows
            if r["status"] == "employed"}


def _status_history(person, paths: dict) -> list[dict]:
    """Out of work since the ledger says, then each change the labour market decided."""
    def row(status, since, wage=None):
        return {"person_id": person["id"], "status": status, "since": since,
                "monthly_wage": wage, "note": None, "staff_id": None}

    if person["category"] == "retiree":
        return [row("retired", person["registered_on"])]
    return [row("unemployed", person["out_of_work_since"])] + [
        row(change.status, change.day, change.wage) for change in paths[person["id"]]]


def _services(rng, person, as_of) -> list[dict]:
    span = max((as_of - person["registered_on"]).days, 0)
    return [{"person_id": person["id"], "kind": rng.choice(vocab.SERVICE_KINDS),
             "service_date": person["registered_on"] + dt.timedelta(days=rng.randint(0, span)),
             "staff_id": None, "notes": None}
            for _ in range(rng.randint(0, 3))]
