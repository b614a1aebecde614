"""The training evaluation's frame, on a hand-built extract where every right answer is known.

One street runs two courses: c1 (March to April 2025) and c2 (September to October 2025). The
extract was written on 2026-06-30, so the end of June 2026 is the last month seen.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluation.covariates import independent_covariates, outside_treated_support
from evaluation.design import training_design
from evaluation.extract import Extract

PEOPLE = {  # pid: (registered_month, months_out_at_registration, street)
    "A": ("2025-01", "0-2", "S1"),  # completed c1; a job after the course, lost by month 6
    "B": ("2025-02", "6-8", "S1"),  # never enrols, never works: a control at c1 and c2
    "C": ("2025-01", "0-2", "S1"),  # found a job before c1 and kept it: never at risk
    "D": ("2025-01", "3-5", "S1"),  # in work at c1's start, lost it, enrolled in c2
    "E": ("2025-Q2", "0-2", "S1"),  # registered after c1 began (a quarter is released)
    "F": ("2025", "0-11", "S1"),        # registered some time in 2025: uncertain at both starts
    "G": ("2025-01", "0-2", None),  # street withheld
    "H": ("2025-01", "0-2", "S1"),  # enrolled in c1, dropped out: found a job
    "I": ("2025-01", "6-8", "S1"),  # completed c1: trained, so no longer at risk at c2
    "J": ("2025-01", "0-2", "S1"),  # a control at c1 who found a job while it ran
}
WORK = [  # pid, status, start_month, end_month, wage
    ("A", "unemployed", None, "2025-07", None), ("A", "employed", "2025-07", "2025-09", 900),
    ("A", "unemployed", "2025-09", None, None),
    ("C", "unemployed", None, "2025-02", None), ("C", "employed", "2025-02", None, 800),
    ("D", "unemployed", None, "2025-01", None), ("D", "flexible", "2025-01", "2025-03", 700),
    ("D", "unemployed", "2025-03", None, None),
    ("H", "unemployed", None, "2025-03", None), ("H", "employed", "2025-03", None, 1000),
    ("J", "unemployed", None, "2025-04", None), ("J", "flexible", "2025-04", None, 600),
]
ENROLMENTS = [  # pid, course, status, dropped_month
    ("A", "c1", "completed", None), ("H", "c1", "dropped", "2025-03"),
    ("I", "c1", "completed", None), ("D", "c2", "completed", None),
    ("G", None, "completed", None),
]


def extract() -> Extract:
    persons = pd.DataFrame([
        {"pid": pid, "sex": "F" if pid in "AEI" else "M", "age_band": "35-44",
         "education": "senior_middle", "category": "laid_off", "district": "D1",
         "street": street, "registered_month": reg, "months_out_at_registration": out,
         "prior_wage": 600.0, "hardship": pid == "B"}
        for pid, (reg, out, street) in PEOPLE.items()])
    courses = pd.DataFrame({
        "course_id": ["c1", "c2"], "occupation": ["care", "catering"],
        "kind": ["reskilling", "reskilling"], "street": ["S1", "S1"], "district": ["D1", "D1"],
        "start_month": ["2025-03", "2025-09"], "end_month": ["2025-04", "2025-10"],
        "hours": [80, 80], "capacity": [20, 20], "cost_per_trainee": [600, 800],
        "funding_source": ["city_fund", "city_fund"]})
    employment = pd.DataFrame(WORK, columns=["pid", "status", "start_month", "end_month",
                                             "monthly_wage"])
    enrolments = pd.DataFrame([
        {"enrolment_id": i, "course_id": course, "occupation": None, "kind": None, "pid": pid,
         "status": status, "applied_month": None, "completed_month": None,
         "dropped_month": dropped, "dropout_reason": "found_job" if dropped else None,
         "hours_attended": None, "certificate": status == "completed"}
        for i, (pid, course, status, dropped) in enumerate(ENROLMENTS)])
    return Extract(Path("."), {"persons": persons, "courses": courses,
                               "employment": employment, "enrolments": enrolments},
                   {"as_of": "2026-06-30"})


@pytest.fixture(scope="module")
def itt():
    return training_design(extract(), estimand="enrolled")


def rows(design, course):
    frame = design.frame[design.frame["course_id"] == course]
    return frame.set_index("pid")


def test_each_course_compares_its_enrollees_with_the_people_at_risk_on_its_start(itt):
    assert rows(itt, "c1")["treat"].to_dict() == {"A": 1, "B": 0, "F": 0, "H": 1, "I": 1,
                                                  "J": 0}
    assert rows(itt, "c2")["treat"].to_dict() == {"B": 0, "D": 1, "E": 0, "F": 0}


def test_someone_trained_before_is_no_longer_at_risk(itt):
    assert "I" not in set(rows(itt, "c2").index)  # completed c1 in April


def test_someone_in_work_when_a_course_begins_is_in_neither_group():
    design = training_design(extract())
    assert "C" not in set(design.frame["pid"])  # the early job-finder
    assert "D" not in set(rows(design, "c1").index)  # in work at the end of February
    assert "A" not in set(rows(design, "c2").index)  # in work at the end of August


def test_in_work_on_the_date_differs_from_ever_employed(itt):
    a = rows(itt, "c1").loc["A"]
    # A worked from July to September 2025; c1 ended in April, so month 6 is October.
    assert a["employed_3m"] == 1 and a["wage_3m"] == 900
    assert a["employed_6m"] == 0 and a["wage_6m"] == 0
    assert a["employed_12m"] == 0


def test_a_dropout_who_found_a_job_stays_treated_for_the_effect_of_enrolling(itt):
    h = rows(itt, "c1").loc["H"]
    assert h["treat"] == 1 and h["employed_6m"] == 1 and h["wage_6m"] == 1000


def test_the_effect_of_completing_leaves_dropouts_and_controls_who_found_work_meanwhile_out():
    design = training_design(extract(), estimand="completed")
    # H dropped out; J, a control, began a job in April while c1 ran, as no completer did.
    assert rows(design, "c1")["treat"].to_dict() == {"A": 1, "B": 0, "F": 0, "I": 1}
    assert "completing" in design.label and "intention to treat" not in design.label


def test_outcomes_the_extract_has_not_seen_yet_are_missing(itt):
    d = rows(itt, "c2").loc["D"]
    # c2 ended in October 2025: month 6 is April 2026 (seen), month 12 October 2026 (not).
    assert d["employed_6m"] == 0
    assert pd.isna(d["employed_12m"]) and pd.isna(d["wage_12m"])


def test_covariates_are_measured_on_the_course_start(itt):
    # B registered in February 2025 after 6-8 months out of work (read as 7): at c1 (March)
    # one month registered, so 8 months out; at c2 (September) 14.
    assert rows(itt, "c1").loc["B", "months_out"] == 1 + 7
    assert rows(itt, "c2").loc["B", "months_out"] == 7 + 7
    assert rows(itt, "c2").loc["B", "months_registered"] == 7
    # D's flexible job ended in March 2025: six months out of work when c2 began.
    assert rows(itt, "c2").loc["D", "months_out"] == 6
    assert rows(itt, "c1").loc["B", "hardship"] == 1


def test_the_placebo_is_a_job_held_between_registering_and_the_course(itt):
    # D registered in January 2025 and held a flexible job from January to March.
    assert rows(itt, "c2").loc["D", "worked_before_course"] == 1
    assert rows(itt, "c2").loc["B", "worked_before_course"] == 0
    # A's job began in July, after c1 started: not before it.
    assert rows(itt, "c1").loc["A", "worked_before_course"] == 0


def test_a_withheld_street_and_people_never_at_risk_are_counted_not_dropped_silently(itt):
    left = itt.left_out["count"]
    assert left["street_withheld"] == 1  # G
    assert left["never_at_risk"] == 1  # C, always in work
    assert left["enrolments_unlinked"] == 1  # G's
    assert left["registration_withheld"] == 0
    assert "withholds" in itt.left_out.loc["street_withheld", "description"]


def test_a_withheld_registration_is_counted():
    x = extract()
    persons = x.persons.assign(registered_month=x.persons["registered_month"].where(
        x.persons["pid"] != "B"))
    design = training_design(Extract(x.folder, {**x.tables, "persons": persons}, x.manifest))
    assert design.left_out.loc["registration_withheld", "count"] == 1
    assert "B" not in set(design.frame["pid"])


def test_registered_in_a_quarter_before_the_start_counts_as_registered(itt):
    assert "E" in set(rows(itt, "c2").index) and "E" not in set(rows(itt, "c1").index)
    assert rows(itt, "c2").loc["E", "registration_uncertain"] == 0


def test_a_registration_year_around_the_start_is_kept_and_marked_uncertain(itt):
    assert rows(itt, "c1").loc["F", "registration_uncertain"] == 1
    assert rows(itt, "c2").loc["F", "registration_uncertain"] == 1
    assert rows(itt, "c1").loc["B", "registration_uncertain"] == 0
    assert "registration_uncertain" in itt.covariates


def test_a_withheld_covariate_is_filled_and_flagged():
    x = extract()
    x.persons[["sex", "hardship"]] = x.persons[["sex", "hardship"]].astype(object)
    x.persons.loc[x.persons["pid"] == "B", ["sex", "hardship"]] = None
    design = training_design(x)
    b = rows(design, "c1").loc["B"]
    assert b["male_withheld"] == 1 and b["hardship_withheld"] == 1
    assert b["male"] == 0 and rows(design, "c1").loc["A", "male_withheld"] == 0
    assert {"male_withheld", "hardship_withheld"} <= set(design.covariates)
    assert not design.frame[list(design.covariates)].isna().any().any()


def test_each_person_is_one_cluster_across_cohorts(itt):
    frame = itt.frame
    assert frame.groupby("pid")["person"].nunique().eq(1).all()
    assert frame["person"].nunique() == frame["pid"].nunique()


def test_an_unknown_estimand_is_refused():
    with pytest.raises(ValueError, match="enrolled, completed"):
        training_design(extract(), estimand="finished")


def test_covariates_collinear_with_earlier_ones_are_left_out_of_the_estimate():
    frame = pd.DataFrame({"treat": [0, 0, 0, 1, 1, 0], "a": [1, 2, 3, 4, 5, 6],
                          "b": [0, 1, 0, 1, 0, 1], "same_as_b": [0, 1, 0, 1, 0, 1],
                          "c": [1, 1, 1, 2, 2, 1]})  # c is constant among the controls

    assert independent_covariates(frame, ["a", "b", "same_as_b", "c"], min_each=1) == ["a", "b"]


def test_an_indicator_too_few_treated_or_controls_have_is_left_out():
    treat = [1] * 20 + [0] * 40
    frame = pd.DataFrame({"treat": treat, "x": range(60),
                          "hardship": [0] * 20 + [1] * 10 + [0] * 30,  # no treated has it
                          "male": [0, 1] * 30})

    assert independent_covariates(frame, ["x", "hardship", "male"]) == ["x", "male"]


def test_controls_with_an_indicator_value_no_treated_row_has_are_off_support():
    frame = pd.DataFrame({"treat": [1, 1, 0, 0, 0], "first_offer": [1, 1, 1, 0, 0],
                          "age": [30, 40, 35, 50, 20]})

    assert outside_treated_support(frame, ["first_offer", "age"]).tolist() == [
        False, False, False, True, True]


def test_a_covariate_that_is_a_sum_of_earlier_ones_is_left_out():
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"treat": [1] * 30 + [0] * 70, "a": rng.normal(size=100),
                          "b": rng.normal(size=100)})
    frame["a_plus_b"] = frame["a"] + 2 * frame["b"]
    frame["c"] = rng.normal(size=100)

    assert independent_covariates(frame, ["a", "b", "a_plus_b", "c"]) == ["a", "b", "c"]
