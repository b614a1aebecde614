"""The demo plants dynamic selection, selection on observables, dropouts and an effect of
training that differs by group, and writes the truth in the evaluation's own terms. These tests
read the database directly (never through ``evaluation``) and check the truth against it."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import pairwise
from statistics import fmean, median

import pytest
from sqlalchemy import func, select

from casework import cli, vocab
from casework.db import engine as db_engine
from casework.db.models import (
    Attendance,
    Course,
    EmploymentStatus,
    Enrolment,
    OrgUnit,
    Person,
    TrainingFollowUp,
)
from casework.policy import JOBSEEKERS, load_policy, working_age
from casework.services.uow import UnitOfWork

AS_OF = cli.DEMO_AS_OF  # the demo lives in the notice's years
EFFECT = 0.10
WORK = ("employed", "flexible", "self_employed")


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """The issue's data set: 20,000 people, seed 3, an average planted effect of 0.10."""
    folder = tmp_path_factory.mktemp("planted")
    url, truth = f"sqlite:///{folder / 'demo.db'}", folder / "t.json"
    code = cli.main(["--database", url, "demo", "--persons", "20000", "--seed", "3",
                     "--training-effect", str(EFFECT), "--as-of", AS_OF.isoformat(),
                     "--truth", str(truth)])
    assert code == 0
    yield UnitOfWork(url=url), json.loads(truth.read_text("utf-8"))
    db_engine.get_engine(url).dispose()


