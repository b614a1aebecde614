"""The tables of the curriculum planning app, as HTML with ``cw-*`` hooks for the browser tests:
rows carry ``data-occupation``, ``data-skill`` or ``data-subject`` (the vocabulary code)."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from casework import vocab
from casework.ui import format as fmt
from casework.ui.shell import AppContext
from evaluation.curriculum_plan import PlanResults
from evaluation.demand import INDICATORS

COLOURS = ("#e8f5e9", "#fff9c4", "#ffe0b2", "#ffcdd2")  # scores 0, 1, 2, 3


# Columns that are shares of a whole, shown as percentages.
SHARES = frozenset({"unfilled_share", "lacked_skill_share", "outflow", "employment",
                    "completion_rate", "employed_6m", "effect", "ci_low", "ci_high"})


def cell(value, column: str = "") -> str:
    """A table cell as people read it: shares as %, an unbounded ratio (openings and nobody
    wishing for them) as ∞, whole numbers without decimals, nothing known as empty."""
    if isinstance(value, float | np.floating):
        if pd.isna(value):
            return ""
        if np.isinf(value):
            return "∞"
        if column in SHARES:
            return fmt.percent(float(value), digits=0)
        return fmt.number(float(value), digits=0 if float(value).is_integer() else 2)
    return html.escape(str(value))


def _rank(value) -> str:
    return "" if pd.isna(value) else str(int(value))


def table(ctx: AppContext, codes, body: str) -> str:
    heads = "".join(f'<th class="cw-col-{c}">{html.escape(ctx.t(f"curriculum.col.{c}"))}</th>'
                    for c in codes)
    return (f'<div style="max-height:24em;overflow:auto"><table cellpadding="4">'
            f"<tr>{heads}</tr>{body}</table></div>")


def _occupation(ctx: AppContext, code: str) -> str:
    return html.escape(vocab.occupation_name(code, ctx.lang))


def demand_html(ctx: AppContext, frame: pd.DataFrame) -> str:
    cols = ("openings", "seekers", "vu_ratio", "days_to_fill", "unfilled_share",
            "lacked_skill_share", "outflow", "mean_score")
    body = "".join(
        f'<tr class="cw-demand-row cw-status-{r.status}" data-occupation="{code}">'
        f"<td>{_rank(r['rank'])}</td><td>{_occupation(ctx, code)}</td>"
        f"{''.join(f'<td>{cell(r[c], c)}</td>' for c in cols)}"
        f"<td>{html.escape(ctx.t(f'curriculum.status.{r.status}'))}</td></tr>"
        for code, r in frame.iterrows())
    return table(ctx, ("rank", "occupation", *cols, "status"), body)


def _score(value) -> str:
    if pd.isna(value):
        return "<td></td>"
    return f'<td style="background:{COLOURS[int(value)]};text-align:center">{int(value)}</td>'


def scores_html(ctx: AppContext, frame: pd.DataFrame) -> str:
    """The 0–3 indicator table, each score coloured from green (0) to red (3)."""
    body = "".join(
        f'<tr data-occupation="{code}"><td>{_occupation(ctx, code)}</td>'
        f"{''.join(_score(r[f'score_{n}']) for n in INDICATORS)}"
        f"<td>{cell(r['mean_score'])}</td></tr>" for code, r in frame.iterrows())
    return table(ctx, ("occupation", *INDICATORS, "mean_score"), body)


def skills_html(ctx: AppContext, frame: pd.DataFrame, unmapped) -> str:
    """The skills gap, and the free text that mapped to no vocabulary term."""
    skills = vocab.skills()
    cols = ("demand", "unfilled", "supply", "gap", "unlock", "location_quotient")

    def name(code: str) -> str:
        return html.escape(skills[code].name(ctx.lang) if code in skills else code)

    body = "".join(
        f'<tr data-skill="{code}"><td>{name(code)}</td>'
        f"{''.join(f'<td>{cell(frame.at[code, c], c)}</td>' for c in cols)}</tr>"
        for code in frame.index)
    listed = "、".join(f"{html.escape(text)} ({n})" for text, n in unmapped[:20])
    note = html.escape(ctx.t("curriculum.unmapped", count=sum(n for _, n in unmapped)))
    return (table(ctx, ("skill", *cols), body)
            + f'<p class="cw-unmapped">{note}{": " + listed if listed else ""}</p>')


def plan_html(ctx: AppContext, plan: PlanResults) -> str:
    """The plan, ranked: every factor of the score, the seats and the reason."""
    cols = ("unmet", "employment", "shortage", "score", "seats")
    body = "".join(
        f'<tr class="cw-plan-row" data-subject="{code}"><td>{int(r["rank"])}</td>'
        f"<td>{_occupation(ctx, code)}</td>"
        f"{''.join(f'<td>{cell(r[c], c)}</td>' for c in cols)}"
        f"<td>{html.escape(r[f'reason_{ctx.lang}'])}</td></tr>"
        for code, r in plan.table.iterrows())
    return table(ctx, ("rank", "subject", *cols, "reason"), body)


def trend_html(ctx: AppContext, trend: pd.DataFrame, ranking: list[str]) -> str:
    """Openings by month (columns) of the ranked occupations (rows), the tightest first."""
    if trend.empty:
        return ""
    rows = [c for c in ranking if c in trend.columns]
    months = list(trend.index)
    heads = "".join(f"<th>{html.escape(str(m))}</th>" for m in months)
    body = "".join(
        f'<tr data-occupation="{code}"><td>{_occupation(ctx, code)}</td>'
        + "".join(f"<td>{int(trend.loc[m, code])}</td>" for m in months) + "</tr>"
        for code in rows)
    caption = html.escape(ctx.t("curriculum.trend"))
    return (f'<p><b>{caption}</b></p><div class="cw-trend" style="overflow:auto">'
            f'<table cellpadding="3"><tr><th></th>{heads}</tr>{body}</table></div>')
