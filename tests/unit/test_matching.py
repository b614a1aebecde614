"""How a jobseeker fits a posting: each of the four factors at its values, and the score the
weights of data/policy.toml make of them."""

from types import MappingProxyType

import pytest

from casework.matching import FACTORS, distance_factor, fit, skills_factor, wishes_factor
from casework.policy import Policy, load_policy

POLICY = load_policy()
# Org paths: city / district / street / community, as casework.db.models.OrgUnit keeps them.
COMMUNITY = "/3207/320705/320705001/320705001001/"
SAME_STREET = "/3207/320705/320705001/320705001002/"
SAME_DISTRICT = "/3207/320705/320705002/320705002001/"
OTHER_DISTRICT = "/3207/320706/320706001/320706001001/"


def fit_of(policy=POLICY, **overrides):
    values = {"required_skills": ["cleaning", "housekeeping"],
              "job_words": ["domestic_service", "家政服务", "Domestic service", "保洁员"],
              "posting_path": COMMUNITY, "person_skills": ["cleaning", "housekeeping"],
              "wishes": "想做家政服务", "person_path": COMMUNITY, "hardship": True} | overrides
    return fit(policy, **values)


# --- skills ---------------------------------------------------------------------------------


def test_the_skills_factor_is_the_share_of_required_skills_the_person_has():
    assert skills_factor(["cleaning", "housekeeping"], ["cleaning", "cooking"]) == 0.5
    assert skills_factor(["cleaning", "housekeeping"], ["housekeeping", "cleaning"]) == 1.0
    assert skills_factor(["cleaning", "housekeeping"], ["welding"]) == 0.0
    assert skills_factor(["cleaning", "housekeeping"], []) == 0.0


def test_a_posting_that_requires_no_skills_fits_everyone_on_skills():
    assert skills_factor([], []) == 1.0
    assert skills_factor((), ["welding"]) == 1.0


def test_a_skill_listed_twice_counts_once():
    assert skills_factor(["cleaning", "cleaning", "housekeeping"], ["cleaning"]) == 0.5


# --- wishes ---------------------------------------------------------------------------------


def test_wishes_that_name_the_job_score_one():
    words = ["domestic_service", "家政服务", "Domestic service"]

    assert wishes_factor("希望从事家政服务工作", words) == 1.0
    assert wishes_factor("Would like DOMESTIC SERVICE work near home", words) == 1.0


@pytest.mark.parametrize("wishes", [None, "", "   "], ids=["none", "empty", "blank"])
def test_no_stated_wish_scores_one_half(wishes):
    assert wishes_factor(wishes, ["家政服务"]) == 0.5


def test_wishes_for_another_job_score_zero():
    assert wishes_factor("想当保安", ["domestic_service", "家政服务", "Domestic service"]) == 0.0


# --- distance -------------------------------------------------------------------------------


@pytest.mark.parametrize(("person_path", "expected"), [
    (COMMUNITY, 1.0), (SAME_STREET, 0.6), (SAME_DISTRICT, 0.3), (OTHER_DISTRICT, 0.0),
], ids=["same_community", "same_street", "same_district", "other_district"])
def test_distance_is_closeness_in_the_org_tree(person_path, expected):
    assert distance_factor(COMMUNITY, person_path) == expected


def test_a_street_posting_is_same_street_for_everyone_in_its_communities():
    assert distance_factor("/3207/320705/320705001/", COMMUNITY) == 0.6


# --- hardship and the weighted score ---------------------------------------------------------


def test_the_hardship_factor_is_one_for_a_registered_hardship_household_and_zero_otherwise():
    assert fit_of(hardship=True).factors["hardship"] == 1.0
    assert fit_of(hardship=False).factors["hardship"] == 0.0


def test_every_factor_is_shown_beside_the_score():
    assert tuple(fit_of().factors) == FACTORS


def test_a_perfect_fit_scores_100_and_the_worst_scores_0():
    assert fit_of().score == 100.0
    worst = fit_of(person_skills=[], wishes="想当保安", person_path=OTHER_DISTRICT,
                   hardship=False)
    assert worst.score == 0.0
    assert worst.factors == {"skills": 0.0, "wishes": 0.0, "distance": 0.0, "hardship": 0.0}


def test_the_score_is_the_policy_weighted_sum_out_of_100():
    result = fit_of(person_skills=["cleaning"], wishes=None, person_path=SAME_STREET,
                    hardship=True)

    assert result.factors == {"skills": 0.5, "wishes": 0.5, "distance": 0.6, "hardship": 1.0}
    w = POLICY["matching"]
    expected = 100 * (w["skills"] * 0.5 + w["wishes"] * 0.5 + w["distance"] * 0.6
                      + w["hardship"] * 1.0)
    assert result.score == round(expected, 1)
    # With the shipped weights 0.4 / 0.2 / 0.25 / 0.15: 20 + 10 + 15 + 15.
    assert result.score == 60.0


def test_changing_the_weights_in_the_policy_changes_the_score():
    skills_only = Policy("test/skills-only", MappingProxyType(dict(POLICY.params) | {
        "matching": {"skills": 1.0, "wishes": 0.0, "distance": 0.0, "hardship": 0.0}}))

    result = fit_of(skills_only, person_skills=["cleaning"], wishes="想当保安",
                    person_path=OTHER_DISTRICT, hardship=False)

    assert result.score == 50.0


def test_factors_are_rounded_to_two_places_and_the_score_to_one():
    result = fit_of(required_skills=["cleaning", "housekeeping", "cooking"],
                    person_skills=["cleaning"], wishes=None, person_path=SAME_DISTRICT,
                    hardship=False)

    assert result.factors["skills"] == 0.33
    # 100 × (0.4 × 1/3 + 0.2 × 0.5 + 0.25 × 0.3) = 13.33 + 10 + 7.5
    assert result.score == 30.8