def month_of(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def last_day(month: int) -> dt.date:
    following = month + 1
    return dt.date(following // 12, following % 12 + 1, 1) - dt.timedelta(days=1)


@dataclass
class Seeker:
    """A jobseeker with an offer course, read from the ledger."""

    id: int
    education: str
    history: list[EmploymentStatus]  # in order of ``since``
    registered_on: dt.date
    offer: Course
    of_working_age: bool
    enrolment: Enrolment | None

    def status_on(self, day: dt.date) -> EmploymentStatus | None:
        rows = [r for r in self.history if r.since <= day]
        return rows[-1] if rows else None

    def in_work_at_end(self, month: int) -> bool:
        row = self.status_on(last_day(month))
        return row is not None and row.status in WORK

    def ever_in_work_by_end(self, month: int) -> bool:
        return any(r.status in WORK and r.since <= last_day(month) for r in self.history)

    @property
    def start_month(self) -> int:
        return month_of(self.offer.start_date)

    @property
    def reference(self) -> int:
        return month_of(self.offer.end_date)

    @property
    def eligible(self) -> bool:
        return self.of_working_age and not self.in_work_at_end(self.start_month - 1)

    @property
    def early_job_finder(self) -> bool:
        return self.of_working_age and self.in_work_at_end(self.start_month - 1)

    @property
    def months_out(self) -> int:
        """For the eligible: the start month minus the month the current time out of work
        began."""
        began = [r.since for r in self.history
                 if r.status == "unemployed" and r.since <= self.offer.start_date]
        return self.start_month - month_of(began[-1])


@pytest.fixture(scope="module")
def seekers(planted) -> list[Seeker]:
    """Every jobseeker whose street ran a course on or after they registered."""
    uow, _truth = planted
    policy = load_policy()
    with uow:
        s = uow.session
        street_of = dict(s.execute(select(OrgUnit.id, OrgUnit.parent_id)).all())
        courses = defaultdict(list)
        for c in s.scalars(select(Course).order_by(Course.start_date, Course.id)):
            courses[c.street_id].append(c)
        history = defaultdict(list)
        for row in s.scalars(select(EmploymentStatus).order_by(EmploymentStatus.since,
                                                               EmploymentStatus.id)):
            history[row.person_id].append(row)
        enrolment = {e.person_id: e for e in s.scalars(select(Enrolment))}
        out = []
        for p in s.scalars(select(Person).where(Person.category.in_(JOBSEEKERS))):
            offer = next((c for c in courses[street_of[p.community_id]]
                          if c.start_date >= p.registered_on), None)
            if offer is None:
                continue
            out.append(Seeker(p.id, p.education, history[p.id], p.registered_on, offer,
                              working_age(policy, birth_date=p.birth_date, sex=p.sex,
                                          on=offer.start_date).ok, enrolment.get(p.id)))
        s.expunge_all()
    return out


def test_the_truth_file_keeps_the_settings_and_the_planted_effect(planted):
    _uow, truth = planted

    assert truth["training_effect_employed_6m"] == EFFECT
    assert truth["settings"]["seed"] == 3
    assert truth["sample_att_employed_6m"] == truth["att_completed"]["employed_6m"]
    assert truth["sample_att_wage_6m"] == truth["att_completed"]["wage_6m"]
    assert "out of work at the end of the month before" in truth["definitions"]


def test_the_truth_counts_match_the_database(planted, seekers):
    uow, truth = planted
    with uow:
        statuses = Counter(uow.session.scalars(select(Enrolment.status)))
        reasons = Counter(uow.session.scalars(select(Enrolment.dropout_reason).where(
            Enrolment.status == "dropped")))
    counts = truth["counts"]
    of_age = [s for s in seekers if s.of_working_age]

    assert counts["jobseekers_with_offer_course"] == len(of_age)
    assert counts["eligible"] == sum(s.eligible for s in seekers)
    assert counts["early_job_finders"] == sum(s.early_job_finder for s in seekers)
    assert counts["held_job_before_course"] == sum(
        s.eligible and s.ever_in_work_by_end(s.start_month - 1) for s in seekers)
    assert counts["enrolled"] == sum(statuses.values()) == truth["att_enrolled"]["n"]
    assert counts["completed"] == statuses["completed"] == truth["att_completed"]["n"]
    assert counts["dropped"] == {r: reasons[r] for r in vocab.DROPOUT_REASONS}


def test_only_eligible_people_enrolled_and_only_in_their_offer_course(seekers):
    enrolled = [s for s in seekers if s.enrolment is not None]

    assert enrolled
    assert [s.id for s in enrolled if not s.eligible] == []
    assert [s.id for s in enrolled if s.enrolment.course_id != s.offer.id] == []


def test_about_one_enrollee_in_seven_drops_out_for_a_job_or_another_reason(planted):
    counts = planted[1]["counts"]
    dropped = sum(counts["dropped"].values())

    assert 0.10 < dropped / counts["enrolled"] < 0.20
    assert 0.3 < counts["dropped"]["found_job"] / dropped < 0.8
    assert all(counts["dropped"][r] > 0 for r in vocab.DROPOUT_REASONS)


def test_dropouts_who_found_a_job_started_it_around_the_day_they_dropped_out(seekers):
    found = [s for s in seekers if s.enrolment and s.enrolment.dropout_reason == "found_job"]

    def job_near_the_drop(s: Seeker) -> bool:
        dropped = s.enrolment.dropped_on
        return any(r.status in WORK and abs((r.since - dropped).days) <= 31 for r in s.history)

    assert len(found) > 100
    assert [s.id for s in found if not job_near_the_drop(s)] == []


def test_people_move_in_and_out_of_work_several_times(planted):
    uow, _truth = planted
    with uow:
        rows = uow.session.execute(select(EmploymentStatus.person_id, EmploymentStatus.status)
                                   .order_by(EmploymentStatus.person_id, EmploymentStatus.since)
                                   ).all()
    history = defaultdict(list)
    for person_id, status in rows:
        history[person_id].append(status)
    spells = [sum(s in WORK for s in statuses) for statuses in history.values()]
    ended = sum(a in WORK and b == "unemployed"
                for statuses in history.values() for a, b in pairwise(statuses))

    assert sum(n >= 2 for n in spells) > 1000
    assert ended > 3000


def test_every_jobseeker_history_begins_out_of_work_since_the_ledger_says(planted):
    uow, _truth = planted
    with uow:
        first = dict(uow.session.execute(
            select(EmploymentStatus.person_id, func.min(EmploymentStatus.since))
            .group_by(EmploymentStatus.person_id)).all())
        rows = uow.session.execute(select(Person.id, Person.out_of_work_since).where(
            Person.category.in_(JOBSEEKERS))).all()

    assert [pid for pid, since in rows if first[pid] != since] == []


def test_some_eligible_people_held_a_job_after_registering_that_ended_before_the_course(
        seekers):
    held = [s for s in seekers
            if s.eligible and s.ever_in_work_by_end(s.start_month - 1)]
    # "Ever employed by month 6" counts that old job; being in work at month 6 does not.
    differ = [s for s in held if not s.in_work_at_end(s.reference + 6)]

    assert len(held) > 30
    assert all(s.status_on(s.registered_on).status == "unemployed" for s in held)
    assert differ
    assert all(s.ever_in_work_by_end(s.reference + 6) for s in differ)


def test_early_job_finders_are_in_work_at_their_course_start_and_none_enrolled(seekers):
    early = [s for s in seekers if s.early_job_finder]

    assert len(early) > 500
    assert [s.id for s in early if s.enrolment is not None] == []
    assert all(s.status_on(s.registered_on).status == "unemployed" for s in early)


def test_better_educated_people_and_shorter_spells_enrol_more_often(seekers):
    eligible = [s for s in seekers if s.eligible]
    rank = vocab.EDUCATION.index
    enrolled = [s for s in eligible if s.enrolment]
    others = [s for s in eligible if not s.enrolment]

    # The demo's spells all began in its era (from 2002), so they differ by months, not years:
    # compare the share enrolling below and above the median time out of work.
    middle = median(s.months_out for s in eligible)
    shorter = [bool(s.enrolment) for s in eligible if s.months_out < middle]
    longer = [bool(s.enrolment) for s in eligible if s.months_out >= middle]

    assert fmean(rank(s.education) for s in enrolled) > fmean(
        rank(s.education) for s in others) + 0.3
    assert fmean(shorter) > fmean(longer) + 0.05


def test_the_sample_effects_of_completing_and_enrolling_are_near_the_planted_effect(planted):
    truth = planted[1]
    completed, enrolled = truth["att_completed"], truth["att_enrolled"]
    share = completed["n"] / enrolled["n"]

    assert abs(completed["employed_6m"] - EFFECT) < 0.03
    # Dropouts gain nothing, so enrolling is worth about the completers' share of it.
    assert abs(enrolled["employed_6m"] - share * completed["employed_6m"]) < 0.015
    assert completed["employed_3m"] > 0 and completed["employed_12m"] > 0
    assert completed["wage_6m"] > 150 * 0.3


def test_the_effect_of_completing_is_larger_for_the_less_educated_and_for_women(planted):
    truth = planted[1]
    groups = truth["att_by_group"]["completed"]

    def pooled(group, values):
        cells = [groups[group][v] for v in values]
        return sum(c["att"] * c["n"] for c in cells) / sum(c["n"] for c in cells)

    lower = pooled("education", ("none", "primary", "junior_middle"))
    higher = pooled("education", ("college", "university"))
    assert lower - higher > 0.05
    assert groups["sex"]["F"]["att"] > groups["sex"]["M"]["att"]
    assert truth["att_by_group_outcome"] == "employed_6m"
    assert sum(c["n"] for c in groups["district"].values()) == truth["att_completed"]["n"]


def test_a_plain_difference_of_means_lies_well_above_the_effect_of_enrolling(planted,
                                                                            seekers):
    truth = planted[1]
    eligible = [s for s in seekers if s.eligible]
    enrolled = [s.in_work_at_end(s.reference + 6) for s in eligible if s.enrolment]
    others = [s.in_work_at_end(s.reference + 6) for s in eligible if not s.enrolment]

    naive = fmean(enrolled) - fmean(others)

    assert naive - truth["att_enrolled"]["employed_6m"] > 0.05


def test_the_follow_ups_agree_with_the_status_history_on_their_due_dates(planted, seekers):
    uow, _truth = planted
    by_person = {s.id: s for s in seekers}
    with uow:
        recorded = uow.session.execute(
            select(TrainingFollowUp.id, TrainingFollowUp.months, TrainingFollowUp.due_on,
                   TrainingFollowUp.employed, Enrolment.person_id).join(Enrolment)
            .where(TrainingFollowUp.recorded_on.is_not(None))).all()

    def in_work(person_id, day):
        row = by_person[person_id].status_on(day)
        return row is not None and row.status in WORK

    assert {months for _id, months, *_rest in recorded} == {3, 6, 12}
    assert [i for i, _m, due, employed, pid in recorded if employed != in_work(pid, due)] == []


def test_the_demo_courses_ran_in_the_past_and_completers_attended_enough_hours(planted):
    uow, _truth = planted
    share = load_policy()["training"]["completion_min_share"]
    with uow:
        latest_end = max(uow.session.scalars(select(Course.end_date)))
        hours = dict(uow.session.execute(
            select(Attendance.enrolment_id, func.sum(Attendance.hours))
            .group_by(Attendance.enrolment_id)).all())
        completers = uow.session.execute(select(Enrolment.id, Course.hours).join(Course).where(
            Enrolment.status == "completed")).all()

    assert latest_end < AS_OF
    assert [eid for eid, total in completers if hours.get(eid, 0) < share * total] == []
