"""Training on both databases: courses, enrolment and the waiting list, attendance, completion."""

import datetime as dt

import pytest
from sqlalchemy import select

from casework.db.models import AuditEntry, Course, Enrolment, TrainingFollowUp
from casework.errors import AccessDenied, StaleRecord, ValidationError
from casework.ids import make_resident_id
from casework.services import audit, course_lists, org, persons, training
from casework.services.training import (
    AlreadyOnCourse,
    NotEligibleForCourse,
    WrongEnrolmentState,
)
from tests.conftest import AS_OF
from tests.integration.helpers import count, days, trail

# A course that ended in the past: completion may not be dated after the real today.
START = dt.date(2026, 5, 4)
END = dt.date(2026, 8, 31)
APPLIED_ON = START - days(14)


@pytest.fixture
def trainer(actors):
    """The demo trainer, whose home unit is the worker's street."""
    return actors["trainer"]


@pytest.fixture
def register(worker, demo_db):
    """Register a person in the worker's community: ``register(category, birth, sex)``."""
    sequence = iter(range(300, 500))

    def _register(category="laid_off", birth=dt.date(1980, 5, 10), sex="M") -> int:
        n = next(sequence)
        return persons.register_person(worker, demo_db, today=AS_OF, confirm_similar=True, values={
            "name": f"学员{n}", "id_number": make_resident_id("110101", birth, n, sex),
            "category": category, "community_id": worker.unit_id, "household_members": 3})

    return _register


def course_values(street_id: int, **overrides) -> dict:
    values = {
        "title": "家政服务员（初级）", "occupation": "domestic_service",
        "skills": ["cleaning", "housekeeping"], "kind": "reskilling", "provider": "市职业培训中心",
        "start_date": START, "end_date": END, "hours": 100, "capacity": 2,
        "cost_per_trainee": 600, "funding_source": "city_fund", "street_id": street_id,
    }
    return values | overrides


@pytest.fixture
def new_course(trainer, demo_db):
    """Create a course on the trainer's street: ``new_course(capacity=3, ...)``."""
    def _new_course(**overrides) -> int:
        return training.create_course(trainer, demo_db,
                                      values=course_values(trainer.unit_id, **overrides))

    return _new_course


@pytest.fixture
def course_id(new_course) -> int:
    """A 100-hour re-skilling course with two seats."""
    return new_course()


def enrol(actor, uow, course_id: int, person_id: int) -> training.EnrolmentRow:
    return training.enrol(actor, uow, course_id=course_id, person_id=person_id, today=APPLIED_ON)


def row(actor, uow, course_id: int, enrolment_id: int) -> training.EnrolmentRow:
    return next(r for r in training.enrolments(actor, uow, course_id=course_id)
                if r.id == enrolment_id)


def stored(uow, enrolment_id: int) -> dict:
    with uow:
        return audit.snapshot(uow.session.get(Enrolment, enrolment_id))


def audit_rows(uow, **where) -> list[AuditEntry]:
    with uow:
        query = select(AuditEntry).order_by(AuditEntry.id)
        for name, value in where.items():
            query = query.where(getattr(AuditEntry, name) == value)
        rows = list(uow.session.scalars(query))
        uow.session.expunge_all()
        return rows


def follow_ups_of(uow, enrolment_id: int) -> list[tuple[int, dt.date, dt.date | None]]:
    with uow:
        return [(f.months, f.due_on, f.recorded_on) for f in uow.session.scalars(
            select(TrainingFollowUp).where(TrainingFollowUp.enrolment_id == enrolment_id)
            .order_by(TrainingFollowUp.months))]


@pytest.fixture
def full_course(trainer, demo_db, course_id, register):
    """The two-seat course with two enrolled and two on the waiting list, in that order."""
    rows = [enrol(trainer, demo_db, course_id, register()) for _ in range(4)]
    return rows


# --- creating courses ------------------------------------------------------------------------


