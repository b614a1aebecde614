"""Two browsers change one ledger record at once: the second save is refused and shows what
the first changed, nothing is overwritten, what was typed stays, and after a reload both
changes are kept."""

from playwright.sync_api import expect

from casework.services import org, persons
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url
from tests.browser.widgets import pick_person, type_text

WORKER = "demo-community-worker"
SLOW = 30_000  # ms: a save and a re-read on a busy two-core machine


def _someone_with_a_phone(database_url: str) -> persons.PersonDetail:
    uow = UnitOfWork(url=database_url)
    worker = org.load_actor(uow, WORKER)
    for row in persons.list_persons(worker, uow, limit=200)[40:]:
        detail = persons.get_person(worker, uow, person_id=row.id)
        if detail.values["phone"] and detail.values["address"]:
            return detail
    raise AssertionError("the demo has nobody with a phone and an address")


def _stored(database_url: str, person_id: int) -> dict:
    uow = UnitOfWork(url=database_url)
    return persons.get_person(org.load_actor(uow, WORKER), uow, person_id=person_id).values


def _open_record(browser, base: str, person: persons.PersonDetail):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(60_000)
    page.goto(app_url(base, "ledger.ipynb", lang="en"), wait_until="commit")
    pick_person(page, person.values["id"], text=person.values["name"], field="open_person")
    expect(page.locator(".cw-form-edit .cw-field-phone input")).to_have_value(
        person.values["phone"], timeout=SLOW)
    return page


def test_the_second_save_shows_what_changed_overwrites_nothing_and_succeeds_after_a_reload(
        voila, demo_database, browser):
    person = _someone_with_a_phone(demo_database)
    person_id, old_address = person.values["id"], person.values["address"]
    first = _open_record(browser, voila(WORKER), person)
    second = _open_record(browser, voila(WORKER), person)
    try:
        type_text(first.locator(".cw-form-edit .cw-field-phone input"), "0518-85777777")
        first.locator(".cw-form-edit .cw-action-update").click()
        expect(first.locator(".cw-form-edit .cw-status .cw-status-ok")).to_be_visible(timeout=SLOW)

        edit = second.locator(".cw-form-edit")
        type_text(edit.locator(".cw-field-address input"), "新浦区海连路8号")
        edit.locator(".cw-action-update").click()

        expect(edit.locator(".cw-status .cw-status-error")).to_be_visible(timeout=SLOW)
        phone = second.locator(".cw-conflict .cw-conflict-field-phone")
        expect(phone.locator(".cw-conflict-read")).to_have_text(person.values["phone"],
                                                                timeout=SLOW)
        expect(phone.locator(".cw-conflict-now")).to_have_text("0518-85777777")
        expect(second.locator(".cw-conflict .cw-conflict-field-address")).to_have_count(0)
        expect(edit.locator(".cw-field-address input")).to_have_value("新浦区海连路8号")
        stored = _stored(demo_database, person_id)
        assert (stored["phone"], stored["address"]) == ("0518-85777777", old_address)

        second.locator(".cw-action-reload").click()
        expect(edit.locator(".cw-field-phone input")).to_have_value("0518-85777777",
                                                                   timeout=SLOW)
        expect(edit.locator(".cw-field-address input")).to_have_value("新浦区海连路8号")
        edit.locator(".cw-action-update").click()

        expect(edit.locator(".cw-status .cw-status-ok")).to_be_visible(timeout=SLOW)
        stored = _stored(demo_database, person_id)
        assert (stored["phone"], stored["address"]) == ("0518-85777777", "新浦区海连路8号")
    finally:
        first.context.close()
        second.context.close()
