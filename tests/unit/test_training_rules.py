"""Training rules as pure functions: enrolment, completion, overlapping dates, follow-up dates."""

import dataclasses
import datetime as dt
from types import MappingProxyType

import pytest

from casework.policy import (
    add_months,
    age_on,
    completion,
    dates_overlap,
    enrolment_eligibility,
    follow_up_dates,
    load_policy,
)

COURSE_START = dt.date(2026, 3, 16)
KINDS = ("reskilling", "labour_preparation", "entrepreneurship")
JOBSEEKERS = ("laid_off", "unemployed", "never_employed")
ADULT = dt.date(1980, 5, 10)


@pytest.fixture(scope="module")
def policy():
    return load_policy()


def with_training(policy, **training):
    """The policy with some [training] parameters replaced."""
    params = dict(policy.params) | {"training": dict(policy["training"]) | training}
    return dataclasses.replace(policy, params=MappingProxyType(params))


def turning_on_start(age: int) -> dt.date:
    """The birth date of someone whose ``age``-th birthday is the course's first day."""
    return COURSE_START.replace(year=COURSE_START.year - age)


def turning_day_after_start(age: int) -> dt.date:
    """The birth date of someone whose ``age``-th birthday is the day after the course starts."""
    return turning_on_start(age) + dt.timedelta(days=1)


def decide(policy, *, category="laid_off", birth_date=ADULT, sex="M", kind="reskilling",
           overlapping=None):
    return enrolment_eligibility(policy, category=category, birth_date=birth_date, sex=sex,
                                 course_kind=kind, course_start=COURSE_START,
                                 overlapping_course=overlapping)


# --- category ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("category", JOBSEEKERS)
def test_laid_off_unemployed_and_never_employed_people_may_take_every_kind_of_course(
        policy, category, kind):
    decision = decide(policy, category=category, kind=kind)

    assert decision.ok is True
    assert "may take this kind of course" in decision.explain("en")[0]


def test_a_new_entrant_may_take_a_labour_preparation_course(policy):
    decision = decide(policy, category="new_entrant", kind="labour_preparation")

    assert decision.ok is True
    assert "new labour-force entrant" in decision.explain("en")[0]


@pytest.mark.parametrize("kind", ["reskilling", "entrepreneurship"])
def test_a_new_entrant_is_refused_any_course_but_labour_preparation(policy, kind):
    decision = decide(policy, category="new_entrant", kind=kind)

    assert decision.ok is False
    assert decision.explain("en")[0] == (
        "Category 'new labour-force entrant' may take labour-preparation courses only.")
    assert decision.explain("zh")[0] == "未能升学的新成长劳动力只能参加劳动预备制培训。"


@pytest.mark.parametrize("kind", KINDS)
def test_a_retiree_is_refused_every_kind_of_course(policy, kind):
    decision = decide(policy, category="retiree", kind=kind)

    assert decision.ok is False
    assert "'enterprise retiree' is not among those trained" in decision.explain("en")[0]
    assert "企业离退休人员不在培训对象之列" in decision.explain("zh")[0]


# --- working age on the course's first day -------------------------------------------------


@pytest.mark.parametrize("sex", ["M", "F"])
def test_someone_turning_16_on_the_day_the_course_starts_may_enrol(policy, sex):
    decision = decide(policy, birth_date=turning_on_start(16), sex=sex)

    assert decision.ok is True
    assert "Age 16 is within the working age" in decision.explain("en")[1]


@pytest.mark.parametrize("sex", ["M", "F"])
def test_someone_turning_16_the_day_after_the_course_starts_is_refused_as_15(policy, sex):
    decision = decide(policy, birth_date=turning_day_after_start(16), sex=sex)

    assert decision.ok is False
    assert decision.explain("en")[1] == "Age 15 is below the working-age minimum of 16."
    assert decision.explain("zh")[1] == "15 岁，低于法定劳动年龄下限 16 岁。"


def test_a_woman_turning_51_the_day_after_the_course_starts_may_enrol_at_50(policy):
    decision = decide(policy, birth_date=turning_day_after_start(51), sex="F")

    assert decision.ok is True
    assert "Age 50 is within the working age of 16–50 for women" in decision.explain("en")[1]


