"""The retirees app in Chromium: a retiree's record is opened, edited and saved at its version;
a retiree with no record gets one, with a missing amount refused beside its field and what was
typed kept; the list filters by pension status."""

import dataclasses
import datetime as dt

from playwright.sync_api import expect

from casework.agency_rules import PENSION_STATUSES, RETIREE_SERVICES
from casework.i18n import t
from casework.ids import make_resident_id
from casework.services import org, persons, retirees
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url
from tests.browser.widgets import pick_person

WORKER = "demo-community-worker"


def _worker(database_url: str):
    uow = UnitOfWork(url=database_url)
    return org.load_actor(uow, WORKER), uow


def _open(page, url: str) -> None:
    """Load the app and wait for its widgets (they arrive after the page's HTML)."""
    page.goto(url, wait_until="commit")
    page.locator(".cw-retirees").wait_for()


def _row(database_url: str, person_id: int) -> retirees.RetireeRow:
    worker, uow = _worker(database_url)
    return next(r for r in retirees.retirees(worker, uow, limit=100_000)
                if r.person_id == person_id)


def _choose_retiree(form, person_id: int) -> None:
    pick_person(form, person_id, field="retiree")


def test_a_retirees_record_is_opened_edited_and_saved(voila, demo_database, page):
    worker, uow = _worker(demo_database)
    street = org.streets_for(worker, uow)[0]
    row = next(r for r in retirees.retirees(worker, uow, street_id=street.id)
               if r.pension_status == "receiving")
    _open(page, app_url(voila(WORKER), "retirees.ipynb"))
    form = page.locator(".cw-form-retiree")

    _choose_retiree(form, row.person_id)
    expect(form.locator(".cw-field-former_employer input")).to_have_value(row.former_employer)
    form.locator(".cw-field-pension_status select").select_option(
        index=PENSION_STATUSES.index("suspended"))
    form.locator(".cw-field-services select").select_option(
        index=[RETIREE_SERVICES.index("sick_visits")])
    form.locator(".cw-action-save-retiree").click()

    expect(form.locator(".cw-status .cw-status-ok")).to_contain_text(f"({row.person_id})")
    expect(page.locator(f'.cw-retiree-list .cw-retiree-suspended[data-person="{row.person_id}"]')
           ).to_have_count(1)
    saved = _row(demo_database, row.person_id)
    assert (saved.pension_status, saved.services, saved.version) == (
        "suspended", ("sick_visits",), row.version + 1)
    assert saved.former_employer == row.former_employer


def test_a_retiree_without_a_record_gets_one_and_a_missing_pension_is_named_beside_it(
        voila, demo_database, page):
    worker, uow = _worker(demo_database)
    person_id = persons.register_person(worker, uow, confirm_similar=True, values={
        "name": "退休测试", "id_number": make_resident_id("320705", dt.date(1941, 4, 2), 77, "M"),
        "category": "retiree", "community_id": worker.unit_id, "household_members": 2})
    _open(page, app_url(voila(WORKER), "retirees.ipynb"))
    form = page.locator(".cw-form-retiree")

    _choose_retiree(form, person_id)
    expect(form.locator(".cw-status")).to_contain_text(
        t("retirees_ui.new_record", "zh", name=f"退休测试 ({person_id})"))
    form.locator(".cw-field-former_employer input").fill("连云港市机床厂")
    form.locator(".cw-field-pension_status select").select_option(
        index=PENSION_STATUSES.index("receiving"))
    form.locator(".cw-action-save-retiree").click()

    expect(form.locator(".cw-error-pension_monthly")).to_contain_text(
        t("retirees.amount_needed", "zh"))
    expect(form.locator(".cw-field-former_employer input")).to_have_value("连云港市机床厂")
    assert _row(demo_database, person_id).record_id is None
    form.locator(".cw-field-pension_monthly input").fill("640")
    form.locator(".cw-action-save-retiree").click()
    expect(form.locator(".cw-status .cw-status-ok")).to_be_visible()
    saved = _row(demo_database, person_id)
    assert (saved.former_employer, saved.pension_monthly, saved.version) == (
        "连云港市机床厂", 640, 1)


def test_the_list_filters_by_pension_status(voila, demo_database, page):
    worker, uow = _worker(demo_database)
    street = org.streets_for(worker, uow)[0]
    # Its own record of another status, so the filter has something to leave out whichever
    # test of this file ran before it.
    row = [r for r in retirees.retirees(worker, uow, street_id=street.id)
           if r.pension_status == "receiving"][-1]
    retirees.update_record(worker, uow, record_id=row.record_id, expected_version=row.version,
                           facts=dataclasses.replace(row.facts(), pension_status="pending"))
    receiving = retirees.retirees(worker, uow, street_id=street.id, pension_status="receiving")
    assert 0 < len(receiving) < len(retirees.retirees(worker, uow, street_id=street.id))
    _open(page, app_url(voila(WORKER), "retirees.ipynb", lang="en"))
    expect(page.locator(".cw-retiree-list .cw-retiree").first).to_be_visible()

    page.locator(".cw-field-pension_status_filter select").select_option(
        index=1 + PENSION_STATUSES.index("receiving"))

    rows = page.locator(".cw-retiree-list .cw-retiree")
    expect(rows).to_have_count(len(receiving))
    expect(page.locator(".cw-retiree-list .cw-retiree-receiving")).to_have_count(len(receiving))
    expect(page.locator(".cw-retiree-list .cw-retiree-receiving .cw-state-done")
           ).to_have_count(len(receiving))
    expect(page.locator(".cw-action-save-retiree")).to_have_text(t("retirees_ui.save", "en"))
