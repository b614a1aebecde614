"""The covariates of the training evaluation, measured on a course's start month, as the
extract's k-anonymity leaves them: bands read at their middle, a withheld value filled and
flagged, districts and start years as indicators, and the set of them an estimate can use."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from casework.vocab import EDUCATION
from evaluation.blas import one_blas_thread
from evaluation.hierarchies import EDUCATION_GROUPS

BASE_COVARIATES = ("age", "male", "education_rank", "months_out", "months_registered",
                   "prior_wage", "has_prior_wage", "hardship")
WITHHOLDABLE = ("age", "male", "education_rank", "hardship")
_RANK = {e: float(i) for i, e in enumerate(EDUCATION)}
_RANK |= {g: float(np.mean([_RANK[e] for e, grp in EDUCATION_GROUPS.items() if grp == g]))
          for g in set(EDUCATION_GROUPS.values())}


def band_mid(band: pd.Series, open_end: float = 5) -> pd.Series:
    """The middle of a band ``lo-hi``; ``lo+`` counts as ``lo + open_end``."""
    def mid(b):
        if not isinstance(b, str):
            return np.nan
        bounds = [float(v) for v in re.findall(r"\d+", b)]
        return (bounds[0] + bounds[1]) / 2 if len(bounds) == 2 else bounds[0] + open_end
    return per_value(band, mid)


def per_value(column: pd.Series, func) -> pd.Series:
    """``column.map(func)`` as floats, calling ``func`` once per distinct value rather than
    once per row (a million rows hold a few dozen bands)."""
    values = column.astype("object")
    codes, uniques = pd.factorize(values)
    found = np.array([func(u) for u in uniques] + [func(None)], dtype=float)
    return pd.Series(found[codes], index=column.index, dtype=float)


def with_covariates(pairs: pd.DataFrame, last_work_end: np.ndarray) -> pd.DataFrame:
    """Measured on the course's start month; ``last_work_end``: per pair, the month the
    person's latest work spell ended among those ended by the month before the start (NaN
    when none had; ``evaluation.cohorts.outcome_facts``), when their time out of work began."""
    reg_mid = (pairs["reg_first"] + pairs["reg_last"]) / 2
    ended = pd.Series(last_work_end, index=pairs.index)
    began = ended.where(ended.notna(), pairs["out_mid"]).fillna(reg_mid)
    education = pairs["education"].astype("object")
    groups = {e: EDUCATION_GROUPS.get(e, e) for e in education.dropna().unique()}
    columns = dict(
        age=band_mid(pairs["age_band"]),  # at registration; time since is months_registered
        male=pairs["sex"].map({"M": 1.0, "F": 0.0}),
        education_rank=education.map(_RANK).astype(float),
        education_group=education.map(groups).where(education.notna(), education),
        months_out=(pairs["start"] - began).clip(lower=0).astype(float),
        months_registered=(pairs["start"] - reg_mid).clip(lower=0).astype(float),
        has_prior_wage=pairs["prior_wage"].notna().astype(float),
        prior_wage=pd.to_numeric(pairs["prior_wage"]).fillna(0.0).astype(float),
        hardship=pairs["hardship"].astype("float"),
        start_year=(pairs["start"] // 12).astype(int))
    for name, values in columns.items():  # in place: the pairs are the design's own
        pairs[name] = values
    return _fill_withheld(pairs)


def _fill_withheld(pairs: pd.DataFrame) -> pd.DataFrame:
    """A covariate the extract withheld for anonymity is filled (a number with its mean, a
    yes/no with no), and an indicator ``<name>_withheld`` says so (the comparison then holds
    that equal too)."""
    for name in WITHHOLDABLE:
        missing = pairs[name].isna()
        if missing.any():
            pairs[f"{name}_withheld"] = missing.astype(float)
            known = pairs.loc[~missing, name]
            fill = 0.0 if known.empty or known.isin((0, 1)).all() else known.mean()
            pairs[name] = pairs[name].fillna(fill)
    return pairs


def varying(frame: pd.DataFrame, names: list[str]) -> list[str]:
    """The indicators present that take both values (a constant one would be collinear)."""
    return [n for n in names if n in frame and frame[n].nunique() > 1]


def with_dummies(frame: pd.DataFrame, min_each: int) -> tuple[pd.DataFrame, list[str]]:
    """One indicator per district and per start year but the first, where both groups have
    at least ``min_each`` rows (rarer values join the reference group). They are added to
    ``frame`` itself (the design's own; a copy of a million rows cost a second)."""
    columns = {}
    for name in ("district", "start_year"):
        counts = pd.crosstab(frame[name], frame["treat"]).reindex(columns=[0, 1], fill_value=0)
        usable = sorted(counts.index[(counts[0] >= min_each) & (counts[1] >= min_each)])
        for value in usable[1:]:
            columns[f"{name}_{value}"] = (frame[name] == value).astype(float)
    for name, values in columns.items():
        frame[name] = values
    return frame, list(columns)


@one_blas_thread
def independent_covariates(frame, covariates: Sequence[str], *, min_each: int = 5
                           ) -> list[str]:
    """The covariates in order, leaving out an indicator that fewer than ``min_each`` treated
    or controls have (or lack), since alone it would all but separate the groups, and each
    covariate collinear with those before it (among all rows, or among the controls the
    outcome models are fitted on): indicators the extract's coarsening made identical, say."""
    treated = frame["treat"] == 1
    kept = [name for name in covariates if not _rare_indicator(frame[name], treated, min_each)]
    for rows in (frame, frame[~treated]):
        kept = _not_collinear(rows[kept].to_numpy(dtype=float), kept)
    return kept


def _not_collinear(values: np.ndarray, names: list[str], tolerance: float = 1e-9) -> list[str]:
    """The columns, in order, that are not constant nor a linear combination of those kept
    before them: a column goes when less than ``tolerance`` of its variance is left once
    regressed on them (worked on the p × p correlation matrix, not the n rows, for speed)."""
    centred = values - values.mean(axis=0)
    scale = np.sqrt((centred**2).mean(axis=0))
    usable = scale > 0
    z = np.where(usable, centred / np.where(usable, scale, 1), 0.0)
    gram = z.T @ z / len(z)
    chosen: list[int] = []
    for j in np.flatnonzero(usable):
        left = gram[j, j]
        if chosen:
            inner = gram[np.ix_(chosen, chosen)]
            left -= gram[j, chosen] @ np.linalg.solve(inner, gram[chosen, j])
        if left > tolerance:
            chosen.append(int(j))
    return [names[j] for j in chosen]


def _indicator(column: pd.Series) -> np.ndarray | None:
    """The column's values as a numpy array if it holds only 0 and 1, else None (numpy's
    comparisons: pandas' ``isin`` hashed a million floats per covariate)."""
    if not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)):
        return None if not column.isin((0, 1)).all() else column.to_numpy(dtype=float)
    values = column.to_numpy()
    return values if ((values == 0) | (values == 1)).all() else None


def _rare_indicator(column, treated, min_each: int) -> bool:
    values = _indicator(column)
    if values is None:
        return False
    treated = np.asarray(treated, dtype=bool)
    cells = [int(((values == v) & group).sum()) for v in (0, 1) for group in (treated, ~treated)]
    return min(cells) < min_each


def outside_treated_support(frame: pd.DataFrame, covariates: Sequence[str]) -> pd.Series:
    """True for controls with a value of an indicator that no treated row has.

    Such controls could not have been treated (their propensity is 0: in the demo, say, people
    enrol only at the first course they could take), so they are off the treated's support and
    leave the comparison; the ATT is unchanged, as with the default trimming of controls.
    """
    treated = (frame["treat"] == 1).to_numpy()
    outside = np.zeros(len(frame), dtype=bool)
    for name in covariates:
        values = _indicator(frame[name])
        if values is None:
            continue
        for value in (0, 1):
            if not ((values == value) & treated).any():
                outside |= (values == value) & ~treated
    return pd.Series(outside, index=frame.index)
