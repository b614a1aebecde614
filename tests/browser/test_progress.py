"""Supervisors follow the people counted against the year's target in the Voila app: the
sentence with the breakdown by kind, the plot, the tables by level with a column per kind, the
subsidies flagged for recovery, advanced-unit candidates, the workbook, and targets set by an
administrator; accounts outside supervision get a message instead."""

import base64
import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from casework import reports
from casework.i18n import t
from casework.policy import add_months
from casework.services import org, progress, recognition, subsidies
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url
from tests.browser.steps_seen import record_steps, start_recording, step_lines, wait_until_done
from tests.browser.widgets import type_text
from tests.integration.test_subsidy_services import end

NOTEBOOK = "progress.ipynb"


@pytest.fixture
def this_year(demo_database) -> int:
    """The year the page opens on: the demo database's own clock's."""
    return UnitOfWork(url=demo_database).today().year


def _report(database_url: str, user: str, year: int | None = None) -> progress.ProgressReport:
    uow = UnitOfWork(url=database_url)
    return progress.progress(org.load_actor(uow, user), uow, year=year or uow.today().year)


def _sentence(report: progress.ProgressReport, lang: str) -> str:
    home = report.home
    kinds = home.by_kind
    return t("progress.summary", lang, unit=home.name(lang), year=report.year,
             counted=home.counted, target=f"{home.target:.0f}",
             percent=f"{100 * home.attainment:.1f}", placed=kinds["placement"],
             self_loan=kinds["self_employed_loan"], self_alone=kinds["self_employed"],
             flexible=kinds["flexible"], stable=home.stable,
             source=t(f"reports.source.{home.target_source}", lang))


def _expect_plot(page) -> None:
    expect(page.locator(".cw-figure img.cw-plot")).to_be_visible()
    # The PNG decodes a moment after the element appears: wait until it has a width.
    page.wait_for_function("() => { const img = document.querySelector('.cw-figure img.cw-plot');"
                           " return img && img.complete && img.naturalWidth > 0; }")


def test_a_street_officer_sees_their_street_against_its_target_and_its_communities(
        voila, demo_database, page):
    report = _report(demo_database, "demo-street-officer")
    page.goto(app_url(voila("demo-street-officer"), NOTEBOOK))

    expect(page.locator(".cw-progress-summary")).to_have_text(_sentence(report, "zh"))
    _expect_plot(page)
    street = page.locator(".cw-progress-street tr.cw-unit")
    expect(street).to_have_count(1)
    expect(street).to_have_attribute("data-unit", report.home.code)
    expect(page.locator(".cw-progress-community tr.cw-unit")).to_have_count(
        len(report.level("community")))
    expect(page.locator(".cw-progress-district")).to_be_hidden()
    expect(page.locator(".cw-advanced-list")).to_have_text(t("progress_ui.no_candidates", "zh"))
    expect(page.locator(".cw-form-target")).to_have_count(0)


def test_a_city_officer_sees_every_level_the_candidates_and_another_year(
        voila, demo_database, page, this_year):
    report = _report(demo_database, "demo-city-officer")
    uow = UnitOfWork(url=demo_database)
    candidates = recognition.candidates(org.load_actor(uow, "demo-city-officer"), uow,
                                        year=this_year)
    page.goto(app_url(voila("demo-city-officer"), NOTEBOOK))

    expect(page.locator(".cw-progress-summary")).to_have_text(_sentence(report, "zh"))
    _expect_plot(page)
    for level in progress.LEVELS:
        expect(page.locator(f".cw-progress-{level} tr.cw-unit")).to_have_count(
            len(report.level(level)))
    expect(page.locator(".cw-advanced-list tr.cw-candidate")).to_have_count(len(candidates))
    expect(page.locator(".cw-advanced-list tr.cw-within-quota")).to_have_count(
        sum(c.within_quota for c in candidates))
    columns = reports.candidate_frame(candidates, "zh").columns  # every part of the score
    expect(page.locator(".cw-advanced-list th")).to_have_count(len(columns))

    page.locator(".cw-field-year select").select_option(label=str(this_year - 1))

    expect(page.locator(".cw-progress-summary p")).to_have_attribute("data-year",
                                                                     str(this_year - 1))
    expect(page.locator(".cw-progress-summary")).to_have_text(
        _sentence(_report(demo_database, "demo-city-officer", this_year - 1), "zh"))
    expect(page.locator(".cw-action-download")).to_have_attribute(
        "download", f"progress-{this_year - 1}.xlsx")


