"""The release log page renders in Voila: a city officer sees every release with its purpose,
k and key, in Chinese and English, and writes one from the page, step by step; the landing page
lists it; a researcher is told the page is not for their role."""

import json

import pytest
from playwright.sync_api import expect

from casework.i18n import t
from casework.services import org
from casework.services.uow import UnitOfWork
from evaluation.extract import write_extract
from tests.browser.conftest import app_url
from tests.browser.steps_seen import record_steps, start_recording, step_lines, wait_until_done
from tests.browser.widgets import type_text

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


STEPS = [f"extract_ui.step.{s}" for s in ("read", "rules", "anonymity", "write")]


def test_a_city_officer_writes_an_extract_and_sees_each_step_then_the_release_logged(
        voila, page, extracts_dir):
    record_steps(page)
    page.goto(app_url(voila("demo-city-officer"), NOTEBOOK, lang="en"))
    form = page.locator(".cw-extract-form")
    purpose = "Browser test: written from the page"
    type_text(form.locator(".cw-field-purpose textarea"), purpose)
    type_text(form.locator(".cw-field-name input"), "from-the-page")
    start_recording(page, "() => document.querySelector('.cw-action-write-extract').disabled")

    form.locator(".cw-action-write-extract").click()

    seen = wait_until_done(page, "en")
    assert [s["text"] for s in seen] == step_lines("en", STEPS)
    assert all(s["visible"] and not s["done"] and s["probe"] for s in seen[:-1])
    folder = extracts_dir / "from-the-page"
    expect(form.locator(".cw-status .cw-status-ok")).to_contain_text(str(folder))
    expect(form.locator(".cw-action-write-extract")).to_be_enabled()
    expect(form.locator(".cw-progress")).to_be_hidden()
    row = page.locator(".cw-release-row", has_text=purpose)
    expect(row.locator(".cw-col-folder")).to_have_text(str(folder))
    assert json.loads((folder / "manifest.json").read_text())["by"] == "demo-city-officer"


def test_an_extract_without_a_purpose_or_with_a_path_for_a_name_is_refused_beside_the_fields(
        voila, page):
    page.goto(app_url(voila("demo-city-officer"), NOTEBOOK, lang="en"))
    form = page.locator(".cw-extract-form")
    type_text(form.locator(".cw-field-name input"), "../elsewhere")
    type_text(form.locator(".cw-field-k input"), "1")

    form.locator(".cw-action-write-extract").click()

    expect(form.locator(".cw-error-purpose")).to_have_text(t("releases.purpose_required", "en"))
    expect(form.locator(".cw-error-k")).to_have_text(t("extract_ui.bad_k", "en"))
    expect(form.locator(".cw-error-name")).to_contain_text("no slashes")
    expect(form.locator(".cw-field-name input")).to_have_value("../elsewhere")
    expect(form.locator(".cw-action-write-extract")).to_be_enabled()
