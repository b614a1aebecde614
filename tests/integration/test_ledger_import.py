"""Importing an Excel ledger on both databases: all rows or none, duplicates against the ledger
and within the file (15/18-digit twins included), the workbook handed back with its error
column, and the same through ``casework import ledger``."""

import datetime as dt
import io
from collections import Counter

import openpyxl
import pytest
from sqlalchemy import select

from casework import cli
from casework.db.models import AuditEntry, EmploymentStatus, Person
from casework.errors import AccessDenied
from casework.ids import make_first_generation_id, make_resident_id
from casework.ledger_workbook import template_workbook
from casework.services import org, persons
from casework.services.ledger_import import ImportLedger, LedgerImportRefused, import_ledger
from tests.integration.helpers import count, trail

BIRTH = dt.date(1961, 3, 8)
NAMES = ("周玉兰", "吴建华", "郑秀珍", "王立新", "冯桂英")


def rows(community: str, n: int = 3, **overrides) -> list[dict]:
    return [{"id_number": make_resident_id("320706", BIRTH, 480 + i, "M" if i % 2 else "F"),
             "name": NAMES[i], "community": community, "category": "下岗职工",
             "education": "高中", "skills": ["保洁"], "household_members": 3, "dependants": 1,
             "out_of_work_since": "2003-05-01"} | overrides for i in range(n)]


@pytest.fixture
def community(worker, demo_db) -> str:
    """The worker's community, by its code."""
    return org.get_unit(demo_db, worker.unit_id).code


def run(actor, uow, people: list[dict], filename: str = "台帐.xlsx"):
    return import_ledger(actor, uow, command=ImportLedger(template_workbook("zh", people),
                                                          filename))


def counts(uow) -> tuple[int, int, int]:
    return count(uow, Person), count(uow, EmploymentStatus), count(uow, AuditEntry)


def refused(actor, uow, people: list[dict]) -> LedgerImportRefused:
    with pytest.raises(LedgerImportRefused) as caught:
        run(actor, uow, people)
    return caught.value


def test_a_valid_workbook_is_imported_with_a_status_and_an_audit_row_per_person(
        worker, demo_db, community):
    before = counts(demo_db)

    done = run(worker, demo_db, rows(community))

    assert done.rows == 3
    assert counts(demo_db) == (before[0] + 3, before[1] + 3, before[2] + 3)
    detail = persons.get_person(worker, demo_db, person_id=done.person_ids[0])
    assert (detail.values["name"], detail.values["category"], detail.values["skills"]) == (
        "周玉兰", "laid_off", ["cleaning"])
    assert detail.values["community_id"] == worker.unit_id
    assert [(s["status"], s["since"]) for s in detail.status_history] == [
        ("unemployed", "2003-05-01")]
    [entry] = trail(demo_db, "person", done.person_ids[0])
    assert (entry["action"], entry["username"], entry["outcome"]) == (
        "import_ledger", worker.username, "ok")
    assert entry["after"]["import"] == {"file": "台帐.xlsx", "row": 2, "confirmed_similar": False}
    assert entry["after"]["id_number"] == detail.values["id_number"]


def test_one_bad_row_means_nothing_is_written(worker, demo_db, community):
    people = rows(community)
    people[1]["dependants"] = 5
    before = counts(demo_db)

    error = refused(worker, demo_db, people)

    assert {row: set(fields) for row, fields in error.errors.items()} == {3: {"dependants"}}
    assert counts(demo_db) == before
    assert "1" in error.text("en") and "3" in error.text("en")


def test_a_fifteen_digit_number_whose_eighteen_digit_twin_is_on_the_ledger_is_refused(
        worker, demo_db, community):
    on_ledger = persons.register_person(worker, demo_db, values={
        "name": "钱国强", "id_number": make_resident_id("320706", BIRTH, 481, "M"),
        "category": "unemployed", "community_id": worker.unit_id})
    people = rows(community)
    people[1]["id_number"] = make_first_generation_id("320706", BIRTH, 481, "M")
    before = counts(demo_db)

    error = refused(worker, demo_db, people)

    assert [m.key for m in error.errors[3].values()] == ["ledger_import.on_ledger"]
    assert str(on_ledger) in error.errors[3]["id_number"].text("zh")
    assert counts(demo_db) == before


def test_a_close_name_with_the_same_birth_date_needs_the_checked_column_as_on_the_form(
        worker, demo_db, community):
    persons.register_person(worker, demo_db, values={
        "name": "吴建化", "id_number": make_resident_id("320706", BIRTH, 7, "M"),
        "category": "unemployed", "community_id": worker.unit_id})
    people = rows(community)

    error = refused(worker, demo_db, people)

    assert {row: [m.key for m in e.values()] for row, e in error.errors.items()} == {
        3: ["ledger_import.possible_duplicate"]}
    people[1]["confirm_similar"] = "是"
    assert run(worker, demo_db, people).rows == 3


