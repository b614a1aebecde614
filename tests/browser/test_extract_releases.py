"""The release log page renders in Voila: a city officer sees every release with its purpose,
k and key, in Chinese and English; the landing page lists it; a researcher is told the page is
not for their role."""

import pytest
from playwright.sync_api import expect

from casework.services import org
from casework.services.uow import UnitOfWork
from evaluation.extract import write_extract
from tests.browser.conftest import app_url

NOTEBOOK = "extract_releases.ipynb"
PURPOSE = "Browser test of the release log"
REASON = "A panel followed in two waves"


@pytest.fixture(scope="module")
def released(demo_database, tmp_path_factory):
    """Two releases of the browser tests' demo: one fresh, one longitudinal."""
    folder = tmp_path_factory.mktemp("releases")
    uow = UnitOfWork(url=demo_database)
    researcher = org.load_actor(uow, "demo-researcher")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CASEWORK_EXTRACT_KEYS", str(folder / "keys"))
        write_extract(researcher, uow, out=folder / "a", purpose=PURPOSE)
        write_extract(researcher, uow, out=folder / "b", purpose=f"{PURPOSE}, wave 2",
                      longitudinal="browser-panel", reason=REASON)
    return folder


@pytest.mark.parametrize(("lang", "heading", "fresh"), [("zh", "研究数据发布记录", "新密钥"),
                                                        ("en", "Research extract releases",
                                                         "fresh key")])
def test_a_city_officer_sees_each_release_with_its_purpose_k_and_key(voila, page, released,
                                                                   lang, heading, fresh):
    page.goto(app_url(voila("demo-city-officer"), NOTEBOOK, lang=lang))

    table = page.locator(".cw-releases-table")
    expect(table).to_contain_text(PURPOSE, timeout=120_000)
    expect(page.locator("h2")).to_have_text(heading)
    wave_2 = page.locator(".cw-release-row", has_text=f"{PURPOSE}, wave 2")
    expect(wave_2.locator(".cw-col-key")).to_contain_text("browser-panel")
    expect(wave_2.locator(".cw-col-key")).to_contain_text(REASON)
    first = page.locator(".cw-release-row", has_text=str(released / "a"))
    expect(first.locator(".cw-col-key")).to_have_text(fresh)
    expect(first.locator(".cw-col-by")).to_have_text("demo-researcher")
    assert first.locator(".cw-col-k").inner_text().startswith("5")


def test_the_landing_page_lists_the_release_log_for_a_city_officer(voila, page):
    page.goto(app_url(voila("demo-city-officer"), "index.ipynb", lang="en"))

    link = page.locator(".cw-app-extract_releases a")
    expect(link).to_have_text("Research extract releases", timeout=120_000)
    assert link.get_attribute("href").startswith(NOTEBOOK)


def test_a_researcher_is_told_the_page_is_not_for_their_role(voila, page, released):
    page.goto(app_url(voila("demo-researcher"), NOTEBOOK, lang="en"))

    expect(page.locator(".cw-status")).to_contain_text("city officers", timeout=120_000)
    expect(page.locator(".cw-releases-table")).to_have_count(0)
