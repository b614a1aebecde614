"""Reading a ledger workbook row by row: cells into the form's values, the form's own rules,
repeats within the file, and the workbook handed back with an error column."""

import datetime as dt
import io

import openpyxl
import pytest

from casework.ids import make_first_generation_id, make_resident_id
from casework.ledger_import import (
    CommunityIndex,
    WorkbookUnreadable,
    header,
    mark_on_ledger,
    mark_similar,
    read_sheet,
    validate_row,
    validate_rows,
)
from casework.ledger_workbook import annotate, row_error_text, template_workbook

TODAY = dt.date(2004, 6, 30)
BIRTH = dt.date(1962, 8, 14)
COMMUNITIES = CommunityIndex.of([
    (1, "320705001001", "新海社区", "Xinhai", True),
    (2, "320706001001", "朐阳社区", "Quyang", False),
    (3, "320703001001", "东园社区", "Dongyuan", True),
    (4, "320703002001", "东园社区", "Dongyuan", True),
])


def row(**overrides) -> dict:
    values = {"id_number": make_resident_id("320705", BIRTH, 30, "F"), "name": "孙桂芳",
              "community": "新海社区", "category": "下岗职工", "sex": "女",
              "birth_date": dt.datetime(1962, 8, 14), "education": "初中",
              "household_members": 3.0, "dependants": 1, "skills": "保洁、家政服务",
              "out_of_work_since": "2002-11-01", "phone": 13805181234.0}
    return values | overrides


def checked(**overrides):
    return validate_row(2, row(**overrides), communities=COMMUNITIES, today=TODAY)


def errors_of(**overrides) -> dict[str, str]:
    return {name: message.key for name, message in checked(**overrides).errors.items()}


def test_a_row_of_labels_becomes_the_ledger_forms_values():
    result = checked()

    assert result.errors == {}
    values = result.values
    assert (values["category"], values["education"], values["sex"]) == (
        "laid_off", "junior_middle", "F")
    assert values["skills"] == ["cleaning", "housekeeping"]
    assert values["out_of_work_since"] == dt.date(2002, 11, 1)
    assert (values["household_members"], values["phone"]) == (3, "13805181234")
    assert values["community_id"] == 1


def test_codes_and_english_labels_are_read_as_well_as_chinese_labels():
    values = checked(category="unemployed", education="Junior middle school",
                     community="320705001001", sex="F").values

    assert (values["category"], values["community_id"], values["sex"]) == ("unemployed", 1, "F")


def test_a_fifteen_digit_number_is_imported_in_its_eighteen_digit_form_with_the_original():
    old = make_first_generation_id("320705", BIRTH, 30, "F")

    values = checked(id_number=old).values

    assert (values["id_number"], values["id_number_original"]) == (
        make_resident_id("320705", BIRTH, 30, "F"), old)


def test_the_form_rules_apply_to_a_row_sex_birth_date_and_dependants():
    errors = errors_of(sex="男", birth_date="1962-08-15", dependants=3)

    assert errors == {"sex": "ledger.sex_mismatch", "birth_date": "ledger.birth_mismatch",
                      "dependants": "ledger.bad_dependants"}


def test_a_label_not_in_the_list_asks_for_one_of_the_values_in_the_readers_language():
    result = checked(category="待业青年")

    assert {k: m.key for k, m in result.errors.items()} == {"category": "ledger_import.choose_one"}
    assert "下岗职工" in result.errors["category"].text("zh")
    assert "laid-off worker" in result.errors["category"].text("en")


@pytest.mark.parametrize("typed", ["2002/11/01", "2002.11.01", dt.date(2002, 11, 1)])
def test_dates_typed_with_slashes_or_dots_or_stored_as_dates_are_read(typed):
    assert checked(out_of_work_since=typed).values["out_of_work_since"] == dt.date(2002, 11, 1)


