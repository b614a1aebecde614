"""Training outcomes: who completed, who was employed 3, 6 and 12 months on, at what wage,
and how long placement took (Kaplan–Meier, by course subject or kind).

Outcomes group enrolments by their own ``occupation`` and ``kind`` columns, so people whose
street the extract withholds (and whose enrolments therefore have no ``course_id``) still count.
Where the extract withholds an enrolment's subject too, it counts in the group ``withheld``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from evaluation import periods
from evaluation.loading import Extract
from evaluation.results import _SummaryMixin
from evaluation.spells import WORKING

GROUPINGS = ("occupation", "kind")
WITHHELD = "withheld"  # the group of enrolments whose subject (or kind) the extract withholds


class OutcomeResults(_SummaryMixin):
    """Outcomes per course subject or kind; ``table`` has one row per group."""

    _title = "Training outcomes"

    def __init__(self, table: pd.DataFrame, by: str) -> None:
        self._table, self._by = table, by

    @property
    def table(self) -> pd.DataFrame:
        return self._table.copy()

    @property
    def by(self) -> str:
        return self._by

    def _header_rows(self) -> list[tuple[str, str]]:
        total = self._table
        rows = [("Grouped by", self._by), ("Trainees", str(int(total["trainees"].sum()))),
                ("Completed", str(int(total["completed"].sum())))]
        if WITHHELD in total.index:
            rows.append(("Note", f"'{WITHHELD}': enrolments whose {self._by} the extract "
                                 "withholds, since it would give a withheld street back"))
        return rows

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Outcomes among those who completed, from the follow-ups", self._table)]

    def _frame_row(self) -> tuple[str, dict]:
        total = self._table
        return self._by, {"trainees": int(total["trainees"].sum()),
                          "completed": int(total["completed"].sum())}


def training_outcomes(extract: Extract, *, by: str = "occupation") -> OutcomeResults:
    """Completion, employment at 3/6/12 months, wage and contract length per group.

    Parameters
    ----------
    extract : Extract
        What ``evaluation.load_extract(DIR)`` returns.
    by : str
        ``occupation`` (course subject) or ``kind``, as the enrolment records it: people
        whose street is withheld, so whose enrolments link to no course, count too (in the
        group ``withheld`` where the extract also withholds the subject).

    A follow-up counts once recorded, i.e. once ``employed`` is filled in (its months are
    withheld together with the street).
    """
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}.")
    enrolled = extract.enrolments.assign(**{by: extract.enrolments[by].astype("object").fillna(
        WITHHELD)})
    follow = extract.follow_ups[extract.follow_ups["employed"].notna()].merge(
        enrolled[["enrolment_id", by]], on="enrolment_id")
    table = enrolled.groupby(by).agg(trainees=("pid", "size"),
                                     completed=("status", lambda s: int((s == "completed").sum())))
    table["completion_rate"] = table["completed"] / table["trainees"]
    for months in (3, 6, 12):
        rows = follow[follow["months"] == months]
        table[f"employed_{months}m"] = rows["employed"].astype(float).groupby(rows[by]).mean()
    six = follow[(follow["months"] == 6) & (follow["employed"] == True)]  # noqa: E712
    table["median_wage_6m"] = six.groupby(by)["monthly_wage"].median()
    table["mean_contract_months_6m"] = six.groupby(by)["contract_months"].mean()
    return OutcomeResults(table.sort_values("trainees", ascending=False), by)


class PlacementCurves(_SummaryMixin):
    """Kaplan–Meier curves of months from course end to a job, one per group."""

    _title = "Time to placement after the course (Kaplan–Meier)"

    def __init__(self, fitters: dict, by: str, medians: pd.DataFrame, unlinked: int = 0
                 ) -> None:
        self._fitters, self._by, self._medians = fitters, by, medians
        self._unlinked = unlinked

    @property
    def unlinked(self) -> int:
        """Completed enrolments left out: they link to no course (the person's street is
        withheld), so the month the course ended, where the clock starts, is unknown."""
        return self._unlinked

    @property
    def medians(self) -> pd.DataFrame:
        return self._medians.copy()

    @property
    def fitters(self) -> dict:
        """The fitted ``lifelines.KaplanMeierFitter`` of each group."""
        return dict(self._fitters)

    def _header_rows(self) -> list[tuple[str, str]]:
        return [("Grouped by", self._by), ("Groups", str(len(self._fitters))),
                ("Left out", f"{self._unlinked} completed enrolments without a course link "
                             "(street withheld), so without the month the course ended")]

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Median months to a job, and share placed within 6 months", self._medians)]

    def _frame_row(self) -> tuple[str, dict]:
        return self._by, {"groups": len(self._fitters)}

    def plot(self, *, title: str = "", xlabel: str = "", ylabel: str = ""):
        """A matplotlib Figure: the share still without a job, by months since the course."""
        import matplotlib.pyplot as plt

        from evaluation.plotting import use_cjk_font

        use_cjk_font()
        figure, axes = plt.subplots(figsize=(7, 4))
        for fitter in self._fitters.values():
            fitter.plot_survival_function(ax=axes, ci_show=False)
        axes.set_title(title)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        figure.tight_layout()
        plt.close(figure)
        return figure


def time_to_placement(extract: Extract, *, by: str = "kind", labels: dict | None = None
                      ) -> PlacementCurves:
    """Months from the end of a completed course to the first job, censored at the extract's
    as-of month.

    ``labels`` maps group codes to the names shown in the legend (e.g. in Chinese).

    The clock starts in the month the course ended, which only the course row holds; a job
    begun in that month counts as found after 0 months. People whose street the extract
    withholds have no ``course_id`` on their enrolments, so they drop out of the curves
    (unlike in :func:`training_outcomes`); ``unlinked`` on the result, and its summary, say
    how many completed enrolments that leaves out.
    """
    from lifelines import KaplanMeierFitter

    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}.")
    completed = extract.enrolments[extract.enrolments["status"] == "completed"]
    linked = completed["course_id"].notna()
    done = completed[linked].merge(extract.courses[["course_id", "end_month"]], on="course_id")
    done = done.assign(end=_month_numbers(done["end_month"]))
    work = extract.employment[extract.employment["status"].isin(WORKING)
                              & extract.employment["start_month"].notna()]
    jobs = work.assign(start=_month_numbers(work["start_month"]))[["pid", "start"]].merge(
        done[["pid", "end"]], on="pid")
    first = jobs[jobs["start"] >= jobs["end"]].groupby("pid")["start"].min()
    censor = _as_of_month(extract.manifest)
    start = done.set_index("pid")["end"]
    stop = first.reindex(start.index)
    durations = (stop.fillna(censor) - start).clip(lower=0).astype(float)
    observed = stop.notna()
    fitters, rows = {}, []
    for group, pids in done.groupby(by)["pid"]:
        name = (labels or {}).get(group, group)
        fitter = KaplanMeierFitter(label=name).fit(durations[pids], observed[pids])
        fitters[group] = fitter
        rows.append({by: group, "trainees": len(pids),
                     "median_months": fitter.median_survival_time_,
                     "placed_within_6_months": 1 - float(fitter.predict(6))})
    medians = pd.DataFrame(rows, columns=[by, "trainees", "median_months",
                                          "placed_within_6_months"]).set_index(by)
    return PlacementCurves(fitters, by, medians, unlinked=int((~linked).sum()))


def _month_numbers(column: pd.Series) -> pd.Series:
    """Whole months as integers, so that differences count months."""
    return periods.month_number(periods.months(column)).astype(float)


def _as_of_month(manifest: dict) -> int:
    """The extract's as-of month as an integer (older manifests: the day it was written)."""
    day = dt.date.fromisoformat((manifest.get("as_of") or manifest["written"])[:10])
    return day.year * 12 + day.month - 1
