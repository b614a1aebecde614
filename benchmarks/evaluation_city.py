"""Time of the training evaluation on the city-sized demo's extract (extract_city.py ran
first), and of the same aggregations in DuckDB over the same Parquet files; prints JSON.

``evaluation_1m_s``: reading the extract, the training effect (IPW, analytic standard error,
by course start: the design builds every person × course-of-their-street pair) and the gross
cost per placement by street. ``duckdb_same_1m_s``: DuckDB reading the same Parquet files and
computing the aggregations these rest on: per course, the jobseekers of its street registered
by its start and those of them who enrolled; per street, placements, subsidised placements and
paid outlays. The same aggregations as the evaluation computes them are timed beside it
(``ours_same_1m_s``: reading the Parquet files, the design's usable people, its person ×
course pairs, which DuckDB joins (evaluation/cohorts.py), and its lookup of who enrolled, then
counted per course; the cost by street as ``cost_per_placement`` does it), and both answers
are checked to agree.
"""

from __future__ import annotations

import json
import os
import warnings

import numpy as np
import pandas as pd

from benchmarks.common import city_extract, clocks, persons
from casework.policy import JOBSEEKERS
from evaluation.cohorts import pair_rows
from evaluation.costs import cost_per_placement
from evaluation.design import (
    _courses,
    _usable_people,
    started_status,
    training_design,
)
from evaluation.extract import load_extract
from evaluation.training import training_effect

# A period's first and last month as year × 12 + month − 1 (evaluation.periods.bounds).
FIRST = """CASE WHEN {c} LIKE '____-Q_' THEN CAST(left({c}, 4) AS INT) * 12
                    + (CAST(right({c}, 1) AS INT) - 1) * 3
               WHEN length({c}) = 4 THEN CAST({c} AS INT) * 12
               ELSE CAST(left({c}, 4) AS INT) * 12 + CAST(right({c}, 2) AS INT) - 1 END"""
COHORTS = """
WITH people AS (
    SELECT pid, street, {first} AS reg_first FROM read_parquet('{folder}/persons.parquet')
    WHERE category IN ({seekers}) AND street IS NOT NULL AND registered_month IS NOT NULL),
courses AS (
    SELECT course_id, street, {start} AS start FROM read_parquet('{folder}/courses.parquet')),
enrolled AS (
    SELECT DISTINCT pid, course_id FROM read_parquet('{folder}/enrolments.parquet')
    WHERE status IN ('enrolled', 'completed', 'dropped') AND course_id IS NOT NULL)
SELECT c.course_id, count(*) AS at_risk, count(e.pid) AS treated
FROM courses c JOIN people p ON p.street = c.street AND p.reg_first <= c.start
LEFT JOIN enrolled e ON e.pid = p.pid AND e.course_id = c.course_id
GROUP BY c.course_id ORDER BY c.course_id"""
COSTS = """
WITH placements AS (
    SELECT placement_id, coalesce(street, 'withheld') AS street
    FROM read_parquet('{folder}/placements.parquet')),
paid AS (
    SELECT placement_id, amount FROM read_parquet('{folder}/subsidies.parquet')
    WHERE status = 'paid')
SELECT p.street, count(DISTINCT p.placement_id) AS placements,
       count(DISTINCT q.placement_id) AS subsidised_placements,
       coalesce(sum(q.amount), 0) AS outlays
FROM placements p LEFT JOIN paid q USING (placement_id)
GROUP BY p.street ORDER BY p.street"""


USED = {"persons": ("pid", "category", "street", "registered_month",
                    "months_out_at_registration"),
        "courses": ("course_id", "street", "kind", "occupation", "start_month", "end_month",
                    "cost_per_trainee"),
        "enrolments": ("pid", "course_id", "status"),
        "placements": ("placement_id", "street"),
        "subsidies": ("placement_id", "status", "amount")}


