"""The logit propensity score, its influence function, and the trimming rules that read it.

Rules fixed here (pinned by ``tests/unit/test_att_estimators.py`` and ``test_att_diagnostics.py``):

* The score is a logit (statsmodels ``Logit``, Newton) of the treatment on a constant and the
  covariates, fitted once on *all* units; trimming never re-fits it.
* Trimming rules: ``"support"`` (default) drops the controls whose score lies outside
  ``[min, max]`` of the treated scores and never drops a treated unit; ``"crump"`` keeps
  ``alpha <= e <= 1 - alpha`` (Crump, Hotz, Imbens & Mitnik 2009; alpha 0.1 by default);
  ``(lo, hi)`` keeps the scores within those quantiles (``numpy.quantile``, linear
  interpolation, bounds inclusive) of the pooled scores of treated and controls; ``None`` keeps
  every unit. Only ``crump`` and quantile trimming can drop treated units.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from statsmodels.discrete.discrete_model import Logit
from statsmodels.tools import sm_exceptions

Trim = str | tuple[float, float] | None


class PerfectSeparationError(ValueError):
    """The propensity-score logit separates treated from control units (or does not converge)."""


@dataclass(frozen=True)
class Score:
    """A fitted logit score: design (constant first), linear index, probabilities."""

    design: np.ndarray
    index: np.ndarray
    score: np.ndarray
    hessian_inv: np.ndarray  # inverse of mean(e (1 - e) D'D), the logit's bread

    def influence_dot(self, t: np.ndarray, gradient: np.ndarray) -> np.ndarray:
        """Per-unit influence of the logit coefficients on a statistic with this gradient.

        Returns ``IF_gamma @ gradient`` without forming the n-by-k matrix ``IF_gamma``.
        """
        return (t - self.score) * (self.design @ (self.hessian_inv @ gradient))


def require_full_rank(design: np.ndarray, what: str) -> None:
    """Refuse a design whose columns are collinear, naming it."""
    if np.linalg.matrix_rank(design) < design.shape[1]:
        raise ValueError(f"The {what} is rank deficient: a covariate is constant or collinear "
                         "with the others (or with the treatment); drop the redundant columns.")


def fit_score(X: np.ndarray, t: np.ndarray, names: list[str]) -> Score:
    """Fit the logit propensity score; separation or non-convergence raises an error."""
    design = np.column_stack([np.ones(t.size), X])
    require_full_rank(design, "propensity design (constant, covariates)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            # Full rank was checked just above: statsmodels need not find it again (a QR
            # of the whole design, a second pass over a million rows).
            fit = Logit(t, design, check_rank=False).fit(disp=0, maxiter=100)
        except (sm_exceptions.PerfectSeparationError, np.linalg.LinAlgError) as exc:
            raise PerfectSeparationError(separation_message(X, t, names)) from exc
    bad = (sm_exceptions.PerfectSeparationWarning, sm_exceptions.ConvergenceWarning)
    flagged = any(issubclass(w.category, bad) for w in caught)
    index = design @ np.asarray(fit.params, dtype=float)
    e = 1 / (1 + np.exp(-index))
    if flagged or not fit.mle_retvals.get("converged", False) or np.any((e <= 0) | (e >= 1)):
        raise PerfectSeparationError(separation_message(X, t, names))
    hessian = (design * (e * (1 - e))[:, None]).T @ design / t.size
    return Score(design, index, e, np.linalg.inv(hessian))


def separation_message(X: np.ndarray, t: np.ndarray, names: list[str]) -> str:
    """A sentence naming the covariates that alone separate treated from controls."""
    tr, co = X[t == 1], X[t == 0]
    alone = [name for j, name in enumerate(names) if np.ptp(X[:, j]) > 0
             and (tr[:, j].min() >= co[:, j].max() or tr[:, j].max() <= co[:, j].min())]
    if alone:
        which = f"covariate(s) {', '.join(map(repr, alone))} separate treated from controls"
    else:
        which = f"a combination of the covariates {', '.join(map(repr, names))} separates them"
    return ("The propensity-score logit failed (perfect or quasi-perfect separation, or no "
            f"convergence): {which}; drop or coarsen the offending covariates.")


def trim_mask(e: np.ndarray, t: np.ndarray, trim: Trim, crump_alpha: float) -> np.ndarray:
    """Units kept by a trimming rule (see the module docstring)."""
    if trim is None:
        return np.ones(e.size, dtype=bool)
    if trim == "support":
        treated = e[t == 1]
        return (t == 1) | ((e >= treated.min()) & (e <= treated.max()))
    if trim == "crump":
        return (e >= crump_alpha) & (e <= 1 - crump_alpha)
    low, high = np.quantile(e, trim)
    return (e >= low) & (e <= high)
