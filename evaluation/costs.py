"""Subsidy cost per placement, gross and per *additional* placement, from a research extract.

Gross cost per placement is the subsidy outlays divided by the placements. The cost per
additional placement divides the outlays on the trained people's placements by the placements
training added: the estimated effect on the share employed times the number of trained people.
The rest of the trained people's placements would have happened anyway (the deadweight).
"""

from __future__ import annotations

import math
import warnings
from numbers import Real

import numpy as np
import pandas as pd

from casework.vocab import FUNDING_LEVELS, SUBSIDY_KINDS
from evaluation.cost_results import AdditionalCostResults, CostResults
from evaluation.extract import Extract
from evaluation.results import AttResults

GROUPINGS = (None, "kind", "district", "street", "year", "quarter", "funding_level")
ADDITIONAL_GROUPINGS = (None, "kind", "district", "street", "year")
OUTLAYS = {"paid": ("paid",), "committed": ("approved", "paid")}
WITHHELD = "withheld"  # the group of placements whose street the extract withholds
TOTAL = "all"


class UndefinedCostWarning(UserWarning):
    """A cost is undefined (NaN): there are no placements, or the effect is zero or negative."""


class EffectMismatchWarning(UserWarning):
    """The effect was estimated on other treated people than the extract's trained."""


def _check(name: str, value, allowed) -> None:
    if value not in allowed:
        shown = ", ".join("None" if v is None else repr(v) for v in allowed)
        raise ValueError(f"{name} must be one of {shown}, not {value!r}.")


def counted_claims(extract: Extract, outlays: str = "paid") -> pd.DataFrame:
    """The subsidy claims whose amount counts as an outlay.

    Parameters
    ----------
    extract : Extract
        What ``evaluation.load_extract(DIR)`` returns.
    outlays : str
        ``paid`` counts claims that were paid; ``committed`` also counts approved ones.
    """
    _check("outlays", outlays, tuple(OUTLAYS))
    claims = extract.subsidies
    return claims[claims["status"].isin(OUTLAYS[outlays])]


def _keys(frame: pd.DataFrame, by: str | None) -> pd.Series:
    """The group of each placement row: its investing unit or its start date."""
    if by in ("district", "street"):
        return frame[by].astype("object").where(frame[by].notna(), WITHHELD)
    if by == "year":
        return frame["start_date"].dt.year
    if by == "quarter":
        return frame["start_date"].dt.to_period("Q").astype(str)
    return pd.Series(TOTAL, index=frame.index)


def _gross(placements: pd.DataFrame, claims: pd.DataFrame, by: str | None) -> pd.DataFrame:
    if by in ("kind", "funding_level"):
        groups = list(SUBSIDY_KINDS if by == "kind" else FUNDING_LEVELS)
        groups += sorted(set(claims[by]) - set(groups))
        table = pd.DataFrame({"placements": len(placements)}, index=pd.Index(groups, name=by))
        paid = claims.groupby(by)
    else:
        key = _keys(placements, by).rename(by or "group")
        table = key.value_counts().sort_index().rename("placements").to_frame()
        if by is None:  # a row even without placements
            table = table.reindex(pd.Index([TOTAL], name=key.name), fill_value=0)
        paid = claims.groupby(claims["placement_id"].map(
            pd.Series(key.to_numpy(), index=placements["placement_id"])).rename(key.name))
    table["subsidised_placements"] = paid["placement_id"].nunique()
    table["outlays"] = paid["amount"].sum()
    table = table.fillna({"subsidised_placements": 0, "outlays": 0}).astype(
        {"subsidised_placements": int, "outlays": float})
    table["share_subsidised"] = table["subsidised_placements"] / table["placements"]
    table["cost_per_placement"] = table["outlays"] / table["placements"]
    return table[["placements", "subsidised_placements", "share_subsidised", "outlays",
                  "cost_per_placement"]]


