"""Placements on both databases: what recording one changes (status, referral, posting, and a
personnel file opened here when offered), the course it followed, and social insurance month by
month."""

import datetime as dt

import pytest
from sqlalchemy import select

from casework.db.models import InsuranceContribution, JobPosting, Placement
from casework.db.models_notice import PersonnelFile
from casework.errors import AccessDenied, ValidationError
from casework.policy import load_policy
from casework.services import agency, jobs, org, persons, placements, training
from tests.integration.helpers import count, days, trail
from tests.integration.test_job_services import (
    OPENED,
    post,
    register,
    register_hardship,
    sibling_community,
)

START = dt.date(2026, 3, 2)
RECORDED = START + days(3)


# --- builders the subsidy tests share --------------------------------------------------------


def placement_values(person_id: int, unit_id: int, /, **overrides) -> dict:
    """A 36-month job with social insurance, started on START, without a posting."""
    return {"person_id": person_id, "employer": "社区服务中心", "unit_id": unit_id,
            "start_date": START, "contract_months": 36, "monthly_wage": 650,
            "social_insurance": True} | overrides


def place(actor, uow, person_id: int, **overrides) -> int:
    return placements.record_placement(
        actor, uow, values=placement_values(person_id, actor.unit_id, **overrides),
        today=RECORDED)


def pay_months(actor, uow, placement_id: int, months: int = 3, *, late_days=(),
               first_due: dt.date = dt.date(2026, 3, 15)) -> None:
    """Record ``months`` monthly contributions from ``first_due``, each paid five days after it
    fell due, except the months listed in ``late_days`` as {month index: days late}."""
    late = dict(late_days)
    for n in range(months):
        due = first_due.replace(month=first_due.month + n)
        placements.record_contribution(actor, uow, placement_id=placement_id, due_on=due,
                                       paid_on=due + days(late.get(n, 5)), amount=150)


def row_of(actor, uow, placement_id: int) -> placements.PlacementRow:
    [row] = [p for p in placements.placements(actor, uow) if p.id == placement_id]
    return row


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def trainer(actors):
    return actors["trainer"]


@pytest.fixture
def seeker(worker, demo_db) -> int:
    return register(worker, demo_db, 11, skills=["cleaning"])


@pytest.fixture
def posting_id(worker, demo_db) -> int:
    """The worker community's open cleaning job with two openings."""
    return post(worker, demo_db, worker.unit_id)


def completed_course(trainer, uow, person_id: int, *, start: dt.date, title: str) -> int:
    """A four-week course on the trainer's street that the person completed on its last day."""
    end = start + days(25)
    course_id = training.create_course(trainer, uow, values={
        "title": title, "occupation": "domestic_service", "skills": ["cleaning"],
        "kind": "reskilling", "provider": "市职业培训中心", "start_date": start, "end_date": end,
        "hours": 40, "capacity": 5, "cost_per_trainee": 300, "funding_source": "city_fund",
        "street_id": trainer.unit_id})
    enrolled = training.enrol(trainer, uow, course_id=course_id, person_id=person_id,
                              today=start - days(7))
    training.record_attendance(trainer, uow, enrolment_id=enrolled.id, hours=40)
    training.complete(trainer, uow, enrolment_id=enrolled.id, expected_version=enrolled.version,
                      on=end)
    return enrolled.id


# --- recording a placement ------------------------------------------------------------------------


def test_a_placement_makes_the_person_employed_from_its_start(worker, demo_db, seeker):
    placement_id = place(worker, demo_db, seeker)

    row = row_of(worker, demo_db, placement_id)
    assert (row.person_id, row.employer, row.start_date, row.contract_months,
            row.monthly_wage, row.social_insurance, row.hardship, row.months_paid,
            row.version) == (seeker, "社区服务中心", START, 36, 650, True, False, 0, 1)
    last = persons.get_person(worker, demo_db, person_id=seeker).status_history[-1]
    assert (last["status"], last["since"], last["monthly_wage"], last["note"]) == (
        "employed", START.isoformat(), 650, f"placement {placement_id}")
    [entry] = trail(demo_db, "placement", placement_id)
    assert (entry["action"], entry["outcome"], entry["username"]) == (
        "record_placement", "ok", worker.username)


def test_someone_placed_is_no_longer_a_candidate_for_jobs(worker, demo_db, seeker,
                                                          posting_id):
    assert seeker in {m.person_id for m in jobs.candidates(worker, demo_db,
                                                           posting_id=posting_id)}

    place(worker, demo_db, seeker)

    assert seeker not in {m.person_id for m in jobs.candidates(worker, demo_db,
                                                               posting_id=posting_id)}


