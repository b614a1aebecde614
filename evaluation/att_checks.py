"""Argument and data checks of ``estimate_att``: each refusal is a ValueError sentence."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real

import numpy as np
import pandas as pd
from pandas.api import types as ptypes


def _is_int(value) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _is_real(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def check_options(method: str, methods: tuple[str, ...], trim, crump_alpha: float, n_boot: int,
                  n_neighbors: int, caliper: float | None, variance_neighbors: int,
                  bias_correction: bool, label: str | None) -> None:
    """Refuse bad arguments before the data are read."""
    if method not in methods:
        raise ValueError(f"method must be one of {', '.join(map(repr, methods))}; "
                         f"got {method!r}.")
    _check_trim(trim)
    if not _is_real(crump_alpha) or not 0 < crump_alpha < 0.5:
        raise ValueError(f"crump_alpha must be a number in (0, 0.5); got {crump_alpha!r}.")
    if not _is_int(n_boot) or n_boot < 0 or n_boot == 1:
        raise ValueError("n_boot must be 0 (analytic standard errors) or an integer of at "
                         f"least 2; got {n_boot!r}.")
    if method == "psm" and n_boot:
        raise ValueError("The bootstrap is not valid for nearest-neighbour matching (Abadie & "
                         "Imbens 2008, Econometrica 76(6)); use n_boot=0 for the Abadie-Imbens "
                         "standard error.")
    for name, value in (("n_neighbors", n_neighbors), ("variance_neighbors", variance_neighbors)):
        if not _is_int(value) or value < 1:
            raise ValueError(f"{name} must be a positive integer; got {value!r}.")
    if caliper is not None and (not _is_real(caliper) or not caliper > 0):
        raise ValueError(f"caliper must be None or a positive number of standard deviations; "
                         f"got {caliper!r}.")
    if not isinstance(bias_correction, bool | np.bool_):
        raise ValueError(f"bias_correction must be True or False; got {bias_correction!r}.")
    if method != "psm" and (caliper is not None or bias_correction or n_neighbors != 1):
        raise ValueError("n_neighbors, caliper and bias_correction apply to method='psm' only; "
                         f"got method={method!r}.")
    if label is not None and not isinstance(label, str):
        raise ValueError(f"label must be a string or None; got {type(label).__name__}.")


def _check_trim(trim) -> None:
    if trim is None or (isinstance(trim, str) and trim in ("support", "crump")):
        return
    ok = (not isinstance(trim, str) and isinstance(trim, Sequence) and len(trim) == 2
          and all(_is_real(v) for v in trim))
    if not ok or not 0 <= trim[0] < trim[1] <= 1:
        raise ValueError("trim must be None, 'support', 'crump' or a pair (low, high) of "
                         f"quantiles with 0 <= low < high <= 1; got {trim!r}.")


def prepare(data: pd.DataFrame, treatment: str, outcome: str,
            covariates: Sequence[str] | None, cluster: str | None,
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], np.ndarray | None]:
    """Outcome, treatment, covariate matrix, covariate names and cluster codes (or None)."""
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame; got {type(data).__name__}.")
    names = [covariates] if isinstance(covariates, str) else list(covariates or [])
    used = [treatment, outcome, *names, *([cluster] if cluster is not None else [])]
    if len(set(used)) != len(used):
        raise ValueError("treatment, outcome, covariates and cluster must be distinct columns; "
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
    groups = None
    if cluster is not None:
        groups = pd.factorize(data[cluster], sort=True)[0].astype(np.int64)
        if groups.max() < 1:
            raise ValueError(f"Cluster column {cluster!r} has a single cluster; cluster-robust "
                             "standard errors need at least 2.")
    return y, t, X, names, groups


def _numeric(column: pd.Series, name: str) -> np.ndarray:
    if not (ptypes.is_numeric_dtype(column) or ptypes.is_bool_dtype(column)):
        raise ValueError(f"Column {name!r} has dtype {column.dtype}, not numbers or booleans; "
                         "encode it numerically (for categories, as dummy columns).")
    values = column.to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise ValueError(f"Column {name!r} contains infinite values.")
    return values
