"""特困家庭 as pure rules, no database: registration by our reading of 连政办发[2002]132号
(policy.toml [hardship]), employment aid per member by the four conditions of 三(七), and the
home-visit schedule."""

import datetime as dt
import tomllib

import pytest

from casework import settings
from casework.policy import employment_aid, hardship_registration, load_policy, visit_due

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


def decide(birth_date: dt.date, sex: str, *, female_cadre: bool = False, **criteria):
    return employment_aid(load_policy(), birth_date=birth_date, sex=sex, on=ON,
                          female_cadre=female_cadre, **(ALL_MET | criteria))


def register(*, size: int = 3, income: int = 300, situations=("laid_off", "student", "other"),
             remark: str | None = "夫妻下岗，孩子上学，靠打零工维持生活。"):
    return hardship_registration(load_policy(), household_size=size, household_income=income,
                                 situations=situations, remark=remark)


@pytest.fixture(scope="module")
def threshold(policy) -> int:
    return policy["hardship"]["income_threshold_yuan"]


# --- registration (连政办发[2002]132号 as policy.toml reads it) ---------------------------------


def test_the_threshold_and_out_of_work_situations_come_from_the_policy_file(threshold):
    raw = tomllib.loads(settings.policy_path().read_text("utf-8"))

    assert threshold == raw["hardship"]["income_threshold_yuan"]
    assert raw["hardship"]["criteria_reference"] == "连政办发[2002]132号"


def test_a_household_one_yuan_below_the_threshold_per_head_is_registered(threshold):
    decision = register(size=2, income=2 * threshold - 1)

    assert decision.ok is True
    assert len(decision.reasons) == 3
    assert f"is below the standard of {threshold} yuan" in decision.explain("en")[0]
    assert f"低于 {threshold} 元的标准" in decision.explain("zh")[0]


def test_a_household_exactly_at_the_threshold_is_not_registered(threshold):
    decision = register(size=2, income=2 * threshold)

    assert decision.ok is False
    [unmet] = decision.unmet()
    assert unmet.key == "policy.hardship.income.no"
    assert f"{threshold} yuan a month ({2 * threshold} yuan ÷ 2)" in decision.explain("en")[0]
    assert "不符合收入条件" in decision.explain("zh")[0]


def test_a_household_above_the_threshold_is_not_registered(threshold):
    decision = register(size=4, income=4 * threshold + 40)

    assert decision.ok is False
    assert f"per head {threshold + 10} yuan" in decision.explain("en")[0]


def test_per_head_income_is_compared_exactly_not_rounded(threshold):
    # 3 people on 3 × threshold − 1 yuan: threshold − 0.33 each, below; shown to the fen.
    decision = register(size=3, income=3 * threshold - 1)

    assert decision.ok is True
    assert f"{threshold - 1}.67" in decision.explain("en")[0]


def test_a_household_with_no_member_out_of_work_is_refused_with_that_reason():
    decision = register(situations=("employed", "retired", "student"))

    assert decision.ok is False
    [unmet] = decision.unmet()
    assert unmet.key == "policy.hardship.out_of_work.no"
    assert "No member is laid off, unemployed or never employed" in decision.explain("en")[1]
    assert "没有下岗、失业或从未就业的成员" in decision.explain("zh")[1]


@pytest.mark.parametrize("situation", ["laid_off", "unemployed", "never_employed"])
def test_one_member_laid_off_unemployed_or_never_employed_is_enough(situation):
    decision = register(situations=("employed", situation))

    assert decision.ok is True
    assert "1 member(s)" in decision.explain("en")[1]


@pytest.mark.parametrize("remark", [None, "", "   "])
def test_a_household_without_a_remark_is_refused_with_that_reason(remark):
    decision = register(remark=remark)

    assert decision.ok is False
    [unmet] = decision.unmet()
    assert unmet.key == "policy.hardship.remark.no"
    assert "a remark is required" in decision.explain("en")[2]


def test_every_registration_criterion_is_explained_when_all_fail(threshold):
    decision = register(size=1, income=threshold, situations=("employed",), remark=None)

    assert decision.ok is False
    assert [r.key for r in decision.unmet()] == [
        "policy.hardship.income.no", "policy.hardship.out_of_work.no", "policy.hardship.remark.no"]


def test_a_household_of_nobody_is_a_programming_error():
    with pytest.raises(ValueError, match="at least one member"):
        register(size=0)


def test_the_registration_decision_ignores_the_members_age():
    """A woman of 52 is past women's working age, but her household's hardship is what counts."""
    assert register(situations=("laid_off",)).ok is True


# --- employment aid per member: the four conditions of 三(七) --------------------------------


def test_a_woman_of_52_in_a_poor_household_is_registered_but_not_targeted_for_aid():
    household = register(size=2, income=200, situations=("laid_off", "employed"))

    member = decide(turning_today(52), "F")

    assert household.ok is True
    assert member.ok is False
    assert "Age 52 is above 50, the working-age maximum for women" in member.explain("en")[0]


def test_a_female_cadre_of_54_is_targeted_for_aid():
    decision = decide(turning_today(54), "F", female_cadre=True)

    assert decision.ok is True
    assert "Age 54 is within" in decision.explain("en")[0]
    assert "女干部" in decision.explain("zh")[0]


def test_a_female_cadre_turning_56_today_is_not_targeted():
    decision = decide(turning_today(56), "F", female_cadre=True)

    assert decision.ok is False
    assert "Age 56 is above 55" in decision.explain("en")[0]


def test_a_female_cadre_of_55_on_the_day_before_her_56th_birthday_is_targeted():
    assert decide(turning_tomorrow(56), "F", female_cadre=True).ok is True


def test_the_cadre_flag_does_not_change_a_mans_working_age():
    decision = decide(turning_today(61), "M", female_cadre=True)

    assert decision.ok is False
    assert "Age 61 is above 60" in decision.explain("en")[0]


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


# --- the three other conditions ----------------------------------------------------------------


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