def test_a_placement_from_a_referral_marks_the_referral_hired(worker, demo_db, seeker,
                                                              posting_id):
    referral_id = jobs.refer(worker, demo_db, posting_id=posting_id, person_id=seeker,
                             today=OPENED)

    placement_id = place(worker, demo_db, seeker, posting_id=posting_id, employer=None,
                         unit_id=None)

    [referral] = jobs.referrals(worker, demo_db, person_id=seeker)
    assert (referral.id, referral.outcome, referral.version) == (referral_id, "hired", 2)
    row = row_of(worker, demo_db, placement_id)
    assert (row.referral_id, row.posting_id, row.unit_id, row.employer) == (
        referral_id, posting_id, worker.unit_id, "社区居委会")
    entry = trail(demo_db, "referral", referral_id)[-1]
    assert (entry["action"], entry["before"]["outcome"], entry["after"]["outcome"],
            entry["after"]["outcome_on"]) == (
        "referral_outcome", "pending", "hired", START.isoformat())


def test_the_posting_fills_when_its_last_opening_is_taken(worker, demo_db, posting_id):
    first, second = register(worker, demo_db, 12), register(worker, demo_db, 13)

    place(worker, demo_db, first, posting_id=posting_id)
    with demo_db:
        assert demo_db.session.get(JobPosting, posting_id).status == "open"
    place(worker, demo_db, second, posting_id=posting_id, start_date=START + days(1))

    with demo_db:
        posting = demo_db.session.get(JobPosting, posting_id)
        assert (posting.status, posting.closed_on) == ("filled", START + days(1))
    [listed] = [p for p in jobs.postings(worker, demo_db) if p.id == posting_id]
    assert (listed.placed, listed.openings) == (2, 2)
    assert [e["action"] for e in trail(demo_db, "job_posting", posting_id)] == [
        "create_posting", "posting_filled"]


def test_a_never_employed_person_is_placed_without_a_personnel_file_number(worker, demo_db):
    person_id = register(worker, demo_db, 14, category="never_employed")

    placement_id = place(worker, demo_db, person_id, personnel_file_number="  ")

    assert row_of(worker, demo_db, placement_id).personnel_file_number is None
    assert agency.person_records(worker, demo_db, person_id=person_id).files == []


def test_with_the_offer_ticked_a_file_is_opened_here_and_kept_by_the_street(worker, officer,
                                                                           demo_db):
    person_id = register(worker, demo_db, 15, category="never_employed")

    placement_id = place(worker, demo_db, person_id, open_file=True)

    number = row_of(worker, demo_db, placement_id).personnel_file_number
    [opened] = agency.person_records(officer, demo_db, person_id=person_id).files
    assert (opened.file_number, opened.opened_here, opened.status) == (number, True, "held")
    assert (opened.holder_unit_id, opened.received_on) == (officer.unit_id, RECORDED)
    assert opened.annual_fee_yuan == load_policy()["agency"]["file_custody_annual_yuan"]
    services = persons.get_person(worker, demo_db, person_id=person_id).services
    assert [(s["kind"], s["service_date"], s["notes"], s["staff_id"]) for s in services] == [
        ("file_custody", RECORDED.isoformat(), number, worker.staff_id)]


def test_a_file_opened_with_the_placement_takes_the_number_typed(worker, demo_db):
    person_id = register(worker, demo_db, 16, category="never_employed")

    placement_id = place(worker, demo_db, person_id, open_file=True,
                         personnel_file_number="DA-2026-015")

    assert row_of(worker, demo_db, placement_id).personnel_file_number == "DA-2026-015"
    [opened] = agency.person_records(worker, demo_db, person_id=person_id).files
    assert opened.file_number == "DA-2026-015"


def test_no_file_is_opened_here_for_a_laid_off_person_and_nothing_is_written(worker, demo_db,
                                                                            seeker):
    before = count(demo_db, Placement), count(demo_db, PersonnelFile)

    with pytest.raises(ValidationError) as caught:
        place(worker, demo_db, seeker, open_file=True)

    assert set(caught.value.fields) == {"open_file"}
    assert "former employer" in caught.value.field_texts("en")["open_file"]
    assert (count(demo_db, Placement), count(demo_db, PersonnelFile)) == before


def test_a_file_number_in_use_is_refused_with_the_offer_and_nothing_is_written(worker,
                                                                              demo_db):
    first = register(worker, demo_db, 17, category="never_employed")
    second = register(worker, demo_db, 18, category="never_employed")
    place(worker, demo_db, first, open_file=True, personnel_file_number="DA-2026-017")
    before = count(demo_db, Placement)

    with pytest.raises(ValidationError) as caught:
        place(worker, demo_db, second, open_file=True, personnel_file_number="DA-2026-017")

    assert set(caught.value.fields) == {"personnel_file_number"}
    assert count(demo_db, Placement) == before