@pytest.mark.parametrize("typed", ["2002年11月", "11/01/2002", 37561])
def test_a_date_that_is_not_year_month_day_is_an_error_on_its_column(typed):
    assert errors_of(out_of_work_since=typed) == {"out_of_work_since": "ledger_import.bad_date"}


def test_an_id_number_that_excel_stored_as_a_number_is_refused_because_digits_were_lost():
    assert errors_of(id_number=3.20705196208143e17) == {"id_number": "ledger_import.id_as_number"}


def test_a_letter_in_a_fifteen_digit_number_is_refused_as_the_form_refuses_it():
    assert errors_of(id_number="3207056208A4062") == {"id_number": "ids.bad_format_15"}


@pytest.mark.parametrize(("community", "key"), [
    ("海州社区", "ledger_import.unknown_community"),
    ("朐阳社区", "ledger_import.community_out_of_scope"),
    ("东园社区", "ledger_import.ambiguous_community"),
    (None, "form.required"),
])
def test_a_community_must_be_one_known_community_in_the_importers_area(community, key):
    assert errors_of(community=community) == {"community": key}


def test_an_unknown_skill_is_named_by_the_forms_rule():
    result = checked(skills="保洁, 杂技")

    assert {k: m.key for k, m in result.errors.items()} == {"skills": "ledger.unknown_skills"}
    assert "杂技" in result.errors["skills"].text("zh")


def sheet_of(*rows) -> object:
    return read_sheet(template_workbook("zh", rows))


def test_an_eighteen_digit_number_and_its_fifteen_digit_twin_in_one_file_are_one_person():
    twin = make_first_generation_id("320705", BIRTH, 30, "F")

    results = validate_rows(sheet_of(row(), row(name="孙桂芬", id_number=twin)),
                            communities=COMMUNITIES, today=TODAY)

    assert results[0].errors == {}
    assert {k: m.key for k, m in results[1].errors.items()} == {
        "id_number": "ledger_import.repeated_in_file"}
    assert "2" in results[1].errors["id_number"].text("en")


def test_a_repeat_is_found_even_when_the_repeated_row_has_other_errors_too():
    results = validate_rows(sheet_of(row(), row(phone="call me")), communities=COMMUNITIES,
                            today=TODAY)

    assert set(results[1].errors) == {"id_number", "phone"}


def test_a_person_already_on_the_ledger_is_marked_with_the_record_number():
    results = validate_rows(sheet_of(row()), communities=COMMUNITIES, today=TODAY)

    mark_on_ledger(results, {make_resident_id("320705", BIRTH, 30, "F"): 41})

    assert results[0].errors["id_number"].key == "ledger_import.on_ledger"
    assert "41" in results[0].errors["id_number"].text("zh")


def test_a_close_name_with_the_same_birth_date_on_the_ledger_is_marked_on_the_name():
    results = validate_rows(sheet_of(row()), communities=COMMUNITIES, today=TODAY)

    mark_similar(results, {BIRTH: [(17, "孙桂方"), (18, "李秀英")]})

    assert results[0].errors["name"].key == "ledger_import.possible_duplicate"
    assert "孙桂方 (#17)" in results[0].errors["name"].text("zh")
    assert "李秀英" not in results[0].errors["name"].text("zh")


@pytest.mark.parametrize("typed", ["是", "yes", "Y", "✓"])
def test_a_row_checked_as_a_different_person_is_not_marked(typed):
    results = validate_rows(sheet_of(row(confirm_similar=typed)), communities=COMMUNITIES,
                            today=TODAY)

    mark_similar(results, {BIRTH: [(17, "孙桂方")]})

    assert results[0].errors == {}
    assert results[0].confirmed


def test_a_checked_column_that_is_neither_yes_nor_empty_is_an_error_on_it():
    assert errors_of(confirm_similar="也许") == {"confirm_similar": "ledger_import.yes_no"}