def test_a_woman_turning_51_on_the_day_the_course_starts_is_refused(policy):
    decision = decide(policy, birth_date=turning_on_start(51), sex="F")

    assert decision.ok is False
    assert decision.explain("en")[1] == (
        "Age 51 is above 50, the working-age maximum for women.")
    assert decision.explain("zh")[1] == "51 岁，超过女性法定劳动年龄上限 50 岁。"


def test_a_man_turning_61_the_day_after_the_course_starts_may_enrol_at_60(policy):
    decision = decide(policy, birth_date=turning_day_after_start(61), sex="M")

    assert decision.ok is True
    assert "Age 60 is within the working age of 16–60 for men" in decision.explain("en")[1]


def test_a_man_turning_61_on_the_day_the_course_starts_is_refused(policy):
    decision = decide(policy, birth_date=turning_on_start(61), sex="M")

    assert decision.ok is False
    assert decision.explain("en")[1] == "Age 61 is above 60, the working-age maximum for men."
    assert decision.explain("zh")[1] == "61 岁，超过男性法定劳动年龄上限 60 岁。"


def test_age_is_judged_on_the_course_start_not_on_the_day_of_applying(policy):
    """Someone who is 15 when applying but 16 when the course starts may enrol."""
    birth = turning_on_start(16)
    assert age_on(birth, COURSE_START - dt.timedelta(days=30)) == 15

    assert decide(policy, birth_date=birth).ok is True


# --- overlapping courses -------------------------------------------------------------------


def test_someone_in_an_overlapping_course_is_refused_and_told_which_course(policy):
    decision = decide(policy, overlapping="家政服务员（初级）第3期")

    assert decision.ok is False
    assert decision.explain("en")[-1] == (
        "Already in the course '家政服务员（初级）第3期', whose dates overlap.")
    assert decision.explain("zh")[-1] == "已在时间重叠的课程“家政服务员（初级）第3期”中。"


def test_every_unmet_rule_is_explained_at_once(policy):
    decision = decide(policy, category="retiree", birth_date=turning_on_start(61), sex="M",
                      overlapping="Elderly care 2")

    assert decision.ok is False
    english = decision.explain("en")
    assert len(english) == 3
    assert "not among those trained" in english[0]
    assert "Age 61 is above 60" in english[1]
    assert "'Elderly care 2'" in english[2]


def test_an_eligible_person_gets_every_reason_explained_too(policy):
    decision = decide(policy)

    assert decision.ok is True
    assert len(decision.explain("zh")) == 2
    assert "下岗职工" in decision.explain("zh")[0]


# --- policy version ------------------------------------------------------------------------


def test_an_enrolment_decision_carries_the_policy_version(policy):
    assert decide(policy).policy_version == policy.version == "2003-97/2"
    assert decide(policy, category="retiree").policy_version == "2003-97/2"


def test_an_enrolment_decision_carries_whatever_version_the_policy_has(policy):
    revised = dataclasses.replace(policy, version="2003-97/2")

    assert decide(revised).policy_version == "2003-97/2"
    assert decide(revised, overlapping="x").policy_version == "2003-97/2"


# --- completion ----------------------------------------------------------------------------


def test_the_policy_file_sets_completion_at_four_fifths_of_the_hours(policy):
    assert policy["training"]["completion_min_share"] == 0.8


def test_attending_exactly_the_minimum_share_of_hours_completes(policy):
    decision = completion(with_training(policy, completion_min_share=0.8),
                          hours_attended=80, course_hours=100)

    assert decision.ok is True
    assert decision.policy_version == policy.version
    assert decision.explain("en") == [
        "Attended 80 of 100 hours (80%), at least the 80% needed to complete."]
    assert decision.explain("zh") == ["出勤 80 小时，占课时 100 小时的 80%，达到结业要求 80%。"]


def test_attending_a_tenth_of_an_hour_less_than_the_minimum_share_does_not_complete(policy):
    decision = completion(with_training(policy, completion_min_share=0.8),
                          hours_attended=79.9, course_hours=100)

    assert decision.ok is False
    assert "Attended 79.9 of 100 hours" in decision.explain("en")[0]
    assert "short of the 80% needed to complete" in decision.explain("en")[0]
    assert "未达到结业要求 80%" in decision.explain("zh")[0]


