"""Time of the research extract of the city-sized demo (demo_city.py ran first); prints JSON.

The extract (Parquet files, dictionary, manifest) is written under ``BENCH_DIR`` for
evaluation_city.py; the time covers reading the ledger, the release rules and the writing.
"""

from __future__ import annotations

import json
import os
import shutil

from benchmarks.common import AS_OF, city_extract, city_url, clocks, persons
from casework.services import org
from casework.services.uow import UnitOfWork
from evaluation.extract import write_extract


def main() -> dict:
    out = city_extract()
    shutil.rmtree(out, ignore_errors=True)
    uow = UnitOfWork(url=city_url())
    actor = org.load_actor(uow, "demo-researcher")
    summary = {}

    def run() -> None:
        summary["extract"] = write_extract(actor, uow, out=out, as_of=AS_OF,
                                           purpose="benchmarks/extract_city.py")

    load = [round(x, 2) for x in os.getloadavg()]  # others' work slows the wall time
    seconds, cpu = clocks(run)
    return {"benchmark": "extract_city", "persons": persons(), "extract_1m_s": round(seconds, 1),
            "cpu_s": round(cpu, 1), "load_average_1_5_15_min": load,
            "rows": summary["extract"].rows, "folder": str(out)}


if __name__ == "__main__":
    print(json.dumps(main()))
