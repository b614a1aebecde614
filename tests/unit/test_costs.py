"""Gross subsidy cost per placement, on a hand-built extract whose every number is worked out
here by hand. (The cost per additional placement is in test_additional_cost.py.)

Two streets: S1 in district D1, S2 in district D2. Placements (investing unit; start month) and
claims (kind, yuan, fund, status):
  p1 a  S1/D1  2024-06  job_development 500 city paid;
                        differential_purchase 1200 district approved
  p2 c  S2/D2  2025-07  job_development 500 street paid
  p3 d  S1/D1  2024-05  differential_purchase 1200 city paid
  p4 e  --/D2  2025     job_development 500 district refused (street withheld, month coarsened)
  p5 b  S1/D1  2024-09  job_development 500 city claimed
  p6 a  S1/D1  2025-06  job_development 500 city paid
Paid outlays: 500 + 500 + 1200 + 500 = 2700 over 6 placements; approved adds 1200.
"""

import math

import pytest

from evaluation import CostResults, UndefinedCostWarning, cost_per_placement
from evaluation.extract import Extract
from tests.unit.cost_extract import hand_built


@pytest.fixture(scope="module")
def extract() -> Extract:
    return hand_built()


def column(result, name: str) -> dict:
    return result.table[name].to_dict()


def test_gross_cost_is_paid_outlays_over_all_placements(extract):
    result = cost_per_placement(extract)

    assert isinstance(result, CostResults)
    assert result.outlays == 2700
    assert result.placements == result.nobs == 6
    assert result.cost == pytest.approx(2700 / 6)
    assert result.subsidised_placements == 4  # p1, p2, p3, p6
    assert result.share_subsidised == pytest.approx(4 / 6)


def test_committed_outlays_also_count_approved_claims(extract):
    result = cost_per_placement(extract, outlays="committed")

    assert result.outlays == 2700 + 1200
    assert result.cost == pytest.approx(3900 / 6)
    assert result.subsidised_placements == 4  # p1 was already subsidised


def test_by_kind_every_part_divides_by_all_placements_and_they_add_up(extract):
    result = cost_per_placement(extract, by="kind")

    assert column(result, "placements") == {"job_development": 6, "differential_purchase": 6}
    assert column(result, "outlays") == {"job_development": 1500, "differential_purchase": 1200}
    assert column(result, "subsidised_placements") == {"job_development": 3,
                                                       "differential_purchase": 1}
    assert column(result, "cost_per_placement") == pytest.approx(
        {"job_development": 250, "differential_purchase": 200})
    assert result.table["cost_per_placement"].sum() == pytest.approx(result.cost)


def test_by_funding_level_a_fund_that_paid_nothing_shows_zero(extract):
    result = cost_per_placement(extract, by="funding_level")

    assert column(result, "outlays") == {"city": 2200, "district": 0, "street": 500}
    assert column(result, "cost_per_placement") == pytest.approx(
        {"city": 2200 / 6, "district": 0, "street": 500 / 6})
    assert result.table["cost_per_placement"].sum() == pytest.approx(450)


def test_by_district_both_sides_are_keyed_by_the_investing_unit(extract):
    result = cost_per_placement(extract, by="district")

    assert column(result, "placements") == {"D1": 4, "D2": 2}
    assert column(result, "outlays") == {"D1": 2200, "D2": 500}
    assert column(result, "cost_per_placement") == pytest.approx({"D1": 550, "D2": 250})


def test_by_street_placements_whose_street_is_withheld_form_their_own_group(extract):
    result = cost_per_placement(extract, by="street")

    assert column(result, "placements") == {"S1": 4, "S2": 1, "withheld": 1}
    assert column(result, "cost_per_placement") == pytest.approx(
        {"S1": 550, "S2": 500, "withheld": 0})
    assert "withheld" in result.summary()


def test_by_year_and_quarter_placements_are_keyed_by_their_start_month(extract):
    """Years and quarters are labels (a start coarsened beyond them is ``withheld``)."""
    years = cost_per_placement(extract, by="year")
    quarters = cost_per_placement(extract, by="quarter")

    assert column(years, "placements") == {"2024": 3, "2025": 3}
    assert column(years, "cost_per_placement") == pytest.approx({"2024": 1700 / 3,
                                                                 "2025": 1000 / 3})
    # p4's start is released as a year only, so its quarter is withheld.
    assert column(quarters, "placements") == {"2024-Q2": 2, "2024-Q3": 1, "2025-Q2": 1,
                                              "2025-Q3": 1, "withheld": 1}
    assert column(quarters, "outlays") == {"2024-Q2": 1700, "2024-Q3": 0, "2025-Q2": 500,
                                           "2025-Q3": 500, "withheld": 0}


def test_the_gross_results_render_as_text_html_and_one_row(extract):
    result = cost_per_placement(extract, by="kind")

    assert "Cost per placement" in result.summary() and "450.00 yuan" in result.summary()
    assert "<table" in result._repr_html_()
    frame = result.to_frame()
    assert frame.loc["cost_per_placement", "outlays"] == 2700
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
