"""Generalisation ladders of the quasi-identifiers: how each may be coarsened, rung by rung.

A ladder writes one or more columns. Its rungs run from the value as recorded (finest) to the
coarsest value that still says something; above the last rung the columns are missing. The
extract's k-anonymity (``evaluation.anonymity``) climbs a ladder only for the rows that need it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from casework.policy import JOBSEEKERS
from evaluation import periods

AGE_BANDS = ((16, 24), (25, 34), (35, 44), (45, 54), (55, 120))
WIDE_AGE_BANDS = {"16-24": "16-34", "25-34": "16-34", "35-44": "35-54", "45-54": "35-54",
                  "55+": "55+"}
EDUCATION_GROUPS = {"none": "basic", "primary": "basic", "junior_middle": "basic",
                    "senior_middle": "secondary", "vocational": "secondary",
                    "college": "higher", "university": "higher"}
JOBSEEKER, OTHER = "jobseeker", "other"
MONTHS_OUT_OPEN = 24  # months out of work from which one band holds all
MONTHS_OUT_WIDE = {"0-2": "0-5", "3-5": "0-5", "6-8": "6-11", "9-11": "6-11", "12-14": "12-23",
                   "15-17": "12-23", "18-20": "12-23", "21-23": "12-23", "24+": "24+"}
MONTHS_OUT_WIDEST = {"0-5": "0-11", "6-11": "0-11", "12-23": "12+", "24+": "12+"}


def age_band(age: int) -> str:
    """``16-24`` … ``55+`` (ages under 16 count as 16)."""
    age = max(age, 16)
    return next(f"{lo}-{hi}" if hi < 120 else f"{lo}+" for lo, hi in AGE_BANDS if age <= hi)


def months_out_band(months: int | None) -> str | None:
    """``0-2``, ``3-5`` … ``21-23``, ``24+`` (None stays None: never out of work)."""
    if months is None or pd.isna(months):
        return None
    months = max(int(months), 0)
    if months >= MONTHS_OUT_OPEN:
        return f"{MONTHS_OUT_OPEN}+"
    low = months - months % 3
    return f"{low}-{low + 2}"


def category_group(category: str | None) -> str | None:
    """``jobseeker`` for the categories that may be offered training, else ``other``."""
    if category is None or pd.isna(category):
        return None
    return JOBSEEKER if category in JOBSEEKERS else OTHER


@dataclass(frozen=True)
class Ladder:
    """A quasi-identifier's columns and how to coarsen them.

    ``rungs(frame)`` gives one frame of the ladder's columns per rung, finest first; the rung
    above the last is all missing.
    """

    name: str
    columns: tuple[str, ...]
    rungs: Callable[[pd.DataFrame], list[pd.DataFrame]]

    @property
    def depth(self) -> int:
        """How many rungs the ladder has (not counting the missing value above them)."""
        return len(self.rungs(pd.DataFrame(columns=list(self.columns), dtype="object")))


def flag(column: str) -> Ladder:
    """A value shown as it is, or withheld (sex, the hardship flag)."""
    return Ladder(column, (column,), lambda f: [f[[column]].astype("object")])


def mapped(column: str, *maps: dict | Callable) -> Ladder:
    """The value, then its image under each map in turn (age band → wide band; education →
    basic/secondary/higher; category → jobseeker/other)."""

    def rungs(frame: pd.DataFrame) -> list[pd.DataFrame]:
        values = frame[column].astype("object")
        out = [values]
        for step in maps:
            out.append(out[-1].map(step).astype("object"))
        return [v.to_frame(column) for v in out]

    return Ladder(column, (column,), rungs)


def place(district: str = "district", street: str = "street") -> Ladder:
    """The street and its district, then the district alone (a missing street means the
    district's)."""

    def rungs(frame: pd.DataFrame) -> list[pd.DataFrame]:
        both = frame[[district, street]].astype("object")
        return [both, both.assign(**{street: None})]

    return Ladder("place", (district, street), rungs)


def period(column: str) -> Ladder:
    """A month (``YYYY-MM``), then its quarter (``YYYY-Qn``), then its year (``YYYY``)."""

    def rungs(frame: pd.DataFrame) -> list[pd.DataFrame]:
        months = frame[column].astype("object")
        texts = {m: (periods.coarsen(m, "quarter"), periods.coarsen(m, "year"))
                 for m in months.dropna().unique()}
        out = [months]
        for i in (0, 1):
            out.append(months.map(lambda m, i=i: texts[m][i] if m in texts else None)
                       .astype("object"))
        return [v.to_frame(column) for v in out]

    return Ladder(column, (column,), rungs)


AGE = mapped("age_band", WIDE_AGE_BANDS)
EDUCATION = mapped("education", EDUCATION_GROUPS)
CATEGORY = mapped("category", category_group)
MONTHS_OUT = mapped("months_out_at_registration", MONTHS_OUT_WIDE, MONTHS_OUT_WIDEST)