def test_the_shortfall_explanation_does_not_round_the_share_up_to_the_share_needed(policy):
    """79.9 of 100 hours is 79.9%; saying '(80%), short of the 80% needed' contradicts itself."""
    decision = completion(with_training(policy, completion_min_share=0.8),
                          hours_attended=79.9, course_hours=100)

    assert "(80%)" not in decision.explain("en")[0]


def test_a_fractional_attendance_of_exactly_the_minimum_share_completes(policy):
    """34.4 hours is exactly 80% of a 43-hour course (binary floating point says 79.99…%)."""
    decision = completion(with_training(policy, completion_min_share=0.8),
                          hours_attended=34.4, course_hours=43)

    assert decision.ok is True


def test_a_lower_minimum_share_in_the_policy_lowers_the_hours_needed(policy):
    decision = completion(with_training(policy, completion_min_share=0.75),
                          hours_attended=75, course_hours=100)

    assert decision.ok is True
    assert "at least the 75% needed" in decision.explain("en")[0]


def test_a_course_of_zero_hours_cannot_be_completed(policy):
    decision = completion(policy, hours_attended=0, course_hours=0)

    assert decision.ok is False
    assert "short of the 80% needed" in decision.explain("en")[0]


def test_attending_every_hour_completes(policy):
    assert completion(policy, hours_attended=64, course_hours=64).ok is True


# --- overlapping dates ---------------------------------------------------------------------


def test_two_courses_sharing_only_their_last_and_first_day_overlap():
    assert dates_overlap(dt.date(2026, 3, 1), dt.date(2026, 3, 31),
                         dt.date(2026, 3, 31), dt.date(2026, 4, 30)) is True
    assert dates_overlap(dt.date(2026, 3, 31), dt.date(2026, 4, 30),
                         dt.date(2026, 3, 1), dt.date(2026, 3, 31)) is True


def test_a_course_starting_the_day_after_another_ends_does_not_overlap():
    assert dates_overlap(dt.date(2026, 3, 1), dt.date(2026, 3, 31),
                         dt.date(2026, 4, 1), dt.date(2026, 4, 30)) is False
    assert dates_overlap(dt.date(2026, 4, 1), dt.date(2026, 4, 30),
                         dt.date(2026, 3, 1), dt.date(2026, 3, 31)) is False


def test_a_course_inside_another_overlaps_it():
    assert dates_overlap(dt.date(2026, 3, 1), dt.date(2026, 6, 30),
                         dt.date(2026, 4, 1), dt.date(2026, 4, 2)) is True


def test_one_day_courses_on_the_same_day_overlap():
    day = dt.date(2026, 3, 1)

    assert dates_overlap(day, day, day, day) is True


# --- months and follow-up dates ------------------------------------------------------------


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
    (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
    (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),
    (dt.date(2026, 5, 31), 1, dt.date(2026, 6, 30)),
    (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
    (dt.date(2026, 12, 31), 3, dt.date(2027, 3, 31)),
    (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
    (dt.date(2026, 10, 31), 12, dt.date(2027, 10, 31)),
    (dt.date(2026, 12, 31), 12, dt.date(2027, 12, 31)),
    (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),
    (dt.date(2026, 7, 4), 0, dt.date(2026, 7, 4)),
])
def test_adding_months_keeps_the_day_or_falls_back_to_the_last_day_of_the_month(
        day, months, expected):
    assert add_months(day, months) == expected


def test_follow_ups_fall_due_3_6_and_12_months_after_the_course_ends(policy):
    assert follow_up_dates(policy, course_end=dt.date(2026, 8, 31)) == [
        (3, dt.date(2026, 11, 30)),
        (6, dt.date(2027, 2, 28)),
        (12, dt.date(2027, 8, 31)),
    ]


def test_follow_up_months_come_from_the_policy(policy):
    revised = with_training(policy, follow_up_months=[1, 24])

    assert follow_up_dates(revised, course_end=dt.date(2026, 1, 31)) == [
        (1, dt.date(2026, 2, 28)),
        (24, dt.date(2028, 1, 31)),
    ]
