"""ATT estimation: hand-computed cases, a simulated known effect, trimming, errors, rendering."""

import warnings

import numpy as np
import pandas as pd
import pytest

from evaluation import (
    AttResults,
    OverlapWarning,
    PerfectSeparationError,
    PerfectSeparationWarning,
    estimate_att,
)
from evaluation.matching import nearest

Z95 = 1.959963984540054
TRUE_ATT = 0.10
METHODS = ["difference", "ols", "regression", "ipw", "aipw", "psm"]

# One binary covariate: the logit is saturated, so the propensity is the treated share per cell,
# x=0: 2 treated of 6 -> 1/3, x=1: 4 treated of 6 -> 2/3. Rows are in original order.
CELLS = pd.DataFrame({
    "treat": [0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1],
    "x":     [0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1],
    "y":     [2, 5, 7, 4, 12, 11, 3, 9, 6, 15, 1, 10],
})


def simulate(n: int, seed: int) -> pd.DataFrame:
    """Confounded data: x1 and x2 raise both the chance of treatment and the outcome."""
    rng = np.random.default_rng(seed)
    x1 = rng.uniform(-1.5, 1.5, n)
    x2 = rng.random(n) < 0.4
    treat = rng.random(n) < 1 / (1 + np.exp(-(-0.4 + 1.2 * x1 + 0.6 * x2)))
    y = 1 + 1.0 * x1 + 0.5 * x2 + TRUE_ATT * treat + rng.normal(0, 1, n)
    return pd.DataFrame({"treat": treat.astype(int), "y": y, "x1": x1, "x2": x2})


@pytest.fixture(scope="module")
def simulated():
    data = simulate(4000, seed=20261127)
    with warnings.catch_warnings():
        # A few treated units just beyond the highest control score are expected at this size.
        warnings.simplefilter("ignore", OverlapWarning)
        return {method: estimate_att(data, treatment="treat", outcome="y",
                                     covariates=["x1", "x2"], method=method)
                for method in METHODS}


def att(data, method, covariates=("x",), **kwargs):
    return estimate_att(data, treatment="treat", outcome="y", covariates=list(covariates),
                        method=method, **kwargs)


# --- each method against values worked out by hand -------------------------------------------

def test_difference_is_the_mean_difference_with_the_unequal_variance_standard_error():
    data = pd.DataFrame({"treat": [1, 1, 1, 0, 0, 0, 0], "y": [6, 8, 10, 1, 3, 5, 7]})
    res = att(data, "difference", covariates=())
    # means 8 and 4; variances 4 and 20/3; SE = sqrt(4/3 + 20/3/4) = sqrt(3)
    assert res.estimate == pytest.approx(4.0)
    assert res.std_error == pytest.approx(np.sqrt(3.0))
    assert res.ci_low == pytest.approx(4.0 - Z95 * np.sqrt(3.0))
    assert res.ci_high == pytest.approx(4.0 + Z95 * np.sqrt(3.0))
    assert (res.n_treated, res.n_control, res.nobs) == (3, 4, 7)
    assert res.estimand == "ATT" and res.all_treated


def test_ols_matches_least_squares_and_the_hc1_sandwich_by_hand_and_is_not_called_an_att():
    data = pd.DataFrame({
        "treat": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
        "x": [1.0, 2.0, 2.5, 4.0, 5.0, 2.0, 3.0, 4.5, 5.0, 6.5],
        "y": [2.1, 3.9, 4.2, 6.8, 8.1, 5.6, 7.9, 9.4, 10.8, 12.5],
    })
    X = np.column_stack([np.ones(10), data["treat"], data["x"]])
    y = data["y"].to_numpy()
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    resid = y - X @ beta
    bread = np.linalg.inv(X.T @ X)
    cov = bread @ (X.T * resid**2) @ X @ bread * 10 / (10 - 3)
    se = np.sqrt(cov[1, 1])
    res = att(data, "ols")
    assert res.estimate == pytest.approx(beta[1])
    assert res.std_error == pytest.approx(se)
    assert (res.ci_low, res.ci_high) == pytest.approx((beta[1] - Z95 * se, beta[1] + Z95 * se))
    z90 = 1.6448536269514722
    assert res.conf_int(0.90).iloc[0].tolist() == pytest.approx([beta[1] - z90 * se,
                                                                 beta[1] + z90 * se])
    assert "not an ATT" in res.estimand and "not an ATT" in res.summary()
    assert res.se_type == "HC1 robust"


