"""Labour demand per occupation and per skill, for curriculum planning (pandas in, Results out).

The input is a :class:`DemandData`: postings, jobseekers, referrals and placements of one period,
as plain rows with no person in them (a de-identified demand extract, or the same aggregates
the service layer computes for a trainer's area). Every row carries ``area``, the path of its
unit (``/3207/320705/320705001/``), so an area is a prefix.

The shortage score follows the German public employment service's shortage analysis
(Engpassanalyse): each indicator is scored 0–3 against the thresholds of policy.toml
[curriculum.thresholds] (a value at or above the k-th threshold scores k), and the mean of the
indicators that could be computed is the occupation's score. A mean at or above
``shortage_mean`` marks a shortage, one at or above ``watch_mean`` is watched, and an occupation
with fewer openings than ``min_openings`` is "not enough data" and not ranked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluation.summary import _SummaryMixin

# Indicators scored 0–3; a higher value means a tighter market for the occupation.
INDICATORS = ("vu_ratio", "days_to_fill", "unfilled_share", "lacked_skill_share", "outflow")
STATUSES = ("shortage", "watch", "balanced", "not_enough_data")
LACKED_SKILL = "lacked_skill"  # the referral outcome: the person lacked the skill asked for
POSTING_COLUMNS = ("posting_id", "area", "month", "occupation", "skills", "openings", "filled",
                   "days_to_fill")
SEEKER_COLUMNS = ("area", "wishes", "skills")
REFERRAL_COLUMNS = ("area", "occupation", "outcome")
PLACEMENT_COLUMNS = ("area", "occupation")


@dataclass(frozen=True)
class DemandData:
    """One period's demand rows. ``postings``: one row per posting opened in the period, with
    ``openings``, ``filled`` (openings taken by a placement), ``days_to_fill`` (opened to filled,
    missing unless the posting was filled) and ``skills`` (a tuple of skill codes). ``seekers``:
    registered jobseekers out of work, with ``wishes`` (occupation codes) and ``skills``.
    ``referrals``: ``occupation`` of the posting and ``outcome``. ``placements``: ``occupation``
    of the job taken. ``period`` names the period shown."""

    postings: pd.DataFrame
    seekers: pd.DataFrame
    referrals: pd.DataFrame
    placements: pd.DataFrame
    period: str = ""

    def __post_init__(self) -> None:
        for name, columns in (("postings", POSTING_COLUMNS), ("seekers", SEEKER_COLUMNS),
                              ("referrals", REFERRAL_COLUMNS),
                              ("placements", PLACEMENT_COLUMNS)):
            missing = [c for c in columns if c not in getattr(self, name).columns]
            if missing:
                raise ValueError(f"The {name} frame lacks the columns {', '.join(missing)}.")

    def within(self, area: str | None) -> DemandData:
        """The rows of ``area`` (a unit path; None: all)."""
        if not area:
            return self
        pick = {name: _under(getattr(self, name), area)
                for name in ("postings", "seekers", "referrals", "placements")}
        return DemandData(**pick, period=self.period)


def _under(frame: pd.DataFrame, area: str) -> pd.DataFrame:
    return frame[frame["area"].astype(str).str.startswith(area)]


@dataclass(frozen=True)
class Thresholds:
    """The scoring rule: three ascending cut points per indicator, and the status cut-offs."""

    cuts: Mapping[str, Sequence[float]]
    min_openings: int = 10
    shortage_mean: float = 2.0
    watch_mean: float = 1.5

    @classmethod
    def from_policy(cls, section: Mapping) -> Thresholds:
        """From policy.toml's [curriculum] section."""
        return cls(cuts=dict(section["thresholds"]), min_openings=int(section["min_openings"]),
                   shortage_mean=float(section["shortage_mean"]),
                   watch_mean=float(section["watch_mean"]))

    def __post_init__(self) -> None:
        for name in INDICATORS:
            cut = list(self.cuts.get(name, ()))
            if len(cut) != 3 or cut != sorted(cut):
                raise ValueError(f"The thresholds of {name} must be three ascending numbers, "
                                 f"not {cut!r}.")


def score(value: float, cuts: Sequence[float]) -> float:
    """0–3: how many of the ascending ``cuts`` the value reaches; NaN stays NaN."""
    if value is None or pd.isna(value):
        return np.nan
    return float(sum(value >= c for c in cuts))


