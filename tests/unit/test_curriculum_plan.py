"""The shortage analysis, the skills gap and the course plan on a data set small enough to
work out by hand. Every expected number below is computed in the comments, not by the code.

The district /3207/320705/ has four occupations; one posting and one jobseeker lie in another
district (/3207/320706/) and count only for the city-wide share of the location quotient.
Thresholds are policy.toml's: V/U [0.5, 1, 2], days to fill [30, 60, 90], unfilled share
[0.2, 0.4, 0.6], lacked-skill share [0.1, 0.2, 0.3], outflow [0.1, 0.2, 0.4]; at least 10
openings; shortage at a mean of 2, watch at 1.5; course sizes 20, 30, 40, 50, 60.
"""

import math

import pandas as pd
import pytest

from casework.policy import load_policy
from evaluation.curriculum_plan import Weights, propose_plan
from evaluation.demand import DemandData, Thresholds, occupation_demand, skills_gap

HERE, THERE = "/3207/320705/320705001/", "/3207/320706/320706001/"
DISTRICT = "/3207/320705/"
NAN = float("nan")


def _data() -> DemandData:
    postings = pd.DataFrame([
        # posting, area, month, occupation, skills, openings, filled, days to fill
        (1, HERE, "2003-01", "transport", ("forklift",), 40, 4, NAN),
        (2, HERE, "2003-02", "transport", ("forklift",), 5, 5, 95.0),
        (3, HERE, "2003-01", "care", ("elder_care",), 22, 12, NAN),
        (4, HERE, "2003-02", "care", ("elder_care",), 3, 3, 40.0),
        (5, HERE, "2003-01", "garment", ("sewing",), 10, 10, 10.0),
        (6, HERE, "2003-02", "catering", ("cooking",), 4, 0, NAN),
        (7, THERE, "2003-02", "catering", ("cooking",), 6, 0, NAN),
    ], columns=["posting_id", "area", "month", "occupation", "skills", "openings", "filled",
                "days_to_fill"])
    seekers = pd.DataFrame(
        # wishes: transport 5 (3 with forklift), care 10 (4 with elder care), garment 40
        # (30 with sewing), catering 2 (1 with cooking); one more transport wisher elsewhere.
        [(HERE, ("transport",), ("forklift",) if i < 3 else ()) for i in range(5)]
        + [(HERE, ("care",), ("elder_care",) if i < 4 else ()) for i in range(10)]
        + [(HERE, ("garment",), ("sewing",) if i < 30 else ()) for i in range(40)]
        + [(HERE, ("catering",), ("cooking",) if i < 1 else ()) for i in range(2)]
        + [(THERE, ("transport",), ("forklift",))],
        columns=["area", "wishes", "skills"])
    referrals = pd.DataFrame(
        [(HERE, "transport", o) for o in ("lacked_skill", "lacked_skill", "hired", "declined")]
        + [(HERE, "care", o) for o in ("lacked_skill", "hired", "declined", "declined",
                                       "rejected")]
        + [(HERE, "garment", o) for o in ("hired", "hired", "declined")],
        columns=["area", "occupation", "outcome"])
    placements = pd.DataFrame([(HERE, "transport"), (HERE, "care"), (HERE, "garment"),
                               (HERE, "garment"), (THERE, "transport")],
                              columns=["area", "occupation"])
    return DemandData(postings, seekers, referrals, placements, period="2003-01/2003-02")


@pytest.fixture(scope="module")
def demand():
    thresholds = Thresholds.from_policy(load_policy()["curriculum"])
    return occupation_demand(_data(), thresholds=thresholds, area=DISTRICT)


def test_each_indicator_is_scored_against_the_policy_thresholds(demand):
    table = demand.table
    # transport: V = 40 + 5 = 45, U = 5, V/U = 9 -> 3; days to fill: only posting 2 was
    # filled, 95 -> 3; unfilled (45 - 9) / 45 = 0.8 -> 3; lacked skill 2 / 4 = 0.5 -> 3;
    # outflow 1 placement / 5 = 0.2 -> 2 (the placement in the other district does not count).
    # Mean (3 + 3 + 3 + 3 + 2) / 5 = 2.8: a shortage.
    # care: V = 25, U = 10, V/U = 2.5 -> 3; days 40 -> 1; unfilled (25 - 15) / 25 = 0.4 -> 2;
    # lacked 1 / 5 = 0.2 -> 2; outflow 1 / 10 = 0.1 -> 1. Mean 9 / 5 = 1.8: watched.
    # garment: V = 10, U = 40, V/U = 0.25 -> 0; days 10 -> 0; unfilled 0 -> 0; lacked 0 -> 0;
    # outflow 2 / 40 = 0.05 -> 0. Mean 0: balanced.
    expected = {"transport": ((9.0, 95.0, 0.8, 0.5, 0.2), (3, 3, 3, 3, 2), 2.8, "shortage"),
                "care": ((2.5, 40.0, 0.4, 0.2, 0.1), (3, 1, 2, 2, 1), 1.8, "watch"),
                "garment": ((0.25, 10.0, 0.0, 0.0, 0.05), (0, 0, 0, 0, 0), 0.0, "balanced")}
    names = ("vu_ratio", "days_to_fill", "unfilled_share", "lacked_skill_share", "outflow")
    for code, (values, scores, mean, status) in expected.items():
        row = table.loc[code]
        assert [row[n] for n in names] == pytest.approx(values)
        assert [row[f"score_{n}"] for n in names] == list(scores)
        assert row["mean_score"] == pytest.approx(mean)
        assert row["status"] == status


