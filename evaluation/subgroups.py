"""Heterogeneity: the ATT within each value of one or more grouping columns.

Rules fixed here (pinned by ``tests/unit/test_att_subgroups.py``):

* Each value of each ``by`` column is one group, in sorted order; missing values form no group.
* A group with fewer than ``min_treated`` treated or ``min_control`` controls is listed as
  "too small" with its counts and no estimate.
* Covariates constant within a group (the ``by`` column itself, its dummies) are dropped for
  that group and the note says which. A group whose estimate fails with a ``ValueError``
  (separation, collinearity, trimming emptying a group) is listed with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from evaluation.att import estimate_att
from evaluation.results import AttResults
from evaluation.summary import _SummaryMixin

COLUMNS = ["n_treated", "n_control", "estimate", "std_error", "ci_low", "ci_high", "note"]


class SubgroupResults(_SummaryMixin):
    """ATT per group, returned by ``subgroup_effects``; one row per (variable, group)."""

    def __init__(self, table: pd.DataFrame, results: dict[tuple[str, Any], AttResults], *,
                 method: str, outcome: str, by: list[str]) -> None:
        self._table = table
        self._results = results
        self._method = method
        self._outcome = outcome
        self._by = by
        self._title = f"ATT by subgroup: {outcome} ({method})"

    @property
    def table(self) -> pd.DataFrame:
        """One row per (variable, group): counts, estimate, SE, 95% CI and a note."""
        return self._table.copy()

    @property
    def results(self) -> dict[tuple[str, Any], AttResults]:
        """The full ``AttResults`` of every estimated group, keyed by (variable, group)."""
        return dict(self._results)

    @property
    def by(self) -> list[str]:
        """The grouping columns."""
        return list(self._by)

    @property
    def method(self) -> str:
        """Estimation method used in every group."""
        return self._method

    def to_frame(self) -> pd.DataFrame:
        """The table: one row per (variable, group)."""
        return self.table

    def _header_rows(self) -> list[tuple[str, str]]:
        small = int(self._table["note"].str.startswith("too small").sum())
        return [("Method", self._method), ("Outcome", self._outcome),
                ("Grouped by", ", ".join(self._by)),
                ("Groups estimated", str(len(self._results))), ("Groups too small", str(small))]

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("ATT per group (95% confidence interval)", self._table)]

    def _frame_row(self) -> tuple[str, dict]:
        return self._method, {"groups": len(self._table)}

    def __repr__(self) -> str:
        return (f"SubgroupResults(method={self._method!r}, by={self._by!r}, "
                f"groups={len(self._table)})")


def subgroup_effects(data: pd.DataFrame, *, by: str | Sequence[str], min_treated: int = 20,
                     min_control: int = 20,
                     select_covariates: Callable[[pd.DataFrame, list[str]], list[str]]
                     | None = None, **estimate_att_kwargs) -> SubgroupResults:
    """Estimate the ATT within each value of each ``by`` column.

    Parameters
    ----------
    data : pandas.DataFrame
        As for ``estimate_att``; it must also hold the ``by`` columns.
    by : str or sequence of str
        Grouping columns; every value of each is estimated separately.
    min_treated, min_control : int, default 20
        Smallest cell sizes estimated; smaller groups are listed as "too small".
    select_covariates : callable, optional
        ``(group's rows, covariates) -> covariates to use there``; by default those not
        constant within the group. The dropped ones are named in the row's note.
    **estimate_att_kwargs
        Passed to ``estimate_att`` (``treatment``, ``outcome``, ``method``, ``covariates``, ...).

    Returns
    -------
    SubgroupResults
        One row per (variable, group) with n_treated, n_control, estimate, std_error, ci_low,
        ci_high and note.
    """
    names = [by] if isinstance(by, str) else list(by)
    _check(data, names, min_treated, min_control, estimate_att_kwargs)
    treatment = estimate_att_kwargs["treatment"]
    covariates = list(estimate_att_kwargs.get("covariates") or [])
    rows, results = [], {}
    for variable in names:
        for group, part in data.groupby(variable, sort=True):
            n_treated = int(part[treatment].astype(float).sum())
            row = {"variable": variable, "group": group, "n_treated": n_treated,
                   "n_control": len(part) - n_treated}
            if n_treated < min_treated or row["n_control"] < min_control:
                rows.append({**row, "note": f"too small (needs {min_treated} treated and "
                                            f"{min_control} controls)"})
                continue
            used = (select_covariates(part, covariates) if select_covariates
                    else [c for c in covariates if part[c].nunique() > 1])
            try:
                res = estimate_att(part, **{**estimate_att_kwargs, "covariates": used})
            except ValueError as exc:
                rows.append({**row, "note": f"not estimated: {exc}"})
                continue
            results[(variable, group)] = res
            rows.append({**row, **_numbers(res), "note": _note(res, covariates, used)})
    table = pd.DataFrame(rows, columns=["variable", "group", *COLUMNS])
    table = table.astype({c: float for c in COLUMNS[2:6]}).set_index(["variable", "group"])
    return SubgroupResults(table, results, method=estimate_att_kwargs["method"],
                           outcome=estimate_att_kwargs["outcome"], by=names)


def _check(data: pd.DataFrame, names: list[str], min_treated: int, min_control: int,
           kwargs: dict) -> None:
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame; got {type(data).__name__}.")
    if not names:
        raise ValueError("by must name at least one grouping column.")
    absent = [c for c in names if c not in data.columns]
    if absent:
        raise ValueError(f"data has no grouping column(s) named {', '.join(map(repr, absent))}.")
    for label, value in (("min_treated", min_treated), ("min_control", min_control)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 2:
            raise ValueError(f"{label} must be an integer of at least 2; got {value!r}.")
    missing = [k for k in ("treatment", "outcome", "method") if k not in kwargs]
    if missing:
        raise ValueError(f"subgroup_effects needs {', '.join(missing)} for estimate_att.")
    if kwargs["treatment"] not in data.columns:
        raise ValueError(f"data has no column named {kwargs['treatment']!r}.")


def _numbers(res: AttResults) -> dict:
    return {"n_treated": res.n_treated, "n_control": res.n_control, "estimate": res.estimate,
            "std_error": res.std_error, "ci_low": res.ci_low, "ci_high": res.ci_high}


def _note(res: AttResults, covariates: list[str], used: list[str]) -> str:
    parts = []
    constant = [c for c in covariates if c not in used]
    if constant:
        parts.append(f"dropped here (constant or redundant): {', '.join(constant)}")
    if not res.all_treated:
        parts.append(f"ATT on the overlap ({res.n_treated_dropped} treated dropped)")
    return "; ".join(parts)
