"""Training outcomes on an extract in months: time to a job counts whole months from the month
the course ended, censored at the extract's as-of month."""

from pathlib import Path

import pandas as pd
import pytest

from evaluation.loading import Extract
from evaluation.outcomes import time_to_placement, training_outcomes


def months_extract() -> Extract:
    """a found a job 3 months after the course, c in the month it ended; b found none by the
    as-of month (18 months on); d's enrolment links to no course (street withheld)."""
    courses = pd.DataFrame({"course_id": [1, 2], "end_month": ["2025-05", "2025-05"]})
    enrolments = pd.DataFrame({
        "enrolment_id": [11, 12, 13, 14], "course_id": pd.array([1, 1, 2, None], "Int64"),
        "occupation": ["care", "care", "care", None], "kind": ["reskilling"] * 4,
        "pid": ["a", "b", "c", "d"], "status": ["completed"] * 4})
    employment = pd.DataFrame({
        "pid": ["a", "a", "b", "b", "c", "c", "d"],
        "status": ["unemployed", "employed", "employed", "unemployed", "unemployed",
                   "flexible", "unemployed"],
        "start_month": [None, "2025-08", None, "2024-02", None, "2025-05", None],
        "end_month": [None, None, "2024-02", None, "2025-05", None, None],
        "monthly_wage": pd.array([None, 900, 800, None, None, 700, None], "Int64")})
    follow_ups = pd.DataFrame({"enrolment_id": [11, 12], "pid": ["a", "b"], "months": [6, 6],
                               "employed": [True, False], "monthly_wage": [900.0, None],
                               "contract_months": [12.0, None]})
    return Extract(Path("."), {"courses": courses, "enrolments": enrolments,
                               "employment": employment, "follow_ups": follow_ups},
                   {"as_of": "2026-11-27", "written": "2026-11-30T00:00:00+00:00"})


def test_time_to_a_job_counts_months_from_the_course_end_censored_at_the_as_of_month():
    curves = time_to_placement(months_extract(), by="kind")

    fitter = curves.fitters["reskilling"]
    durations = dict(zip(fitter.durations, fitter.event_observed, strict=True))
    assert sorted(fitter.durations.tolist()) == [0.0, 3.0, 18.0]
    assert durations == {0.0: True, 3.0: True, 18.0: False}
    assert curves.unlinked == 1
    assert curves.medians.loc["reskilling", "trainees"] == 3
    assert curves.medians.loc["reskilling", "median_months"] == 3
    assert curves.medians.loc["reskilling", "placed_within_6_months"] == pytest.approx(2 / 3)


def test_training_outcomes_count_every_enrolment_also_without_a_course_link():
    table = training_outcomes(months_extract(), by="occupation").table

    assert table.loc["care", "trainees"] == 3 and table.loc["withheld", "trainees"] == 1
    assert table.loc["care", "employed_6m"] == pytest.approx(0.5)
