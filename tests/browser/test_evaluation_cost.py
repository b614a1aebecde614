"""The subsidy-cost notebook renders in Voila: the gross cost with its sentence and breakdowns,
a plot over time, the cost per additional placement with its interval and the deadweight share,
and the .xlsx download; in Chinese and English, and only for the roles it is meant for."""

import pytest
from playwright.sync_api import expect

from casework.services import org
from casework.services.uow import UnitOfWork
from evaluation.extract import write_extract
from tests.browser.conftest import app_url

NOTEBOOK = "evaluation_subsidy_cost.ipynb"


NAME = "cost-page"  # the extract's folder under the servers' extracts folder


@pytest.fixture(scope="module")
def extract_dir(demo_database, extracts_dir):
    folder = extracts_dir / NAME
    uow = UnitOfWork(url=demo_database)
    write_extract(org.load_actor(uow, "demo-researcher"), uow, out=folder,
                  purpose="subsidy cost page test")
    return folder


@pytest.mark.parametrize(("lang", "per_placement", "additional", "interval"),
                         [("zh", "元", "新增", "置信区间"),
                          ("en", "yuan per placement", "additional person in work", "95% CI")])
def test_the_cost_page_shows_the_costs_a_plot_and_a_download(voila, page, extract_dir, lang,
                                                             per_placement, additional,
                                                             interval):
    url = app_url(voila("demo-researcher"), NOTEBOOK, lang=lang)
    page.goto(f"{url}&extract={NAME}")

    summary = page.locator(".cw-cost-summary")
    expect(summary).to_contain_text(per_placement, timeout=120_000)
    for by in ("kind", "funding_level", "district", "street", "year", "quarter"):
        expect(page.locator(f".cw-cost-table-{by} table")).to_be_visible()
    plot = page.locator(".cw-figure img.cw-plot")
    expect(plot).to_be_visible()
    assert plot.evaluate("img => img.naturalWidth") > 100
    cost = page.locator(".cw-cost-additional")
    expect(cost).to_contain_text(additional)
    expect(cost).to_contain_text(interval)
    expect(cost).to_contain_text("%")  # the deadweight share
    expect(cost.locator("table")).to_be_visible()
    download = page.locator(".cw-action-download")
    assert download.get_attribute("href").startswith(
        "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,")


def test_the_english_page_names_subsidy_types_and_districts_in_english(voila, page,
                                                                      extract_dir):
    page.goto(f"{app_url(voila('demo-researcher'), NOTEBOOK, lang='en')}&extract={NAME}")

    expect(page.locator(".cw-cost-table-kind")).to_contain_text("job-development subsidy",
                                                                timeout=120_000)
    expect(page.locator(".cw-cost-table-district")).to_contain_text("District")


def test_a_community_worker_is_told_the_page_is_not_for_their_role(voila, page, extract_dir):
    url = app_url(voila("demo-community-worker"), NOTEBOOK, lang="en")
    page.goto(f"{url}&extract={NAME}")

    status = page.locator(".cw-status")
    expect(status).to_contain_text("researcher", timeout=120_000)
    expect(status).to_contain_text("community worker")
    expect(page.locator(".cw-cost-summary")).to_have_count(0)


def test_a_trainer_reads_the_cost_page(voila, page, extract_dir):
    page.goto(f"{app_url(voila('demo-trainer'), NOTEBOOK, lang='en')}&extract={NAME}")

    expect(page.locator(".cw-cost-summary")).to_contain_text("yuan per placement",
                                                             timeout=120_000)


def test_without_an_extract_the_page_says_how_to_write_one(voila, page):
    url = app_url(voila("demo-researcher"), NOTEBOOK, lang="en")
    page.goto(f"{url}&extract=nothing-written-here")

    expect(page.locator(".cw-status")).to_contain_text("casework extract --out")
