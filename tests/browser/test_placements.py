"""Placements and subsidies in the Voila app: a placement follows a course, social insurance is
recorded month by month, and a subsidy claim is refused with its reasons or goes through review,
approval and payment by the right officers."""

import datetime as dt
import re
import uuid

from playwright.sync_api import expect

from casework import vocab
from casework.i18n import t
from casework.money import SUBSIDY_STEPS
from casework.policy import load_policy, working_age
from casework.services import (
    agency,
    audit,
    jobs,
    org,
    persons,
    placements,
    subsidies,
    training,
)
from casework.services.uow import UnitOfWork
from casework.ui.format import date as format_date
from tests.browser.conftest import app_url
from tests.browser.widgets import choose, pick_person, type_text

WORKER = "demo-community-worker"
STREET = "demo-street-officer"
CITY = "demo-city-officer"
JOBSEEKERS = ("laid_off", "unemployed")


def _worker(database_url: str):
    uow = UnitOfWork(url=database_url)
    return org.load_actor(uow, WORKER), uow


def _unplaced_people(database_url: str, count: int, category: tuple[str, ...] = JOBSEEKERS,
                     ) -> list[int]:
    """People in the worker's community with no placement yet, ``count`` of them, newest last."""
    worker, uow = _worker(database_url)
    placed = {r.person_id for r in placements.placements(worker, uow, limit=100_000)}
    chosen = sorted(p.id for p in persons.list_persons(worker, uow, limit=5000)
                    if p.category in category and p.id not in placed)
    assert len(chosen) >= count, "the demo community must have enough people to place"
    return chosen[-count:]


def _fill_placement(form, *, person_id: int, contract_months: int, start: dt.date) -> None:
    pick_person(form, person_id)
    type_text(form.locator(".cw-field-employer input"), "连云港港口物流有限公司")
    form.locator(".cw-field-unit_id select").select_option(index=0)
    form.locator(".cw-field-start_date input").fill(start.isoformat())
    type_text(form.locator(".cw-field-contract_months input"), str(contract_months))
    type_text(form.locator(".cw-field-monthly_wage input"), "650")
    form.locator(".cw-field-social_insurance input").check()


def _new_project(database_url: str) -> int:
    """A posting of a community service project newly opened in the worker's community: the
    investing body the 500-yuan job-development subsidy asks for."""
    worker, uow = _worker(database_url)
    return jobs.create_posting(worker, uow, values={
        "title": "便民服务员", "field": "convenience_services", "occupation": "domestic_service",
        "skills": ["cleaning"], "investor_kind": "service_project",
        "investor_name": "新开便民服务社", "investor_new": True, "unit_id": worker.unit_id,
        "monthly_wage": 650, "contract_months": 36, "openings": 2, "public_welfare": False,
        "contact": "0518-5512345", "description": "社区便民服务"})


def _record_placement(page, database_url: str, *, person_id: int, contract_months: int,
                      start: dt.date, posting_id: int | None = None) -> int:
    form = page.locator(".cw-form-placement")
    if posting_id is not None:
        choose(form.locator(".cw-field-posting select"),
               lambda label: label.endswith(f"(#{posting_id})"))
    _fill_placement(form, person_id=person_id, contract_months=contract_months, start=start)
    form.locator(".cw-action-record-placement").click()
    expect(form.locator(".cw-status .cw-status-ok")).to_contain_text(f"({person_id})")
    worker, uow = _worker(database_url)
    return placements.placements(worker, uow, person_id=person_id)[0].id


def _claim(page, placement_id: int, *, kind: str, funding_level: str) -> None:
    form = page.locator(".cw-form-claim")
    choose(form.locator(".cw-field-placement select"),
            lambda label: label.endswith(f"#{placement_id}"))
    form.locator(".cw-field-kind select").select_option(index=vocab.SUBSIDY_KINDS.index(kind))
    form.locator(".cw-field-funding_level select").select_option(
        index=vocab.FUNDING_LEVELS.index(funding_level))
    form.locator(".cw-action-claim").click()


