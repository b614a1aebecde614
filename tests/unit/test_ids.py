"""Resident ID numbers: what is accepted, what is refused and why, and how numbers are masked."""

import datetime as dt

import pytest
from stdnum.cn import ric

from casework.ids import (
    InvalidIdNumber,
    make_first_generation_id,
    make_resident_id,
    mask,
    parse_resident_id,
    upgrade_first_generation,
)

TODAY = dt.date(2026, 11, 27)


def with_check_digit(first_17: str) -> str:
    """A number whose check digit is right, whatever the first 17 digits say."""
    return first_17 + ric.calc_check_digit(first_17 + "0")


def reason(number: str) -> str:
    with pytest.raises(InvalidIdNumber) as caught:
        parse_resident_id(number, today=TODAY)
    return caught.value.message.key


def test_a_good_number_gives_its_birth_date_sex_and_region():
    number = make_resident_id("320706", dt.date(1990, 5, 17), 12, "F")

    rid = parse_resident_id(number, today=TODAY)

    assert rid.number == number
    assert rid.birth_date == dt.date(1990, 5, 17)
    assert rid.sex == "F"
    assert rid.area_code == "320706"


def test_an_odd_seventeenth_digit_means_a_man():
    number = make_resident_id("320722", dt.date(1982, 1, 30), 7, "M")

    rid = parse_resident_id(number, today=TODAY)

    assert int(number[16]) % 2 == 1
    assert rid.sex == "M"


def test_surrounding_spaces_and_a_lower_case_x_check_digit_are_accepted():
    birth = dt.date(1968, 9, 2)
    number = next(n for n in (make_resident_id("320703", birth, s, "M") for s in range(500))
                  if n.endswith("X"))
    typed = f"  {number.lower()} "

    rid = parse_resident_id(typed, today=TODAY)

    assert rid.number == number


def test_a_wrong_check_digit_is_reported_as_a_bad_checksum():
    good = make_resident_id("320706", dt.date(1970, 5, 17), 12, "F")
    wrong = good[:-1] + ("1" if good[-1] != "1" else "2")

    assert reason(wrong) == "ids.bad_checksum"


@pytest.mark.parametrize("cut", [1, 2, 4])
def test_a_number_of_the_wrong_length_is_reported_as_such(cut):
    good = make_resident_id("320706", dt.date(1970, 5, 17), 12, "F")

    assert reason(good[:-cut]) == "ids.bad_length"


def test_an_empty_number_is_reported_as_the_wrong_length():
    assert reason("") == "ids.bad_length"


def test_a_letter_among_the_first_seventeen_characters_is_a_bad_format():
    good = make_resident_id("320706", dt.date(1970, 5, 17), 12, "F")

    assert reason(good[:10] + "A" + good[11:]) == "ids.bad_format"


@pytest.mark.parametrize("birth", ["19701317", "19700230", "19700100", "19710229"])
def test_an_impossible_birth_date_with_a_correct_check_digit_is_a_bad_birth_date(birth):
    number = with_check_digit(f"320706{birth}123")

    assert reason(number) == "ids.bad_birth_date"


def test_a_birth_date_after_today_is_refused():
    number = make_resident_id("320706", TODAY + dt.timedelta(days=1), 3, "M")

    assert reason(number) == "ids.future_birth_date"


def test_someone_born_today_is_accepted():
    number = make_resident_id("320706", TODAY, 3, "M")

    assert parse_resident_id(number, today=TODAY).birth_date == TODAY


def test_an_unknown_region_code_is_refused():
    number = with_check_digit("999999" + "19700517" + "123")

    assert reason(number) == "ids.bad_region"


def test_an_unassigned_county_code_in_a_known_province_is_refused():
    number = with_check_digit("320799" + "19700517" + "123")

    assert reason(number) == "ids.bad_region"


def test_an_old_region_code_is_accepted_for_someone_born_before_it_existed():
    number = make_resident_id("320705", dt.date(1965, 3, 15), 41, "M")

    rid = parse_resident_id(number, today=TODAY)

    assert not ric.is_valid(number)  # stdnum alone refuses it: 新浦区 dates from 1986
    assert rid.area_code == "320705"
    assert rid.birth_date == dt.date(1965, 3, 15)


