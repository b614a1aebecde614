"""Keyboard only: Tab, Shift+Tab, Enter, Space, the arrow keys and typing, never a click.

A community worker fills and saves a home visit; the caseworkers' apps let Tab reach every
action button (``cw-action-*``); wherever focus lands it shows a ring (an outline or a box
shadow), so a sighted keyboard user can see where they are."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from casework import vocab
from casework.services import hardship, org, visits
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url

WORKER = "demo-community-worker"
MAX_TABS = 400  # more stops than any app here has, so a missing one fails instead of looping
NOTE = "键盘录入：住房完好，户主在家。"

# What the focused element shows: its outline, or a box shadow standing in for one.
RING = """() => { const e = document.activeElement; const s = getComputedStyle(e);
    return {tag: e.tagName, outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
            shadow: s.boxShadow !== 'none'}; }"""
# The cw-action-* hook of the focused element (on it, or on the widget that holds it).
FOCUSED_ACTION = """() => { const e = document.activeElement;
    const hooked = e && e.closest('[class*="cw-action-"]');
    return hooked ? Array.from(hooked.classList).find(c => c.startsWith('cw-action-')) : null; }"""
# Every action a user can use now: shown and enabled.
ACTIONS = """() => Array.from(document.querySelectorAll('[class*="cw-action-"]'))
    .filter(e => e.checkVisibility() && !e.disabled && !e.closest('[disabled]'))
    .map(e => Array.from(e.classList).find(c => c.startsWith('cw-action-')))"""


def _focused(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)",
                         selector)


def _assert_ring(page) -> None:
    ring = page.evaluate(RING)
    assert ring["outline"] or ring["shadow"], ring


def tab_to(page, selector: str, *, key: str = "Tab") -> None:
    """Press ``key`` until the focused element matches ``selector``; its focus ring shows."""
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if _focused(page, selector):
            _assert_ring(page)
            return
    pytest.fail(f"{key} never reached {selector}")


def choose_next(page) -> str:
    """Move the focused list off its blank with the down arrow; returns the option shown.
    (Chromium may take the first arrow as no move, so it presses until the choice moves.)"""
    for _ in range(5):
        page.keyboard.press("ArrowDown")
        if page.evaluate("() => document.activeElement.selectedIndex") > 0:
            return page.evaluate("() => document.activeElement.selectedOptions[0].text")
    pytest.fail("the arrow keys never moved the focused list")


def test_a_worker_fills_and_saves_a_home_visit_with_the_keyboard_alone(
        voila, demo_database, page):
    uow = UnitOfWork(url=demo_database)
    household = hardship.households(org.load_actor(uow, WORKER), uow)[-1]
    page.goto(app_url(voila(WORKER), "home_visits.ipynb"))
    form = page.locator(".cw-form")
    expect(form.locator(".cw-action-save")).to_be_visible(timeout=240_000)

    tab_to(page, ".cw-field-person_search input")
    page.keyboard.type(f"#{household.person_id}")  # the one household it names is chosen
    chosen = form.locator(".cw-field-person select")
    expect(chosen.locator("option:checked")).to_contain_text(f"({household.person_id})")
    tab_to(page, ".cw-field-living_conditions textarea")
    page.keyboard.type(NOTE)
    tab_to(page, ".cw-field-employment_status input")  # member 1
    page.keyboard.type("户主")
    tab_to(page, ".cw-field-employment_status select")  # member 1's employment
    status = choose_next(page)
    tab_to(page, ".cw-action-save")
    page.keyboard.press("Enter")

    expect(form.locator(".cw-status .cw-status-ok")).to_be_visible()
    assert _focused(page, ".cw-action-save")  # the keyboard keeps its place after the save
    latest = visits.visits_of(org.load_actor(uow, WORKER), uow, household_id=household.id)[0]
    assert latest["living_conditions"] == NOTE
    [member] = latest["employment_status"]
    assert (member["member"], vocab.label("employment_status", member["status"], "zh")) == (
        "户主", status)


def test_shift_tab_goes_back_to_the_field_before(voila, page):
    page.goto(app_url(voila(WORKER), "home_visits.ipynb", lang="en"))
    expect(page.locator(".cw-action-save")).to_be_visible(timeout=240_000)
    tab_to(page, ".cw-field-living_conditions textarea")

    tab_to(page, ".cw-field-present input", key="Shift+Tab")

    tab_to(page, ".cw-field-living_conditions textarea")


@pytest.mark.parametrize(("notebook", "user"), [
    ("home_visits", WORKER), ("hardship_register", WORKER),
    ("hardship_register", "demo-street-officer"), ("ledger", WORKER)])
def test_tab_reaches_every_action_of_the_app(voila, page, notebook, user):
    page.goto(app_url(voila(user), f"{notebook}.ipynb", lang="en"))
    expect(page.locator(".cw-header")).to_be_visible(timeout=240_000)
    expect(page.locator("[class*='cw-action-']").first).to_be_visible()
    actions = set(page.evaluate(ACTIONS))
    assert actions, "the app offers no action to reach"

    reached: set[str] = set()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        action = page.evaluate(FOCUSED_ACTION)
        if action:
            _assert_ring(page)
            reached.add(action)
        if actions <= reached:
            break

    assert actions - reached == set()