def test_ipw_weights_controls_by_the_odds_of_the_cell_share_propensity():
    share = CELLS.groupby("x")["treat"].transform("mean")  # saturated logit = cell share
    control = CELLS["treat"] == 0
    odds = (share / (1 - share))[control]
    expected = CELLS.loc[~control, "y"].mean() - (odds * CELLS.loc[control, "y"]).sum() / odds.sum()
    assert expected == pytest.approx(31 / 6)  # 62/6 treated mean minus 31/6 weighted controls
    res = att(CELLS, "ipw")
    assert res.estimate == pytest.approx(expected, rel=1e-7)
    assert res.balance.loc["x", "smd_after"] == pytest.approx(0.0, abs=1e-7)
    assert (res.n_treated, res.n_control, res.n_trimmed) == (6, 6, 0)


def test_ipw_without_covariates_reduces_to_the_difference_in_means():
    res = att(CELLS, "ipw", covariates=())
    assert res.estimate == pytest.approx(62 / 6 - 23 / 6)


def test_psm_matches_each_treated_unit_to_the_first_control_row_of_its_cell():
    # Every control of a cell is at distance 0, a tie; the lowest row position wins:
    # x=0 -> row 0 (y=2), x=1 -> row 2 (y=7). Taking the last row would give 36/6 instead.
    res = att(CELLS, "psm")
    assert res.estimate == pytest.approx(((5 - 2) + (9 - 2) + (12 - 7) + (11 - 7) + (15 - 7)
                                          + (10 - 7)) / 6)
    assert res.balance.loc["x", "smd_after"] == pytest.approx(0.0, abs=1e-12)
    assert res.n_control == 2  # distinct matched controls, rows 0 and 2


def test_psm_without_covariates_matches_everyone_to_the_first_control_row():
    res = att(CELLS, "psm", covariates=())
    assert res.estimate == pytest.approx(62 / 6 - 2)


def test_nearest_control_ties_go_to_the_lowest_position():
    p_control = np.array([0.5, 0.25, 0.25, 0.5, 0.75])
    # 0.375 is 0.125 from both 0.25 (positions 1, 2) and 0.5 (positions 0, 3): position 0.
    # 0.25 ties between positions 1 and 2; 0.625 ties 0.5 (0, 3) and 0.75 (4); 1.0 -> 4.
    got = nearest(np.array([0.375, 0.25, 0.625, 1.0, 0.0]), p_control, 1)[:, 0]
    assert got.tolist() == [0, 1, 0, 4, 1]


@pytest.mark.parametrize("k", [1, 3, 7])
def test_k_nearest_controls_agree_with_a_brute_force_search_on_a_coarse_grid(k):
    rng = np.random.default_rng(7)
    p_control = rng.integers(0, 17, 60) / 16  # many exact ties
    p_treated = rng.integers(0, 33, 200) / 32
    distance = np.abs(p_treated[:, None] - p_control[None, :])
    position = np.broadcast_to(np.arange(60), distance.shape)
    brute = np.lexsort((position, distance), axis=1)[:, :k]  # by distance, then position
    assert nearest(p_treated, p_control, k).tolist() == brute.tolist()


# --- a simulated data set with a known (constant) effect of 0.10 -----------------------------

def test_difference_in_means_is_biased_by_confounding(simulated):
    res = simulated["difference"]
    assert res.estimate - TRUE_ATT > 0.3
    assert not res.ci_low <= TRUE_ATT <= res.ci_high


@pytest.mark.parametrize("method", ["ols", "regression", "ipw", "aipw", "psm"])
def test_adjusted_estimates_cover_the_true_effect(simulated, method):
    res = simulated[method]
    assert res.ci_low <= TRUE_ATT <= res.ci_high


@pytest.mark.parametrize("method", ["ipw", "aipw", "psm"])
def test_weighting_and_matching_improve_balance_on_every_covariate(simulated, method):
    balance = simulated[method].balance
    assert list(balance.index) == ["x1", "x2"]
    assert (balance["smd_after"].abs() < balance["smd_before"].abs()).all()
    assert (balance["smd_after"].abs() < 0.1).all()


