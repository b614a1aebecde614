"""A worker records that a posting's investing body is a newly opened project: the posting list
marks it (the job-development subsidy asks for it), and a street office cannot be "new"."""

import uuid

from playwright.sync_api import expect

from casework import vocab
from casework.i18n import t
from casework.services import jobs, org
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url
from tests.browser.widgets import type_text

WORKER = "demo-community-worker"


def _fill(form, title: str, kind: str) -> None:
    type_text(form.locator(".cw-field-title input"), title)
    form.locator(".cw-field-field select").select_option(index=0)
    form.locator(".cw-field-investor_kind select").select_option(
        index=vocab.INVESTOR_KINDS.index(kind))
    type_text(form.locator(".cw-field-investor_name input"), "Xinhai convenience services")
    form.locator(".cw-field-investor_new input").check()
    form.locator(".cw-field-unit_id select").select_option(index=0)
    form.locator(".cw-field-occupation select").select_option(index=0)
    type_text(form.locator(".cw-field-monthly_wage input"), "600")
    type_text(form.locator(".cw-field-contract_months input"), "36")
    type_text(form.locator(".cw-field-openings input"), "3")


def test_a_new_service_project_is_recorded_and_marked_and_a_street_office_cannot_be_new(
        voila, demo_database, page):
    title = f"Home helper {uuid.uuid4().hex[:6]}"
    page.goto(app_url(voila(WORKER), "job_postings.ipynb", lang="en"))
    form = page.locator(".cw-form-posting")

    _fill(form, title, "street")
    form.locator(".cw-action-create-posting").click()
    expect(form.locator(".cw-error-investor_new")).to_have_text(
        t("jobs.investor_new_kind", "en"))
    expect(form.locator(".cw-field-investor_new input")).to_be_checked()

    form.locator(".cw-field-investor_kind select").select_option(
        index=vocab.INVESTOR_KINDS.index("service_project"))
    form.locator(".cw-action-create-posting").click()
    expect(form.locator(".cw-status .cw-status-ok")).to_be_visible()

    uow = UnitOfWork(url=demo_database)
    posting = next(p for p in jobs.postings(org.load_actor(uow, WORKER), uow)
                   if p.title == title)
    assert (posting.investor_kind, posting.investor_new) == ("service_project", True)
    cell = page.locator(f'.cw-posting-list .cw-posting[data-posting="{posting.id}"] '
                        "td.cw-investor-new")
    expect(cell).to_contain_text(t("jobs_ui.investor_new_mark", "en"))
