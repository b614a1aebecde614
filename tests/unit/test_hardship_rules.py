"""Hardship-group eligibility and the home-visit schedule as pure rules: no database."""

import datetime as dt
import tomllib

import pytest

from casework import settings
from casework.policy import hardship_eligibility, load_policy, visit_due

ON = dt.date(2026, 11, 27)
ALL_MET = {"able_to_work": True, "willing": True, "accepts_any_job": True}
CRITERIA = {"able_to_work": 2, "willing": 3, "accepts_any_job": 4}


@pytest.fixture(scope="module")
def policy():
    return load_policy()


@pytest.fixture(scope="module")
def interval(policy) -> dt.timedelta:
    return dt.timedelta(days=policy["visits"]["interval_days"])


def turning_today(age: int) -> dt.date:
    """The birth date of someone whose ``age``-th birthday is ON."""
    return ON.replace(year=ON.year - age)


def turning_tomorrow(age: int) -> dt.date:
    """The birth date of someone for whom ON is the day before their ``age``-th birthday."""
    return turning_today(age) + dt.timedelta(days=1)


def decide(birth_date: dt.date, sex: str, **criteria):
    return hardship_eligibility(load_policy(), birth_date=birth_date, sex=sex, on=ON,
                                **(ALL_MET | criteria))


# --- working age ---------------------------------------------------------------------------


@pytest.mark.parametrize("sex", ["M", "F"])
def test_a_person_turning_16_today_is_of_working_age(sex):
    decision = decide(turning_today(16), sex)

    assert decision.ok is True
    assert "16" in decision.explain("en")[0]


@pytest.mark.parametrize("sex", ["M", "F"])
def test_a_person_of_15_on_the_day_before_their_16th_birthday_is_not_eligible(sex):
    decision = decide(turning_tomorrow(16), sex)

    assert decision.ok is False
    assert "Age 15 is below the working-age minimum of 16" in decision.explain("en")[0]
    assert "15 岁" in decision.explain("zh")[0]


@pytest.mark.parametrize("sex", ["M", "F"])
def test_a_person_of_15_whose_birthday_was_today_is_not_eligible(sex):
    decision = decide(turning_today(15), sex)

    assert decision.ok is False
    assert "below" in decision.explain("en")[0]


def test_a_woman_of_50_on_the_day_before_her_51st_birthday_is_eligible():
    decision = decide(turning_tomorrow(51), "F")

    assert decision.ok is True
    assert "Age 50" in decision.explain("en")[0]


def test_a_woman_turning_50_today_is_eligible():
    assert decide(turning_today(50), "F").ok is True


def test_a_woman_turning_51_today_is_not_eligible():
    decision = decide(turning_today(51), "F")

    assert decision.ok is False
    [age_reason] = [line for line in decision.explain("en") if line.startswith("Age")]
    assert "Age 51 is above 50" in age_reason
    assert "women" in age_reason
    assert "51 岁" in decision.explain("zh")[0]
    assert "女性" in decision.explain("zh")[0]


def test_a_man_of_60_on_the_day_before_his_61st_birthday_is_eligible():
    decision = decide(turning_tomorrow(61), "M")

    assert decision.ok is True
    assert "Age 60" in decision.explain("en")[0]


def test_a_man_turning_60_today_is_eligible():
    assert decide(turning_today(60), "M").ok is True


def test_a_man_turning_61_today_is_not_eligible():
    decision = decide(turning_today(61), "M")

    assert decision.ok is False
    assert "Age 61 is above 60" in decision.explain("en")[0]
    assert "men" in decision.explain("en")[0]
    assert "男性" in decision.explain("zh")[0]


def test_a_woman_of_51_is_not_eligible_even_though_a_man_of_51_is():
    birth = turning_today(51)

    assert decide(birth, "F").ok is False
    assert decide(birth, "M").ok is True


# --- the three other criteria ----------------------------------------------------------------


def test_a_forty_year_old_meeting_every_criterion_is_eligible_and_every_criterion_is_explained():
    decision = decide(turning_today(40), "M")

    assert decision.ok is True
    assert len(decision.explain("en")) == 4
    assert not any("not met" in line for line in decision.explain("en"))
    assert not any("不符合" in line for line in decision.explain("zh"))