@pytest.mark.parametrize("method", ["difference", "ols", "regression"])
def test_methods_that_do_not_reweight_report_balance_after_equal_to_before(simulated, method):
    balance = simulated[method].balance
    assert balance["smd_after"].tolist() == balance["smd_before"].tolist()
    assert balance["variance_ratio_after"].tolist() == balance["variance_ratio_before"].tolist()
    assert balance.loc["x1", "smd_before"] > 0.5


def test_the_default_drops_only_controls_outside_the_treated_score_range(simulated):
    res = simulated["ipw"]
    score = res.propensity
    treated = score[score["treated"] == 1]["score"]
    outside = (score["treated"] == 0) & ((score["score"] < treated.min())
                                         | (score["score"] > treated.max()))
    assert res.n_trimmed == int(outside.sum()) > 0
    assert res.n_treated == int(score["treated"].sum()) and res.n_treated_dropped == 0
    assert (~score.loc[outside, "kept"]).all() and score.loc[~outside, "kept"].all()
    assert res.n_trimmed == 4000 - res.nobs and res.estimand == "ATT"


def test_methods_without_a_score_drop_nobody(simulated):
    for method in ("difference", "ols", "regression"):
        res = simulated[method]
        assert res.n_trimmed == 0 and res.nobs == 4000
        assert res.propensity["kept"].all()


# --- the optional bootstrap -------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore::evaluation.OverlapWarning")
def test_the_ipw_bootstrap_is_reproducible_with_a_seed_and_changes_with_another():
    data = simulate(400, seed=3)
    first, again, other = (att(data, "ipw", covariates=("x1", "x2"), n_boot=100, seed=s)
                           for s in (11, 11, 12))
    assert np.array_equal(first.bootstrap_estimates, again.bootstrap_estimates)
    assert first.std_error == again.std_error != other.std_error
    assert first.estimate == other.estimate
    assert first.bootstrap_estimates.size == 100
    assert first.se_type.startswith("bootstrap (100 of 100 resamples, seed 11")
    assert att(data, "ipw", covariates=("x1", "x2")).bootstrap_estimates is None


