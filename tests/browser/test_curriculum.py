"""A trainer plans next term's courses in the Voila app: changes a weight and sees the ranking
change, downloads the plan, and turns the top subject into a course draft in the training app."""

import base64
import io
import json
import re

import pandas as pd
import pytest
from playwright.sync_api import expect

from casework import vocab
from casework.services import org
from casework.services.uow import UnitOfWork
from evaluation.extract import write_extract
from tests.browser.conftest import app_url
from tests.browser.steps_seen import record_steps, start_recording, step_lines, wait_until_done
from tests.browser.widgets import choose, labels, type_text

TRAINER = "demo-trainer"


@pytest.fixture(scope="module")
def extract_name(demo_database, extracts_dir):
    """A research extract of the browser demo under the servers' extracts folder, for the
    track record."""
    name = "curriculum"
    uow = UnitOfWork(url=demo_database)
    write_extract(org.load_actor(uow, "demo-researcher"), uow, out=extracts_dir / name,
                  purpose="curriculum planning page test")
    return name


def _ranking(page) -> list[str]:
    return page.locator(".cw-plan .cw-plan-row").evaluate_all(
        "rows => rows.map(r => r.dataset.subject)")


def _scores(page) -> list[float]:
    column = [h.lower() for h in page.locator(".cw-plan th").all_inner_texts()].index("score")
    return [float(row.locator("td").nth(column).inner_text())
            for row in page.locator(".cw-plan .cw-plan-row").all()]


def test_a_trainer_reweights_the_plan_downloads_it_and_drafts_the_top_course(
        voila, page, extract_name, tmp_path):
    base = voila(TRAINER)
    page.goto(f"{app_url(base, 'curriculum_planning.ipynb', lang='en')}&extract={extract_name}")
    expect(page.locator(".cw-plan .cw-plan-row").first).to_be_visible(timeout=180_000)
    expect(page.locator(".cw-record-table")).to_be_visible()
    expect(page.locator(".cw-figure img.cw-plot")).to_have_count(4)
    before = _ranking(page)

    # Unmet demand weighs nothing: past employment (with the shortage bonus) alone ranks.
    type_text(page.locator(".cw-field-weight_demand input"), "0")
    page.wait_for_function(
        "before => JSON.stringify(Array.from(document.querySelectorAll('.cw-plan .cw-plan-row'))"
        ".map(r => r.dataset.subject)) !== before", arg=json.dumps(before, separators=(",", ":")))
    after = _ranking(page)
    assert sorted(after) == sorted(before) and after != before
    assert _scores(page) == sorted(_scores(page), reverse=True)

    with page.expect_download() as caught:
        page.locator(".cw-action-download").click()
    saved = tmp_path / "plan.xlsx"
    caught.value.save_as(saved)
    assert list(pd.read_excel(saved, sheet_name="plan", index_col=0).index) == after

    page.locator(".cw-action-draft").click()
    link = page.locator(".cw-action-open-training")
    expect(link).to_be_visible()
    page.goto(f"{base}/voila/render/{link.get_attribute('href')}")
    course = page.locator(".cw-form-course")
    expect(course.locator(".cw-field-title input")).to_have_value(
        f"{vocab.occupation_name(after[0], 'en')} (planned)", timeout=120_000)


def test_the_xlsx_link_carries_a_workbook(voila, page, extract_name):
    page.goto(f"{app_url(voila(TRAINER), 'curriculum_planning.ipynb', lang='zh')}"
              f"&extract={extract_name}")
    link = page.locator(".cw-action-download")
    expect(link).to_be_visible(timeout=180_000)
    data = link.get_attribute("href").split("base64,", 1)[1]
    sheets = pd.read_excel(io.BytesIO(base64.b64decode(data)), sheet_name=None)
    assert {"plan", "weights", "demand", "skills"} <= set(sheets)


def test_another_area_is_worked_out_step_by_step_with_the_button_waiting(
        voila, page, extract_name):
    record_steps(page)
    page.goto(f"{app_url(voila(TRAINER), 'curriculum_planning.ipynb', lang='en')}"
              f"&extract={extract_name}")
    bar = page.locator(".cw-curriculum .cw-progress")
    expect(bar).to_have_class(re.compile(r"\bcw-progress-done\b"), timeout=180_000)
    expect(page.locator(".cw-record-table")).to_be_visible()
    area = page.locator(".cw-field-area select")
    other = choose(area, lambda label: label != labels(area)[0])
    start_recording(page, "() => document.querySelector('.cw-action-show').disabled")

    page.locator(".cw-action-show").click()

    seen = wait_until_done(page, "en")
    keys = [f"curriculum_steps.{s}" for s in ("record", "read", "analyse", "plan",
                                              "pictures")]
    # The track record was read with the page; another area starts at reading its demand.
    assert [s["text"] for s in seen] == step_lines("en", keys)[1:]
    assert all(s["visible"] and not s["done"] and s["probe"] for s in seen[:-1])
    expect(page.locator(".cw-status")).to_have_text(other)
    expect(page.locator(".cw-action-show")).to_be_enabled()
    expect(page.locator(".cw-plan .cw-plan-row").first).to_be_visible()
    expect(bar).to_be_hidden()
