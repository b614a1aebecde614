"""Outcome follow-ups of trainees on both databases: the due list and recording an outcome."""

import datetime as dt

import pytest
from sqlalchemy import select

from casework import settings
from casework.db.models import TrainingFollowUp
from casework.errors import AccessDenied, StaleRecord, ValidationError
from casework.ids import make_resident_id
from casework.policy import load_policy
from casework.services import audit, follow_ups, org, persons, training
from tests.conftest import AS_OF
from tests.integration.helpers import days, trail

# A course that ended in the past, so completion may be dated on its last day.
START = dt.date(2026, 5, 4)
END = dt.date(2026, 8, 31)
DUE_3, DUE_6, DUE_12 = dt.date(2026, 11, 30), dt.date(2027, 2, 28), dt.date(2027, 8, 31)


@pytest.fixture
def trainer(actors):
    """The demo trainer, whose home unit is the worker's street."""
    return actors["trainer"]


@pytest.fixture
def complete_trainee(worker, trainer, demo_db):
    """Register, enrol and complete a trainee on a new course ending on ``end``.

    Returns the enrolment id; the follow-ups fall due 3, 6 and 12 months after ``end``.
    """
    sequence = iter(range(300, 500))

    def _complete(title="家政服务员（初级）", start=START, end=END) -> int:
        n = next(sequence)
        person_id = persons.register_person(
            worker, demo_db, today=AS_OF, confirm_similar=True, values={
                "name": f"学员{n}", "category": "laid_off", "community_id": worker.unit_id,
                "id_number": make_resident_id("110101", dt.date(1979, 4, 2), n, "F"),
                "household_members": 2})
        course_id = training.create_course(trainer, demo_db, values={
            "title": title, "occupation": "domestic_service", "skills": ["cleaning"],
            "kind": "reskilling", "provider": "市职业培训中心", "start_date": start,
            "end_date": end, "hours": 100, "capacity": 20, "cost_per_trainee": 600,
            "funding_source": "city_fund", "street_id": trainer.unit_id})
        enrolment = training.enrol(trainer, demo_db, course_id=course_id, person_id=person_id,
                                   today=start - days(10))
        training.record_attendance(trainer, demo_db, enrolment_id=enrolment.id, hours=90,
                                   today=AS_OF)
        training.complete(trainer, demo_db, enrolment_id=enrolment.id,
                          expected_version=enrolment.version, on=end)
        return enrolment.id

    return _complete


@pytest.fixture
def enrolment_id(complete_trainee) -> int:
    """A trainee who completed the course ending on END."""
    return complete_trainee()


def listed(actor, uow, enrolment_ids, **kwargs) -> list[follow_ups.FollowUpRow]:
    """The actor's follow-up list, limited to the given enrolments (the demo may hold others)."""
    return [r for r in follow_ups.follow_ups(actor, uow, **kwargs)
            if r.enrolment_id in enrolment_ids]


def follow_up(uow, enrolment_id: int, months: int) -> dict:
    with uow:
        row = uow.session.scalar(select(TrainingFollowUp).where(
            TrainingFollowUp.enrolment_id == enrolment_id, TrainingFollowUp.months == months))
        return audit.snapshot(row)


def outcome(**overrides) -> dict:
    values = {
        "recorded_on": AS_OF, "employed": True, "employer": "苏果超市连云港店",
        "job_field": "domestic_service", "monthly_wage": 900, "contract_months": 12,
        "social_insurance": True, "self_employed": False, "with_loan": None,
    }
    return values | overrides


def record(actor, uow, follow_up_id: int, values: dict, *, version: int = 1,
           today: dt.date = AS_OF) -> int:
    return follow_ups.record_follow_up(actor, uow, follow_up_id=follow_up_id,
                                       expected_version=version, values=values, today=today)


@pytest.fixture
def three_month(demo_db, enrolment_id) -> dict:
    """The 3-month follow-up, due on DUE_3 (three days after AS_OF)."""
    return follow_up(demo_db, enrolment_id, 3)


# --- the due list --------------------------------------------------------------------------


def test_completion_lists_three_unrecorded_follow_ups(trainer, demo_db, enrolment_id):
    rows = listed(trainer, demo_db, {enrolment_id}, today=AS_OF)

    assert [(r.months, r.due_on, r.state, r.version) for r in rows] == [
        (3, DUE_3, "upcoming", 1), (6, DUE_6, "upcoming", 1), (12, DUE_12, "upcoming", 1)]
    assert {(r.name, r.course_title) for r in rows} == {("学员300", "家政服务员（初级）")}


def test_the_state_of_a_follow_up_is_computed_on_the_day_of_asking(trainer, demo_db,
                                                                  enrolment_id):
    def state_on(today):
        return next(r.state for r in listed(trainer, demo_db, {enrolment_id}, today=today)
                    if r.months == 3)

    assert state_on(DUE_3 - days(1)) == "upcoming"
    assert state_on(DUE_3) == "due"
    assert state_on(DUE_3 + days(1)) == "overdue"


