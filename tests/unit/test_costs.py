"""Subsidy cost per placement and per additional placement, on a hand-built extract whose
every number is worked out here by hand.

Two streets: S1 in district D1, S2 in district D2. Courses: 1 in S1 (ends 2024-04-30) and 2 in
S2 (ends 2025-05-31). Jobseekers a (S1) and b (S2) completed course 1, c (S2) course 2: the
trained. d (S1) and e (S2) never enrolled; f dropped out; g is retired (neither group).

Placements (investing unit; start) and claims (kind, yuan, fund, status):
  p1 a  S1/D1  2024-06-01  job_development 500 city paid;
                           differential_purchase 1200 district approved
  p2 c  S2/D2  2025-07-01  job_development 500 street paid
  p3 d  S1/D1  2024-05-15  differential_purchase 1200 city paid
  p4 e  --/D2  2025-02-01  job_development 500 district refused (street withheld)
  p5 b  S1/D1  2024-09-10  job_development 500 city claimed
Paid outlays: 500 + 500 + 1200 = 2200 over 5 placements; approved adds 1200.
"""

import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

from evaluation import (
    AdditionalCostResults,
    AttResults,
    CostResults,
    EffectMismatchWarning,
    UndefinedCostWarning,
    cost_per_additional_placement,
    cost_per_placement,
)
from evaluation.extract import Extract

Z95 = 1.959963984540054
D = pd.Timestamp


def person(pid, street, district, category="laid_off"):
    return {"pid": pid, "sex": "M", "age_at_registration": 40, "age_band": "35-44",
            "education": "senior_middle", "category": category, "district": district,
            "street": street, "registered_on": D("2024-01-10"),
            "out_of_work_since": D("2023-10-01"), "prior_wage": 800.0, "hardship": False}


def placement(placement_id, pid, start, street, district):
    return {"placement_id": placement_id, "pid": pid, "start_date": D(start),
            "contract_months": 36, "monthly_wage": 700, "street": street,
            "district": district}


def claim(claim_id, placement_id, kind, amount, level, status):
    return {"claim_id": claim_id, "placement_id": placement_id, "kind": kind,
            "amount": amount, "funding_level": level, "status": status}


@pytest.fixture(scope="module")
def extract() -> Extract:
    persons = pd.DataFrame([person("a", "S1", "D1"), person("b", "S2", "D2"),
                            person("c", "S2", "D2"), person("d", "S1", "D1"),
                            person("e", "S2", "D2"), person("f", "S1", "D1"),
                            person("g", "S1", "D1", category="retiree")])
    courses = pd.DataFrame({"course_id": [1, 2], "street": ["S1", "S2"],
                            "start_date": [D("2024-03-01"), D("2025-03-01")],
                            "end_date": [D("2024-04-30"), D("2025-05-31")]})
    enrolments = pd.DataFrame({"pid": ["a", "b", "c", "f"], "course_id": [1, 1, 2, 1],
                               "status": ["completed", "completed", "completed", "dropped"],
                               "applied_on": [D("2024-02-01")] * 2 + [D("2025-02-01"),
                                                                      D("2024-02-01")]})
    employment = pd.DataFrame({"pid": pd.Series(dtype=str), "status": pd.Series(dtype=str),
                               "since": pd.Series(dtype="datetime64[ns]"),
                               "monthly_wage": pd.Series(dtype=float)})
    placements = pd.DataFrame([placement(1, "a", "2024-06-01", "S1", "D1"),
                               placement(2, "c", "2025-07-01", "S2", "D2"),
                               placement(3, "d", "2024-05-15", "S1", "D1"),
                               placement(4, "e", "2025-02-01", None, "D2"),
                               placement(5, "b", "2024-09-10", "S1", "D1")])
    subsidies = pd.DataFrame([
        claim(1, 1, "job_development", 500, "city", "paid"),
        claim(2, 1, "differential_purchase", 1200, "district", "approved"),
        claim(3, 2, "job_development", 500, "street", "paid"),
        claim(4, 3, "differential_purchase", 1200, "city", "paid"),
        claim(5, 4, "job_development", 500, "district", "refused"),
        claim(6, 5, "job_development", 500, "city", "claimed")])
    tables = {"persons": persons, "courses": courses, "enrolments": enrolments,
              "employment": employment, "placements": placements, "subsidies": subsidies}
    return Extract(Path("hand-built"), tables, {"as_of": "2026-11-27"})


