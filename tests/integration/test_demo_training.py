"""The demo plants selection into training and a true effect of completing it, and writes the
truth for tests. A plain difference of means, set next to the truth, shows the naive bias."""

import datetime as dt
import json
from collections import defaultdict
from statistics import mean

import pytest
from sqlalchemy import select

from casework import cli, vocab
from casework.db import engine as db_engine
from casework.db.models import (
    Course,
    EmploymentStatus,
    Enrolment,
    OrgUnit,
    Person,
    TrainingFollowUp,
)
from casework.policy import JOBSEEKERS, add_months, load_policy, working_age
from casework.services.uow import UnitOfWork

AS_OF = "2026-11-27"


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """The issue's data set: 20,000 people, seed 3, a planted effect of 0.10."""
    folder = tmp_path_factory.mktemp("planted")
    url, truth = f"sqlite:///{folder / 'demo.db'}", folder / "t.json"
    code = cli.main(["--database", url, "demo", "--persons", "20000", "--seed", "3",
                     "--training-effect", "0.10", "--as-of", AS_OF, "--truth", str(truth)])
    assert code == 0
    yield UnitOfWork(url=url), json.loads(truth.read_text("utf-8"))
    db_engine.get_engine(url).dispose()


def comparison_frame(uow) -> list[dict]:
    """Every jobseeker with an offer course: the first course in their street starting after
    they registered. Outcome: employed by six months after that course ended."""
    policy = load_policy()
    with uow:
        s = uow.session
        street_of = dict(s.execute(select(OrgUnit.id, OrgUnit.parent_id)).all())
        courses = defaultdict(list)
        for c in s.scalars(select(Course).order_by(Course.start_date)):
            courses[c.street_id].append(c)
        enrolment = {e.person_id: e for e in s.scalars(select(Enrolment))}
        work = defaultdict(list)
        for row in s.scalars(select(EmploymentStatus)):
            if row.status in ("employed", "flexible", "self_employed"):
                work[row.person_id].append(row.since)
        rows = []
        for p in s.scalars(select(Person).where(Person.category.in_(JOBSEEKERS))):
            offer = next((c for c in courses[street_of[p.community_id]]
                          if c.start_date >= p.registered_on), None)
            if offer is None or not working_age(policy, birth_date=p.birth_date, sex=p.sex,
                                                on=offer.start_date).ok:
                continue
            e = enrolment.get(p.id)
            course = e.course if e else offer
            six = add_months(course.end_date, 6)
            rows.append({"status": e.status if e else "untrained",
                         "education": vocab.EDUCATION.index(p.education),
                         "months_out": (offer.start_date - p.out_of_work_since).days / 30.44,
                         "employed_6m": any(d <= six for d in work[p.id])})
        return rows


def test_the_truth_file_holds_the_planted_effect_and_its_realisation(planted):
    _uow, truth = planted

    assert truth["training_effect_employed_6m"] == 0.10
    assert truth["settings"]["seed"] == 3
    assert abs(truth["sample_att_employed_6m"] - 0.10) < 0.04
    assert truth["n_completed"] > 1000


def test_better_educated_people_and_shorter_spells_enrol_more_often(planted):
    rows = comparison_frame(planted[0])
    trained = [r for r in rows if r["status"] != "untrained"]
    untrained = [r for r in rows if r["status"] == "untrained"]

    assert mean(r["education"] for r in trained) > mean(r["education"] for r in untrained) + 0.3
    assert mean(r["months_out"] for r in trained) < mean(r["months_out"] for r in untrained) - 2


def test_a_plain_difference_of_means_overstates_the_planted_effect(planted):
    uow, truth = planted
    rows = comparison_frame(uow)
    completed = [r["employed_6m"] for r in rows if r["status"] == "completed"]
    untrained = [r["employed_6m"] for r in rows if r["status"] == "untrained"]

    naive = mean(completed) - mean(untrained)
    se = (mean(completed) * (1 - mean(completed)) / len(completed)
          + mean(untrained) * (1 - mean(untrained)) / len(untrained)) ** 0.5

    # Biased upwards by more than three standard errors: selection on who enrols.
    assert naive - truth["training_effect_employed_6m"] > 3 * se
    print(f"naive {naive:.3f} (se {se:.3f}) against the planted "
          f"{truth['training_effect_employed_6m']:.2f}")


def test_the_six_month_follow_ups_agree_with_the_employment_history(planted):
    uow, _truth = planted
    with uow:
        pairs = uow.session.execute(
            select(TrainingFollowUp, Enrolment).join(Enrolment)
            .where(TrainingFollowUp.months == 6, TrainingFollowUp.recorded_on.is_not(None))
        ).all()
        starts = defaultdict(list)
        for row in uow.session.scalars(select(EmploymentStatus)):
            if row.status == "employed":
                starts[row.person_id].append(row.since)
        disagreements = [f.id for f, e in pairs
                         if f.employed != any(d <= f.due_on for d in starts[e.person_id])]
    assert pairs
    assert disagreements == []


def test_the_demo_courses_ran_in_the_past_and_completers_attended_enough_hours(planted):
    uow, _truth = planted
    share = load_policy()["training"]["completion_min_share"]
    with uow:
        latest_end = max(uow.session.scalars(select(Course.end_date)))
        completers = uow.session.scalars(select(Enrolment).where(
            Enrolment.status == "completed")).all()
        short = [e.id for e in completers
                 if sum(a.hours for a in _attendance(uow, e.id)) < share * e.course.hours]
    assert latest_end < dt.date.fromisoformat(AS_OF)
    assert short == []


def _attendance(uow, enrolment_id):
    from casework.db.models import Attendance

    return uow.session.scalars(select(Attendance).where(Attendance.enrolment_id == enrolment_id))
