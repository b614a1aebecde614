"""The certificates page 《再就业优惠证》 in the Voila app: the street officer issues a certificate,
records an annual check (a failed one without a remark is refused beside the remark) and reports
one lost and reissued through the page; a community worker opens it from the landing page and
only reads the list."""

import datetime as dt
import re

from playwright.sync_api import expect

from casework.i18n import t
from casework.services import certificates, org
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url
from tests.browser.widgets import choose, pick_person, type_text

STREET, WORKER = "demo-street-officer", "demo-community-worker"


def _as(database_url: str, user: str):
    uow = UnitOfWork(url=database_url)
    return org.load_actor(uow, user), uow


def _candidate(database_url: str) -> certificates.CandidateRow:
    officer, uow = _as(database_url, STREET)
    return certificates.candidates(officer, uow, street_id=officer.unit_id)[0]


def _due_for_check(database_url: str) -> certificates.CertificateRow:
    """A certificate in force in the officer's street with a year still to be checked."""
    officer, uow = _as(database_url, STREET)
    return next(r for r in certificates.list_by_street(officer, uow, street_id=officer.unit_id)
                if r.state in ("valid", "check_missed") and r.due_year is not None)


def _status(database_url: str, person_id: int) -> certificates.CertificateRow | None:
    officer, uow = _as(database_url, STREET)
    return certificates.status(officer, uow, person_id=person_id)


def test_the_street_officer_issues_a_certificate_through_the_page(voila, demo_database, page):
    person = _candidate(demo_database)
    page.goto(app_url(voila(STREET), "certificates.ipynb"))

    form = page.locator(".cw-form-issue")
    pick_person(form, person.id, text=person.name)
    form.locator(".cw-action-issue").click()

    expect(form.locator(".cw-status .cw-status-ok")).to_be_visible()
    held = _status(demo_database, person.id)
    assert held is not None and held.state == "valid" and held.issued_on == dt.date.today()
    expect(form.locator(".cw-status")).to_contain_text(held.number)
    row = page.locator(f'.cw-certificate-list tr[data-certificate="{held.id}"]')
    expect(row).to_have_class(re.compile(r"\bcw-certificate-valid\b"))
    expect(row.locator("td .cw-state-done")).to_have_count(1)
    expect(row.locator("td").first).to_have_text(held.number)
    assert held.number.split("-")[1] == str(dt.date.today().year)


def test_the_annual_check_is_recorded_through_the_page_and_a_failure_needs_a_remark(
        voila, demo_database, page):
    held = _due_for_check(demo_database)
    page.goto(app_url(voila(STREET), "certificates.ipynb", lang="en"))
    type_text(page.locator(".cw-field-search input"), held.number)
    page.locator(".cw-action-search").click()
    expect(page.locator(".cw-certificate-list .cw-certificate")).to_have_count(1)

    form = page.locator(".cw-form-check")
    choose(form.locator(".cw-field-certificate select"),
           lambda label: label.startswith(held.number))
    expect(form.locator(".cw-field-year input")).to_have_value(str(held.due_year))
    form.locator(".cw-field-passed select").select_option(index=1)  # failed
    form.locator(".cw-action-check").click()
    expect(form.locator(".cw-error-remark")).to_contain_text(
        t("certificates.remark_needed", "en"))

    form.locator(".cw-field-passed select").select_option(index=0)  # passed
    form.locator(".cw-action-check").click()

    expect(form.locator(".cw-status .cw-status-ok")).to_contain_text(
        t("certificates_ui.checked", "en", year=held.due_year, number=held.number,
          outcome=t("certificates_ui.passed", "en")))
    after = _status(demo_database, held.person_id)
    assert after.last_check == (held.due_year, True, dt.date.today())
    expect(page.locator(f'.cw-certificate-list tr[data-certificate="{held.id}"] td').nth(4)
           ).to_contain_text(f"{held.due_year}: passed")


def test_a_lost_certificate_is_reported_and_reissued_under_a_new_number(voila, demo_database,
                                                                         page):
    officer, uow = _as(demo_database, STREET)
    held = next(r for r in certificates.list_by_street(officer, uow, street_id=officer.unit_id)
                if r.state == "valid" and r.replaces is None)
    page.goto(app_url(voila(STREET), "certificates.ipynb", lang="en"))
    type_text(page.locator(".cw-field-search input"), held.number)
    page.locator(".cw-action-search").click()

    form = page.locator(".cw-form-lost")
    choose(form.locator(".cw-field-certificate select"),
           lambda label: label.startswith(held.number))
    form.locator(".cw-action-report-lost").click()

    expect(form.locator(".cw-status .cw-status-ok")).to_contain_text(held.number)
    new = _status(demo_database, held.person_id)
    assert (new.state, new.replaces) == ("valid", held.number) and new.number != held.number
    expect(form.locator(".cw-status")).to_contain_text(new.number)
    expect(page.locator(f'.cw-certificate-list tr[data-certificate="{held.id}"]')).to_have_class(
        re.compile(r"\bcw-certificate-lost\b"))


def test_a_community_worker_opens_the_list_from_the_landing_page_and_has_no_forms(voila, page):
    page.goto(app_url(voila(WORKER), "index.ipynb"))
    page.locator(".cw-app-certificates a").click()
    page.locator(".cw-certificates").wait_for()  # a fresh kernel: wait as for any page load

    expect(page.locator(".cw-certificate-list .cw-certificate").first).to_be_visible()
    expect(page.locator(".cw-certificates")).to_contain_text(
        t("certificates_ui.read_only", "zh"))
    expect(page.locator(".cw-form-issue")).to_have_count(0)
