"""A trainer runs a course in the Voila app: enrolment, waiting list, dropout, follow-up."""

import datetime as dt
import uuid

from playwright.sync_api import expect

from casework.i18n import t
from casework.policy import load_policy, working_age
from casework.services import course_lists, follow_ups, org, persons, training
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url
from tests.browser.widgets import choose, pick_person, type_text

TRAINER = "demo-trainer"


def _people_who_may_enrol(database_url: str, course_start: dt.date, count: int) -> dict[int, str]:
    """Laid-off or unemployed people of working age on no active course: ``{id: name}``."""
    uow = UnitOfWork(url=database_url)
    trainer = org.load_actor(uow, TRAINER)
    busy = {r.person_id for c in course_lists.list_courses(trainer, uow)
            for r in training.enrolments(trainer, uow, course_id=c.id)
            if r.status in training.ACTIVE}
    policy = load_policy()
    chosen = {p.id: p.name for p in persons.list_persons(trainer, uow, limit=5000)
              if p.category in ("laid_off", "unemployed") and p.id not in busy
              and working_age(policy, birth_date=p.birth_date, sex=p.sex, on=course_start).ok}
    assert len(chosen) >= count, "the demo street must have enough people who may enrol"
    return dict(list(chosen.items())[:count])


def _create_course(page, title: str, start: dt.date, end: dt.date) -> None:
    course = page.locator(".cw-form-course")
    type_text(course.locator(".cw-field-title input"), title)
    course.locator(".cw-field-occupation select").select_option(index=0)
    course.locator(".cw-field-skills select").select_option(index=[0])
    course.locator(".cw-field-kind select").select_option(index=0)
    type_text(course.locator(".cw-field-provider input"), "City vocational school")
    course.locator(".cw-field-start_date input").fill(start.isoformat())
    course.locator(".cw-field-end_date input").fill(end.isoformat())
    type_text(course.locator(".cw-field-hours input"), "10")
    type_text(course.locator(".cw-field-capacity input"), "2")
    type_text(course.locator(".cw-field-cost_per_trainee input"), "300")
    course.locator(".cw-field-funding_source select").select_option(index=0)
    course.locator(".cw-field-street_id select").select_option(index=0)
    course.locator(".cw-action-create-course").click()
    expect(course.locator(".cw-status .cw-status-ok")).to_contain_text(f"Course '{title}' created")


def test_a_trainer_fills_a_course_then_a_dropout_frees_a_seat_for_the_waiting_list(
        voila, demo_database, page):
    today = dt.date.today()
    start, end = today - dt.timedelta(days=200), today - dt.timedelta(days=190)
    title = f"Welding basics {uuid.uuid4().hex[:6]}"
    (first, first_name), (second, second_name), (third, third_name) = _people_who_may_enrol(
        demo_database, start, 3).items()
    page.goto(app_url(voila(TRAINER), "training_enrolment.ipynb", lang="en"))

    _create_course(page, title, start, end)
    expect(page.locator(".cw-course-list")).to_contain_text(title)
    choose(page.locator(".cw-field-course select"), lambda label: label.startswith(f"{title} · "))
    expect(page.locator(".cw-enrolment-list")).to_contain_text("Nobody is on this course yet")

    enrol = page.locator(".cw-form-enrol")
    for person, name, outcome in ((first, first_name, "is enrolled"),
                                  (second, second_name, "is enrolled"),
                                  (third, third_name, "is on the waiting list, position 1")):
        pick_person(enrol, person)
        enrol.locator(".cw-action-enrol").click()
        expect(enrol.locator(".cw-status .cw-status-ok")).to_contain_text(f"{name} {outcome}")
    expect(page.locator(".cw-enrolment-list .cw-enrolment-enrolled")).to_have_count(2)
    expect(page.locator(".cw-enrolment-list .cw-enrolment-waiting")).to_contain_text(third_name)

    drop = page.locator(".cw-form-drop")
    choose(drop.locator(".cw-field-enrolment select"),
            lambda label: label.startswith(f"{first_name} · "))
    drop.locator(".cw-field-dropout_reason select").select_option(index=0)
    drop.locator(".cw-action-drop").click()
    expect(drop.locator(".cw-status .cw-status-ok")).to_contain_text(
        f"the seat is offered to {third_name}")
    expect(page.locator(".cw-enrolment-list .cw-enrolment-offered")).to_contain_text(third_name)
    expect(page.locator(".cw-enrolment-list .cw-enrolment-dropped")).to_contain_text(first_name)

    attendance = page.locator(".cw-form-attendance")
    choose(attendance.locator(".cw-field-enrolment select"),
            lambda label: label.startswith(f"{second_name} · "))
    type_text(attendance.locator(".cw-field-hours input"), "10")
    attendance.locator(".cw-action-record-attendance").click()
    expect(attendance.locator(".cw-status .cw-status-ok")).to_contain_text(
        f"{second_name} has attended 10 hours")

    complete = page.locator(".cw-form-complete")
    choose(complete.locator(".cw-field-enrolment select"),
            lambda label: label.startswith(f"{second_name} · "))
    complete.locator(".cw-action-complete").click()
    expect(complete.locator(".cw-status .cw-status-ok")).to_contain_text(
        f"{second_name} has completed the course")
    expect(page.locator(".cw-enrolment-list .cw-enrolment-completed")).to_contain_text(second_name)
    expect(page.locator(".cw-enrolment-list .cw-enrolment-completed .cw-state-done")
           ).to_have_text(t("training.status.completed", "en"))

    follow_up = page.locator(".cw-form-follow-up")
    choose(follow_up.locator(".cw-field-follow_up select"),
            lambda label: label.startswith(f"{second_name} · {title} · 6-month"))
    follow_up.locator(".cw-field-employed input").check()
    type_text(follow_up.locator(".cw-field-employer input"), "Harbour logistics")
    follow_up.locator(".cw-field-job_field select").select_option(index=1)
    type_text(follow_up.locator(".cw-field-monthly_wage input"), "1200")
    follow_up.locator(".cw-action-record-follow-up").click()
    expect(follow_up.locator(".cw-status .cw-status-ok")).to_contain_text(
        f"The 6-month follow-up of {second_name} is recorded")

    uow = UnitOfWork(url=demo_database)
    rows = follow_ups.follow_ups(org.load_actor(uow, TRAINER), uow, include_recorded=True)
    assert [(r.name, r.state) for r in rows if r.course_title == title and r.months == 6] == [
        (second_name, "recorded")]


def test_a_course_without_a_title_is_refused_beside_the_title_in_chinese(voila, page):
    page.goto(app_url(voila(TRAINER), "training_enrolment.ipynb", lang="zh"))
    course = page.locator(".cw-form-course")
    expect(course.locator(".cw-action-create-course")).to_have_text(
        t("training_ui.create_course", "zh"))
    type_text(course.locator(".cw-field-provider input"), "市职业技能培训中心")
    type_text(course.locator(".cw-field-hours input"), "40")
    course.locator(".cw-action-create-course").click()

    expect(course.locator(".cw-error-title")).to_contain_text(t("form.required", "zh"))
    expect(course.locator(".cw-status .cw-status-error")).to_be_visible()
    expect(course.locator(".cw-field-provider input")).to_have_value("市职业技能培训中心")
    expect(course.locator(".cw-field-hours input")).to_have_value("40")
