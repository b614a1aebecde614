"""A person named ``<img src=x onerror=alert(1)>``: every page that lists people shows the name
as text, and no script runs.

The pages run on a demo database of their own in which everyone carries that name and an
address that is markup too, so every list, whatever it selects, holds them. One more such
person is registered through the ledger's form, as a caseworker would type it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from casework.ids import make_resident_id
from casework.services import org, persons
from casework.services.uow import UnitOfWork
from tests.browser.conftest import _start_voila, app_url

HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_ADDRESS = "<img src=x onerror=alert(2)>新海一村"
WORKER, STREET = "demo-community-worker", "demo-street-officer"
SLOW = 60_000  # ms: a page of 1,500 people, drawn on a busy two-core machine


@pytest.fixture(scope="module")
def hostile_database(tmp_path_factory) -> str:
    """The browser tests' demo, then everyone renamed through the service layer."""
    from casework import demo
    from casework.db import migrate

    url = f"sqlite:///{tmp_path_factory.mktemp('xss') / 'demo.db'}"
    migrate.upgrade(url)
    demo.generate(UnitOfWork(url=url), persons=1500, seed=11, as_of=dt.date.today())
    uow = UnitOfWork(url=url)
    admin = org.load_actor(uow, "demo-admin")
    for row in persons.list_persons(admin, uow, limit=100_000):
        persons.update_person(admin, uow, person_id=row.id, expected_version=row.version,
                              changes={"name": HOSTILE, "address": HOSTILE_ADDRESS})
    return url


@pytest.fixture(scope="module")
def hostile_voila(hostile_database):
    servers = {}

    def start(user: str) -> str:
        if user not in servers:
            servers[user] = _start_voila(user, hostile_database)
        return servers[user][1]

    yield start
    for process, _ in servers.values():
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def watched(page):
    """The page, with every dialog it opens recorded (and dismissed)."""
    dialogs: list[str] = []

    def seen(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", seen)
    page.dialogs = dialogs
    return page


@dataclass(frozen=True)
class Listing:
    notebook: str
    user: str
    root: str  # the app's own cw-* class, present once its widgets are drawn
    shows_names: bool = True
    picker: bool = False  # a person picker shows names once something is typed into it


LISTINGS = [
    Listing("ledger.ipynb", WORKER, ".cw-ledger", picker=True),
    Listing("hardship_register.ipynb", WORKER, ".cw-hardship-register", picker=True),
    Listing("home_visits.ipynb", WORKER, ".cw-home-visits"),
    Listing("training_enrolment.ipynb", "demo-trainer", ".cw-training", picker=True),
    Listing("job_postings.ipynb", WORKER, ".cw-job-postings", picker=True),
    Listing("placements.ipynb", WORKER, ".cw-placements", picker=True),
    Listing("loans.ipynb", WORKER, ".cw-loans", picker=True),
    Listing("certificates.ipynb", STREET, ".cw-certificates", picker=True),
    Listing("agency.ipynb", STREET, ".cw-agency", picker=True),
    Listing("retirees.ipynb", WORKER, ".cw-retirees", picker=True),
    # Progress counts people and names units and staff; the landing page lists apps. Neither
    # names a person, but both must still draw no markup.
    Listing("progress.ipynb", STREET, ".cw-progress-page", shows_names=False),
    Listing("index.ipynb", WORKER, ".cw-landing", shows_names=False),
]


def assert_no_markup_ran(page) -> None:
    assert page.locator('img[src="x"]').count() == 0
    assert page.dialogs == []


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda x: x.notebook.removesuffix(".ipynb"))
def test_a_name_that_is_markup_shows_as_text_and_runs_nothing(hostile_voila, watched, listing):
    watched.goto(app_url(hostile_voila(listing.user), listing.notebook, lang="en"),
                 wait_until="commit")
    root = watched.locator(listing.root)
    root.wait_for(timeout=SLOW)

    if listing.picker:
        root.locator(".cw-person-picker input").first.fill("<img")
    if listing.shows_names:
        expect(root).to_contain_text(HOSTILE, timeout=SLOW)
    assert_no_markup_ran(watched)


def test_a_person_registered_through_the_form_with_a_markup_name_shows_it_as_text(
        hostile_voila, watched):
    watched.goto(app_url(hostile_voila(WORKER), "ledger.ipynb", lang="en"), wait_until="commit")
    form = watched.locator(".cw-form-register")
    number = make_resident_id("320705", dt.date(1969, 2, 28), 417, "F")
    form.locator(".cw-field-id_number input").fill(number)
    form.locator(".cw-field-name input").fill(HOSTILE)
    form.locator(".cw-field-address input").fill(HOSTILE_ADDRESS)
    form.locator(".cw-field-category select").select_option(index=0)
    form.locator(".cw-field-confirm_similar input").check()  # everyone here has this name
    form.locator(".cw-field-address input").press("Tab")
    form.locator(".cw-action-register").click()

    expect(form.locator(".cw-status .cw-status-ok")).to_be_visible(timeout=SLOW)
    detail = watched.locator(".cw-person-detail")
    expect(detail).to_contain_text(number, timeout=SLOW)
    expect(detail).to_contain_text(HOSTILE)
    expect(detail).to_contain_text(HOSTILE_ADDRESS)
    expect(watched.locator(".cw-form-edit .cw-field-name input")).to_have_value(HOSTILE)
    assert_no_markup_ran(watched)
