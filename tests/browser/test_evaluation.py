"""The training-evaluation notebook renders in Voila: who is compared with whom, the effects
with their sentences, the overlap and balance plots, sensitivity, effects by group and the .xlsx
download, in Chinese and English."""

import pytest
from playwright.sync_api import expect

from casework.services import org
from casework.services.uow import UnitOfWork
from evaluation.extract import write_extract
from tests.browser.conftest import app_url


@pytest.fixture(scope="module")
def extract_dir(demo_database, tmp_path_factory):
    folder = tmp_path_factory.mktemp("extract") / "x"
    uow = UnitOfWork(url=demo_database)
    write_extract(org.load_actor(uow, "demo-researcher"), uow, out=folder,
                  purpose="training evaluation page test")
    return folder


@pytest.mark.parametrize(("lang", "heading", "placebo"),
                         [("zh", "培训效果", "安慰剂"),
                          ("en", "The effect of training", "Placebo")])
def test_the_evaluation_page_shows_the_effects_their_diagnostics_and_a_download(
        voila, page, extract_dir, lang, heading, placebo):
    url = app_url(voila("demo-researcher"), "evaluation_training.ipynb", lang=lang)
    page.goto(f"{url}&extract={extract_dir}")

    expect(page.locator(".cw-effects")).to_contain_text(heading, timeout=180_000)
    expect(page.locator(".cw-design table")).to_be_visible()
    for plot in (".cw-overlap-plot img", ".cw-love-plot img", ".cw-figure img.cw-plot"):
        image = page.locator(plot).first
        expect(image).to_be_visible()
        assert image.evaluate("img => img.naturalWidth") > 100
    expect(page.locator(".cw-balance")).to_contain_text("variance_ratio_after")
    expect(page.locator(".cw-sensitivity")).to_contain_text(placebo)
    expect(page.locator(".cw-groups table")).to_be_visible()
    download = page.locator(".cw-action-download")
    assert download.get_attribute("href").startswith(
        "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,")


def test_without_an_extract_the_page_says_how_to_write_one(voila, page, tmp_path):
    url = app_url(voila("demo-researcher"), "evaluation_training.ipynb", lang="en")
    page.goto(f"{url}&extract={tmp_path}")

    expect(page.locator(".cw-status")).to_contain_text("casework extract --out")
