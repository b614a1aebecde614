"""k-anonymity over the quasi-identifiers of the persons table: coarsen, then suppress."""

from __future__ import annotations

import pandas as pd

QUASI_IDENTIFIERS = ("age_band", "sex", "street", "education")
EDUCATION_GROUPS = {"none": "basic", "primary": "basic", "junior_middle": "basic",
                    "senior_middle": "secondary", "vocational": "secondary",
                    "college": "higher", "university": "higher"}


def small_cells(frame: pd.DataFrame, k: int) -> pd.Series:
    """True for rows whose combination of quasi-identifiers occurs fewer than k times."""
    keys = frame[list(QUASI_IDENTIFIERS)].astype("string").fillna("<NA>")
    sizes = keys.groupby(list(QUASI_IDENTIFIERS), dropna=False)[keys.columns[0]].transform("size")
    return sizes < k


def make_k_anonymous(persons: pd.DataFrame, *, k: int) -> tuple[pd.DataFrame, int, int]:
    """Return the frame with every quasi-identifier cell of size ≥ k, and how many rows were
    coarsened and suppressed.

    Rows in small cells first lose their street (the district stays), then have education
    grouped into basic/secondary/higher; rows still in a small cell have all four
    quasi-identifiers suppressed (set to missing).
    """
    frame = persons.copy()
    if frame.empty:
        return frame, 0, 0
    frame["street"] = frame["street"].astype("object")
    small = small_cells(frame, k)
    coarsened = small.copy()
    frame.loc[small, "street"] = None
    small = small_cells(frame, k)
    coarsened |= small
    frame.loc[small, "education"] = frame.loc[small, "education"].map(EDUCATION_GROUPS)
    small = small_cells(frame, k)
    for column in QUASI_IDENTIFIERS:
        frame.loc[small, column] = None
    return frame, int(coarsened.sum()), int(small.sum())
