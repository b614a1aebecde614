"""The audit viewer in Chromium: the demo administrator filters the trail by action (by its
name, in the page's language), sees the entries of two renames made beforehand, and downloads
the selection as .xlsx and CSV, the action's code in a column of its own."""

import io

import openpyxl
import pandas as pd
from playwright.sync_api import expect

from casework.i18n import t
from casework.services import org, units_admin
from casework.services.units_admin import RenameUnit
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url
from tests.browser.widgets import choose

ADMIN = "demo-admin"


def _rename_two_streets(database_url: str) -> list[int]:
    """Rename two streets of Xinpu to their own names (audited, nothing else changes)."""
    uow = UnitOfWork(url=database_url)
    admin = org.load_actor(uow, ADMIN)
    streets = [u for u in org.units(admin, uow, level="street") if u.code.startswith("320705")]
    for street in streets[:2]:
        units_admin.rename_unit(admin, uow, RenameUnit(street.id, street.name_zh,
                                                       street.name_en))
    return [s.id for s in streets[:2]]


def test_the_admin_filters_the_trail_by_action_and_downloads_it(voila, demo_database, page,
                                                                tmp_path):
    renamed = _rename_two_streets(demo_database)
    page.goto(app_url(voila(ADMIN), "audit_trail.ipynb", "en"))
    form = page.locator(".cw-form-filter")

    choose(form.locator(".cw-field-action select"),
           lambda label: label == t("audit_action.rename_unit", "en"))
    form.locator(".cw-action-search").click()

    rows = page.locator(".cw-audit-list tr.cw-audit-row")
    expect(rows).to_have_count(2)
    expect(page.locator(".cw-audit-page")).to_contain_text("2 entries")
    shown = [rows.nth(i).locator("td").nth(5).inner_text() for i in range(2)]
    assert shown == [str(i) for i in reversed(renamed)]  # newest first

    expect(rows.first.locator("td").nth(2)).to_have_text(t("audit_action.rename_unit", "en"))

    page.locator(".cw-action-export").click()
    expect(page.locator(".cw-audit-export .cw-progress.cw-progress-done")).to_have_count(1)
    with page.expect_download() as xlsx:
        page.locator(".cw-action-download-xlsx").click()
    with page.expect_download() as csv:
        page.locator(".cw-action-download-csv").click()

    xlsx.value.save_as(tmp_path / "trail.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "trail.xlsx").worksheets[0]
    table = list(sheet.values)
    assert table[0][:6] == ("Time (UTC)", "Account", "Action", "Outcome", "Record",
                            "Record no.")
    assert table[0][-1] == t("look_apps.col.action_code", "en")
    assert [(r[1], r[2], r[5], r[-1]) for r in table[1:]] == [
        (ADMIN, "Rename a unit", str(i), "rename_unit") for i in reversed(renamed)]
    csv.value.save_as(tmp_path / "trail.csv")
    frame = pd.read_csv(io.BytesIO((tmp_path / "trail.csv").read_bytes()),
                        encoding="utf-8-sig", dtype=str)
    assert frame["Record no."].tolist() == [str(i) for i in reversed(renamed)]


def test_the_chinese_trail_names_each_action_in_chinese_in_the_list_and_the_filter(
        voila, demo_database, page):
    _rename_two_streets(demo_database)
    page.goto(app_url(voila(ADMIN), "audit_trail.ipynb"))
    options = page.locator(".cw-form-filter .cw-field-action select option")
    expect(options.first).to_be_attached()

    labels = options.all_inner_texts()
    assert t("audit_action.rename_unit", "zh") in labels
    assert not [label for label in labels if label.isascii() and "_" in label]
    renamed = page.locator('.cw-audit-list tr.cw-audit-row[data-action="rename_unit"]').first
    expect(renamed.locator("td").nth(2)).to_have_text(t("audit_action.rename_unit", "zh"))
    expect(renamed.locator("td .cw-state-done")).to_have_text(t("audit_ui.outcome.ok", "zh"))
