"""Demo training data with a planted truth, so that the evaluation can be checked against it.

Each street runs courses over the demo's past. A jobseeker's *offer course* is the first course
in their street that starts on or after they registered; its end month is the reference month
of the outcomes (in work at the end of the 3rd, 6th and 12th month after it). Everyone's months
in and out of work come from :mod:`casework.demo_spells`. Planted, all on what the research
extract releases (sex, age band, education, months out of work at the course start, prior wage,
district), with no hidden confounder:

- dynamic selection: people who find work after registering and are in work at the end of the
  month before their course starts are not eligible and never enrol; those who found work and
  lost it again are eligible;
- selection among the eligible: the better educated, women, the young and people out of work
  for fewer months enrol more often, and most of them also find work sooner;
- a class seats 30 to 60: once 60 have enrolled, later applicants who would enrol are turned
  away (``course_full``) and follow their path without the course;
- dropouts: an enrollee who, on the path without the course, starts a job before it ends drops
  out to take it (``found_job``); a few more drop out for other reasons. The course does nothing
  for dropouts: their path with it is the path without;
- an effect of completing that differs by group: from the month after the course the find
  hazard is lifted so that the chance of being in work at the end of the 6th month rises more
  for women, the less educated, the young and reskilling courses, by ``effect`` on average over
  completers; jobs begun after the course pay ``wage_effect`` yuan more.

The truth (:mod:`casework.demo_truth`) is for tests; nothing in ``evaluation`` may read it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from statistics import fmean

from casework import demo_era, demo_truth, vocab
from casework import demo_spells as spells
from casework.db.bulk import insert_returning_ids, insert_rows
from casework.db.models import Attendance, Course, Enrolment, TrainingFollowUp
from casework.policy import JOBSEEKERS, Policy, enrolment_eligibility, follow_up_dates

SELECTION = {"intercept": -1.3, "education": 0.55, "months_out": -0.07, "female": 0.25,
             "prior_wage": 0.2}
ENROL_BY_AGE = {"16-24": 0.2, "25-34": 0.2, "35-44": 0.0, "45-54": -0.2, "55+": -0.5}
FIND_BY_DISTRICT = (0.15, -0.10, 0.05, -0.15, 0.10, 0.0, -0.05)  # in the districts' code order
ENROL_BY_DISTRICT = (0.3, -0.2, 0.1, 0.2, -0.3, 0.0, 0.1)
EFFECT_BY = {"sex": {"F": 1.3, "M": 0.75},
             "education": dict(zip(vocab.EDUCATION, (1.8, 1.6, 1.4, 1.0, 0.9, 0.5, 0.3),
                                   strict=True)),
             "age_band": {"16-24": 1.2, "25-34": 1.1, "35-44": 1.0, "45-54": 0.9, "55+": 0.6},
             "kind": {"reskilling": 1.0, "entrepreneurship": 0.7}}
SEATS = (30, 60)  # a class's size, fewest and most
OTHER_DROPOUT = 0.05  # the share of enrollees without a job by the course end who drop out
OTHER_REASONS = tuple(r for r in vocab.DROPOUT_REASONS if r != "found_job")
SUBJECTS = (("domestic_service", ("housekeeping", "cleaning")), ("care", ("elder_care",)),
            ("catering", ("cooking", "pastry")), ("garment", ("sewing",)),
            ("security", ("security",)), ("logistics", ("warehouse",)),
            ("transport", ("forklift",)),
            ("repair", ("appliance_repair",)), ("office", ("computer_basic",)),
            ("construction", ("electrician",)), ("personal_care", ("hairdressing",)))


@dataclass
class TrainingPlan:
    """What the generator decided: everyone's status changes after registration (retirees
    have none), and the truth."""

    paths: dict[int, list[spells.Change]] = field(default_factory=dict)
    truth: dict = field(default_factory=dict)


@dataclass
class Enrollee:
    person: dict
    course: dict
    groups: dict
    worker: spells.Worker
    draws: spells.Draws
    before: list[spells.Change]  # from registration to the end of the month before the start
    start: spells.State  # at the end of that month
    without: list[spells.Change]  # from the course start on, without the course
    status: str = "completed"
    reason: str | None = None
    dropped_on: dt.date | None = None
    recorded: list[spells.Change] | None = None  # the whole path with the course


def generate(uow, rng: random.Random, policy: Policy, people: list[dict], communities: list,
             as_of: dt.date, *, effect: float, wage_effect: int) -> TrainingPlan:
    """Insert courses, enrolments, attendance and follow-ups; return the paths and the truth."""
    street_of = {c.id: c.parent_id for c in communities}
    district_of = {c.id: c.code[:6] for c in communities}
    districts = sorted(set(district_of.values()))
    courses = _courses(rng, sorted(set(street_of.values())), as_of)
    by_street: dict[int, list[dict]] = {}
    for course in sorted(courses, key=lambda c: c["start_date"]):
        by_street.setdefault(course["street_id"], []).append(course)
    plan, counts, enrolled, seats = TrainingPlan(), Counter(), [], Counter()
    for person in people:
        if person["category"] == "retiree":
            continue
        district = district_of[person["community_id"]]
        groups = {"sex": person["sex"], "education": person["education"], "district": district,
                  "age_band": demo_truth.age_band(person["birth_date"], person["registered_on"])}
        offer = _offer_course(policy, person, by_street.get(street_of[person["community_id"]]))
        worker = _worker(rng, person, groups, districts.index(district))
        followed = _follow(rng, person, groups, worker, offer, districts.index(district),
                           counts, as_of)
        if isinstance(followed, Enrollee) and seats[id(offer)] >= SEATS[-1]:
            counts["course_full"] += 1  # turned away: their path is the one without it
            followed = followed.before + followed.without
        if isinstance(followed, Enrollee):
            seats[id(offer)] += 1
            enrolled.append(followed)
        else:
            plan.paths[person["id"]] = followed
    _insert_courses(uow, rng, courses, seats)
    _finish(rng, enrolled, as_of, effect=effect, wage_effect=wage_effect)
    for e in enrolled:
        plan.paths[e.person["id"]] = e.recorded
    _write_enrolments(uow, rng, policy, enrolled, as_of)
    plan.truth = _truth(enrolled, counts, as_of, effect=effect, wage_effect=wage_effect)
    return plan


def _worker(rng, person: dict, groups: dict, district: int) -> spells.Worker:
    education = vocab.EDUCATION.index(person["education"])
    prior = person["prior_wage"]
    index = spells.find_index(education=education, male=person["sex"] == "M",
                              age_band=groups["age_band"], prior_wage=prior,
                              district_shift=FIND_BY_DISTRICT[district % len(FIND_BY_DISTRICT)])
    typical = 450 + 60 * education  # yuan a month in 2002–2004 (see demo_era)
    wage = typical + (0.4 * (prior - typical + 50) if prior else -30) + rng.gauss(0, 60)
    return spells.Worker(index, int(wage))


def _follow(rng, person: dict, groups: dict, worker: spells.Worker, offer: dict | None,
            district: int, counts: Counter, as_of: dt.date) -> list[spells.Change] | Enrollee:
    """Walk a person's months from registration and return their path; or, for someone who
    enrols in their offer course, an Enrollee (whose path from the start is settled later)."""
    first, last = spells.month_of(person["registered_on"]), spells.month_of(as_of)
    draws = spells.Draws(rng, first, last)
    window = (person["registered_on"] + dt.timedelta(days=1), as_of)
    state = spells.State(False, spells.month_of(person["out_of_work_since"]))
    start = last + 1 if offer is None else spells.month_of(offer["start_date"])
    before, state = spells.walk(worker, draws, state, range(first, start), window=window)
    after, _ = spells.walk(worker, draws, state, range(max(start, first), last + 1),
                           window=window)
    if offer is None:
        return before + after
    counts["jobseekers_with_offer_course"] += 1
    if state.working:
        counts["early_job_finders"] += 1
        return before + after
    counts["eligible"] += 1
    counts["held_job_before_course"] += any(c.status in spells.WORK for c in before)
    score = _enrol_score(person, groups, months_out=start - state.since, district=district)
    if rng.random() >= spells.logistic(score):
        return before + after
    return Enrollee(person, offer, groups | {"kind": offer["kind"]}, worker, draws, before,
                    state, after)


def _enrol_score(person: dict, groups: dict, *, months_out: int, district: int) -> float:
    """The logit of enrolling, for an eligible person, from what the extract releases."""
    return (SELECTION["intercept"]
            + SELECTION["education"] * (vocab.EDUCATION.index(person["education"]) - 3)
            + SELECTION["months_out"] * (months_out - 12)
            + SELECTION["female"] * (person["sex"] == "F")
            + SELECTION["prior_wage"] * (person["prior_wage"] is not None)
            + ENROL_BY_AGE[groups["age_band"]]
            + ENROL_BY_DISTRICT[district % len(ENROL_BY_DISTRICT)])


def _finish(rng, enrolled: list[Enrollee], as_of: dt.date, *, effect: float,
            wage_effect: int) -> None:
    """Decide who drops out and why; walk the completers again with the course's boost."""
    for e in enrolled:
        start, end = e.course["start_date"], e.course["end_date"]
        job = e.without[0] if e.without else None  # out of work at the start: a job
        if job is not None and job.day <= end:
            e.status, e.reason, e.dropped_on = "dropped", "found_job", max(job.day, start)
        elif rng.random() < OTHER_DROPOUT:
            e.status, e.reason = "dropped", rng.choice(OTHER_REASONS)
            e.dropped_on = start + dt.timedelta(days=rng.randint(0, (end - start).days - 1))
        e.recorded = e.before + e.without
    completers = [e for e in enrolled if e.status == "completed"]
    weights = [_effect_weight(e.groups) for e in completers]
    scale = effect / fmean(weights) if completers else 0.0
    last = spells.month_of(as_of)
    for e, weight in zip(completers, weights, strict=True):
        end_month = spells.month_of(e.course["end_date"])
        lift = spells.lift_for(e.worker, scale * weight, months_out=end_month - e.start.since,
                               horizon=6)
        boost = spells.Boost(end_month + 1, lift, e.course["end_date"], wage_effect)
        window = (e.person["registered_on"] + dt.timedelta(days=1), as_of)
        after, _ = spells.walk(e.worker, e.draws, e.start,
                               range(spells.month_of(e.course["start_date"]), last + 1),
                               window=window, boost=boost)
        e.recorded = e.before + after


