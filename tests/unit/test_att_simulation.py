"""Rare treatment (about 1% treated) with an effect that grows with x1, so the ATT is not the
ATE: the adjusted estimates cover the true ATT of the simulated potential outcomes, the default
keeps every treated person, and the old pooled-quantile trimming would have failed."""

import warnings

import numpy as np
import pandas as pd
import pytest

from evaluation import OverlapWarning, estimate_att

N = 40_000


def simulate(seed: int):
    """Selection on x1 (strong) and x2; effect 1 + 0.5 * x1; outcome linear in x1, x2."""
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=N)
    x2 = (rng.random(N) < 0.5).astype(float)
    treated = rng.random(N) < 1 / (1 + np.exp(-(-8.2 + 3.0 * x1 + 0.5 * x2)))
    y0 = 1 + x1 + 0.5 * x2 + rng.normal(size=N)
    y1 = y0 + 1 + 0.5 * x1
    data = pd.DataFrame({"treat": treated.astype(int), "y": np.where(treated, y1, y0),
                         "x1": x1, "x2": x2})
    return data, float(np.mean((y1 - y0)[treated])), float(np.mean(y1 - y0))


@pytest.fixture(scope="module")
def world():
    data, true_att, true_ate = simulate(seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OverlapWarning)  # the top treated outrun the controls
        results = {method: estimate_att(data, treatment="treat", outcome="y",
                                        covariates=["x1", "x2"], method=method)
                   for method in ("regression", "ipw", "aipw", "psm")}
        results["old"] = estimate_att(data, treatment="treat", outcome="y",
                                      covariates=["x1", "x2"], method="ipw", trim=(0.01, 0.99))
    return data, true_att, true_ate, results


def test_treatment_is_rare_and_the_att_is_far_from_the_ate(world):
    data, true_att, true_ate, _ = world
    assert 0.01 <= data["treat"].mean() <= 0.02
    assert true_att - true_ate > 1.0


@pytest.mark.parametrize("method", ["regression", "ipw", "aipw", "psm"])
def test_the_95_percent_interval_covers_the_true_att(world, method):
    _, true_att, true_ate, results = world
    res = results[method]
    assert res.ci_low <= true_att <= res.ci_high
    assert not res.ci_low <= true_ate <= res.ci_high


@pytest.mark.parametrize("method", ["ipw", "aipw", "psm"])
def test_the_default_keeps_every_treated_person_and_drops_only_controls(world, method):
    data, _, _, results = world
    res = results[method]
    assert res.n_treated == int(data["treat"].sum())
    assert res.n_treated_dropped == 0 and res.all_treated and res.estimand == "ATT"
    score = res.propensity
    kept_controls = score[(score["treated"] == 0) & score["kept"]]["score"]
    treated = score[score["treated"] == 1]["score"]
    assert treated.min() <= kept_controls.min() and kept_controls.max() <= treated.max()
    assert res.n_trimmed == int(((score["treated"] == 0) & ~score["kept"]).sum()) > 0


def test_the_old_pooled_quantile_trimming_drops_many_treated_and_misses_the_truth(world):
    data, true_att, _, results = world
    old = results["old"]
    assert old.n_treated_dropped > 0.35 * data["treat"].sum()
    assert old.estimand == "ATT on the overlap"
    assert old.ci_high < true_att  # the dropped treated are those with the largest effects
    assert old.trimmed.loc["x1", "mean_dropped"] > old.trimmed.loc["x1", "mean_kept"] + 1
