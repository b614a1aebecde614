"""How past courses of each subject did, from a research extract, for curriculum planning.

Nothing is recomputed here: completion and employment come from
:func:`evaluation.training_outcomes`, the effect per subject from
:func:`evaluation.subgroups.subgroup_effects` on the training design (as
:func:`evaluation.effects_by_group` does for its groups), and the cost from the courses' own
``cost_per_trainee``.
"""

from __future__ import annotations

import pandas as pd

from evaluation.summary import _SummaryMixin

COLUMNS = ["trainees", "completion_rate", "employed_6m", "effect", "ci_low", "ci_high",
           "cost_per_trainee"]


class TrackRecordResults(_SummaryMixin):
    """One row per course subject (occupation): ``trainees``, ``completion_rate``,
    ``employed_6m``, ``effect`` with ``ci_low`` and ``ci_high`` (the effect of enrolling on
    being in work 6 months after; missing where the cell is too small) and
    ``cost_per_trainee`` (yuan, mean over trainees)."""

    _title = "Track record per course subject"

    def __init__(self, table: pd.DataFrame, min_treated: int) -> None:
        self._table, self._min = table, min_treated

    @property
    def table(self) -> pd.DataFrame:
        return self._table.copy()

    def _header_rows(self) -> list[tuple[str, str]]:
        return [("Subjects", str(len(self._table))),
                ("Effect", f"of enrolling on employed_6m (IPW), where at least {self._min} "
                           "treated and controls")]

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Per subject", self._table)]

    def _frame_row(self) -> tuple[str, dict]:
        return "track_record", {"subjects": len(self._table),
                                "trainees": int(self._table["trainees"].sum())}


def track_record(extract, *, min_treated: int = 30) -> TrackRecordResults:
    """Completion, employment 6 months on, effect with its CI and cost, per course subject.

    Parameters
    ----------
    extract : Extract
        What ``evaluation.load_extract(DIR)`` returns.
    min_treated : int
        The smallest number of trained (and of comparison people) for which a subject's effect
        is estimated.
    """
    from evaluation.outcomes import WITHHELD, training_outcomes

    outcomes = training_outcomes(extract, by="occupation").table
    table = outcomes[["trainees", "completion_rate", "employed_6m"]].drop(
        index=[WITHHELD], errors="ignore")
    effects = _effects(extract, min_treated)
    table = table.join(effects, how="left")
    table["cost_per_trainee"] = _cost(extract).reindex(table.index)
    table.index.name = "subject"
    return TrackRecordResults(table[COLUMNS], min_treated)


def _effects(extract, min_treated: int) -> pd.DataFrame:
    from evaluation.covariates import independent_covariates
    from evaluation.subgroups import subgroup_effects
    from evaluation.training import _observed, training_design

    empty = pd.DataFrame(columns=["effect", "ci_low", "ci_high"], dtype=float)
    try:
        design = training_design(extract, estimand="enrolled")
        frame = _observed(design, "employed_6m")
        frame = frame[frame["occupation"].notna()]
        found = subgroup_effects(frame, by="occupation", treatment="treat",
                                 outcome="employed_6m", method="ipw", cluster="person",
                                 covariates=independent_covariates(frame, design.covariates),
                                 min_treated=min_treated, min_control=min_treated,
                                 select_covariates=independent_covariates).table
    except ValueError:  # too few people to estimate anything: no effects, the rest stands
        return empty
    found = found.xs("occupation", level="variable")[["estimate", "ci_low", "ci_high"]]
    return found.rename(columns={"estimate": "effect"}).astype(float)


def _cost(extract) -> pd.Series:
    courses = extract.courses[["course_id", "cost_per_trainee"]]
    rows = extract.enrolments.merge(courses, on="course_id")
    return rows.groupby("occupation")["cost_per_trainee"].mean().astype(float)
