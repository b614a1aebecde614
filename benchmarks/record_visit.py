"""p95 of ``visits.record_visit`` on a demo of ``BENCH_VISIT_PERSONS`` people (default 5,000),
on a fresh SQLite file and a fresh PostgreSQL database; prints JSON.

The demo community worker records 200 visits, one after another, spread over the registered
households of their community (each call is its own transaction, as in the app).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import time
from pathlib import Path

from benchmarks.common import AS_OF, SEED, fresh_postgres, p95_ms
from casework import demo
from casework.db import migrate
from casework.services import hardship, org, visits
from casework.services.uow import UnitOfWork

VISITS = 200
WORKER = "demo-community-worker"


def _values(day: dt.date) -> dict:
    return {"visit_date": day, "living_conditions": "两居室，生活困难",
            "employment_status": [{"member": "户主", "status": "unemployed"},
                                  {"member": "配偶", "status": "flexible"}]}


def measure(url: str, persons: int) -> dict:
    migrate.upgrade(url)
    uow = UnitOfWork(url=url)
    demo.generate(uow, persons=persons, seed=SEED, as_of=AS_OF)
    actor = org.load_actor(uow, WORKER)
    households = [r.id for r in hardship.households(actor, uow)]
    samples = []
    for i in range(VISITS):
        started = time.perf_counter()
        visits.record_visit(actor, uow, household_id=households[i % len(households)],
                            values=_values(AS_OF), today=AS_OF)
        samples.append(time.perf_counter() - started)
    return {"households": len(households), "visits": VISITS, "p95_ms": p95_ms(samples),
            "median_ms": round(sorted(samples)[len(samples) // 2] * 1000, 2)}


def main() -> dict:
    persons = int(os.environ.get("BENCH_VISIT_PERSONS", "5000"))
    with tempfile.TemporaryDirectory() as folder:
        sqlite = measure(f"sqlite:///{Path(folder) / 'visits.db'}", persons)
    postgres = measure(fresh_postgres("casework_bench_visits"), persons)
    return {"benchmark": "record_visit", "persons": persons,
            "record_visit_p95_ms_sqlite": sqlite["p95_ms"],
            "record_visit_p95_ms_postgres": postgres["p95_ms"],
            "sqlite": sqlite, "postgres": postgres}


if __name__ == "__main__":
    print(json.dumps(main()))
