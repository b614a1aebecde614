"""A community worker records home visits in the Voila app, in Chinese and in English."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from casework.db.models import HomeVisit
from casework.services import audit, hardship, org, visits
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url
from tests.browser.widgets import pick_person

WORKER = "demo-community-worker"


def _most_overdue(database_url: str) -> hardship.HouseholdRow:
    uow = UnitOfWork(url=database_url)
    rows = hardship.households(org.load_actor(uow, WORKER), uow)
    overdue = [r for r in rows if r.due.state == "overdue"]
    assert overdue, "the demo community must have overdue households"
    return overdue[0]


def _most_urgent(database_url: str) -> hardship.HouseholdRow:
    """The first household of the list (the most urgent)."""
    uow = UnitOfWork(url=database_url)
    return hardship.households(org.load_actor(uow, WORKER), uow)[0]


def _member(page, row: int, name: str, *, status_index: int) -> None:
    """Fill one (member, employment status) row; status 1 is the first after the blank."""
    member = page.locator(".cw-field-employment_status input").nth(row)
    member.fill(name)
    member.press("Tab")
    page.locator(".cw-field-employment_status select").nth(row).select_option(index=status_index)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_worker_records_a_visit_to_an_overdue_household(voila, demo_database, page, lang):
    household = _most_overdue(demo_database)
    page.goto(app_url(voila(WORKER), "home_visits.ipynb", lang=lang))
    row = page.locator(f'.cw-household[data-household="{household.id}"]')
    expect(row).to_have_class(re.compile(r"\bcw-due-overdue\b"))

    pick_person(page, household.person_id, text=household.name)  # the household, by name
    page.locator(".cw-field-living_conditions textarea").fill("住房漏雨，已联系社区维修。")
    _member(page, 0, "户主", status_index=1)
    page.locator(".cw-field-needs select").select_option(index=[0, 1])
    page.locator(".cw-action-save").click()

    expect(page.locator(".cw-status .cw-status-ok")).to_contain_text(
        "家访已保存" if lang == "zh" else "Visit saved")
    search = page.locator(".cw-field-households-filter input")
    search.fill(household.name)  # saved, it is no longer among the first (most urgent) rows
    search.press("Enter")
    expect(row).to_have_class(re.compile(r"\bcw-due-upcoming\b"))
    uow = UnitOfWork(url=demo_database)
    latest = visits.visits_of(org.load_actor(uow, WORKER), uow, household_id=household.id)[0]
    assert latest["visit_date"] == dt.date.today().isoformat()
    assert latest["living_conditions"] == "住房漏雨，已联系社区维修。"
    assert latest["employment_status"] == [{"member": "户主", "status": "unemployed"}]
    if lang == "en":
        expect(page.locator(".cw-home-visits h2")).to_have_text("Home visits")


def test_a_future_visit_date_is_refused_beside_the_field_and_the_typing_stays(
        voila, demo_database, page):
    page.goto(app_url(voila(WORKER), "home_visits.ipynb", lang="en"))
    pick_person(page, _most_urgent(demo_database).person_id)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    page.locator(".cw-field-visit_date input").fill(tomorrow)
    page.locator(".cw-field-living_conditions textarea").fill("Two rooms, damp.")
    _member(page, 0, "head", status_index=1)
    page.locator(".cw-action-save").click()

    expect(page.locator(".cw-error-visit_date")).to_contain_text("cannot be after today")
    expect(page.locator(".cw-status .cw-status-error")).to_be_visible()
    expect(page.locator(".cw-field-living_conditions textarea")).to_have_value("Two rooms, damp.")
    expect(page.locator(".cw-field-visit_date input")).to_have_value(tomorrow)


def test_what_was_typed_is_offered_back_after_the_page_is_closed(voila, browser):
    base = voila(WORKER)
    first = browser.new_page()
    first.goto(app_url(base, "home_visits.ipynb"))
    living = first.locator(".cw-field-living_conditions textarea")
    living.fill("草稿：平房，冬季取暖困难。", timeout=60_000)
    first.locator(".cw-field-living_conditions textarea").press("Tab")
    expect(first.locator(".cw-draft-status")).to_contain_text("草稿已自动保存", timeout=30_000)
    first.close()

    second = browser.new_page()
    second.goto(app_url(base, "home_visits.ipynb"))
    second.locator(".cw-action-restore-draft").click(timeout=60_000)
    expect(second.locator(".cw-field-living_conditions textarea")).to_have_value(
        "草稿：平房，冬季取暖困难。")
    second.close()


def test_the_author_corrects_a_visit_and_it_becomes_a_new_version(voila, demo_database, page):
    page.goto(app_url(voila(WORKER), "home_visits.ipynb", lang="en"))
    pick_person(page, _most_urgent(demo_database).person_id)
    picker = page.locator(".cw-field-correct_visit select")
    expect(picker.locator("option")).not_to_have_count(0)
    picker.select_option(index=0)
    page.locator(".cw-action-edit-visit").click()
    expect(page.locator(".cw-status")).to_contain_text("Correcting the visit of")
    living = page.locator(".cw-field-living_conditions textarea")
    living.fill("Corrected: the roof was repaired last week.")
    living.press("Tab")
    page.locator(".cw-action-save").click()

    expect(page.locator(".cw-status .cw-status-ok")).to_contain_text("is now version 2")
    uow = UnitOfWork(url=demo_database)
    with uow:
        corrected = [(v.id, v.version) for v in uow.session.scalars(select(HomeVisit).where(
            HomeVisit.living_conditions == "Corrected: the roof was repaired last week."))]
    assert [version for _, version in corrected] == [2]
    entry = audit_trail(uow, entity="home_visit", entity_id=corrected[0][0])
    assert entry[-1] == ("correct_visit", "ok", WORKER)


def audit_trail(uow, *, entity: str, entity_id: int) -> list[tuple]:
    with uow:
        return [(e.action, e.outcome, e.username)
                for e in audit.trail(uow, entity=entity, entity_id=entity_id)]
