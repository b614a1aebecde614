"""What the `make bench` scripts share: the data folder, the city-sized demo's size and date,
timing helpers and the machine's description.

The city-sized scripts (demo_city, person_search, extract_city, evaluation_city) run in that
order on one demo: ``BENCH_PERSONS`` people (default 1,000,000) in ``BENCH_DIR`` (default
benchmarks/.data), so each later script reads what the one before it wrote.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

AS_OF = dt.date(2026, 1, 1)  # the demo's clock: fixed, so two runs build the same rows
SEED = 1


def data_dir() -> Path:
    folder = Path(os.environ.get("BENCH_DIR", Path(__file__).resolve().parent / ".data"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def persons() -> int:
    return int(os.environ.get("BENCH_PERSONS", "1000000"))


def city_url() -> str:
    """The city-sized demo's SQLite database (written by demo_city.py)."""
    return f"sqlite:///{data_dir() / f'city-{persons()}.db'}"


def city_extract() -> Path:
    """The research extract of the city-sized demo (written by extract_city.py)."""
    return data_dir() / f"extract-{persons()}"


def postgres_url(database: str = "casework_bench") -> str:
    server = os.environ.get("BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
    return f"{server}/{database}"


def fresh_postgres(database: str = "casework_bench") -> str:
    """Drop and create ``database`` on the benchmark's PostgreSQL server; its URL."""
    import psycopg

    server = postgres_url("postgres").replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    return postgres_url(database)


def timed(call: Callable[[], object]) -> float:
    """Seconds ``call`` took."""
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def clocks(call: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, this process's CPU seconds) of ``call``: on a busy machine the first
    grows with the others' load, the second much less."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def median_ms(call: Callable[[], object], runs: int = 5) -> float:
    """Median of ``runs`` timings of ``call``, after one warm-up run, in milliseconds."""
    call()
    return round(statistics.median(timed(call) for _ in range(runs)) * 1000, 1)


def median_cpu_ms(call: Callable[[], object], runs: int = 5) -> float:
    """Median of ``runs`` CPU times of ``call`` in this process, after one warm-up run, in
    milliseconds: what the call costs whatever else the machine is doing."""
    call()
    return round(statistics.median(clocks(call)[1] for _ in range(runs)) * 1000, 1)


def p95_ms(samples: list[float]) -> float:
    """The 95th percentile of ``samples`` (seconds), in milliseconds."""
    return round(statistics.quantiles(samples, n=20)[-1] * 1000, 2)


def machine() -> dict:
    """Cores, memory and CPU model of this computer."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {"cores": os.cpu_count(), "memory_gb": round(memory / 2**30, 1), "cpu": model,
            "python": platform.python_version(), "system": platform.platform(),
            # Other work on the machine slows every timing: the load when the run began.
            "load_average_1_5_15_min": [round(x, 2) for x in os.getloadavg()]}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