def test_an_ordinary_placement_opens_no_personnel_file(worker, demo_db, seeker):
    place(worker, demo_db, seeker)

    assert persons.get_person(worker, demo_db, person_id=seeker).services == []


def test_a_placement_of_a_hardship_household_member_is_marked_hardship(worker, officer,
                                                                       demo_db, seeker):
    register_hardship(worker, officer, demo_db, seeker)

    placement_id = place(worker, demo_db, seeker)

    assert row_of(worker, demo_db, placement_id).hardship is True


def test_every_problem_of_a_placement_is_reported_at_once(worker, demo_db, seeker):
    values = placement_values(seeker, worker.unit_id, employer="", unit_id=None,
                              start_date=RECORDED + days(1), contract_months=0,
                              monthly_wage=None)

    with pytest.raises(ValidationError) as caught:
        placements.record_placement(worker, demo_db, values=values, today=RECORDED)

    assert {f: m.key for f, m in caught.value.fields.items()} == {
        "employer": "form.required", "unit_id": "jobs.choose_unit",
        "start_date": "form.date_in_future", "contract_months": "training.at_least",
        "monthly_wage": "training.at_least"}


def test_a_worker_cannot_place_someone_of_another_community(worker, officer, demo_db):
    neighbour = register(officer, demo_db, 16,
                         community_id=sibling_community(officer, worker, demo_db).id)
    before = count(demo_db, Placement)

    with pytest.raises(AccessDenied):
        place(worker, demo_db, neighbour)

    assert count(demo_db, Placement) == before


# --- the course a placement followed --------------------------------------------------------------


def test_completed_courses_are_offered_latest_first(trainer, worker, demo_db, seeker):
    older = completed_course(trainer, demo_db, seeker, start=dt.date(2025, 9, 1),
                             title="保洁员（初级）")
    newer = completed_course(trainer, demo_db, seeker, start=dt.date(2026, 1, 5),
                             title="家政服务员（初级）")

    found = placements.completed_courses(worker, demo_db, person_id=seeker)

    assert [(c.enrolment_id, c.title, c.completed_on) for c in found] == [
        (newer, "家政服务员（初级）", dt.date(2026, 1, 30)),
        (older, "保洁员（初级）", dt.date(2025, 9, 26))]


def test_a_placement_may_follow_the_persons_own_completed_course(trainer, worker, demo_db,
                                                                 seeker):
    enrolment_id = completed_course(trainer, demo_db, seeker, start=dt.date(2026, 1, 5),
                                    title="家政服务员（初级）")

    placement_id = place(worker, demo_db, seeker, enrolment_id=enrolment_id)

    row = row_of(worker, demo_db, placement_id)
    assert (row.enrolment_id, row.course_title) == (enrolment_id, "家政服务员（初级）")


def test_a_placement_cannot_follow_someone_elses_course_or_an_unfinished_one(
        trainer, worker, demo_db, seeker):
    other = register(worker, demo_db, 17)
    theirs = completed_course(trainer, demo_db, other, start=dt.date(2026, 1, 5),
                              title="家政服务员（初级）")
    course_id = training.create_course(trainer, demo_db, values={
        "title": "育婴员", "occupation": "care", "skills": ["child_care"],
        "kind": "reskilling", "provider": "市职业培训中心", "start_date": dt.date(2026, 2, 2),
        "end_date": dt.date(2026, 2, 27), "hours": 40, "capacity": 5,
        "cost_per_trainee": 300, "funding_source": "city_fund", "street_id": trainer.unit_id})
    unfinished = training.enrol(trainer, demo_db, course_id=course_id, person_id=seeker,
                                today=dt.date(2026, 1, 20)).id
    before = count(demo_db, Placement)

    for enrolment_id in (theirs, unfinished):
        with pytest.raises(ValidationError) as caught:
            place(worker, demo_db, seeker, enrolment_id=enrolment_id)

        assert caught.value.field_texts("en") == {
            "enrolment_id": "Only a course this person has completed can be linked."}
    assert count(demo_db, Placement) == before


# --- social insurance ---------------------------------------------------------------------------


@pytest.fixture
def placement_id(worker, demo_db, seeker) -> int:
    return place(worker, demo_db, seeker)


def stored_months(uow, placement_id: int) -> list[tuple[dt.date, dt.date | None, int | None]]:
    with uow:
        return [(c.due_on, c.paid_on, c.amount) for c in uow.session.scalars(
            select(InsuranceContribution).where(InsuranceContribution.placement_id
                                                == placement_id)
            .order_by(InsuranceContribution.due_on))]


