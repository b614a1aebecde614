"""Resident ID numbers: what is accepted, what is refused and why, and how numbers are masked."""

import datetime as dt

import pytest
from stdnum.cn import ric

from casework.ids import InvalidIdNumber, make_resident_id, mask, parse_resident_id

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


@pytest.mark.parametrize("cut", [1, 3])
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
