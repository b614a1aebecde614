"""The ledger app: a worker registers a person, errors show beside their fields, and the
record opens with its history and its Re-employment Preferential Certificate's status; a
researcher sees no identities."""

import datetime as dt
import re

from playwright.sync_api import expect

from casework import vocab
from casework.i18n import t
from casework.ids import make_resident_id
from casework.services import certificates, org, persons
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url
from tests.browser.widgets import pick_person


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


def test_a_researcher_reads_the_ledger_without_names_or_id_numbers(voila, demo_database, page):
    uow = UnitOfWork(url=demo_database)
    [someone] = persons.list_persons(org.load_actor(uow, "demo-researcher"), uow, limit=1)
    page.goto(app_url(voila("demo-researcher"), "ledger.ipynb", lang="en"))
    label = pick_person(page, someone.id, field="open_person")  # by record number only

    assert label == f"{vocab.label('category', someone.category, 'en')} ({someone.id})"

    expect(page.locator(".cw-person-detail")).to_contain_text("Birth year")
    expect(page.locator(".cw-person-detail")).not_to_contain_text("Resident ID number")
    expect(page.locator(".cw-form-register")).to_have_count(0)


def _certified_person(database_url: str) -> certificates.CertificateRow:
    """A person of the worker's community holding a certificate (the demo issues many)."""
    uow = UnitOfWork(url=database_url)
    worker = org.load_actor(uow, "demo-community-worker")
    rows = certificates.list_by_street(worker, uow)
    return next(r for r in rows if r.last_check is not None and r.state == "valid")


def test_the_record_shows_the_certificates_status_read_only_with_a_pointer(voila, demo_database,
                                                                            page):
    held = _certified_person(demo_database)
    page.goto(app_url(voila("demo-community-worker"), "ledger.ipynb", lang="en"))
    pick_person(page, held.person_id, text=held.name, field="open_person")

    status = page.locator(".cw-person-detail .cw-certificate-status")
    expect(status).to_have_class(re.compile(r"\bcw-certificate-valid\b"))
    expect(status.locator(".cw-certificate-field-number td")).to_have_text(held.number)
    expect(status.locator(".cw-certificate-field-issued td")).to_have_text(
        held.issued_on.isoformat())
    year, _passed, on = held.last_check
    expect(status.locator(".cw-certificate-field-last_check td")).to_have_text(
        f"{year}: passed ({on.isoformat()})")
    expect(status.locator(".cw-certificate-field-status td")).to_have_text(
        t("certificates.status.valid", "en"))
    expect(status.locator("a.cw-action-open-certificates")).to_have_attribute(
        "href", "certificates.ipynb?lang=en")
    # The old free-text certificate fields are gone from the register form.
    expect(page.locator(".cw-form-register .cw-field-certificate_number")).to_have_count(0)
    expect(page.locator(".cw-form-register .cw-field-certificate_issued")).to_have_count(0)
