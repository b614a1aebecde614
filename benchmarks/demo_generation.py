"""Time and peak memory of `casework demo` on a fresh SQLite file; prints JSON.

Timed without tracemalloc, which slows the generator's many small objects several times over;
the peak of Python's memory comes from a second, traced run.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from casework import demo
from casework.db import migrate
from casework.services.uow import UnitOfWork


def _generate(persons: int, seed: int, *, traced: bool) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate.upgrade(url)
        if traced:
            tracemalloc.start()
        started = time.perf_counter()
        demo.generate(UnitOfWork(url=url), persons=persons, seed=seed, as_of=dt.date(2026, 1, 1))
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        tracemalloc.stop()
    return seconds, peak


def main(persons: int = 5000, seed: int = 1) -> dict:
    seconds, _ = _generate(persons, seed, traced=False)
    _, peak = _generate(persons, seed, traced=True)
    return {"benchmark": "demo_generation", "persons": persons, "seconds": round(seconds, 3),
            "peak_python_mib": round(peak / 2**20, 1)}


if __name__ == "__main__":
    print(json.dumps(main(*(int(a) for a in sys.argv[1:]))))
