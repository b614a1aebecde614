"""The issue's acceptance test: ``casework report progress --year 2003 --out progress.xlsx`` on
a demo database of the notice's years writes a workbook with one sheet per level of the network,
each unit's count broken down by kind (placements, self-employment with and without a loan,
flexible employment), on both databases."""

import openpyxl
import pytest

from casework import cli
from casework.errors import AccessDenied
from casework.i18n import t
from casework.services import org, progress
from casework.services.progress import KINDS, LEVELS
from casework.services.uow import UnitOfWork

AS_OF = "2004-06-30"  # the demo's default clock: it lives in the notice's years


@pytest.fixture
def demo_2003(db_url, monkeypatch) -> str:
    """A demo database of the notice's years (as of mid-2004); English messages."""
    monkeypatch.setenv("CASEWORK_LANG", "en")
    monkeypatch.setenv("CASEWORK_DATABASE_URL", db_url)  # main() sets it; restored afterwards
    assert cli.main(["--database", db_url, "demo", "--persons", "150", "--as-of", AS_OF]) == 0
    return db_url


def report(url: str, out) -> int:
    return cli.main(["--database", url, "report", "progress", "--year", "2003", "--out", str(out)])


def sheet_rows(workbook, level: str) -> list[dict]:
    rows = list(workbook[t(f"reports.sheet.{level}", "en")].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_2003_progress_report_is_a_workbook_with_one_sheet_per_level(
        demo_2003, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CASEWORK_USER", "demo-city-officer")
    out = tmp_path / "progress.xlsx"

    code = report(demo_2003, out)

    assert code == 0
    printed = capsys.readouterr().out
    assert f"Wrote the 2003 progress report to {out}" in printed
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames[:4] == [t(f"reports.sheet.{level}", "en") for level in LEVELS]
    counted, target = t("reports.col.counted", "en"), t("reports.col.target", "en")
    kinds = [t(f"reports.col.kind_{kind}", "en") for kind in KINDS]
    (city,) = sheet_rows(workbook, "city")
    uow = UnitOfWork(url=demo_2003)
    expected = progress.progress(org.load_actor(uow, "demo-city-officer"), uow, year=2003)
    assert (city[counted], city[target]) == (expected.home.counted, 8000)
    assert f"{expected.home.counted} people counted" in printed
    assert [city[k] for k in kinds] == [expected.home.by_kind[kind] for kind in KINDS]
    assert sum(city[k] for k in kinds) == city[counted]
    for level in ("district", "street", "community"):
        rows = sheet_rows(workbook, level)
        assert len(rows) == len(expected.level(level))
        assert sum(row[counted] for row in rows) == city[counted]
        assert all(sum(row[k] for k in kinds) == row[counted] for row in rows)
        assert sum(row[target] for row in rows) == pytest.approx(8000, abs=0.1 * len(rows))


def test_the_2003_report_has_data_and_counts_self_employment_and_flexible_work(
        demo_2003, tmp_path, monkeypatch):
    monkeypatch.setenv("CASEWORK_USER", "demo-city-officer")
    out = tmp_path / "progress.xlsx"

    assert report(demo_2003, out) == 0

    (city,) = sheet_rows(openpyxl.load_workbook(out), "city")
    by_kind = {kind: city[t(f"reports.col.kind_{kind}", "en")] for kind in KINDS}
    assert city[t("reports.col.counted", "en")] > 0
    assert by_kind["placement"] > 0
    assert by_kind["self_employed_loan"] + by_kind["self_employed"] > 0
    assert by_kind["flexible"] > 0


def test_a_street_officers_report_holds_only_their_street_and_its_communities(
        demo_2003, tmp_path, monkeypatch):
    monkeypatch.setenv("CASEWORK_USER", "demo-street-officer")
    out = tmp_path / "street.xlsx"

    assert report(demo_2003, out) == 0

    workbook = openpyxl.load_workbook(out)
    uow = UnitOfWork(url=demo_2003)
    street = org.get_unit(uow, org.load_actor(uow, "demo-street-officer").unit_id)
    code = t("reports.col.code", "en")
    assert sheet_rows(workbook, "city") == sheet_rows(workbook, "district") == []
    assert [row[code] for row in sheet_rows(workbook, "street")] == [street.code]
    assert {row[code][:len(street.code)] for row in sheet_rows(workbook, "community")} == {
        street.code}


def test_a_community_worker_is_refused_the_report_and_no_file_is_written(
        demo_2003, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CASEWORK_USER", "demo-community-worker")
    out = tmp_path / "refused.xlsx"

    code = report(demo_2003, out)

    assert code == 2
    refusal = AccessDenied(action="read_progress", entity="progress").text("en")
    assert capsys.readouterr().err.strip() == refusal
    assert not out.exists()
