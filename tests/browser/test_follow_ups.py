"""The follow-ups app in Chromium: the demo community worker, on a tablet, records the
employment of a trainee of their community three months after the course."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from casework.ids import make_resident_id
from casework.services import follow_ups, org, persons, training
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url
from tests.browser.widgets import choose
from tests.integration.test_training_services import course_values

pytestmark = pytest.mark.browser
WORKER, TRAINER = "demo-community-worker", "demo-trainer"


def finished_trainee(uow, name: str, *, sequence: int, days_ago: int = 100) -> int:
    """A trainee of the worker's community whose course ended ``days_ago``; their enrolment."""
    worker, trainer = org.load_actor(uow, WORKER), org.load_actor(uow, TRAINER)
    ended = uow.today() - dt.timedelta(days=days_ago)
    person_id = persons.register_person(worker, uow, confirm_similar=True, values={
        "name": name, "category": "laid_off", "community_id": worker.unit_id,
        "id_number": make_resident_id("110101", dt.date(1985, 3, 9), sequence, "F")})
    course_id = training.create_course(trainer, uow, values=course_values(
        trainer.unit_id, title=f"{name}的班", start_date=ended - dt.timedelta(days=60),
        end_date=ended))
    enrolment = training.enrol(trainer, uow, course_id=course_id, person_id=person_id,
                               today=ended - dt.timedelta(days=70))
    training.record_attendance(trainer, uow, enrolment_id=enrolment.id, hours=100)
    training.complete(trainer, uow, enrolment_id=enrolment.id,
                      expected_version=enrolment.version, on=ended)
    return enrolment.id


def test_a_community_worker_records_a_trainees_follow_up_on_a_tablet(
        voila, demo_database, browser):
    uow = UnitOfWork(url=demo_database)
    # 乙's follow-up falls due first, so 甲's is not the first on the list.
    finished_trainee(uow, "回访学员乙", sequence=412, days_ago=110)
    enrolment_id = finished_trainee(uow, "回访学员甲", sequence=411)
    context = browser.new_context(viewport={"width": 820, "height": 1180}, has_touch=True)
    page = context.new_page()
    page.goto(app_url(voila(WORKER), "follow_ups.ipynb", "en"), wait_until="commit")

    rows = page.locator(".cw-follow-up-list .cw-follow-up", has_text="回访学员甲")
    expect(rows.first).to_be_attached()
    form = page.locator(".cw-form-follow-up")
    choose(form.locator(".cw-field-follow_up select"),
           lambda label: label.startswith("回访学员甲 · 回访学员甲的班 · 3-month"))
    form.locator(".cw-field-employed input").check()
    form.locator(".cw-field-self_employed input").check()
    form.locator(".cw-action-record-follow-up").click()

    expect(form.locator(".cw-status .cw-status-ok")).to_contain_text(
        "The 3-month follow-up of 回访学员甲 is recorded")
    worker = org.load_actor(uow, WORKER)
    recorded = [(r.months, r.state) for r in follow_ups.follow_ups(
        worker, uow, include_recorded=True) if r.enrolment_id == enrolment_id]
    assert sorted(recorded) == [(3, "recorded"), (6, "upcoming"), (12, "upcoming")]
    expect(rows).to_have_count(2)  # the 6- and 12-month follow-ups are still to come
    context.close()
