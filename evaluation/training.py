"""The effect of training on the trained, from a research extract.

The frame is built by course start (:mod:`evaluation.design`): for each course, the people of
its street who were registered, of working age, out of work and in no other course on its start
month; those who enrolled are treated, the rest their comparison group. Outcomes are points in
time: in work (and the wage) at the end of the 3rd, 6th and 12th month after the course's end
month, for treated and controls alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from evaluation.covariates import independent_covariates, outside_treated_support
from evaluation.design import (
    ESTIMANDS,
    OUTCOMES,
    PLACEBO,
    TrainingDesign,
    training_design,
)

GROUPS = ("sex", "age_band", "education_group", "district", "kind")


def training_frame(extract, *, estimand: str = "enrolled"):
    """The analysis frame of :func:`evaluation.design.training_design` (a DataFrame)."""
    return training_design(extract, estimand=estimand).frame


def _design(extract, estimand: str, design: TrainingDesign | None) -> TrainingDesign:
    if design is None:
        return training_design(extract, estimand=estimand)
    if design.estimand != estimand:
        raise ValueError(f"The design given is for the estimand {design.estimand!r}, not "
                         f"{estimand!r}.")
    return design


def _observed(design: TrainingDesign, outcome: str):
    if outcome not in (*OUTCOMES, PLACEBO):
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)} (or the placebo "
                         f"{PLACEBO}), not {outcome!r}.")
    frame = design.frame[design.frame[outcome].notna()]
    # Controls with an indicator value no treated row has could not have been treated.
    return frame[~outside_treated_support(frame, design.covariates)]


def training_effect(extract, *, outcome: str = "employed_6m", method: str = "ipw",
                    estimand: str = "enrolled", design: TrainingDesign | None = None,
                    **options):
    """The average effect of training on the trained (ATT), against comparable people at risk
    on the same course start.

    Parameters
    ----------
    extract : Extract
        What ``evaluation.load_extract(DIR)`` returns.
    outcome : str
        ``employed_3m``, ``employed_6m``, ``employed_12m`` (in work at the end of that month
        after the course's end month) or ``wage_3m``, ``wage_6m``, ``wage_12m`` (the wage then,
        0 when not in work). Rows whose outcome month the extract has not yet seen are left out.
    method : str
        Any method of :func:`evaluation.estimate_att`.
    estimand : {"enrolled", "completed"}
        The effect of enrolling (intention to treat, the default) or of completing.
    design : TrainingDesign, optional
        A design already built for this extract and estimand (saves rebuilding it).
    **options
        Passed to ``estimate_att`` (``trim``, ``n_neighbors``, ``caliper``, ``n_boot`` …).
        Standard errors cluster on the person unless ``cluster`` says otherwise.

    Returns
    -------
    AttResults
        Labelled with the estimand; diagnostics included.
    """
    from evaluation.att import estimate_att

    if estimand not in ESTIMANDS:
        raise ValueError(f"estimand must be one of {', '.join(ESTIMANDS)}, not {estimand!r}.")
    design = _design(extract, estimand, design)
    frame = _observed(design, outcome)
    options.setdefault("cluster", "person")
    return estimate_att(frame, treatment="treat", outcome=outcome,
                        covariates=independent_covariates(frame, design.covariates),
                        method=method, label=design.label, **options)


def placebo_effect(extract, *, method: str = "ipw", estimand: str = "enrolled",
                   design: TrainingDesign | None = None, **options):
    """The 'effect' of training on having held a job between registering and the course.

    Training cannot have caused it, so an estimate far from 0 means the covariates miss
    something that drives both enrolment and work.
    """
    return training_effect(extract, outcome=PLACEBO, method=method, estimand=estimand,
                           design=design, **options)


def effects_by_group(extract, *, outcome: str = "employed_6m", method: str = "ipw",
                     estimand: str = "enrolled", by: Sequence[str] = GROUPS,
                     min_treated: int = 30, min_control: int = 30,
                     design: TrainingDesign | None = None, **options):
    """The effect within each sex, age band, education group, district and course kind.

    Groups with fewer than ``min_treated`` treated or ``min_control`` controls get no estimate
    (they are listed as too small).
    """
    from evaluation.subgroups import subgroup_effects

    design = _design(extract, estimand, design)
    unknown = sorted(set(by) - set(GROUPS))
    if unknown:
        raise ValueError(f"by may name {', '.join(GROUPS)}; not {', '.join(unknown)}.")
    frame = _observed(design, outcome)
    options.setdefault("cluster", "person")
    return subgroup_effects(frame, by=list(by), treatment="treat", outcome=outcome,
                            covariates=independent_covariates(frame, design.covariates),
                            method=method,
                            min_treated=min_treated, min_control=min_control,
                            select_covariates=independent_covariates,
                            label=design.label, **options)
