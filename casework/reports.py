"""Supervisors' reports as tables: progress against the target and advanced-unit candidates,
with column names in the reader's language, and the .xlsx workbook they go into."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from casework.i18n import t
from casework.services.progress import LEVELS, ProgressReport
from casework.services.recognition import PARTS, Candidate


def _col(name: str, lang: str) -> str:
    return t(f"reports.col.{name}", lang)


def level_frame(report: ProgressReport, level: str, lang: str) -> pd.DataFrame:
    """One row per unit of ``level`` in the reader's area: placements against the target."""
    rows = [{_col("code", lang): u.code, _col("unit", lang): u.name(lang),
             _col("placements", lang): u.placements, _col("stable", lang): u.stable,
             _col("target", lang): round(u.target, 1),
             _col("target_source", lang): t(f"reports.source.{u.target_source}", lang),
             _col("attainment", lang): round(100 * u.attainment, 1)}
            for u in report.level(level)]
    return pd.DataFrame(rows, columns=[_col(c, lang) for c in (
        "code", "unit", "placements", "stable", "target", "target_source", "attainment")])


def month_frame(report: ProgressReport, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{_col("month", lang): m.month, _col("placements", lang): m.placements,
                          _col("cumulative", lang): m.cumulative,
                          _col("target_to_date", lang): round(m.target_to_date, 1)}
                         for m in report.months])


def candidate_frame(candidates: list[Candidate], lang: str) -> pd.DataFrame:
    parts = [p for p in PARTS if any(p in c.parts for c in candidates)]
    columns = ["area", "kind", "rank", "unit", "score", *(f"part_{p}" for p in parts),
               "within_quota"]
    rows = [[c.parent_name(lang), t(f"reports.kind.{c.kind}", lang), c.rank, c.name(lang),
             c.score, *(c.parts.get(p) for p in parts),
             t("reports.yes" if c.within_quota else "reports.no", lang)]
            for c in candidates]
    return pd.DataFrame(rows, columns=[_col(c, lang) for c in columns])


def progress_frames(report: ProgressReport, candidates: list[Candidate], lang: str
                    ) -> dict[str, pd.DataFrame]:
    """The sheets of the progress workbook: one per level of the network, then the months and
    the advanced-unit candidates."""
    frames = {t(f"reports.sheet.{level}", lang): level_frame(report, level, lang)
              for level in LEVELS}
    frames[t("reports.sheet.months", lang)] = month_frame(report, lang)
    frames[t("reports.sheet.advanced", lang)] = candidate_frame(candidates, lang)
    return frames


def workbook_bytes(frames: Mapping[str, pd.DataFrame], *, index: bool = False) -> bytes:
    """An .xlsx with one sheet per table (sheet names are cut to Excel's 31 characters)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name[:31], index=index)
    return buffer.getvalue()


def write_workbook(frames: Mapping[str, pd.DataFrame], out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(workbook_bytes(frames))
    return out
