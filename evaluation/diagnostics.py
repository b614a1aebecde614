"""Diagnostics of an ATT estimate: overlap, balance, weights, who was trimmed; and their plots.

Rules fixed here (pinned by ``tests/unit/test_att_diagnostics.py``):

* SMD = (mean_t - mean_c) / sqrt((var_t + var_c) / 2), the variances (ddof=1) always of all
  units unweighted, so "before" and "after" differ only in the means.
* Variance ratio = treated variance over control variance (ddof=1). "After", the control
  variance is weighted: sum w (x - m_w)^2 / (sum w - sum w^2 / sum w), which is the ddof=1
  variance when the weights are equal.
* "After" uses the units the estimate uses (after trimming and caliper), treated unweighted and
  controls by their weights (normalised odds for ipw/aipw, match counts K for psm). Methods
  that do not reweight (difference, ols, regression) report "after" equal to "before".
* Effective sample size of the controls = (sum w)^2 / sum w^2; ``max_weight_share`` = largest
  control weight over the sum of the control weights.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Diagnostics:
    """Overlap and weight diagnostics carried by an ``AttResults``."""

    propensity: pd.DataFrame | None  # columns score, treated, kept; None if no score
    trimmed: pd.DataFrame  # covariate means of kept and dropped treated
    n_treated_dropped: int
    effective_sample_size: float
    max_weight_share: float
    trim_rule: str = "not applicable"


def describe_trim(trim: str | tuple[float, float] | None, crump_alpha: float = 0.1) -> str:
    """The trimming rule in words, for summaries."""
    if trim is None:
        return "none"
    if trim == "support":
        return "controls outside the range of the treated scores"
    if trim == "crump":
        return f"scores outside [{crump_alpha:g}, {1 - crump_alpha:g}] (Crump et al. 2009)"
    return f"scores outside the pooled [{trim[0]:g}, {trim[1]:g}] quantiles"


def _weighted_var(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    total = w.sum()
    mean = w @ x / total
    with np.errstate(divide="ignore", invalid="ignore"):
        return w @ (x - mean) ** 2 / (total - (w**2).sum() / total)


def balance_table(X: np.ndarray, t: np.ndarray, names: list[str], keep: np.ndarray,
                  weights: np.ndarray, adjusted: bool) -> pd.DataFrame:
    """SMDs and variance ratios before and after adjustment (module docstring)."""
    xt, xc = X[t == 1], X[t == 0]
    var_t, var_c = xt.var(axis=0, ddof=1), xc.var(axis=0, ddof=1)
    scale = np.sqrt((var_t + var_c) / 2)
    diff_before = xt.mean(axis=0) - xc.mean(axis=0)
    diff_after, vt_after, vc_after = diff_before, var_t, var_c
    if adjusted:
        kt, kc = keep & (t == 1), keep & (t == 0) & (weights > 0)
        w = weights[kc]
        diff_after = X[kt].mean(axis=0) - w @ X[kc] / w.sum()
        vt_after, vc_after = X[kt].var(axis=0, ddof=1), _weighted_var(X[kc], w)
    with np.errstate(divide="ignore", invalid="ignore"):
        table = {"smd_before": diff_before / scale, "smd_after": diff_after / scale,
                 "variance_ratio_before": var_t / var_c,
                 "variance_ratio_after": vt_after / vc_after}
    return pd.DataFrame(table, index=pd.Index(names, name="covariate"), dtype=float)


def trimmed_table(X: np.ndarray, t: np.ndarray, names: list[str], keep: np.ndarray,
                  score: np.ndarray | None) -> pd.DataFrame:
    """Means of the covariates (and the score) among kept and dropped treated units."""
    columns = ["mean_kept", "mean_dropped", "smd"]
    dropped, kept = (t == 1) & ~keep, (t == 1) & keep
    if not dropped.any():
        return pd.DataFrame(columns=columns, index=pd.Index([], name="covariate"), dtype=float)
    values = X if score is None else np.column_stack([X, score])
    rows = names if score is None else [*names, "propensity score"]
    a, b = values[kept], values[dropped]
    mean_a = a.mean(axis=0) if len(a) else np.full(values.shape[1], np.nan)
    # A lone dropped (or kept) unit has no variance: the other group's alone scales the SMD.
    variances = [g.var(axis=0, ddof=1) for g in (a, b) if len(g) > 1]
    spread = np.sqrt(np.mean(variances, axis=0)) if variances else np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        smd = (b.mean(axis=0) - mean_a) / spread
    return pd.DataFrame({"mean_kept": mean_a, "mean_dropped": b.mean(axis=0), "smd": smd},
                        index=pd.Index(rows, name="covariate"), dtype=float)


def diagnose(X: np.ndarray, t: np.ndarray, names: list[str], index: pd.Index,
             score: np.ndarray | None, keep: np.ndarray, weights: np.ndarray, adjusted: bool,
             trim_rule: str) -> tuple[pd.DataFrame, Diagnostics]:
    """Balance table and the other diagnostics of one estimate."""
    w = weights[(t == 0) & keep]
    propensity = None
    if score is not None:
        propensity = pd.DataFrame({"score": score, "treated": t.astype(int), "kept": keep},
                                  index=index)
    diagnostics = Diagnostics(
        propensity=propensity, trimmed=trimmed_table(X, t, names, keep, score),
        n_treated_dropped=int(((t == 1) & ~keep).sum()),
        effective_sample_size=float(w.sum() ** 2 / (w**2).sum()),
        max_weight_share=float(w.max() / w.sum()), trim_rule=trim_rule)
    return balance_table(X, t, names, keep, weights, adjusted), diagnostics


def _labels(labels: Mapping[str, str] | None, defaults: dict[str, str]) -> dict[str, str]:
    return {**defaults, **(labels or {})}


def plot_overlap(propensity: pd.DataFrame, *, title: str = "", xlabel: str = "",
                 ylabel: str = "", labels: Mapping[str, str] | None = None):
    """Histograms (densities) of the score of treated and controls; a matplotlib Figure."""
    import matplotlib.pyplot as plt

    from evaluation.plotting import use_cjk_font

    use_cjk_font()
    names = _labels(labels, {"treated": "treated", "control": "control"})
    score, treated = propensity["score"].to_numpy(), propensity["treated"].to_numpy() == 1
    bins = np.linspace(score.min(), score.max(), 41) if np.ptp(score) > 0 else 10
    figure, axes = plt.subplots(figsize=(7, 4))
    axes.hist(score[~treated], bins=bins, density=True, alpha=0.5, label=names["control"])
    axes.hist(score[treated], bins=bins, density=True, alpha=0.5, label=names["treated"])
    axes.set_title(title)
    axes.set_xlabel(xlabel or "propensity score")
    axes.set_ylabel(ylabel or "density")
    axes.legend()
    figure.tight_layout()
    plt.close(figure)
    return figure


def plot_balance(balance: pd.DataFrame, *, title: str = "", xlabel: str = "", ylabel: str = "",
                 labels: Mapping[str, str] | None = None, threshold: float = 0.1):
    """Love plot: absolute SMD per covariate before and after; a matplotlib Figure."""
    import matplotlib.pyplot as plt

    from evaluation.plotting import use_cjk_font

    use_cjk_font()
    names = _labels(labels, {"before": "before", "after": "after"})
    rows = np.arange(len(balance))
    figure, axes = plt.subplots(figsize=(7, 1.5 + 0.35 * max(len(balance), 1)))
    axes.scatter(balance["smd_before"].abs(), rows, marker="o", label=names["before"])
    axes.scatter(balance["smd_after"].abs(), rows, marker="x", label=names["after"])
    axes.axvline(threshold, linestyle="--", color="grey", linewidth=1)
    axes.set_yticks(rows, [str(name) for name in balance.index])
    axes.set_title(title)
    axes.set_xlabel(xlabel or "absolute standardised mean difference")
    axes.set_ylabel(ylabel)
    axes.legend()
    figure.tight_layout()
    plt.close(figure)
    return figure