def ours(folder) -> dict:
    """The evaluation as the training-evaluation page runs it, step by step."""
    out: dict = {}
    times = {"load_s": clocks(lambda: out.update(extract=load_extract(folder)))}
    extract = out["extract"]
    times["design_s"] = clocks(lambda: out.update(design=training_design(extract)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        times["ipw_s"] = clocks(lambda: out.update(effect=training_effect(
            extract, method="ipw", design=out["design"])))
        times["cost_by_street_s"] = clocks(lambda: out.update(
            cost=cost_per_placement(extract, by="street")))
    effect = out["effect"]
    return {"wall_s": {k: round(v[0], 2) for k, v in times.items()},
            "cpu_s": {k: round(v[1], 2) for k, v in times.items()},
            "seconds": round(sum(v[0] for v in times.values()), 2),
            "cpu_seconds": round(sum(v[1] for v in times.values()), 2),
            "rows": len(out["design"].frame),
            "att": round(effect.estimate, 4), "std_error": round(effect.std_error, 4),
            "se_type": effect.se_type, "streets": len(out["cost"].table)}


def ours_same(folder) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The aggregations DuckDB is given, with the evaluation's own functions: its usable
    people, its person × course pairs (``cohorts.pair_rows``) and its lookup of who enrolled
    (``design.started_status``), counted per course; the cost by street as
    ``cost_per_placement`` computes it. Like DuckDB, it reads only the columns it uses."""
    tables = {name: pd.read_parquet(folder / f"{name}.parquet", columns=list(columns))
              for name, columns in USED.items()}
    people, _left = _usable_people(tables["persons"])
    courses = _courses(tables["courses"])
    prow, crow = pair_rows(people, courses)
    status, _others = started_status(pd.DataFrame({"_prow": prow, "_crow": crow}), people,
                                     courses, tables["enrolments"])
    cohorts = pd.DataFrame({
        "at_risk": np.bincount(crow, minlength=len(courses)),
        "treated": np.bincount(crow, weights=pd.notna(status), minlength=len(courses))},
        index=pd.Index(courses["course_id"], name="course_id")).astype(int)

    class Tables:  # what cost_per_placement reads of an extract
        placements = tables["placements"]
        subsidies = tables["subsidies"]

    costs = cost_per_placement(Tables, by="street").table
    return cohorts, costs


def duckdb_same(folder) -> tuple[pd.DataFrame, pd.DataFrame]:
    import duckdb

    seekers = ", ".join(f"'{c}'" for c in (*JOBSEEKERS, "jobseeker"))
    with duckdb.connect() as con:
        cohorts = con.sql(COHORTS.format(
            folder=folder, seekers=seekers, first=FIRST.format(c="registered_month"),
            start=FIRST.format(c="start_month"))).df().set_index("course_id")
        costs = con.sql(COSTS.format(folder=folder)).df().set_index("street")
    return cohorts, costs


def _agree(ours_: tuple, theirs: tuple) -> bool:
    (c1, k1), (c2, k2) = ours_, theirs
    c1 = c1[c1["at_risk"] > 0].sort_index()
    same_cohorts = np.array_equal(c1.index.to_numpy(dtype=int), c2.index.to_numpy(dtype=int)) \
        and np.array_equal(c1.to_numpy(dtype=int), c2.to_numpy(dtype=int))
    k1 = k1.sort_index()
    same_costs = list(k1.index.astype(str)) == list(k2.index.astype(str)) and np.allclose(
        k1[["placements", "subsidised_placements", "outlays"]].to_numpy(dtype=float),
        k2[["placements", "subsidised_placements", "outlays"]].to_numpy(dtype=float))
    return bool(same_cohorts and same_costs)


def main() -> dict:
    folder = city_extract()
    load = [round(x, 2) for x in os.getloadavg()]  # others' work slows the wall time
    evaluation = ours(folder)
    found: dict = {}
    ours_s, ours_cpu = clocks(lambda: found.update(ours=ours_same(folder)))
    duck_s, duck_cpu = clocks(lambda: found.update(duckdb=duckdb_same(folder)))
    return {"benchmark": "evaluation_city", "persons": persons(),
            "evaluation_1m_s": evaluation["seconds"], "duckdb_same_1m_s": round(duck_s, 2),
            "ours_same_1m_s": round(ours_s, 2), "ours_over_duckdb": round(ours_s / duck_s, 2),
            "cpu_s": {"evaluation": evaluation["cpu_seconds"], "ours_same": round(ours_cpu, 2),
                      "duckdb_same": round(duck_cpu, 2)},
            "same_answers": _agree(found["ours"], found["duckdb"]),
            "load_average_1_5_15_min": load, "evaluation": evaluation}


if __name__ == "__main__":
    print(json.dumps(main()))