def test_a_trainer_creates_a_course_for_their_street(trainer, demo_db):
    course_id = training.create_course(trainer, demo_db, values=course_values(trainer.unit_id))

    [listed] = [c for c in course_lists.list_courses(trainer, demo_db) if c.id == course_id]
    assert (listed.title, listed.kind, listed.hours, listed.capacity) == (
        "家政服务员（初级）", "reskilling", 100, 2)
    assert (listed.start_date, listed.end_date) == (START, END)
    assert (listed.seats_taken, listed.waiting, listed.version) == (0, 0, 1)
    [entry] = trail(demo_db, "course", course_id)
    assert (entry["action"], entry["outcome"], entry["username"]) == (
        "create_course", "ok", trainer.username)
    assert entry["after"]["skills"] == ["cleaning", "housekeeping"]


def test_a_street_officer_creates_a_course_for_their_street(officer, demo_db):
    course_id = training.create_course(officer, demo_db, values=course_values(officer.unit_id))

    assert course_id in [c.id for c in course_lists.list_courses(officer, demo_db)]


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title": None}, "title"),
    ({"title": "   "}, "title"),
    ({"kind": "knitting_circle"}, "kind"),
    ({"kind": None}, "kind"),
    ({"end_date": START - days(1)}, "end_date"),
    ({"capacity": 0}, "capacity"),
    ({"hours": 0}, "hours"),
    ({"occupation": "astronaut"}, "occupation"),
    ({"skills": ["cleaning", "juggling"]}, "skills"),
    ({"funding_source": "lottery"}, "funding_source"),
], ids=["no_title", "blank_title", "bad_kind", "no_kind", "ends_before_start", "no_seats",
        "no_hours", "unknown_occupation", "unknown_skill", "unknown_funding"])
def test_an_invalid_course_is_refused_naming_the_field(trainer, demo_db, overrides, field):
    before = count(demo_db, Course)

    with pytest.raises(ValidationError) as caught:
        training.create_course(trainer, demo_db, values=course_values(trainer.unit_id,
                                                                      **overrides))

    assert set(caught.value.fields) == {field}
    assert count(demo_db, Course) == before


def test_every_problem_of_a_course_is_reported_at_once(trainer, demo_db):
    values = course_values(trainer.unit_id, title="", kind="knitting_circle",
                           end_date=START - days(1), capacity=0)

    with pytest.raises(ValidationError) as caught:
        training.create_course(trainer, demo_db, values=values)

    texts = caught.value.field_texts("en")
    assert set(texts) == {"title", "kind", "end_date", "capacity"}
    assert texts["end_date"] == "The end date is before the start date."
    assert texts["capacity"] == "Must be a whole number of at least 1."


def test_a_course_on_the_last_day_it_starts_is_accepted(trainer, demo_db):
    course_id = training.create_course(trainer, demo_db, values=course_values(
        trainer.unit_id, end_date=START, hours=8, capacity=1))

    assert course_id in [c.id for c in course_lists.list_courses(trainer, demo_db)]


@pytest.mark.parametrize("role", ["community_worker", "researcher"])
def test_a_community_worker_or_researcher_may_not_create_a_course(actors, demo_db, role):
    actor = actors[role]
    before = count(demo_db, Course)

    with pytest.raises(AccessDenied):
        training.create_course(actor, demo_db, values=course_values(actors["trainer"].unit_id))

    assert count(demo_db, Course) == before
    denied = audit_rows(demo_db, action="create_course", outcome="denied")
    assert [(e.entity, e.username, e.staff_id) for e in denied] == [
        ("course", actor.username, actor.staff_id)]


def test_a_trainer_may_not_create_a_course_for_another_street(trainer, actors, demo_db):
    other = next(u for u in org.units(actors["city_officer"], demo_db, level="street")
                 if u.id != trainer.unit_id)

    with pytest.raises(AccessDenied):
        training.create_course(trainer, demo_db, values=course_values(other.id))

    assert [e.username for e in audit_rows(demo_db, action="create_course",
                                            outcome="denied")] == [trainer.username]


# --- enrolment and the waiting list ------------------------------------------------------


