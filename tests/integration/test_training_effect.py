"""A planted truth is recovered: on the demo with a true effect of 0.10, the 95% intervals of
the ipw and psm estimates contain it, and the plain difference is visibly biased."""

import json
import warnings

import pytest

from casework import cli
from casework.db import engine as db_engine
from evaluation import OverlapWarning
from evaluation.extract import load_extract
from evaluation.training import training_effect

TRUE_EFFECT = 0.10


@pytest.fixture(scope="module", params=[3, 11], ids=lambda s: f"seed{s}")
def planted(request, tmp_path_factory):
    """The issue's data set (20,000 people, a planted 0.10) and its research extract."""
    folder = tmp_path_factory.mktemp(f"seed{request.param}")
    url = f"sqlite:///{folder / 'demo.db'}"
    assert cli.main(["--database", url, "demo", "--persons", "20000", "--seed",
                     str(request.param), "--training-effect", str(TRUE_EFFECT), "--as-of",
                     "2026-11-27", "--truth", str(folder / "t.json")]) == 0
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CASEWORK_EXTRACT_SALT", "ab" * 32)
        mp.setenv("CASEWORK_USER", "demo-researcher")
        assert cli.main(["--database", url, "extract", "--out", str(folder / "x")]) == 0
    db_engine.get_engine(url).dispose()
    return load_extract(folder / "x"), json.loads((folder / "t.json").read_text("utf-8"))


def estimate(extract, method, outcome="employed_6m"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OverlapWarning)  # a handful of extreme scores
        return training_effect(extract, outcome=outcome, method=method, n_boot=100, seed=1)


@pytest.mark.parametrize("method", ["ipw", "psm"])
def test_the_confidence_interval_contains_the_planted_effect(planted, method):
    extract, truth = planted

    result = estimate(extract, method)

    assert truth["training_effect_employed_6m"] == TRUE_EFFECT
    assert result.ci_low < TRUE_EFFECT < result.ci_high
    assert result.n_treated > 1000 and result.n_control > 5000


def test_the_plain_difference_is_visibly_biased(planted):
    extract, _truth = planted

    naive = estimate(extract, "difference")

    assert naive.ci_low > TRUE_EFFECT + 0.05


def test_balance_on_education_improves_after_weighting(planted):
    result = estimate(planted[0], "ipw")

    before, after = result.balance.loc["education_years_rank"]
    assert abs(after) < abs(before) / 3


def test_the_wage_effect_interval_contains_the_planted_wage_effect(planted):
    extract, truth = planted

    result = estimate(extract, "ipw", outcome="wage_6m")

    assert result.ci_low < truth["sample_att_wage_6m"] < result.ci_high


def test_an_unknown_outcome_is_refused_with_the_list_of_outcomes(planted):
    with pytest.raises(ValueError, match="employed_6m"):
        training_effect(planted[0], outcome="happiness")
