"""Calendar periods as the research extract releases them.

An extract never carries a day. Each date becomes a calendar month, written ``YYYY-MM``; where
k-anonymity needs it, a date that is a quasi-identifier is coarsened further to a quarter
(``YYYY-Qn``) or a year (``YYYY``), or withheld (missing). Analyses read such a column with
:func:`bounds`, which gives the first and the last month the period may stand for, or with
:func:`months`, which insists on whole months.

What an outcome "on a date" means at month precision: *in work at the end of month M* is true
when a work spell started in M or before, and ended (the next status began) after M. From
months alone this is exact for the last day of M, so the extract loses nothing that the
point-in-time outcomes need.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

LEVELS = ("month", "quarter", "year")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def month_text(day: dt.date | None) -> str | None:
    """``2025-03`` for any day of March 2025; None stays None."""
    return None if day is None or pd.isna(day) else f"{day.year:04d}-{day.month:02d}"


def coarsen(text: str | None, level: str) -> str | None:
    """A month (or a coarser period) written at ``level``: month, quarter or year."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}; got {level!r}.")
    if text is None or pd.isna(text):
        return None
    first, _last = _parse(text)
    if LEVELS.index(level) < LEVELS.index(level_of(text)):
        raise ValueError(f"{text!r} is a {level_of(text)}; it cannot be made a {level}.")
    if level == "month":
        return text
    if level == "quarter":
        return f"{first.year:04d}-Q{first.quarter}"
    return f"{first.year:04d}"


def level_of(text: str) -> str:
    """``month``, ``quarter`` or ``year``."""
    for level, pattern in zip(LEVELS, (_MONTH, _QUARTER, _YEAR), strict=True):
        if pattern.match(text):
            return level
    raise ValueError(f"{text!r} is not a period of the extract (YYYY-MM, YYYY-Qn or YYYY).")


def _parse(text: str) -> tuple[pd.Period, pd.Period]:
    level = level_of(text)
    if level == "month":
        month = pd.Period(text, freq="M")
        return month, month
    if level == "quarter":
        year, quarter = _QUARTER.match(text).groups()
        first = pd.Period(year=int(year), month=3 * int(quarter) - 2, freq="M")
        return first, first + 2
    first = pd.Period(year=int(text), month=1, freq="M")
    return first, first + 11


def bounds(column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The first and last month each period may stand for (``Period[M]``; missing stays NaT)."""
    values = column.astype("object")
    parsed = {text: _parse(text) for text in values.dropna().unique()}
    # Looked up by a dict, not a function per row.
    first = values.map({text: pair[0] for text, pair in parsed.items()})
    last = values.map({text: pair[1] for text, pair in parsed.items()})
    return first.astype("period[M]"), last.astype("period[M]")


def months(column: pd.Series) -> pd.Series:
    """A column of whole months as ``Period[M]``; refuses a coarser period."""
    first, last = bounds(column)
    coarse = first.notna() & (first != last)
    if coarse.any():
        example = column[coarse].iloc[0]
        raise ValueError(f"Column {column.name!r} holds coarsened periods such as {example!r}, "
                         "where whole months are needed.")
    return first


def month_number(column: pd.Series) -> pd.Series:
    """Months (``Period[M]``) as integers (year × 12 + month − 1), so that differences are
    counts of months; missing stays missing (``Int64``)."""
    values = pd.Series(column, copy=False).astype("period[M]")
    numbers = (values.dt.year * 12 + values.dt.month - 1).astype("Int64")
    return numbers.mask(values.isna())


def first_day(text: str) -> dt.date:
    """The first day a period (month, quarter or year) covers."""
    first, _last = _parse(text)
    return dt.date(first.year, first.month, 1)