def test_an_eligible_person_is_enrolled_with_the_decision_and_policy_version(
        trainer, demo_db, course_id, register):
    person_id = register()

    enrolled = enrol(trainer, demo_db, course_id, person_id)

    assert (enrolled.person_id, enrolled.status, enrolled.position, enrolled.hours) == (
        person_id, "enrolled", None, 0.0)
    saved = stored(demo_db, enrolled.id)
    assert saved["applied_on"] == APPLIED_ON.isoformat()
    assert saved["policy_version"] == "2003-97/2"
    assert [r["key"] for r in saved["decision"]] == ["policy.training.category_ok",
                                                     "policy.age_within"]
    [entry] = trail(demo_db, "enrolment", enrolled.id)
    assert (entry["action"], entry["outcome"], entry["username"]) == (
        "enrol", "ok", trainer.username)
    assert entry["after"]["status"] == "enrolled"


def test_when_the_seats_are_taken_people_join_the_waiting_list_in_order(
        trainer, demo_db, course_id, full_course):
    assert [(r.status, r.position) for r in full_course] == [
        ("enrolled", None), ("enrolled", None), ("waiting", 1), ("waiting", 2)]
    listed = training.enrolments(trainer, demo_db, course_id=course_id)
    assert [(r.id, r.status, r.position) for r in listed] == [
        (r.id, r.status, r.position) for r in full_course]
    [course] = [c for c in course_lists.list_courses(trainer, demo_db) if c.id == course_id]
    assert (course.seats_taken, course.waiting) == (2, 2)
    for r in full_course:
        assert [e["action"] for e in trail(demo_db, "enrolment", r.id)] == ["enrol"]


def test_enrolling_the_same_person_twice_is_refused(trainer, demo_db, course_id, register):
    person_id = register()
    enrol(trainer, demo_db, course_id, person_id)
    before = count(demo_db, Enrolment)

    with pytest.raises(AlreadyOnCourse):
        enrol(trainer, demo_db, course_id, person_id)

    assert count(demo_db, Enrolment) == before


def test_someone_on_the_waiting_list_cannot_enrol_again(trainer, demo_db, course_id,
                                                         full_course):
    with pytest.raises(AlreadyOnCourse):
        enrol(trainer, demo_db, course_id, full_course[-1].person_id)


@pytest.mark.parametrize(("category", "kind", "reason"), [
    ("retiree", "reskilling", "is not among those trained"),
    ("retiree", "labour_preparation", "is not among those trained"),
    ("new_entrant", "reskilling", "may take labour-preparation courses only"),
    ("new_entrant", "entrepreneurship", "may take labour-preparation courses only"),
])
def test_a_person_the_rules_exclude_is_refused_with_the_reason_and_nothing_is_written(
        trainer, demo_db, new_course, register, category, kind, reason):
    course_id = new_course(kind=kind)
    person_id = register(category)
    enrolments_before, audit_before = count(demo_db, Enrolment), count(demo_db, AuditEntry)

    with pytest.raises(NotEligibleForCourse) as caught:
        enrol(trainer, demo_db, course_id, person_id)

    assert caught.value.decision.ok is False
    assert caught.value.text("en").startswith("Cannot enrol: ")
    assert reason in caught.value.text("en")
    assert caught.value.text("zh").startswith("不能报名：")
    assert count(demo_db, Enrolment) == enrolments_before
    assert count(demo_db, AuditEntry) == audit_before


def test_a_new_entrant_enrols_in_a_labour_preparation_course(trainer, demo_db, new_course,
                                                              register):
    course_id = new_course(kind="labour_preparation")

    enrolled = enrol(trainer, demo_db, course_id, register("new_entrant", dt.date(2008, 1, 2)))

    assert enrolled.status == "enrolled"


def test_a_woman_who_turns_51_the_day_the_course_starts_is_refused(
        trainer, demo_db, course_id, register):
    person_id = register("laid_off", START.replace(year=START.year - 51), "F")

    with pytest.raises(NotEligibleForCourse) as caught:
        enrol(trainer, demo_db, course_id, person_id)

    assert "Age 51 is above 50, the working-age maximum for women" in caught.value.text("en")