def _take_step(page, claim_id: int, step: str) -> None:
    form = page.locator(".cw-form-claim-step")
    choose(form.locator(".cw-field-claim select"), lambda label: label.startswith(f"#{claim_id} "))
    form.locator(".cw-field-step select").select_option(index=SUBSIDY_STEPS[1:].index(step))
    form.locator(".cw-field-approved select").select_option(index=0)  # approve
    form.locator(".cw-action-claim-step").click()
    expect(page.locator(f'.cw-claim-list .cw-claim-{step}[data-claim="{claim_id}"]')
           ).to_have_count(1)


def test_a_subsidy_claim_on_a_24_month_contract_is_refused_with_the_missing_condition_named(
        voila, demo_database, page):
    (person_id,) = _unplaced_people(demo_database, 1)
    page.goto(app_url(voila(WORKER), "placements.ipynb"))

    placement_id = _record_placement(page, demo_database, person_id=person_id,
                                     contract_months=24,
                                     start=dt.date.today() - dt.timedelta(days=40))
    _claim(page, placement_id, kind="job_development", funding_level="street")

    status = page.locator(".cw-form-claim .cw-status .cw-status-error")
    expect(status).to_contain_text(t("money.subsidy.contract.no", "zh", months=24, need=36))
    worker, uow = _worker(demo_database)
    assert [c for c in subsidies.claims(worker, uow) if c.placement_id == placement_id] == []


def test_a_36_month_placement_with_insurance_paid_on_time_is_claimed_reviewed_approved_and_paid(
        voila, demo_database, page):
    (person_id,) = _unplaced_people(demo_database, 1)
    start = dt.date.today() - dt.timedelta(days=150)
    posting_id = _new_project(demo_database)
    page.goto(app_url(voila(WORKER), "placements.ipynb"))
    placement_id = _record_placement(page, demo_database, person_id=person_id,
                                     contract_months=36, start=start, posting_id=posting_id)

    contribution = page.locator(".cw-form-contribution")
    for month in range(3):
        due = start + dt.timedelta(days=30 * month)
        choose(contribution.locator(".cw-field-placement select"),
                lambda label: label.endswith(f"#{placement_id}"))
        contribution.locator(".cw-field-due_on input").fill(due.isoformat())
        contribution.locator(".cw-field-paid_on input").fill((due + dt.timedelta(days=5))
                                                             .isoformat())
        type_text(contribution.locator(".cw-field-amount input"), "180")
        contribution.locator(".cw-action-record-contribution").click()
        expect(contribution.locator(".cw-status .cw-status-ok")).to_contain_text(due.isoformat())
    expect(page.locator(f'.cw-placement-list [data-placement="{placement_id}"] td').nth(6)
           ).to_have_text("3")

    _claim(page, placement_id, kind="job_development", funding_level="city")
    expect(page.locator(".cw-form-claim .cw-status .cw-status-ok")).to_be_visible()
    worker, uow = _worker(demo_database)
    (claim_id,) = [c.id for c in subsidies.claims(worker, uow) if c.placement_id == placement_id]

    page.goto(app_url(voila(STREET), "placements.ipynb"))
    _take_step(page, claim_id, "reviewed")
    page.goto(app_url(voila(CITY), "placements.ipynb"))
    _take_step(page, claim_id, "approved")
    _take_step(page, claim_id, "paid")

    (row,) = [c for c in subsidies.claims(worker, uow) if c.id == claim_id]
    assert (row.status, row.steps, row.amount, row.paid_on) == (
        "paid", SUBSIDY_STEPS, load_policy()["subsidy"]["job_development_yuan"], dt.date.today())
    with uow:
        trail = audit.trail(uow, entity="subsidy_claim", entity_id=claim_id)
        assert [(e.action, e.username) for e in trail] == [
            ("claim_subsidy", WORKER), ("step_reviewed", STREET), ("step_approved", CITY),
            ("step_paid", CITY)]


