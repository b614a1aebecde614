"""The affairs-agency app in Chromium: the street office receives a file into custody and
releases it, a fee above the low standard is refused beside the fee with what was typed kept,
a continuation is recorded, the list filters by status, and a community worker only reads."""

import datetime as dt
import uuid

from playwright.sync_api import expect

from casework.i18n import t
from casework.services import agency, org, persons
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url
from tests.browser.widgets import choose, type_text

STREET = "demo-street-officer"
WORKER = "demo-community-worker"


def _officer(database_url: str):
    uow = UnitOfWork(url=database_url)
    return org.load_actor(uow, STREET), uow


def _people_without_a_file(database_url: str, count: int) -> list[persons.PersonSummary]:
    """Laid-off people of the officer's street who never had a file here, ``count`` of them."""
    officer, uow = _officer(database_url)
    held = {f.person_id for f in agency.files(officer, uow, limit=100_000)}
    found = [p for p in persons.list_persons(officer, uow, limit=5000)
             if p.category == "laid_off" and p.id not in held]
    assert len(found) >= count, "the demo street must have laid-off people without a file"
    return found[:count]


def _choose_person(form, person: persons.PersonSummary) -> None:
    """Search by name, wait for the person among the matches, choose them."""
    type_text(form.locator(".cw-field-person_search input"), person.name)
    select = form.locator(".cw-field-person select")
    expect(select.locator("option", has_text=f"({person.id})")).to_have_count(1)
    choose(select, lambda label: f"({person.id})" in label)


def _open(page, url: str) -> None:
    """Load the app and wait for its widgets (they arrive after the page's HTML)."""
    page.goto(url, wait_until="commit")
    page.locator(".cw-agency").wait_for()


def _number() -> str:
    return f"DA-T-{uuid.uuid4().hex[:8]}"


def _receive(page, person: persons.PersonSummary, number: str, fee: str = "") -> None:
    form = page.locator(".cw-form-receive")
    _choose_person(form, person)
    type_text(form.locator(".cw-field-file_number input"), number)
    type_text(form.locator(".cw-field-received_from input"), "连云港碱厂")
    if fee:
        type_text(form.locator(".cw-field-fee_yuan input"), fee)
    form.locator(".cw-action-receive-file").click()


def test_the_street_office_receives_a_file_into_custody_and_releases_it(voila, demo_database,
                                                                       page):
    (person,) = _people_without_a_file(demo_database, 1)
    number = _number()
    _open(page, app_url(voila(STREET), "agency.ipynb"))

    _receive(page, person, number)

    expect(page.locator(".cw-form-receive .cw-status .cw-status-ok")).to_contain_text(number)
    expect(page.locator(f'.cw-file-list .cw-file-held[data-person="{person.id}"]')
           ).to_contain_text(number)
    release = page.locator(".cw-form-release")
    choose(release.locator(".cw-field-file select"), lambda label: label.startswith(number))
    type_text(release.locator(".cw-field-released_to input"), "连云港市人才服务中心")
    release.locator(".cw-action-release-file").click()

    expect(release.locator(".cw-status .cw-status-ok")).to_contain_text(number)
    expect(page.locator(f'.cw-file-list .cw-file-released[data-person="{person.id}"]')
           ).to_contain_text("连云港市人才服务中心")
    expect(page.locator(f'.cw-file-list .cw-file-released[data-person="{person.id}"] '
                        ".cw-state-done")).to_have_count(1)
    officer, uow = _officer(demo_database)
    [row] = agency.person_records(officer, uow, person_id=person.id).files
    assert (row.file_number, row.status, row.released_on) == (number, "released",
                                                              uow.today())


def test_a_fee_above_the_low_standard_is_refused_beside_the_fee_and_the_form_is_kept(
        voila, demo_database, page):
    (person,) = _people_without_a_file(demo_database, 1)
    number = _number()
    _open(page, app_url(voila(STREET), "agency.ipynb"))

    _receive(page, person, number, fee="500")

    form = page.locator(".cw-form-receive")
    expect(form.locator(".cw-error-fee_yuan")).not_to_be_empty()
    expect(form.locator(".cw-field-file_number input")).to_have_value(number)
    expect(form.locator(".cw-field-fee_yuan input")).to_have_value("500")
    officer, uow = _officer(demo_database)
    assert agency.person_records(officer, uow, person_id=person.id).files == []


def test_a_continuation_of_pension_insurance_is_recorded_and_listed(voila, demo_database, page):
    (person,) = _people_without_a_file(demo_database, 1)
    _open(page, app_url(voila(STREET), "agency.ipynb"))
    form = page.locator(".cw-form-continuation")

    _choose_person(form, person)
    form.locator(".cw-field-kind select").select_option(index=0)  # pension
    type_text(form.locator(".cw-field-from_unit input"), "锦屏磷矿")
    type_text(form.locator(".cw-field-to_unit input"), "社区服务中心")
    type_text(form.locator(".cw-field-months_credited input"), "144")
    form.locator(".cw-action-record-continuation").click()

    expect(form.locator(".cw-status .cw-status-ok")).to_be_visible()
    expect(page.locator(f'.cw-continuation-list [data-person="{person.id}"]')
           ).to_contain_text("锦屏磷矿")
    officer, uow = _officer(demo_database)
    [row] = agency.person_records(officer, uow, person_id=person.id).continuations
    assert (row.kind, row.months_credited) == ("pension", 144)


def test_the_list_shows_only_released_files_when_asked(voila, demo_database, page):
    (person,) = _people_without_a_file(demo_database, 1)
    officer, uow = _officer(demo_database)
    file_id = agency.receive_file(officer, uow, command=agency.ReceiveFile(
        person_id=person.id, file_number=_number(), received_on=uow.today() - dt.timedelta(
            days=100), received_from="连云港碱厂"))
    agency.release_file(officer, uow, command=agency.ReleaseFile(
        file_id=file_id, expected_version=1, released_on=uow.today(), released_to="用人单位"))
    _open(page, app_url(voila(STREET), "agency.ipynb"))
    expect(page.locator(".cw-file-list .cw-file-held").first).to_be_visible()

    page.locator(".cw-field-file_status select").select_option(index=2)  # released

    expect(page.locator(f'.cw-file-list [data-file="{file_id}"]')).to_be_visible()
    expect(page.locator(".cw-file-list .cw-file-held")).to_have_count(0)


def test_a_community_worker_reads_the_lists_in_english_but_has_no_forms(voila, page):
    _open(page, app_url(voila(WORKER), "agency.ipynb", lang="en"))

    expect(page.locator(".cw-fees-note")).to_contain_text("low standard")
    expect(page.locator(".cw-file-list")).to_be_visible()
    expect(page.locator(".cw-continuation-list")).to_be_visible()
    expect(page.locator(".cw-agency")).to_contain_text(t("agency_ui.read_only", "en"))
    expect(page.locator(".cw-form-receive")).to_have_count(0)


def test_the_landing_page_links_the_agency_and_retirees_apps(voila, page):
    page.goto(app_url(voila(STREET), "index.ipynb"), wait_until="commit")
    page.locator(".cw-app-list").wait_for()

    expect(page.locator(".cw-app-agency a")).to_have_attribute("href", "agency.ipynb?lang=zh")
    expect(page.locator(".cw-app-retirees a")).to_have_attribute("href",
                                                                 "retirees.ipynb?lang=zh")
    expect(page.locator(".cw-app-agency")).to_contain_text(t("apps.agency.title", "zh"))