def test_a_person_given_twice_in_the_file_under_both_forms_of_the_number_is_refused(
        worker, demo_db, community):
    people = rows(community)
    people.append(people[0] | {"name": "周玉蓝",
                               "id_number": make_first_generation_id("320706", BIRTH, 480, "F")})
    before = counts(demo_db)

    error = refused(worker, demo_db, people)

    assert list(error.errors) == [5]
    assert error.errors[5]["id_number"].key == "ledger_import.repeated_in_file"
    assert counts(demo_db) == before


def test_a_community_outside_the_workers_area_is_refused_on_its_row(worker, officer, demo_db,
                                                                      community, actors):
    units = org.units(actors["city_officer"], demo_db, level="community")
    names = Counter(u.name_zh for u in units)
    other = next(u for u in units if u.id != worker.unit_id and names[u.name_zh] == 1)
    people = rows(community)
    people[2]["community"] = other.name_zh

    error = refused(worker, demo_db, people)

    assert error.errors[4]["community"].key == "ledger_import.community_out_of_scope"
    assert run(officer, demo_db, rows(community)).rows == 3  # the street officer's area


def test_the_returned_workbook_marks_each_bad_row_and_the_corrected_one_imports(
        worker, demo_db, community):
    people = rows(community, n=5)
    people[0]["category"] = "待业"
    people[2]["out_of_work_since"] = "2003年5月"
    people[4]["sex"] = "男"  # row 6: an even order number is a woman
    before = counts(demo_db)

    error = refused(worker, demo_db, people)
    sheet = openpyxl.load_workbook(io.BytesIO(error.annotated("zh"))).worksheets[0]

    heads = [c.value for c in sheet[1]]
    marks = {r: sheet.cell(row=r, column=heads.index("错误") + 1).value for r in range(2, 7)}
    assert [r for r, mark in marks.items() if mark] == [2, 4, 6]
    assert marks[2].startswith("【人员类别】请填写以下之一：下岗职工")
    assert marks[4].startswith("【下岗失业时间】日期请写成 YYYY-MM-DD")
    assert marks[6].startswith("【性别】与身份证号不符")
    assert counts(demo_db) == before
    for index, column, good in ((0, "人员类别", "失业人员"), (2, "下岗失业时间", "2003-05-01"),
                                (4, "性别", "女")):
        sheet.cell(row=index + 2, column=heads.index(column) + 1, value=good)
    fixed = io.BytesIO()
    sheet.parent.save(fixed)

    done = import_ledger(worker, demo_db, command=ImportLedger(fixed.getvalue(), "fixed.xlsx"))

    assert done.rows == 5
    assert counts(demo_db)[0] == before[0] + 5


def test_an_account_that_may_not_register_people_is_refused_and_the_attempt_audited(
        actors, demo_db, community):
    researcher = actors["researcher"]

    before = counts(demo_db)

    with pytest.raises(AccessDenied):
        run(researcher, demo_db, rows(community))

    with demo_db:
        denied = demo_db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "import_ledger", AuditEntry.outcome == "denied")).all()
        assert [e.username for e in denied] == [researcher.username]
    assert counts(demo_db)[:2] == before[:2]


def cli_import(db_url: str, *args: str) -> int:
    return cli.main(["--database", db_url, "import", "ledger", *args])


def test_the_command_writes_the_template_and_imports_it_filled_in(
        db_url, demo_db, community, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CASEWORK_LANG", "en")
    monkeypatch.setenv("CASEWORK_USER", "demo-community-worker")
    template = tmp_path / "template.xlsx"
    assert cli_import(db_url, "--template", str(template)) == 0
    book = openpyxl.load_workbook(template)
    for number, person in enumerate(rows(community), start=2):
        for column, cell in enumerate(book.worksheets[0][1], start=1):
            key = {"身份证号": "id_number", "姓名": "name", "所属社区": "community",
                   "人员类别": "category"}.get(cell.value)
            if key:
                book.worksheets[0].cell(row=number, column=column, value=person[key])
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    before = count(demo_db, Person)

    assert cli_import(db_url, str(filled)) == 0

    assert "Imported 3 people" in capsys.readouterr().out
    assert count(demo_db, Person) == before + 3


def test_the_command_writes_the_marked_workbook_beside_the_input_and_fails(
        db_url, demo_db, community, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CASEWORK_LANG", "en")
    monkeypatch.setenv("CASEWORK_USER", "demo-community-worker")
    people = rows(community)
    people[1]["name"] = ""
    source = tmp_path / "ledger.xlsx"
    source.write_bytes(template_workbook("zh", people))
    before = count(demo_db, Person)

    code = cli_import(db_url, str(source))

    marked = tmp_path / "ledger-errors.xlsx"
    assert code == 1
    assert str(marked) in capsys.readouterr().err
    sheet = openpyxl.load_workbook(marked).worksheets[0]
    assert sheet.cell(row=1, column=sheet.max_column).value == "Errors"
    assert sheet.cell(row=3, column=sheet.max_column).value == "[姓名] Required."
    assert count(demo_db, Person) == before
