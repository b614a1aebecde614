"""The truth the demo plants, in the training evaluation's own terms: for tests only.

For everyone who enrolled, the demo follows two paths on the same random numbers: the one with
the course (recorded in the ledger) and the one without. The truth is the *sample ATT*: the mean
over the treated of the outcome with the course minus the outcome without it. Nothing in
``evaluation`` may read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from statistics import fmean

from casework import demo_spells as spells

HORIZONS = (3, 6, 12)
OUTCOMES = tuple(f"{kind}_{h}m" for kind in ("employed", "wage") for h in HORIZONS)
GROUPS = ("sex", "age_band", "education", "district", "kind")
AGE_BANDS = ((16, 24), (25, 34), (35, 44), (45, 54), (55, 200))  # as the extract bands ages
DEFINITIONS = (
    "Months are calendar months, as the research extract releases dates. In work at the end of "
    "month M: a work spell (employed, flexible or self_employed) began on or before the last "
    "day of M and the next status began after it. Offer course: the first course in the "
    "person's street starting on or after their registration date; its end month is the "
    "reference month. Eligible at a course: a jobseeker registered in or before its start "
    "month, of working age at its start, and out of work at the end of the month before its "
    "start month; only the eligible enrol, and in the demo only at their offer course, while it "
    "has seats (60 at most; course_full counts those turned away, who are not treated). Early "
    "job-finders: jobseekers of working age with an offer course who are in work at the end of "
    "the month before its start month (they found work after registering). "
    "held_job_before_course: eligible people who began work after registering and were out of "
    "work again by the end of the month before the start month. Months out of work "
    "at the course start: its start month minus the month the current time out of work began "
    "(the latest work spell's end, else out_of_work_since). employed_Xm: in work at the end of "
    "month reference + X; wage_Xm: the monthly wage of the work spell in force then (0 when "
    "not in work); an outcome counts only once its month has ended by the as-of date. "
    "att_enrolled: the effect of enrolling (intention to treat; dropouts are treated); "
    "att_completed: the effect of completing (completers only). Each is the sample ATT, the "
    "mean over the treated of Y(1) - Y(0), from both potential paths simulated on common "
    "random numbers. Dropouts get no effect: their Y(1) is their Y(0). An enrollee whose path "
    "without the course starts a job between the first day of the start month and the course's "
    "end date drops out for it (found_job, on the later of the job's start and the course "
    "start); others drop out at random for other reasons; the rest complete, so completers are "
    "selected on having no such job. Age band: age at registration.")


def age_band(birth: dt.date, registered: dt.date) -> str:
    age = registered.year - birth.year - ((registered.month, registered.day)
                                          < (birth.month, birth.day))
    low, high = next(b for b in AGE_BANDS if max(age, 16) <= b[1])
    return f"{low}-{high}" if high < 200 else f"{low}+"


def last_seen(as_of: dt.date) -> int:
    """The last month whose end the ledger has seen on ``as_of``."""
    month = spells.month_of(as_of)
    return month if spells.last_day(month) == as_of else month - 1


@dataclass(frozen=True)
class Treated:
    """One person who enrolled: groups, and the outcomes with and without the course (only
    those observed by the as-of date)."""

    completed: bool
    groups: dict[str, str]
    with_course: dict[str, float]
    without: dict[str, float]


def outcomes(changes: list[spells.Change], reference: int, seen: int) -> dict[str, float]:
    """The outcomes of a path, for a course that ended in month ``reference``."""
    out = {}
    for h in HORIZONS:
        if reference + h <= seen:
            working, wage = spells.in_work_at_end(changes, reference + h)
            out[f"employed_{h}m"], out[f"wage_{h}m"] = float(working), float(wage)
    return out


def att(treated: list[Treated]) -> dict:
    """The sample ATT of each outcome, ``n``, and how many had each outcome observed."""
    result, observed = {}, {}
    for name in OUTCOMES:
        lifts = [t.with_course[name] - t.without[name] for t in treated if name in t.without]
        result[name] = round(fmean(lifts), 4) if lifts else None
        observed[name] = len(lifts)
    return result | {"n": len(treated), "n_observed": observed}


def by_group(treated: list[Treated], outcome: str = "employed_6m") -> dict:
    """``{group: {value: {"att": ..., "n": ...}}}`` for one outcome."""
    out = {}
    for group in GROUPS:
        values = sorted({t.groups[group] for t in treated})
        out[group] = {}
        for value in values:
            lifts = [t.with_course[outcome] - t.without[outcome] for t in treated
                     if t.groups[group] == value and outcome in t.without]
            out[group][value] = {"att": round(fmean(lifts), 4) if lifts else None,
                                 "n": len(lifts)}
    return out


def truth(treated: list[Treated], counts: dict, *, effect: float, wage_effect: int,
          model: dict) -> dict:
    """The truth file's content (``settings`` is added by the caller)."""
    completed = [t for t in treated if t.completed]
    enrolled, done = att(treated), att(completed)
    return {
        "training_effect_employed_6m": effect, "wage_effect_yuan": wage_effect,
        "att_enrolled": enrolled, "att_completed": done,
        "att_by_group": {"enrolled": by_group(treated), "completed": by_group(completed)},
        "att_by_group_outcome": "employed_6m",
        "counts": counts,
        # Kept for tests written against the first demo: the effect of completing.
        "sample_att_employed_6m": done["employed_6m"], "sample_att_wage_6m": done["wage_6m"],
        "n_completed": len(completed), "n_enrolled": len(treated),
        "model": model, "definitions": DEFINITIONS,
    }
