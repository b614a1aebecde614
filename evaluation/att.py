"""Average treatment effect on the treated (ATT) by difference, regression, IPW or matching.

Rules fixed here (and pinned by ``tests/unit/test_estimate_att.py``):

* Trimming (``ipw`` and ``psm`` only): the logit propensity score is estimated on all units, then
  units whose score lies outside ``[q_lo, q_hi]`` are dropped, where ``q_lo, q_hi`` are the
  ``trim`` quantiles (``numpy.quantile``, linear interpolation, bounds inclusive) of the scores of
  *all* units, treated and control together. The scores are not re-estimated after trimming.
  ``trim=None`` keeps every unit.
* Matching ties (``psm``): each treated unit gets the control with the nearest score; among
  controls at exactly the same distance, the one with the lowest row position in ``data`` wins.
* Bootstrap (``ipw`` and ``psm``): resample treated and control units separately with
  replacement (``numpy.random.default_rng(seed)``), then re-estimate the score, re-trim and
  re-estimate. Resamples whose logit separates or whose trimming empties a group are discarded
  with a warning. SE = standard deviation (ddof=1) of the estimates; CI = estimate +/- z * SE.
* Balance: SMD = (mean_t - mean_c) / sqrt((var_t + var_c) / 2), the variances (ddof=1) always of
  all units unweighted, so "before" and "after" differ only in the means. "After" is on the
  trimmed sample, controls weighted (ipw) or counted once per match (psm).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from numbers import Real
from typing import NamedTuple

import numpy as np
import pandas as pd
import statsmodels.api as sm
from pandas.api import types as ptypes
from statsmodels.tools import sm_exceptions

from evaluation.results import AttResults

METHODS = ("difference", "regression", "ipw", "psm")


class OverlapWarning(UserWarning):
    """Some treated units have propensity scores outside the range of the controls."""


class PerfectSeparationWarning(UserWarning):
    """Bootstrap resamples were discarded because their propensity logit separated the groups."""


class PerfectSeparationError(ValueError):
    """The propensity-score logit separates treated from control units (or does not converge)."""


class _NoOverlapError(ValueError):
    """Trimming left no treated or no control units."""


class _Adjusted(NamedTuple):
    estimate: float
    keep: np.ndarray
    propensity: np.ndarray
    control_weights: np.ndarray


def estimate_att(data: pd.DataFrame, *, treatment: str, outcome: str,
                 covariates: Sequence[str] | None = None, method: str,
                 trim: tuple[float, float] | None = (0.01, 0.99), n_boot: int = 500,
                 seed: int | None = 0) -> AttResults:
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
        Confounders, cast to float. Used by ``regression``, ``ipw`` and ``psm``, and for balance.
    method : {"difference", "regression", "ipw", "psm"}
        ``difference``: treated minus control mean, SE sqrt(var_t/n_t + var_c/n_c).
        ``regression``: OLS of the outcome on a constant, the treatment and the covariates; the
        treatment coefficient with HC1 robust SE.
        ``ipw``: Hajek weighting of controls by e/(1-e), logit propensity e; bootstrap SE.
        ``psm``: one nearest neighbour on the propensity, with replacement; bootstrap SE.
    trim : (float, float) or None, default (0.01, 0.99)
        Quantile range of the propensity of all units to keep (``ipw``/``psm``); None keeps all.
    n_boot : int, default 500
        Bootstrap resamples for ``ipw`` and ``psm`` (at least 2).
    seed : int or None, default 0
        Seed of ``numpy.random.default_rng`` for the bootstrap.

    Returns
    -------
    AttResults
        Estimate, standard error, confidence interval, group sizes and covariate balance.

    Raises
    ------
    ValueError
        For bad arguments or data, and when trimming leaves no treated or no control units.
    PerfectSeparationError
        When the propensity logit separates the groups or does not converge.

    Warns
    -----
    OverlapWarning
        When treated propensities fall outside the range of the control propensities.
    PerfectSeparationWarning
        When bootstrap resamples had to be discarded.
    """
    _check_options(method, trim, n_boot)
    y, t, X, names = _prepare(data, treatment, outcome, covariates)
    common = {"method": method, "outcome": outcome, "treatment": treatment,
              "n_treated": int(t.sum()), "n_control": int(t.size - t.sum())}
    if method == "difference":
        estimate, std_error = _difference(y, t)
        return AttResults(**common, estimate=estimate, std_error=std_error,
                          balance=_balance(X, t, names), se_type="unequal-variance, normal")
    if method == "regression":
        return _regression(y, t, X, names, common)
    return _propensity_att(y, t, X, names, common, trim, n_boot, seed)


