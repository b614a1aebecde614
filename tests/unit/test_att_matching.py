"""Matching on the logit score: matches, the Abadie-Imbens (2006) variance worked out step by
step on ten rows, bias correction, caliper drops, distinct controls, clustered linear terms."""

import numpy as np
import pandas as pd
import pytest

from evaluation import estimate_att

# Ten rows leave some treated beyond the controls' scores, which the code rightly warns about.
pytestmark = pytest.mark.filterwarnings("ignore::evaluation.OverlapWarning")

# One covariate: the logit index is increasing and affine in x, so the nearest control on the
# logit is the nearest on x, and every distance below is a multiple of |x_i - x_j|.
TEN = pd.DataFrame({
    "treat": [0, 0, 1, 0, 1, 0, 1, 0, 1, 1],
    "x": [0.0, 0.9, 1.2, 2.0, 2.3, 3.2, 3.1, 4.0, 4.4, 5.5],
    "y": [1.0, 2.0, 4.0, 3.5, 6.0, 4.0, 7.5, 5.0, 8.0, 9.0],
    "street": ["a", "a", "b", "b", "c", "c", "d", "d", "e", "e"],
})
Y = TEN["y"].to_numpy()


def psm(**kwargs):
    kwargs.setdefault("trim", None)
    return estimate_att(TEN, treatment="treat", outcome="y", covariates=["x"], method="psm",
                        **kwargs)


def test_the_score_rises_with_x_so_matching_on_the_logit_is_matching_on_x():
    score = psm().propensity
    assert score["score"].is_monotonic_increasing is False  # rows are not sorted by x ...
    assert (np.diff(score.sort_values("score").index.map(TEN["x"])) > 0).all()  # ... the score is


def test_one_neighbour_abadie_imbens_variance_step_by_step():
    # Matches (nearest control on x): 1.2 -> 0.9 (row 1), 2.3 -> 2.0 (row 3), 3.1 -> 3.2 (row 5),
    # 4.4 -> 4.0 (row 7), 5.5 -> 4.0 (row 7).
    effects = np.array([4.0 - 2.0, 6.0 - 3.5, 7.5 - 4.0, 8.0 - 5.0, 9.0 - 5.0])
    att = effects.mean()  # 3.0
    # Times each control is used, K, and K' (= K with one match each): row 7 twice, so only it
    # enters the second term, with K^2 - K' = 4 - 2 = 2.
    # Its conditional variance from its J=2 nearest other controls, x=3.2 (y 4) and x=2.0 (y 3.5):
    s2_row7 = 2 / 3 * (5.0 - (4.0 + 3.5) / 2) ** 2
    variance = (np.sum((effects - att) ** 2) + 2 * s2_row7) / 5**2
    assert variance == pytest.approx(0.18333333333)

    res = psm()
    assert res.estimate == pytest.approx(att)
    assert res.std_error == pytest.approx(np.sqrt(variance), rel=1e-10)
    assert res.se_type.startswith("Abadie-Imbens (2006)")
    assert (res.n_treated, res.n_control) == (5, 4)  # four distinct controls, not all five
    assert res.effective_sample_size == pytest.approx(5**2 / (1 + 1 + 1 + 2**2))
    assert res.max_weight_share == pytest.approx(2 / 5)


def test_two_neighbours_and_one_variance_neighbour_step_by_step():
    # Two nearest controls each: 1.2 -> rows 1, 3; 2.3 -> rows 3, 5; 3.1 -> rows 5, 7;
    # 4.4 -> rows 7, 5; 5.5 -> rows 7, 5.
    imputed = np.array([(2.0 + 3.5) / 2, (3.5 + 4.0) / 2, (4.0 + 5.0) / 2, 4.5, 4.5])
    effects = np.array([4.0, 6.0, 7.5, 8.0, 9.0]) - imputed
    att = effects.mean()  # 2.9
    # K (each match weighs 1/2): row 1 0.5, row 3 1, row 5 2, row 7 1.5; K' (1/4 each):
    # 0.25, 0.5, 1, 0.75; so K^2 - K' = 0, 0.5, 3, 1.5.
    # J=1 nearest other control: row 3 (x 2.0) -> x 0.9 (y 2); row 5 (3.2) -> 4.0 (y 5);
    # row 7 (4.0) -> 3.2 (y 4). s2 = 1/2 (y - y_neighbour)^2.
    s2 = {3: 0.5 * 1.5**2, 5: 0.5 * 1.0**2, 7: 0.5 * 1.0**2}
    variance = (np.sum((effects - att) ** 2) + 0.5 * s2[3] + 3 * s2[5] + 1.5 * s2[7]) / 25
    assert variance == pytest.approx(0.3555)

    res = psm(n_neighbors=2, variance_neighbors=1)
    assert res.estimate == pytest.approx(2.9)
    assert res.std_error == pytest.approx(np.sqrt(variance), rel=1e-10)
    assert res.n_control == 4