def test_an_occupation_with_too_few_openings_is_not_ranked(demand):
    # catering: 4 openings in the district (the 6 elsewhere do not count), fewer than 10.
    row = demand.table.loc["catering"]
    assert row["openings"] == 4
    assert row["status"] == "not_enough_data"
    assert math.isnan(row["rank"])


def test_occupations_rank_by_their_mean_score(demand):
    assert demand.ranking == ["transport", "care", "garment"]
    assert list(demand.table.index) == ["transport", "care", "garment", "catering"]


def test_openings_are_counted_by_month(demand):
    # transport: 40 opened in January, 5 in February.
    assert demand.trend.loc[["2003-01", "2003-02"], "transport"].tolist() == [40, 5]


def test_skills_gap_and_location_quotient():
    table = skills_gap(_data(), area=DISTRICT).table
    # forklift: demand 45, unfilled 36 + 0, supply 3 (the one elsewhere does not count),
    # gap 42, unlock min(42, 36) = 36. LQ: (45 / 84 district openings) / (45 / 90 city-wide).
    # elder care: demand 25, unfilled 10 + 0, supply 4, gap 21, unlock 10; LQ 90 / 84.
    # cooking: demand 4, unfilled 4, supply 1, gap 3, unlock 3; LQ (4 / 84) / (10 / 90).
    # sewing: demand 10, unfilled 0, supply 30, gap 0, unlock 0; LQ 90 / 84.
    assert list(table.index) == ["forklift", "elder_care", "cooking", "sewing"]
    cols = ["demand", "unfilled", "supply", "gap", "unlock"]
    assert table.loc["forklift", cols].tolist() == [45, 36, 3, 42, 36]
    assert table.loc["elder_care", cols].tolist() == [25, 10, 4, 21, 10]
    assert table.loc["cooking", cols].tolist() == [4, 4, 1, 3, 3]
    assert table.loc["sewing", cols].tolist() == [10, 0, 30, 0, 0]
    assert table.loc["forklift", "location_quotient"] == pytest.approx(90 / 84)
    assert table.loc["cooking", "location_quotient"] == pytest.approx((4 / 84) / (10 / 90))


SUBJECTS = {"transport": ("forklift",), "care": ("elder_care",), "garment": ("sewing",),
            "catering": ("cooking",)}
RECORD = pd.DataFrame({"completion_rate": [0.8, 0.5, 0.9], "employed_6m": [0.6, 0.75, 0.3]},
                      index=["transport", "care", "garment"])


def _plan(demand, weights: Weights):
    return propose_plan(demand, skills_gap(_data(), area=DISTRICT), RECORD, subjects=SUBJECTS,
                        weights=weights, course_sizes=load_policy()["curriculum"]["course_sizes"])


def test_the_plan_ranks_subjects_and_bounds_their_seats(demand):
    plan = _plan(demand, Weights())
    # Default weights 1, 1, 0.5. Catering was never taught: it gets the means of the others,
    # employment (0.6 + 0.75 + 0.3) / 3 = 0.55 and completion (0.8 + 0.5 + 0.9) / 3 = 0.7333.
    # transport: 36 x 0.6 x (1 + 0.5 x 1) = 32.4; care (watched): 10 x 0.75 x 1.25 = 9.375;
    # catering (not enough data, no bonus): 3 x 0.55 = 1.65; garment: 0 x 0.3 = 0.
    assert plan.ranking == ["transport", "care", "catering", "garment"]
    assert plan.table["score"].tolist() == pytest.approx([32.4, 9.375, 1.65, 0.0])
    # Seats: transport 36 / 0.8 = 45 -> 40; care 10 / 0.5 = 20 -> 20; catering 3 / 0.733 =
    # 4.1, below the smallest class of 20 -> 0; garment 0 -> 0.
    assert plan.seats == {"transport": 40, "care": 20, "catering": 0, "garment": 0}


def test_changing_a_weight_changes_the_ranking(demand):
    # Demand weight 0 and no bonus: employment alone, 0.75 > 0.6 > 0.55 > 0.3.
    plan = _plan(demand, Weights(demand=0, employment=1, shortage_bonus=0))
    assert plan.ranking == ["care", "transport", "catering", "garment"]


def test_each_subject_has_one_plain_reason_in_both_languages(demand):
    plan = _plan(demand, Weights())
    assert plan.reasons("en")["transport"] == (
        "36 unfilled openings need Forklift operation; 3 registered jobseekers have it; past "
        "courses: 60% in work at 6 months.")
    assert plan.reasons("zh")["transport"] == (
        "叉车操作尚有36个空缺岗位；登记求职者中有3人具备；以往课程：结业6个月后60%在业。")
    assert "average of all subjects (55%" in plan.reasons("en")["catering"]


def test_a_negative_weight_is_refused():
    with pytest.raises(ValueError, match="weight demand"):
        Weights(demand=-1)


def test_results_render_themselves(demand):
    plan = _plan(demand, Weights())
    assert "shortage" in demand.summary().lower()
    assert "<table" in plan._repr_html_()
    assert plan.to_frame().loc["plan", "seats"] == 60


def test_a_subject_of_several_skills_counts_the_openings_of_its_key_skill_once(demand):
    # transport taught as driving and forklift: driving has no openings, forklift unlocks 36;
    # summing would only be right if no opening asked for both, so the key skill counts.
    plan = propose_plan(demand, skills_gap(_data(), area=DISTRICT), RECORD,
                        subjects={"transport": ("driving", "forklift")}, weights=Weights(),
                        course_sizes=[20, 30, 40])
    row = plan.table.loc["transport"]
    assert (row["key_skill"], row["unmet"], row["unfilled"], row["supply"]) == (
        "forklift", 36, 36, 3)
