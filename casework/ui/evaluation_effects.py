"""The effect sections of the training-evaluation page: the effect of enrolling and of
completing by every method, the diagnostics of the weighting, sensitivity (E-value and a
placebo) and the effect by group. Each number comes with a sentence."""

from __future__ import annotations

import math
import warnings

import ipywidgets as widgets
import pandas as pd

from casework.ui.evaluation import figure, html_text, section
from casework.ui.shell import AppContext
from evaluation import (
    OverlapWarning,
    PerfectSeparationWarning,
    effects_by_group,
    placebo_effect,
    training_effect,
)

METHODS = ("difference", "regression", "ipw", "aipw", "psm")
HEADLINE = "aipw"


def effect_sections(ctx: AppContext, designs: dict, tables: dict) -> list[widgets.Widget]:
    """Every effect widget of the page; adds the tables it shows to ``tables``."""
    itt, completed = designs["enrolled"], designs["completed"]
    with warnings.catch_warnings():
        # Limited overlap and the like are what the diagnostics below show, in words and plots.
        for category in (OverlapWarning, PerfectSeparationWarning):
            warnings.simplefilter("ignore", category)
        effects = {m: training_effect(None, method=m, design=itt) for m in METHODS}
        wage = training_effect(None, outcome="wage_6m", method=HEADLINE, design=itt)
        completing = {m: training_effect(None, method=m, estimand="completed",
                                         design=completed) for m in ("ipw", HEADLINE)}
        placebo = _attempt(lambda: placebo_effect(None, method=HEADLINE, design=itt))
        groups = _attempt(lambda: effects_by_group(None, method=HEADLINE, design=itt))
    table = _effects_table(effects, wage, completing)
    tables.update({"effects": table, "balance": effects[HEADLINE].balance})
    if not isinstance(groups, str):
        tables["groups"] = groups.table
    if not isinstance(placebo, str):
        tables["placebo"] = placebo.to_frame()
    return [section(ctx.t("eval.effects"), _effect_sentences(ctx, effects, wage, completing),
                    table, "cw-effects", lang=ctx.lang),
            *_diagnostics(ctx, effects[HEADLINE]),
            html_text(_sensitivity_sentences(ctx, effects[HEADLINE], placebo), "cw-sensitivity",
                      ctx.t("eval.sensitivity")),
            _groups(ctx, groups)]


def _attempt(estimate):
    """The result, or why it cannot be estimated on these data (a sentence)."""
    try:
        return estimate()
    except ValueError as exc:
        return str(exc)


def _groups(ctx: AppContext, groups) -> widgets.HTML:
    if isinstance(groups, str):
        return html_text(ctx.t("eval.cannot_estimate", reason=groups), "cw-groups",
                         ctx.t("eval.groups"))
    return section(ctx.t("eval.groups"), ctx.t("eval.groups_sentence"), groups.table,
                   "cw-groups", lang=ctx.lang)


def _pct(value: float) -> str:
    return f"{value * 100:.1f}"


def _effect_sentences(ctx: AppContext, effects: dict, wage, completing: dict) -> str:
    head, naive = effects[HEADLINE], effects["difference"]
    done = completing[HEADLINE]
    return " ".join([
        ctx.t("eval.effect_sentence", estimate=_pct(head.estimate), low=_pct(head.ci_low),
              high=_pct(head.ci_high), treated=head.n_treated, control=head.n_control),
        ctx.t("eval.naive_sentence", naive=_pct(naive.estimate)),
        ctx.t("eval.completing_sentence", estimate=_pct(done.estimate), low=_pct(done.ci_low),
              high=_pct(done.ci_high), treated=done.n_treated),
        ctx.t("eval.wage_sentence", estimate=f"{wage.estimate:.0f}", low=f"{wage.ci_low:.0f}",
              high=f"{wage.ci_high:.0f}")])


def _effects_table(effects: dict, wage, completing: dict) -> pd.DataFrame:
    rows = [r.to_frame().assign(estimand=r.estimand, outcome=r.outcome, treated="enrolled")
            for r in effects.values()]
    rows += [r.to_frame().assign(estimand=r.estimand, outcome=r.outcome, treated="completed")
             for r in completing.values()]
    rows.append(wage.to_frame().assign(estimand=wage.estimand, outcome=wage.outcome,
                                       treated="enrolled"))
    return pd.concat(rows)


def _diagnostics(ctx: AppContext, result) -> list[widgets.Widget]:
    sentence = ctx.t("eval.diagnostics_sentence", ess=f"{result.effective_sample_size:,.0f}",
                     control=result.n_control, share=f"{result.max_weight_share:.2%}",
                     trimmed=result.n_trimmed, dropped=result.n_treated_dropped)
    t = ctx.t
    overlap = figure(result.plot_overlap(
        title=t("eval.overlap_title"), xlabel=t("eval.overlap_x"), ylabel=t("eval.overlap_y"),
        labels={"treated": t("eval.group_treated"), "control": t("eval.group_control")}))
    love = figure(result.plot_balance(
        title=t("eval.love_title"), xlabel=t("eval.love_x"), ylabel="",
        labels={"before": t("eval.before"), "after": t("eval.after")}))
    overlap.add_class("cw-overlap-plot")
    love.add_class("cw-love-plot")
    return [section(t("eval.balance"), f"{t('eval.balance_sentence')} {sentence}",
                    result.balance, "cw-balance", lang=ctx.lang), overlap, love]


def _sensitivity_sentences(ctx: AppContext, result, placebo) -> str:
    e = result.e_value
    parts = []
    if e is not None and math.isfinite(e.point):
        parts.append(ctx.t("eval.e_value_sentence", point=f"{e.point:.2f}",
                           limit=f"{e.ci_limit:.2f}"))
    if isinstance(placebo, str):
        parts.append(ctx.t("eval.placebo_unavailable", reason=placebo))
    else:
        parts.append(ctx.t("eval.placebo_sentence", estimate=_pct(placebo.estimate),
                           low=_pct(placebo.ci_low), high=_pct(placebo.ci_high)))
    return " ".join(parts)
