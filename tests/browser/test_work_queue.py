"""The landing page's work queue in headless Chromium: a demo community worker reads how many of
their households are overdue for a home visit and follows the count into the home-visit app."""

from collections import Counter

import pytest
from playwright.sync_api import expect

from casework.services import hardship, org
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url

WORKER = "demo-community-worker"


def _due_states(database_url: str) -> Counter:
    """The worker's households by visit state, from the home-visit list itself."""
    uow = UnitOfWork(url=database_url)
    return Counter(r.due.state for r in hardship.households(org.load_actor(uow, WORKER), uow))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_worker_follows_the_overdue_count_into_the_home_visit_app(voila, demo_database, page,
                                                                    lang):
    overdue = _due_states(demo_database)["overdue"]
    assert overdue, "the demo community must have overdue households"
    page.goto(app_url(voila(WORKER), "index.ipynb", lang=lang))

    link = page.locator(".cw-work-queue a.cw-queue-visits_overdue")
    expect(link.locator(".cw-queue-count")).to_have_text(str(overdue))
    link.click()

    expect(page).to_have_url(f"{app_url(voila(WORKER), 'home_visits.ipynb', lang=lang)}")
    expect(page.locator(".cw-home-visits .cw-household")).not_to_have_count(0)
    expect(page.locator(".cw-home-visits .cw-household.cw-due-overdue")).to_have_count(overdue)


def test_the_worker_is_offered_only_counts_of_apps_they_may_open(voila, page):
    page.goto(app_url(voila(WORKER), "index.ipynb", lang="en"))

    queue = page.locator(".cw-work-queue")
    expect(queue.locator("a.cw-queue-visits_due")).to_have_attribute(
        "href", "home_visits.ipynb?lang=en")
    expect(queue.locator("a.cw-queue-loan_steps")).to_have_attribute("href", "loans.ipynb?lang=en")
    expect(queue.locator("a.cw-queue-subsidy_steps")).to_have_count(0)
    expect(queue.locator("a[class^='cw-queue-courses']")).to_have_count(0)
    expect(page.locator(".cw-app-list .cw-app-home_visits")).to_be_visible()