def test_someone_in_a_course_with_overlapping_dates_is_refused_naming_that_course(
        trainer, demo_db, course_id, new_course, register):
    person_id = register()
    enrol(trainer, demo_db, course_id, person_id)
    touching = new_course(title="育婴员", occupation="care", skills=["child_care"],
                          start_date=END, end_date=END + days(30))
    before = count(demo_db, Enrolment)

    with pytest.raises(NotEligibleForCourse) as caught:
        enrol(trainer, demo_db, touching, person_id)

    assert "Already in the course '家政服务员（初级）', whose dates overlap." in caught.value.text(
        "en")
    assert "“家政服务员（初级）”" in caught.value.text("zh")
    assert count(demo_db, Enrolment) == before


def test_a_course_starting_the_day_after_another_ends_does_not_clash(
        trainer, demo_db, course_id, new_course, register):
    person_id = register()
    enrol(trainer, demo_db, course_id, person_id)
    following = new_course(title="养老护理员", start_date=END + days(1), end_date=END + days(30))

    assert enrol(trainer, demo_db, following, person_id).status == "enrolled"


def test_after_dropping_out_a_person_may_enrol_in_an_overlapping_course(
        trainer, demo_db, course_id, new_course, register):
    person_id = register()
    first = enrol(trainer, demo_db, course_id, person_id)
    training.drop(trainer, demo_db, enrolment_id=first.id, expected_version=first.version,
                  reason="family", on=START + days(3))
    overlapping = new_course(title="中式烹调师", start_date=START + days(7))

    assert enrol(trainer, demo_db, overlapping, person_id).status == "enrolled"


def test_a_community_worker_may_not_enrol_people(worker, demo_db, course_id, register):
    person_id = register()

    with pytest.raises(AccessDenied):
        enrol(worker, demo_db, course_id, person_id)

    denied = [e for e in trail(demo_db, "course", course_id) if e["outcome"] == "denied"]
    assert [(e["action"], e["username"]) for e in denied] == [("enrol", worker.username)]
    assert training.enrolments(worker, demo_db, course_id=course_id) == []


# --- dropping out and seat offers ----------------------------------------------------------


def test_a_dropout_needs_a_known_reason(trainer, demo_db, full_course):
    first = full_course[0]

    with pytest.raises(ValidationError) as caught:
        training.drop(trainer, demo_db, enrolment_id=first.id, expected_version=first.version,
                      reason="bored", on=START + days(5))

    assert set(caught.value.fields) == {"dropout_reason"}
    assert stored(demo_db, first.id)["status"] == "enrolled"
    assert stored(demo_db, full_course[2].id)["status"] == "waiting"


def test_a_dropout_frees_the_seat_for_the_first_person_waiting(
        trainer, demo_db, course_id, full_course):
    first, _, waiting_1, waiting_2 = full_course

    offered = training.drop(trainer, demo_db, enrolment_id=first.id,
                            expected_version=first.version, reason="found_job",
                            on=START + days(5))

    assert offered == waiting_1.id
    saved = stored(demo_db, first.id)
    assert (saved["status"], saved["dropout_reason"], saved["dropped_on"]) == (
        "dropped", "found_job", (START + days(5)).isoformat())
    assert row(trainer, demo_db, course_id, waiting_1.id).status == "offered"
    assert (row(trainer, demo_db, course_id, waiting_2.id).status,
            row(trainer, demo_db, course_id, waiting_2.id).position) == ("waiting", 1)
    drop_entry = trail(demo_db, "enrolment", first.id)[-1]
    assert (drop_entry["action"], drop_entry["before"]["status"],
            drop_entry["after"]["status"]) == ("drop", "enrolled", "dropped")
    offer_entry = trail(demo_db, "enrolment", waiting_1.id)[-1]
    assert (offer_entry["action"], offer_entry["before"]["status"],
            offer_entry["after"]["status"]) == ("offer_seat", "waiting", "offered")


