"""Diagnostics on every result: the propensity table, balance with variance ratios, weights,
who was trimmed by each rule, the overlap and love plots, and E-values by hand."""

import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from evaluation import OverlapWarning, e_value, estimate_att
from evaluation.sensitivity import att_e_value
from tests.unit.by_hand import expit, logit_by_hand

pytestmark = pytest.mark.filterwarnings("ignore::evaluation.OverlapWarning")


def simulate(n=600, seed=11, strength=1.5):
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    t = (rng.random(n) < expit(-0.3 + strength * x1 + 0.4 * x2)).astype(int)
    y = x1 + x2 + 0.5 * t + rng.normal(size=n)
    index = pd.Index([f"p{i:04d}" for i in range(n)], name="person")
    return pd.DataFrame({"treat": t, "y": y, "x1": x1, "x2": x2}, index=index)


DATA = simulate()
T = DATA["treat"].to_numpy()
X = DATA[["x1", "x2"]].to_numpy()
SCORE = expit(np.column_stack([np.ones(len(T)), X]) @ logit_by_hand(
    np.column_stack([np.ones(len(T)), X]), T.astype(float)))


def att(method, data=DATA, **kwargs):
    return estimate_att(data, treatment="treat", outcome="y", covariates=["x1", "x2"],
                        method=method, **kwargs)


# --- the propensity table ---------------------------------------------------------------------

@pytest.mark.parametrize("method", ["difference", "ols", "regression", "ipw", "aipw", "psm"])
def test_every_method_reports_the_logit_score_of_every_unit(method):
    frame = att(method).propensity
    assert list(frame.columns) == ["score", "treated", "kept"]
    assert frame.index.equals(DATA.index)
    assert frame["score"].to_numpy() == pytest.approx(SCORE, rel=1e-6)
    assert frame["treated"].tolist() == T.tolist()


# --- balance ----------------------------------------------------------------------------------

def test_variance_ratios_before_are_treated_over_control_variances():
    balance = att("difference").balance
    expected = X[T == 1].var(axis=0, ddof=1) / X[T == 0].var(axis=0, ddof=1)
    assert balance["variance_ratio_before"].to_numpy() == pytest.approx(expected)
    assert list(balance.columns) == ["smd_before", "smd_after", "variance_ratio_before",
                                     "variance_ratio_after"]


def test_balance_after_weighting_uses_the_odds_weighted_control_moments():
    res = att("ipw", trim=None)
    w = (SCORE / (1 - SCORE))[T == 0]
    xc, xt = X[T == 0], X[T == 1]
    mean_c = w @ xc / w.sum()
    var_c = w @ (xc - mean_c) ** 2 / (w.sum() - (w**2).sum() / w.sum())
    scale = np.sqrt((xt.var(axis=0, ddof=1) + xc.var(axis=0, ddof=1)) / 2)
    assert res.balance["smd_after"].to_numpy() == pytest.approx((xt.mean(0) - mean_c) / scale,
                                                                rel=1e-6)
    assert res.balance["variance_ratio_after"].to_numpy() == pytest.approx(
        xt.var(axis=0, ddof=1) / var_c, rel=1e-6)
    assert res.effective_sample_size == pytest.approx(w.sum() ** 2 / (w**2).sum(), rel=1e-6)
    assert res.max_weight_share == pytest.approx(w.max() / w.sum(), rel=1e-6)


def test_methods_that_do_not_weight_have_every_control_as_effective_sample():
    res = att("regression")
    assert res.effective_sample_size == pytest.approx((T == 0).sum())
    assert res.max_weight_share == pytest.approx(1 / (T == 0).sum())


def test_the_balance_and_overlap_plots_are_closed_figures_with_chinese_labels():
    res = att("psm")
    before = plt.get_fignums()
    overlap = res.plot_overlap(title="倾向得分重叠", xlabel="倾向得分", ylabel="密度",
                               labels={"treated": "参加培训", "control": "未参加"})
    love = res.plot_balance(title="平衡性", labels={"before": "调整前", "after": "调整后"})
    assert isinstance(overlap, Figure) and isinstance(love, Figure)
    assert plt.get_fignums() == before  # closed: a notebook shows it once, where it is used
    axes = overlap.axes[0]
    assert (axes.get_title(), axes.get_xlabel(), axes.get_ylabel()) == ("倾向得分重叠",
                                                                        "倾向得分", "密度")
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["未参加", "参加培训"]
    assert [t.get_text() for t in love.axes[0].get_yticklabels()] == ["x1", "x2"]
    assert [t.get_text() for t in love.axes[0].get_legend().get_texts()] == ["调整前", "调整后"]


# --- trimming rules ---------------------------------------------------------------------------

