"""A person picker in a real app, on a street of more than 5,000 people: the oldest registered
jobseeker, whom the old list of the 5,000 newest left out, is found by typing their name and
can be chosen; a common surname says that more match than are shown."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import expect
from sqlalchemy.engine import make_url

from casework.i18n import t
from casework.services import org, persons
from casework.services.uow import UnitOfWork
from tests.browser.conftest import _start_voila, app_url
from tests.browser.widgets import pick_person
from tests.crowd import OLDEST_NAME, fill_street

WORKER = "demo-community-worker"


@pytest.fixture(scope="module")
def crowded(demo_database, tmp_path_factory) -> tuple[str, int]:
    """A copy of the browser demo whose worker's community holds 5,050 more people; returns
    (its URL, the id of the oldest registered one)."""
    path = tmp_path_factory.mktemp("crowded") / "demo.db"
    with sqlite3.connect(make_url(demo_database).database) as source, \
            sqlite3.connect(path) as copy:
        source.backup(copy)
    url = f"sqlite:///{path}"
    uow = UnitOfWork(url=url)
    worker = org.load_actor(uow, WORKER)
    oldest = fill_street(uow, worker.unit_id)
    assert oldest not in {p.id for p in persons.list_persons(worker, uow, limit=5000)}
    return url, oldest


@pytest.fixture(scope="module")
def crowded_voila(crowded):
    process, base = _start_voila(WORKER, crowded[0])
    yield base
    process.terminate()
    process.wait(timeout=20)


def test_the_oldest_jobseeker_of_a_crowded_street_is_found_by_name_and_chosen(
        crowded, crowded_voila, page):
    _, oldest = crowded
    page.goto(app_url(crowded_voila, "job_postings.ipynb", lang="en"), wait_until="commit")
    picker = page.locator(".cw-job-postings .cw-person-picker")

    label = pick_person(picker, oldest, text=OLDEST_NAME)

    assert label.startswith(f"{OLDEST_NAME} · ")
    expect(picker.locator(".cw-field-person select")).to_have_value(str(
        _option_value(picker, oldest)))
    expect(picker.locator(".cw-search-note-person")).to_contain_text(
        t("person_search.found", "en", count=1))
    # The kernel has the choice: the postings are ranked for that person.
    expect(page.locator(".cw-person-matches")).not_to_contain_text(
        t("jobs_ui.choose_person", "en"))


def test_a_common_surname_in_a_crowded_street_says_to_type_more(crowded_voila, page):
    page.goto(app_url(crowded_voila, "job_postings.ipynb", lang="en"), wait_until="commit")
    picker = page.locator(".cw-job-postings .cw-person-picker")

    picker.locator(".cw-field-person_search input").fill("张")

    expect(picker.locator(".cw-search-note-person")).to_contain_text(
        t("person_search.more", "en", limit=20).split(":")[0])
    # The blank, then the 20 shown.
    expect(picker.locator(".cw-field-person select option")).to_have_count(21)


def _option_value(picker, person_id: int) -> str:
    """The select's option value for the person (ipywidgets numbers its options)."""
    return picker.locator(".cw-field-person select option", has_text=f"({person_id})"
                          ).get_attribute("value")
