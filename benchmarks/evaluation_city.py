"""Time of the training evaluation on the city-sized demo's extract (extract_city.py ran
first), and of the same aggregations in DuckDB over the same Parquet files; prints JSON.

``evaluation_1m_s``: reading the extract, the training effect (IPW, analytic standard error,
by course start: the design builds every person × course-of-their-street pair) and the gross
cost per placement by street. ``duckdb_same_1m_s``: DuckDB reading the same Parquet files and
computing the aggregations these rest on: per course, the jobseekers of its street registered
by its start and those of them who enrolled; per street, placements, subsidised placements and
paid outlays. The same aggregations in pandas are timed beside it (``pandas_same_1m_s``), and
both answers are checked to agree.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd

from benchmarks.common import city_extract, clocks, persons, timed
from casework.policy import JOBSEEKERS
from evaluation.costs import cost_per_placement
from evaluation.design import _courses, _pairs, _usable_people, training_design
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


def pandas_same(folder) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The aggregations DuckDB is given, with the evaluation's own pandas code."""
    tables = {name: pd.read_parquet(folder / f"{name}.parquet")
              for name in ("persons", "courses", "enrolments", "placements", "subsidies")}
    people, _left = _usable_people(tables["persons"])
    pairs = _pairs(people, _courses(tables["courses"]))
    enrolments = tables["enrolments"]
    started = enrolments[enrolments["status"].isin(("enrolled", "completed", "dropped"))
                         & enrolments["course_id"].notna()].drop_duplicates(["pid", "course_id"])
    pairs = pairs.merge(started[["pid", "course_id"]].assign(treated=1),
                        on=["pid", "course_id"], how="left")
    cohorts = pairs.groupby("course_id").agg(at_risk=("pid", "size"),
                                             treated=("treated", "count"))

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
    evaluation = ours(folder)
    found: dict = {}
    pandas_s = timed(lambda: found.update(pandas=pandas_same(folder)))
    duck_s = timed(lambda: found.update(duckdb=duckdb_same(folder)))
    return {"benchmark": "evaluation_city", "persons": persons(),
            "evaluation_1m_s": evaluation["seconds"], "duckdb_same_1m_s": round(duck_s, 2),
            "pandas_same_1m_s": round(pandas_s, 2),
            "pandas_over_duckdb": round(pandas_s / duck_s, 2),
            "same_answers": _agree(found["pandas"], found["duckdb"]), "evaluation": evaluation}


if __name__ == "__main__":
    print(json.dumps(main()))
