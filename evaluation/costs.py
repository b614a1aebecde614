"""Gross subsidy cost per placement, from a research extract: the subsidy outlays divided by
the placements, in total or by kind, fund, unit or time. What each *additional* placement cost is
in :mod:`evaluation.additional_cost`."""

from __future__ import annotations

import warnings

import pandas as pd

from casework.vocab import FUNDING_LEVELS, SUBSIDY_KINDS
from evaluation import periods
from evaluation.cost_results import CostResults
from evaluation.extract import Extract

GROUPINGS = (None, "kind", "district", "street", "year", "quarter", "funding_level")
OUTLAYS = {"paid": ("paid",), "committed": ("approved", "paid")}
WITHHELD = "withheld"  # the group of placements whose street the extract withholds
TOTAL = "all"


class UndefinedCostWarning(UserWarning):
    """A cost is undefined (NaN): there are no placements, or the effect is zero or negative."""


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
    if by in ("year", "quarter"):
        first, last = periods.bounds(frame["start_month"])
        if by == "year":
            return first.dt.year.astype(str).where(first.notna(), WITHHELD)
        quarter = first.dt.year.astype(str) + "-Q" + first.dt.quarter.astype(str)
        known = first.notna() & (first.dt.quarter == last.dt.quarter) & (
            first.dt.year == last.dt.year)
        return quarter.where(known, WITHHELD)
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
        ``quarter`` by the placement's start month (``withheld`` where the extract coarsened
        it beyond that).
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
