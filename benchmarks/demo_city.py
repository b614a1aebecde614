"""Time of the demo generator for a city: ``BENCH_PERSONS`` people (default 1,000,000) with
their events, on a fresh SQLite file under ``BENCH_DIR``; prints JSON.

The database stays for the scripts that follow (person_search, extract_city, evaluation_city).
"""

from __future__ import annotations

import json
import os
import resource

from benchmarks.common import AS_OF, SEED, city_url, clocks, data_dir, persons
from casework import demo
from casework.db import migrate
from casework.services.uow import UnitOfWork


def main() -> dict:
    count = persons()
    url = city_url()
    for old in data_dir().glob(f"city-{count}.db*"):
        old.unlink()
    migrate.upgrade(url)
    summary = {}

    def run() -> None:
        summary["demo"] = demo.generate(UnitOfWork(url=url), persons=count, seed=SEED,
                                        as_of=AS_OF)

    load_before = os.getloadavg()
    seconds, cpu = clocks(run)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"benchmark": "demo_city", "persons": count, "demo_1m_s": round(seconds, 1),
            "cpu_s": round(cpu, 1),
            "per_1000_persons_s": round(seconds / count * 1000, 3),
            "peak_rss_mb": round(peak), "database": url,
            # The machine is shared: wall time grows with the others' load, CPU time much less.
            "load_average_1_min": {"start": round(load_before[0], 2),
                                   "end": round(os.getloadavg()[0], 2)}}


if __name__ == "__main__":
    print(json.dumps(main()))