def _check_options(method: str, trim: tuple[float, float] | None, n_boot: int) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}; "
                         f"got {method!r}.")
    if trim is not None:
        ok = isinstance(trim, Sequence) and len(trim) == 2 and all(
            isinstance(v, Real) and not isinstance(v, bool) for v in trim)
        if not ok or not 0 <= trim[0] < trim[1] <= 1:
            raise ValueError("trim must be None or a pair (low, high) of quantiles with "
                             f"0 <= low < high <= 1; got {trim!r}.")
    if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 2:
        raise ValueError(f"n_boot must be an integer of at least 2; got {n_boot!r}.")


def _prepare(data: pd.DataFrame, treatment: str, outcome: str,
             covariates: Sequence[str] | None,
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame; got {type(data).__name__}.")
    names = [covariates] if isinstance(covariates, str) else list(covariates or [])
    used = [treatment, outcome, *names]
    if len(set(used)) != len(used):
        raise ValueError("treatment, outcome and covariates must be distinct columns; "
                         f"got {used!r}.")
    absent = [c for c in used if c not in data.columns]
    if absent:
        raise ValueError(f"data has no column(s) named {', '.join(map(repr, absent))}.")
    missing = [c for c in used if data[c].isna().any()]
    if missing:
        raise ValueError(f"Missing values in column(s) {', '.join(map(repr, missing))}; drop "
                         "or impute them before estimating the ATT.")
    t = _numeric(data[treatment], treatment)
    if not np.isin(t, (0.0, 1.0)).all():
        raise ValueError(f"Treatment column {treatment!r} must contain only 0/1 or False/True; "
                         f"found values {sorted(set(t.tolist()))[:6]}.")
    if min(t.sum(), t.size - t.sum()) < 2:
        raise ValueError(f"At least 2 treated and 2 control units are needed; found "
                         f"{int(t.sum())} treated and {int(t.size - t.sum())} control.")
    y = _numeric(data[outcome], outcome)
    X = np.column_stack([_numeric(data[c], c) for c in names]) if names else np.empty((t.size, 0))
    return y, t, X, names


def _numeric(column: pd.Series, name: str) -> np.ndarray:
    if not (ptypes.is_numeric_dtype(column) or ptypes.is_bool_dtype(column)):
        raise ValueError(f"Column {name!r} has dtype {column.dtype}, not numbers or booleans; "
                         "encode it numerically (for categories, as dummy columns).")
    values = column.to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise ValueError(f"Column {name!r} contains infinite values.")
    return values


def _require_full_rank(design: np.ndarray, what: str) -> None:
    if np.linalg.matrix_rank(design) < design.shape[1]:
        raise ValueError(f"The {what} is rank deficient: a covariate is constant or collinear "
                         "with the others (or with the treatment); drop the redundant columns.")


def _difference(y: np.ndarray, t: np.ndarray) -> tuple[float, float]:
    yt, yc = y[t == 1], y[t == 0]
    std_error = np.sqrt(yt.var(ddof=1) / yt.size + yc.var(ddof=1) / yc.size)
    return float(yt.mean() - yc.mean()), float(std_error)


def _regression(y: np.ndarray, t: np.ndarray, X: np.ndarray, names: list[str],
                common: dict) -> AttResults:
    design = np.column_stack([np.ones(t.size), t, X])
    _require_full_rank(design, "regression design (constant, treatment, covariates)")
    fit = sm.OLS(y, design).fit(cov_type="HC1")

    def interval(level: float) -> tuple[float, float]:
        lower, upper = fit.conf_int(alpha=1 - level)[1]
        return float(lower), float(upper)

    return AttResults(**common, estimate=float(fit.params[1]), std_error=float(fit.bse[1]),
                      balance=_balance(X, t, names), se_type="HC1 robust, normal",
                      interval=interval)


def _propensity_att(y: np.ndarray, t: np.ndarray, X: np.ndarray, names: list[str], common: dict,
                    trim: tuple[float, float] | None, n_boot: int, seed: int | None) -> AttResults:
    method = common["method"]
    _require_full_rank(np.column_stack([np.ones(t.size), X]), "propensity design (constant, "
                       "covariates)")
    point = _adjusted(y, t, X, names, method, trim)
    _warn_limited_overlap(point.propensity[point.keep], t[point.keep])
    draws = _bootstrap(y, t, X, names, method, trim, n_boot, seed)
    tk = t[point.keep]
    common = {**common, "n_treated": int(tk.sum()), "n_control": int(tk.size - tk.sum())}
    return AttResults(**common, estimate=point.estimate, std_error=float(np.std(draws, ddof=1)),
                      balance=_balance(X, t, names, point.keep, point.control_weights),
                      se_type=f"bootstrap ({draws.size} of {n_boot} resamples, seed {seed})",
                      n_trimmed=int(t.size - point.keep.sum()), trim=trim, bootstrap=draws)


def _propensity(X: np.ndarray, t: np.ndarray, names: list[str]) -> np.ndarray:
    """Logit propensity on a constant and the covariates; separation raises an error."""
    design = np.column_stack([np.ones(t.size), X])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = sm.Logit(t, design).fit(disp=0)
        except (sm_exceptions.PerfectSeparationError, np.linalg.LinAlgError) as exc:
            raise PerfectSeparationError(_separation_message(X, t, names)) from exc
    bad = (sm_exceptions.PerfectSeparationWarning, sm_exceptions.ConvergenceWarning)
    flagged = any(issubclass(w.category, bad) for w in caught)
    p = np.asarray(fit.predict(), dtype=float)
    if flagged or not fit.mle_retvals.get("converged", False) or np.any((p <= 0) | (p >= 1)):
        raise PerfectSeparationError(_separation_message(X, t, names))
    return p


def _separation_message(X: np.ndarray, t: np.ndarray, names: list[str]) -> str:
    tr, co = X[t == 1], X[t == 0]
    alone = [name for j, name in enumerate(names) if np.ptp(X[:, j]) > 0
             and (tr[:, j].min() >= co[:, j].max() or tr[:, j].max() <= co[:, j].min())]
    if alone:
        which = f"covariate(s) {', '.join(map(repr, alone))} separate treated from controls"
    else:
        which = f"a combination of the covariates {', '.join(map(repr, names))} separates them"
    return ("The propensity-score logit failed (perfect or quasi-perfect separation, or no "
            f"convergence): {which}; drop or coarsen the offending covariates.")


def _trim_mask(p: np.ndarray, trim: tuple[float, float] | None) -> np.ndarray:
    if trim is None:
        return np.ones(p.size, dtype=bool)
    low, high = np.quantile(p, trim)
    return (p >= low) & (p <= high)


def _nearest_controls(p_treated: np.ndarray, p_control: np.ndarray) -> np.ndarray:
    """Position in ``p_control`` of each treated unit's nearest control; ties: lowest position."""
    order = np.argsort(p_control, kind="stable")
    ps = p_control[order]
    above = np.searchsorted(ps, p_treated, side="left")
    right = np.minimum(above, ps.size - 1)
    # First element of the run of equal scores just below: the lowest position among them.
    left = np.searchsorted(ps, ps[np.maximum(above - 1, 0)], side="left")
    d_left = np.where(above > 0, p_treated - ps[left], np.inf)
    d_right = np.where(above < ps.size, ps[right] - p_treated, np.inf)
    take_left = (d_left < d_right) | ((d_left == d_right) & (order[left] < order[right]))
    return np.where(take_left, order[left], order[right])


def _adjusted(y: np.ndarray, t: np.ndarray, X: np.ndarray, names: list[str], method: str,
              trim: tuple[float, float] | None) -> _Adjusted:
    """Propensity, trimming and the ipw/psm point estimate with the control weights used."""
    p = _propensity(X, t, names)
    keep = _trim_mask(p, trim)
    tk, pk, yk = t[keep], p[keep], y[keep]
    n_treated = int(tk.sum())
    if n_treated == 0 or n_treated == tk.size:
        group = "treated" if n_treated == 0 else "control"
        raise _NoOverlapError(f"Trimming the propensity score to the {trim} quantile range left "
                              f"no {group} units; widen trim or set trim=None.")
    if method == "ipw":
        odds = pk[tk == 0] / (1 - pk[tk == 0])
        weights = odds / odds.sum()
    else:
        matched = _nearest_controls(pk[tk == 1], pk[tk == 0])
        weights = np.bincount(matched, minlength=tk.size - n_treated) / n_treated
    estimate = yk[tk == 1].mean() - weights @ yk[tk == 0]
    return _Adjusted(float(estimate), keep, p, weights)


def _bootstrap(y: np.ndarray, t: np.ndarray, X: np.ndarray, names: list[str], method: str,
               trim: tuple[float, float] | None, n_boot: int, seed: int | None) -> np.ndarray:
    rng = np.random.default_rng(seed)
    treated, control = np.flatnonzero(t == 1), np.flatnonzero(t == 0)
    draws, separated, emptied = [], 0, 0
    for _ in range(n_boot):
        idx = np.sort(np.concatenate([rng.choice(treated, treated.size),
                                      rng.choice(control, control.size)]))
        try:
            draws.append(_adjusted(y[idx], t[idx], X[idx], names, method, trim).estimate)
        except PerfectSeparationError:
            separated += 1
        except _NoOverlapError:
            emptied += 1
    if separated:
        warnings.warn(f"{separated} of {n_boot} bootstrap resamples were discarded because the "
                      "propensity logit separated treated from controls or failed to converge; "
                      "the standard error may be too small.", PerfectSeparationWarning,
                      stacklevel=4)
    if emptied:
        warnings.warn(f"{emptied} of {n_boot} bootstrap resamples were discarded because "
                      "trimming left no treated or no control units.", OverlapWarning,
                      stacklevel=4)
    if len(draws) < 2:
        raise ValueError(f"Only {len(draws)} of {n_boot} bootstrap resamples could be estimated, "
                         "so the standard error is undefined; the data are too small or too "
                         "separated for this method.")
    return np.asarray(draws)


def _warn_limited_overlap(p: np.ndarray, t: np.ndarray) -> None:
    pt, pc = p[t == 1], p[t == 0]
    outside = int(np.sum((pt > pc.max()) | (pt < pc.min())))
    if outside:
        warnings.warn(f"{outside} of {pt.size} treated units have propensity scores outside the "
                      f"range of the controls ({pc.min():.3f} to {pc.max():.3f}); their "
                      "comparisons rely on extrapolation.", OverlapWarning, stacklevel=4)


def _balance(X: np.ndarray, t: np.ndarray, names: list[str], keep: np.ndarray | None = None,
             control_weights: np.ndarray | None = None) -> pd.DataFrame:
    """Standardised mean differences before and after adjustment (see the module docstring)."""
    xt, xc = X[t == 1], X[t == 0]
    scale = np.sqrt((xt.var(axis=0, ddof=1) + xc.var(axis=0, ddof=1)) / 2)
    before = xt.mean(axis=0) - xc.mean(axis=0)
    after = before
    if keep is not None and control_weights is not None:
        Xk, tk = X[keep], t[keep]
        after = Xk[tk == 1].mean(axis=0) - control_weights @ Xk[tk == 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        smd = {"smd_before": before / scale, "smd_after": after / scale}
    return pd.DataFrame(smd, index=pd.Index(names, name="covariate"), dtype=float)
