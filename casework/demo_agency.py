"""Demo data for labour-security affairs agency and retirees' socialised management.

Runs after the placements exist: most placed laid-off and unemployed people have their personnel
files in the street office's custody, received from their former enterprise (some since released
to a new employer or a talent centre); never-employed people placed with a file number got a
file set up here (四(四)); about half the files come with a social-insurance continuation; every
retiree on the ledger has a basic record. Fees are the low standard of data/policy.toml.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from casework import agency_rules, demo_era
from casework.db.bulk import insert_rows
from casework.db.models import OrgUnit, Person, Placement
from casework.db.models_notice import InsuranceContinuation, PersonnelFile, RetireeRecord
from casework.policy import Policy
from casework.services.uow import UnitOfWork

# Lianyungang state and collective enterprises of the time that laid people off or pensioned
# them (the names read as the era's; they are not a record of who did).
ENTERPRISES = ("连云港碱厂", "连云港化肥厂", "连云港市第一棉纺织厂", "锦屏磷矿", "新浦磷矿",
               "连云港市机床厂", "连云港港务局装卸公司", "连云港市食品公司", "连云港市百货公司",
               "连云港市第二轻工业公司", "连云港市搪瓷厂", "连云港市酿造厂", "东海县水晶制品厂",
               "赣榆县农机厂")
RELEASED_TO = ("连云港市人才服务中心", "用人单位", "新浦区劳动就业管理处", "连云港市职业介绍中心")
CONTACTS = ("儿子", "女儿", "老伴", "侄子")
GIVEN = ("建国", "秀英", "海燕", "志强", "桂兰", "立新", "红梅", "卫东", "丽华", "国庆")
FILE_SHARE = 0.7  # of placed laid-off and unemployed people whose file the street keeps
RELEASED_SHARE = 0.15  # of those files, handed out again by the as-of date
CONTINUATION_SHARE = 0.5  # of received files that come with a continuation


def generate(uow: UnitOfWork, rng: random.Random, policy: Policy, as_of: dt.date,
             staff: dict[str, int]) -> dict[str, int]:
    """Write the files, continuations and retiree records; returns how many of each."""
    fees = agency_rules.low_fees(policy)
    street_of = dict(uow.session.execute(select(OrgUnit.id, OrgUnit.parent_id).where(
        OrgUnit.level == "community")).all())
    codes = dict(uow.session.execute(select(OrgUnit.id, OrgUnit.code).where(
        OrgUnit.level == "street")).all())
    placed = uow.session.execute(
        select(Person.id, Person.category, Person.community_id, Placement.start_date,
               Placement.employer, Placement.personnel_file_number,
               Placement.personnel_file_opened)
        .join(Placement, Placement.person_id == Person.id).order_by(Placement.id)).all()
    files, continuations, seen = [], [], set()
    serials: dict[tuple[int, int], int] = {}
    for pid, category, community, start, employer, number, opened in placed:
        if pid in seen:
            continue
        seen.add(pid)
        street = street_of[community]
        if number and category == "never_employed":
            files.append(_file(pid, number, street, opened or start, None, fees, staff))
        elif category in ("laid_off", "unemployed") and rng.random() < FILE_SHARE:
            received = min(start + dt.timedelta(days=rng.randint(3, 40)), as_of)
            key = (street, received.year)
            serials[key] = serials.get(key, 0) + 1
            code = f"DA{codes[street]}-{received.year}-{serials[key]:04d}"
            row = _file(pid, code, street, received, rng.choice(ENTERPRISES), fees, staff)
            _maybe_release(rng, row, as_of)
            files.append(row)
            if rng.random() < CONTINUATION_SHARE:
                continuations.append(_continuation(rng, pid, row, employer, fees, staff))
    insert_rows(uow.session, PersonnelFile, files)
    insert_rows(uow.session, InsuranceContinuation, continuations)
    records = _retirees(uow, rng, as_of)
    insert_rows(uow.session, RetireeRecord, records)
    return {"files": len(files), "continuations": len(continuations), "retirees": len(records)}


def _file(person_id, number, street, received, source, fees, staff) -> dict:
    return {"person_id": person_id, "file_number": number, "holder_unit_id": street,
            "opened_here": source is None, "received_on": received, "received_from": source,
            "released_on": None, "released_to": None,
            "annual_fee_yuan": fees["file_custody"], "remark": None,
            "created_by": staff["street_officer"], "version": 1}


def _maybe_release(rng: random.Random, row: dict, as_of: dt.date) -> None:
    earliest = row["received_on"] + dt.timedelta(days=60)
    if earliest < as_of and rng.random() < RELEASED_SHARE:
        row["released_on"] = earliest + dt.timedelta(days=rng.randint(0, (as_of - earliest).days))
        row["released_to"] = rng.choice(RELEASED_TO)


def _continuation(rng, person_id, file_row, employer, fees, staff) -> dict:
    kind = rng.choices(agency_rules.INSURANCE_KINDS, weights=(6, 3, 1))[0]
    return {"person_id": person_id, "kind": kind, "from_unit": file_row["received_from"],
            "to_unit": employer, "months_credited": rng.randint(24, 300),
            "continued_on": file_row["received_on"], "fee_yuan": fees["continuation"],
            "remark": None, "staff_id": staff["street_officer"]}


def _retirees(uow: UnitOfWork, rng: random.Random, as_of: dt.date) -> list[dict]:
    people = uow.session.execute(select(Person.id, Person.name, Person.sex, Person.birth_date)
                                 .where(Person.category == "retiree").order_by(Person.id)).all()
    rows = []
    for pid, name, sex, birth in people:
        age = 60 if sex == "M" else rng.choice((50, 50, 55))
        retired = min(dt.date(birth.year + age, birth.month, min(birth.day, 28)), as_of)
        status = rng.choices(agency_rules.PENSION_STATUSES, weights=(85, 5, 10))[0]
        if status == "pending" and (as_of - retired).days > 365:
            status = "receiving"  # a pension is pending only in the first months of retirement
        rows.append({
            "person_id": pid, "former_employer": rng.choice(ENTERPRISES), "retired_on": retired,
            "pension_status": status,
            "pension_monthly": None if status == "pending" else rng.randrange(450, 950, 10),
            "contact_name": f"{name[0]}{rng.choice(GIVEN)}（{rng.choice(CONTACTS)}）",
            "contact_phone": demo_era.phone(rng),
            "services": [s for s in agency_rules.RETIREE_SERVICES if rng.random() < 0.35],
            "remark": None, "version": 1})
    return rows
