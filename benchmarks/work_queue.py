"""Time of the landing page's work queue for each demo account on a large demo; prints JSON.

Usage: ``python benchmarks/work_queue.py [PERSONS] [SEED] [DATABASE_URL]`` (default 20,000
people on a fresh SQLite file; with a URL, that database is used as it is, e.g. a PostgreSQL
database holding a city-sized demo). For each account: the median of five runs, the number of
SQL statements one run sends, and, beside it, the time of the home-visit list the counts would
otherwise be read from.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

from casework import demo
from casework.access import ROLES
from casework.db import migrate
from casework.services import hardship, org, work_queue
from casework.services.uow import UnitOfWork

RUNS = 5


def _median_seconds(call) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 4)


def _statements(call) -> int:
    seen = []

    def note(*_args) -> None:
        seen.append(1)

    event.listen(Engine, "before_cursor_execute", note)
    try:
        call()
    finally:
        event.remove(Engine, "before_cursor_execute", note)
    return len(seen)


def measure(url: str) -> list[dict]:
    uow = UnitOfWork(url=url)
    out = []
    for role in ROLES:
        actor = org.load_actor(uow, f"demo-{role.replace('_', '-')}")
        queue = work_queue.work_queue(actor, uow)
        out.append({
            "role": role, "items": {i.key: i.count for i in queue},
            "seconds": _median_seconds(lambda a=actor: work_queue.work_queue(a, uow)),
            "statements": _statements(lambda a=actor: work_queue.work_queue(a, uow)),
            "visit_list_seconds": _median_seconds(lambda a=actor: hardship.households(a, uow)),
        })
    return out


def main(persons: int = 20_000, seed: int = 1, url: str | None = None) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        if url is None:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            migrate.upgrade(url)
            demo.generate(UnitOfWork(url=url), persons=persons, seed=seed,
                          as_of=dt.date.today())
        return {"benchmark": "work_queue", "persons": persons, "runs": RUNS,
                "accounts": measure(url)}


if __name__ == "__main__":
    args = sys.argv[1:]
    print(json.dumps(main(*(int(a) for a in args[:2]), *args[2:3]), ensure_ascii=False))