class DemandResults(_SummaryMixin):
    """Indicators, their 0–3 scores, the mean and the status of each occupation.

    ``table`` is indexed by occupation and sorted by ``rank`` (occupations with not enough
    data last, unranked); ``trend`` is openings by month (rows) and occupation (columns).
    """

    _title = "Labour demand by occupation (shortage analysis)"

    def __init__(self, table: pd.DataFrame, trend: pd.DataFrame, thresholds: Thresholds,
                 period: str) -> None:
        self._table, self._trend = table, trend
        self._thresholds, self._period = thresholds, period

    @property
    def table(self) -> pd.DataFrame:
        return self._table.copy()

    @property
    def trend(self) -> pd.DataFrame:
        return self._trend.copy()

    @property
    def thresholds(self) -> Thresholds:
        return self._thresholds

    @property
    def ranking(self) -> list[str]:
        """Ranked occupations, the tightest first."""
        ranked = self._table[self._table["rank"].notna()]
        return list(ranked.sort_values("rank").index)

    def status(self, occupation: str) -> str:
        return str(self._table.loc[occupation, "status"]) if occupation in self._table.index \
            else "not_enough_data"

    def _header_rows(self) -> list[tuple[str, str]]:
        counts = self._table["status"].value_counts()
        return [("Period", self._period or "-"), ("Occupations", str(len(self._table))),
                *[(s.replace("_", " ").capitalize(), str(int(counts.get(s, 0))))
                  for s in STATUSES],
                ("Rule", f"mean of 0-3 scores; shortage >= {self._thresholds.shortage_mean}, "
                         f"watch >= {self._thresholds.watch_mean}; fewer than "
                         f"{self._thresholds.min_openings} openings: not enough data")]

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Indicators and scores", self._table)]

    def _frame_row(self) -> tuple[str, dict]:
        counts = self._table["status"].value_counts()
        return "demand", {s: int(counts.get(s, 0)) for s in STATUSES}


def occupation_demand(data: DemandData, *, thresholds: Thresholds,
                      area: str | None = None) -> DemandResults:
    """The shortage analysis of each occupation with postings or jobseekers in ``area``.

    Parameters
    ----------
    data : DemandData
        The period's rows.
    thresholds : Thresholds
        ``Thresholds.from_policy(policy["curriculum"])``.
    area : str, optional
        A unit path; only its rows count. None: all rows.

    Returns
    -------
    DemandResults
        Per occupation: ``openings`` (V), ``seekers`` (U, jobseekers wishing for it),
        ``vu_ratio``, ``days_to_fill`` (median over filled postings), ``unfilled_share``,
        ``lacked_skill_share`` (referrals that failed for a lacking skill), ``outflow``
        (placements ÷ U), a ``score_<indicator>`` for each, ``mean_score``, ``status`` and
        ``rank``.
    """
    data = data.within(area)
    table = _indicators(data)
    for name in INDICATORS:
        table[f"score_{name}"] = [score(v, thresholds.cuts[name]) for v in table[name]]
    scores = table[[f"score_{n}" for n in INDICATORS]]
    table["mean_score"] = scores.mean(axis=1, skipna=True)
    table["status"] = [_status(row, thresholds) for _, row in table.iterrows()]
    return DemandResults(_ranked(table), _trend(data.postings), thresholds, data.period)


def _indicators(data: DemandData) -> pd.DataFrame:
    posts = data.postings
    seekers = data.seekers["wishes"].explode().dropna().value_counts()
    codes = sorted(set(posts["occupation"]) | set(seekers.index))
    by = posts.groupby("occupation")
    table = pd.DataFrame(index=pd.Index(codes, name="occupation"))
    table["openings"] = by["openings"].sum().reindex(codes).fillna(0).astype(int)
    table["seekers"] = seekers.reindex(codes).fillna(0).astype(int)
    table["vu_ratio"] = [v / u if u else (np.inf if v else np.nan)
                         for v, u in zip(table["openings"], table["seekers"], strict=True)]
    table["days_to_fill"] = by["days_to_fill"].median().reindex(codes)
    filled = by["filled"].sum().reindex(codes).fillna(0)
    table["unfilled_share"] = (1 - filled / table["openings"]).where(table["openings"] > 0)
    refs = data.referrals.groupby("occupation")["outcome"]
    table["referrals"] = refs.size().reindex(codes).fillna(0).astype(int)
    lacked = refs.apply(lambda s: int((s == LACKED_SKILL).sum())).reindex(codes).fillna(0)
    table["lacked_skill_share"] = (lacked / table["referrals"]).where(table["referrals"] > 0)
    placed = data.placements["occupation"].value_counts().reindex(codes).fillna(0)
    table["placements"] = placed.astype(int)
    table["outflow"] = (placed / table["seekers"]).where(table["seekers"] > 0)
    return table