def effect(estimate=0.5, std_error=0.1, n_treated=3, n_trimmed=0) -> AttResults:
    return AttResults(method="ipw", outcome="employed_6m", treatment="treat",
                      estimate=estimate, std_error=std_error, n_treated=n_treated,
                      n_control=2, balance=pd.DataFrame(), se_type="given",
                      n_trimmed=n_trimmed, trim=(0.01, 0.99) if n_trimmed else None)


def column(result, name: str) -> dict:
    return result.table[name].to_dict()


# --- gross cost per placement ----------------------------------------------------------------

def test_gross_cost_is_paid_outlays_over_all_placements(extract):
    result = cost_per_placement(extract)

    assert isinstance(result, CostResults)
    assert result.outlays == 2200
    assert result.placements == result.nobs == 5
    assert result.cost == pytest.approx(2200 / 5)
    assert result.subsidised_placements == 3  # p1, p2, p3
    assert result.share_subsidised == pytest.approx(3 / 5)


def test_committed_outlays_also_count_approved_claims(extract):
    result = cost_per_placement(extract, outlays="committed")

    assert result.outlays == 2200 + 1200
    assert result.cost == pytest.approx(3400 / 5)
    assert result.subsidised_placements == 3  # p1 was already subsidised


def test_by_kind_every_part_divides_by_all_placements_and_they_add_up(extract):
    result = cost_per_placement(extract, by="kind")

    assert column(result, "placements") == {"job_development": 5, "differential_purchase": 5}
    assert column(result, "outlays") == {"job_development": 1000, "differential_purchase": 1200}
    assert column(result, "subsidised_placements") == {"job_development": 2,
                                                       "differential_purchase": 1}
    assert column(result, "cost_per_placement") == pytest.approx(
        {"job_development": 200, "differential_purchase": 240})
    assert result.table["cost_per_placement"].sum() == pytest.approx(result.cost)


def test_by_funding_level_a_fund_that_paid_nothing_shows_zero(extract):
    result = cost_per_placement(extract, by="funding_level")

    assert column(result, "outlays") == {"city": 1700, "district": 0, "street": 500}
    assert column(result, "cost_per_placement") == pytest.approx(
        {"city": 340, "district": 0, "street": 100})
    assert result.table["cost_per_placement"].sum() == pytest.approx(440)


def test_by_district_both_sides_are_keyed_by_the_investing_unit(extract):
    result = cost_per_placement(extract, by="district")

    # b lives in D2 but was placed by a unit in D1: p5 counts in D1.
    assert column(result, "placements") == {"D1": 3, "D2": 2}
    assert column(result, "outlays") == {"D1": 1700, "D2": 500}
    assert column(result, "cost_per_placement") == pytest.approx({"D1": 1700 / 3, "D2": 250})


def test_by_street_placements_whose_street_is_withheld_form_their_own_group(extract):
    result = cost_per_placement(extract, by="street")

    assert column(result, "placements") == {"S1": 3, "S2": 1, "withheld": 1}
    assert column(result, "cost_per_placement") == pytest.approx(
        {"S1": 1700 / 3, "S2": 500, "withheld": 0})
    assert "withheld" in result.summary()


def test_by_year_and_quarter_placements_are_keyed_by_their_start(extract):
    years = cost_per_placement(extract, by="year")
    quarters = cost_per_placement(extract, by="quarter")

    assert column(years, "placements") == {2024: 3, 2025: 2}
    assert column(years, "cost_per_placement") == pytest.approx({2024: 1700 / 3, 2025: 250})
    assert column(quarters, "placements") == {"2024Q2": 2, "2024Q3": 1, "2025Q1": 1,
                                              "2025Q3": 1}
    assert column(quarters, "outlays") == {"2024Q2": 1700, "2024Q3": 0, "2025Q1": 0,
                                           "2025Q3": 500}


