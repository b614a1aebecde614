"""The proposed plan for next term: course subjects ranked by a transparent score, with seats.

For each subject (an occupation and the skills its course teaches):

- ``unmet``: the unfilled openings that closing the gap of the subject's *key skill* would fill
  (:func:`evaluation.demand.skills_gap`'s ``unlock``), the key skill being the one of its skills
  that unlocks the most (ties: the first listed). Openings often ask for two skills a subject
  teaches, so summing over skills would count them twice;
- ``employment``: the share of past trainees of the subject in work 6 months after the
  course; a subject never taught gets the mean of the subjects that were (``assumed``);
- ``shortage``: 1 when the occupation is a shortage, 0.5 when it is watched, else 0.

``score = unmet ** w_demand × employment ** w_employment × (1 + w_shortage × shortage)``.
Every factor is a column of the plan and every weight is a field of :class:`Weights`.

Seats: the completers of a class should not outnumber the openings it can unlock, so at most
``unmet ÷ completion rate`` seats (the past rate of the subject, else the mean); this bound is
rounded down to the largest course size in policy.toml [curriculum] course_sizes (0 when even
the smallest class would be too many).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from casework import vocab
from casework.i18n import t
from evaluation.demand import DemandResults, SkillsResults
from evaluation.summary import _SummaryMixin

SHORTAGE_FACTOR = {"shortage": 1.0, "watch": 0.5}


@dataclass(frozen=True)
class Weights:
    """The exponents of unmet demand and of past employment, and the shortage bonus."""

    demand: float = 1.0
    employment: float = 1.0
    shortage_bonus: float = 0.5

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not isinstance(value, int | float) or not np.isfinite(value) or value < 0:
                raise ValueError(f"The weight {name} must be a number of 0 or more, "
                                 f"not {value!r}.")

    @classmethod
    def from_policy(cls, section: Mapping) -> Weights:
        return cls(**{k: float(v) for k, v in section["weights"].items()})


class PlanResults(_SummaryMixin):
    """The plan: one row per subject, ranked; ``reasons(lang)`` gives each row's sentence."""

    _title = "Proposed course plan"

    def __init__(self, table: pd.DataFrame, weights: Weights, sizes: Sequence[int]) -> None:
        self._table, self._weights, self._sizes = table, weights, tuple(sizes)

    @property
    def table(self) -> pd.DataFrame:
        return self._table.copy()

    @property
    def weights(self) -> Weights:
        return self._weights

    @property
    def ranking(self) -> list[str]:
        return list(self._table.index)

    @property
    def seats(self) -> dict[str, int]:
        return {k: int(v) for k, v in self._table["seats"].items()}

    def reasons(self, lang: str) -> dict[str, str]:
        return dict(self._table[f"reason_{lang}"])

    def _header_rows(self) -> list[tuple[str, str]]:
        w = self._weights
        return [("Score", f"unmet ** {w.demand:g} x employment ** {w.employment:g} x "
                          f"(1 + {w.shortage_bonus:g} x shortage)"),
                ("Seats", f"at most unmet / completion rate, rounded down to a course size "
                          f"of {', '.join(map(str, self._sizes))}"),
                ("Subjects", str(len(self._table))),
                ("Seats proposed", str(int(self._table["seats"].sum())))]

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Subjects, ranked", self._table.drop(columns=["reason_zh", "reason_en"]))]

    def _frame_row(self) -> tuple[str, dict]:
        return "plan", {"subjects": len(self._table), "seats": int(self._table["seats"].sum())}


def propose_plan(demand: DemandResults, skills: SkillsResults, record: pd.DataFrame, *,
                 subjects: Mapping[str, Sequence[str]], weights: Weights,
                 course_sizes: Sequence[int]) -> PlanResults:
    """Rank ``subjects`` (occupation → skill codes taught) and propose seats for each.

    Parameters
    ----------
    demand, skills : DemandResults, SkillsResults
        The area's shortage analysis and skills gap.
    record : DataFrame
        The track record, indexed by subject, with ``completion_rate`` and ``employed_6m``
        (:func:`evaluation.track_record.track_record`'s ``table``); subjects it lacks, or
        whose values are missing, get the mean of the others.
    weights : Weights
    course_sizes : sequence of int
        The class sizes allowed.
    """
    if not course_sizes or min(course_sizes) <= 0:
        raise ValueError("course_sizes must name at least one class size above 0.")
    gaps = skills.table
    rows = [_factors(code, taught, gaps, demand) for code, taught in subjects.items()]
    table = pd.DataFrame(rows).set_index("subject")
    _past(table, record, "employed_6m", "employment")
    _past(table, record, "completion_rate", "completion_rate")
    w = weights
    table["score"] = (table["unmet"].astype(float) ** w.demand
                      * table["employment"] ** w.employment
                      * (1 + w.shortage_bonus * table["shortage"]))
    table["seat_bound"] = [u / c if c > 0 else 0.0
                           for u, c in zip(table["unmet"], table["completion_rate"], strict=True)]
    table["seats"] = [max((s for s in course_sizes if s <= b), default=0)
                      for b in table["seat_bound"]]
    table = table.assign(_code=table.index).sort_values(
        ["score", "unmet", "_code"], ascending=[False, False, True]).drop(columns="_code")
    table.insert(0, "rank", range(1, len(table) + 1))
    for lang in ("zh", "en"):
        table[f"reason_{lang}"] = [_reason(code, row, lang) for code, row in table.iterrows()]
    return PlanResults(table, weights, sorted(course_sizes))


def _factors(code: str, taught: Sequence[str], gaps: pd.DataFrame,
             demand: DemandResults) -> dict:
    mine = gaps.reindex([s for s in taught if s in gaps.index])
    key = max(mine.index, key=lambda s: mine.at[s, "unlock"], default=None)
    status = demand.status(code)
    numbers = ({"unfilled": 0, "supply": 0, "unmet": 0} if key is None else
               {"unfilled": int(mine.at[key, "unfilled"]), "supply": int(mine.at[key, "supply"]),
                "unmet": int(mine.at[key, "unlock"])})
    return {"subject": code, "skills": tuple(taught), "key_skill": key, **numbers,
            "status": status, "shortage": SHORTAGE_FACTOR.get(status, 0.0)}


def _past(table: pd.DataFrame, record: pd.DataFrame, column: str, name: str) -> None:
    """The subject's past value, else the mean of the subjects that have one (``assumed``)."""
    past = (record[column] if column in record.columns else pd.Series(dtype=float)
            ).reindex(table.index).astype(float)
    known = record[column].dropna() if column in record.columns else pd.Series(dtype=float)
    fallback = float(known.mean()) if len(known) else 1.0
    table[name] = past.fillna(fallback)
    table[f"{name}_assumed"] = past.isna()


def _reason(code: str, row: pd.Series, lang: str) -> str:
    skill = vocab.skills().get(row["key_skill"] or "")
    skills = skill.name(lang) if skill else vocab.occupation_name(code, lang)
    key = "curriculum.reason_assumed" if row["employment_assumed"] else "curriculum.reason"
    return t(key, lang, unfilled=row["unfilled"], skills=skills, supply=row["supply"],
             employed=f"{row['employment']:.0%}", seats=row["seats"])