def test_every_level_shows_the_count_by_kind_and_the_kinds_add_up(voila, demo_database,
                                                                  page):
    report = _report(demo_database, "demo-city-officer")
    assert report.home.by_kind["placement"] and report.home.counted > report.home.placements
    page.goto(app_url(voila("demo-city-officer"), NOTEBOOK, lang="en"))

    expect(page.locator(".cw-progress-summary")).to_have_text(_sentence(report, "en"))
    for level in progress.LEVELS:
        for unit in report.level(level):
            row = page.locator(f'.cw-progress-{level} tr[data-unit="{unit.code}"]')
            expect(row).to_have_attribute("data-counted", str(unit.counted))
            expect(row.locator("td.cw-col-counted")).to_have_text(str(unit.counted))
            for kind in progress.KINDS:
                expect(row.locator(f"td.cw-col-kind_{kind}")).to_have_text(
                    str(unit.by_kind[kind]))
            assert sum(unit.by_kind.values()) == unit.counted
    expect(page.locator(".cw-progress-city th.cw-col-kind_self_employed_loan")).to_have_text(
        t("reports.col.kind_self_employed_loan", "en"))


def test_the_subsidies_flagged_for_recovery_are_listed_with_their_reason(
        voila, demo_database, page):
    uow = UnitOfWork(url=demo_database)
    city = org.load_actor(uow, "demo-city-officer")
    # One more claim flagged: its placement ends a month after the claim was made (or today).
    claim = next(c for c in subsidies.claims(city, uow) if c.kind == "job_development"
                 and c.status != "refused" and c.recovery_flagged_on is None)
    end(city, uow, claim.placement_id, min(add_months(claim.claimed_on, 1), uow.today()))
    flagged = subsidies.recoveries(city, uow)
    page.goto(app_url(voila("demo-city-officer"), NOTEBOOK, lang="en"))

    expect(page.locator(".cw-recovery-list tr.cw-recovery")).to_have_count(len(flagged))
    row = page.locator(f'.cw-recovery-list tr[data-claim="{claim.id}"]')
    reason = next(c for c in flagged if c.id == claim.id).recovery_reason.text("en")
    expect(row).to_contain_text(reason)
    assert "to be recovered" in reason


def test_the_download_link_carries_a_workbook_with_a_sheet_per_level(voila, page, this_year):
    page.goto(app_url(voila("demo-city-officer"), NOTEBOOK))

    link = page.locator(".cw-action-download")
    expect(link).to_have_attribute("download", f"progress-{this_year}.xlsx")
    data = base64.b64decode(link.get_attribute("href").split("base64,", 1)[1])

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == [t(f"reports.sheet.{name}", "zh")
                                   for name in (*progress.LEVELS, "months", "advanced")]
    city = workbook[t("reports.sheet.city", "zh")]
    assert city.max_row == 2
    header = [c.value for c in city[1]]
    after = header.index(t("reports.col.counted", "zh")) + 1  # the kinds follow the count
    assert header[after:after + 4] == [t(f"reports.col.kind_{k}", "zh") for k in progress.KINDS]