@pytest.mark.filterwarnings("ignore::evaluation.OverlapWarning")
def test_a_clustered_bootstrap_resamples_whole_clusters_and_is_near_the_analytic_se():
    data = simulate(1200, seed=8).assign(street=lambda d: np.arange(len(d)) // 20)
    boot = att(data, "regression", covariates=("x1", "x2"), cluster="street", n_boot=300)
    analytic = att(data, "regression", covariates=("x1", "x2"), cluster="street")
    assert boot.se_type.endswith("seed 0, clusters resampled)")
    assert analytic.se_type.startswith("cluster-robust by 'street' (60 clusters")
    assert boot.estimate == analytic.estimate
    assert boot.std_error == pytest.approx(analytic.std_error, rel=0.2)


def test_discarded_bootstrap_resamples_are_reported_with_a_warning():
    with pytest.warns(PerfectSeparationWarning, match="bootstrap resamples were discarded"):
        res = att(CELLS, "ipw", trim=None, n_boot=40, seed=0)
    assert 2 <= res.bootstrap_estimates.size < 40


def test_a_bootstrap_with_matching_is_refused_citing_abadie_and_imbens_2008():
    with pytest.raises(ValueError, match="not valid for nearest-neighbour matching \\(Abadie & "
                                         "Imbens 2008"):
        att(CELLS, "psm", n_boot=100)


# --- bad arguments and bad data ---------------------------------------------------------------

def test_an_unknown_method_is_refused_with_the_list_of_methods():
    with pytest.raises(ValueError, match="'difference', 'ols', 'regression', 'ipw', 'aipw', "
                                         "'psm'"):
        att(CELLS, "matching")


@pytest.mark.parametrize("values", [[0, 1, 2, 0, 1, 1, 0, 1, 0, 1, 0, 1], [0.5] * 12])
def test_a_non_binary_treatment_is_refused(values):
    with pytest.raises(ValueError, match="only 0/1"):
        att(CELLS.assign(treat=values), "difference")


def test_a_single_treated_unit_is_refused():
    with pytest.raises(ValueError, match="At least 2 treated and 2 control"):
        att(CELLS.assign(treat=[1] + [0] * 11), "difference")


def test_missing_values_are_refused_naming_the_columns():
    data = CELLS.astype(float)
    data.loc[3, "x"] = np.nan
    data.loc[5, "y"] = np.nan
    with pytest.raises(ValueError, match="Missing values in column\\(s\\) 'y', 'x'"):
        att(data, "regression")


@pytest.mark.parametrize("trim", [(0.9, 0.1), (-0.1, 0.9), (0.1,), "0.1", ("a", "b"), "all"])
def test_a_malformed_trim_is_refused(trim):
    with pytest.raises(ValueError, match="trim must be None, 'support', 'crump' or a pair"):
        att(CELLS, "ipw", trim=trim)


@pytest.mark.parametrize(("option", "message"), [
    ({"n_boot": 1}, "n_boot must be 0 .* or an integer of at least 2"),
    ({"n_boot": -3}, "n_boot must be 0"),
    ({"crump_alpha": 0.5}, "crump_alpha must be a number in \\(0, 0.5\\)"),
    ({"n_neighbors": 0}, "n_neighbors must be a positive integer"),
    ({"variance_neighbors": 1.5}, "variance_neighbors must be a positive integer"),
    ({"caliper": -0.2}, "caliper must be None or a positive number"),
    ({"label": 3}, "label must be a string"),
])
def test_bad_options_are_refused_with_a_sentence(option, message):
    with pytest.raises(ValueError, match=message):
        att(CELLS, "psm", **option)


def test_matching_options_are_refused_for_other_methods():
    with pytest.raises(ValueError, match="apply to method='psm' only"):
        att(CELLS, "ipw", caliper=0.2)


@pytest.mark.parametrize("method", ["ipw", "aipw", "psm"])
def test_a_covariate_that_separates_the_groups_is_named_in_the_error(method):
    data = CELLS.assign(score=CELLS["treat"] * 10 + CELLS["x"])
    with pytest.raises(PerfectSeparationError, match="covariate\\(s\\) 'score' separate"):
        att(data, method, covariates=("x", "score"))
    assert issubclass(PerfectSeparationError, ValueError)


def test_a_method_without_a_score_still_estimates_when_the_diagnostic_logit_separates():
    data = CELLS.assign(score=CELLS["treat"] * 10 + CELLS["x"])
    with pytest.warns(PerfectSeparationWarning, match="No propensity score for the diagnostics"):
        res = att(data, "difference", covariates=("x", "score"))
    assert res.estimate == pytest.approx(62 / 6 - 23 / 6) and res.propensity is None


def test_quasi_separation_by_a_dummy_is_detected():
    # x=1 occurs only among treated units: the logit coefficient runs off to infinity.
    data = pd.DataFrame({"treat": [0, 0, 0, 0, 1, 1, 1, 1], "x": [0, 0, 0, 0, 0, 1, 1, 1],
                         "y": [1.0, 2, 3, 4, 5, 6, 7, 8]})
    with pytest.raises(PerfectSeparationError, match="'x'"):
        att(data, "ipw")


# Controls sit low on x and treated high, with some overlap (no separation).
SPREAD = pd.DataFrame({
    "treat": [0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1],
    "x": [0.0, 1.0, 2.0, 2.5, 3.0, 4.0, 4.5, 5.5, 6.0, 7.0, 8.0, 9.0],
    "y": [1.0, 2.0, 2.0, 4.0, 3.0, 4.0, 6.0, 5.0, 7.0, 8.0, 9.0, 9.5],
})


@pytest.mark.parametrize(("trim", "group"), [((0.7, 1.0), "control"), ((0.0, 0.25), "treated")])
def test_trimming_that_empties_a_group_is_a_value_error(trim, group):
    with pytest.raises(ValueError, match=f"left no {group} units"):
        att(SPREAD, "ipw", trim=trim)


def test_treated_propensities_beyond_the_controls_raise_an_overlap_warning():
    with pytest.warns(OverlapWarning, match="4 of 6 treated units"):
        att(SPREAD, "psm", trim=None)


# --- column types ----------------------------------------------------------------------------

@pytest.mark.parametrize("method", METHODS)
def test_bool_and_int_covariates_give_the_same_result_as_floats(method):
    data = simulate(300, seed=5).assign(x3=lambda d: (d["x1"] * 2).round().astype(int),
                                        treat=lambda d: d["treat"].astype(bool))
    assert data["x2"].dtype == bool and data["x3"].dtype == np.int64
    floats = data.astype({"x2": float, "x3": float, "treat": float})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OverlapWarning)
        a, b = (att(d, method, covariates=("x1", "x2", "x3")) for d in (data, floats))
    assert (a.estimate, a.std_error) == pytest.approx((b.estimate, b.std_error))
    pd.testing.assert_frame_equal(a.balance, b.balance)