def cost_per_placement(extract: Extract, by: str | None = None, *, outlays: str = "paid"
                       ) -> CostResults:
    """Gross subsidy cost per placement: subsidy outlays divided by placements.

    Parameters
    ----------
    extract : Extract
        What ``evaluation.load_extract(DIR)`` returns.
    by : str or None
        ``None`` for the total only; ``kind`` or ``funding_level`` split the outlays and divide
        each part by *all* placements, so the parts add up to the total; ``district`` and
        ``street`` key outlays and placements by the placement's investing unit (placements
        whose street the extract withholds form the group ``withheld``); ``year`` and
        ``quarter`` by the placement's start date.
    outlays : str
        ``paid`` counts the amount of claims paid; ``committed`` also counts approved claims.

    Returns
    -------
    CostResults
        Totals as properties, and ``table`` with placements, subsidised placements, their
        share, outlays and cost per placement for each group.
    """
    _check("by", by, GROUPINGS)
    claims = counted_claims(extract, outlays)
    placements = extract.placements
    if placements.empty:
        warnings.warn("The extract holds no placements, so the cost per placement is undefined.",
                      UndefinedCostWarning, stacklevel=2)
    total = _gross(placements, claims, None).iloc[0]
    return CostResults(table=_gross(placements, claims, by), total=total, by=by,
                       outlays_basis=outlays)


def _effect_numbers(effect: AttResults | float) -> tuple[float, float, float, float]:
    """Estimate, standard error and 95% interval of the effect on the share employed."""
    if isinstance(effect, AttResults):
        if not effect.outcome.startswith("employed_"):
            raise ValueError("effect must be an effect on the share employed (employed_3m, "
                             f"employed_6m or employed_12m), not on {effect.outcome!r}.")
        return effect.estimate, effect.std_error, effect.ci_low, effect.ci_high
    if isinstance(effect, bool) or not isinstance(effect, Real) or not -1 <= effect <= 1:
        raise ValueError("effect must be an AttResults from training_effect or a share between "
                         f"-1 and 1, not {effect!r}.")
    return float(effect), math.nan, math.nan, math.nan


def _treated(extract: Extract, effect) -> tuple[pd.DataFrame, list[str]]:
    """The trained of training_frame, keyed for grouping, and notes on how they match."""
    from evaluation.training import training_frame

    frame = training_frame(extract)
    treated = frame.loc[frame["treat"] == 1, ["pid", "district", "street"]].assign(
        year=frame.loc[frame["treat"] == 1, "window_end"].dt.year)
    notes = []
    if isinstance(effect, AttResults) and effect.n_treated != len(treated):
        gap = len(treated) - effect.n_treated
        if 0 < gap <= effect.n_trimmed:
            notes.append(f"The effect was estimated on {effect.n_treated} of the "
                         f"{len(treated)} trained after trimming; it is taken to hold for all.")
        else:
            warnings.warn(f"The effect was estimated on {effect.n_treated} treated people, but "
                          f"the extract has {len(treated)} trained; was it estimated on "
                          "another extract?", EffectMismatchWarning, stacklevel=3)
    return treated, notes


def _additional(groups: pd.DataFrame, e: float, se: float, low: float, high: float
                ) -> pd.DataFrame:
    """Additional placements, deadweight and cost per additional placement for each group."""
    n, placed, paid = groups["n_treated"], groups["placements_treated"], groups["outlays"]
    table = groups.copy()
    table["additional"] = e * n
    table["counterfactual"] = placed - table["additional"]
    table["deadweight_share"] = table["counterfactual"] / placed.where(placed > 0)
    cost = paid / table["additional"] if e > 0 else math.nan
    table["cost_per_additional_placement"] = cost
    # Delta method: d(O / (e n)) / de = -O / (e² n), so se(cost) = cost · se(e) / e.
    table["std_error"] = cost * se / e if e > 0 else math.nan
    table["ci_low"] = _through(paid, n, high) if high > 0 else math.nan
    table["ci_high"] = _through(paid, n, low) if high > 0 else math.nan
    return table


def _through(paid: pd.Series, n: pd.Series, effect: float) -> pd.Series:
    """The cost at a given effect; infinite where the effect is 0 or below (and outlays > 0)."""
    if effect > 0:
        return paid / (effect * n)
    return pd.Series(np.where(paid > 0, math.inf, 0.0), index=paid.index)


