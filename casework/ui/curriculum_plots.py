"""The four pictures of the curriculum planning app, drawn with a CJK font (mplfonts).

Each function takes the Results the page already has and returns a matplotlib Figure; labels
come from the catalogue through ``t``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from casework import vocab
from evaluation.demand import INDICATORS

Label = Callable[..., str]


def _figure(width: float = 6.0, height: float = 4.0):
    from matplotlib.figure import Figure

    from evaluation.plotting import use_cjk_font

    use_cjk_font()
    fig = Figure(figsize=(width, height))
    return fig, fig.add_subplot()


def bubbles(table: pd.DataFrame, t: Label, lang: str):
    """V/U against median days to fill, each bubble sized by the occupation's openings."""
    fig, ax = _figure()
    rows = table[table["days_to_fill"].notna() & np.isfinite(table["vu_ratio"])
                 & (table["openings"] > 0)]
    ax.scatter(rows["days_to_fill"], rows["vu_ratio"], s=20 + 3 * rows["openings"], alpha=0.5)
    for code, row in rows.iterrows():
        ax.annotate(vocab.occupation_name(code, lang), (row["days_to_fill"], row["vu_ratio"]),
                    fontsize=8)
    ax.set(title=t("curriculum.bubble_title"), xlabel=t("curriculum.bubble_x"),
           ylabel=t("curriculum.bubble_y"))
    return fig


def score_heat(table: pd.DataFrame, t: Label, lang: str):
    """The 0–3 indicator table, coloured (blank where an indicator could not be computed)."""
    scores = table[[f"score_{n}" for n in INDICATORS]].astype(float)
    fig, ax = _figure(6.5, 0.9 + 0.32 * max(len(scores), 1))
    ax.imshow(scores.to_numpy(), cmap="RdYlGn_r", vmin=0, vmax=3, aspect="auto")
    for (i, j), value in np.ndenumerate(scores.to_numpy()):
        if not np.isnan(value):
            ax.text(j, i, f"{value:.0f}", ha="center", va="center", fontsize=8)
    ax.set_xticks(range(len(INDICATORS)), [t(f"curriculum.col.{n}") for n in INDICATORS],
                  rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(scores)), [vocab.occupation_name(c, lang) for c in scores.index],
                  fontsize=8)
    ax.set_title(t("curriculum.heat_title"))
    fig.tight_layout()
    return fig


def gap_bars(table: pd.DataFrame, t: Label, lang: str, *, top: int = 8):
    """Paired bars of demand and supply for the skills with the largest gaps."""
    rows = table[table["gap"] > 0].sort_values("gap", ascending=False).head(top)
    fig, ax = _figure()
    y = np.arange(len(rows))
    ax.barh(y - 0.2, rows["demand"], height=0.4, label=t("curriculum.bars_demand"))
    ax.barh(y + 0.2, rows["supply"], height=0.4, label=t("curriculum.bars_supply"))
    skills = vocab.skills()
    ax.set_yticks(y, [skills[c].name(lang) if c in skills else c for c in rows.index])
    ax.invert_yaxis()
    ax.legend()
    ax.set_title(t("curriculum.bars_title"))
    fig.tight_layout()
    return fig


def street_map(postings: pd.DataFrame, street_names: dict[str, str], t: Label, lang: str):
    """Openings by occupation (rows) and street (columns)."""
    rows = postings.assign(street=postings["area"].str.split("/").str[3])
    grid = rows.pivot_table(index="occupation", columns="street", values="openings",
                            aggfunc="sum", fill_value=0)
    fig, ax = _figure(7.0, 1.0 + 0.3 * max(len(grid), 1))
    if grid.empty:
        return fig
    ax.imshow(grid.to_numpy(), cmap="Blues", aspect="auto")
    ax.set_xticks(range(grid.shape[1]), [street_names.get(c, c) for c in grid.columns],
                  rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(grid.shape[0]), [vocab.occupation_name(c, lang) for c in grid.index],
                  fontsize=8)
    ax.set_title(t("curriculum.map_title"))
    fig.tight_layout()
    return fig
