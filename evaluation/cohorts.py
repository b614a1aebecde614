"""The cohort joins of the training design in DuckDB: people × courses of their street, and
what each pair's person did around the course (work spells, other enrolments).

pandas merges of the person × course pairs (nearly 900,000 on a city of a million) with the
work spells took most of the design's time, and DuckDB does the same joins and aggregations
several times faster (benchmarks/evaluation_city.py). People, courses, spells and enrolments go
in as integer codes (a person is their row among the usable people, a course its row among the
courses), so only numbers cross into DuckDB, and each answer comes back as an array in the
pairs' order. The rules are those of :mod:`evaluation.design` and :mod:`evaluation.spells`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation.spells import EARLIEST

_PAIRS = """
SELECT p.prow, c.crow FROM people p JOIN courses c
    ON p.street = c.street AND p.reg_first <= c.start
ORDER BY p.prow, c.crow"""
_AT_RISK = """
WITH spell_hits AS (
    SELECT q.row,
           bool_or(s.start <= q.start - 1 AND s."end" > q.start - 1) AS in_work,
           bool_or(s.start >= q.start AND s.start <= q."end") AS job_during
    FROM pairs q JOIN spells s ON s.prow = q.prow GROUP BY q.row),
trained AS (
    SELECT DISTINCT q.row FROM pairs q JOIN others o
        ON o.prow = q.prow AND o.crow <> q.crow AND o.start <= q.start)
SELECT q.row, coalesce(h.in_work, false) AS in_work,
       coalesce(h.job_during, false) AS job_during, t.row IS NOT NULL AS trained_before
FROM pairs q LEFT JOIN spell_hits h ON h.row = q.row LEFT JOIN trained t ON t.row = q.row"""
_IN_FORCE = "s.start <= q.\"end\" + {h} AND s.\"end\" > q.\"end\" + {h}"
_OUTCOMES = """
SELECT q.row, max(s."end") FILTER (WHERE s."end" <= q.start - 1) AS last_work_end,
       {outcomes},
       bool_or(s.start > {earliest} AND s.start < q.start) AS worked_before
FROM pairs q JOIN spells s ON s.prow = q.prow GROUP BY q.row"""


def _connect():
    import duckdb

    return duckdb.connect()


def person_rows(people: pd.DataFrame, pid: pd.Series) -> np.ndarray:
    """Each ``pid``'s row among ``people`` (-1 for someone not among them)."""
    return pd.Index(people["pid"]).get_indexer(pid)


def pair_rows(people: pd.DataFrame, courses: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Rows of people and of courses of each pair of a person with a course of their street
    that began in or after the first month of their registration, in people's order and, for
    one person, the courses' (the order of ``people.merge(courses, on="street")``)."""
    streets = pd.factorize(pd.concat([people["street"], courses["street"]],
                                     ignore_index=True))[0]
    left = pd.DataFrame({"prow": np.arange(len(people)), "street": streets[:len(people)],
                         "reg_first": people["reg_first"].to_numpy(dtype=float)})
    right = pd.DataFrame({"crow": np.arange(len(courses)), "street": streets[len(people):],
                          "start": courses["start"].to_numpy(dtype=float)})
    with _connect() as con:
        con.register("people", left)
        con.register("courses", right)
        found = con.sql(_PAIRS).fetchnumpy()
    return found["prow"].astype(np.int64), found["crow"].astype(np.int64)


def at_risk_facts(prow: np.ndarray, crow: np.ndarray, start: np.ndarray, end: np.ndarray,
                  spells: pd.DataFrame, others: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per pair: ``in_work`` at the end of the month before the course began, ``job_during``
    (a work spell began from its start month to its end month) and ``trained_before`` (the
    person began another course of ``others`` by this one's start month).

    ``spells``: ``prow``, ``start``, ``end`` (integer months); ``others``: ``prow``, ``crow``,
    ``start`` of each course a person began.
    """
    pairs = _pairs_frame(prow, start, end, crow=crow)
    with _connect() as con:
        con.register("pairs", pairs)
        con.register("spells", spells[["prow", "start", "end"]])
        con.register("others", others[["prow", "crow", "start"]])
        found = con.sql(_AT_RISK).fetchnumpy()
    return _scatter(found, len(pairs), {"in_work": False, "job_during": False,
                                        "trained_before": False})


def outcome_facts(prow: np.ndarray, start: np.ndarray, end: np.ndarray, spells: pd.DataFrame,
                  horizons: tuple[int, ...]) -> dict[str, np.ndarray]:
    """Per pair: ``last_work_end`` (the latest end of a work spell ended by the month before
    the course began, NaN if none), ``in_work_<h>`` and ``wage_<h>`` at the end of the month
    ``h`` months after its end month (the wage of the latest begun spell then in force, 0 when
    none) and ``worked_before`` (a work spell begun after registration and before its start
    month)."""
    pairs = _pairs_frame(prow, start, end)
    outcomes = ",\n       ".join(
        f"bool_or({_IN_FORCE.format(h=h)}) AS in_work_{h}, "
        f"arg_max(s.wage, s.start) FILTER (WHERE {_IN_FORCE.format(h=h)}) AS wage_{h}"
        for h in horizons)
    with _connect() as con:
        con.register("pairs", pairs)
        con.register("spells", spells[["prow", "start", "end", "wage"]])
        found = con.sql(_OUTCOMES.format(outcomes=outcomes, earliest=EARLIEST)).fetchnumpy()
    empty = {"last_work_end": np.nan, "worked_before": False}
    for h in horizons:
        empty |= {f"in_work_{h}": False, f"wage_{h}": 0.0}
    return _scatter(found, len(pairs), empty)


def _pairs_frame(prow, start, end, crow=None) -> pd.DataFrame:
    frame = {"row": np.arange(len(prow)), "prow": prow,
             "start": np.asarray(start, dtype=np.int64), "end": np.asarray(end, dtype=np.int64)}
    if crow is not None:
        frame["crow"] = crow
    return pd.DataFrame(frame)


def _scatter(found: dict, n: int, empty: dict) -> dict[str, np.ndarray]:
    """Columns of a query's answer in the pairs' order; pairs it lacks, or where it gave
    NULL, take ``empty``'s value."""
    rows = np.asarray(found["row"])
    out = {}
    for name, default in empty.items():
        column = np.full(n, default, dtype=type(default) if isinstance(default, bool)
                         else float)
        values = found[name]
        if isinstance(values, np.ma.MaskedArray):
            mask = np.ma.getmaskarray(values)
            column[rows[~mask]] = values.data[~mask]
        else:
            column[rows] = values
        out[name] = column
    return out
