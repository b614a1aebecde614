"""The ledger's list sorts, filters and pages, and a name opens that person's record."""

from playwright.sync_api import expect

from casework.services import org, persons
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url

WORKER = "demo-community-worker"


def test_the_ledger_list_sorts_filters_and_opens_a_record(voila, demo_database, page):
    uow = UnitOfWork(url=demo_database)
    newest = persons.list_persons(org.load_actor(uow, WORKER), uow, limit=500)
    wanted = next(p for p in newest[20:] if p.name)  # not on the first page until filtered
    page.goto(app_url(voila(WORKER), "ledger.ipynb", lang="en"))
    ids = page.locator(".cw-table-ledger td.cw-col-id")
    expect(ids.first).to_have_text(str(newest[0].id))

    page.locator(".cw-field-ledger-sort select").select_option(index=1)  # the record number
    expect(ids.first).to_have_text(str(min(p.id for p in newest)))
    page.locator(".cw-field-ledger-filter input").fill(wanted.name)
    page.locator(".cw-field-ledger-filter input").press("Enter")
    row = page.locator(f'.cw-ledger-row[data-person="{wanted.id}"]')
    expect(row).to_be_visible()

    row.locator("a").click()
    expect(page.locator(".cw-ledger-card")).to_contain_text(wanted.name)
