"""The ledger app: a worker registers a person, errors show beside their fields, and the
record opens with its history; a researcher sees no identities."""

import datetime as dt

from playwright.sync_api import expect

from casework.ids import make_resident_id
from tests.browser.conftest import app_url


def test_a_worker_registers_a_person_after_fixing_a_sex_mismatch(voila, page):
    page.goto(app_url(voila("demo-community-worker"), "ledger.ipynb", lang="en"))
    form = page.locator(".cw-form-register")
    number = make_resident_id("320705", dt.date(1976, 4, 9), 321, "F")
    form.locator(".cw-field-id_number input").fill(number)
    form.locator(".cw-field-name input").fill("陆秀兰")
    form.locator(".cw-field-sex select").select_option(index=1)  # male: wrong for this number
    form.locator(".cw-field-category select").select_option(index=0)
    form.locator(".cw-field-name input").press("Tab")
    form.locator(".cw-action-register").click()

    expect(form.locator(".cw-error-sex")).to_contain_text("which says female")
    expect(form.locator(".cw-field-name input")).to_have_value("陆秀兰")

    form.locator(".cw-field-sex select").select_option(index=2)
    form.locator(".cw-action-register").click()

    expect(form.locator(".cw-status .cw-status-ok")).to_contain_text("Registered on the ledger")
    expect(page.locator(".cw-person-detail")).to_contain_text(number)
    expect(page.locator(".cw-person-detail")).to_contain_text("not employed")


def test_a_researcher_reads_the_ledger_without_names_or_id_numbers(voila, page):
    page.goto(app_url(voila("demo-researcher"), "ledger.ipynb", lang="en"))
    page.locator(".cw-field-open_person select").select_option(index=0)

    expect(page.locator(".cw-person-detail")).to_contain_text("Birth year")
    expect(page.locator(".cw-person-detail")).not_to_contain_text("Resident ID number")
    expect(page.locator(".cw-form-register")).to_have_count(0)
