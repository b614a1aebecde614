"""What each placement that training *added* cost: training and subsidies, per additional person
in work.

Gross and additional are counted in the same unit, the same outcome and the same window: people
in work at the end of the X-th month after their course (the effect's outcome ``employed_Xm``).
Among the trained, ``ȳ_T · n_T`` were in work then; training added ``ATT · n_T`` of them; the
rest, ``(ȳ_T − ATT) · n_T``, would have been in work anyway (the deadweight, a share
``(ȳ_T − ATT) / ȳ_T``). The cost is what was spent on the trained: each course's cost per
trainee, plus the subsidies paid on their placements that began between their course's start
and the outcome month.
"""

from __future__ import annotations

import math
import warnings
from numbers import Real

import numpy as np
import pandas as pd

from evaluation import periods
from evaluation.additional_results import AdditionalCostResults
from evaluation.costs import UndefinedCostWarning, _check, counted_claims
from evaluation.design import ESTIMANDS, TrainingDesign, training_design

GROUPINGS = (None, "component", "district", "street", "year")
TOTAL = "all"


class EffectMismatchWarning(UserWarning):
    """The effect was estimated on other treated people than the extract's trained."""


def _effect_numbers(effect, outcome: str) -> tuple[str, float, float, float, float]:
    """The outcome and the effect's estimate, standard error and 95% interval."""
    if hasattr(effect, "estimate") and hasattr(effect, "outcome"):
        if not str(effect.outcome).startswith("employed_"):
            raise ValueError("effect must be an effect on the share in work (employed_3m, "
                             f"employed_6m or employed_12m), not on {effect.outcome!r}.")
        return effect.outcome, effect.estimate, effect.std_error, effect.ci_low, effect.ci_high
    if isinstance(effect, bool) or not isinstance(effect, Real) or not -1 <= effect <= 1:
        raise ValueError("effect must be a result of training_effect or a share between -1 "
                         f"and 1, not {effect!r}.")
    return outcome, float(effect), math.nan, math.nan, math.nan


def _check_effect(effect, estimand: str, apply_to_all: bool) -> list[str]:
    """Refuse an effect on some of the trained applied to all of them, unless told to."""
    if not hasattr(effect, "estimate"):
        return []
    label = getattr(effect, "label", None)
    if label and label != ESTIMANDS[estimand]:
        raise ValueError(f"The effect is of {label}, but the cost is asked for {estimand!r} "
                         f"({ESTIMANDS[estimand]}); pass estimand= to match.")
    if getattr(effect, "all_treated", True):
        return []
    if not apply_to_all:
        raise ValueError(
            f"The effect was estimated on the overlap only ({effect.n_treated_dropped} treated "
            "people were trimmed), so it is not the effect on all the trained. Estimate it "
            "without trimming treated people, or pass apply_to_all=True to assume it holds "
            "for them too.")
    return [f"The effect was estimated without {effect.n_treated_dropped} trimmed treated "
            "people; as asked (apply_to_all=True), it is assumed to hold for all the trained."]


def cost_per_additional_placement(extract, effect, *, by: str | None = None,
                                  outlays: str = "paid", estimand: str = "enrolled",
                                  outcome: str = "employed_6m", apply_to_all: bool = False,
                                  design: TrainingDesign | None = None
                                  ) -> AdditionalCostResults:
    """Training and subsidy cost per person in work that training added, with the deadweight.

    Parameters
    ----------
    extract : Extract
        What ``evaluation.load_extract(DIR)`` returns.
    effect : AttResults or float
        ``training_effect(extract, outcome="employed_6m")`` (its outcome sets the window), or
        a share (then ``outcome`` sets it, and there is no uncertainty).
    by : str or None
        ``None``; ``component`` (training, then each subsidy kind: every part divides by all
        additional placements, so they add up); ``district`` or ``street`` (where the trained
        person is registered); ``year`` (the year their course ended). The effect is assumed
        the same in every group.
    outlays : str
        ``paid`` or ``committed`` (approved claims too), as in :func:`cost_per_placement`.
    estimand : {"enrolled", "completed"}
        Who the trained are; must match the effect's.
    apply_to_all : bool
        Allow an effect estimated on the overlap only (treated people trimmed) to stand for all
        the trained. Refused otherwise.

    Returns
    -------
    AdditionalCostResults
        When the effect's 95% interval excludes 0, the cost has a delta-method standard error
        and the interval maps the effect's; when it contains 0 the interval is unbounded above
        and no standard error is given; an effect of 0 or below leaves the cost undefined.
    """
    _check("by", by, GROUPINGS)
    outcome, e, se, low, high = _effect_numbers(effect, outcome)
    notes = _check_effect(effect, estimand, apply_to_all)
    design = design or training_design(extract, estimand=estimand)
    treated = design.frame[(design.frame["treat"] == 1) & design.frame[outcome].notna()]
    if hasattr(effect, "estimate") and getattr(effect, "all_treated", True) \
            and effect.n_treated != len(treated):
        warnings.warn(f"The effect was estimated on {effect.n_treated} treated people, but the "
                      f"extract has {len(treated)} trained with {outcome} observed; was it "
                      "estimated on another extract or estimand?", EffectMismatchWarning,
                      stacklevel=2)
    if treated.empty or e <= 0:
        warnings.warn("Training added no one in work (no trained people, or an effect of 0 "
                      "or below), so the cost per additional placement is undefined.",
                      UndefinedCostWarning, stacklevel=2)
    spent = _spending(treated, counted_claims(extract, outlays), extract.placements,
                      int(outcome.split("_")[1][:-1]))
    numbers = (e, se, low, high)
    return AdditionalCostResults(
        table=_table(treated, spent, by, outcome, numbers),
        total=_table(treated, spent, None, outcome, numbers).iloc[0], by=by,
        outlays_basis=outlays, effect=effect, effect_numbers=numbers, notes=notes,
        outcome=outcome, estimand=estimand)


