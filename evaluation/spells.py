"""Who was in work at the end of a given month, read from the extract's employment spells.

The ``employment`` table has one row per status spell: ``start_month`` (missing when the spell
began before the person registered) and ``end_month`` (the month the next status began; missing
while it goes on). A person is *in work at the end of month M* when a work spell started in M or
before and ended after M. That is a point in time: a job held earlier and lost since does not
count, unlike "ever employed by M".

Months are handled as integers (year × 12 + month − 1, see :func:`evaluation.periods.month_number`)
so that "six months after" is plain addition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation import periods

WORKING = ("employed", "flexible", "self_employed")
EARLIEST = np.iinfo(np.int64).min // 2  # a spell that began before registration
ONGOING = np.iinfo(np.int64).max // 2  # a spell that had not ended by the extract's as-of date


def month_ints(column: pd.Series, *, missing: int) -> np.ndarray:
    """Whole months of ``column`` as integers, ``missing`` where the value is missing."""
    numbers = periods.month_number(periods.months(column))
    return numbers.fillna(missing).to_numpy(dtype=np.int64)


def work_spells(employment: pd.DataFrame) -> pd.DataFrame:
    """The work spells only: ``pid``, ``start``, ``end`` (integer months) and ``wage``."""
    work = employment[employment["status"].isin(WORKING)]
    return pd.DataFrame({
        "pid": work["pid"].to_numpy(),
        "start": month_ints(work["start_month"], missing=EARLIEST),
        "end": month_ints(work["end_month"], missing=ONGOING),
        "wage": pd.to_numeric(work["monthly_wage"], errors="coerce").fillna(0.0).to_numpy(),
    })


def in_work_at(pid: pd.Series, month: pd.Series, spells: pd.DataFrame) -> pd.DataFrame:
    """For each (person, month) pair: ``in_work`` at the end of that month, and the ``wage`` of
    the work spell in force then (the latest begun, if several overlap; 0 when not in work).

    ``pid`` and ``month`` share an index; the result has the same index.
    """
    hits = _with_spells(pid, month, spells)
    hits = hits[(hits["start"] <= hits["month"]) & (hits["end"] > hits["month"])]
    latest = hits.sort_values(["row", "start"]).drop_duplicates("row", keep="last")
    in_work = np.zeros(len(pid), dtype=bool)
    wage = np.zeros(len(pid))
    in_work[latest["row"].to_numpy()] = True
    wage[latest["row"].to_numpy()] = latest["wage"].to_numpy()
    return pd.DataFrame({"in_work": in_work, "wage": wage}, index=pid.index)


def last_work_end(pid: pd.Series, month: pd.Series, spells: pd.DataFrame) -> pd.Series:
    """For each (person, month): the month the person's latest work spell ended, among spells
    ended by then (missing when none had): when the current time out of work began."""
    hits = _with_spells(pid, month, spells)
    hits = hits[hits["end"] <= hits["month"]]
    ended = hits.groupby("row")["end"].max()
    out = pd.Series(np.nan, index=range(len(pid)))
    out[ended.index] = ended.to_numpy(dtype=float)
    return pd.Series(out.to_numpy(), index=pid.index)


def _with_spells(pid: pd.Series, month: pd.Series, spells: pd.DataFrame) -> pd.DataFrame:
    """Each (person, month) query, numbered ``row`` in order, beside each of their spells."""
    queries = pd.DataFrame({"pid": pid.to_numpy(), "month": month.to_numpy(dtype=np.int64),
                            "row": np.arange(len(pid))})
    return queries.merge(spells, on="pid")
