"""The training-evaluation notebook renders in Voila: who is compared with whom, the effects
with their sentences, the overlap and balance plots, sensitivity, effects by group and the .xlsx
download, in Chinese and English; only for the roles that may read research data, and only from
an extract folder under the extracts folder."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from casework.db.models import AuditEntry
from casework.services import org
from casework.services.uow import UnitOfWork
from evaluation.extract import write_extract
from tests.browser.conftest import app_url

NAME = "training-page"  # the extract's folder under the servers' extracts folder


@pytest.fixture(scope="module")
def extract_dir(demo_database, extracts_dir):
    folder = extracts_dir / NAME
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
    page.goto(f"{url}&extract={NAME}")

    expect(page.locator(".cw-effects")).to_contain_text(heading, timeout=180_000)
    expect(page.locator(".cw-design table")).to_be_visible()
    for plot in (".cw-overlap-plot img", ".cw-love-plot img", ".cw-figure img.cw-plot"):
        image = page.locator(plot).first
        expect(image).to_be_visible()
        assert image.evaluate("img => img.naturalWidth") > 100
    expect(page.locator(".cw-balance")).to_contain_text(
        "加权后方差比" if lang == "zh" else "Variance ratio after")
    expect(page.locator(".cw-sensitivity")).to_contain_text(placebo)
    # The work showed its steps; done, the bar gives way and every section stays.
    expect(page.locator(".cw-progress")).to_have_class(re.compile(r"\bcw-progress-done\b"))
    expect(page.locator(".cw-progress")).to_be_hidden()
    expect(page.locator(".cw-groups table")).to_be_visible()
    download = page.locator(".cw-action-download")
    assert download.get_attribute("href").startswith(
        "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,")


SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def test_the_chinese_evaluation_page_shows_no_column_code_names(voila, page, extract_dir):
    url = app_url(voila("demo-researcher"), "evaluation_training.ipynb", lang="zh")
    page.goto(f"{url}&extract={NAME}")
    expect(page.locator(".cw-effects")).to_contain_text("培训效果", timeout=180_000)
    expect(page.locator(".cw-groups table")).to_be_visible()

    headers = page.locator(".cw-evaluation th, .cw-evaluation caption").all_inner_texts()
    assert len(headers) > 50
    assert [h for h in headers if SNAKE_CASE.search(h)] == []
    # Nor anywhere in the page's text (the extract's folder, a path, aside).
    text = page.locator(".cw-evaluation").inner_text().replace(str(extract_dir), "")
    assert SNAKE_CASE.findall(text) == []
    cells = page.locator(".cw-evaluation td").all_inner_texts()
    assert [c for c in cells if re.search(r"\d\.\d{4}", c)] == []  # no four-decimal floats
    assert any(c.endswith("%") for c in page.locator(".cw-effects td").all_inner_texts())


def test_without_an_extract_the_page_says_how_to_write_one(voila, page):
    url = app_url(voila("demo-researcher"), "evaluation_training.ipynb", lang="en")
    page.goto(f"{url}&extract=nothing-written-here")

    expect(page.locator(".cw-status")).to_contain_text("casework extract --out")


@pytest.mark.parametrize(("lang", "said"), [("zh", "研究人员"), ("en", "researcher")])
def test_a_community_worker_is_refused_and_the_refusal_is_audited(voila, page, extract_dir,
                                                                  demo_database, lang, said):
    url = app_url(voila("demo-community-worker"), "evaluation_training.ipynb", lang=lang)
    page.goto(f"{url}&extract={NAME}")

    expect(page.locator(".cw-status")).to_contain_text(said, timeout=120_000)
    expect(page.locator(".cw-effects")).to_have_count(0)
    uow = UnitOfWork(url=demo_database)
    with uow:
        refused = uow.session.scalars(select(AuditEntry).where(
            AuditEntry.username == "demo-community-worker",
            AuditEntry.action == "read_research", AuditEntry.outcome == "denied")).all()
    assert refused


@pytest.mark.parametrize(("where", "said"), [("absolute", "full path"), ("parent", '".."')])
def test_an_extract_outside_the_extracts_folder_is_not_read(voila, page, extract_dir, where,
                                                            said):
    name = str(extract_dir) if where == "absolute" else f"../{extract_dir.parent.name}/{NAME}"
    url = app_url(voila("demo-researcher"), "evaluation_training.ipynb", lang="en")
    page.goto(f"{url}&extract={name}")

    expect(page.locator(".cw-status")).to_contain_text(said, timeout=120_000)
    expect(page.locator(".cw-effects")).to_have_count(0)