def test_bias_correction_adjusts_each_match_by_the_control_regression():
    control = TEN["treat"] == 0
    slope = np.polyfit(TEN.loc[control, "x"], TEN.loc[control, "y"], 1)[0]
    x_treated = np.array([1.2, 2.3, 3.1, 4.4, 5.5])
    x_match = np.array([0.9, 2.0, 3.2, 4.0, 4.0])
    effects = (np.array([4.0, 6.0, 7.5, 8.0, 9.0]) - np.array([2.0, 3.5, 4.0, 5.0, 5.0])
               - slope * (x_treated - x_match))
    s2_row7 = 2 / 3 * (5.0 - 3.75) ** 2
    variance = (np.sum((effects - effects.mean()) ** 2) + 2 * s2_row7) / 25

    res = psm(bias_correction=True)
    assert res.estimate == pytest.approx(effects.mean())
    assert res.std_error == pytest.approx(np.sqrt(variance), rel=1e-10)


def test_a_caliper_drops_the_treated_without_a_close_control_and_says_so():
    # One SD of the logit index is |slope| * sd(x); a caliper of 1 / sd(x) is 1.0 on x, so the
    # treated at x = 5.5 (1.5 from the nearest control) has no match.
    res = psm(caliper=1 / TEN["x"].std())
    assert res.estimate == pytest.approx((2.0 + 2.5 + 3.5 + 3.0) / 4)
    assert (res.n_treated, res.n_treated_dropped, res.n_trimmed) == (4, 1, 1)
    assert res.estimand == "ATT on the overlap" and not res.all_treated
    assert res.trimmed.loc["x", "mean_dropped"] == pytest.approx(5.5)
    assert res.trimmed.loc["x", "mean_kept"] == pytest.approx((1.2 + 2.3 + 3.1 + 4.4) / 4)
    assert not res.propensity.loc[9, "kept"]
    assert "1 treated without a control that close were dropped" in res.summary()


def test_a_caliper_with_two_neighbours_keeps_the_matches_inside_it():
    # Within 1.0 on x: 1.2 -> rows 1, 3; 2.3 -> rows 3, 5; 3.1 -> rows 5, 7; 4.4 -> row 7 only
    # (3.2 is 1.2 away); 5.5 dropped. K: 0.5, 1, 1, 1.5; K': 0.25, 0.5, 0.5, 1.25.
    effects = np.array([4.0 - 2.75, 6.0 - 3.75, 7.5 - 4.5, 8.0 - 5.0])
    att = effects.mean()
    s2 = {3: 0.5 * 1.5**2, 5: 0.5, 7: 0.5}  # J = 1, as in the two-neighbour case
    second = (1 - 0.5) * s2[3] + (1 - 0.5) * s2[5] + (1.5**2 - 1.25) * s2[7]
    variance = (np.sum((effects - att) ** 2) + second) / 16

    res = psm(n_neighbors=2, variance_neighbors=1, caliper=1 / TEN["x"].std())
    assert res.estimate == pytest.approx(att)
    assert res.std_error == pytest.approx(np.sqrt(variance), rel=1e-10)


def test_the_default_support_rule_drops_the_controls_below_every_treated_score():
    res = psm(trim="support")
    # x = 0.0 and 0.9 score below the lowest treated (1.2): 1.2 now matches 2.0 (row 3).
    assert res.n_trimmed == 2 and res.all_treated
    effects = np.array([4.0 - 3.5, 6.0 - 3.5, 7.5 - 4.0, 8.0 - 5.0, 9.0 - 5.0])
    assert res.estimate == pytest.approx(effects.mean())
    assert res.n_control == 3


def test_clustered_matching_se_sums_the_linear_terms_within_streets():
    control = (TEN["treat"] == 0).to_numpy()
    intercept_slope = np.polyfit(TEN.loc[control, "x"], Y[control], 1)
    mu0 = np.polyval(intercept_slope, TEN["x"].to_numpy())
    K = pd.Series({1: 1.0, 3: 1.0, 5: 1.0, 7: 2.0})  # one neighbour, as worked out above
    psi = pd.Series(0.0, index=TEN.index)
    treated = TEN.index[~control]
    psi[K.index] = -K * (Y[K.index] - mu0[K.index])
    bias_corrected = ((Y[treated] - mu0[treated]).sum() + psi.sum()) / 5
    psi[treated] = Y[treated] - mu0[treated] - bias_corrected
    sums = psi.groupby(TEN["street"]).sum()
    variance = 5 / 4 * (sums**2).sum() / 5**2

    res = psm(cluster="street")
    assert psi.sum() == pytest.approx(0.0, abs=1e-12)
    assert res.estimate == pytest.approx(3.0)
    assert res.std_error == pytest.approx(np.sqrt(variance), rel=1e-10)
    assert "cluster-robust by 'street' (5 clusters, Abadie-Imbens linear terms" in res.se_type


def test_too_few_controls_for_the_variance_neighbours_is_refused():
    with pytest.raises(ValueError, match="at least 6 kept controls"):
        psm(variance_neighbors=5)
