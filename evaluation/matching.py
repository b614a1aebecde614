"""Nearest-neighbour matching on the logit of the propensity score, Abadie-Imbens variance.

Rules fixed here (pinned by ``tests/unit/test_att_matching.py``):

* Each kept treated unit is matched, with replacement, to its ``k = n_neighbors`` nearest kept
  controls on the logit of the score. Candidates are ordered by distance, then by row position
  in ``data``: among controls at exactly the same distance the lowest row position wins, and
  exactly k are taken (Abadie & Imbens 2006 would keep every tie).
* Caliper ``c``: only controls within ``c`` standard deviations (ddof=1, all units) of the
  logit score count as matches; a treated unit with none is dropped and reported as trimmed, one
  with fewer than k keeps those it has (each weighted ``1 / #matches``).
* Bias correction (Abadie & Imbens 2011): the imputed control outcome of treated i is the mean
  over its matches j of ``y_j + mu0(x_i) - mu0(x_j)``, mu0 the OLS of y on a constant and the
  covariates among the kept controls.
* Variance, population ATT (Abadie & Imbens 2006, section 4, ATT form):
  ``V = [sum_T (y_i - y0hat_i - ATT)^2 + sum_C (K_j^2 - K'_j) s2_j] / N1^2`` with
  ``K_j = sum_i 1{j in J(i)} / #J(i)``, ``K'_j = sum_i 1{j in J(i)} / #J(i)^2`` and
  ``s2_j = J / (J + 1) * (y_j - mean of its J nearest other controls)^2``, neighbours found by
  the same rule within the controls (``variance_neighbors`` J, default 2 as in Stata's
  ``teffects``). The estimation of the score is ignored: for the ATT the Abadie & Imbens (2016)
  correction can raise or lower the variance. A bootstrap is invalid here (Abadie & Imbens 2008).
* Clusters: the estimator's linear terms, treated ``y_i - mu0(x_i) - ATT_bc`` and controls
  ``-K_j (y_j - mu0(x_j))`` (Abadie & Imbens 2006 eq. (7) form; ATT_bc the bias-corrected
  estimate, so they sum to zero), are summed within clusters:
  ``V = G / (G - 1) * sum_g (sum_i in g psi_i)^2 / N1^2``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from evaluation.estimators import Fit, control_regression
from evaluation.propensity import Score


def nearest(query: np.ndarray, pool: np.ndarray, k: int) -> np.ndarray:
    """Positions in ``pool`` of the k nearest values to each query, nearest first.

    Ties in distance go to the lowest position. Runs of equal pool values are walked from their
    lowest position, so the order is exactly (distance, position).
    """
    order = np.argsort(pool, kind="stable")
    ps = pool[order]
    starts = np.flatnonzero(np.r_[True, ps[1:] != ps[:-1]])
    ends = np.r_[starts[1:], ps.size]
    values = ps[starts]
    right = np.searchsorted(values, query, side="left")
    left = right - 1
    off_left = np.zeros(query.size, dtype=np.int64)
    off_right = np.zeros(query.size, dtype=np.int64)
    out = np.empty((query.size, k), dtype=np.int64)
    last = values.size - 1
    for step in range(k):
        has_left, has_right = left >= 0, right <= last
        lc, rc = np.clip(left, 0, last), np.clip(right, 0, last)
        d_left = np.where(has_left, query - values[lc], np.inf)
        d_right = np.where(has_right, values[rc] - query, np.inf)
        pos_left = order[np.minimum(starts[lc] + off_left, ps.size - 1)]
        pos_right = order[np.minimum(starts[rc] + off_right, ps.size - 1)]
        take_left = (d_left < d_right) | ((d_left == d_right) & (pos_left < pos_right))
        out[:, step] = np.where(take_left, pos_left, pos_right)
        off_left += take_left
        off_right += ~take_left
        done_left = take_left & (starts[lc] + off_left >= ends[lc])
        done_right = ~take_left & (starts[rc] + off_right >= ends[rc])
        left -= done_left
        off_left[done_left] = 0
        right += done_right
        off_right[done_right] = 0
    return out


def nearest_others(query_rows: np.ndarray, pool: np.ndarray, j: int) -> np.ndarray:
    """For pool positions ``query_rows``, the j nearest *other* pool positions (same rule)."""
    found = nearest(pool[query_rows], pool, j + 1)
    drop = found == query_rows[:, None]
    drop[~drop.any(axis=1), j] = True  # self not among the j + 1: drop the farthest instead
    return found[~drop].reshape(query_rows.size, j)


class _Matches(NamedTuple):
    treated: np.ndarray  # data positions of the matched treated
    controls: np.ndarray  # data positions of the kept controls
    matches: np.ndarray  # (treated, k) positions into ``controls``
    within: np.ndarray  # (treated, k) inside the caliper
    K: np.ndarray  # per control: sum of 1 / #matches over the treated using it
    K2: np.ndarray  # per control: sum of 1 / #matches^2


def _match(lin: np.ndarray, t: np.ndarray, keep: np.ndarray, n_neighbors: int,
           caliper: float | None, notes: list[str]) -> _Matches:
    """Match kept treated to kept controls; drop (in ``keep``) treated outside the caliper."""
    treated, controls = np.flatnonzero(keep & (t == 1)), np.flatnonzero(keep & (t == 0))
    matches = nearest(lin[treated], lin[controls], n_neighbors)
    within = np.ones(matches.shape, dtype=bool)
    if caliper is not None:
        width = caliper * lin.std(ddof=1)
        within = np.abs(lin[controls][matches] - lin[treated][:, None]) <= width
        lost = ~within[:, 0]
        if lost.all():
            raise ValueError(f"No treated unit has a control within the caliper of {caliper:g} "
                             "standard deviations of the logit score; widen the caliper.")
        keep[treated[lost]] = False
        treated, matches, within = treated[~lost], matches[~lost], within[~lost]
        notes.append(f"Caliper {caliper:g} SD of the logit score ({width:.4f}): {int(lost.sum())}"
                     " treated without a control that close were dropped.")
    share = np.broadcast_to((1 / within.sum(axis=1))[:, None], matches.shape)[within]
    K = np.bincount(matches[within], weights=share, minlength=controls.size)
    K2 = np.bincount(matches[within], weights=share**2, minlength=controls.size)
    return _Matches(treated, controls, matches, within, K, K2)


def _ai_variance(m: _Matches, y: np.ndarray, lin: np.ndarray, effects: np.ndarray,
                 j: int) -> float:
    """Abadie-Imbens (2006) variance of the population ATT (module docstring)."""
    used = np.flatnonzero(m.K > 0)
    yc = y[m.controls]
    others = nearest_others(used, lin[m.controls], j)
    s2 = j / (j + 1) * (yc[used] - yc[others].mean(axis=1)) ** 2
    second = ((m.K[used] ** 2 - m.K2[used]) * s2).sum()
    return float((((effects - effects.mean()) ** 2).sum() + second) / m.treated.size**2)


def _linear_terms(m: _Matches, y: np.ndarray, mu0: np.ndarray, n: int) -> np.ndarray:
    """Per-unit linear terms for clustering, centred at the bias-corrected estimate."""
    psi = np.zeros(n)
    rt, rc = y[m.treated] - mu0[m.treated], y[m.controls] - mu0[m.controls]
    psi[m.treated] = rt - (rt.sum() - m.K @ rc) / m.treated.size
    psi[m.controls] = -m.K * rc
    return psi


def psm(y: np.ndarray, t: np.ndarray, X: np.ndarray, score: Score, keep: np.ndarray, *,
        n_neighbors: int = 1, caliper: float | None = None, bias_correction: bool = False,
        variance_neighbors: int = 2, groups: np.ndarray | None = None, **_) -> Fit:
    """Matching estimate of the ATT with the Abadie-Imbens variance (module docstring)."""
    keep, notes = keep.copy(), []
    needed = max(n_neighbors, variance_neighbors + 1)
    if (keep & (t == 0)).sum() < needed:
        raise ValueError(f"Matching needs at least {needed} kept controls (n_neighbors="
                         f"{n_neighbors}, variance_neighbors={variance_neighbors}); only "
                         f"{int((keep & (t == 0)).sum())} remain.")
    m = _match(score.index, t, keep, n_neighbors, caliper, notes)
    mu0 = None
    if bias_correction or groups is not None:
        Z = np.column_stack([np.ones(t.size), X])
        mu0 = Z @ control_regression(y, Z, np.isin(np.arange(t.size), m.controls))
    imputed = y[m.controls][m.matches]
    if bias_correction:
        imputed = imputed + mu0[m.treated][:, None] - mu0[m.controls][m.matches]
    effects = y[m.treated] - (imputed * m.within).sum(axis=1) / m.within.sum(axis=1)
    variance = _ai_variance(m, y, score.index, effects, variance_neighbors)
    psi = np.zeros(t.size) if mu0 is None else _linear_terms(m, y, mu0, t.size)
    weights = np.zeros(t.size)
    weights[m.treated], weights[m.controls] = 1.0, m.K
    se_type = (f"Abadie-Imbens (2006), conditional variances from {variance_neighbors} "
               "within-group matches")
    return Fit(float(effects.mean()), psi, m.treated.size, keep, weights,
               float(np.sqrt(variance)), se_type, n_control=int((m.K > 0).sum()), notes=notes)
