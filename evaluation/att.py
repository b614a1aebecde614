"""The average treatment effect on the treated (ATT): ``estimate_att``, its checks and its SEs.

Rules fixed here (pinned by ``tests/unit/test_estimate_att.py`` and the ``test_att_*`` files):

* The estimand is the ATT. Only ``ipw``, ``aipw`` and ``psm`` use the score to drop units, by the
  ``trim`` rule of :mod:`evaluation.propensity` (default ``"support"``: controls outside the
  treated score range; treated are never dropped by default) and, for ``psm``, the caliper. When
  treated units are dropped the results say how many and whom, and the estimand becomes "ATT on
  the overlap". ``difference``, ``ols`` and ``regression`` drop nobody; they still fit the score
  for the diagnostics when it can be fitted.
* Standard errors are analytic by default (``n_boot=0``): see :mod:`evaluation.estimators` and
  :mod:`evaluation.matching`. CIs are normal: estimate +/- z * SE.
* ``cluster``: the estimator's influence-function contributions (for ``psm`` its linear terms)
  are summed within clusters, ``V = G / (G - 1) * sum_g (sum_i in g psi_i)^2 / N^2``; ``ols`` uses
  statsmodels' cluster covariance (factor G/(G-1) * (N-1)/(N-K)).
* Bootstrap (``n_boot >= 2``, not ``psm``): resample treated and controls separately with
  replacement (whole clusters when ``cluster`` is given), ``numpy.random.default_rng(seed)``;
  re-fit the score, re-trim, re-estimate. Resamples whose logit separates or whose trimming
  empties a group are discarded with a warning. SE = standard deviation (ddof=1).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from evaluation import estimators, matching
from evaluation.att_checks import check_options, prepare
from evaluation.blas import one_blas_thread
from evaluation.diagnostics import describe_trim, diagnose
from evaluation.propensity import PerfectSeparationError, Score, Trim, fit_score, trim_mask
from evaluation.results import AttResults
from evaluation.sensitivity import att_e_value

__all__ = ["METHODS", "OverlapWarning", "PerfectSeparationError", "PerfectSeparationWarning",
           "estimate_att"]

ESTIMATORS = {"difference": estimators.difference, "ols": estimators.ols,
              "regression": estimators.regression, "ipw": estimators.ipw,
              "aipw": estimators.aipw, "psm": matching.psm}
METHODS = tuple(ESTIMATORS)
SCORE_METHODS = ("ipw", "aipw", "psm")


class OverlapWarning(UserWarning):
    """Some treated units have propensity scores outside the range of the controls."""


class PerfectSeparationWarning(UserWarning):
    """A propensity logit separated the groups where that is not fatal (bootstrap resamples, or
    the diagnostics of a method that does not use the score)."""


class _NoOverlapError(ValueError):
    """Trimming left no treated or no control units."""


@one_blas_thread
def estimate_att(data: pd.DataFrame, *, treatment: str, outcome: str,
                 covariates: Sequence[str] | None = None, method: str,
                 trim: Trim = "support", crump_alpha: float = 0.1, n_neighbors: int = 1,
                 caliper: float | None = None, bias_correction: bool = False,
                 variance_neighbors: int = 2, cluster: str | None = None, n_boot: int = 0,
                 seed: int | None = 0, label: str | None = None) -> AttResults:
    """Estimate the average treatment effect on the treated (ATT).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit. Used columns must be numeric (bool allowed) without missing values.
    treatment : str
        Column with the treatment indicator, 0/1 or False/True; at least 2 units of each.
    outcome : str
        Column with the outcome.
    covariates : sequence of str, optional
        Confounders, cast to float: the logit propensity score and outcome models use them.
    method : {"difference", "ols", "regression", "ipw", "aipw", "psm"}
        ``difference``: treated minus control mean, unequal-variance SE.
        ``ols``: treatment coefficient of OLS on the treatment and covariates, HC1 SE; *not* an
        ATT (a variance-weighted mix of the effects on treated and untreated).
        ``regression``: regression adjustment, mean over treated of y - mu0(x), mu0 the OLS on
        the controls; influence-function SE.
        ``ipw``: normalised (Hajek) odds weights e/(1-e) on the controls; M-estimation
        sandwich SE accounting for the estimated logit.
        ``aipw``: doubly robust, odds weights on the control-regression residuals;
        influence-function SE.
        ``psm``: nearest neighbours with replacement on the logit score; Abadie-Imbens SE.
    trim : {"support", "crump"}, (float, float) or None, default "support"
        ``"support"`` drops controls outside the range of the treated scores; ``"crump"`` keeps
        ``crump_alpha <= e <= 1 - crump_alpha``; a pair keeps that quantile range of the pooled
        scores; None keeps all. Used by ``ipw``, ``aipw`` and ``psm`` only.
    crump_alpha : float, default 0.1
        Bound of the ``"crump"`` rule, in (0, 0.5).
    n_neighbors : int, default 1
        Matches per treated unit (``psm``).
    caliper : float, optional
        Largest match distance in standard deviations of the logit score (``psm``); treated
        without a match that close are dropped.
    bias_correction : bool, default False
        Abadie-Imbens (2011) regression bias adjustment of the matches (``psm``).
    variance_neighbors : int, default 2
        Within-group matches J for the conditional variances of the Abadie-Imbens SE (``psm``).
    cluster : str, optional
        Column of cluster labels (street, course); gives cluster-robust SEs.
    n_boot : int, default 0
        0 for analytic SEs; at least 2 for a bootstrap SE instead (not with ``psm``).
    seed : int or None, default 0
        Seed of ``numpy.random.default_rng`` for the bootstrap.
    label : str, optional
        Free text naming the treatment and estimand, shown in the summary.

    Returns
    -------
    AttResults
        Estimate, SE, CI, group sizes, estimand, balance, overlap and weight diagnostics,
        E-value.

    Raises
    ------
    ValueError
        For bad arguments or data, and when trimming leaves no treated or no control units.
    PerfectSeparationError
        When the propensity logit of ``ipw``, ``aipw`` or ``psm`` separates the groups or does
        not converge.

    Warns
    -----
    OverlapWarning
        When kept treated propensities fall outside the range of the kept controls.
    PerfectSeparationWarning
        When bootstrap resamples were discarded, or the diagnostic score of ``difference``,
        ``ols`` or ``regression`` could not be fitted.
    """
    check_options(method, METHODS, trim, crump_alpha, n_boot, n_neighbors, caliper,
                  variance_neighbors, bias_correction, label)
    y, t, X, names, groups = prepare(data, treatment, outcome, covariates, cluster)
    options = {"n_neighbors": n_neighbors, "caliper": caliper, "groups": groups,
               "bias_correction": bias_correction, "variance_neighbors": variance_neighbors}
    score = _score(X, t, names, method)
    fit = _fit(y, t, X, score, method, trim, crump_alpha, options)
    if method in SCORE_METHODS:
        trimmed = trim_mask(score.score, t, trim, crump_alpha)
        _warn_limited_overlap(score.score[trimmed], t[trimmed])
    std_error, se_type, draws = _standard_error(fit, method, groups, cluster, n_boot, seed,
                                                (y, t, X, names, trim, crump_alpha, options))
    rule = describe_trim(trim, crump_alpha) if method in SCORE_METHODS else "not applicable"
    balance, diagnostics = diagnose(X, t, names, data.index,
                                    None if score is None else score.score, fit.keep,
                                    fit.weights, method in SCORE_METHODS, rule)
    kt, kc = fit.keep & (t == 1), fit.keep & (t == 0)
    n_control = int(kc.sum()) if fit.n_control is None else fit.n_control
    half = 1.959963984540054 * std_error
    e_value = att_e_value(fit.estimate, fit.estimate - half, fit.estimate + half,
                          y_treated=y[kt], y_control=y[kc & (fit.weights > 0)])
    return AttResults(method=method, outcome=outcome, treatment=treatment,
                      estimate=fit.estimate, std_error=std_error, n_treated=int(kt.sum()),
                      n_control=n_control, balance=balance, se_type=se_type,
                      n_trimmed=int(t.size - fit.keep.sum()), trim=trim, bootstrap=draws,
                      label=label, diagnostics=diagnostics, e_value=e_value, notes=fit.notes)


def _score(X: np.ndarray, t: np.ndarray, names: list[str], method: str) -> Score | None:
    if method in SCORE_METHODS:
        return fit_score(X, t, names)
    try:
        return fit_score(X, t, names)
    except ValueError as exc:  # separation or collinearity: the estimate does not need it
        warnings.warn(f"No propensity score for the diagnostics: {exc}", PerfectSeparationWarning,
                      stacklevel=3)
        return None


def _fit(y: np.ndarray, t: np.ndarray, X: np.ndarray, score: Score | None, method: str,
         trim: Trim, crump_alpha: float, options: dict) -> estimators.Fit:
    keep = np.ones(t.size, dtype=bool)
    if method in SCORE_METHODS:
        keep = trim_mask(score.score, t, trim, crump_alpha)
        n_treated = int((keep & (t == 1)).sum())
        if n_treated == 0 or n_treated == keep.sum():
            group = "treated" if n_treated == 0 else "control"
            rule = describe_trim(trim, crump_alpha)
            raise _NoOverlapError(f"Trimming the propensity score ({rule}) left no {group} "
                                  "units; relax trim or set trim=None.")
    return ESTIMATORS[method](y, t, X, score, keep, **options)


def _standard_error(fit: estimators.Fit, method: str, groups: np.ndarray | None,
                    cluster: str | None, n_boot: int, seed: int | None, args: tuple
                    ) -> tuple[float, str, np.ndarray | None]:
    if n_boot:
        draws = _bootstrap(method, groups, n_boot, seed, *args)
        where = ", clusters resampled" if groups is not None else ""
        return (float(np.std(draws, ddof=1)),
                f"bootstrap ({draws.size} of {n_boot} resamples, seed {seed}{where})", draws)
    if groups is None or method == "ols":
        se = fit.std_error
        if se is None:
            se = np.sqrt(fit.influence @ fit.influence) / fit.denominator
        return float(se), fit.se_type, None
    n_groups = int(groups.max()) + 1
    sums = np.bincount(groups, weights=fit.influence, minlength=n_groups)
    variance = n_groups / (n_groups - 1) * (sums @ sums) / fit.denominator**2
    base = "Abadie-Imbens linear terms" if method == "psm" else "influence function"
    return (float(np.sqrt(variance)),
            f"cluster-robust by {cluster!r} ({n_groups} clusters, {base} summed within "
            "clusters, factor G/(G-1))", None)


def _bootstrap(method: str, groups: np.ndarray | None, n_boot: int, seed: int | None,
               y: np.ndarray, t: np.ndarray, X: np.ndarray, names: list[str], trim: Trim,
               crump_alpha: float, options: dict) -> np.ndarray:
    rng = np.random.default_rng(seed)
    treated, control = np.flatnonzero(t == 1), np.flatnonzero(t == 0)
    members = None if groups is None else np.argsort(groups, kind="stable")
    bounds = None if groups is None else np.searchsorted(groups[members],
                                                         np.arange(groups.max() + 2))
    draws, separated, emptied = [], 0, 0
    for _ in range(n_boot):
        if groups is None:
            idx = np.sort(np.concatenate([rng.choice(treated, treated.size),
                                          rng.choice(control, control.size)]))
        else:
            picked = rng.integers(0, bounds.size - 1, bounds.size - 1)
            idx = np.concatenate([members[bounds[g]:bounds[g + 1]] for g in picked])
        try:
            if min(t[idx].sum(), idx.size - t[idx].sum()) < 2:
                raise _NoOverlapError("a resample without two units of each group")
            score = _score(X[idx], t[idx], names, "ipw") if method in SCORE_METHODS else None
            draws.append(_fit(y[idx], t[idx], X[idx], score, method, trim, crump_alpha,
                              {**options, "groups": None}).estimate)
        except PerfectSeparationError:
            separated += 1
        except _NoOverlapError:
            emptied += 1
    _report_discarded(separated, emptied, n_boot)
    if len(draws) < 2:
        raise ValueError(f"Only {len(draws)} of {n_boot} bootstrap resamples could be estimated, "
                         "so the standard error is undefined; the data are too small or too "
                         "separated for this method.")
    return np.asarray(draws)


def _report_discarded(separated: int, emptied: int, n_boot: int) -> None:
    if separated:
        warnings.warn(f"{separated} of {n_boot} bootstrap resamples were discarded because the "
                      "propensity logit separated treated from controls or failed to converge; "
                      "the standard error may be too small.", PerfectSeparationWarning,
                      stacklevel=5)
    if emptied:
        warnings.warn(f"{emptied} of {n_boot} bootstrap resamples were discarded because "
                      "trimming (or the resampling of clusters) left no treated or no control "
                      "units.", OverlapWarning, stacklevel=5)


def _warn_limited_overlap(p: np.ndarray, t: np.ndarray) -> None:
    pt, pc = p[t == 1], p[t == 0]
    outside = int(np.sum((pt > pc.max()) | (pt < pc.min())))
    if outside:
        warnings.warn(f"{outside} of {pt.size} treated units have propensity scores outside the "
                      f"range of the controls ({pc.min():.3f} to {pc.max():.3f}); their "
                      "comparisons rely on extrapolation.", OverlapWarning, stacklevel=3)

