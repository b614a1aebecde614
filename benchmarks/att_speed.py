"""Time and peak memory of estimate_att with analytic SEs on a large data set; prints JSON.

Usage: ``python benchmarks/att_speed.py [ROWS] [SEED]`` (default 1,000,000 rows, 10 covariates,
about 5% treated). Each method runs twice: once timed, once under tracemalloc for the peak.
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd

from evaluation import OverlapWarning, estimate_att

METHODS = ("ipw", "aipw", "psm", "regression")
COVARIATES = [f"x{j}" for j in range(10)]


def simulate(rows: int, seed: int) -> pd.DataFrame:
    """Six normal and four binary covariates; selection and outcome depend on all of them."""
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.normal(size=(rows, 6)), rng.random((rows, 4)) < 0.4]).astype(float)
    slope = np.linspace(0.6, -0.3, 10)
    treated = rng.random(rows) < 1 / (1 + np.exp(-(-3.2 + X @ slope)))
    y = X @ np.linspace(1.0, 0.1, 10) + treated * (0.5 + 0.3 * X[:, 0]) + rng.normal(size=rows)
    data = pd.DataFrame(X, columns=COVARIATES)
    data["treat"], data["y"] = treated.astype(int), y
    return data


def run(data: pd.DataFrame, method: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OverlapWarning)
        return estimate_att(data, treatment="treat", outcome="y", covariates=COVARIATES,
                            method=method)


def main(rows: int = 1_000_000, seed: int = 1) -> dict:
    data = simulate(rows, seed)
    results = {}
    for method in METHODS:
        started = time.perf_counter()
        res = run(data, method)
        seconds = time.perf_counter() - started
        tracemalloc.start()
        run(data, method)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results[method] = {"seconds": round(seconds, 2), "peak_python_mib": round(peak / 2**20),
                           "estimate": round(res.estimate, 4),
                           "std_error": round(res.std_error, 4), "se_type": res.se_type}
    return {"benchmark": "att_speed", "rows": rows, "covariates": len(COVARIATES),
            "treated": int(data["treat"].sum()), "methods": results}


if __name__ == "__main__":
    print(json.dumps(main(*(int(a) for a in sys.argv[1:]))))