def test_a_text_covariate_is_refused():
    with pytest.raises(ValueError, match="'label' has dtype object"):
        att(CELLS.assign(label=list("abcdefghijkl")), "regression", covariates=("x", "label"))


# --- presentation -----------------------------------------------------------------------------

def test_summary_names_the_estimand_method_estimate_sizes_and_label(simulated):
    data = simulate(4000, seed=20261127)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OverlapWarning)
        res = att(data, "psm", covariates=("x1", "x2"),
                  label="enrolling in a course (intention to treat)")
    text = res.summary()
    assert "psm" in text and "matching" in text
    assert f"{res.estimate:.4f}" in text
    assert "Estimand:" in text and "ATT" in text
    assert "enrolling in a course (intention to treat)" in text
    assert res.label == "enrolling in a course (intention to treat)"
    assert f"Treated:            {res.n_treated}" in text
    assert f"Observations:       {res.nobs}" in text
    assert "x1" in text and "E-value" in text and str(res) == text


def test_notebooks_get_an_html_table(simulated):
    page = simulated["ipw"]._repr_html_()
    assert page.startswith("<div>") and "<table" in page and "</table>" in page
    assert "smd_after" in page and "variance_ratio_after" in page and "E-value" in page


def test_to_frame_is_one_labelled_row(simulated):
    frame = pd.concat([res.to_frame() for res in simulated.values()])
    assert list(frame.columns) == ["estimate", "std_error", "ci_low", "ci_high", "n_treated",
                                   "n_control"]
    assert list(frame.index) == METHODS
    assert frame.loc["ipw", "estimate"] == simulated["ipw"].estimate


def test_conf_int_is_a_labelled_frame_and_narrows_with_the_level(simulated):
    res = simulated["ipw"]
    ci95, ci90 = res.conf_int(), res.conf_int(level=0.90)
    assert isinstance(ci95, pd.DataFrame)
    assert list(ci95.columns) == ["lower", "upper"] and list(ci95.index) == ["ATT"]
    assert (ci95.iloc[0, 0], ci95.iloc[0, 1]) == (res.ci_low, res.ci_high)
    assert ci95.iloc[0, 0] < ci90.iloc[0, 0] < ci90.iloc[0, 1] < ci95.iloc[0, 1]
    with pytest.raises(ValueError, match="level must lie strictly between 0 and 1"):
        res.conf_int(level=95)


def test_results_are_read_only(simulated):
    res = simulated["difference"]
    assert isinstance(res, AttResults)
    with pytest.raises(AttributeError):
        res.estimate = 0.0
    balance = res.balance
    balance.loc["x1", "smd_before"] = 99.0
    assert res.balance.loc["x1", "smd_before"] != 99.0


def test_results_built_by_hand_keep_working_without_diagnostics():
    res = AttResults(method="ipw", outcome="employed_6m", treatment="treat", estimate=0.5,
                     std_error=0.1, n_treated=3, n_control=2, balance=pd.DataFrame(),
                     se_type="given", n_trimmed=1, trim=(0.01, 0.99))
    assert (res.ci_low, res.ci_high) == pytest.approx((0.5 - Z95 * 0.1, 0.5 + Z95 * 0.1))
    assert res.propensity is None and res.e_value is None and res.trimmed.empty
    assert res.estimand == "ATT" and "1 units dropped" in res.summary()