def _effect_weight(groups: dict) -> float:
    weight = 1.0
    for group, table in EFFECT_BY.items():
        weight *= table[groups[group]]
    return weight


def _truth(enrolled: list[Enrollee], counts: Counter, as_of: dt.date, *, effect: float,
           wage_effect: int) -> dict:
    seen = demo_truth.last_seen(as_of)
    treated = []
    for e in enrolled:
        reference = spells.month_of(e.course["end_date"])
        treated.append(demo_truth.Treated(
            e.status == "completed", e.groups,
            demo_truth.outcomes(e.recorded, reference, seen),
            demo_truth.outcomes(e.before + e.without, reference, seen)))
    reasons = Counter(e.reason for e in enrolled if e.status == "dropped")
    numbers = {name: counts[name] for name in (
        "jobseekers_with_offer_course", "early_job_finders", "eligible",
        "held_job_before_course", "course_full")}
    numbers |= {"enrolled": len(enrolled), "completed": len(enrolled) - sum(reasons.values()),
                "dropped": {r: reasons[r] for r in vocab.DROPOUT_REASONS}}
    model = {"find_hazard": spells.FIND, "find_by_age": spells.FIND_BY_AGE,
             "loss_hazard": spells.LOSS, "selection": SELECTION, "enrol_by_age": ENROL_BY_AGE,
             "effect_weights": EFFECT_BY, "other_dropout_share": OTHER_DROPOUT}
    return demo_truth.truth(treated, numbers, effect=effect, wage_effect=wage_effect,
                            model=model)


