"""Standard errors of regression, ipw, aipw and the clustered SEs, each against an independent
computation: the stacked estimating equations solved and sandwiched in the test, with the
Jacobian taken by central differences (so no derivative is copied from the code), and a
bootstrap of the ipw estimate done here with a hand-written logit."""

import warnings

import numpy as np
import pandas as pd
import pytest

from evaluation import OverlapWarning, estimate_att
from tests.unit.by_hand import expit, logit_by_hand

# The small set is small: several treated lie beyond the controls' scores, and say so.
pytestmark = pytest.mark.filterwarnings("ignore::evaluation.OverlapWarning")

# 14 units; x is continuous, w a dummy; treated lean to high x. No separation.
SMALL = pd.DataFrame({
    "treat": [0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1],
    "x": [0.2, 0.9, 1.1, 1.4, 2.0, 2.2, 2.5, 3.1, 3.3, 3.6, 4.0, 4.2, 4.8, 5.5],
    "w": [0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0],
    "y": [1.0, 2.5, 3.9, 2.2, 3.4, 6.1, 3.0, 6.6, 4.4, 7.9, 7.1, 5.2, 9.3, 9.0],
    "street": ["a", "a", "a", "b", "b", "b", "c", "c", "c", "d", "d", "e", "e", "e"],
})
T = SMALL["treat"].to_numpy(float)
Y = SMALL["y"].to_numpy(float)
D = np.column_stack([np.ones(len(SMALL)), SMALL["x"], SMALL["w"]])  # score and outcome design


def ols_by_hand(design, y):
    return np.linalg.solve(design.T @ design, design.T @ y)


def sandwich(moments, theta, clusters=None):
    """Covariance of theta from per-unit estimating functions: A^-1 B A^-T / n."""
    psi = moments(theta)
    n, p = psi.shape
    jacobian = np.empty((p, p))
    for j in range(p):
        h = 1e-6 * max(1.0, abs(theta[j]))
        up, down = theta.copy(), theta.copy()
        up[j] += h
        down[j] -= h
        jacobian[:, j] = (moments(up).mean(axis=0) - moments(down).mean(axis=0)) / (2 * h)
    if clusters is None:
        meat, factor = psi.T @ psi / n, 1.0
    else:
        labels = pd.factorize(clusters)[0]
        sums = np.vstack([psi[labels == g].sum(axis=0) for g in range(labels.max() + 1)])
        meat, factor = sums.T @ sums / n, (labels.max() + 1) / labels.max()
    bread = np.linalg.inv(jacobian)
    return factor * bread @ meat @ bread.T / n


def att(method, data=SMALL, **kwargs):
    return estimate_att(data, treatment="treat", outcome="y", covariates=["x", "w"],
                        method=method, **kwargs)


# --- regression adjustment --------------------------------------------------------------------

def regression_by_hand():
    control = T == 0
    beta = ols_by_hand(D[control], Y[control])
    tau = np.mean((Y - D @ beta)[T == 1])
    theta = np.r_[beta, tau]

    def moments(th):
        b, tt = th[:3], th[3]
        resid = Y - D @ b
        return np.column_stack([D * ((1 - T) * resid)[:, None], T * (resid - tt)])

    return theta, moments


def test_regression_adjustment_predicts_the_treated_from_the_control_model():
    control = T == 0
    beta = ols_by_hand(D[control], Y[control])
    expected = np.mean(Y[T == 1] - D[T == 1] @ beta)
    res = att("regression")
    assert res.estimate == pytest.approx(expected, rel=1e-10)
    assert (res.n_treated, res.n_control, res.n_trimmed) == (7, 7, 0)


def test_regression_adjustment_se_is_the_stacked_m_estimation_sandwich():
    theta, moments = regression_by_hand()
    res = att("regression")
    assert res.std_error == pytest.approx(np.sqrt(sandwich(moments, theta)[3, 3]), rel=1e-6)
    assert "outcome model estimated" in res.se_type