def _status(row: pd.Series, thresholds: Thresholds) -> str:
    if row["openings"] < thresholds.min_openings or pd.isna(row["mean_score"]):
        return "not_enough_data"
    if row["mean_score"] >= thresholds.shortage_mean:
        return "shortage"
    return "watch" if row["mean_score"] >= thresholds.watch_mean else "balanced"


def _ranked(table: pd.DataFrame) -> pd.DataFrame:
    """Ranked by mean score, then V/U, then code (so ties rank the same way every time)."""
    ranked = table[table["status"] != "not_enough_data"]
    order = ranked.assign(_code=ranked.index).sort_values(
        ["mean_score", "vu_ratio", "_code"], ascending=[False, False, True]).index
    table["rank"] = pd.Series(range(1, len(order) + 1), index=order, dtype="float")
    rest = table.index.difference(order).sort_values()
    return table.loc[list(order) + list(rest)]


def _trend(postings: pd.DataFrame) -> pd.DataFrame:
    if postings.empty:
        return pd.DataFrame()
    return postings.pivot_table(index="month", columns="occupation", values="openings",
                                aggfunc="sum", fill_value=0).sort_index()


class SkillsResults(_SummaryMixin):
    """Demand, supply and gap per skill, with the location quotient; ``table`` is sorted by the
    openings that closing the gap would unlock."""

    _title = "Skills: demand, supply and gap"

    def __init__(self, table: pd.DataFrame, period: str) -> None:
        self._table, self._period = table, period

    @property
    def table(self) -> pd.DataFrame:
        return self._table.copy()

    def _header_rows(self) -> list[tuple[str, str]]:
        return [("Period", self._period or "-"), ("Skills", str(len(self._table))),
                ("Openings unlocked by closing every gap", str(int(self._table["unlock"].sum()))),
                ("Location quotient", "skill's share of the area's openings / its share "
                                      "city-wide (>= 1: the area asks for it more)")]

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Per skill", self._table)]

    def _frame_row(self) -> tuple[str, dict]:
        return "skills", {"skills": len(self._table), "gap": int(self._table["gap"].sum()),
                          "unlock": int(self._table["unlock"].sum())}


def skills_gap(data: DemandData, *, area: str | None = None) -> SkillsResults:
    """Per skill asked for by postings or held by jobseekers in ``area``.

    Returns
    -------
    SkillsResults
        ``demand`` (openings asking for the skill), ``unfilled`` (of those, openings no
        placement took), ``supply`` (jobseekers who have it), ``gap`` (demand − supply, at least
        0), ``unlock`` (unfilled openings that closing the gap would fill: the smaller of gap
        and unfilled) and ``location_quotient`` (the skill's share of the area's openings ÷ its
        share of all openings in ``data``; NaN where the city has none).
    """
    local = data.within(area)
    demand, unfilled = _skill_openings(local.postings)
    city, _ = _skill_openings(data.postings)
    supply = local.seekers["skills"].explode().dropna().value_counts()
    codes = sorted(set(demand.index) | set(supply.index))
    table = pd.DataFrame(index=pd.Index(codes, name="skill"))
    table["demand"] = demand.reindex(codes).fillna(0).astype(int)
    table["unfilled"] = unfilled.reindex(codes).fillna(0).astype(int)
    table["supply"] = supply.reindex(codes).fillna(0).astype(int)
    table["gap"] = (table["demand"] - table["supply"]).clip(lower=0)
    table["unlock"] = np.minimum(table["gap"], table["unfilled"])
    area_total, city_total = local.postings["openings"].sum(), data.postings["openings"].sum()
    city_share = city.reindex(codes) / city_total if city_total else np.nan
    area_share = table["demand"] / area_total if area_total else np.nan
    table["location_quotient"] = (area_share / city_share).where(city.reindex(codes) > 0)
    table = table.assign(_code=table.index).sort_values(
        ["unlock", "gap", "_code"], ascending=[False, False, True]).drop(columns="_code")
    return SkillsResults(table, data.period)


def _skill_openings(postings: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Openings, and unfilled openings, asking for each skill."""
    rows = postings.assign(unfilled=postings["openings"] - postings["filled"]).explode("skills")
    rows = rows[rows["skills"].notna()]
    by = rows.groupby("skills")
    return by["openings"].sum(), by["unfilled"].sum().clip(lower=0)
