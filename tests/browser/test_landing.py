"""The landing page renders through Voila in headless Chromium, in both languages."""

from playwright.sync_api import expect

from tests.browser.conftest import app_url


def test_the_landing_page_shows_the_acting_account_and_the_apps(voila, page):
    page.goto(app_url(voila("demo-community-worker"), "index.ipynb"))

    status = page.locator(".cw-status")
    expect(status).to_contain_text("demo-community-worker")
    expect(status).to_contain_text("社区劳动保障事务站工作人员")
    expect(page.locator(".cw-landing h2")).to_have_text("社区就业再就业服务")


def test_the_landing_page_switches_to_english_by_query_string(voila, page):
    page.goto(app_url(voila("demo-community-worker"), "index.ipynb", lang="en"))

    expect(page.locator(".cw-status")).to_contain_text("community worker")
    page.locator(".cw-action-language").click()
    expect(page.locator(".cw-landing h2")).to_have_text("社区就业再就业服务")


def test_an_unknown_account_gets_a_clear_message_not_a_traceback(voila, page):
    page.goto(app_url(voila("nobody"), "index.ipynb", lang="en"))

    expect(page.locator(".cw-status")).to_contain_text("There is no active account named 'nobody'")
    expect(page.locator("body")).not_to_contain_text("Traceback")