def test_the_gross_results_render_as_text_html_and_one_row(extract):
    result = cost_per_placement(extract, by="kind")

    assert "Cost per placement" in result.summary() and "440.00 yuan" in result.summary()
    assert "<table" in result._repr_html_()
    frame = result.to_frame()
    assert frame.loc["cost_per_placement", "outlays"] == 2200
    with pytest.raises(AttributeError):
        result.cost = 0


def test_without_placements_the_cost_is_undefined_with_a_warning(extract):
    empty = Extract(extract.folder, {**extract.tables,
                                     "placements": extract.placements.iloc[:0],
                                     "subsidies": extract.subsidies.iloc[:0]}, {})

    with pytest.warns(UndefinedCostWarning, match="no placements"):
        result = cost_per_placement(empty)

    assert result.placements == 0 and result.outlays == 0
    assert math.isnan(result.cost)


@pytest.mark.parametrize("by", ["month", "community", ""])
def test_an_unknown_grouping_is_refused_with_the_list_of_groupings(extract, by):
    with pytest.raises(ValueError, match="by must be one of None, 'kind'"):
        cost_per_placement(extract, by=by)


def test_an_unknown_outlays_basis_is_refused(extract):
    with pytest.raises(ValueError, match="outlays must be one of 'paid', 'committed'"):
        cost_per_placement(extract, outlays="claimed")


# --- cost per additional placement ------------------------------------------------------------

def test_additional_placements_are_the_effect_times_the_trained(extract):
    result = cost_per_additional_placement(extract, effect())

    # The trained: a, b, c. Their placements: p1, p5, p2. Paid on them: 500 (p1) + 500 (p2).
    assert isinstance(result, AdditionalCostResults)
    assert result.n_treated == 3
    assert result.placements_treated == 3
    assert result.placements == 5
    assert result.outlays == 1000
    assert result.additional == pytest.approx(0.5 * 3)
    assert result.counterfactual == pytest.approx(3 - 1.5)
    assert result.deadweight_share == pytest.approx(1.5 / 3)
    assert result.cost == pytest.approx(1000 / 1.5)
    assert result.effect == 0.5
    assert result.nobs == 5


def test_the_standard_error_comes_from_the_delta_method(extract):
    result = cost_per_additional_placement(extract, effect(estimate=0.5, std_error=0.1))

    # d/de [1000 / (3e)] = -1000 / (3e²): at e = 0.5, |.| = 1333.3; times se 0.1.
    assert result.std_error == pytest.approx(1000 / (3 * 0.5**2) * 0.1)


def test_the_interval_maps_the_effect_interval_through_the_cost(extract):
    low, high = 0.5 - Z95 * 0.1, 0.5 + Z95 * 0.1

    result = cost_per_additional_placement(extract, effect(estimate=0.5, std_error=0.1))

    assert result.ci_low == pytest.approx(1000 / (3 * high))
    assert result.ci_high == pytest.approx(1000 / (3 * low))
    assert result.ci_low < result.cost < result.ci_high


def test_an_effect_interval_reaching_zero_gives_an_infinite_upper_bound_and_says_so(extract):
    result = cost_per_additional_placement(extract, effect(estimate=0.1, std_error=0.1))

    assert result.ci_low == pytest.approx(1000 / (3 * (0.1 + Z95 * 0.1)))
    assert math.isinf(result.ci_high)
    assert "upper bound is infinite" in result.summary()


@pytest.mark.parametrize("estimate", [0.0, -0.2])
def test_a_zero_or_negative_effect_leaves_the_cost_undefined_with_a_warning(extract, estimate):
    with pytest.warns(UndefinedCostWarning, match="undefined"):
        result = cost_per_additional_placement(extract, estimate)

    assert math.isnan(result.cost)
    assert math.isnan(result.std_error)
    assert result.counterfactual == pytest.approx(3 - estimate * 3)
    assert "undefined" in result.summary()