def _spending(treated: pd.DataFrame, claims: pd.DataFrame, placements: pd.DataFrame,
              horizon: int) -> pd.DataFrame:
    """One row per treated row and cost component: training, then each subsidy kind."""
    rows = treated.reset_index(drop=True).assign(row=lambda f: np.arange(len(f)))
    training = rows[["row"]].assign(component="training", amount=rows["cost_per_trainee"])
    first, last = periods.bounds(placements["start_month"])
    starts = placements[["placement_id", "pid"]].assign(
        first=periods.month_number(first), last=periods.month_number(last))
    paid = claims[["placement_id", "kind", "amount"]].merge(starts, on="placement_id").merge(
        rows[["row", "pid", "start", "end"]], on="pid")
    within = (paid["first"] >= paid["start"]) & (paid["last"] <= paid["end"] + horizon)
    subsidies = paid.loc[within.fillna(False), ["row", "kind", "amount"]].rename(
        columns={"kind": "component"})
    return pd.concat([training, subsidies], ignore_index=True).merge(
        rows.drop(columns=["pid"]), on="row")


def _table(treated: pd.DataFrame, spent: pd.DataFrame, by: str | None, outcome: str,
           numbers: tuple[float, float, float, float]) -> pd.DataFrame:
    e, se, low, high = numbers
    key = {"year": lambda f: (f["end"] // 12).astype(int)}.get(by, lambda f: f[by])
    if by in (None, "component"):
        people = pd.DataFrame({"n_treated": [len(treated)],
                               "share_in_work": [treated[outcome].mean()]},
                              index=pd.Index([TOTAL], name="group"))
        groups = pd.Series(TOTAL, index=spent.index)
        if by == "component":
            groups = spent["component"]
            people = pd.DataFrame(people.iloc[0].to_dict(),
                                  index=pd.Index(groups.unique(), name="component"))
    else:
        people = treated.groupby(key(treated)).agg(n_treated=("pid", "size"),
                                                  share_in_work=(outcome, "mean"))
        groups = key(spent)
    training = spent["amount"].where(spent["component"] == "training", 0.0)
    parts = pd.DataFrame({"training_cost": training, "subsidy_cost": spent["amount"] - training})
    parts = parts.groupby(groups.to_numpy()).sum().reindex(people.index).fillna(0.0)
    table = people.join(parts.astype(float))
    table["total_cost"] = table["training_cost"] + table["subsidy_cost"]
    n = table["n_treated"]
    table["in_work"] = table["share_in_work"] * n
    table["additional"] = e * n
    table["counterfactual"] = table["in_work"] - table["additional"]
    table["deadweight_share"] = table["counterfactual"] / table["in_work"].where(
        table["in_work"] > 0)
    table["cost_per_person_in_work"] = table["total_cost"] / table["in_work"].where(
        table["in_work"] > 0)
    bounded = low > 0  # the effect's interval excludes 0: the cost has finite moments
    cost_add = table["total_cost"] / table["additional"] if e > 0 else np.nan
    table["cost_per_additional_placement"] = cost_add
    table["std_error"] = cost_add * se / e if bounded else np.nan
    table["ci_low"] = table["total_cost"] / (high * n) if high > 0 else np.nan
    table["ci_high"] = (table["total_cost"] / (low * n) if bounded
                        else (np.inf if high > 0 else np.nan))
    return table