def _claimed_placement(database_url: str, start: dt.date) -> tuple[int, int]:
    """Arranged through the services: a 36-month placement in a new project, three months of
    insurance paid on time, and its job-development claim."""
    (person_id,) = _unplaced_people(database_url, 1)
    worker, uow = _worker(database_url)
    placement_id = placements.record_placement(worker, uow, values={
        "person_id": person_id, "posting_id": _new_project(database_url),
        "employer": "新开便民服务社", "unit_id": worker.unit_id, "start_date": start,
        "contract_months": 36, "monthly_wage": 650, "social_insurance": True})
    for month in range(3):
        due = start + dt.timedelta(days=30 * month)
        placements.record_contribution(worker, uow, placement_id=placement_id, due_on=due,
                                       paid_on=due + dt.timedelta(days=5), amount=180)
    claim_id = subsidies.claim(worker, uow, placement_id=placement_id, kind="job_development",
                               funding_level="street")
    return placement_id, claim_id


def _end(page, placement_id: int, ended: dt.date, remark: str = ""):
    """Fill and send the end form; returns it, for its status and errors."""
    form = page.locator(".cw-form-end")
    choose(form.locator(".cw-field-placement select"),
           lambda label: label.endswith(f"#{placement_id}"))
    form.locator(".cw-field-ended_on input").fill(ended.isoformat())
    form.locator(".cw-field-end_remark textarea").fill(remark)
    form.locator(".cw-action-end-placement").click()
    return form


def test_a_placement_ended_after_eight_months_flags_its_subsidy_claim_for_recovery(
        voila, demo_database, page):
    start = dt.date.today() - dt.timedelta(days=300)
    placement_id, claim_id = _claimed_placement(demo_database, start)
    page.goto(app_url(voila(WORKER), "placements.ipynb"))

    ended = start + dt.timedelta(days=240)
    form = _end(page, placement_id, ended, remark="本人辞职")

    expect(form.locator(".cw-status .cw-status-ok")).to_contain_text(f"#{claim_id}")
    expect(page.locator(f'.cw-placement-list .cw-placement-ended[data-placement="{placement_id}"]')
           ).to_have_count(1)
    flagged = page.locator(f'.cw-claim-list .cw-claim-recovery[data-claim="{claim_id}"]')
    expect(flagged).to_contain_text(ended.isoformat())  # in the reason
    expect(flagged).to_contain_text(format_date(dt.date.today(), "zh"))  # flagged today
    expect(flagged).to_have_class(re.compile(r"\bcw-state-overdue\b"))


def test_an_end_date_before_the_start_is_shown_beside_the_field_and_kept(voila, demo_database,
                                                                         page):
    start = dt.date.today() - dt.timedelta(days=100)
    placement_id, _claim_id = _claimed_placement(demo_database, start)
    page.goto(app_url(voila(WORKER), "placements.ipynb"))

    early = start - dt.timedelta(days=1)
    form = _end(page, placement_id, early)

    expect(form.locator(".cw-error-ended_on")).to_contain_text(start.isoformat())
    expect(form.locator(".cw-field-ended_on input")).to_have_value(early.isoformat())
    worker, uow = _worker(demo_database)
    (row,) = [r for r in placements.placements(worker, uow, limit=100_000)
              if r.id == placement_id]
    assert row.ended_on is None


def _completed_course_in_scope(database_url: str) -> tuple[int, placements.CourseLink]:
    """A jobseeker of the worker's community with a completed course and no placement yet;
    if the demo has none, one completes a course now."""
    worker, uow = _worker(database_url)
    placed = {r.person_id for r in placements.placements(worker, uow, limit=100_000)}
    people = [p for p in persons.list_persons(worker, uow, limit=5000)
              if p.category in JOBSEEKERS and p.id not in placed]
    for person in people:
        links = placements.completed_courses(worker, uow, person_id=person.id)
        if links:
            return person.id, links[0]
    return _complete_a_course(database_url, people)


