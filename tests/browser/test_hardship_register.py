"""Registering a hardship household: eligibility, community verification, street confirmation."""

from playwright.sync_api import expect

from casework.services import hardship, org
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url


def _option_index(select, prefix: str) -> int:
    """ipywidgets renders spaces in option labels as no-break spaces; compare without them."""
    labels = select.evaluate("s => Array.from(s.options).map(o => o.text)")
    return next(i for i, text in enumerate(labels) if text.replace("\xa0", " ").startswith(prefix))


def test_a_household_is_registered_only_after_community_and_street(voila, demo_database, page):
    page.goto(app_url(voila("demo-community-worker"), "hardship_register.ipynb", lang="en"))
    register = page.locator(".cw-form-register")
    register.locator(".cw-field-person select").select_option(index=0)
    person_label = register.locator(".cw-field-person select").evaluate(
        "s => s.options[s.selectedIndex].text").replace("\xa0", " ")
    register.locator(".cw-field-able_to_work input").check()
    register.locator(".cw-field-willing input").check()
    page.locator(".cw-action-check").click()
    expect(page.locator(".cw-decision")).to_contain_text("criterion 4 is not met")

    register.locator(".cw-field-accepts_any_job input").check()
    register.locator(".cw-action-register").click()
    expect(register.locator(".cw-status .cw-status-ok")).to_contain_text("awaiting community")

    name = person_label.split(" · ")[0]
    verify = page.locator(".cw-form-verify")
    households = verify.locator(".cw-field-household select")
    expect(households.locator("option", has_text=name)).to_be_attached()
    households.select_option(index=_option_index(households, f"{name} · "))
    verify.locator(".cw-field-remark input").fill("Visited; circumstances confirmed.")
    verify.locator(".cw-field-remark input").press("Tab")
    verify.locator(".cw-action-verify").click()
    expect(verify.locator(".cw-status .cw-status-ok")).to_contain_text("awaiting street")

    page.goto(app_url(voila("demo-street-officer"), "hardship_register.ipynb", lang="en"))
    confirm = page.locator(".cw-form-verify")
    households = confirm.locator(".cw-field-household select")
    expect(households.locator("option", has_text=name)).to_be_attached()
    households.select_option(index=_option_index(households, f"{name} · "))
    confirm.locator(".cw-action-confirm").click()
    expect(confirm.locator(".cw-status .cw-status-ok")).to_contain_text("registered")

    uow = UnitOfWork(url=demo_database)
    officer = org.load_actor(uow, "demo-street-officer")
    assert any(r.name == name and r.status == "registered"
               for r in hardship.households(officer, uow))
