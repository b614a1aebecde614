"""The work queue on both databases, over a street built by hand beside the demo's: two
communities, a worker for each, the street's officer and a trainer. Every count below is known
from the cases the test makes, never from the query it checks."""

import datetime as dt
from collections import Counter
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from casework.policy import add_months
from casework.services import hardship, loans, org, subsidies, training, visits, work_queue
from tests.conftest import AS_OF
from tests.integration.helpers import days
from tests.integration.test_job_services import register
from tests.integration.test_loan_services import apply as apply_loan
from tests.integration.test_loan_services import certify
from tests.integration.test_subsidy_services import (
    BEGAN,
    claim,
    claimed_long_ago,
    end,
    insured,
)
from tests.integration.test_training_services import course_values
from tests.integration.test_visit_services import poor_household, visit

STREET, COMMUNITY_A, COMMUNITY_B = "320705090", "320705090001", "320705090002"


def queue(actor, uow) -> work_queue.WorkQueue:
    return work_queue.work_queue(actor, uow, today=AS_OF)


@pytest.fixture
def area(actors, demo_db) -> dict:
    """The new street under the demo district, its two communities and their staff."""
    admin = actors["admin"]
    district = next(u for u in org.units(admin, demo_db, level="district")
                    if actors["street_officer"].unit_path.startswith(u.path))
    street = org.add_unit(admin, demo_db, parent_id=district.id, code=STREET, level="street",
                          name_zh="测试街道", name_en="Test Street")
    staff = {"street": (street, "street_officer"), "trainer": (street, "trainer")}
    for name, code in (("a", COMMUNITY_A), ("b", COMMUNITY_B)):
        unit = org.add_unit(admin, demo_db, parent_id=street, code=code, level="community",
                            name_zh=f"测试社区{name}", name_en=f"Test community {name}")
        staff[name] = (unit, "community_worker")
    for name, (unit, role) in staff.items():
        org.create_staff(admin, demo_db, username=f"queue-{name}", display_name=name, role=role,
                         unit_id=unit)
    return {name: org.load_actor(demo_db, f"queue-{name}") for name in staff}


# --- home visits ---------------------------------------------------------------------------


def registered(worker, officer, uow, seq: int, *, on: dt.date) -> int:
    """A household of the worker's community, verified and confirmed (registered) on ``on``."""
    person_id = register(worker, uow, seq)
    household_id = hardship.apply(worker, uow, application=poor_household(person_id), today=on)
    version = hardship.verify_community(worker, uow, household_id=household_id,
                                        expected_version=1)
    hardship.confirm_street(officer, uow, household_id=household_id, expected_version=version,
                            today=on)
    return household_id


def visited(worker, uow, household_id: int, on: dt.date, *, next_visit: dt.date | None) -> None:
    visits.record_visit(worker, uow, household_id=household_id, today=AS_OF,
                        values=visit(on, next_visit_date=next_visit))


@pytest.fixture
def households(area, demo_db) -> None:
    """Visits fall due 30 days after the last visit (or the registration), or on the next visit
    planned at the last visit if that is earlier. In community A: two overdue, one due today,
    two not yet due, one that left the group and one not yet verified; in B: one overdue
    and one verified by the community, not yet confirmed by the street."""
    a, b, street = area["a"], area["b"], area["street"]
    registered(a, street, demo_db, 401, on=AS_OF - days(40))  # due 10 days ago
    planned = registered(a, street, demo_db, 402, on=AS_OF - days(100))
    visited(a, demo_db, planned, AS_OF - days(20), next_visit=AS_OF - days(2))  # planned: overdue
    registered(a, street, demo_db, 403, on=AS_OF - days(30))  # due today
    registered(a, street, demo_db, 404, on=AS_OF - days(5))  # due in 25 days
    twice = registered(a, street, demo_db, 405, on=AS_OF - days(100))
    visited(a, demo_db, twice, AS_OF - days(50), next_visit=AS_OF - days(45))
    visited(a, demo_db, twice, AS_OF - days(10), next_visit=None)  # the latest visit counts
    gone = registered(a, street, demo_db, 406, on=AS_OF - days(200))
    hardship.exit_group(street, demo_db, household_id=gone, expected_version=3,
                        reason="employed", on=AS_OF - days(1))
    hardship.apply(a, demo_db, application=poor_household(register(a, demo_db, 407)),
                   today=AS_OF - days(90))  # applied, never verified
    registered(b, street, demo_db, 408, on=AS_OF - days(50))
    verified = hardship.apply(b, demo_db, application=poor_household(register(b, demo_db, 409)),
                              today=AS_OF - days(3))
    hardship.verify_community(b, demo_db, household_id=verified, expected_version=1)