def _complete_a_course(database_url: str, people) -> tuple[int, placements.CourseLink]:
    uow = UnitOfWork(url=database_url)
    officer = org.load_actor(uow, STREET)
    start = dt.date.today() - dt.timedelta(days=60)
    end = start + dt.timedelta(days=10)
    person = next(p for p in people if working_age(load_policy(), birth_date=p.birth_date,
                                                   sex=p.sex, on=start).ok)
    course_id = training.create_course(officer, uow, values={
        "title": f"叉车驾驶培训班 {uuid.uuid4().hex[:4]}", "occupation": next(iter(
            vocab.occupations())), "kind": vocab.COURSE_KINDS[0], "provider": "市职业技能培训中心",
        "start_date": start, "end_date": end, "hours": 40, "capacity": 10,
        "cost_per_trainee": 300, "funding_source": vocab.FUNDING_SOURCES[0],
        "street_id": org.streets_for(officer, uow)[0].id})
    row = training.enrol(officer, uow, course_id=course_id, person_id=person.id, today=start)
    training.record_attendance(officer, uow, enrolment_id=row.id, hours=40)
    (enrolled,) = training.enrolments(officer, uow, course_id=course_id)
    training.complete(officer, uow, enrolment_id=row.id, expected_version=enrolled.version,
                      on=end)
    worker, uow = _worker(database_url)
    return person.id, placements.completed_courses(worker, uow, person_id=person.id)[0]


def test_a_placement_after_training_preselects_the_latest_completed_course_and_is_linked_to_it(
        voila, demo_database, page):
    person_id, course = _completed_course_in_scope(demo_database)
    page.goto(app_url(voila(WORKER), "placements.ipynb"))
    form = page.locator(".cw-form-placement")

    _fill_placement(form, person_id=person_id, contract_months=36,
                    start=dt.date.today() - dt.timedelta(days=20))
    expect(form.locator(".cw-field-enrolment_id select option:checked")).to_contain_text(
        course.title)
    form.locator(".cw-action-record-placement").click()

    expect(form.locator(".cw-status .cw-status-ok")).to_contain_text(f"({person_id})")
    worker, uow = _worker(demo_database)
    placed = placements.placements(worker, uow, person_id=person_id)[0]
    assert (placed.enrolment_id, placed.course_title) == (course.enrolment_id, course.title)
    expect(page.locator(f'.cw-placement-list [data-placement="{placed.id}"]')).to_contain_text(
        course.title)


def test_a_never_employed_person_is_placed_without_a_file_number_and_the_offer_is_shown(
        voila, demo_database, page):
    (person_id,) = _unplaced_people(demo_database, 1, category=("never_employed",))
    page.goto(app_url(voila(WORKER), "placements.ipynb"))
    form = page.locator(".cw-form-placement")
    expect(form.locator(".cw-field-open_file")).to_be_hidden()  # no one chosen yet

    _fill_placement(form, person_id=person_id, contract_months=12,
                    start=dt.date.today() - dt.timedelta(days=3))
    expect(form.locator(".cw-field-open_file")).to_be_visible()
    form.locator(".cw-action-record-placement").click()

    expect(form.locator(".cw-status .cw-status-ok")).to_contain_text(f"({person_id})")
    worker, uow = _worker(demo_database)
    assert placements.placements(worker, uow, person_id=person_id)[0].personnel_file_number \
        is None
    assert agency.person_records(worker, uow, person_id=person_id).files == []