def test_a_person_offered_a_seat_accepts_and_is_enrolled(trainer, demo_db, course_id,
                                                          full_course):
    first, _, waiting_1, _ = full_course
    offered = training.drop(trainer, demo_db, enrolment_id=first.id,
                            expected_version=first.version, reason="illness")
    version = row(trainer, demo_db, course_id, offered).version

    result = training.answer_offer(trainer, demo_db, enrolment_id=offered,
                                   expected_version=version, accept=True)

    assert result == waiting_1.id
    assert row(trainer, demo_db, course_id, offered).status == "enrolled"
    entry = trail(demo_db, "enrolment", offered)[-1]
    assert (entry["action"], entry["before"]["status"], entry["after"]["status"]) == (
        "answer_offer", "offered", "enrolled")


def test_a_person_who_declines_the_seat_passes_it_to_the_next_one_waiting(
        trainer, demo_db, course_id, full_course):
    first, _, waiting_1, waiting_2 = full_course
    offered = training.drop(trainer, demo_db, enrolment_id=first.id,
                            expected_version=first.version, reason="moved")
    version = row(trainer, demo_db, course_id, offered).version

    result = training.answer_offer(trainer, demo_db, enrolment_id=offered,
                                   expected_version=version, accept=False)

    assert result == waiting_2.id
    assert row(trainer, demo_db, course_id, waiting_1.id).status == "declined"
    assert row(trainer, demo_db, course_id, waiting_2.id).status == "offered"
    assert [e["action"] for e in trail(demo_db, "enrolment", waiting_1.id)] == [
        "enrol", "offer_seat", "answer_offer"]
    assert [e["action"] for e in trail(demo_db, "enrolment", waiting_2.id)] == [
        "enrol", "offer_seat"]


def test_a_declined_seat_with_nobody_waiting_is_offered_to_nobody(
        trainer, demo_db, course_id, register):
    seated = [enrol(trainer, demo_db, course_id, register()) for _ in range(3)]
    offered = training.drop(trainer, demo_db, enrolment_id=seated[0].id,
                            expected_version=seated[0].version, reason="other")
    version = row(trainer, demo_db, course_id, offered).version

    result = training.answer_offer(trainer, demo_db, enrolment_id=offered,
                                   expected_version=version, accept=False)

    assert result is None
    [course] = [c for c in course_lists.list_courses(trainer, demo_db) if c.id == course_id]
    assert (course.seats_taken, course.waiting) == (1, 0)


def test_a_free_seat_goes_to_the_next_person_who_enrols(trainer, demo_db, course_id,
                                                         register):
    first = enrol(trainer, demo_db, course_id, register())
    enrol(trainer, demo_db, course_id, register())
    training.drop(trainer, demo_db, enrolment_id=first.id, expected_version=first.version,
                  reason="no_show")

    assert enrol(trainer, demo_db, course_id, register()).status == "enrolled"


def test_dropping_someone_from_the_waiting_list_offers_nobody_a_seat(
        trainer, demo_db, course_id, full_course):
    first, second, waiting_1, waiting_2 = full_course

    offered = training.drop(trainer, demo_db, enrolment_id=waiting_1.id,
                            expected_version=waiting_1.version, reason="family")

    assert offered is None
    statuses = {r.id: (r.status, r.position)
                for r in training.enrolments(trainer, demo_db, course_id=course_id)}
    assert statuses == {first.id: ("enrolled", None), second.id: ("enrolled", None),
                        waiting_1.id: ("dropped", None), waiting_2.id: ("waiting", 1)}


def test_a_dropout_with_a_stale_version_is_refused_and_nothing_changes(
        trainer, demo_db, course_id, full_course):
    first, _, waiting_1, _ = full_course
    training.drop(trainer, demo_db, enrolment_id=first.id, expected_version=first.version,
                  reason="illness")

    with pytest.raises(StaleRecord):
        training.drop(trainer, demo_db, enrolment_id=waiting_1.id,
                      expected_version=waiting_1.version, reason="illness")

    assert row(trainer, demo_db, course_id, waiting_1.id).status == "offered"