def cost_per_additional_placement(extract: Extract, effect: AttResults | float, *,
                                  by: str | None = None, outlays: str = "paid"
                                  ) -> AdditionalCostResults:
    """Subsidy cost per placement that training added, with the deadweight share.

    The trained are the ``treat == 1`` people of ``training_frame(extract)``. Additional
    placements are ``effect × n_treated``; the counterfactual placements are the trained
    people's placements less the additional ones, and the deadweight share is the
    counterfactual over their placements. The cost per additional placement is the outlays on
    the trained people's placements divided by the additional placements.

    Parameters
    ----------
    extract : Extract
        What ``evaluation.load_extract(DIR)`` returns.
    effect : AttResults or float
        ``training_effect(extract, outcome="employed_6m")``, or a share (no uncertainty then).
        An AttResults estimated on other treated people than the extract's trained gives an
        :class:`EffectMismatchWarning` (fewer through trimming is expected and only noted).
    by : str or None
        ``None``, ``kind`` (outlays split by subsidy kind over all additional placements, so
        the parts add up), ``district`` or ``street`` (where the trained person is registered)
        or ``year`` (the year their course ended). The effect is assumed the same in every
        group.
    outlays : str
        ``paid`` or ``committed`` (approved claims too), as in :func:`cost_per_placement`.

    Returns
    -------
    AdditionalCostResults
        The cost with a delta-method standard error and the effect's 95% interval mapped
        through the same formula (its upper bound is infinite when that interval reaches 0).
        An effect of 0 or below gives a NaN cost and an :class:`UndefinedCostWarning`.
    """
    _check("by", by, ADDITIONAL_GROUPINGS)
    e, se, low, high = _effect_numbers(effect)
    claims = counted_claims(extract, outlays)
    treated, notes = _treated(extract, effect)
    placed = extract.placements.merge(treated, on="pid", suffixes=("_unit", ""))
    paid = claims.merge(placed[["placement_id", "district", "street", "year"]],
                        on="placement_id", suffixes=("_unit", ""))
    if treated.empty:
        warnings.warn("The extract has no trained people, so no placement was added by "
                      "training and the cost per additional placement is undefined.",
                      UndefinedCostWarning, stacklevel=2)
    elif e <= 0:
        warnings.warn(f"The effect is {e:.4g}: training added no placements, so the cost per "
                      "additional placement is undefined (NaN).", UndefinedCostWarning,
                      stacklevel=2)
    total = _additional(_counts(treated, placed, paid, None), e, se, low, high)
    table = _additional(_counts(treated, placed, paid, by), e, se, low, high)
    return AdditionalCostResults(
        table=table, total=total.iloc[0], by=by, outlays_basis=outlays,
        effect=effect, effect_numbers=(e, se, low, high), notes=notes,
        placements=len(extract.placements))


def _counts(treated: pd.DataFrame, placed: pd.DataFrame, paid: pd.DataFrame,
            by: str | None) -> pd.DataFrame:
    """Trained people, their placements and the outlays on them, per group."""
    if by == "kind":
        index = pd.Index(list(SUBSIDY_KINDS) + sorted(set(paid["kind"]) - set(SUBSIDY_KINDS)),
                         name="kind")
        return pd.DataFrame({"n_treated": len(treated), "placements_treated": len(placed),
                             "outlays": paid.groupby("kind")["amount"].sum()
                             .reindex(index, fill_value=0).astype(float)}, index=index)
    if by is None:
        return pd.DataFrame({"n_treated": [len(treated)], "placements_treated": [len(placed)],
                             "outlays": [float(paid["amount"].sum())]},
                            index=pd.Index([TOTAL], name="group"))
    table = treated.groupby(by).size().rename("n_treated").to_frame()
    table["placements_treated"] = placed.groupby(by).size()
    table["outlays"] = paid.groupby(by)["amount"].sum()
    return table.fillna(0).astype({"placements_treated": int, "outlays": float})