def test_the_refusal_reads_in_chinese_and_in_english():
    with pytest.raises(InvalidIdNumber) as caught:
        parse_resident_id("123", today=TODAY)

    assert caught.value.message.text("en") == str(caught.value)
    assert "18" in caught.value.message.text("zh")
    assert caught.value.message.text("zh") != caught.value.message.text("en")


def test_mask_keeps_the_region_and_the_last_four_characters():
    number = make_resident_id("320706", dt.date(1970, 5, 17), 12, "F")

    masked = mask(number)

    assert masked == number[:6] + "********" + number[-4:]
    assert len(masked) == 18
    assert number[6:14] not in masked


def test_mask_hides_a_number_of_the_wrong_length_entirely():
    assert mask("1234567") == "*******"
    assert mask("") == ""


def test_a_valid_fifteen_digit_number_becomes_its_eighteen_digit_form_with_the_check_digit():
    # 320705 新浦区, born 1965-03-15, order 083 (odd: a man); no check digit on the old card.
    old = "320705650315083"
    new = "32070519650315083" + ric.calc_check_digit("32070519650315083" + "0")

    rid = parse_resident_id(old, today=TODAY)

    assert upgrade_first_generation(old) == new
    assert (rid.number, rid.original) == (new, old)
    assert (rid.birth_date, rid.sex) == (dt.date(1965, 3, 15), "M")


def test_a_fifteen_digit_number_and_its_eighteen_digit_twin_read_as_the_same_person():
    old = make_first_generation_id("320706", dt.date(1958, 12, 1), 40, "F")
    twin = make_resident_id("320706", dt.date(1958, 12, 1), 40, "F")

    from_old, from_new = parse_resident_id(old, today=TODAY), parse_resident_id(twin, today=TODAY)

    assert len(old) == 15
    assert from_old.number == from_new.number == twin
    assert (from_old.sex, from_old.birth_date) == (from_new.sex, from_new.birth_date) == (
        "F", dt.date(1958, 12, 1))
    assert (from_old.original, from_new.original) == (old, None)


def test_an_even_last_digit_of_a_fifteen_digit_number_means_a_woman():
    assert parse_resident_id("320722700101124", today=TODAY).sex == "F"


@pytest.mark.parametrize("birth", ["701317", "700230", "700100", "710229"])
def test_an_impossible_birth_date_in_a_fifteen_digit_number_is_a_bad_birth_date(birth):
    assert reason(f"320706{birth}123") == "ids.bad_birth_date"


def test_the_fifteen_digit_century_is_the_1900s_so_1900_is_not_a_leap_year():
    assert reason("320706000229123") == "ids.bad_birth_date"
    assert parse_resident_id("320706960229123", today=TODAY).birth_date == dt.date(1996, 2, 29)


@pytest.mark.parametrize("typed", ["32070670051712X", "3207067005A7123", "x20706700517123"])
def test_a_letter_in_a_fifteen_digit_number_is_a_bad_format(typed):
    assert reason(typed) == "ids.bad_format_15"


def test_an_unknown_region_in_a_fifteen_digit_number_is_refused():
    assert reason("999999700517123") == "ids.bad_region"


@pytest.mark.parametrize("length", [14, 16])
def test_numbers_of_fourteen_or_sixteen_digits_are_the_wrong_length(length):
    assert reason("320706700517123456"[:length]) == "ids.bad_length"


def test_the_fifteen_digit_letter_refusal_reads_in_both_languages():
    with pytest.raises(InvalidIdNumber) as caught:
        parse_resident_id("3207067005A7123", today=TODAY)

    zh, en = caught.value.message.text("zh"), caught.value.message.text("en")
    assert "15" in zh and "15" in en
    assert zh != en


def test_mask_keeps_the_region_and_the_last_four_digits_of_a_fifteen_digit_number():
    assert mask("320706700517123") == "320706*****7123"
