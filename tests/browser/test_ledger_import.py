"""The issue's acceptance test for Excel ledgers: a worker uploads a workbook with three bad rows,
gets it back with the three errors marked and nothing written; the corrected workbook imports."""

import datetime as dt

import openpyxl
from playwright.sync_api import expect

from casework.ids import make_first_generation_id, make_resident_id
from casework.ledger_workbook import template_workbook
from casework.services import org, persons
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url

WORKER = "demo-community-worker"
BIRTH = dt.date(1960, 10, 3)


def ledger_rows(community: str) -> list[dict]:
    """Five people of the worker's community; one has a first-generation 15-digit number."""
    people = [{"id_number": make_resident_id("320706", BIRTH, 470 + i, "F"), "name": f"上传{i}号",
               "community": community, "category": "下岗职工", "sex": "女",
               "household_members": 2, "dependants": 0, "skills": ["家政服务"],
               "out_of_work_since": "2003-02-01"} for i in range(5)]
    people[3]["id_number"] = make_first_generation_id("320706", BIRTH, 473, "F")
    return people


def worker_and_count(database_url: str) -> tuple[str, int]:
    """The worker's community code and how many people the worker's ledger holds."""
    uow = UnitOfWork(url=database_url)
    actor = org.load_actor(uow, WORKER)
    return org.get_unit(uow, actor.unit_id).code, persons.count_persons(actor, uow)


def upload(page, path) -> None:
    """ipywidgets' FileUpload keeps its <input type=file> out of the page and clicks it from its
    button, so the file goes in through the file chooser that the click opens."""
    panel = page.locator(".cw-ledger-import")
    with page.expect_file_chooser() as chooser:
        panel.locator(".cw-field-ledger_file").click()
    chooser.value.set_files(str(path))
    expect(panel.locator(".cw-file-chosen")).to_be_visible()
    panel.locator(".cw-action-import-ledger").click()


def test_a_workbook_with_three_bad_rows_comes_back_marked_and_the_corrected_one_imports(
        voila, page, demo_database, tmp_path):
    community, before = worker_and_count(demo_database)
    people = ledger_rows(community)
    people[0]["category"] = "待业"  # row 2: not one of the categories
    people[2]["out_of_work_since"] = "2003年2月"  # row 4: not YYYY-MM-DD
    people[4]["sex"] = "男"  # row 6: the ID number says female
    bad = tmp_path / "台帐.xlsx"
    bad.write_bytes(template_workbook("zh", people))
    page.goto(app_url(voila(WORKER), "ledger.ipynb", lang="en"), wait_until="commit")
    panel = page.locator(".cw-ledger-import")

    upload(page, bad)

    expect(panel.locator(".cw-status .cw-status-error")).to_be_visible()
    with page.expect_download() as download:
        panel.locator(".cw-action-download-errors").click()
    marked = tmp_path / "marked.xlsx"
    download.value.save_as(marked)
    book = openpyxl.load_workbook(marked)
    sheet = book.worksheets[0]
    heads = [c.value for c in sheet[1]]
    errors = {r: sheet.cell(row=r, column=heads.index("Errors") + 1).value for r in range(2, 7)}
    assert [r for r, text in errors.items() if text] == [2, 4, 6]
    assert errors[2].startswith("[人员类别] Write one of")
    assert errors[4].startswith("[下岗失业时间] Write the date as YYYY-MM-DD")
    assert errors[6].startswith("[性别]") and "female" in errors[6]
    assert worker_and_count(demo_database)[1] == before

    for row, column, value in ((2, "人员类别", "下岗职工"), (4, "下岗失业时间", "2003-02-01"),
                               (6, "性别", "女")):
        sheet.cell(row=row, column=heads.index(column) + 1, value=value)
    corrected = tmp_path / "台帐-corrected.xlsx"
    book.save(corrected)
    upload(page, corrected)

    expect(panel.locator(".cw-status .cw-status-ok")).to_be_visible()
    expect(panel.locator(".cw-action-download-errors")).to_have_count(0)
    assert worker_and_count(demo_database)[1] == before + 5
    original = people[3]["id_number"]
    # Found by the 15-digit number, the one match is opened.
    page.locator(".cw-field-open_person_search input").fill(original)
    expect(page.locator(".cw-person-detail")).to_contain_text(original)
    expect(page.locator(".cw-person-detail")).to_contain_text(
        make_resident_id("320706", BIRTH, 473, "F"))


def test_the_template_downloads_with_chinese_column_names(voila, page, tmp_path):
    page.goto(app_url(voila(WORKER), "ledger.ipynb"), wait_until="commit")

    with page.expect_download() as download:
        page.locator(".cw-action-download-template").click()

    path = tmp_path / "template.xlsx"
    download.value.save_as(path)
    book = openpyxl.load_workbook(path)
    assert [c.value for c in book.worksheets[0][1]][:3] == ["身份证号", "姓名", "性别"]
    assert len(book.worksheets) == 2


def test_a_researcher_sees_no_import_panel(voila, page):
    page.goto(app_url(voila("demo-researcher"), "ledger.ipynb", lang="en"), wait_until="commit")

    page.locator(".cw-no-ledger-import").wait_for(state="attached")
    expect(page.locator(".cw-ledger-import")).to_have_count(0)
