"""Supervisors' reports as tables: progress against the target, with the breakdown by kind of
employment, and advanced-unit candidates, with column names in the reader's language, and the
.xlsx workbook they go into."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from casework.i18n import t
from casework.services.progress import KINDS, LEVELS, ProgressReport
from casework.services.recognition import PARTS, Candidate

# The columns of level_frame, as codes (the page gives each cell a cw-col-<code> class).
LEVEL_COLUMNS = ("code", "unit", "counted", *(f"kind_{k}" for k in KINDS), "stable", "target",
                 "target_source", "attainment")


def _col(name: str, lang: str) -> str:
    return t(f"reports.col.{name}", lang)


def level_frame(report: ProgressReport, level: str, lang: str) -> pd.DataFrame:
    """One row per unit of ``level`` in the reader's area: the people counted against the
    target, and how (placement, self-employment with or without a loan, flexible work)."""
    rows = [[u.code, u.name(lang), u.counted, *(u.by_kind[k] for k in KINDS), u.stable,
             round(u.target, 1), t(f"reports.source.{u.target_source}", lang),
             round(100 * u.attainment, 1)]
            for u in report.level(level)]
    return pd.DataFrame(rows, columns=[_col(c, lang) for c in LEVEL_COLUMNS])


def month_frame(report: ProgressReport, lang: str) -> pd.DataFrame:
    columns = ("month", "counted", *(f"kind_{k}" for k in KINDS), "cumulative",
               "target_to_date")
    rows = [[m.month, m.counted, *(m.by_kind[k] for k in KINDS), m.cumulative,
             round(m.target_to_date, 1)] for m in report.months]
    return pd.DataFrame(rows, columns=[_col(c, lang) for c in columns])


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
