"""The public job board: a posting a worker creates shows on it, with no personal data anywhere."""

import uuid

from playwright.sync_api import expect

from casework import vocab
from casework.services import jobs, org, persons
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url
from tests.browser.widgets import type_text

WORKER = "demo-community-worker"
NOBODY = "nobody-has-this-account"  # the board must not need an account


def _personal_data(database_url: str) -> set[str]:
    """Every name of three or more characters, ID number, phone and address on the ledger.

    One- and two-character names are left out: they could occur in ordinary text.
    """
    uow = UnitOfWork(url=database_url)
    admin = org.load_actor(uow, "demo-admin")
    found: set[str] = set()
    for summary in persons.list_persons(admin, uow, limit=100_000):
        values = persons.get_person(admin, uow, person_id=summary.id).values
        found.update(values[k] for k in ("id_number", "phone", "address") if values.get(k))
        if len(values["name"]) >= 3:
            found.add(values["name"])
    assert len(found) > 3 * 1000, "the demo ledger must have ID numbers, phones and addresses"
    return found


def _post_through_the_service(database_url: str, title: str, field: str) -> int:
    uow = UnitOfWork(url=database_url)
    worker = org.load_actor(uow, WORKER)
    return jobs.create_posting(worker, uow, values={
        "title": title, "field": field, "investor_kind": "community",
        "investor_name": "Community service station", "unit_id": worker.unit_id,
        "occupation": next(iter(vocab.occupations())), "monthly_wage": 500,
        "contract_months": 6, "openings": 1})


def test_a_posting_created_is_visible_on_the_public_board_with_no_personal_data_in_the_page(
        voila, demo_database, page):
    title = f"Community library assistant {uuid.uuid4().hex[:6]}"
    page.goto(app_url(voila(WORKER), "job_postings.ipynb", lang="en"))
    form = page.locator(".cw-form-posting")
    type_text(form.locator(".cw-field-title input"), title)
    form.locator(".cw-field-field select").select_option(
        index=vocab.COMMUNITY_FIELDS.index("culture"))
    form.locator(".cw-field-investor_kind select").select_option(index=1)
    type_text(form.locator(".cw-field-investor_name input"), "Lunan community")
    form.locator(".cw-field-unit_id select").select_option(index=0)
    form.locator(".cw-field-occupation select").select_option(index=0)
    form.locator(".cw-field-skills select").select_option(index=[0])
    type_text(form.locator(".cw-field-monthly_wage input"), "700")
    type_text(form.locator(".cw-field-contract_months input"), "24")
    type_text(form.locator(".cw-field-openings input"), "3")
    form.locator(".cw-action-create-posting").click()
    expect(form.locator(".cw-status .cw-status-ok")).to_be_visible()
    uow = UnitOfWork(url=demo_database)
    [posting] = [p for p in jobs.postings(org.load_actor(uow, WORKER), uow) if p.title == title]

    page.goto(app_url(voila(NOBODY), "job_board.ipynb", lang="en"))
    row = page.locator(f'.cw-board-postings .cw-board-posting[data-posting="{posting.id}"]')
    expect(row).to_contain_text(title)
    expect(row).to_contain_text("Lunan community")

    html = page.content()
    assert [item for item in _personal_data(demo_database) if item in html] == []


def test_the_board_lists_postings_and_notices_by_field_and_by_street(voila, demo_database, page):
    culture = _post_through_the_service(demo_database, f"Choir leader {uuid.uuid4().hex[:6]}",
                                        "culture")
    watch = _post_through_the_service(demo_database, f"Night watch {uuid.uuid4().hex[:6]}",
                                      "public_security")
    uow = UnitOfWork(url=demo_database)
    notice = jobs.publish_notice(org.load_actor(uow, WORKER), uow, values={
        "unit_id": org.load_actor(uow, WORKER).unit_id, "field": "culture",
        "title": f"Choir singers wanted {uuid.uuid4().hex[:6]}"})
    streets = [u.id for u in org.units(org.SYSTEM, uow, level="street")]
    [home] = [s.id for s in org.streets_for(org.load_actor(uow, WORKER), uow)]
    elsewhere = next(s for s in streets if s != home)
    page.goto(app_url(voila(NOBODY), "job_board.ipynb"))
    culture_row = page.locator(f'.cw-board-posting[data-posting="{culture}"]')
    watch_row = page.locator(f'.cw-board-posting[data-posting="{watch}"]')
    notice_row = page.locator(f'.cw-board-notices .cw-board-notice[data-notice="{notice}"]')
    expect(culture_row).to_be_visible()
    expect(watch_row).to_be_visible()

    page.locator(".cw-field-field select").select_option(
        index=1 + vocab.COMMUNITY_FIELDS.index("culture"))  # 0 is "all fields"
    expect(watch_row).to_have_count(0)
    expect(culture_row).to_be_visible()
    expect(notice_row).to_be_visible()
    rows = page.locator(".cw-board-postings .cw-board-posting")
    assert {rows.nth(i).get_attribute("data-field") for i in range(rows.count())} == {"culture"}

    page.locator(".cw-field-street select").select_option(index=1 + streets.index(home))
    expect(culture_row).to_be_visible()
    expect(notice_row).to_be_visible()
    page.locator(".cw-field-street select").select_option(index=1 + streets.index(elsewhere))
    expect(culture_row).to_have_count(0)
    expect(notice_row).to_have_count(0)

    page.locator(".cw-field-street select").select_option(index=0)  # all streets
    page.locator(".cw-field-field select").select_option(index=0)  # all fields
    expect(watch_row).to_be_visible()
    expect(culture_row).to_be_visible()