def test_each_month_of_insurance_is_recorded_and_counted(worker, demo_db, placement_id):
    pay_months(worker, demo_db, placement_id, 3)

    assert stored_months(demo_db, placement_id) == [
        (dt.date(2026, 3, 15), dt.date(2026, 3, 20), 150),
        (dt.date(2026, 4, 15), dt.date(2026, 4, 20), 150),
        (dt.date(2026, 5, 15), dt.date(2026, 5, 20), 150)]
    assert row_of(worker, demo_db, placement_id).months_paid == 3


def test_recording_the_same_month_again_updates_it(worker, demo_db, placement_id):
    due = dt.date(2026, 3, 15)
    first = placements.record_contribution(worker, demo_db, placement_id=placement_id,
                                           due_on=due, paid_on=None)
    assert row_of(worker, demo_db, placement_id).months_paid == 0

    again = placements.record_contribution(worker, demo_db, placement_id=placement_id,
                                           due_on=due, paid_on=due + days(9), amount=160)

    assert again == first
    assert stored_months(demo_db, placement_id) == [(due, due + days(9), 160)]
    assert row_of(worker, demo_db, placement_id).months_paid == 1
    entries = [e for e in trail(demo_db, "insurance_contribution", first)]
    assert [(e["action"], (e["before"] or {}).get("paid_on"), e["after"]["paid_on"])
            for e in entries] == [("record_contribution", None, None),
                                  ("record_contribution", None, (due + days(9)).isoformat())]


def test_a_month_before_the_placement_started_is_refused(worker, demo_db, placement_id):
    with pytest.raises(ValidationError) as caught:
        placements.record_contribution(worker, demo_db, placement_id=placement_id,
                                       due_on=START - days(1), paid_on=START)

    assert caught.value.field_texts("en") == {
        "due_on": f"The contribution month cannot be before the placement started on {START}."}
    assert stored_months(demo_db, placement_id) == []


def test_a_payment_dated_after_today_is_refused(worker, demo_db, placement_id):
    with pytest.raises(ValidationError) as caught:
        placements.record_contribution(worker, demo_db, placement_id=placement_id,
                                       due_on=START, paid_on=dt.date.today() + days(1))

    assert set(caught.value.fields) == {"paid_on"}


def test_three_months_paid_on_time_is_insurance_on_time(worker, demo_db, placement_id):
    pay_months(worker, demo_db, placement_id, 3)

    decision = placements.insurance_status(worker, demo_db, placement_id=placement_id,
                                           today=dt.date(2026, 6, 10))

    assert decision.ok
    assert decision.policy_version == "2003-97/2"


def test_too_few_months_or_a_late_month_is_not_on_time_and_says_why(worker, demo_db,
                                                                    placement_id):
    pay_months(worker, demo_db, placement_id, 2)
    today = dt.date(2026, 6, 30)

    short = placements.insurance_status(worker, demo_db, placement_id=placement_id,
                                        today=today)
    pay_months(worker, demo_db, placement_id, 3, late_days={2: 31})
    late = placements.insurance_status(worker, demo_db, placement_id=placement_id,
                                       today=today)

    assert not short.ok
    assert "Months of social insurance paid: 2, fewer than the 3 needed." in short.explain("en")
    assert not late.ok
    assert any("not paid within 30 days" in r and "2026-05-15" in r
               for r in late.explain("en"))


def test_an_unpaid_month_past_its_grace_makes_insurance_late(worker, demo_db, placement_id):
    pay_months(worker, demo_db, placement_id, 3)
    placements.record_contribution(worker, demo_db, placement_id=placement_id,
                                   due_on=dt.date(2026, 6, 15), paid_on=None)

    within = placements.insurance_status(worker, demo_db, placement_id=placement_id,
                                         today=dt.date(2026, 7, 15))
    past = placements.insurance_status(worker, demo_db, placement_id=placement_id,
                                       today=dt.date(2026, 7, 16))

    assert within.ok
    assert not past.ok


def test_a_placement_cannot_claim_someone_elses_referral(worker, demo_db, seeker, posting_id):
    other = register(worker, demo_db, 77)
    referral_id = jobs.refer(worker, demo_db, posting_id=posting_id, person_id=other,
                             today=OPENED)

    with pytest.raises(ValidationError) as caught:
        place(worker, demo_db, seeker, referral_id=referral_id)

    assert set(caught.value.fields) == {"referral_id"}
    assert jobs.referrals(worker, demo_db, person_id=other)[0].outcome == "pending"


def test_the_investing_unit_must_lie_in_the_workers_line(worker, officer, demo_db, seeker):
    elsewhere = next(u for u in org.units(org.load_actor(demo_db, "demo-city-officer"), demo_db,
                                          level="street") if u.id != officer.unit_id)

    with pytest.raises(ValidationError) as caught:
        place(worker, demo_db, seeker, unit_id=elsewhere.id)

    assert set(caught.value.fields) == {"unit_id"}
