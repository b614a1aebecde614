"""The admin app in Chromium: the demo administrator adds a street under a district, a community
under it and a community worker's account there; that worker then opens the ledger and finds
their community empty. A bad username is refused beside its field, with what was typed kept."""

import re

from playwright.sync_api import expect

from casework.i18n import t
from casework.services import org, persons
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url
from tests.browser.widgets import choose, labels, type_text

ADMIN, WORKER = "demo-admin", "admin-test-worker"
DISTRICT = "320706"  # 海州区 Haizhou District


def _add_unit(page, parent_code: str, name_zh: str, name_en: str) -> str:
    """Add a unit under ``parent_code`` with the code the form suggests; returns that code."""
    form = page.locator(".cw-form-add")
    choose(form.locator(".cw-field-parent select"),
           lambda label: label.endswith(f"({parent_code})"))
    code = form.locator(".cw-field-code input")
    expect(code).to_have_value(re.compile(rf"^{parent_code}\d{{3}}$"))
    suggested = code.input_value()
    type_text(form.locator(".cw-field-name_zh input"), name_zh)
    type_text(form.locator(".cw-field-name_en input"), name_en)
    form.locator(".cw-action-add-unit").click()
    expect(form.locator(".cw-status .cw-status-ok")).to_contain_text(suggested)
    expect(page.locator(f'.cw-unit-tree tr[data-code="{suggested}"]')).to_contain_text(name_en)
    return suggested


def test_an_admin_opens_a_street_a_community_and_a_worker_who_finds_it_empty(
        voila, demo_database, page):
    page.goto(app_url(voila(ADMIN), "administration.ipynb", "en"))

    street = _add_unit(page, DISTRICT, "测试街道", "Test Street")
    community = _add_unit(page, street, "测试社区", "Test Community")
    form = page.locator(".cw-form-create")
    type_text(form.locator(".cw-field-username input"), WORKER)
    type_text(form.locator(".cw-field-display_name input"), "测试社工")
    choose(form.locator(".cw-field-role select"), lambda label: label == "community worker")
    choose(form.locator(".cw-field-unit select"), lambda label: label.endswith(f"({community})"))
    form.locator(".cw-action-create-staff").click()

    expect(form.locator(".cw-status .cw-status-ok")).to_contain_text(WORKER)
    expect(page.locator(f'.cw-staff-list tr[data-username="{WORKER}"]')).to_contain_text(
        "Test Community")
    actor = org.load_actor(UnitOfWork(url=demo_database), WORKER)
    assert actor.unit_path == f"/320700/{DISTRICT}/{street}/{community}/"
    assert persons.list_persons(actor, UnitOfWork(url=demo_database)) == []

    page.goto(app_url(voila(WORKER), "ledger.ipynb", "en"))
    register = page.locator(".cw-form-register .cw-field-community_id select")
    expect(register).to_have_count(1)
    assert labels(register) == ["Test Community"]
    expect(page.locator(".cw-ledger")).to_contain_text(WORKER)
    page.locator(".cw-field-open_person_search input").fill("张")
    expect(page.locator(".cw-search-note-open_person")).to_contain_text(
        t("person_search.none", "en", text="张"))
    assert labels(page.locator(".cw-field-open_person select")) == ["—"]


def test_a_bad_username_is_refused_beside_its_field_and_kept(voila, page):
    page.goto(app_url(voila(ADMIN), "administration.ipynb", "en"))
    form = page.locator(".cw-form-create")

    type_text(form.locator(".cw-field-username input"), "Not Valid")
    type_text(form.locator(".cw-field-display_name input"), "某人")
    form.locator(".cw-action-create-staff").click()

    expect(form.locator(".cw-error-username")).to_contain_text("lower-case letters")
    expect(form.locator(".cw-error-display_name")).to_have_text("")
    expect(form.locator(".cw-field-username input")).to_have_value("Not Valid")
    expect(form.locator(".cw-status .cw-status-error")).to_be_visible()


def test_a_community_worker_is_told_who_may_administer(voila, page):
    page.goto(app_url(voila("demo-community-worker"), "administration.ipynb", "en"))

    expect(page.locator(".cw-status")).to_contain_text("city officer, administrator")
    expect(page.locator(".cw-form-add")).to_have_count(0)