def test_overdue_follow_ups_come_first_then_those_due_today_then_upcoming(
        trainer, demo_db, complete_trainee):
    first = complete_trainee()
    earlier = complete_trainee(title="育婴员", start=dt.date(2026, 4, 1),
                               end=dt.date(2026, 7, 31))

    rows = listed(trainer, demo_db, {first, earlier}, today=DUE_6)

    assert [(r.enrolment_id, r.months, r.due_on, r.state) for r in rows] == [
        (earlier, 3, dt.date(2026, 10, 31), "overdue"),
        (first, 3, DUE_3, "overdue"),
        (earlier, 6, dt.date(2027, 1, 31), "overdue"),
        (first, 6, DUE_6, "due"),
        (earlier, 12, dt.date(2027, 7, 31), "upcoming"),
        (first, 12, DUE_12, "upcoming"),
    ]


def test_a_researcher_sees_follow_ups_without_names(actors, demo_db, enrolment_id):
    rows = listed(actors["researcher"], demo_db, {enrolment_id}, today=AS_OF)

    assert [r.months for r in rows] == [3, 6, 12]
    assert {r.name for r in rows} == {None}


# --- recording an outcome: validation ------------------------------------------------------


@pytest.mark.parametrize(("overrides", "fields"), [
    ({"recorded_on": AS_OF + days(1)}, {"recorded_on"}),
    ({"recorded_on": None}, {"recorded_on"}),
    ({"recorded_on": DUE_3 - days(15)}, {"recorded_on"}),
    ({"employed": None}, {"employed"}),
    ({"employer": None, "job_field": None, "monthly_wage": None},
     {"employer", "job_field", "monthly_wage"}),
    ({"employer": "   "}, {"employer"}),
    ({"employed": False, "self_employed": True, "employer": None, "job_field": None,
      "monthly_wage": None}, {"self_employed"}),
    ({"employed": None, "self_employed": True}, {"employed", "self_employed"}),
    ({"job_field": "astronaut"}, {"job_field"}),
    ({"monthly_wage": -1}, {"monthly_wage"}),
    ({"contract_months": "twelve"}, {"contract_months"}),
], ids=["in_future", "no_date", "too_early", "employed_missing", "employed_without_job",
        "blank_employer", "self_employed_not_employed", "self_employed_employed_missing",
        "unknown_job_field", "negative_wage", "contract_not_a_count"])
def test_an_invalid_outcome_is_refused_naming_the_fields(trainer, demo_db, enrolment_id,
                                                         three_month, overrides, fields):
    with pytest.raises(ValidationError) as caught:
        record(trainer, demo_db, three_month["id"], outcome(**overrides))

    assert set(caught.value.fields) == fields
    assert follow_up(demo_db, enrolment_id, 3) == three_month


def test_an_outcome_recorded_too_early_names_the_due_date_and_the_days_allowed(
        trainer, demo_db, three_month):
    early = load_policy()["training"]["follow_up_early_days"]

    with pytest.raises(ValidationError) as caught:
        record(trainer, demo_db, three_month["id"],
               outcome(recorded_on=DUE_3 - days(early + 1)))

    assert caught.value.field_texts("en")["recorded_on"] == (
        f"This follow-up is due on {DUE_3.isoformat()}; it may be recorded at most "
        f"{early} days early.")


def test_an_outcome_may_be_recorded_exactly_the_allowed_days_early(trainer, demo_db,
                                                                   three_month):
    early = load_policy()["training"]["follow_up_early_days"]

    version = record(trainer, demo_db, three_month["id"],
                     outcome(recorded_on=DUE_3 - days(early)))

    assert version == 2


def test_how_early_an_outcome_may_be_recorded_comes_from_the_policy(
        trainer, demo_db, three_month, tmp_path, monkeypatch):
    text = settings.policy_path().read_text("utf-8")
    assert "follow_up_early_days = 14" in text
    strict = tmp_path / "policy.toml"
    strict.write_text(text.replace("follow_up_early_days = 14", "follow_up_early_days = 2"),
                      "utf-8")
    monkeypatch.setenv("CASEWORK_POLICY_FILE", str(strict))

    with pytest.raises(ValidationError) as caught:
        record(trainer, demo_db, three_month["id"], outcome(recorded_on=DUE_3 - days(3)))

    assert "at most 2 days early" in caught.value.field_texts("en")["recorded_on"]


def test_the_12_month_outcome_cannot_be_recorded_months_ahead(trainer, demo_db, enrolment_id):
    twelve = follow_up(demo_db, enrolment_id, 12)

    with pytest.raises(ValidationError) as caught:
        record(trainer, demo_db, twelve["id"], outcome())

    assert DUE_12.isoformat() in caught.value.field_texts("zh")["recorded_on"]


# --- recording an outcome ------------------------------------------------------------------


