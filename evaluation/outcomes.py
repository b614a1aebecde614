"""Training outcomes: who completed, who was employed 3, 6 and 12 months on, at what wage,
and how long placement took (Kaplan–Meier, by course subject or kind)."""

from __future__ import annotations

import pandas as pd

from evaluation.extract import Extract
from evaluation.results import _SummaryMixin

GROUPINGS = ("occupation", "kind")


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
        return [("Grouped by", self._by), ("Trainees", str(int(total["trainees"].sum()))),
                ("Completed", str(int(total["completed"].sum())))]

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
        ``occupation`` (course subject) or ``kind``.
    """
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}.")
    enrolled = extract.enrolments.merge(extract.courses[["course_id", by]], on="course_id")
    follow = extract.follow_ups[extract.follow_ups["recorded_on"].notna()].merge(
        extract.enrolments[["enrolment_id", "course_id"]], on="enrolment_id").merge(
        extract.courses[["course_id", by]], on="course_id")
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
    """Kaplan–Meier curves of days from course end to a job, one per group."""

    _title = "Time to placement after the course (Kaplan–Meier)"

    def __init__(self, fitters: dict, by: str, medians: pd.DataFrame) -> None:
        self._fitters, self._by, self._medians = fitters, by, medians

    @property
    def medians(self) -> pd.DataFrame:
        return self._medians.copy()

    def _header_rows(self) -> list[tuple[str, str]]:
        return [("Grouped by", self._by), ("Groups", str(len(self._fitters)))]

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Median days to a job, and share placed within 180 days", self._medians)]

    def _frame_row(self) -> tuple[str, dict]:
        return self._by, {"groups": len(self._fitters)}

    def plot(self, *, title: str = "", xlabel: str = "", ylabel: str = ""):
        """A matplotlib Figure: the share still without a job, by days since the course."""
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
    """Days from the end of a completed course to the first job, censored at the extract date.

    ``labels`` maps group codes to the names shown in the legend (e.g. in Chinese).
    """
    from lifelines import KaplanMeierFitter

    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}.")
    done = extract.enrolments[extract.enrolments["status"] == "completed"].merge(
        extract.courses[["course_id", "end_date", by]], on="course_id")
    jobs = extract.employment[extract.employment["status"] != "unemployed"].merge(
        done[["pid", "end_date"]], on="pid")
    first = jobs[jobs["since"] > jobs["end_date"]].groupby("pid")["since"].min()
    censor = pd.Timestamp(extract.manifest["written"][:10])
    start = done.set_index("pid")["end_date"]
    stop = first.reindex(start.index)
    durations = ((stop.fillna(censor) - start).dt.days).clip(lower=0)
    observed = stop.notna()
    fitters, rows = {}, []
    for group, pids in done.groupby(by)["pid"]:
        name = (labels or {}).get(group, group)
        fitter = KaplanMeierFitter(label=name).fit(durations[pids], observed[pids])
        fitters[group] = fitter
        rows.append({by: group, "trainees": len(pids), "median_days": fitter.median_survival_time_,
                     "placed_within_180_days": 1 - float(fitter.predict(180))})
    return PlacementCurves(fitters, by, pd.DataFrame(rows).set_index(by))
