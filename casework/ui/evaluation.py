"""The training-evaluation page: the design, outcomes, time to a job, the effects with their
diagnostics, sensitivity and groups, each number with a sentence that says what it means. All
computing is in ``evaluation``; this only lays it out (the effect sections are in
``casework.ui.evaluation_effects``)."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from casework import vocab
from casework.errors import AccessDenied
from casework.extract_paths import ExtractPathRefused
from casework.services import research
from casework.ui.common import download_link, problem_page, title
from casework.ui.eval_tables import frame_html
from casework.ui.gate import message_page, refused_page
from casework.ui.shell import AppContext
from casework.ui.working import Steps, run_steps
from evaluation import load_extract, time_to_placement, training_design, training_outcomes

TITLE = "apps.evaluation_training.title"


def research_folder(ctx: AppContext, params: Mapping[str, str], *, title_key: str
                    ) -> Path | widgets.Widget:
    """The extract folder the page reads (``?extract=NAME`` under the extracts folder, see
    ``services.research``), or the page that says why there is none for this account."""
    if ctx.actor is None:
        return widgets.VBox([title(ctx, title_key), problem_page(ctx)])
    try:
        return research.extract_folder(ctx.actor, ctx.uow,
                                       requested=params.get("extract") or None)
    except AccessDenied:
        return refused_page(ctx, capability="read_research", title_key=title_key)
    except ExtractPathRefused as exc:
        return message_page(ctx, exc.text(ctx.lang), title_key=title_key)


def build_training_evaluation(ctx: AppContext, params: Mapping[str, str]) -> widgets.Widget:
    """The whole page, or a message: no account, a role that may not read research data, an
    ``?extract=`` outside the extracts folder, no extract there. The computing (10-13 s)
    goes on after the page is drawn, a step at a time, each section shown when it is ready."""
    folder = research_folder(ctx, params, title_key=TITLE)
    if isinstance(folder, widgets.Widget):
        return folder
    t = ctx.t
    try:
        extract = load_extract(folder)
    except ValueError:
        key = "eval_cost.rewrite" if (folder / "manifest.json").exists() else "eval.no_extract"
        return _message(ctx, t(key, folder=folder))
    steps = Steps(ctx.lang, [t(f"look.step.{k}") for k in ("design", "outcomes", "effects",
                                                            "tables")])
    page = widgets.VBox([title(ctx, TITLE), html_text(t("eval.source", folder=folder, as_of=(
        extract.manifest.get("as_of", "")))), steps])
    page.add_class("cw-evaluation")
    run_steps(page, steps, lambda add: _compute(ctx, extract, steps, add),
              on_error=lambda exc: html_text(_failure(ctx, exc), "cw-status"))
    return page


def _failure(ctx: AppContext, exc: Exception) -> str:
    """Too few people or no overlap is said as such; anything else as a failure."""
    if isinstance(exc, ValueError):
        return ctx.t("eval.cannot_estimate", reason=str(exc))
    return ctx.t("look.step.failed", reason=str(exc))


def _compute(ctx: AppContext, extract, steps: Steps, add) -> None:
    """The page's sections, each put on the page as soon as it is computed."""
    from casework.ui.evaluation_effects import effect_sections

    t = ctx.t
    steps.begin(0)
    designs = {e: training_design(extract, estimand=e) for e in ("enrolled", "completed")}
    add(_design_section(ctx, designs["enrolled"]))
    steps.begin(1)
    outcomes = training_outcomes(extract, by="occupation")
    curves = time_to_placement(extract, by="kind", labels={
        k: vocab.label("course_kind", k, ctx.lang) for k in vocab.COURSE_KINDS})
    add(section(t("eval.outcomes"), _outcome_sentence(ctx, outcomes), outcomes, lang=ctx.lang))
    add(section(t("eval.placement_time"), t("eval.placement_sentence"), curves, lang=ctx.lang))
    add(figure(curves.plot(title=t("eval.km_title"), xlabel=t("eval.km_x"),
                           ylabel=t("eval.km_y"))))
    steps.begin(2)
    tables = {"outcomes": outcomes.table, "placement": curves.medians,
              "left_out": designs["enrolled"].left_out}
    for widget in effect_sections(ctx, designs, tables):
        add(widget)
    steps.begin(3)
    add(download_link(ctx, tables, "training-evaluation.xlsx", "eval.download"))


def _message(ctx: AppContext, text: str) -> widgets.VBox:
    return widgets.VBox([title(ctx, TITLE), html_text(text, "cw-status")])


def html_text(text: str, css: str | None = None, heading: str | None = None) -> widgets.HTML:
    """A paragraph (with an optional heading) and its ``cw-*`` hook."""
    head = f"<h3>{html.escape(heading)}</h3>" if heading else ""
    widget = widgets.HTML(f"{head}<p>{html.escape(text)}</p>")
    if css:
        widget.add_class(css)
    return widget


def section(heading: str, sentence: str, table, css: str | None = None, *,
            lang: str) -> widgets.HTML:
    """A heading, a sentence saying what the numbers mean, and the table (a DataFrame or the
    Results that holds it) with headings in ``lang`` and numbers formatted for people."""
    frame = table if isinstance(table, pd.DataFrame) else _results_frame(table)
    widget = widgets.HTML(f"<h3>{html.escape(heading)}</h3><p>{html.escape(sentence)}</p>"
                          f"{frame_html(frame, lang)}")
    widget.add_class("cw-card")
    if css:
        widget.add_class(css)
    return widget


def _results_frame(results) -> pd.DataFrame:
    """The table a Results object shows (its English ``_repr_html_`` is for notebooks)."""
    for name in ("table", "medians"):
        if hasattr(results, name):
            return getattr(results, name)
    return results.to_frame()


def _design_section(ctx: AppContext, design) -> widgets.HTML:
    frame = design.frame
    left = design.left_out[["count"]].rename(index=lambda r: ctx.t(f"eval.left.{r}"))
    left.columns = [ctx.t("eval.left.count")]
    sentence = ctx.t("eval.design_sentence", cohorts=frame["course_id"].nunique(),
                     treated=int(frame["treat"].sum()), controls=int((frame["treat"] == 0).sum()),
                     people=frame["pid"].nunique())
    return section(ctx.t("eval.design"), sentence, left, "cw-design", lang=ctx.lang)


def _outcome_sentence(ctx: AppContext, outcomes) -> str:
    table = outcomes.table
    return ctx.t("eval.outcome_sentence", trainees=int(table["trainees"].sum()),
                 completed=int(table["completed"].sum()),
                 rate=f"{table['completed'].sum() / table['trainees'].sum():.0%}")


def figure(plot, alt: str | None = None) -> widgets.HTML:
    """A matplotlib Figure as an image in the page; its text alternative is ``alt`` or the
    figure's titles."""
    buffer = io.BytesIO()
    plot.savefig(buffer, format="png", dpi=90)
    data = base64.b64encode(buffer.getvalue()).decode()
    titles = [plot._suptitle.get_text()] if getattr(plot, "_suptitle", None) else []
    titles += [ax.get_title() for ax in plot.axes if ax.get_title()]
    text = html.escape(alt if alt is not None else " / ".join(titles), quote=True)
    widget = widgets.HTML(f'<img class="cw-plot" alt="{text}" '
                          f'src="data:image/png;base64,{data}"/>')
    widget.add_class("cw-figure")
    return widget
