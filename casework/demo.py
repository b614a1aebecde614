"""Synthetic demo data: reproducible from a seed and an as-of date, never real people.

The same ``seed`` and ``as_of`` on an empty database give identical rows. The demo lives in the
notice's years (:mod:`casework.demo_era`: dates, wages, telephone numbers, ID cards) on
Lianyungang's real streets and towns (:mod:`casework.demo_places`); the as-of date becomes the
database's clock.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from itertools import accumulate

from sqlalchemy import delete, func, select

from casework import (
    clock,
    demo_agency,
    demo_certificates,
    demo_demand,
    demo_era,
    demo_hardship,
    demo_jobs,
    demo_places,
    demo_training,
    vocab,
)
from casework.db.bulk import bulk_load, indexes_built_after, insert_returning_ids, insert_rows
from casework.db.models import (
    Base,
    EmploymentStatus,
    OrgUnit,
    Person,
    ServiceRecord,
    Staff,
)
from casework.demo_random import DemoRandom
from casework.policy import Policy, load_policy
from casework.services import audit, org
from casework.services.uow import UnitOfWork

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕"
            "苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾")
GIVEN_M = "伟强军磊勇杰涛斌明超刚平辉鹏华飞建国志海波峰林东兵宏新春德成"
GIVEN_F = "芳娟敏静丽艳娜秀英霞玲燕红梅琴兰凤洁莉萍雪慧琳婷月娥桂香珍"
CATEGORY_WEIGHTS = {"laid_off": 45, "unemployed": 30, "never_employed": 8, "retiree": 10,
                    "new_entrant": 7}
CATEGORIES, CATEGORY_SHARES = tuple(CATEGORY_WEIGHTS), tuple(CATEGORY_WEIGHTS.values())
EDUCATION_SHARES = (3, 12, 35, 25, 13, 8, 4)
INCOME_SHARES = (15, 45, 30, 10)
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
    rng = DemoRandom(seed)
    policy = load_policy()
    with uow, bulk_load(uow.session):
        units = _streets_and_communities(uow)
        staff = _demo_staff(uow, units)
        communities = [u for u in units if u.level == "community"]
        people = _persons(uow, rng, policy, units, persons, as_of)
        plan = demo_training.generate(uow, DemoRandom(seed + 1), policy, people, communities,
                                      as_of, effect=training_effect, wage_effect=wage_effect)
        employed = _statuses(uow, people, plan.paths)
        _hardship(uow, rng, policy, people, communities, as_of)
        staff_ids = {s.role: s.id for s in uow.session.scalars(select(Staff))}
        demo_certificates.generate(uow, DemoRandom(seed + 6), policy, people, employed,
                                   staff_ids, as_of)
        demo_jobs.generate(uow, DemoRandom(seed + 2), policy, people, communities, employed,
                           staff_ids, as_of)
        demand = demo_demand.generate(uow, DemoRandom(seed + 7), people, communities,
                                      staff_ids, as_of)
        demo_agency.generate(uow, DemoRandom(seed + 5), policy, as_of, staff_ids)
        settings = {"persons": persons, "seed": seed, "as_of": as_of.isoformat(),
                    "training_effect": training_effect, "wage_effect": wage_effect}
        audit.record(uow, org.SYSTEM, action="demo_seed", entity="demo", after=settings)
        clock.set_clock(uow.session, as_of)
        uow.commit()
    return DemoSummary(persons, len(units), staff, truth=plan.truth | {"settings": settings,
                                                                  "demand": demand})


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
    """The real streets and towns of each district and county, each with its communities."""
    created = []
    parents = uow.session.scalars(select(OrgUnit).where(OrgUnit.level.in_(("district", "county")))
                                  .order_by(OrgUnit.code)).all()
    for parent in parents:
        for s, street in enumerate(demo_places.STREETS[parent.code]):
            unit = org._add_unit(uow, org.SYSTEM, parent, f"{parent.code}{s + 1:03d}", "street",
                                 *street.place)
            created.append(unit)
            created += [org._add_unit(uow, org.SYSTEM, unit, f"{unit.code}{c + 1:03d}",
                                      "community", *community)
                        for c, community in enumerate(street.communities)]
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


def _persons(uow, rng: random.Random, policy: Policy, units: list[OrgUnit], count: int,
             as_of: dt.date) -> list[dict]:
    # The demo worker's community gets a larger share, so their ledger is never empty.
    communities = [u for u in units if u.level == "community"]
    streets = {u.id: u.name_zh for u in units if u.level == "street"}
    favoured = _first_demo_community(communities)
    shares = tuple(accumulate(6 if i == favoured else 1 for i in range(len(communities))))
    draw = _Drawing(policy, as_of, tuple(c.code[:6] for c in communities))
    people = []
    for _ in range(count):
        community = rng.choices(communities, cum_weights=shares)[0]
        people.append(_person(rng, draw, community, streets[community.parent_id]))
    with indexes_built_after(uow.session, Person.__table__):
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


class _Drawing:
    """What drawing each person needs that is the same for everyone: read once."""

    def __init__(self, policy: Policy, as_of: dt.date, area_codes: tuple[str, ...]) -> None:
        self.policy, self.as_of, self.area_codes = policy, as_of, area_codes
        self.start, self.min_age = demo_era.start(as_of), policy["working_age"]["min_age"]
        self.ages = {(category, sex): _ages(policy, category, sex)
                     for category in CATEGORIES for sex in "MF"}
        self.skills = sorted(vocab.skills())
        self.used: set[str] = set()


def _person(rng, draw: _Drawing, community, street: str) -> dict:
    as_of = draw.as_of
    category = rng.choices(CATEGORIES, CATEGORY_SHARES)[0]
    sex = rng.choice("MF")
    birth = _years_before(as_of, rng.randint(*draw.ages[category, sex])) - dt.timedelta(
        days=rng.randint(0, 364))
    id_number, original = demo_era.resident_ids(rng, rng.choice(draw.area_codes), birth, sex,
                                                draw.used)
    earliest = max(draw.start, _years_before(birth, -draw.min_age))
    registered = earliest + dt.timedelta(days=rng.randint(0, (as_of - earliest).days))
    since = None if category == "retiree" else registered - dt.timedelta(
        days=rng.randint(0, min(720, (registered - earliest).days)))
    members = rng.randint(1, 6)
    education = rng.choices(vocab.EDUCATION, EDUCATION_SHARES)[0]
    given = GIVEN_M if sex == "M" else GIVEN_F
    return {
        "id_number": id_number, "id_number_original": original, "sex": sex,
        "birth_date": birth,
        "name": rng.choice(SURNAMES) + "".join([rng.choice(given)
                                                for _ in range(rng.randint(1, 2))]),
        "phone": demo_era.phone(rng), "address": _address(rng, community.name_zh, street),
        "community_id": community.id, "household_members": members,
        "dependants": rng.randint(0, members - 1),
        "income_band": rng.choices(vocab.INCOME_BANDS, INCOME_SHARES)[0],
        "education": education,
        "skills": sorted(rng.sample(draw.skills, rng.randint(0, 3))),
        "skills_note": None, "job_wishes": None, "living_needs": None,
        "category": category, "out_of_work_since": since,
        "registered_on": registered, "version": 1,
        "prior_wage": _prior_wage(rng, category, education)}


def _ages(policy: Policy, category: str, sex: str) -> tuple[int, int]:
    """The range of ages on the as-of date. Jobseekers are of working age (women to 50, men to
    60); those older are retirees. Laid-off workers come from the state and collective
    enterprises' older staff; the never employed and new entrants are young."""
    limits = policy["working_age"]
    retires = limits["men_max_age"] if sex == "M" else limits["women_max_age"]
    return {"retiree": (retires, 75), "laid_off": (28, retires),
            "unemployed": (18, retires), "never_employed": (18, 30),
            "new_entrant": (limits["min_age"], 22)}[category]


def _address(rng, community: str, street: str) -> str:
    """A flat in a district's community; a house on a town's street (街) in a county."""
    if street.endswith("镇"):
        place = community.removesuffix("居委会")
        return f"{street}{place}{rng.randint(1, 160)}号"
    return (f"{community}{rng.randint(1, 40)}号楼{rng.randint(1, 6)}单元"
            f"{rng.randint(1, 6)}0{rng.randint(1, 4)}室")


def _prior_wage(rng, category: str, education: str) -> int | None:
    """Those who lost a job had a wage of the era; it rises with education."""
    if category not in ("laid_off", "unemployed"):
        return None
    return demo_era.wage(430 + 70 * vocab.EDUCATION.index(education) + rng.gauss(0, 60))


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


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
