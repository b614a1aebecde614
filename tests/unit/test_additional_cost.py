"""Cost per additional placement, on the hand-built extract of cost_extract.py, every number
worked out here by hand.

Courses: 11 in S1 (March to April 2024, 600 yuan a trainee) and 22 in S2 (March to May 2025,
800 yuan). Enrolling (the default estimand): a, b and f (a dropout) at course 11, c at course
22, so n_T = 4. In work at the end of the 6th month after the course: a (since June 2024) and
c (since July 2025): ȳ_T = 2/4. Training cost 3 × 600 + 800 = 2600 yuan. Subsidies paid on the
trained people's placements that began between their course's start and the outcome month:
p1 (a, June 2024, 500) and p2 (c, July 2025, 500); p6 (a, June 2025) is after a's window, p5
(b) only claimed. Total 3600 yuan.
"""

import math
from dataclasses import dataclass

import pytest

from evaluation import UndefinedCostWarning, cost_per_additional_placement
from evaluation.additional_cost import EffectMismatchWarning
from evaluation.design import ESTIMANDS
from tests.unit.cost_extract import hand_built

Z95 = 1.959963984540054


@dataclass
class Effect:
    """What the cost needs of an effect (duck-typed like AttResults)."""

    estimate: float
    std_error: float
    n_treated: int = 4
    outcome: str = "employed_6m"
    label: str = ESTIMANDS["enrolled"]
    all_treated: bool = True
    n_treated_dropped: int = 0
    nobs: int = 6

    @property
    def ci_low(self):
        return self.estimate - Z95 * self.std_error

    @property
    def ci_high(self):
        return self.estimate + Z95 * self.std_error


@pytest.fixture(scope="module")
def extract():
    return hand_built()


def test_gross_and_additional_count_people_in_work_at_the_same_month(extract):
    result = cost_per_additional_placement(extract, 0.25)

    assert result.n_treated == 4
    assert result.share_in_work == pytest.approx(0.5)
    assert result.in_work == pytest.approx(2)
    assert result.additional == pytest.approx(0.25 * 4)
    assert result.counterfactual == pytest.approx(2 - 1)
    assert result.deadweight_share == pytest.approx((0.5 - 0.25) / 0.5)


def test_the_cost_counts_training_and_the_subsidies_in_the_window(extract):
    result = cost_per_additional_placement(extract, 0.25)

    assert result.training_cost == 2600
    assert result.subsidy_cost == 1000
    assert result.total_cost == result.outlays == 3600
    assert result.cost == pytest.approx(3600 / 1.0)
    assert result.cost_per_person_in_work == pytest.approx(3600 / 2)


def test_committed_outlays_add_the_approved_claim_in_the_window(extract):
    result = cost_per_additional_placement(extract, 0.25, outlays="committed")

    assert result.subsidy_cost == 1000 + 1200


def test_the_effect_of_completing_counts_only_completers(extract):
    result = cost_per_additional_placement(extract, 0.25, estimand="completed")

    assert result.n_treated == 3
    assert result.share_in_work == pytest.approx(2 / 3)
    assert result.training_cost == 2 * 600 + 800


def test_an_interval_away_from_zero_gives_a_delta_method_error_and_a_mapped_interval(extract):
    result = cost_per_additional_placement(extract, Effect(0.25, 0.1))

    assert result.std_error == pytest.approx(3600 * 0.1 / 0.25)
    assert result.ci_low == pytest.approx(3600 / ((0.25 + Z95 * 0.1) * 4))
    assert result.ci_high == pytest.approx(3600 / ((0.25 - Z95 * 0.1) * 4))


def test_an_interval_containing_zero_is_unbounded_and_has_no_standard_error(extract):
    result = cost_per_additional_placement(extract, Effect(0.25, 0.2))

    assert math.isnan(result.std_error)
    assert math.isinf(result.ci_high)
    assert result.ci_low == pytest.approx(3600 / ((0.25 + Z95 * 0.2) * 4))
    assert "unbounded" in result.summary() and "not given" in result.summary()


@pytest.mark.parametrize("estimate", [0.0, -0.1])
def test_no_effect_leaves_the_cost_undefined_with_a_warning(extract, estimate):
    with pytest.warns(UndefinedCostWarning, match="undefined"):
        result = cost_per_additional_placement(extract, estimate)

    assert math.isnan(result.cost)


def test_by_district_each_group_has_its_own_trained_and_costs(extract):
    table = cost_per_additional_placement(extract, 0.25, by="district").table

    assert table["n_treated"].to_dict() == {"D1": 3, "D2": 1}
    assert table["in_work"].to_dict() == pytest.approx({"D1": 1, "D2": 1})
    assert table["training_cost"].to_dict() == {"D1": 1800, "D2": 800}
    assert table["subsidy_cost"].to_dict() == {"D1": 500, "D2": 500}
    assert table["cost_per_additional_placement"].to_dict() == pytest.approx(
        {"D1": 2300 / 0.75, "D2": 1300 / 0.25})


def test_by_year_the_trained_are_keyed_by_the_year_their_course_ended(extract):
    table = cost_per_additional_placement(extract, 0.25, by="year").table

    assert table["n_treated"].to_dict() == {2024: 3, 2025: 1}
    assert table["total_cost"].sum() == 3600


def test_by_component_the_parts_divide_by_all_additional_and_add_up(extract):
    table = cost_per_additional_placement(extract, 0.25, by="component").table

    assert table["total_cost"].to_dict() == {"training": 2600, "job_development": 1000}
    assert table["cost_per_additional_placement"].sum() == pytest.approx(3600)


def test_an_effect_on_the_overlap_only_is_refused_unless_asked_to_apply_it_to_all(extract):
    overlap = Effect(0.25, 0.1, n_treated=3, all_treated=False, n_treated_dropped=1)

    with pytest.raises(ValueError, match="apply_to_all=True"):
        cost_per_additional_placement(extract, overlap)
    result = cost_per_additional_placement(extract, overlap, apply_to_all=True)

    assert result.n_treated == 4
    assert any("assumed to hold for all the trained" in n for n in result.notes)


def test_an_effect_of_another_estimand_is_refused(extract):
    with pytest.raises(ValueError, match="estimand="):
        cost_per_additional_placement(extract, Effect(0.25, 0.1), estimand="completed")


def test_an_effect_on_other_people_is_flagged(extract):
    with pytest.warns(EffectMismatchWarning, match="9 treated"):
        cost_per_additional_placement(extract, Effect(0.25, 0.1, n_treated=9))


def test_an_effect_on_wages_or_a_share_beyond_one_is_refused(extract):
    with pytest.raises(ValueError, match="share in work"):
        cost_per_additional_placement(extract, Effect(0.25, 0.1, outcome="wage_6m"))
    with pytest.raises(ValueError, match="between -1 and 1"):
        cost_per_additional_placement(extract, 1.5)


def test_the_results_render_as_text_html_and_one_row(extract):
    result = cost_per_additional_placement(extract, Effect(0.25, 0.1))

    text = result.summary()
    assert "employed_6m" in text and "Deadweight share" in text and "2,600.00 yuan" in text
    assert "<table" in result._repr_html_()
    row = result.to_frame().iloc[0]
    assert row["total_cost"] == 3600 and row["additional"] == pytest.approx(1)
