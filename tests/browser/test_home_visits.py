"""A community worker records home visits in the Voila app, in Chinese and in English."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from casework.services import hardship, org, visits
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url

WORKER = "demo-community-worker"


def _most_overdue(database_url: str) -> hardship.HouseholdRow:
    uow = UnitOfWork(url=database_url)
    rows = hardship.households(org.load_actor(uow, WORKER), uow)
    overdue = [r for r in rows if r.due.state == "overdue"]
    assert overdue, "the demo community must have overdue households"
    return overdue[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_worker_records_a_visit_to_an_overdue_household(voila, demo_database, page, lang):
    household = _most_overdue(demo_database)
    page.goto(app_url(voila(WORKER), "home_visits.ipynb", lang=lang))
    row = page.locator(f'.cw-household[data-household="{household.id}"]')
    expect(row).to_have_class("cw-household cw-due-overdue")

    page.locator(".cw-field-person select").select_option(index=0)
    page.locator(".cw-field-living_conditions textarea").fill("住房漏雨，已联系社区维修。")
    page.locator(".cw-field-employment_status textarea").fill("户主未就业。")
    page.locator(".cw-field-needs select").select_option(index=[0, 1])
    page.locator(".cw-field-employment_status textarea").press("Tab")
    page.locator(".cw-action-save").click()

    expect(page.locator(".cw-status .cw-status-ok")).to_contain_text(
        "家访已保存" if lang == "zh" else "Visit saved")
    expect(row).not_to_have_class("cw-household cw-due-overdue")
    uow = UnitOfWork(url=demo_database)
    latest = visits.visits_of(org.load_actor(uow, WORKER), uow, household_id=household.id)[0]
    assert latest["visit_date"] == dt.date.today().isoformat()
    assert latest["living_conditions"] == "住房漏雨，已联系社区维修。"
    if lang == "en":
        expect(page.locator(".cw-home-visits h2")).to_have_text("Home visits")


def test_a_future_visit_date_is_refused_beside_the_field_and_the_typing_stays(voila, page):
    page.goto(app_url(voila(WORKER), "home_visits.ipynb", lang="en"))
    page.locator(".cw-field-person select").select_option(index=0)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    page.locator(".cw-field-visit_date input").fill(tomorrow)
    page.locator(".cw-field-living_conditions textarea").fill("Two rooms, damp.")
    page.locator(".cw-field-employment_status textarea").fill("Head of household unemployed.")
    page.locator(".cw-field-employment_status textarea").press("Tab")
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