def test_the_crump_rule_drops_treated_outside_its_bounds_and_changes_the_estimand():
    data = simulate(strength=3.0)
    t = data["treat"].to_numpy()
    x = data[["x1", "x2"]].to_numpy()
    design = np.column_stack([np.ones(len(t)), x])
    e = expit(design @ logit_by_hand(design, t.astype(float)))
    for alpha in (0.1, 0.05):
        keep = (e >= alpha) & (e <= 1 - alpha)
        res = att("ipw", data=data, trim="crump", crump_alpha=alpha)
        assert res.n_trimmed == int((~keep).sum())
        assert res.n_treated_dropped == int(((t == 1) & ~keep).sum()) > 0
        assert res.estimand == "ATT on the overlap" and not res.all_treated
        dropped = (t == 1) & ~keep
        trimmed = res.trimmed
        assert trimmed.loc["x1", "mean_dropped"] == pytest.approx(x[dropped, 0].mean())
        assert trimmed.loc["x1", "mean_kept"] == pytest.approx(x[(t == 1) & keep, 0].mean())
        assert trimmed.loc["propensity score", "mean_dropped"] == pytest.approx(
            e[dropped].mean(), rel=1e-6)
        assert ((e[dropped] < alpha) | (e[dropped] > 1 - alpha)).all()
        assert "Treated dropped by trimming" in res.summary()
        assert f"{res.n_treated_dropped} of them treated" in res.summary()


def test_pooled_quantile_trimming_drops_units_outside_the_quantiles_of_all_scores():
    score = SCORE
    low, high = np.quantile(score, [0.05, 0.95])
    keep = (score >= low) & (score <= high)
    res = att("aipw", trim=(0.05, 0.95))
    assert res.n_trimmed == int((~keep).sum())
    assert res.propensity["kept"].tolist() == keep.tolist()
    assert res.n_treated == int(((T == 1) & keep).sum())


def test_no_trimming_keeps_everyone():
    res = att("ipw", trim=None)
    assert res.n_trimmed == 0 and res.nobs == len(DATA) and res.trimmed.empty


# --- E-values ---------------------------------------------------------------------------------

def test_the_e_value_formula_and_its_inversion_below_one():
    assert e_value(2.0) == pytest.approx(2 + math.sqrt(2))
    assert e_value(0.5) == pytest.approx(2 + math.sqrt(2))
    assert e_value(1.0) == 1.0
    with pytest.raises(ValueError, match="risk_ratio must be positive"):
        e_value(0.0)


def test_a_binary_outcome_converts_the_att_to_a_risk_ratio_by_hand():
    y_treated = np.array([1, 1, 1, 0, 1, 0, 1, 1, 0, 1.0])  # 0.7
    got = att_e_value(0.2, 0.05, 0.35, y_treated=y_treated, y_control=np.array([0, 1, 0.0]))
    rr = 0.7 / (0.7 - 0.2)
    rr_low = 0.7 / (0.7 - 0.05)
    assert got.risk_ratio == pytest.approx(rr)
    assert got.point == pytest.approx(rr + math.sqrt(rr * (rr - 1)))
    assert got.ci_limit == pytest.approx(rr_low + math.sqrt(rr_low * (rr_low - 1)))


def test_a_harmful_binary_effect_uses_the_inverse_ratio_and_the_upper_limit():
    y_treated = np.array([0, 0, 1, 0.0])  # 0.25
    got = att_e_value(-0.25, -0.4, -0.1, y_treated=y_treated, y_control=np.array([1, 0.0]))
    rr = 1 / (0.25 / 0.5)  # counterfactual 0.5, so RR 0.5, inverted to 2
    rr_high = 1 / (0.25 / 0.35)
    assert got.point == pytest.approx(rr + math.sqrt(rr * (rr - 1)))
    assert got.ci_limit == pytest.approx(rr_high + math.sqrt(rr_high * (rr_high - 1)))


def test_an_interval_holding_zero_has_an_e_value_of_one_for_the_limit():
    got = att_e_value(0.3, -0.1, 0.7, y_treated=np.array([1.5, 2.5]),
                      y_control=np.array([1.0, 2.0, 3.0]))
    rr = math.exp(0.91 * 0.3 / 1.0)  # sd of the controls is 1
    assert got.risk_ratio == pytest.approx(rr)
    assert got.point == pytest.approx(rr + math.sqrt(rr * (rr - 1)))
    assert got.ci_limit == 1.0


def test_results_carry_the_e_value_of_their_estimate_and_interval():
    res = att("aipw")
    kept = res.propensity["kept"].to_numpy()
    sd = DATA["y"].to_numpy()[(T == 0) & kept].std(ddof=1)
    rr, rr_low = math.exp(0.91 * res.estimate / sd), math.exp(0.91 * res.ci_low / sd)
    assert res.ci_low > 0
    assert res.e_value.point == pytest.approx(rr + math.sqrt(rr * (rr - 1)))
    assert res.e_value.ci_limit == pytest.approx(rr_low + math.sqrt(rr_low * (rr_low - 1)))
    assert f"{res.e_value.point:.2f}" in res.summary()
    assert "E-value" in res._repr_html_()


def test_a_binary_outcome_result_uses_the_risk_ratio_conversion():
    data = DATA.assign(y=(DATA["y"] > 0).astype(int))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OverlapWarning)
        res = att("regression", data=data)
    share = data["y"].to_numpy()[T == 1].mean()
    assert res.e_value.risk_ratio == pytest.approx(share / (share - res.estimate))
    assert res.e_value.approximation.startswith("binary outcome")
