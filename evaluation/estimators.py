"""Point estimates and influence functions of the ATT estimators other than matching.

Every estimator returns a :class:`Fit` whose ``influence`` psi satisfies
``estimate - truth ~ sum(psi) / denominator``. Without clusters the variance is
``sum(psi**2) / denominator**2``, the M-estimation sandwich of the stacked estimating equations
(Stefanski & Boos 2002): the derivatives of the ATT moment with respect to the logit
coefficients and the control outcome regression are folded into psi, so the estimation of both
is accounted for. ``difference`` keeps its unequal-variance SE and ``ols`` its HC1 SE.

The ATT moment shared by ``regression``, ``ipw`` and ``aipw`` (and ``difference``) is

    ATT = mean over kept treated of r  -  sum over kept controls of w r / sum of w,

with r = y - mu0(x) (mu0 the OLS of y on a constant and the covariates among the kept
controls; r = y without an outcome model) and w = e / (1 - e), the logit odds (w = 1 without a
score). ``aipw`` is the doubly robust ATT with normalised odds weights on the control residuals
(Moodie, Saarela & Stephens 2018; Sant'Anna & Zhao 2020, eq. 3.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from statsmodels.regression.linear_model import OLS

from evaluation.propensity import Score, require_full_rank


@dataclass(frozen=True)
class Fit:
    """What an estimator hands back to ``estimate_att``."""

    estimate: float
    influence: np.ndarray  # per unit of the data, zero for units that do not enter
    denominator: float
    keep: np.ndarray  # units the estimate uses (after trimming, caliper)
    weights: np.ndarray  # per unit: treated 1, kept controls their weight, others 0
    std_error: float | None = None  # set when the method has its own non-cluster SE
    se_type: str = "influence function (M-estimation sandwich)"
    n_control: int | None = None  # set when not every kept control is used (matching)
    notes: list[str] = field(default_factory=list)


def control_regression(y: np.ndarray, Z: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """OLS coefficients of y on the design Z among ``rows`` (the kept controls)."""
    require_full_rank(Z[rows], "outcome regression among the controls (constant, covariates)")
    return np.asarray(OLS(y[rows], Z[rows]).fit().params, dtype=float)


def att_moment(y: np.ndarray, t: np.ndarray, keep: np.ndarray, Z: np.ndarray | None,
               score: Score | None) -> tuple[float, np.ndarray, np.ndarray]:
    """The shared ATT moment (module docstring): estimate, influence (denominator n), weights."""
    n = y.size
    kt = (keep & (t == 1)).astype(float)
    kc = (keep & (t == 0)).astype(float)
    beta = None
    r = y
    if Z is not None:
        beta = control_regression(y, Z, kc > 0)
        r = y - Z @ beta
    wc = kc * (np.exp(score.index) if score is not None else 1.0)
    p, c = kt.mean(), wc.mean()
    a1 = kt @ r / kt.sum()
    a0 = wc @ r / wc.sum()
    psi = kt * (r - a1) / p - wc * (r - a0) / c
    if beta is not None:
        # d ATT / d beta, times the influence of beta: (Z'K_c Z / n)^-1 Z_i kc_i r_i
        grad = -(kt @ Z) / (n * p) + (wc @ Z) / (n * c)
        bread = np.linalg.inv((Z * kc[:, None]).T @ Z / n)
        psi = psi + kc * r * (Z @ (bread @ grad))
    if score is not None:
        # the odds exp(index) move with the logit coefficients: d ATT / d gamma
        grad = -((wc * (r - a0)) @ score.design) / (n * c)
        psi = psi + score.influence_dot(t, grad)
    return float(a1 - a0), psi, np.where(t == 1, kt, wc)


def difference(y, t, X, score, keep, **_) -> Fit:
    """Treated minus control mean with the unequal-variance (Welch) SE."""
    estimate, psi, weights = att_moment(y, t, keep, None, None)
    yt, yc = y[t == 1], y[t == 0]
    se = np.sqrt(yt.var(ddof=1) / yt.size + yc.var(ddof=1) / yc.size)
    return Fit(estimate, psi, y.size, keep, weights, float(se), "unequal-variance (Welch)")


def ols(y, t, X, score, keep, *, groups=None, **_) -> Fit:
    """The OLS treatment coefficient with HC1 (or cluster-robust) SE; not an ATT."""
    design = np.column_stack([np.ones(t.size), t, X])
    require_full_rank(design, "regression design (constant, treatment, covariates)")
    model = OLS(y, design)
    if groups is None:
        fit, se_type = model.fit(cov_type="HC1"), "HC1 robust"
    else:
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups})
        se_type = "cluster-robust (statsmodels, factor G/(G-1)*(N-1)/(N-K))"
    resid = np.asarray(fit.resid)
    # the coefficient's influence, (D'D/n)^-1 d_i u_i; the SE itself comes from statsmodels
    bread = np.linalg.inv(design.T @ design / t.size)[1]
    psi = resid * (design @ bread)
    note = ("Not an ATT: the OLS treatment coefficient is a variance-weighted mix of the "
            "effects on the treated and on the untreated (Angrist 1998; Sloczynski 2022).")
    return Fit(float(fit.params[1]), psi, t.size, keep, np.ones(t.size),
               float(fit.bse[1]), se_type, notes=[note])


def regression(y, t, X, score, keep, **_) -> Fit:
    """Regression adjustment: mean over treated of y - mu0(x), mu0 fitted on the controls."""
    Z = np.column_stack([np.ones(t.size), X])
    estimate, psi, weights = att_moment(y, t, keep, Z, None)
    return Fit(estimate, psi, y.size, keep, weights,
               se_type="influence function (M-estimation sandwich, outcome model estimated)")


def ipw(y, t, X, score, keep, **_) -> Fit:
    """Normalised (Hajek) odds weighting of the controls."""
    estimate, psi, weights = att_moment(y, t, keep, None, score)
    return Fit(estimate, psi, y.size, keep, weights,
               se_type="M-estimation sandwich (logit score estimated)")


def aipw(y, t, X, score, keep, **_) -> Fit:
    """Doubly robust ATT: normalised odds weights on the control-regression residuals."""
    Z = np.column_stack([np.ones(t.size), X])
    estimate, psi, weights = att_moment(y, t, keep, Z, score)
    return Fit(estimate, psi, y.size, keep, weights,
               se_type="influence function (M-estimation sandwich, score and outcome model "
                       "estimated)")