def test_an_administrator_sets_a_streets_target_and_the_table_shows_it(
        voila, demo_database, page, this_year):
    uow = UnitOfWork(url=demo_database)
    street = org.get_unit(uow, org.load_actor(uow, "demo-street-officer").unit_id)
    page.goto(app_url(voila("demo-admin"), NOTEBOOK, lang="en"))
    form = page.locator(".cw-form-target")
    unit = form.locator(".cw-field-unit_id select")
    labels = [text.replace("\xa0", " ") for text in
              unit.evaluate("s => Array.from(s.options).map(o => o.text)")]
    unit.select_option(index=next(i for i, label in enumerate(labels)
                                  if label.startswith(f"{street.code} · ")))

    type_text(form.locator(".cw-field-placements input"), "lots")
    form.locator(".cw-action-set-target").click()
    expect(form.locator(".cw-error-placements")).to_have_text(
        t("training.at_least", "en", low=0))
    expect(form.locator(".cw-field-placements input")).to_have_value("lots")

    type_text(form.locator(".cw-field-placements input"), "1234")
    form.locator(".cw-action-set-target").click()

    expect(form.locator(".cw-status .cw-status-ok")).to_have_text(t(
        "progress_ui.target_saved", "en", year=this_year, unit=street.name("en"),
        placements=1234))
    row = page.locator(f'.cw-progress-street tr[data-unit="{street.code}"]')
    expect(row).to_have_class("cw-unit cw-target-set")
    expect(row.locator("td.cw-col-target")).to_have_text("1234")
    expect(row).to_contain_text(t("reports.source.set", "en"))
    saved = {u.code: u for u in _report(demo_database, "demo-admin").units}[street.code]
    assert (saved.target, saved.target_source) == (1234, "set")


def test_the_english_page_renders_the_sentence_in_english(voila, demo_database, page):
    report = _report(demo_database, "demo-city-officer")
    page.goto(app_url(voila("demo-city-officer"), NOTEBOOK, lang="en"))

    expect(page.locator(".cw-progress-summary")).to_have_text(_sentence(report, "en"))
    _expect_plot(page)
    expect(page.locator(".cw-progress-street th").first).to_have_text(
        t("reports.col.code", "en"))


def test_a_community_worker_is_told_the_page_is_for_supervisors(voila, page):
    page.goto(app_url(voila("demo-community-worker"), NOTEBOOK))

    expect(page.locator(".cw-status")).to_have_text(
        t("progress_ui.not_for_role", "zh", role=t("role.community_worker", "zh")))
    expect(page.locator(".cw-progress-summary")).to_have_count(0)


def test_the_city_page_draws_its_header_at_once_and_shows_each_step_of_a_new_year(
        voila, demo_database, page, this_year):
    record_steps(page)
    page.goto(app_url(voila("demo-city-officer"), NOTEBOOK, lang="en"))
    expect(page.locator(".cw-header")).to_be_visible()
    bar = page.locator(".cw-progress-page .cw-progress")
    expect(bar).to_have_class(re.compile(r"\bcw-progress-done\b"), timeout=120_000)
    expect(page.locator(".cw-progress-summary p")).to_have_attribute("data-year", str(this_year))
    start_recording(page, "() => document.querySelector('.cw-progress-summary').textContent")

    page.locator(".cw-field-year select").select_option(label=str(this_year - 1))

    seen = wait_until_done(page, "en")
    keys = [f"look_progress.step.{k}" for k in ("count", "chart", "candidates", "recoveries",
                                                "workbook")]
    assert [s["text"] for s in seen] == step_lines("en", keys)
    assert all(s["visible"] and not s["done"] for s in seen[:-1])
    # The year before's sections are cleared; the count is on the page from the second step.
    sentence = _sentence(_report(demo_database, "demo-city-officer", this_year - 1), "en")
    assert [s["probe"] for s in seen] == ["", *[sentence] * 5]
    expect(bar).to_be_hidden()
    expect(page.locator(".cw-action-download")).to_have_attribute(
        "download", f"progress-{this_year - 1}.xlsx")
