"""Demo 特困家庭: poor households with a laid-off or unemployed member, their members (some
targeted for employment aid, some not), and visit histories: some on schedule, some overdue, some
households still pending verification.

Registration follows policy.toml [hardship] (our reading of 连政办发[2002]132号): per-capita
income below the threshold, someone out of work, a remark. Targeting follows 三(七) per member.
The first households of the demo community plant the cases the notice's reading turns on: a
laid-off woman of 52 (registered with her household, not targeted: past women's working age) and a
female cadre of 54 (targeted: cadres work to 55).
"""

from __future__ import annotations

import datetime as dt
import random

from casework import vocab
from casework.db.bulk import indexes_built_after, insert_returning_ids, insert_rows
from casework.db.models import HardshipHousehold, HomeVisit
from casework.db.models_notice import HardshipMember
from casework.policy import JOBSEEKERS, Policy, age_on, employment_aid, hardship_registration

LIVING = ("两室一厅，住房简陋，家具陈旧。", "租住平房，冬季取暖困难。", "住房尚可，生活拮据。",
          "与老人同住，一间半住房。")
REMARKS = ("夫妻先后下岗，孩子上学，靠打零工维持生活。",
           "户主下岗多年，配偶长期患病，医药费负担重。",
           "单亲家庭，独自抚养孩子，没有固定收入。",
           "家中老人瘫痪在床，需要照料，收入微薄。",
           "企业破产后一直没有工作，靠亲友接济。")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙朱马胡郭林何高"
GIVEN = {"M": "伟强军磊勇杰涛斌超明", "F": "芳娟敏静丽艳霞红梅燕"}
# Planted in the first households of the demo community: (relation, sex, age, situation,
# female_cadre, answers).
PLANTED = (("spouse", "F", 52, "laid_off", False, True),
           ("spouse", "F", 54, "laid_off", True, True))


def households(rng: random.Random, policy: Policy, people: list[dict], staff: dict[str, int],
               as_of: dt.date, demo_community: int) -> tuple[list[dict], list[float]]:
    """Turn poor clients out of work into 特困家庭; the demo community gets many.

    Each household row carries its members under ``"_members"`` (taken out on insert).
    """
    rows, plans = [], []
    planted = list(PLANTED)
    for person in people:
        if not _candidate(person):
            continue
        share = 0.6 if person["community_id"] == demo_community else 0.15
        if rng.random() >= share:
            continue
        plant = planted.pop(0) if planted and person["community_id"] == demo_community \
            else None
        rows.append(_household(rng, policy, person, staff, as_of, plant))
        plans.append(rng.random())
    return rows, plans


def _candidate(person: dict) -> bool:
    return person["category"] in JOBSEEKERS and person["income_band"] in ("subsistence", "low")