def test_a_worker_sees_their_households_overdue_and_due_today(area, households, demo_db):
    mine = queue(area["a"], demo_db)

    assert (mine.count("visits_overdue"), mine.count("visits_due")) == (2, 1)
    assert {item.app for item in mine if item.key.startswith("visits")} == {"home_visits"}


def test_a_worker_of_another_community_sees_none_of_them(area, households, demo_db):
    other = queue(area["b"], demo_db)

    assert (other.count("visits_overdue"), other.count("visits_due")) == (1, 0)


def test_the_street_officer_sees_both_communities(area, households, demo_db):
    street = queue(area["street"], demo_db)

    assert (street.count("visits_overdue"), street.count("visits_due")) == (3, 1)


def test_the_district_sees_the_new_street_added_to_what_it_saw(actors, area, demo_db,
                                                                 request):
    district = actors["district_officer"]
    before = queue(district, demo_db)

    request.getfixturevalue("households")
    after = queue(district, demo_db)

    assert after.count("visits_overdue") - before.count("visits_overdue") == 3
    assert after.count("visits_due") - before.count("visits_due") == 1


def test_a_household_waits_for_the_verification_of_its_community_then_its_street(
        area, households, demo_db):
    a, b, street = (queue(area[name], demo_db) for name in ("a", "b", "street"))

    assert (a.count("hardship_to_verify"), b.count("hardship_to_verify")) == (1, 0)
    assert street.count("hardship_to_confirm") == 1
    assert street.count("hardship_to_verify") is None and a.count("hardship_to_confirm") is None
    assert {i.app for i in a if i.key.startswith("hardship")} == {"hardship_register"}


@pytest.mark.parametrize("role", ["community_worker", "street_officer", "city_officer"])
def test_the_counts_agree_with_the_home_visit_list_on_the_demo(actors, demo_db, role):
    actor = actors[role]
    listed = Counter(row.due.state for row in hardship.households(actor, demo_db, today=AS_OF))

    counted = queue(actor, demo_db)

    assert listed["overdue"] > 0
    assert list(counted.keys) == [key for key in work_queue.KEYS if key in counted.keys]
    assert (counted.count("visits_overdue"), counted.count("visits_due")) == (
        listed["overdue"], listed["due"])


@contextmanager
def statements():
    """The SQL statements run inside the block."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", note)


def test_the_queue_runs_a_handful_of_queries_however_many_households(actors, area, demo_db,
                                                                       request):
    city = actors["city_officer"]
    queue(city, demo_db)  # the pool's first connection asks the server a few things of its own
    with statements() as before:
        queue(city, demo_db)

    request.getfixturevalue("households")
    with statements() as after:
        queue(city, demo_db)

    assert len(after) == len(before) <= 10


def test_who_does_not_visit_gets_no_visit_count(actors, area, demo_db):
    assert queue(area["trainer"], demo_db).count("visits_overdue") is None
    assert queue(actors["researcher"], demo_db).items == ()


# --- loan steps ------------------------------------------------------------------------------


@pytest.fixture
def loans_waiting(area, demo_db) -> None:
    """In community A: one loan just applied for (the community recommends it next) and one
    recommended (the street's or district's agency reviews it next)."""
    a, street = area["a"], area["street"]
    people = [register(a, demo_db, seq) for seq in (411, 412)]
    for person_id in people:
        certify(street, demo_db, person_id)
    apply_loan(a, demo_db, people[0])
    recommended = apply_loan(a, demo_db, people[1])
    loans.take_step(a, demo_db, loan_id=recommended, expected_version=1,
                    step="community_recommended")


def test_a_loan_waiting_for_the_agency_review_shows_for_the_street_not_the_worker(
        area, loans_waiting, demo_db):
    assert queue(area["street"], demo_db).count("loan_steps") == 1
    assert queue(area["a"], demo_db).count("loan_steps") == 1  # the one to recommend
    assert queue(area["b"], demo_db).count("loan_steps") == 0
    assert queue(area["trainer"], demo_db).count("loan_steps") is None


def test_the_district_may_review_too_and_the_city_does_not(actors, area, demo_db, request):
    district, city = actors["district_officer"], actors["city_officer"]
    before = {who: queue(who, demo_db).count("loan_steps") for who in (district, city)}

    request.getfixturevalue("loans_waiting")

    assert queue(district, demo_db).count("loan_steps") - before[district] == 1
    assert queue(city, demo_db).count("loan_steps") == before[city]


# --- subsidy claims ------------------------------------------------------------------------


def test_a_claim_waits_for_the_reviewer_then_for_the_paying_fund(actors, area, demo_db):
    a, street, district = area["a"], area["street"], actors["district_officer"]
    before = queue(district, demo_db).count("subsidy_steps")
    street_fund = claim(a, demo_db, insured(a, demo_db, 421), funding_level="street")
    district_fund = claim(a, demo_db, insured(a, demo_db, 422), funding_level="district")
    ended, ended_claim = claimed_long_ago(a, demo_db, 423)  # paid by the street fund

    assert queue(street, demo_db).count("subsidy_steps") == 3  # all to review
    assert queue(a, demo_db).count("subsidy_steps") is None  # a worker only claims

    for claim_id in (street_fund, district_fund, ended_claim):
        subsidies.advance(street, demo_db, claim_id=claim_id, expected_version=1,
                          step="reviewed")
    end(a, demo_db, ended, add_months(BEGAN, 8))  # flagged for recovery: not to approve

    assert queue(street, demo_db).count("subsidy_steps") == 1  # approve what the street pays
    assert queue(district, demo_db).count("subsidy_steps") - before == 1


# --- training --------------------------------------------------------------------------------


def course(trainer, uow, start: dt.date, end: dt.date, *, capacity: int = 2) -> int:
    return training.create_course(trainer, uow, values=course_values(
        trainer.unit_id, start_date=start, end_date=end, capacity=capacity, hours=100))


def completed(trainer, uow, course_id: int, person_id: int, *, on: dt.date) -> None:
    """The person attends every hour and completes on ``on``: follow-ups fall due 3, 6 and 12
    months after the course's end."""
    row = training.enrol(trainer, uow, course_id=course_id, person_id=person_id,
                         today=on - days(120))
    training.record_attendance(trainer, uow, enrolment_id=row.id, hours=100, today=AS_OF)
    training.complete(trainer, uow, enrolment_id=row.id, expected_version=row.version, on=on,
                      today=AS_OF)