def _courses(rng, street_ids: list[int], as_of) -> list[dict]:
    """Courses start in the first week of a month, every three or four months from the
    demo's first months on, and end at least seven months before the as-of date, so the
    outcome at six months is always seen."""
    rows = []
    for street_id in street_ids:
        month = spells.month_of(demo_era.start(as_of)) + rng.randint(0, 2)
        start = spells.first_day(month) + dt.timedelta(days=rng.randint(0, 6))
        while start < as_of - dt.timedelta(days=300):
            occupation, skills = rng.choice(SUBJECTS)
            kind = rng.choices(("reskilling", "entrepreneurship"), (85, 15))[0]
            weeks = rng.randint(4, 8)
            rows.append({
                "title": f"{vocab.occupation_name(occupation, 'zh')}培训班（{start:%Y-%m}）",
                "occupation": occupation, "skills": list(skills), "kind": kind,
                "provider": rng.choice(("市职业培训中心", "区就业训练中心", "社区学校")),
                "start_date": start, "end_date": start + dt.timedelta(weeks=weeks),
                "hours": weeks * 20, "capacity": None,
                "cost_per_trainee": rng.randint(3, 8) * 100,
                "funding_source": rng.choice(vocab.FUNDING_SOURCES[:4]),
                "street_id": street_id, "created_by": None, "version": 1})
            month += rng.randint(3, 4)
            start = spells.first_day(month) + dt.timedelta(days=rng.randint(0, 6))
    return rows


