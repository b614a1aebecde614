"""Results objects for the evaluation estimators: read-only properties, text and HTML summaries.

A results class supplies ``_title``, ``_header_rows()``, ``_tables()`` and ``_frame_row()``; the
:class:`_SummaryMixin` turns these into ``summary()``, ``__str__``, ``_repr_html_`` (so a notebook
only calls ``display(result)``) and ``to_frame()``.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import stats

_METHOD_LABELS = {
    "difference": "difference in means",
    "regression": "OLS regression adjustment",
    "ipw": "inverse-probability weighting (Hajek)",
    "psm": "propensity-score matching (1 neighbour, with replacement)",
}


class _SummaryMixin:
    """Text, HTML and one-row DataFrame views built from the hooks of a results class."""

    _title: str

    def _header_rows(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        raise NotImplementedError

    def _frame_row(self) -> tuple[str, dict[str, float | int]]:
        raise NotImplementedError

    def summary(self) -> str:
        """Return a plain-text summary: model details, the estimate table and diagnostics."""
        rows = self._header_rows()
        width = max(len(label) for label, _ in rows) + 2
        lines = [self._title, "=" * max(len(self._title), 60)]
        lines += [f"{label + ':':<{width}}{value}" for label, value in rows]
        for caption, table in self._tables():
            lines += ["-" * 60, caption, table.to_string(float_format=lambda v: f"{v:.4f}")]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        cells = "".join(
            f"<tr><th style='text-align:left'>{html.escape(label)}</th>"
            f"<td style='text-align:left'>{html.escape(value)}</td></tr>"
            for label, value in self._header_rows()
        )
        parts = [f"<table><caption>{html.escape(self._title)}</caption>{cells}</table>"]
        for caption, table in self._tables():
            parts.append(f"<p><b>{html.escape(caption)}</b></p>")
            parts.append(table.to_html(float_format=lambda v: f"{v:.4f}", border=0))
        return "<div>" + "".join(parts) + "</div>"

    def to_frame(self) -> pd.DataFrame:
        """Return the headline numbers as a one-row DataFrame (ready for ``pd.concat``)."""
        label, row = self._frame_row()
        return pd.DataFrame([row], index=pd.Index([label], name="method"))


class AttResults(_SummaryMixin):
    """Estimated average treatment effect on the treated (ATT), returned by ``estimate_att``.

    All attributes are read-only properties; ``ci_low`` and ``ci_high`` are the 95% interval,
    :meth:`conf_int` gives any other level.
    """

    def __init__(self, *, method: str, outcome: str, treatment: str, estimate: float,
                 std_error: float, n_treated: int, n_control: int, balance: pd.DataFrame,
                 se_type: str, n_trimmed: int = 0, trim: tuple[float, float] | None = None,
                 bootstrap: np.ndarray | None = None,
                 interval: Callable[[float], tuple[float, float]] | None = None) -> None:
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
        self._interval = interval
        self._title = f"ATT estimate: {_METHOD_LABELS.get(method, method)}"

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
        """Control units used."""
        return self._n_control

    @property
    def n_trimmed(self) -> int:
        """Units dropped by trimming."""
        return self._n_trimmed

    @property
    def trim(self) -> tuple[float, float] | None:
        """Propensity quantile range kept, or None."""
        return self._trim

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
        """Standardised mean differences per covariate, columns ``smd_before``/``smd_after``."""
        return self._balance.copy()

    @property
    def bootstrap_estimates(self) -> np.ndarray | None:
        """ATT estimates of the usable bootstrap resamples (None without a bootstrap)."""
        return None if self._bootstrap is None else self._bootstrap.copy()

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Confidence interval for the ATT.

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
        if self._interval is not None:
            lower, upper = self._interval(level)
        else:
            half = stats.norm.ppf(0.5 + level / 2) * self._std_error
            lower, upper = self._estimate - half, self._estimate + half
        return pd.DataFrame({"lower": [float(lower)], "upper": [float(upper)]},
                            index=pd.Index(["ATT"], name=self._outcome))

    def _header_rows(self) -> list[tuple[str, str]]:
        trim = "none" if self._trim is None else f"propensity in [{self._trim[0]:g}, " \
            f"{self._trim[1]:g}] quantiles; {self._n_trimmed} units dropped"
        return [("Method", self._method), ("Outcome", self._outcome),
                ("Treatment", self._treatment), ("Treated", str(self._n_treated)),
                ("Controls", str(self._n_control)), ("Observations", str(self.nobs)),
                ("Trimming", trim if self._method in ("ipw", "psm") else "not applicable"),
                ("Std. errors", self._se_type)]

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        _, row = self._frame_row()
        numbers = pd.DataFrame([{k: row[k] for k in ("estimate", "std_error", "ci_low",
                                                     "ci_high")}], index=["ATT"])
        tables = [("Estimate (95% confidence interval)", numbers)]
        if len(self._balance):
            tables.append(("Balance: standardised mean differences", self._balance))
        return tables

    def _frame_row(self) -> tuple[str, dict[str, float | int]]:
        return self._method, {"estimate": self._estimate, "std_error": self._std_error,
                              "ci_low": self.ci_low, "ci_high": self.ci_high,
                              "n_treated": self._n_treated, "n_control": self._n_control}

    def __repr__(self) -> str:
        return (f"AttResults(method={self._method!r}, estimate={self._estimate:.4g}, "
                f"std_error={self._std_error:.4g}, n_treated={self._n_treated}, "
                f"n_control={self._n_control})")
