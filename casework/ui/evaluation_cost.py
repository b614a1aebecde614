"""The subsidy-cost page: gross cost per placement with its breakdowns, the training effect it
builds on, and the cost per additional placement with the deadweight share, each number with a
sentence. All computing is in ``evaluation``; this only lays it out."""

from __future__ import annotations

import html
import math
import warnings
from collections.abc import Mapping

import ipywidgets as widgets
import pandas as pd

from casework import vocab
from casework.services import org
from casework.ui.common import download_link, title
from casework.ui.evaluation import figure, research_folder
from casework.ui.shell import AppContext
from casework.ui.working import Steps, run_steps
from evaluation import (
    OverlapWarning,
    UndefinedCostWarning,
    cost_per_additional_placement,
    cost_per_placement,
    load_extract,
    training_design,
    training_effect,
)
from evaluation.costs import TOTAL, WITHHELD

BREAKDOWNS = ("kind", "funding_level", "district", "street")
TITLE = "apps.evaluation_subsidy_cost.title"


def build_subsidy_cost(ctx: AppContext, params: Mapping[str, str]) -> widgets.Widget:
    """The whole page, or a message: no account, a role that may not read research data, an
    ``?extract=`` outside the extracts folder, no extract there."""
    folder = research_folder(ctx, params, title_key=TITLE)
    if isinstance(folder, widgets.Widget):
        return folder
    try:
        extract = load_extract(folder)
    except ValueError:
        key = "eval_cost.rewrite" if (folder / "manifest.json").exists() else "eval.no_extract"
        return _message(ctx, ctx.t(key, folder=folder))
    names = _unit_names(ctx)  # from the database: read here, not in the working thread
    steps = Steps(ctx.lang, [ctx.t(f"look.step.{k}") for k in ("gross", "breakdowns",
                                                                "over_time", "additional")])
    page = widgets.VBox([title(ctx, TITLE), _html(ctx.t(
        "eval_cost.source", folder=folder,
        as_of=extract.manifest.get("as_of", extract.manifest["written"][:10]))), steps])
    page.add_class("cw-evaluation-cost")
    run_steps(page, steps, lambda add: _compute(ctx, extract, names, steps, add),
              on_error=lambda exc: _html(ctx.t("look.step.failed", reason=str(exc)),
                                         "cw-status"))
    return page


def _compute(ctx: AppContext, extract, names: dict[str, str], steps: Steps, add) -> None:
    """The page's sections, each put on the page as soon as it is computed."""
    steps.begin(0)
    gross = {by: cost_per_placement(extract, by) for by in (None, *BREAKDOWNS, "year", "quarter")}
    if gross[None].placements == 0:
        add(_html(ctx.t("eval_cost.no_placements"), "cw-status"))
        return
    tables = {f"cost_{by or 'total'}": r.table for by, r in gross.items()}
    add(_gross_summary(ctx, gross[None], cost_per_placement(extract, outlays="committed")))
    steps.begin(1)
    for by in BREAKDOWNS:
        add(_table_section(ctx, by, gross[by], names,
                           withheld=_withheld(gross["street"].table)))
    steps.begin(2)
    add(_over_time(ctx, gross["year"], gross["quarter"]))
    steps.begin(3)
    for widget in _additional(ctx, extract, tables):
        add(widget)
    add(download_link(ctx, tables, "subsidy-cost.xlsx", "eval.download"))


def _message(ctx: AppContext, text: str) -> widgets.VBox:
    return widgets.VBox([title(ctx, TITLE), _html(text, "cw-status")])


def _html(text: str, css: str | None = None, heading: str | None = None) -> widgets.HTML:
    head = f"<h3>{html.escape(heading)}</h3>" if heading else ""
    widget = widgets.HTML(f"{head}<p>{html.escape(text)}</p>")
    if css:
        widget.add_class(css)
    return widget


def _unit_names(ctx: AppContext) -> dict[str, str]:
    return {u.code: u.name(ctx.lang) for u in org.units(ctx.actor, ctx.uow)
            if u.level in ("district", "county", "street")}


def _withheld(streets: pd.DataFrame) -> int:
    return int(streets["placements"].get(WITHHELD, 0))


def _yuan(value: float, ctx: AppContext) -> str:
    if math.isnan(value):
        return ctx.t("eval_cost.undefined")
    return ctx.t("eval_cost.infinite") if math.isinf(value) else f"{value:,.0f}"


def _gross_summary(ctx: AppContext, paid, committed) -> widgets.HTML:
    text = " ".join([
        ctx.t("eval_cost.gross_sentence", placements=paid.placements,
              subsidised=paid.subsidised_placements, share=f"{paid.share_subsidised:.1%}",
              outlays=_yuan(paid.outlays, ctx), cost=_yuan(paid.cost, ctx)),
        ctx.t("eval_cost.committed_sentence", outlays=_yuan(committed.outlays, ctx),
              cost=_yuan(committed.cost, ctx))])
    return _html(text, "cw-cost-summary", ctx.t("eval_cost.gross"))


def _labels(ctx: AppContext, by: str, names: dict[str, str]):
    def label(code) -> str:
        if code == WITHHELD:
            return ctx.t("eval_cost.withheld")
        if code == TOTAL:
            return ctx.t("eval_cost.all")
        if by in ("kind", "funding_level"):
            return vocab.label("subsidy_kind" if by == "kind" else "funding_level", code,
                               ctx.lang)
        return f"{names[code]} ({code})" if code in names else str(code)
    return label