def _insert_courses(uow, rng, courses: list[dict], seats: Counter) -> None:
    """A class seats 30 to 60 (in fives): enough for those who enrolled, with some to spare."""
    for course in courses:
        taken = -(-seats[id(course)] // 5) * 5
        course["capacity"] = min(max(SEATS[0], taken + 5 * rng.randint(0, 3)), SEATS[-1])
    ids = insert_returning_ids(uow.session, Course, courses)
    for course_id, row in zip(ids, courses, strict=True):
        row["id"] = course_id


def _offer_course(policy: Policy, person: dict, courses: list[dict] | None) -> dict | None:
    """The first course of the street starting on or after registration, if the person is a
    jobseeker of working age when it starts."""
    if person["category"] not in JOBSEEKERS:
        return None
    offer = next((c for c in courses or () if c["start_date"] >= person["registered_on"]),
                 None)
    if offer is None or not _eligibility(policy, person, offer).ok:
        return None
    return offer


def _eligibility(policy: Policy, person: dict, course: dict):
    return enrolment_eligibility(policy, category=person["category"],
                                 birth_date=person["birth_date"], sex=person["sex"],
                                 course_kind=course["kind"], course_start=course["start_date"],
                                 overlapping_course=None)


def _write_enrolments(uow, rng, policy, enrolled: list[Enrollee], as_of) -> None:
    rows = []
    for e in enrolled:
        course, done = e.course, e.status == "completed"
        end = course["end_date"]
        rows.append({
            "course_id": course["id"], "person_id": e.person["id"], "status": e.status,
            "applied_on": max(e.person["registered_on"],
                              course["start_date"] - dt.timedelta(days=rng.randint(3, 30))),
            "decision": [r.to_json() for r in _eligibility(policy, e.person, course).reasons],
            "policy_version": policy.version,
            "completed_on": end if done else None,
            "certificate_type": "结业证书" if done else None,
            "certificate_number": f"JY{course['id']:04d}{e.person['id']:06d}" if done else None,
            "certificate_date": end if done else None,
            "dropped_on": e.dropped_on, "dropout_reason": e.reason, "version": 1})
    if not rows:
        return
    ids = insert_returning_ids(uow.session, Enrolment, rows)
    attendance, follow_ups = [], []
    share = policy["training"]["completion_min_share"]
    for enrolment_id, e in zip(ids, enrolled, strict=True):
        done = e.status == "completed"
        low, high = (share, 1.0) if done else (0.1, share - 0.05)
        attendance.append({"enrolment_id": enrolment_id, "session_date": None, "staff_id": None,
                           "hours": round(e.course["hours"] * rng.uniform(low, high))})
        if done:
            follow_ups += _follow_ups(rng, policy, enrolment_id, e, as_of)
    insert_rows(uow.session, Attendance, attendance)
    if follow_ups:
        insert_rows(uow.session, TrainingFollowUp, follow_ups)


def _follow_ups(rng, policy, enrolment_id, e: Enrollee, as_of) -> list[dict]:
    """Scheduled at 3/6/12 months; those due are recorded (a few late or still missing), and
    say what the status history says on the due date."""
    rows = []
    for months, due in follow_up_dates(policy, course_end=e.course["end_date"]):
        recorded = due + dt.timedelta(days=rng.randint(0, 10))
        done = recorded <= as_of and rng.random() < 0.97
        job = spells.status_on(e.recorded, due)
        employed = job is not None and job.status in spells.WORK
        known = done and employed
        rows.append({
            "enrolment_id": enrolment_id, "months": months, "due_on": due,
            "recorded_on": recorded if done else None, "recorded_by": None,
            "employed": employed if done else None,
            "employer": "社区服务中心" if known else None,
            "job_field": e.course["occupation"] if known else None,
            "monthly_wage": job.wage if known else None,
            "contract_months": rng.choice((12, 24, 36)) if known else None,
            "social_insurance": rng.random() < 0.7 if known else None,
            "self_employed": (job.status == "self_employed") if known else
            (False if done else None),
            "with_loan": None, "version": 1})
    return rows