def test_answering_an_offer_with_a_stale_version_is_refused(trainer, demo_db, course_id,
                                                            full_course):
    first, _, waiting_1, _ = full_course
    offered = training.drop(trainer, demo_db, enrolment_id=first.id,
                            expected_version=first.version, reason="illness")

    with pytest.raises(StaleRecord):
        training.answer_offer(trainer, demo_db, enrolment_id=offered,
                              expected_version=waiting_1.version, accept=True)

    assert row(trainer, demo_db, course_id, offered).status == "offered"


def test_only_an_offered_seat_can_be_accepted(trainer, demo_db, full_course):
    waiting = full_course[2]

    with pytest.raises(WrongEnrolmentState) as caught:
        training.answer_offer(trainer, demo_db, enrolment_id=waiting.id,
                              expected_version=waiting.version, accept=True)

    assert "'waiting'" in caught.value.text("en")


def test_someone_who_already_dropped_out_cannot_drop_out_again(trainer, demo_db, course_id,
                                                               full_course):
    first = full_course[0]
    training.drop(trainer, demo_db, enrolment_id=first.id, expected_version=first.version,
                  reason="illness")
    version = row(trainer, demo_db, course_id, first.id).version

    with pytest.raises(WrongEnrolmentState):
        training.drop(trainer, demo_db, enrolment_id=first.id, expected_version=version,
                      reason="illness")


# --- attendance ----------------------------------------------------------------------------


@pytest.fixture
def enrolled(trainer, demo_db, course_id, register) -> training.EnrolmentRow:
    """One person enrolled on the 100-hour course."""
    return enrol(trainer, demo_db, course_id, register())


def attend(actor, uow, enrolment_id: int, hours: float, session_date: dt.date | None = None):
    return training.record_attendance(actor, uow, enrolment_id=enrolment_id, hours=hours,
                                      session_date=session_date, today=AS_OF)


def test_hours_of_each_session_add_up(trainer, demo_db, course_id, enrolled):
    assert attend(trainer, demo_db, enrolled.id, 4, START) == 4.0
    assert attend(trainer, demo_db, enrolled.id, 3.5, START + days(1)) == 7.5

    assert row(trainer, demo_db, course_id, enrolled.id).hours == 7.5


def test_a_total_with_no_date_replaces_the_previous_total(trainer, demo_db, course_id,
                                                          enrolled):
    assert attend(trainer, demo_db, enrolled.id, 50) == 50.0

    assert attend(trainer, demo_db, enrolled.id, 60) == 60.0
    assert row(trainer, demo_db, course_id, enrolled.id).hours == 60.0


def test_a_total_stands_for_the_sessions_before_it_and_later_sessions_add_to_it(
        trainer, demo_db, course_id, enrolled):
    attend(trainer, demo_db, enrolled.id, 10, START)

    assert attend(trainer, demo_db, enrolled.id, 60) == 60.0
    assert attend(trainer, demo_db, enrolled.id, 4, START + days(2)) == 64.0


def test_every_attendance_record_is_audited(trainer, demo_db, enrolled):
    attend(trainer, demo_db, enrolled.id, 4, START)
    attend(trainer, demo_db, enrolled.id, 60)

    entries = audit_rows(demo_db, action="record_attendance")
    assert [(e.entity, e.outcome, e.username, e.after["enrolment_id"], e.after["hours"],
             e.after["session_date"]) for e in entries] == [
        ("attendance", "ok", trainer.username, enrolled.id, 4, START.isoformat()),
        ("attendance", "ok", trainer.username, enrolled.id, 60, None)]


@pytest.mark.parametrize("hours", [0, -2, 100.5], ids=["zero", "negative", "above_course"])
def test_hours_outside_the_course_hours_are_refused(trainer, demo_db, course_id, enrolled,
                                                    hours):
    with pytest.raises(ValidationError) as caught:
        attend(trainer, demo_db, enrolled.id, hours)

    assert set(caught.value.fields) == {"hours"}
    assert caught.value.fields["hours"].key == "training.bad_hours"
    assert "100" in caught.value.field_texts("en")["hours"]
    assert row(trainer, demo_db, course_id, enrolled.id).hours == 0.0