def test_with_the_offer_ticked_a_personnel_file_is_opened_with_the_placement(
        voila, demo_database, page):
    (person_id,) = _unplaced_people(demo_database, 1, category=("never_employed",))
    page.goto(app_url(voila(WORKER), "placements.ipynb"))
    form = page.locator(".cw-form-placement")

    _fill_placement(form, person_id=person_id, contract_months=36,
                    start=dt.date.today() - dt.timedelta(days=3))
    form.locator(".cw-field-open_file input").check()
    form.locator(".cw-action-record-placement").click()

    expect(form.locator(".cw-status .cw-status-ok")).to_contain_text(f"({person_id})")
    worker, uow = _worker(demo_database)
    number = placements.placements(worker, uow, person_id=person_id)[0].personnel_file_number
    [opened] = agency.person_records(worker, uow, person_id=person_id).files
    assert (opened.file_number, opened.opened_here, opened.status) == (number, True, "held")
    expect(form.locator(".cw-status .cw-status-ok")).to_contain_text(number)
    expect(form.locator(".cw-field-open_file")).to_be_hidden()  # the form is cleared


def test_the_offer_goes_away_when_a_laid_off_person_is_chosen_instead(voila, demo_database,
                                                                     page):
    (never,) = _unplaced_people(demo_database, 1, category=("never_employed",))
    (laid_off,) = _unplaced_people(demo_database, 1, category=("laid_off",))
    page.goto(app_url(voila(WORKER), "placements.ipynb"))
    form = page.locator(".cw-form-placement")
    pick_person(form, never)
    expect(form.locator(".cw-field-open_file")).to_be_visible()

    pick_person(form, laid_off)

    expect(form.locator(".cw-field-open_file")).to_be_hidden()


def test_the_placements_page_renders_in_english(voila, page):
    page.goto(app_url(voila(WORKER), "placements.ipynb", lang="en"))
    expect(page.locator(".cw-action-record-placement")).to_have_text(
        t("placements_ui.record_placement", "en"))
    expect(page.locator(".cw-action-claim-step")).to_have_text(t("placements_ui.take_step", "en"))
    expect(page.locator(".cw-placement-list")).to_be_visible()
    expect(page.locator(".cw-claim-list")).to_be_visible()


def _choose_label(page, field: str, label: str) -> None:
    choose(page.locator(f".cw-field-{field} select"), lambda shown: shown == label)


def test_an_officer_sorts_and_filters_the_claims_and_finds_one_waiting_for_review(
        voila, demo_database, page):
    _placement_id, claim_id = _claimed_placement(demo_database,
                                                 dt.date.today() - dt.timedelta(days=120))
    worker, uow = _worker(demo_database)
    (claim,) = [c for c in subsidies.claims(worker, uow) if c.id == claim_id]
    page.goto(app_url(voila(STREET), "placements.ipynb"))
    rows = page.locator(".cw-claim-list tr.cw-claim")
    expect(rows.first).to_be_visible()

    _choose_label(page, "claims-state", t("placements_ui.claim_status.claimed", "zh"))
    _choose_label(page, "claims-sort", t("look_apps.col.amount", "zh"))
    _choose_label(page, "claims-order", t("look.sort_desc", "zh"))
    type_text(page.locator(".cw-field-claims-filter input"), f"({claim.person_id})")

    found = page.locator(f'.cw-claim-list tr.cw-claim[data-claim="{claim_id}"]')
    expect(found).to_be_visible()
    expect(found).to_have_class(re.compile(r"\bcw-state-due\b"))
    expect(found.locator(".cw-col-status .cw-state-due")).to_have_text(
        t("placements_ui.claim_status.claimed", "zh"))
    expect(found.locator(".cw-col-amount")).to_have_text(f"{claim.amount:,}元")
    # Every row left is one waiting for review (one locator, so the check waits for the list
    # to settle rather than reading rows that the filter is still taking away).
    expect(page.locator(".cw-claim-list tr.cw-claim:not(.cw-claim-claimed)")).to_have_count(0)

    _choose_label(page, "claims-state", t("placements_ui.claim_status.paid", "zh"))
    expect(found).to_have_count(0)
