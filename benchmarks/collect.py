"""Gather the scripts' JSON (benchmarks/out/*.json) into benchmarks/results.json, its keys in
the issue's order; a key whose script failed is null. Prints the result."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
KEYS = ("form_interactive_cold_s", "form_interactive_preheated_s", "kernel_rss_mb",
        "kernel_rss_analysis_mb", "record_visit_p95_ms_sqlite", "record_visit_p95_ms_postgres",
        "overdue_list_5000_ms", "person_search_1m_ms", "demo_1m_s", "extract_1m_s",
        "evaluation_1m_s", "duckdb_same_1m_s", "machine")


def collect(folder: Path = HERE / "out") -> dict:
    found: dict = {}
    for path in sorted(folder.glob("*.json")):
        try:
            found.update(json.loads(path.read_text("utf-8")))
        except (json.JSONDecodeError, OSError):
            continue
    return {key: found.get(key) for key in KEYS}


if __name__ == "__main__":
    results = collect()
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                                       "utf-8")
    print(json.dumps(results, ensure_ascii=False))
