"""Demo training data with a planted truth, so that evaluation can be checked against it.

Each street runs courses over the demo's past. A jobseeker's *offer course* is the first course
in their street that starts after they registered; it is observable, and it fixes the window in
which trained and untrained people are compared (employed 3, 6, 12 months after its end).

Two things are planted:
- selection: more education and a shorter spell out of work make enrolment more likely, and
  both also raise the chance of work, so a naive comparison overstates the effect;
- a true effect: completing a course adds ``effect`` to the probability of being employed six
  months after the course (and ``wage_effect`` yuan to the monthly wage of those employed).
Nothing in ``evaluation`` may read the truth this module returns; only tests do.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from casework import vocab
from casework.db.bulk import insert_returning_ids, insert_rows
from casework.db.models import Attendance, Course, Enrolment, TrainingFollowUp
from casework.policy import JOBSEEKERS, Policy, add_months, enrolment_eligibility, follow_up_dates

EDU_RANK = {code: i for i, code in enumerate(vocab.EDUCATION)}
SELECTION = {"intercept": -1.2, "education": 0.6, "months_out": -0.08}
BASELINE = {"intercept": -0.3, "education": 0.5, "months_out": -0.07, "male": 0.15}
SUBJECTS = (("domestic_service", ("housekeeping", "cleaning")), ("care", ("elder_care",)),
            ("catering", ("cooking", "pastry")), ("garment", ("sewing",)),
            ("security", ("security",)), ("logistics", ("warehouse", "forklift")),
            ("repair", ("appliance_repair",)), ("office", ("computer_basic",)),
            ("construction", ("electrician",)), ("personal_care", ("hairdressing",)))


@dataclass
class TrainingPlan:
    """What the generator decided, and the truth. ``employment`` has everyone in the comparison
    window: their job start and wage, or None for no job by the as-of date."""

    employment: dict[int, tuple[dt.date, int] | None] = field(default_factory=dict)
    truth: dict = field(default_factory=dict)


def _logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _months(a: dt.date, b: dt.date) -> float:
    return max((b - a).days, 0) / 30.44


def generate(uow, rng: random.Random, policy: Policy, people: list[dict], communities: list,
             as_of: dt.date, *, effect: float, wage_effect: int) -> TrainingPlan:
    """Insert courses, enrolments, attendance and follow-ups; return outcomes and the truth."""
    street_of = {c.id: c.parent_id for c in communities}
    courses = _courses(uow, rng, sorted(set(street_of.values())), as_of)
    by_street: dict[int, list[dict]] = {}
    for course in courses:
        by_street.setdefault(course["street_id"], []).append(course)
    plan, treated, lifts, wage_lifts = TrainingPlan(), [], [], []
    enrolments = []
    for person in people:
        street = street_of[person["community_id"]]
        offer = _offer_course(policy, person, by_street.get(street, []))
        if offer is None:
            continue
        months_out = _months(person["out_of_work_since"] or person["registered_on"],
                             offer["start_date"])
        edu = EDU_RANK[person["education"] or "none"] - 3
        enrols = rng.random() < _logistic(SELECTION["intercept"] + SELECTION["education"] * edu
                                          + SELECTION["months_out"] * (months_out - 12))
        completes = enrols and rng.random() < 0.85
        p0 = min(0.85, _logistic(BASELINE["intercept"] + BASELINE["education"] * edu
                                 + BASELINE["months_out"] * (months_out - 12)
                                 + BASELINE["male"] * (person["sex"] == "M")))
        p = p0 + effect if completes else p0
        draw = rng.random()
        start = _employment_start(rng, offer["end_date"], draw < p, as_of)
        wage = int(round(520 + 110 * (edu + 3) + rng.gauss(0, 90)
                         + (wage_effect if completes else 0), -1))
        plan.employment[person["id"]] = None if start is None else (start, wage)
        if enrols:
            enrolments.append((person, offer, completes, start, wage))
        if completes:
            treated.append(person["id"])
            lifts.append((draw < p) - (draw < p0))
            # Wage at six months, 0 when not employed: with training, and as it would have been.
            wage_lifts.append(wage * (draw < p) - (wage - wage_effect) * (draw < p0))
    _write_enrolments(uow, rng, policy, enrolments, as_of)
    plan.truth = {"training_effect_employed_6m": effect, "wage_effect_yuan": wage_effect,
                  "sample_att_employed_6m": sum(lifts) / len(lifts) if lifts else None,
                  "sample_att_wage_6m": sum(wage_lifts) / len(wage_lifts) if lifts else None,
                  "n_completed": len(treated), "n_enrolled": len(enrolments),
                  "selection": SELECTION, "baseline": BASELINE,
                  "window": "employed 6 months after the end of the offer course: the first "
                            "course in the person's street that starts after registration"}
    return plan


def _courses(uow, rng, street_ids: list[int], as_of) -> list[dict]:
    rows = []
    for street_id in street_ids:
        start = as_of - dt.timedelta(days=rng.randint(880, 940))
        while start < as_of - dt.timedelta(days=240):
            occupation, skills = rng.choice(SUBJECTS)
            kind = rng.choices(("reskilling", "entrepreneurship"), (85, 15))[0]
            weeks = rng.randint(4, 10)
            rows.append({
                "title": f"{vocab.occupation_name(occupation, 'zh')}培训班（{start:%Y-%m}）",
                "occupation": occupation, "skills": list(skills), "kind": kind,
                "provider": rng.choice(("市职业培训中心", "区就业训练中心", "社区学校")),
                "start_date": start, "end_date": start + dt.timedelta(weeks=weeks),
                "hours": weeks * 20, "capacity": 200, "cost_per_trainee": rng.randint(4, 12) * 100,
                "funding_source": rng.choice(vocab.FUNDING_SOURCES[:4]),
                "street_id": street_id, "created_by": None, "version": 1})
            start += dt.timedelta(days=rng.randint(75, 120))
    ids = insert_returning_ids(uow.session, Course, rows)
    for course_id, row in zip(ids, rows, strict=True):
        row["id"] = course_id
    return rows


def _offer_course(policy: Policy, person: dict, courses: list[dict]) -> dict | None:
    if person["category"] not in JOBSEEKERS:
        return None
    offer = next((c for c in sorted(courses, key=lambda c: c["start_date"])
                  if c["start_date"] >= person["registered_on"]), None)
    if offer is None:
        return None
    ok = enrolment_eligibility(policy, category=person["category"],
                               birth_date=person["birth_date"], sex=person["sex"],
                               course_kind=offer["kind"], course_start=offer["start_date"],
                               overlapping_course=None).ok
    return offer if ok else None


def _employment_start(rng, course_end: dt.date, by_six_months: bool, as_of: dt.date
                      ) -> dt.date | None:
    """Employed by the 6-month follow-up date: a start in (end, end + 6 months]; otherwise
    perhaps later, perhaps never."""
    six = add_months(course_end, 6)
    if by_six_months:
        start = course_end + dt.timedelta(days=rng.randint(1, (six - course_end).days))
    elif rng.random() < 0.35:
        start = six + dt.timedelta(days=rng.randint(1, 360))
    else:
        return None
    return start if start <= as_of else None


def _write_enrolments(uow, rng, policy, enrolments, as_of) -> None:
    rows = []
    for person, course, completes, _start, _wage in enrolments:
        decision = enrolment_eligibility(
            policy, category=person["category"], birth_date=person["birth_date"],
            sex=person["sex"], course_kind=course["kind"], course_start=course["start_date"],
            overlapping_course=None)
        end = course["end_date"]
        rows.append({
            "course_id": course["id"], "person_id": person["id"],
            "status": "completed" if completes else "dropped",
            "applied_on": course["start_date"] - dt.timedelta(days=rng.randint(3, 30)),
            "decision": [r.to_json() for r in decision.reasons],
            "policy_version": policy.version,
            "completed_on": end if completes else None,
            "certificate_type": "结业证书" if completes else None,
            "certificate_number": f"JY{course['id']:04d}{person['id']:06d}" if completes else None,
            "certificate_date": end if completes else None,
            "dropped_on": None if completes else course["start_date"] + dt.timedelta(days=10),
            "dropout_reason": None if completes else rng.choice(vocab.DROPOUT_REASONS),
            "version": 1})
    if not rows:
        return
    ids = insert_returning_ids(uow.session, Enrolment, rows)
    attendance, follow_ups = [], []
    share = policy["training"]["completion_min_share"]
    for enrolment_id, (_person, course, completes, start, wage) in zip(ids, enrolments,
                                                                        strict=True):
        low, high = (share, 1.0) if completes else (0.1, share - 0.05)
        attendance.append({"enrolment_id": enrolment_id, "session_date": None, "staff_id": None,
                           "hours": round(course["hours"] * rng.uniform(low, high))})
        if completes:
            follow_ups += _follow_ups(rng, policy, enrolment_id, course, start, wage, as_of)
    insert_rows(uow.session, Attendance, attendance)
    if follow_ups:
        insert_rows(uow.session, TrainingFollowUp, follow_ups)


def _follow_ups(rng, policy, enrolment_id, course, start, wage, as_of) -> list[dict]:
    """Scheduled at 3/6/12 months; those due are recorded (a few late or still missing)."""
    rows = []
    for months, due in follow_up_dates(policy, course_end=course["end_date"]):
        recorded = due + dt.timedelta(days=rng.randint(0, 10))
        done = recorded <= as_of and rng.random() < 0.97
        employed = start is not None and start <= due
        rows.append({
            "enrolment_id": enrolment_id, "months": months, "due_on": due,
            "recorded_on": recorded if done else None, "recorded_by": None,
            "employed": employed if done else None,
            "employer": ("社区服务中心" if employed else None) if done else None,
            "job_field": (course["occupation"] if employed else None) if done else None,
            "monthly_wage": (wage if employed else None) if done else None,
            "contract_months": (rng.choice((12, 24, 36)) if employed else None) if done else None,
            "social_insurance": (rng.random() < 0.7 if employed else None) if done else None,
            "self_employed": False if done else None, "with_loan": None, "version": 1})
    return rows
