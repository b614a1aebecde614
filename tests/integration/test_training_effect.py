"""The planted truth is recovered on the harder demo (several spells, jobs before the course,
early job-finders who never enrol, dropouts who found work, effects that differ by group):
ipw, aipw and psm cover the sample ATT of enrolling (ipw and aipw that of completing), and the
plain difference does not. The truth comes from the generator's potential outcomes; nothing in
``evaluation`` reads it."""

import json
import warnings

import pytest

from casework import cli
from casework.db import engine as db_engine
from evaluation import (
    OverlapWarning,
    effects_by_group,
    load_extract,
    placebo_effect,
    training_design,
    training_effect,
)

TRUE_EFFECT = 0.10


@pytest.fixture(scope="module", params=[3, 11], ids=lambda s: f"seed{s}")
def planted(request, tmp_path_factory):
    """A planted 0.10 on 30,000 people of the notice's years, its extract and the design.
    (On the era's demo of 20,000, k = 5 coarsened more than half the rows' education and sex,
    and aipw's bias from it (about +0.02) reached a standard error: the women's interval of
    seed 11 missed. 30,000 people need less coarsening.)"""
    folder = tmp_path_factory.mktemp(f"seed{request.param}")
    url = f"sqlite:///{folder / 'demo.db'}"
    assert cli.main(["--database", url, "demo", "--persons", "30000", "--seed",
                     str(request.param), "--training-effect", str(TRUE_EFFECT), "--as-of",
                     cli.DEMO_AS_OF.isoformat(), "--truth", str(folder / "t.json")]) == 0
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CASEWORK_USER", "demo-researcher")
        assert cli.main(["--database", url, "extract", "--out", str(folder / "x"),
                         "--purpose", "recover the planted training effect"]) == 0
    db_engine.get_engine(url).dispose()
    extract = load_extract(folder / "x")
    designs = {e: training_design(extract, estimand=e) for e in ("enrolled", "completed")}
    return extract, designs, json.loads((folder / "t.json").read_text("utf-8"))


def estimate(planted, method, outcome="employed_6m", estimand="enrolled"):
    extract, designs, _truth = planted
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OverlapWarning)  # a handful of extreme scores
        return training_effect(extract, outcome=outcome, method=method, estimand=estimand,
                               design=designs[estimand])


@pytest.mark.parametrize("method", ["ipw", "aipw", "psm"])
def test_the_interval_covers_the_effect_of_enrolling(planted, method):
    truth = planted[2]["att_enrolled"]["employed_6m"]

    result = estimate(planted, method)

    assert result.ci_low < truth < result.ci_high
    assert result.estimand == "ATT" and result.all_treated
    assert result.n_treated > 500


@pytest.mark.parametrize("method", ["ipw", "aipw"])
def test_the_interval_covers_the_effect_of_completing(planted, method):
    truth = planted[2]["att_completed"]["employed_6m"]

    result = estimate(planted, method, estimand="completed")

    assert result.ci_low < truth < result.ci_high


def test_the_plain_difference_misses_the_truth_from_above(planted):
    truth = planted[2]["att_enrolled"]["employed_6m"]

    naive = estimate(planted, "difference")

    assert naive.ci_low > truth


def test_the_wage_effect_is_covered(planted):
    truth = planted[2]["att_enrolled"]["wage_6m"]

    result = estimate(planted, "aipw", outcome="wage_6m")

    assert result.ci_low < truth < result.ci_high


def test_linear_regression_adjustment_removes_most_of_the_bias_of_the_plain_difference(planted):
    truth = planted[2]["att_enrolled"]["employed_6m"]

    naive, adjusted = estimate(planted, "difference"), estimate(planted, "regression")

    assert abs(adjusted.estimate - truth) < abs(naive.estimate - truth) / 2


def test_the_placebo_finds_at_most_a_small_imbalance_before_the_course(planted):
    """A job between registering and the course cannot be the course's doing. On the k=5
    extract the coarsened covariates leave a small imbalance (a point or less), which is what
    the placebo is there to show; on an uncoarsened extract it vanishes."""
    extract, designs, _truth = planted
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OverlapWarning)
        result = placebo_effect(extract, method="aipw", design=designs["enrolled"])

    assert abs(result.estimate) < 0.02
    assert result.n_treated > 500


def test_the_effects_for_men_and_women_cover_their_own_truths(planted):
    extract, designs, truth = planted
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OverlapWarning)
        groups = effects_by_group(extract, method="aipw", by=["sex"],
                                  design=designs["enrolled"]).table
    by_sex = truth["att_by_group"]["enrolled"]["sex"]
    for sex in ("M", "F"):  # among those whose sex the extract shows
        row = groups.loc[("sex", sex)]
        assert row["ci_low"] < by_sex[sex]["att"] < row["ci_high"], sex
        assert row["n_treated"] > 100


def test_balance_on_education_improves_after_weighting(planted):
    result = estimate(planted, "ipw")

    before, after = result.balance.loc["education_rank", ["smd_before", "smd_after"]]
    assert abs(after) < abs(before) / 3


def test_an_unknown_outcome_is_refused_with_the_list_of_outcomes(planted):
    with pytest.raises(ValueError, match="employed_6m"):
        training_effect(planted[0], outcome="happiness", design=planted[1]["enrolled"])