def test_a_trainer_sees_their_courses_and_the_follow_ups_due(actors, area, demo_db):
    trainer, a = area["trainer"], area["a"]
    course(trainer, demo_db, AS_OF + days(30), AS_OF + days(90))  # open: two seats free
    full = course(trainer, demo_db, AS_OF + days(7), AS_OF + days(60), capacity=1)
    training.enrol(trainer, demo_db, course_id=full, person_id=register(a, demo_db, 431),
                   today=AS_OF)  # starting soon, and full
    course(trainer, demo_db, AS_OF - days(10), AS_OF + days(20))  # running
    for seq, last_day in ((432, dt.date(2026, 8, 19)), (433, dt.date(2026, 8, 27))):
        ended = course(trainer, demo_db, last_day - days(90), last_day)
        completed(trainer, demo_db, ended, register(a, demo_db, seq), on=last_day)
    # The 3-month follow-ups fall due on 19 November (overdue) and 27 November (AS_OF, due).

    mine = queue(trainer, demo_db)

    assert [(i.key, i.count) for i in mine] == [
        ("follow_ups_due", 2), ("courses_open", 1), ("courses_starting", 1),
        ("courses_running", 1)]
    assert {i.app for i in mine if i.key.startswith("courses")} == {"training_enrolment"}
    assert queue(area["street"], demo_db).count("courses_running") == 1
    assert queue(a, demo_db).count("courses_open") is None


def test_a_community_worker_sees_the_follow_ups_due_of_their_own_communitys_trainees(
        area, demo_db):
    trainer, a, b = area["trainer"], area["a"], area["b"]
    for seq, worker, last_day in ((434, a, dt.date(2026, 8, 19)), (435, a, dt.date(2026, 8, 27)),
                                  (436, b, dt.date(2026, 8, 20)), (437, a, dt.date(2026, 9, 30))):
        ended = course(trainer, demo_db, last_day - days(90), last_day)
        completed(trainer, demo_db, ended, register(worker, demo_db, seq), on=last_day)
    # 3-month follow-ups: A's fall due on 19 and 27 November (AS_OF) and 30 December (not
    # yet); B's on 20 November. Each worker counts only their own community's trainees.

    mine = [(i.key, i.count, i.app) for i in queue(a, demo_db) if i.key == "follow_ups_due"]

    assert mine == [("follow_ups_due", 2, "follow_ups")]
    assert queue(b, demo_db).count("follow_ups_due") == 1
    assert queue(trainer, demo_db).count("follow_ups_due") == 3
