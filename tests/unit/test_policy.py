"""Legal working age under the notice: every boundary, birthdays, versions and explanations."""

import datetime as dt
import tomllib

import pytest

from casework import settings
from casework.policy import age_on, load_policy, working_age

ON = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def policy():
    return load_policy()


def born_years_ago(years: int, on: dt.date = ON) -> dt.date:
    return on.replace(year=on.year - years)


@pytest.mark.parametrize(
    ("sex", "female_cadre", "age", "ok"),
    [
        ("M", False, 15, False),
        ("M", False, 16, True),
        ("F", False, 15, False),
        ("F", False, 16, True),
        ("F", False, 50, True),
        ("F", False, 51, False),
        ("M", False, 60, True),
        ("M", False, 61, False),
        ("F", True, 55, True),
        ("F", True, 56, False),
        ("F", True, 15, False),
        ("F", True, 16, True),
    ],
)
def test_working_age_boundaries(policy, sex, female_cadre, age, ok):
    decision = working_age(policy, birth_date=born_years_ago(age), sex=sex, on=ON,
                           female_cadre=female_cadre)

    assert decision.ok is ok


def test_the_cadre_flag_does_not_change_the_limit_for_men(policy):
    decision = working_age(policy, birth_date=born_years_ago(61), sex="M", on=ON,
                           female_cadre=True)

    assert decision.ok is False
    assert "60" in decision.explain("en")[0]


def test_age_is_one_less_on_the_day_before_a_birthday():
    birth = dt.date(1966, 3, 10)

    assert age_on(birth, dt.date(2026, 3, 9)) == 59
    assert age_on(birth, dt.date(2026, 3, 10)) == 60


def test_someone_born_on_29_february_turns_sixteen_on_1_march():
    birth = dt.date(2000, 2, 29)

    assert age_on(birth, dt.date(2016, 2, 28)) == 15
    assert age_on(birth, dt.date(2016, 2, 29)) == 16
    assert age_on(birth, dt.date(2017, 2, 28)) == 16


def test_a_man_is_of_working_age_the_day_before_his_sixty_first_birthday(policy):
    birth = dt.date(1965, 6, 15)

    day_before = working_age(policy, birth_date=birth, sex="M", on=dt.date(2026, 6, 14))
    birthday = working_age(policy, birth_date=birth, sex="M", on=dt.date(2026, 6, 15))

    assert day_before.ok is True
    assert birthday.ok is False


def test_a_girl_reaches_working_age_on_her_sixteenth_birthday(policy):
    birth = dt.date(2010, 11, 28)

    day_before = working_age(policy, birth_date=birth, sex="F", on=dt.date(2026, 11, 27))
    birthday = working_age(policy, birth_date=birth, sex="F", on=dt.date(2026, 11, 28))

    assert day_before.ok is False
    assert birthday.ok is True


def test_every_decision_carries_the_version_of_the_policy_file(policy):
    version = tomllib.loads(settings.policy_path().read_text("utf-8"))["version"]

    decisions = [working_age(policy, birth_date=born_years_ago(age), sex="F", on=ON)
                 for age in (10, 30, 70)]

    assert policy.version == version
    assert {d.policy_version for d in decisions} == {version}


def test_a_changed_policy_file_is_recorded_by_its_own_version(tmp_path):
    text = settings.policy_path().read_text("utf-8").replace('version = "2003-97/2"',
                                                            'version = "test/9"')
    text = text.replace("men_max_age = 60", "men_max_age = 65")
    path = tmp_path / "policy.toml"
    path.write_text(text, "utf-8")

    decision = working_age(load_policy(path), birth_date=born_years_ago(63), sex="M", on=ON)

    assert decision.policy_version == "test/9"
    assert decision.ok is True


def test_the_explanation_of_a_refusal_names_the_age_and_the_limit_in_english(policy):
    decision = working_age(policy, birth_date=born_years_ago(61), sex="M", on=ON)

    [text] = decision.explain("en")

    assert "61" in text
    assert "60" in text
    assert "men" in text


def test_the_explanation_of_a_refusal_reads_in_chinese(policy):
    decision = working_age(policy, birth_date=born_years_ago(61), sex="M", on=ON)

    [text] = decision.explain("zh")

    assert "61" in text
    assert "60" in text
    assert "男性" in text


def test_the_explanation_of_a_young_person_names_the_minimum(policy):
    decision = working_age(policy, birth_date=born_years_ago(15), sex="F", on=ON)

    assert "15" in decision.explain("en")[0]
    assert "16" in decision.explain("en")[0]
    assert "16" in decision.explain("zh")[0]


def test_the_explanation_of_an_acceptance_gives_the_range_for_the_group(policy):
    decision = working_age(policy, birth_date=born_years_ago(53), sex="F", on=ON,
                           female_cadre=True)

    [en] = decision.explain("en")
    [zh] = decision.explain("zh")

    assert decision.ok is True
    assert all(part in en for part in ("53", "16", "55", "female cadres"))
    assert all(part in zh for part in ("53", "16", "55", "女干部"))
