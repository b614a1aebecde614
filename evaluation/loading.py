"""Reading an extract back: one DataFrame per table, with its manifest.

Periods stay text (``YYYY-MM``, ``YYYY-Qn``, ``YYYY`` or missing); read them with
``evaluation.periods.bounds`` or ``periods.months``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evaluation.release_policy import TABLES, released

REWRITE = "write it again with `casework extract --out DIR --purpose \"...\"`"


@dataclass(frozen=True)
class Extract:
    """An extract read back: one DataFrame per table, with the manifest."""

    folder: Path
    tables: dict[str, pd.DataFrame]
    manifest: dict

    def __getattr__(self, name: str) -> pd.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            raise AttributeError(name) from None


def load_extract(folder: str | Path) -> Extract:
    """Read what ``casework extract --out DIR`` wrote."""
    folder = Path(folder)
    if not (folder / "manifest.json").exists():
        raise ValueError(f"{folder} holds no extract: manifest.json is missing. Write one with "
                         "`casework extract --out DIR --purpose \"...\"`.")
    missing = [name for name in TABLES if not (folder / f"{name}.parquet").exists()]
    if missing:
        raise ValueError(f"The extract in {folder} lacks {', '.join(missing)} (it was written "
                         f"by an older version); {REWRITE}.")
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
    for name, frame in tables.items():
        absent = [c for c in released(name) if c not in frame.columns]
        if absent:
            raise ValueError(f"The {name} table of the extract in {folder} lacks "
                             f"{', '.join(absent)} (it was written by an older version, "
                             f"with dates as days); {REWRITE}.")
        for column in frame.columns:
            if column.endswith("_month"):
                frame[column] = frame[column].astype("object").where(frame[column].notna(),
                                                                     None)
    return Extract(folder, tables, json.loads((folder / "manifest.json").read_text("utf-8")))