def _household(rng, policy, person, staff, as_of, plant) -> dict:
    applied = max(person["registered_on"], as_of - dt.timedelta(days=400)) + dt.timedelta(
        days=rng.randint(0, 20))
    applied = min(applied, as_of - dt.timedelta(days=3))
    stage = "registered" if plant else rng.choices(
        ("registered", "pending_street", "pending_community"), (85, 8, 7))[0]
    verified = applied + dt.timedelta(days=1)
    confirmed = min(applied + dt.timedelta(days=rng.randint(2, 10)), as_of)
    members = _members(rng, policy, person, applied, plant)
    size = max(person["household_members"] or 1, len(members))
    threshold = policy["hardship"]["income_threshold_yuan"]
    income = min(int(size * rng.uniform(60, threshold)) // 10 * 10, threshold * size - 1)
    remark = rng.choice(REMARKS)
    decision = hardship_registration(policy, household_size=size, household_income=income,
                                     situations=[m["situation"] for m in members], remark=remark)
    done = stage != "pending_community"
    return {
        "person_id": person["id"], "community_id": person["community_id"], "applied_on": applied,
        "household_size": size, "household_income": income, "registration_remark": remark,
        "eligible": decision.ok, "decision": [r.to_json() for r in decision.reasons],
        "policy_version": policy.version,
        "criteria_reference": policy["hardship"]["criteria_reference"],
        "community_verified_by": staff["community_worker"] if done else None,
        "community_verified_at": _at(verified) if done else None,
        "community_remark": "入户核实属实。" if done else None,
        "street_confirmed_by": staff["street_officer"] if stage == "registered" else None,
        "street_confirmed_at": _at(confirmed) if stage == "registered" else None,
        "street_remark": "同意登记。" if stage == "registered" else None,
        "registered_on": confirmed if stage == "registered" else None,
        "exited_on": None, "exit_reason": None, "exit_remark": None, "exited_by": None,
        "version": 1, "_members": members,
    }


def _members(rng, policy, person, on, plant) -> list[dict]:
    """The applicant from the ledger, then a spouse and perhaps a child or a parent."""
    surname = person["name"][0]
    answers = rng.random() < 0.8  # most out-of-work applicants are able, willing, not choosy
    members = [_member(policy, on, person_id=person["id"], name=person["name"],
                       relation="applicant", sex=person["sex"], birth=person["birth_date"],
                       situation=person["category"], cadre=False, answers=answers)]
    age = age_on(person["birth_date"], on)
    if plant:
        relation, sex, spouse_age, situation, cadre, ok = plant
        if person["sex"] == "F" or age < 40:
            relation = "other"  # a sister or sister-in-law living with them, not a wife
    else:
        relation, sex, cadre, ok = "spouse", "F" if person["sex"] == "M" else "M", False, \
            rng.random() < 0.6
        spouse_age = max(18, age + rng.randint(-4, 4))
        situation = rng.choice(("laid_off", "unemployed", "employed", "other"))
    if plant or rng.random() < 0.75:
        spouse_name = (rng.choice(SURNAMES) if sex == "F" else surname) + rng.choice(GIVEN[sex])
        members.append(_member(policy, on, name=spouse_name, relation=relation, sex=sex,
                               birth=_born(rng, on, spouse_age), situation=situation,
                               cadre=cadre, answers=ok and situation != "employed"))
    if rng.random() < 0.5:
        child_sex = rng.choice("MF")
        members.append(_member(policy, on, name=surname + rng.choice(GIVEN[child_sex]),
                               relation="child", sex=child_sex,
                               birth=_born(rng, on, rng.randint(6, 19)), situation="student",
                               cadre=False, answers=False))
    return members


def _member(policy, on, *, name, relation, sex, birth, situation, cadre, answers,
            person_id=None) -> dict:
    decision = employment_aid(policy, birth_date=birth, sex=sex, on=on, female_cadre=cadre,
                              able_to_work=answers, willing=answers, accepts_any_job=answers)
    return {"person_id": person_id, "name": name, "relation": relation, "sex": sex,
            "birth_date": birth, "female_cadre": cadre, "situation": situation,
            "able_to_work": answers, "willing": answers, "accepts_any_job": answers,
            "aid_targeted": decision.ok, "decision": [r.to_json() for r in decision.reasons],
            "policy_version": policy.version, "version": 1}


def _born(rng, on: dt.date, age: int) -> dt.date:
    """A birth date for someone ``age`` years old on ``on``."""
    birthday = dt.date(on.year - age, on.month, min(on.day, 28))
    return birthday - dt.timedelta(days=rng.randint(0, 360))


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC)


def insert_all(uow, rng: random.Random, rows: list[dict], plans: list[float],
               staff: dict[str, int], as_of: dt.date, interval: int) -> None:
    if not rows:
        return
    members = [row.pop("_members") for row in rows]
    ids = insert_returning_ids(uow.session, HardshipHousehold, rows)
    insert_rows(uow.session, HardshipMember, [m | {"household_id": hid}
                                              for hid, ms in zip(ids, members, strict=True)
                                              for m in ms])
    visits = []
    for hid, row, plan, ms in zip(ids, rows, plans, members, strict=True):
        if row["registered_on"] is not None:
            visits += _visits(rng, hid, row["registered_on"], plan, staff, as_of, interval, ms)
    if visits:
        with indexes_built_after(uow.session, HomeVisit.__table__):
            insert_rows(uow.session, HomeVisit, visits)


RELATION_ZH = {"applicant": "户主", "spouse": "配偶", "child": "子女", "parent": "父母",
               "other": "其他成员"}


def _employment(rng, members: list[dict]) -> list[dict]:
    """One entry per working-age member (16 and over, not a student) as seen on the visit."""
    out = []
    for m in members:
        if m["situation"] == "student":
            continue
        status = "employed" if m["situation"] == "employed" else rng.choice(
            ("unemployed", "unemployed", "flexible"))
        out.append({"member": RELATION_ZH[m["relation"]], "status": status})
    return out


def _visits(rng, hid, registered, plan, staff, as_of, interval, members) -> list[dict]:
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
            "employment_status": _employment(rng, members), "employment_note": None,
            "needs": sorted(rng.sample(vocab.NEEDS, rng.randint(1, 2))), "needs_note": None,
            "services": sorted(rng.sample(vocab.VISIT_SERVICES, rng.randint(1, 2))),
            "follow_up": None, "follow_up_due": None,
            "next_visit_date": day + dt.timedelta(days=interval), "version": 1,
        })
        day += dt.timedelta(days=rng.randint(interval - 6, interval))
    return out