def test_a_plain_number_as_effect_has_no_uncertainty(extract):
    result = cost_per_additional_placement(extract, 0.25)

    assert result.cost == pytest.approx(1000 / 0.75)
    assert math.isnan(result.std_error) and math.isnan(result.ci_low)
    assert "without uncertainty" in result.summary()


def test_by_kind_outlays_split_over_all_additional_placements(extract):
    result = cost_per_additional_placement(extract, effect(), by="kind")

    assert column(result, "outlays") == {"job_development": 1000, "differential_purchase": 0}
    assert column(result, "cost_per_additional_placement") == pytest.approx(
        {"job_development": 1000 / 1.5, "differential_purchase": 0})
    assert result.table["cost_per_additional_placement"].sum() == pytest.approx(result.cost)


def test_by_district_groups_the_trained_by_where_they_are_registered(extract):
    result = cost_per_additional_placement(extract, effect(), by="district")

    # D1: a (p1, 500). D2: b (p5, nothing paid) and c (p2, 500).
    assert column(result, "n_treated") == {"D1": 1, "D2": 2}
    assert column(result, "placements_treated") == {"D1": 1, "D2": 2}
    assert column(result, "outlays") == {"D1": 500, "D2": 500}
    assert column(result, "additional") == pytest.approx({"D1": 0.5, "D2": 1.0})
    assert column(result, "cost_per_additional_placement") == pytest.approx(
        {"D1": 1000, "D2": 500})
    assert column(result, "std_error") == pytest.approx({"D1": 1000 * 0.1 / 0.5,
                                                         "D2": 500 * 0.1 / 0.5})
    assert "same in every group" in result.summary()


def test_by_street_and_by_year_of_the_course_end(extract):
    streets = cost_per_additional_placement(extract, effect(), by="street")
    years = cost_per_additional_placement(extract, effect(), by="year")

    assert column(streets, "n_treated") == {"S1": 1, "S2": 2}
    # 2024: a and b (course 1); 2025: c (course 2).
    assert column(years, "n_treated") == {2024: 2, 2025: 1}
    assert column(years, "outlays") == {2024: 500, 2025: 500}
    assert column(years, "cost_per_additional_placement") == pytest.approx(
        {2024: 500, 2025: 1000})
    assert column(years, "deadweight_share") == pytest.approx({2024: 0.5, 2025: 0.5})


def test_an_effect_from_other_people_is_flagged(extract):
    with pytest.warns(EffectMismatchWarning, match="7 treated people"):
        cost_per_additional_placement(extract, effect(n_treated=7))


def test_fewer_treated_through_trimming_is_noted_not_warned(extract):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = cost_per_additional_placement(extract, effect(n_treated=2, n_trimmed=1))

    assert result.n_treated == 3
    assert "2 of the 3 trained after trimming" in result.summary()


def test_an_effect_on_wages_or_a_share_beyond_one_is_refused(extract):
    wage = AttResults(method="ipw", outcome="wage_6m", treatment="treat", estimate=150,
                      std_error=30, n_treated=3, n_control=2, balance=pd.DataFrame(),
                      se_type="given")
    with pytest.raises(ValueError, match="share employed"):
        cost_per_additional_placement(extract, wage)
    with pytest.raises(ValueError, match="between -1 and 1"):
        cost_per_additional_placement(extract, 1.5)


def test_additional_cost_refuses_groupings_it_cannot_key_the_trained_by(extract):
    with pytest.raises(ValueError, match="by must be one of"):
        cost_per_additional_placement(extract, effect(), by="funding_level")


def test_the_additional_results_render_as_text_html_and_one_row(extract):
    result = cost_per_additional_placement(extract, effect())

    assert "Deadweight share" in result.summary()
    assert "Subsidy cost per additional placement" in result._repr_html_()
    row = result.to_frame().loc["cost_per_additional_placement"]
    assert row["deadweight_share"] == pytest.approx(0.5)
    assert row["ci_high"] == pytest.approx(result.ci_high)