def test_the_template_has_chinese_column_names_and_a_notes_sheet_explaining_the_codes():
    book = openpyxl.load_workbook(io.BytesIO(template_workbook("zh")))

    ledger, notes = book.worksheets
    assert [c.value for c in ledger[1]][:5] == ["身份证号", "姓名", "性别", "出生日期", "所属社区"]
    assert ledger["A2"].number_format == "@"
    text = " ".join(str(c.value) for r in notes.iter_rows() for c in r if c.value)
    assert "下岗职工 (laid_off)" in text
    assert "YYYY-MM-DD" in text
    assert "保洁" in text


def test_the_template_read_back_has_no_rows():
    with pytest.raises(WorkbookUnreadable) as caught:
        read_sheet(template_workbook("en"))

    assert caught.value.message.key == "ledger_import.no_rows"


def test_a_file_that_is_not_a_workbook_is_unreadable():
    with pytest.raises(WorkbookUnreadable) as caught:
        read_sheet(b"name,id\n")

    assert caught.value.message.key == "ledger_import.not_xlsx"


def test_a_sheet_without_the_required_columns_names_them():
    book = openpyxl.Workbook()
    book.active.append(["姓名", "电话"])
    book.active.append(["孙桂芳", "13805181234"])
    content = io.BytesIO()
    book.save(content)

    with pytest.raises(WorkbookUnreadable) as caught:
        read_sheet(content.getvalue())

    assert "身份证号" in caught.value.text("zh")
    assert "人员类别" in caught.value.text("en")


def test_english_column_names_and_extra_columns_are_read_and_empty_rows_skipped():
    book = openpyxl.Workbook()
    book.active.append(["Remarks", "ID number", "Name", "Community", "Category"])
    book.active.append(["x", make_resident_id("320705", BIRTH, 30, "F"), "孙桂芳", "新海社区",
                        "laid_off"])
    book.active.append([None, None, "  ", None, None])
    content = io.BytesIO()
    book.save(content)

    sheet = read_sheet(content.getvalue())

    assert [n for n, _raw in sheet.rows] == [2]
    assert validate_rows(sheet, communities=COMMUNITIES, today=TODAY)[0].errors == {}


def test_the_error_text_names_each_column_in_the_workbooks_order():
    errors = checked(phone="call me", category="待业青年").errors

    zh, en = row_error_text(errors, "zh"), row_error_text(errors, "en")

    assert zh.index(header("category")) < zh.index(header("phone"))
    assert len(zh.splitlines()) == 2
    assert zh.startswith("【人员类别】请填写以下之一")
    assert en.startswith("[人员类别] Write one of")


def test_the_annotated_workbook_has_an_error_column_beside_each_bad_row_and_reuses_it():
    content = template_workbook("zh", [
        row(), row(name="", id_number=make_resident_id("320705", BIRTH, 31, "M"), sex=None),
        row(phone="call me", id_number=make_resident_id("320705", BIRTH, 32, "F"))])
    sheet = read_sheet(content)
    results = validate_rows(sheet, communities=COMMUNITIES, today=TODAY)
    errors = {r.row: r.errors for r in results if r.errors}

    once = annotate(content, sheet_title=sheet.title, errors=errors, lang="zh")
    twice = annotate(once, sheet_title=sheet.title, errors={4: errors[4]}, lang="en")

    first = openpyxl.load_workbook(io.BytesIO(once)).worksheets[0]
    column = [c.value for c in first[1]].index("错误") + 1
    assert [first.cell(row=r, column=column).value for r in (2, 3, 4)] == [
        None, "【姓名】必填。", row_error_text(errors[4], "zh")]
    second = openpyxl.load_workbook(io.BytesIO(twice)).worksheets[0]
    assert [c.value for c in second[1]].count("Errors") == 1
    assert second.cell(row=3, column=column).value is None
    assert second.cell(row=4, column=column).value.startswith("[电话]")
