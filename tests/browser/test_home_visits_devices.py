"""The home visit in hand: on a phone (390 × 844) and a tablet (820 × 1180) the form is filled
and saved without any horizontal scrolling, its targets are big enough to touch, and the
household list reads as cards on the phone; the list sorts, filters and finds an overdue
household by name."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from casework.services import hardship, org, visits
from casework.services.uow import UnitOfWork
from tests.browser.artifacts import save_screenshot
from tests.browser.conftest import app_url
from tests.browser.test_follow_ups import finished_trainee
from tests.browser.widgets import pick_person

pytestmark = pytest.mark.slow  # among the slowest files of the suite (make test lists them)

WORKER = "demo-community-worker"
DEVICES = {"phone": {"width": 390, "height": 844}, "tablet": {"width": 820, "height": 1180}}
TOUCH_PX = 44


def _households(database_url: str) -> list[hardship.HouseholdRow]:
    uow = UnitOfWork(url=database_url)
    return hardship.households(org.load_actor(uow, WORKER), uow)


def _no_horizontal_scroll(page) -> None:
    widths = page.evaluate("""() => ({doc: [document.documentElement.scrollWidth,
                                              document.documentElement.clientWidth],
                                       body: [document.body.scrollWidth,
                                              document.body.clientWidth]})""")
    assert widths["doc"][0] <= widths["doc"][1], widths
    assert widths["body"][0] <= widths["body"][1], widths
    # The body hides what overflows sideways, so also: no control of a form is cut off.
    cut = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.cw-form input, .cw-form select, .cw-form textarea, .cw-form button'))
        .filter(e => e.offsetParent !== null
                && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .map(e => e.className || e.tagName)""")
    assert cut == []


def _small_targets(page) -> list[str]:
    """The form's buttons and fields shorter than a finger (hidden ones aside)."""
    return page.evaluate("""(min) => Array.from(document.querySelectorAll(
        '.cw-home-visits button, .cw-home-visits input:not([type=checkbox]), '
        + '.cw-home-visits select, .cw-home-visits textarea'))
        .filter(e => e.offsetParent !== null)
        .map(e => [e.className || e.tagName, e.getBoundingClientRect().height])
        .filter(([_, h]) => h < min).map(([c, h]) => c + ':' + h)""", TOUCH_PX)


@pytest.fixture(params=list(DEVICES))
def device_page(request, browser):
    context = browser.new_context(viewport=DEVICES[request.param], is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield request.param, page
    context.close()


def test_a_visit_is_filled_and_saved_on_a_phone_and_a_tablet_without_sideways_scrolling(
        voila, demo_database, device_page):
    device, page = device_page
    household = next(r for r in _households(demo_database) if r.due.state != "upcoming")
    page.goto(app_url(voila(WORKER), "home_visits.ipynb"))
    expect(page.locator(".cw-field-living_conditions textarea")).to_be_visible()
    _no_horizontal_scroll(page)
    assert _small_targets(page) == []
    if device == "phone":  # the household list reads as one card per household
        first = page.locator(".cw-household").first
        assert first.evaluate("tr => getComputedStyle(tr).display") == "block"
        save_screenshot(page, "home_visits-zh-phone")

    pick_person(page, household.person_id, text=household.name)
    note = f"{device}：两居室，已协助申请公益岗位。"
    page.locator(".cw-field-living_conditions textarea").fill(note)
    member = page.locator(".cw-field-employment_status input").first
    member.fill("户主")
    member.press("Tab")
    page.locator(".cw-field-employment_status select").first.select_option(index=1)
    page.locator(".cw-action-save").tap()

    expect(page.locator(".cw-status .cw-status-ok")).to_contain_text("家访已保存")
    _no_horizontal_scroll(page)
    uow = UnitOfWork(url=demo_database)
    latest = visits.visits_of(org.load_actor(uow, WORKER), uow, household_id=household.id)[0]
    assert (latest["living_conditions"], latest["visit_date"]) == (
        note, dt.date.today().isoformat())


def test_the_household_list_sorts_filters_and_finds_an_overdue_household_by_name(
        voila, demo_database, page):
    rows = _households(demo_database)
    overdue = next(r for r in rows if r.due.state == "overdue" and r.name)
    page.goto(app_url(voila(WORKER), "home_visits.ipynb", lang="en"))
    names = page.locator(".cw-table-households td.cw-col-name")
    expect(names.first).to_be_visible()

    page.locator(".cw-field-households-sort select").select_option(index=1)  # the name
    page.locator(".cw-field-households-order select").select_option(index=1)  # descending
    expect(page.locator(".cw-table-households th.cw-col-name")).to_have_class(
        "cw-col-name cw-sorted-desc")
    shown = names.all_inner_texts()
    assert shown == sorted(shown, reverse=True)
    assert shown[0] == max(r.name or "" for r in rows)

    page.locator(".cw-field-households-state select").select_option(index=1)  # overdue
    search = page.locator(".cw-field-households-filter input")
    search.fill(overdue.name)
    search.press("Enter")
    found = page.locator(f'.cw-household[data-household="{overdue.id}"]')
    expect(found).to_be_visible()
    expect(found).to_have_class("cw-household cw-due-overdue cw-state-overdue")
    expect(found.locator(".cw-state-overdue")).to_contain_text("overdue")
    same_name = sum(1 for r in rows if r.due.state == "overdue" and overdue.name in (r.name or ""))
    expect(page.locator(".cw-household")).to_have_count(min(same_name, 15))


def test_a_follow_up_is_recorded_on_a_phone_and_a_tablet_without_sideways_scrolling(
        voila, demo_database, device_page):
    device, page = device_page
    name = f"设备回访{'甲' if device == 'phone' else '乙'}"
    finished_trainee(UnitOfWork(url=demo_database), name,
                     sequence=421 if device == "phone" else 423)
    page.goto(app_url(voila(WORKER), "follow_ups.ipynb"))
    form = page.locator(".cw-form-follow-up")
    expect(form.locator(".cw-field-follow_up select")).to_be_visible()
    _no_horizontal_scroll(page)

    select = form.locator(".cw-field-follow_up select")
    texts = select.evaluate("s => Array.from(s.options).map(o => o.text)")
    select.select_option(index=next(i for i, t in enumerate(texts) if t.startswith(name)))
    form.locator(".cw-field-employed input").check()
    form.locator(".cw-field-self_employed input").check()
    form.locator(".cw-action-record-follow-up").tap()

    expect(form.locator(".cw-status .cw-status-ok")).to_contain_text(name)
    _no_horizontal_scroll(page)
    small = page.evaluate("""(min) => Array.from(document.querySelectorAll(
        '.cw-form-follow-up button, .cw-form-follow-up select'))
        .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < min)
        .map(e => e.className)""", TOUCH_PX)
    assert small == []
    if device == "phone":
        save_screenshot(page, "follow_ups-zh-phone")
