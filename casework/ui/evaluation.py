"""The training-evaluation page: outcomes, time to placement and effects, each number with a
sentence that says what it means. All computing is in ``evaluation``; this only lays it out."""

from __future__ import annotations

import base64
import html
import io
import os
import warnings
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from casework import settings, vocab
from casework.ui.common import download_link, title
from casework.ui.shell import AppContext
from evaluation import OverlapWarning
from evaluation.extract import load_extract
from evaluation.outcomes import time_to_placement, training_outcomes
from evaluation.training import training_effect

METHODS = ("difference", "regression", "ipw", "psm")


def extract_folder(params: dict[str, str]) -> Path:
    """``?extract=DIR``, else ``CASEWORK_EXTRACT``, else data/extracts/demo."""
    return Path(params.get("extract") or os.environ.get("CASEWORK_EXTRACT")
                or settings.data_dir() / "extracts" / "demo")


def build_training_evaluation(ctx: AppContext, folder: Path, *, n_boot: int = 100
                              ) -> widgets.Widget:
    """The whole page, or a message saying how to write an extract when there is none."""
    t = ctx.t
    try:
        extract = load_extract(folder)
    except ValueError:
        page = widgets.HTML(f"<p>{html.escape(t('eval.no_extract', folder=folder))}</p>")
        page.add_class("cw-status")
        return widgets.VBox([title(ctx, "apps.evaluation_training.title"), page])
    outcomes = training_outcomes(extract, by="occupation")
    curves = time_to_placement(extract, by="kind", labels={
        k: vocab.label("course_kind", k, ctx.lang) for k in vocab.COURSE_KINDS})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OverlapWarning)
            effects = {m: training_effect(extract, method=m, n_boot=n_boot) for m in METHODS}
            wage = training_effect(extract, outcome="wage_6m", method="ipw", n_boot=n_boot)
    except ValueError as exc:  # too few people, or no overlap: say so instead of failing
        problem = _html(t("eval.cannot_estimate", reason=str(exc)), "cw-status")
        return widgets.VBox([title(ctx, "apps.evaluation_training.title"), problem])
    parts = [title(ctx, "apps.evaluation_training.title"),
             _html(t("eval.source", folder=folder, written=extract.manifest["written"][:10])),
             _section(t("eval.outcomes"), _outcome_sentence(ctx, outcomes), outcomes),
             _section(t("eval.placement_time"), t("eval.placement_sentence"), curves),
             _figure(curves.plot(title=t("eval.km_title"), xlabel=t("eval.km_x"),
                                 ylabel=t("eval.km_y"))),
             _section(t("eval.effects"), _effect_sentences(ctx, effects, wage),
                      _effects_table(effects, wage)),
             _section(t("eval.balance"), t("eval.balance_sentence"), effects["ipw"].balance),
             download_link(ctx, {"outcomes": outcomes.table, "placement": curves.medians,
                             "effects": _effects_table(effects, wage),
                             "balance": effects["ipw"].balance},
                           "training-evaluation.xlsx", "eval.download")]
    page = widgets.VBox(parts)
    page.add_class("cw-evaluation")
    return page


def _html(text: str, css: str | None = None) -> widgets.HTML:
    widget = widgets.HTML(f"<p>{html.escape(text)}</p>")
    if css:
        widget.add_class(css)
    return widget


def _section(heading: str, sentence: str, table) -> widgets.HTML:
    body = (table.to_html(float_format=lambda v: f"{v:.3f}", border=0)
            if isinstance(table, pd.DataFrame) else table._repr_html_())
    return widgets.HTML(f"<h3>{html.escape(heading)}</h3><p>{html.escape(sentence)}</p>{body}")


def _outcome_sentence(ctx: AppContext, outcomes) -> str:
    table = outcomes.table
    return ctx.t("eval.outcome_sentence", trainees=int(table["trainees"].sum()),
                 completed=int(table["completed"].sum()),
                 rate=f"{table['completed'].sum() / table['trainees'].sum():.0%}")


def _effect_sentences(ctx: AppContext, effects: dict, wage) -> str:
    ipw, naive = effects["ipw"], effects["difference"]
    return " ".join([
        ctx.t("eval.effect_sentence", estimate=f"{ipw.estimate * 100:.1f}",
              low=f"{ipw.ci_low * 100:.1f}", high=f"{ipw.ci_high * 100:.1f}",
              treated=ipw.n_treated, control=ipw.n_control),
        ctx.t("eval.naive_sentence", naive=f"{naive.estimate * 100:.1f}"),
        ctx.t("eval.wage_sentence", estimate=f"{wage.estimate:.0f}", low=f"{wage.ci_low:.0f}",
              high=f"{wage.ci_high:.0f}")])


def _effects_table(effects: dict, wage) -> pd.DataFrame:
    rows = [r.to_frame().assign(outcome="employed_6m") for r in effects.values()]
    rows.append(wage.to_frame().assign(outcome="wage_6m"))
    return pd.concat(rows)


def _figure(figure) -> widgets.HTML:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    data = base64.b64encode(buffer.getvalue()).decode()
    widget = widgets.HTML(f'<img class="cw-plot" src="data:image/png;base64,{data}"/>')
    widget.add_class("cw-figure")
    return widget