def test_regression_adjustment_cluster_se_sums_the_estimating_functions_by_street():
    theta, moments = regression_by_hand()
    expected = np.sqrt(sandwich(moments, theta, SMALL["street"])[3, 3])
    res = att("regression", cluster="street")
    assert res.std_error == pytest.approx(expected, rel=1e-6)
    assert res.se_type.startswith("cluster-robust by 'street' (5 clusters")


# --- inverse-probability weighting ------------------------------------------------------------

def ipw_by_hand(keep):
    gamma = logit_by_hand(D, T)
    odds = np.exp(D @ gamma) * keep * (1 - T)
    theta = np.r_[gamma, Y[T == 1].mean(), odds @ Y / odds.sum()]

    def moments(th):
        g, mu1, mu0 = th[:3], th[3], th[4]
        score = D * (T - expit(D @ g))[:, None]
        return np.column_stack([score, T * (Y - mu1),
                                keep * (1 - T) * np.exp(D @ g) * (Y - mu0)])

    return theta, moments


def test_ipw_se_is_the_sandwich_of_the_logit_and_att_equations_by_hand():
    theta, moments = ipw_by_hand(np.ones(len(T)))
    cov = sandwich(moments, theta)
    res = att("ipw", trim=None)
    assert res.estimate == pytest.approx(theta[3] - theta[4], rel=1e-8)
    assert res.std_error == pytest.approx(np.sqrt(cov[3, 3] + cov[4, 4] - 2 * cov[3, 4]),
                                          rel=1e-6)
    assert res.se_type == "M-estimation sandwich (logit score estimated)"


def test_ipw_se_ignoring_the_estimated_score_would_differ():
    theta, moments = ipw_by_hand(np.ones(len(T)))
    psi = moments(theta)
    # Treating the weights as known: the plain ratio-estimator variance of the two means.
    odds = np.exp(D @ theta[:3]) * (1 - T)
    naive = np.sqrt(np.sum((T * (Y - theta[3]) / T.mean() - psi[:, 4] / odds.mean()) ** 2)
                    / len(T) ** 2)
    assert abs(att("ipw", trim=None).std_error - naive) > 1e-3


def test_ipw_with_support_trimming_keeps_the_logit_on_all_units_and_drops_controls():
    e = expit(D @ logit_by_hand(D, T))
    keep = (T == 1) | ((e >= e[T == 1].min()) & (e <= e[T == 1].max()))
    assert (~keep).sum() == 3  # the controls at x = 0.2, 0.9 and 1.4 score below every treated
    theta, moments = ipw_by_hand(keep.astype(float))
    cov = sandwich(moments, theta)
    res = att("ipw")
    assert res.n_trimmed == 3 and res.n_control == 4 and res.all_treated
    assert res.estimate == pytest.approx(theta[3] - theta[4], rel=1e-8)
    assert res.std_error == pytest.approx(np.sqrt(cov[3, 3] + cov[4, 4] - 2 * cov[3, 4]),
                                          rel=1e-6)


def test_ipw_cluster_se_by_hand():
    theta, moments = ipw_by_hand(np.ones(len(T)))
    cov = sandwich(moments, theta, SMALL["street"])
    res = att("ipw", trim=None, cluster="street")
    assert res.std_error == pytest.approx(np.sqrt(cov[3, 3] + cov[4, 4] - 2 * cov[3, 4]),
                                          rel=1e-6)


def test_ipw_sandwich_agrees_with_a_bootstrap_done_here():
    rng = np.random.default_rng(2024)
    n = 1500
    x1, x2 = rng.normal(size=n), (rng.random(n) < 0.5).astype(float)
    t = (rng.random(n) < expit(-0.5 + 0.8 * x1 + 0.5 * x2)).astype(float)
    y = 1 + x1 + 0.5 * x2 + t * (0.5 + 0.5 * x1) + rng.normal(size=n)
    data = pd.DataFrame({"treat": t, "y": y, "x1": x1, "x2": x2})
    design = np.column_stack([np.ones(n), x1, x2])

    def ipw_estimate(rows):
        d, tt, yy = design[rows], t[rows], y[rows]
        odds = np.exp(d @ logit_by_hand(d, tt)) * (1 - tt)
        return yy[tt == 1].mean() - odds @ yy / odds.sum()

    draws = [ipw_estimate(rng.integers(0, n, n)) for _ in range(400)]
    res = estimate_att(data, treatment="treat", outcome="y", covariates=["x1", "x2"],
                       method="ipw", trim=None)
    assert res.estimate == pytest.approx(ipw_estimate(np.arange(n)), rel=1e-8)
    assert res.std_error == pytest.approx(np.std(draws, ddof=1), rel=0.12)