def test_a_valid_outcome_is_recorded_audited_and_leaves_the_due_list(
        trainer, demo_db, enrolment_id, three_month):
    version = record(trainer, demo_db, three_month["id"], outcome(with_loan=True))

    assert version == 2
    saved = follow_up(demo_db, enrolment_id, 3)
    assert saved == three_month | {
        "recorded_on": AS_OF.isoformat(), "recorded_by": trainer.staff_id, "employed": True,
        "employer": "苏果超市连云港店", "job_field": "domestic_service", "monthly_wage": 900,
        "contract_months": 12, "social_insurance": True, "self_employed": False,
        "with_loan": None, "version": 2}
    [entry] = trail(demo_db, "training_follow_up", three_month["id"])
    assert (entry["action"], entry["outcome"], entry["username"], entry["staff_id"]) == (
        "record_follow_up", "ok", trainer.username, trainer.staff_id)
    assert entry["before"] == three_month
    assert entry["after"] == saved
    assert [r.months for r in listed(trainer, demo_db, {enrolment_id}, today=AS_OF)] == [6, 12]
    everything = listed(trainer, demo_db, {enrolment_id}, today=AS_OF, include_recorded=True)
    assert [(r.months, r.state, r.version) for r in everything] == [
        (6, "upcoming", 1), (12, "upcoming", 1), (3, "recorded", 2)]


def test_a_self_employed_trainee_needs_no_employer_and_keeps_the_loan_flag(
        trainer, demo_db, enrolment_id, three_month):
    record(trainer, demo_db, three_month["id"], outcome(
        self_employed=True, with_loan=True, employer=None, job_field=None, monthly_wage=None))

    saved = follow_up(demo_db, enrolment_id, 3)
    assert (saved["employed"], saved["self_employed"], saved["with_loan"], saved["employer"]) == (
        True, True, True, None)


def test_an_unemployed_outcome_needs_no_employer(trainer, demo_db, enrolment_id, three_month):
    record(trainer, demo_db, three_month["id"], outcome(
        employed=False, employer=None, job_field=None, monthly_wage=None, contract_months=None,
        social_insurance=None))

    saved = follow_up(demo_db, enrolment_id, 3)
    assert (saved["employed"], saved["recorded_on"]) == (False, AS_OF.isoformat())


def test_an_overdue_outcome_is_recorded_late(trainer, demo_db, enrolment_id, three_month):
    late = DUE_3 + days(20)

    record(trainer, demo_db, three_month["id"], outcome(recorded_on=late), today=late)

    assert follow_up(demo_db, enrolment_id, 3)["recorded_on"] == late.isoformat()


def test_a_recorded_outcome_is_corrected_at_its_current_version(trainer, demo_db, enrolment_id,
                                                                three_month):
    version = record(trainer, demo_db, three_month["id"], outcome())

    corrected = record(trainer, demo_db, three_month["id"], outcome(monthly_wage=950),
                       version=version)

    assert corrected == 3
    assert follow_up(demo_db, enrolment_id, 3)["monthly_wage"] == 950
    last = trail(demo_db, "training_follow_up", three_month["id"])[-1]
    assert (last["before"]["monthly_wage"], last["after"]["monthly_wage"]) == (900, 950)


def test_an_outcome_saved_over_a_newer_version_is_refused(trainer, demo_db, enrolment_id,
                                                          three_month):
    record(trainer, demo_db, three_month["id"], outcome())

    with pytest.raises(StaleRecord):
        record(trainer, demo_db, three_month["id"], outcome(monthly_wage=1200), version=1)

    saved = follow_up(demo_db, enrolment_id, 3)
    assert (saved["monthly_wage"], saved["version"]) == (900, 2)
    assert len(trail(demo_db, "training_follow_up", three_month["id"])) == 1


def test_the_community_worker_of_the_trainees_community_records_the_outcome(
        worker, demo_db, enrolment_id, three_month):
    assert [r.enrolment_id for r in follow_ups.follow_ups(worker, demo_db, today=AS_OF)
            if r.enrolment_id == enrolment_id] == [enrolment_id] * 3

    record(worker, demo_db, three_month["id"], outcome())

    assert follow_up(demo_db, enrolment_id, 3)["monthly_wage"] == 900


def test_a_community_worker_of_another_community_may_not_record_an_outcome(
        actors, demo_db, enrolment_id, three_month):
    other = next(u for u in org.units(actors["street_officer"], demo_db, level="community")
                 if u.id != actors["community_worker"].unit_id)
    org.create_staff(actors["admin"], demo_db, username="other-community-worker",
                     display_name="other", role="community_worker", unit_id=other.id)
    stranger = org.load_actor(demo_db, "other-community-worker")
    assert listed(stranger, demo_db, {enrolment_id}, today=AS_OF) == []

    with pytest.raises(AccessDenied):
        record(stranger, demo_db, three_month["id"], outcome())

    assert follow_up(demo_db, enrolment_id, 3) == three_month
    [entry] = trail(demo_db, "training_follow_up", three_month["id"])
    assert (entry["action"], entry["outcome"], entry["username"]) == (
        "record_follow_up", "denied", stranger.username)
