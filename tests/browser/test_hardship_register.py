"""Registering a hardship household: eligibility, community verification, street confirmation."""

import datetime as dt

from playwright.sync_api import expect

from casework.policy import load_policy, working_age
from casework.services import hardship, org, persons
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url

WORKER = "demo-community-worker"


def _option_index(select, prefix: str) -> int:
    """ipywidgets renders spaces in option labels as no-break spaces; compare without them."""
    labels = select.evaluate("s => Array.from(s.options).map(o => o.text)")
    return next(i for i, text in enumerate(labels) if text.replace("\xa0", " ").startswith(prefix))


def _working_age_person(database_url: str) -> int:
    """Someone of the worker's community, of working age, not yet in the hardship group."""
    uow = UnitOfWork(url=database_url)
    worker = org.load_actor(uow, WORKER)
    in_group = {r.person_id for r in hardship.households(
        worker, uow, statuses=("pending_community", "pending_street", "registered"))}
    policy = load_policy()
    return next(p.id for p in persons.list_persons(worker, uow, limit=500)
                if p.id not in in_group and p.category in ("laid_off", "unemployed")
                and working_age(policy, birth_date=p.birth_date, sex=p.sex,
                                on=dt.date.today()).ok)


def test_a_household_is_registered_only_after_community_and_street(voila, demo_database, page):
    person_id = _working_age_person(demo_database)
    page.goto(app_url(voila(WORKER), "hardship_register.ipynb", lang="en"))
    register = page.locator(".cw-form-register")
    people = register.locator(".cw-field-person select")
    expect(people.locator("option", has_text=f"#{person_id} ")).to_be_attached()
    people.select_option(index=_option_index(people, f"#{person_id} · "))
    register.locator(".cw-field-able_to_work input").check()
    register.locator(".cw-field-willing input").check()
    page.locator(".cw-action-check").click()
    expect(page.locator(".cw-decision")).to_contain_text("criterion 4 is not met")

    register.locator(".cw-field-accepts_any_job input").check()
    register.locator(".cw-action-register").click()
    expect(register.locator(".cw-status .cw-status-ok")).to_contain_text("awaiting community")

    verify = page.locator(".cw-form-verify")
    households = verify.locator(".cw-field-household select")
    expect(households.locator("option", has_text=f"#{person_id} ")).to_be_attached()
    households.select_option(index=_option_index(households, f"#{person_id} · "))
    verify.locator(".cw-field-remark input").fill("Visited; circumstances confirmed.")
    verify.locator(".cw-field-remark input").press("Tab")
    verify.locator(".cw-action-verify").click()
    expect(verify.locator(".cw-status .cw-status-ok")).to_contain_text("awaiting street")

    page.goto(app_url(voila("demo-street-officer"), "hardship_register.ipynb", lang="en"))
    confirm = page.locator(".cw-form-verify")
    households = confirm.locator(".cw-field-household select")
    expect(households.locator("option", has_text=f"#{person_id} ")).to_be_attached()
    households.select_option(index=_option_index(households, f"#{person_id} · "))
    confirm.locator(".cw-action-confirm").click()
    expect(confirm.locator(".cw-status .cw-status-ok")).to_contain_text("registered")

    uow = UnitOfWork(url=demo_database)
    officer = org.load_actor(uow, "demo-street-officer")
    assert any(r.person_id == person_id and r.status == "registered"
               for r in hardship.households(officer, uow))