def test_a_session_taking_the_hours_past_the_course_hours_is_refused(trainer, demo_db,
                                                                     course_id, enrolled):
    attend(trainer, demo_db, enrolled.id, 60, START)

    with pytest.raises(ValidationError) as caught:
        attend(trainer, demo_db, enrolled.id, 41, START + days(1))

    assert set(caught.value.fields) == {"hours"}
    assert row(trainer, demo_db, course_id, enrolled.id).hours == 60.0


def test_a_total_of_all_the_course_hours_is_accepted(trainer, demo_db, enrolled):
    assert attend(trainer, demo_db, enrolled.id, 100) == 100.0


@pytest.mark.parametrize("session_date", [START - days(1), END + days(1)],
                         ids=["before_start", "after_end"])
def test_a_session_outside_the_course_dates_is_refused(trainer, demo_db, enrolled,
                                                       session_date):
    with pytest.raises(ValidationError) as caught:
        attend(trainer, demo_db, enrolled.id, 3, session_date)

    assert set(caught.value.fields) == {"session_date"}


def test_attendance_of_someone_on_the_waiting_list_is_refused(trainer, demo_db, full_course):
    with pytest.raises(ValidationError) as caught:
        attend(trainer, demo_db, full_course[2].id, 3, START)

    assert set(caught.value.fields) == {"hours"}
    assert caught.value.fields["hours"].key == "training.not_enrolled"


# --- completion ----------------------------------------------------------------------------


def test_attending_exactly_the_minimum_share_completes_and_schedules_three_follow_ups(
        trainer, demo_db, course_id, enrolled):
    attend(trainer, demo_db, enrolled.id, 80)

    decision = training.complete(trainer, demo_db, enrolment_id=enrolled.id,
                                 expected_version=enrolled.version, on=END)

    assert decision.ok is True
    assert decision.policy_version == "2003-97/2"
    saved = stored(demo_db, enrolled.id)
    assert (saved["status"], saved["completed_on"]) == ("completed", END.isoformat())
    assert follow_ups_of(demo_db, enrolled.id) == [
        (3, dt.date(2026, 11, 30), None),
        (6, dt.date(2027, 2, 28), None),
        (12, dt.date(2027, 8, 31), None),
    ]
    entry = trail(demo_db, "enrolment", enrolled.id)[-1]
    assert (entry["action"], entry["before"]["status"], entry["after"]["status"]) == (
        "complete", "enrolled", "completed")


def test_completion_keeps_the_certificate(trainer, demo_db, enrolled):
    attend(trainer, demo_db, enrolled.id, 90)

    training.complete(trainer, demo_db, enrolment_id=enrolled.id,
                      expected_version=enrolled.version, on=END,
                      certificate={"certificate_type": "职业资格证书（初级）",
                                   "certificate_number": "0912345",
                                   "certificate_date": END + days(10)})

    saved = stored(demo_db, enrolled.id)
    assert (saved["certificate_number"], saved["certificate_date"]) == (
        "0912345", (END + days(10)).isoformat())


def test_a_certificate_number_without_its_date_is_refused(trainer, demo_db, enrolled):
    attend(trainer, demo_db, enrolled.id, 90)

    with pytest.raises(ValidationError) as caught:
        training.complete(trainer, demo_db, enrolment_id=enrolled.id,
                          expected_version=enrolled.version, on=END,
                          certificate={"certificate_number": "0912345"})

    assert set(caught.value.fields) == {"certificate_date"}