@pytest.mark.parametrize("criterion", sorted(CRITERIA))
def test_one_criterion_failing_alone_makes_a_person_ineligible_and_is_named(criterion):
    decision = decide(turning_today(40), "F", **{criterion: False})

    assert decision.ok is False
    number = CRITERIA[criterion]
    [failed_en] = [line for line in decision.explain("en") if "not met" in line]
    assert f"criterion {number}" in failed_en
    [failed_zh] = [line for line in decision.explain("zh") if "不符合" in line]
    assert f"第 {number} 项" in failed_zh
    assert decision.explain("en")[0].startswith("Age 40 is within")


def test_not_being_able_to_work_is_explained_in_english_and_chinese():
    decision = decide(turning_today(40), "M", able_to_work=False)

    assert "Not able to work: criterion 2 is not met." in decision.explain("en")
    assert "无劳动能力：不符合第 2 项条件。" in decision.explain("zh")


def test_an_unwilling_person_is_explained_in_english_and_chinese():
    decision = decide(turning_today(40), "M", willing=False)

    assert "Not willing to be re-employed: criterion 3 is not met." in decision.explain("en")
    assert "没有再就业愿望：不符合第 3 项条件。" in decision.explain("zh")


def test_a_person_choosy_about_jobs_is_explained_in_english_and_chinese():
    decision = decide(turning_today(40), "M", accepts_any_job=False)

    assert "Does not accept any job: criterion 4 is not met." in decision.explain("en")
    assert "对岗位有挑拣：不符合第 4 项条件。" in decision.explain("zh")


@pytest.mark.parametrize(("age", "criteria"), [
    (40, {}),
    (61, {}),
    (40, {"willing": False}),
])
def test_the_decision_carries_the_version_of_the_policy_file(age, criteria):
    raw = tomllib.loads(settings.policy_path().read_text("utf-8"))

    decision = decide(turning_today(age), "M", **criteria)

    assert decision.policy_version == raw["version"]


# --- visit schedule --------------------------------------------------------------------------


def test_the_interval_comes_from_the_policy_file(policy, interval):
    raw = tomllib.loads(settings.policy_path().read_text("utf-8"))

    assert interval.days == raw["visits"]["interval_days"]


def test_a_visit_is_due_today_one_interval_after_the_last_visit(policy, interval):
    due = visit_due(policy, registered_on=ON - 3 * interval, last_visit=ON - interval, today=ON)

    assert (due.due_on, due.state, due.days_overdue) == (ON, "due", 0)
    assert due.never_visited is False


def test_a_visit_one_day_past_the_interval_is_overdue_by_one_day(policy, interval):
    last = ON - interval - dt.timedelta(days=1)

    due = visit_due(policy, registered_on=ON - 3 * interval, last_visit=last, today=ON)

    assert (due.due_on, due.state, due.days_overdue) == (ON - dt.timedelta(days=1), "overdue", 1)


def test_a_visit_falling_due_tomorrow_is_upcoming(policy, interval):
    last = ON - interval + dt.timedelta(days=1)

    due = visit_due(policy, registered_on=ON - 3 * interval, last_visit=last, today=ON)

    assert (due.due_on, due.state, due.days_overdue) == (ON + dt.timedelta(days=1), "upcoming", 0)


def test_a_household_never_visited_is_due_one_interval_after_registration(policy, interval):
    registered = ON - dt.timedelta(days=5)

    due = visit_due(policy, registered_on=registered, last_visit=None, today=ON)

    assert due.due_on == registered + interval
    assert due.state == "upcoming"
    assert due.never_visited is True


def test_a_household_never_visited_since_registration_long_ago_is_overdue(policy, interval):
    registered = ON - interval - dt.timedelta(days=1)

    due = visit_due(policy, registered_on=registered, last_visit=None, today=ON)

    assert (due.state, due.days_overdue, due.never_visited) == ("overdue", 1, True)


def test_a_planned_visit_earlier_than_the_interval_brings_the_due_date_forward(policy, interval):
    last = ON - dt.timedelta(days=10)
    planned = ON - dt.timedelta(days=2)

    due = visit_due(policy, registered_on=ON - 3 * interval, last_visit=last, today=ON,
                    planned=planned)

    assert (due.due_on, due.state, due.days_overdue) == (planned, "overdue", 2)


def test_a_planned_visit_later_than_the_interval_does_not_push_the_due_date_back(policy, interval):
    last = ON - interval
    planned = ON + dt.timedelta(days=20)

    due = visit_due(policy, registered_on=ON - 3 * interval, last_visit=last, today=ON,
                    planned=planned)

    assert (due.due_on, due.state) == (ON, "due")
