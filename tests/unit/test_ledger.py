"""Checking a ledger record from plain values: every field, every error collected at once."""

import datetime as dt

import pytest

from casework.errors import ValidationError
from casework.ids import make_first_generation_id, make_resident_id
from casework.ledger import clean_person

TODAY = dt.date(2026, 11, 27)
BIRTH = dt.date(1975, 6, 1)
ID_NUMBER = make_resident_id("320706", BIRTH, 10, "M")


def valid(**overrides) -> dict:
    values = {
        "name": "王伟",
        "id_number": ID_NUMBER,
        "category": "laid_off",
        "education": "senior_middle",
        "income_band": "low",
        "phone": "0518-8551 2345",
        "address": "  新海新村3号楼2单元301室  ",
        "skills": ["cleaning", "housekeeping", "cleaning"],
        "household_members": 3,
        "dependants": 1,
        "out_of_work_since": dt.date(2025, 1, 1),
    }
    return values | overrides


def errors_of(values: dict) -> dict:
    with pytest.raises(ValidationError) as caught:
        clean_person(values, today=TODAY)
    return {field: message.key for field, message in caught.value.fields.items()}


def test_a_complete_record_is_cleaned_with_sex_and_birth_date_from_the_id_number():
    cleaned = clean_person(valid(), today=TODAY)

    assert cleaned["id_number"] == ID_NUMBER
    assert cleaned["sex"] == "M"
    assert cleaned["birth_date"] == BIRTH
    assert cleaned["address"] == "新海新村3号楼2单元301室"
    assert cleaned["skills"] == ["cleaning", "housekeeping"]
    assert cleaned["skills_note"] is None
    assert cleaned["id_number_original"] is None
    assert "certificate_number" not in cleaned


def test_sex_and_birth_date_that_agree_with_the_id_number_are_accepted():
    cleaned = clean_person(valid(sex="M", birth_date=BIRTH), today=TODAY)

    assert (cleaned["sex"], cleaned["birth_date"]) == ("M", BIRTH)


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_a_name_is_required(empty):
    assert errors_of(valid(name=empty)) == {"name": "form.required"}


@pytest.mark.parametrize("empty", [None, ""])
def test_a_category_is_required(empty):
    assert errors_of(valid(category=empty)) == {"category": "form.required"}


def test_a_name_longer_than_thirty_characters_is_refused():
    assert errors_of(valid(name="王" * 31)) == {"name": "ledger.name_too_long"}


def test_a_bad_id_number_is_an_error_on_the_id_number():
    assert errors_of(valid(id_number=ID_NUMBER[:-1])) == {"id_number": "ids.bad_length"}


def test_a_sex_that_contradicts_the_id_number_is_an_error_on_sex():
    assert errors_of(valid(sex="F")) == {"sex": "ledger.sex_mismatch"}


def test_a_birth_date_that_contradicts_the_id_number_is_an_error_on_birth_date():
    assert errors_of(valid(birth_date=dt.date(1975, 6, 2))) == {
        "birth_date": "ledger.birth_mismatch"}


@pytest.mark.parametrize("phone", ["call me", "12345", "0518/85512345"])
def test_a_malformed_phone_number_is_refused(phone):
    assert errors_of(valid(phone=phone)) == {"phone": "ledger.bad_phone"}


def test_a_skill_that_is_not_in_the_skills_list_is_refused():
    assert errors_of(valid(skills=["cleaning", "juggling"])) == {"skills": "ledger.unknown_skills"}


def test_an_unknown_education_is_a_bad_choice():
    assert errors_of(valid(education="phd")) == {"education": "form.bad_choice"}


@pytest.mark.parametrize(("members", "dependants"), [(3, 3), (3, 4), (1, 1), (3, -1)])
def test_dependants_must_be_fewer_than_the_household_members(members, dependants):
    errors = errors_of(valid(household_members=members, dependants=dependants))

    assert errors == {"dependants": "ledger.bad_dependants"}


@pytest.mark.parametrize("members", [0, 31])
def test_a_household_must_have_between_one_and_thirty_members(members):
    assert errors_of(valid(household_members=members, dependants=None)) == {
        "household_members": "ledger.bad_members"}


def test_out_of_work_since_a_date_after_today_is_refused():
    errors = errors_of(valid(out_of_work_since=TODAY + dt.timedelta(days=1)))

    assert errors == {"out_of_work_since": "form.date_in_future"}


def test_out_of_work_since_before_birth_is_refused():
    errors = errors_of(valid(out_of_work_since=dt.date(1970, 1, 1)))

    assert errors == {"out_of_work_since": "ledger.before_birth"}


def test_a_fifteen_digit_number_is_kept_as_the_original_beside_its_eighteen_digit_form():
    old = make_first_generation_id("320706", BIRTH, 10, "M")

    cleaned = clean_person(valid(id_number=old, sex="M", birth_date=BIRTH), today=TODAY)

    assert (cleaned["id_number"], cleaned["id_number_original"]) == (ID_NUMBER, old)
    assert (cleaned["sex"], cleaned["birth_date"]) == ("M", BIRTH)


def test_sex_and_birth_date_are_checked_against_a_fifteen_digit_number_too():
    old = make_first_generation_id("320706", BIRTH, 10, "M")

    errors = errors_of(valid(id_number=old, sex="F", birth_date=dt.date(1975, 6, 2)))

    assert errors == {"sex": "ledger.sex_mismatch", "birth_date": "ledger.birth_mismatch"}


def test_a_letter_in_a_fifteen_digit_number_is_an_error_on_the_id_number():
    assert errors_of(valid(id_number="3207067506A1021")) == {"id_number": "ids.bad_format_15"}


def test_every_problem_is_reported_in_one_validation_error():
    values = valid(name="", sex="F", phone="call me", skills=["juggling"], category="pirate",
                   household_members=2, dependants=2,
                   out_of_work_since=TODAY + dt.timedelta(days=30))

    errors = errors_of(values)

    assert errors == {
        "name": "form.required",
        "sex": "ledger.sex_mismatch",
        "phone": "ledger.bad_phone",
        "skills": "ledger.unknown_skills",
        "category": "form.bad_choice",
        "dependants": "ledger.bad_dependants",
        "out_of_work_since": "form.date_in_future",
    }


def test_the_field_messages_read_in_both_languages():
    with pytest.raises(ValidationError) as caught:
        clean_person(valid(name="", sex="F", birth_date=dt.date(1975, 6, 2)), today=TODAY)

    zh = caught.value.field_texts("zh")
    en = caught.value.field_texts("en")

    assert set(zh) == set(en) == {"name", "sex", "birth_date"}
    assert all(text and not text.startswith(("form.", "ledger.")) for text in zh.values())
    assert all(text and not text.startswith(("form.", "ledger.")) for text in en.values())
    assert "male" in en["sex"]
    assert "1975-06-01" in en["birth_date"]
    assert "男" in zh["sex"]
    assert "3" in caught.value.text("en")


def test_counts_typed_as_text_are_read_as_whole_numbers():
    cleaned = clean_person(valid(household_members=" 4 ", dependants="1"), today=TODAY)

    assert (cleaned["household_members"], cleaned["dependants"]) == (4, 1)


def test_a_count_that_is_not_a_whole_number_is_an_error_on_its_field():
    assert set(errors_of(valid(household_members="three"))) == {"household_members"}