def test_attending_less_than_the_minimum_share_does_not_complete(trainer, demo_db, enrolled):
    attend(trainer, demo_db, enrolled.id, 79.9)

    with pytest.raises(ValidationError) as caught:
        training.complete(trainer, demo_db, enrolment_id=enrolled.id,
                          expected_version=enrolled.version, on=END)

    assert set(caught.value.fields) == {"hours"}
    explanation = caught.value.field_texts("en")["hours"]
    assert "Attended 79.9 of 100 hours" in explanation
    assert "short of the 80% needed to complete" in explanation
    assert "未达到结业要求 80%" in caught.value.field_texts("zh")["hours"]
    assert stored(demo_db, enrolled.id)["status"] == "enrolled"
    assert follow_ups_of(demo_db, enrolled.id) == []


def test_sessions_adding_up_to_exactly_the_minimum_share_complete(trainer, demo_db,
                                                                   new_course, register):
    """Ten sessions of 1.2 hours are 12 hours, 80% of a 15-hour course."""
    course_id = new_course(hours=15)
    enrolled = enrol(trainer, demo_db, course_id, register())
    for n in range(10):
        total = attend(trainer, demo_db, enrolled.id, 1.2, START + days(n))

    assert round(total, 6) == 12
    decision = training.complete(trainer, demo_db, enrolment_id=enrolled.id,
                                 expected_version=enrolled.version, on=END)
    assert decision.ok is True


def test_completing_someone_on_the_waiting_list_is_refused(trainer, demo_db, full_course):
    waiting = full_course[2]

    with pytest.raises(WrongEnrolmentState) as caught:
        training.complete(trainer, demo_db, enrolment_id=waiting.id,
                          expected_version=waiting.version, on=END)

    assert "'waiting'" in caught.value.text("en")
    assert "“候补”" in caught.value.text("zh")
    assert follow_ups_of(demo_db, waiting.id) == []


@pytest.mark.parametrize("on", [START - days(1), dt.date.today() + days(1)],
                         ids=["before_start", "tomorrow"])
def test_a_completion_date_before_the_course_or_in_the_future_is_refused(
        trainer, demo_db, enrolled, on):
    attend(trainer, demo_db, enrolled.id, 90)

    with pytest.raises(ValidationError) as caught:
        training.complete(trainer, demo_db, enrolment_id=enrolled.id,
                          expected_version=enrolled.version, on=on)

    assert set(caught.value.fields) == {"completed_on"}


def test_completing_with_a_stale_version_is_refused(trainer, demo_db, course_id, full_course):
    first, _, waiting_1, _ = full_course
    offered = training.drop(trainer, demo_db, enrolment_id=first.id,
                            expected_version=first.version, reason="illness")
    training.answer_offer(trainer, demo_db, enrolment_id=offered,
                          expected_version=row(trainer, demo_db, course_id, offered).version,
                          accept=True)
    attend(trainer, demo_db, offered, 90)

    with pytest.raises(StaleRecord):
        training.complete(trainer, demo_db, enrolment_id=offered,
                          expected_version=waiting_1.version, on=END)

    assert follow_ups_of(demo_db, offered) == []


def test_every_step_of_a_trainee_leaves_an_audit_row(trainer, demo_db, course_id, full_course):
    first, _, waiting_1, _ = full_course
    offered = training.drop(trainer, demo_db, enrolment_id=first.id,
                            expected_version=first.version, reason="found_job")
    training.answer_offer(trainer, demo_db, enrolment_id=offered,
                          expected_version=row(trainer, demo_db, course_id, offered).version,
                          accept=True)
    attend(trainer, demo_db, offered, 85)
    training.complete(trainer, demo_db, enrolment_id=offered,
                      expected_version=row(trainer, demo_db, course_id, offered).version,
                      on=END)

    entries = trail(demo_db, "enrolment", waiting_1.id)
    assert [(e["action"], e["outcome"], e["username"]) for e in entries] == [
        ("enrol", "ok", trainer.username), ("offer_seat", "ok", trainer.username),
        ("answer_offer", "ok", trainer.username), ("complete", "ok", trainer.username)]
    assert [(e["before"] or {}).get("status") for e in entries] == [
        None, "waiting", "offered", "enrolled"]
    assert [e["after"]["status"] for e in entries] == [
        "waiting", "offered", "enrolled", "completed"]