# --- doubly robust ----------------------------------------------------------------------------

def test_aipw_estimate_and_se_by_hand():
    gamma = logit_by_hand(D, T)
    beta = ols_by_hand(D[T == 0], Y[T == 0])
    resid = Y - D @ beta
    odds = np.exp(D @ gamma) * (1 - T)
    a1, a0 = resid[T == 1].mean(), odds @ resid / odds.sum()
    theta = np.r_[gamma, beta, a1, a0]

    def moments(th):
        g, b, m1, m0 = th[:3], th[3:6], th[6], th[7]
        r = Y - D @ b
        return np.column_stack([D * (T - expit(D @ g))[:, None], D * ((1 - T) * r)[:, None],
                                T * (r - m1), (1 - T) * np.exp(D @ g) * (r - m0)])

    cov = sandwich(moments, theta)
    res = att("aipw", trim=None)
    assert res.estimate == pytest.approx(a1 - a0, rel=1e-8)
    assert res.std_error == pytest.approx(np.sqrt(cov[6, 6] + cov[7, 7] - 2 * cov[6, 7]),
                                          rel=1e-6)


def test_aipw_is_right_when_only_the_outcome_model_is_right():
    # The score misses x2 entirely (it is not a covariate of the logit's truth), the outcome
    # model is linear and right: the estimate lands on the truth of 2.0 within its CI.
    rng = np.random.default_rng(5)
    n = 4000
    x = rng.normal(size=n)
    t = (rng.random(n) < expit(-1 + 1.5 * x + 0.8 * x**2)).astype(float)
    y = 1 + 2 * x + 2.0 * t + rng.normal(size=n)
    data = pd.DataFrame({"treat": t, "y": y, "x": x})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OverlapWarning)
        res = estimate_att(data, treatment="treat", outcome="y", covariates=["x"],
                           method="aipw")
    assert res.ci_low <= 2.0 <= res.ci_high


# --- difference and ols with clusters ---------------------------------------------------------

def test_difference_cluster_se_by_hand():
    theta = np.array([Y[T == 1].mean(), Y[T == 0].mean()])

    def moments(th):
        return np.column_stack([T * (Y - th[0]), (1 - T) * (Y - th[1])])

    cov = sandwich(moments, theta, SMALL["street"])
    res = att("difference", cluster="street")
    assert res.estimate == pytest.approx(theta[0] - theta[1])
    assert res.std_error == pytest.approx(np.sqrt(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]),
                                          rel=1e-6)


def test_ols_cluster_se_is_the_stata_style_cluster_sandwich_by_hand():
    X = np.column_stack([np.ones(len(T)), T, SMALL["x"], SMALL["w"]])
    beta = ols_by_hand(X, Y)
    u = Y - X @ beta
    labels = pd.factorize(SMALL["street"])[0]
    meat = sum(np.outer(X[labels == g].T @ u[labels == g], X[labels == g].T @ u[labels == g])
               for g in range(5))
    bread = np.linalg.inv(X.T @ X)
    n, k, groups = len(T), 4, 5
    cov = bread @ meat @ bread * groups / (groups - 1) * (n - 1) / (n - k)
    res = att("ols", cluster="street")
    assert res.estimate == pytest.approx(beta[1])
    assert res.std_error == pytest.approx(np.sqrt(cov[1, 1]), rel=1e-8)


def test_a_single_cluster_is_refused():
    with pytest.raises(ValueError, match="single cluster"):
        att("ipw", cluster="street", data=SMALL.assign(street="a"))
