"""The training-evaluation notebook renders in Voila with its plot, its sentences and the
.xlsx download, in Chinese and English."""

import pytest
from playwright.sync_api import expect

from casework.services import org
from casework.services.uow import UnitOfWork
from evaluation.extract import write_extract
from tests.browser.conftest import app_url


@pytest.fixture(scope="module")
def extract_dir(demo_database, tmp_path_factory):
    folder = tmp_path_factory.mktemp("extract") / "x"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CASEWORK_EXTRACT_SALT", "ab" * 32)
        uow = UnitOfWork(url=demo_database)
        write_extract(org.load_actor(uow, "demo-researcher"), uow, out=folder)
    return folder


@pytest.mark.parametrize(("lang", "heading"),
                         [("zh", "培训效果"), ("en", "The effect of training")])
def test_the_evaluation_page_shows_the_effect_a_plot_and_a_download(voila, page, extract_dir,
                                                                    lang, heading):
    url = app_url(voila("demo-researcher"), "evaluation_training.ipynb", lang=lang)
    page.goto(f"{url}&extract={extract_dir}")

    expect(page.locator(".cw-evaluation")).to_contain_text(heading, timeout=120_000)
    plot = page.locator(".cw-figure img.cw-plot")
    expect(plot).to_be_visible()
    assert plot.evaluate("img => img.naturalWidth") > 100
    download = page.locator(".cw-action-download")
    assert download.get_attribute("href").startswith(
        "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,")


def test_without_an_extract_the_page_says_how_to_write_one(voila, page, tmp_path):
    url = app_url(voila("demo-researcher"), "evaluation_training.ipynb", lang="en")
    page.goto(f"{url}&extract={tmp_path}")

    expect(page.locator(".cw-status")).to_contain_text("casework extract --out")