def _shown(ctx: AppContext, table: pd.DataFrame, by: str, names: dict[str, str]) -> str:
    """The table with translated headers, readable group names and numbers formatted."""
    shown = table.rename(index=_labels(ctx, by, names)).rename_axis(None)
    formats = {"share_subsidised": "{:.1%}", "deadweight_share": "{:.1%}",
               "additional": "{:.1f}", "counterfactual": "{:.1f}"}
    for column in shown.columns:
        pattern = formats.get(column, "{:,.0f}")
        shown[column] = [_yuan(v, ctx) if math.isnan(v) or math.isinf(v)
                         else pattern.format(v) for v in shown[column].astype(float)]
    shown.columns = [ctx.t(f"eval_cost.col.{c}") for c in shown.columns]
    return shown.to_html(border=0)


def _table_section(ctx: AppContext, by: str, result, names: dict[str, str], *,
                   withheld: int = 0) -> widgets.HTML:
    sentence = ctx.t(f"eval_cost.by_{by}_sentence", withheld=withheld)
    widget = widgets.HTML(f"<h3>{html.escape(ctx.t(f'eval_cost.by_{by}'))}</h3>"
                          f"<p>{html.escape(sentence)}</p>{_shown(ctx, result.table, by, names)}")
    widget.add_class(f"cw-cost-table-{by}")
    return widget


def _over_time(ctx: AppContext, years, quarters) -> widgets.VBox:
    heading = _html(ctx.t("eval_cost.over_time_sentence"), heading=ctx.t("eval_cost.over_time"))
    plot = figure(quarters.plot(title=ctx.t("eval_cost.plot_title"),
                                   xlabel=ctx.t("eval_cost.plot_x"),
                                   ylabel=ctx.t("eval_cost.plot_y"),
                                   total_label=ctx.t("eval_cost.plot_total")))
    tables = []
    for by, result in (("year", years), ("quarter", quarters)):
        table = widgets.HTML(_shown(ctx, result.table, by, {}))
        table.add_class(f"cw-cost-table-{by}")
        tables.append(table)
    return widgets.VBox([heading, plot, *tables])


def _additional(ctx: AppContext, extract, tables: dict) -> list[widgets.Widget]:
    """The effect used and the cost per additional placement; adds their tables to ``tables``."""
    try:
        design = training_design(extract)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OverlapWarning)  # the training page shows overlap
            effect = training_effect(extract, outcome="employed_6m", method="aipw",
                                     design=design)
    except ValueError as exc:  # too few trainees, or no overlap: say so instead of failing
        return [_html(ctx.t("eval_cost.cannot_estimate", reason=str(exc)), "cw-status",
                      ctx.t("eval_cost.additional"))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedCostWarning)  # the page says so in words
        total = cost_per_additional_placement(extract, effect, design=design)
        years = cost_per_additional_placement(extract, effect, by="year", design=design)
    tables.update({"effect": effect.to_frame(), "additional_total": total.table,
                   "additional_year": years.table})
    used = _html(ctx.t("eval_cost.effect_sentence", estimate=f"{effect.estimate * 100:.1f}",
                       low=f"{effect.ci_low * 100:.1f}", high=f"{effect.ci_high * 100:.1f}",
                       treated=effect.n_treated, control=effect.n_control),
                 heading=ctx.t("eval_cost.effect"))
    by_year = widgets.HTML(f"<h4>{html.escape(ctx.t('eval_cost.by_year'))}</h4>"
                           f"<p>{html.escape(ctx.t('eval_cost.by_year_sentence'))}</p>"
                           f"{_shown(ctx, years.table, 'year', {})}")
    by_year.add_class("cw-cost-table-additional-year")
    return [used, _additional_summary(ctx, effect, total), by_year]


def _additional_summary(ctx: AppContext, effect, total) -> widgets.HTML:
    sentences = [ctx.t("eval_cost.additional_sentence", n_treated=total.n_treated,
                       in_work=f"{total.in_work:.0f}", share=f"{total.share_in_work:.1%}",
                       additional=f"{total.additional:.1f}",
                       counterfactual=f"{total.counterfactual:.1f}",
                       deadweight=f"{total.deadweight_share:.1%}")]
    if total.effect <= 0:
        sentences.append(ctx.t("eval_cost.undefined_sentence"))
    elif math.isinf(total.ci_high):
        sentences.append(ctx.t("eval_cost.cost_unbounded_sentence", **_costs(ctx, total)))
        sentences.append(ctx.t("eval_cost.infinite_sentence"))
    else:
        sentences.append(ctx.t("eval_cost.cost_sentence", se=_yuan(total.std_error, ctx),
                               **_costs(ctx, total)))
    widget = widgets.HTML(f"<h3>{html.escape(ctx.t('eval_cost.additional'))}</h3>"
                          f"<p>{html.escape(' '.join(sentences))}</p>"
                          f"{_shown(ctx, total.table, 'total', {})}")
    widget.add_class("cw-cost-additional")
    return widget


def _costs(ctx: AppContext, total) -> dict[str, str]:
    return {"training": _yuan(total.training_cost, ctx),
            "subsidies": _yuan(total.subsidy_cost, ctx), "cost": _yuan(total.cost, ctx),
            "low": _yuan(total.ci_low, ctx), "high": _yuan(total.ci_high, ctx),
            "gross": _yuan(total.cost_per_person_in_work, ctx)}
