"""Results of ``estimate_att``: read-only properties, text and HTML summaries, plots.

The summary machinery lives in :mod:`evaluation.summary`; ``_SummaryMixin`` is imported here too
because the other results modules take it from this one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.diagnostics import Diagnostics, describe_trim, plot_balance, plot_overlap
from evaluation.sensitivity import EValue
from evaluation.summary import _SummaryMixin

__all__ = ["AttResults", "_SummaryMixin"]


_METHOD_LABELS = {
    "difference": "difference in means",
    "ols": "OLS treatment coefficient (not an ATT)",
    "regression": "regression adjustment (control outcome model)",
    "ipw": "inverse-probability weighting (normalised odds)",
    "aipw": "doubly robust (augmented odds weighting)",
    "psm": "propensity-score matching (nearest neighbours, with replacement)",
}
_NOT_ATT = "OLS treatment coefficient (not an ATT)"


class AttResults(_SummaryMixin):
    """Estimated average treatment effect on the treated (ATT), returned by ``estimate_att``.

    All attributes are read-only properties; ``ci_low`` and ``ci_high`` are the 95% interval,
    :meth:`conf_int` gives any other level. The diagnostics (``propensity``, ``balance``,
    ``trimmed``, weights and the E-value) are None or empty when the results were built by hand.
    """

    def __init__(self, *, method: str, outcome: str, treatment: str, estimate: float,
                 std_error: float, n_treated: int, n_control: int, balance: pd.DataFrame,
                 se_type: str, n_trimmed: int = 0, trim: str | tuple[float, float] | None = None,
                 bootstrap: np.ndarray | None = None, label: str | None = None,
                 diagnostics: Diagnostics | None = None, e_value: EValue | None = None,
                 notes: Sequence[str] = ()) -> None:
        self._method = method
        self._outcome = outcome
        self._treatment = treatment
        self._estimate = float(estimate)
        self._std_error = float(std_error)
        self._n_treated = int(n_treated)
        self._n_control = int(n_control)
        self._balance = balance
        self._se_type = se_type
        self._n_trimmed = int(n_trimmed)
        self._trim = trim
        self._bootstrap = bootstrap
        self._label = label
        self._diagnostics = diagnostics
        self._e_value = e_value
        self._notes = list(notes)
        self._title = ("Treatment coefficient: " if method == "ols" else "ATT estimate: ") + \
            _METHOD_LABELS.get(method, method)

    @property
    def method(self) -> str:
        """Estimation method."""
        return self._method

    @property
    def outcome(self) -> str:
        """Name of the outcome column."""
        return self._outcome

    @property
    def treatment(self) -> str:
        """Name of the treatment column."""
        return self._treatment

    @property
    def label(self) -> str | None:
        """Free text describing the treatment and estimand, as passed to ``estimate_att``."""
        return self._label

    @property
    def estimand(self) -> str:
        """"ATT", "ATT on the overlap" when treated units were dropped, or the OLS caveat."""
        if self._method == "ols":
            return _NOT_ATT
        return "ATT" if self.all_treated else "ATT on the overlap"

    @property
    def estimate(self) -> float:
        """Estimated ATT."""
        return self._estimate

    @property
    def std_error(self) -> float:
        """Standard error of the ATT."""
        return self._std_error

    @property
    def n_treated(self) -> int:
        """Treated units used."""
        return self._n_treated

    @property
    def n_control(self) -> int:
        """Control units used (for matching: distinct matched controls)."""
        return self._n_control

    @property
    def n_trimmed(self) -> int:
        """Units dropped by trimming or the caliper, treated and controls together."""
        return self._n_trimmed

    @property
    def n_treated_dropped(self) -> int:
        """Treated units dropped by trimming or the caliper."""
        return 0 if self._diagnostics is None else self._diagnostics.n_treated_dropped

    @property
    def all_treated(self) -> bool:
        """True when no treated unit was dropped."""
        return self.n_treated_dropped == 0

    @property
    def trim(self) -> str | tuple[float, float] | None:
        """The trimming rule: "support", "crump", a quantile pair, or None."""
        return self._trim

    @property
    def trimmed(self) -> pd.DataFrame:
        """Covariate means of kept and dropped treated (``mean_kept``, ``mean_dropped``, ``smd``).

        Empty when no treated unit was dropped.
        """
        if self._diagnostics is None:
            return pd.DataFrame(columns=["mean_kept", "mean_dropped", "smd"], dtype=float)
        return self._diagnostics.trimmed.copy()

    @property
    def se_type(self) -> str:
        """How the standard error was computed."""
        return self._se_type

    @property
    def nobs(self) -> int:
        """Number of units used in the estimate (treated plus control, after trimming)."""
        return self._n_treated + self._n_control

    @property
    def ci_low(self) -> float:
        """Lower bound of the 95% confidence interval."""
        return float(self.conf_int(0.95).iloc[0, 0])

    @property
    def ci_high(self) -> float:
        """Upper bound of the 95% confidence interval."""
        return float(self.conf_int(0.95).iloc[0, 1])

    @property
    def balance(self) -> pd.DataFrame:
        """Per covariate: ``smd_before``, ``smd_after``, ``variance_ratio_before``/``_after``."""
        return self._balance.copy()

    @property
    def propensity(self) -> pd.DataFrame | None:
        """Propensity score of every unit with columns ``score``, ``treated``, ``kept``."""
        if self._diagnostics is None or self._diagnostics.propensity is None:
            return None
        return self._diagnostics.propensity.copy()

    @property
    def effective_sample_size(self) -> float | None:
        """Effective number of controls, (sum w)^2 / sum w^2 of the control weights."""
        return None if self._diagnostics is None else self._diagnostics.effective_sample_size

    @property
    def max_weight_share(self) -> float | None:
        """Largest control weight over the sum of the control weights."""
        return None if self._diagnostics is None else self._diagnostics.max_weight_share

    @property
    def e_value(self) -> EValue | None:
        """E-values of the estimate and of its confidence limit closest to the null."""
        return self._e_value

    @property
    def notes(self) -> list[str]:
        """Caveats attached by the estimator."""
        return list(self._notes)

    @property
    def bootstrap_estimates(self) -> np.ndarray | None:
        """ATT estimates of the usable bootstrap resamples (None without a bootstrap)."""
        return None if self._bootstrap is None else self._bootstrap.copy()

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Normal confidence interval for the ATT.

        Parameters
        ----------
        level : float, default 0.95
            Coverage level, strictly between 0 and 1.

        Returns
        -------
        pandas.DataFrame
            One row labelled ``ATT`` with columns ``lower`` and ``upper``.
        """
        if not 0 < level < 1:
            raise ValueError(f"level must lie strictly between 0 and 1; got {level!r}.")
        half = stats.norm.ppf(0.5 + level / 2) * self._std_error
        return pd.DataFrame({"lower": [self._estimate - half], "upper": [self._estimate + half]},
                            index=pd.Index(["ATT"], name=self._outcome))

    def plot_overlap(self, *, title: str = "", xlabel: str = "", ylabel: str = "",
                     labels: Mapping[str, str] | None = None):
        """Histograms of the propensity score of treated and controls; a matplotlib Figure.

        ``labels`` may rename the groups: ``{"treated": ..., "control": ...}``.
        """
        if self.propensity is None:
            raise ValueError("These results carry no propensity score to plot.")
        return plot_overlap(self.propensity, title=title, xlabel=xlabel, ylabel=ylabel,
                            labels=labels)

    def plot_balance(self, *, title: str = "", xlabel: str = "", ylabel: str = "",
                     labels: Mapping[str, str] | None = None):
        """Love plot of the absolute SMDs before and after; a matplotlib Figure.

        ``labels`` may rename the series: ``{"before": ..., "after": ...}``.
        """
        return plot_balance(self._balance, title=title, xlabel=xlabel, ylabel=ylabel,
                            labels=labels)

    def _header_rows(self) -> list[tuple[str, str]]:
        rows = [("Label", self._label)] if self._label else []
        rows += [("Estimand", self.estimand), ("Method", self._method),
                 ("Outcome", self._outcome), ("Treatment", self._treatment),
                 ("Treated", str(self._n_treated)), ("Controls", str(self._n_control)),
                 ("Observations", str(self.nobs)), ("Trimming", self._trim_text()),
                 ("Std. errors", self._se_type)]
        if self._diagnostics is not None:
            rows += [("Effective controls", f"{self.effective_sample_size:.1f}"),
                     ("Largest weight", f"{self.max_weight_share:.2%} of the control weight")]
        if self._e_value is not None:
            rows.append(("E-value", str(self._e_value)))
        return rows + [("Note", note) for note in self._notes]

    def _trim_text(self) -> str:
        if self._diagnostics is not None:
            rule = self._diagnostics.trim_rule
        else:
            rule = describe_trim(self._trim)
        if rule in ("none", "not applicable"):
            return rule
        dropped = f"{self._n_trimmed} units dropped"
        if self.n_treated_dropped:
            dropped += f", {self.n_treated_dropped} of them treated"
        return f"{rule}; {dropped}"

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        _, row = self._frame_row()
        numbers = pd.DataFrame([{k: row[k] for k in ("estimate", "std_error", "ci_low",
                                                     "ci_high")}], index=["ATT"])
        tables = [("Estimate (95% confidence interval)", numbers)]
        if len(self._balance):
            tables.append(("Balance: standardised mean differences and variance ratios",
                           self._balance))
        if len(self.trimmed):
            tables.append(("Treated dropped by trimming, against those kept", self.trimmed))
        return tables

    def _frame_row(self) -> tuple[str, dict[str, float | int]]:
        return self._method, {"estimate": self._estimate, "std_error": self._std_error,
                              "ci_low": self.ci_low, "ci_high": self.ci_high,
                              "n_treated": self._n_treated, "n_control": self._n_control}

    def __repr__(self) -> str:
        return (f"AttResults(method={self._method!r}, estimate={self._estimate:.4g}, "
                f"std_error={self._std_error:.4g}, n_treated={self._n_treated}, "
                f"n_control={self._n_control})")
