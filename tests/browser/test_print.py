"""Offices file paper copies: a home-visit record and a person's ledger card print on their
own on A4 (print media), the page's controls left out; the PDFs are kept as artifacts."""

from __future__ import annotations

from playwright.sync_api import expect

from casework.services import hardship, org, persons, visits
from casework.services.uow import UnitOfWork
from tests.browser.artifacts import screenshot_dir
from tests.browser.conftest import app_url
from tests.browser.widgets import pick_person

WORKER = "demo-community-worker"
A4_WIDTH_PX = 794  # 210 mm at 96 px per inch


def _print_alone(page, record: str) -> None:
    """What the record's print button does before the browser's print dialog."""
    page.locator(f"{record} .cw-action-print").wait_for()
    page.evaluate("""r => { document.querySelector(r).classList.add('cw-print-now');
                            document.body.classList.add('cw-printing'); }""", record)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_WIDTH_PX, "height": 1123})  # A4 at 96 px per inch


def _printed(page, record: str, name: str) -> bytes:
    widths = page.locator(record).evaluate("r => [r.scrollWidth, r.clientWidth]")
    assert widths[0] <= widths[1] <= A4_WIDTH_PX  # nothing runs off the paper
    visible = page.evaluate("""r => [getComputedStyle(document.querySelector(r)).visibility,
        getComputedStyle(document.querySelector('.cw-header')).visibility,
        getComputedStyle(document.querySelector(r + ' .cw-action-print')).display]""", record)
    assert visible == ["visible", "hidden", "none"]
    pdf = page.pdf(format="A4", print_background=True)
    (screenshot_dir() / f"{name}.pdf").write_bytes(pdf)
    return pdf


def test_a_visit_record_prints_alone_on_a4(voila, demo_database, page):
    uow = UnitOfWork(url=demo_database)
    actor = org.load_actor(uow, WORKER)
    household = next(r for r in hardship.households(actor, uow)
                     if visits.visits_of(actor, uow, household_id=r.id))
    latest = visits.visits_of(actor, uow, household_id=household.id)[0]
    page.goto(app_url(voila(WORKER), "home_visits.ipynb"))
    pick_person(page, household.person_id, text=household.name)
    record = page.locator(".cw-visit-record")
    expect(record).to_contain_text(latest["living_conditions"][:10])

    _print_alone(page, ".cw-visit-record")
    pdf = _printed(page, ".cw-visit-record", "home_visit-record-zh")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 1


def test_a_ledger_card_prints_alone_on_a4(voila, demo_database, page):
    uow = UnitOfWork(url=demo_database)
    person = persons.list_persons(org.load_actor(uow, WORKER), uow, limit=1)[0]
    page.goto(app_url(voila(WORKER), "ledger.ipynb", lang="zh") + f"&person={person.id}")
    card = page.locator(".cw-ledger-card")
    expect(card).to_contain_text(person.name or "")

    _print_alone(page, ".cw-ledger-card")
    pdf = _printed(page, ".cw-ledger-card", "ledger-card-zh")
    assert pdf.startswith(b"%PDF")
