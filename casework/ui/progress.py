"""The supervisors' progress page: the people the home unit counted against the year's target
(placements, self-employment with and without a loan, flexible employment), month by month and
unit by unit, the job-development subsidies flagged for recovery, the advanced-unit candidates
with every part of their score, the workbook, and for administrators and city officers a form
that sets a unit's target.

All numbers come from ``casework.services.progress`` and ``recognition``; the tables are the
ones ``casework.reports`` writes to the workbook, so the page and the .xlsx always agree.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io

import ipywidgets as widgets
import pandas as pd

from casework import access, reports
from casework.errors import CaseworkError, ValidationError
from casework.i18n import Message
from casework.policy import load_policy
from casework.services import progress, recognition, subsidies
from casework.ui.common import download_link, html_box, problem_page, title
from casework.ui.fields import Field
from casework.ui.forms import Form
from casework.ui.shell import AppContext
from casework.ui.working import Job, Steps

FIRST_YEAR = 2003  # the year of the notice


STEPS = ("count", "chart", "candidates", "recoveries", "workbook")


class ProgressApp(widgets.VBox):
    """Everything on the page is read again when the year changes or a target is saved.

    The header and the year are drawn at once; the counting (tens of seconds for the whole
    city) goes on in a thread of the kernel behind a ``cw-progress`` bar, each section shown
    as soon as it is ready (``casework.ui.working``)."""

    def __init__(self, ctx: AppContext, *, today: dt.date | None = None) -> None:
        self.ctx, self.today = ctx, today or ctx.uow.today()
        self.report: progress.ProgressReport | None = None
        self.candidates: list[recognition.Candidate] = []
        self.year = widgets.Dropdown(options=list(range(self.today.year, FIRST_YEAR - 1, -1)),
                                     value=self.today.year, description=ctx.t("progress_ui.year"))
        self.year.add_class("cw-field-year")
        self.summary, self.plot = html_box("cw-progress-summary"), html_box("cw-figure")
        self.levels = {level: html_box(f"cw-progress-{level}") for level in progress.LEVELS}
        self.advanced, self.download = html_box("cw-advanced-list"), html_box("cw-download")
        self.recovery, self.failure = html_box("cw-recovery-list"), html_box("cw-status")
        self.form: Form | None = None
        self.target_intro = widgets.HTML()
        self.target = widgets.VBox()  # the form, once the units it offers are known
        self.steps = Steps(ctx.lang, [ctx.t(f"look_progress.step.{k}") for k in STEPS])
        # The thread's own unit of work: the target form saves through ctx.uow meanwhile.
        self.uow = ctx.uow.fresh()
        self.job = Job(self.steps, self._compute, on_error=self._failed)
        self.year.observe(lambda _change: self.refresh(clear=True), names="value")
        parts = [title(ctx, "apps.progress.title"), self.year, self.steps, self.failure,
                 self.summary, widgets.HTML(f"<p>{html.escape(ctx.t('progress.how_counted'))}</p>"),
                 self.plot, *self.levels.values(), self.recovery, _heading(ctx, "advanced"),
                 widgets.HTML(f"<p>{html.escape(score_sentence(ctx))}</p>"), self.advanced,
                 self.download]
        if access.may(ctx.actor, "set_targets"):
            parts += [_heading(ctx, "target"), self.target_intro, self.target]
        super().__init__(parts)
        self.add_class("cw-progress-page")
        self.refresh()

    def refresh(self, *, clear: bool = False) -> None:
        """Count again, in the background; ``clear`` empties the sections of the year before."""
        if clear:
            for box in (self.summary, self.plot, *self.levels.values(), self.advanced,
                        self.recovery, self.download):
                box.value = ""
        self.job.start()

    def _compute(self) -> None:
        actor, uow, year, lang = self.ctx.actor, self.uow, self.year.value, self.ctx.lang
        self.failure.value = ""
        self.report = report = progress.progress(actor, uow, year=year)
        self.summary.value = f'<p data-year="{year}">{html.escape(self._sentence())}</p>'
        for level, widget in self.levels.items():
            widget.value = self._level_html(level)
            widget.layout.display = None if widget.value else "none"  # none in the area
        self.target_intro.value = (
            f"<p>{html.escape(self.ctx.t('progress_ui.target_intro', year=year))}</p>")
        if self.form is None and access.may(actor, "set_targets"):
            self.form = self._target_form()
            self.target.children = [self.form]
        self.steps.begin(1)
        self.plot.value = chart_html(self.ctx, report, self.today)
        self.steps.begin(2)
        self.candidates = recognition.candidates(actor, uow, year=year, today=self.today)
        self.advanced.value = self._candidates_html()
        self.steps.begin(3)
        self.recovery.value = recovery_html(self.ctx, subsidies.recoveries(actor, uow))
        self.steps.begin(4)
        link = download_link(self.ctx, reports.progress_frames(report, self.candidates, lang),
                             f"progress-{year}.xlsx", "progress_ui.download")
        self.download.value = link.value
        link.close()

    def _failed(self, exc: Exception) -> None:
        text = (exc.text(self.ctx.lang) if isinstance(exc, CaseworkError)
                else self.ctx.t("look.step.failed", reason=str(exc)))
        self.failure.value = f'<p class="cw-status-error">{html.escape(text)}</p>'

    def _level_html(self, level: str) -> str:
        units = self.report.level(level)
        if not units:
            return ""
        frame = reports.level_frame(self.report, level, self.ctx.lang)
        rows = [f'class="cw-unit cw-target-{u.target_source}" data-unit="{html.escape(u.code)}"'
                f' data-counted="{u.counted}"' for u in units]
        return _heading_html(self.ctx, level) + _table(frame, rows, reports.LEVEL_COLUMNS)

    def _sentence(self) -> str:
        return summary_sentence(self.ctx.t, self.report, self.ctx.lang)

    def _candidates_html(self) -> str:
        if not self.candidates:
            return f"<p>{html.escape(self.ctx.t('progress_ui.no_candidates'))}</p>"
        frame = reports.candidate_frame(self.candidates, self.ctx.lang)
        last = self.ctx.t("reports.col.within_quota")  # after every part of the score
        frame = frame[[c for c in frame.columns if c != last] + [last]]
        return _table(frame, [f'class="cw-candidate cw-candidate-{c.kind}'
                              f'{" cw-within-quota" if c.within_quota else ""}"'
                              for c in self.candidates])

    # The target form (administrators and city officers)
    def _target_form(self) -> Form:
        fields = [Field("unit_id", "choice", "progress_ui.field.unit_id", self._unit_options,
                        required=True),
                  Field("placements", "int", "progress_ui.field.placements", required=True)]
        return Form(fields, lang=self.ctx.lang, on_save=self._set_target, action="set-target",
                    save_label="progress_ui.set_target", name="target", on_saved=self.refresh)

    def _unit_options(self, lang: str) -> list[tuple[str, int]]:
        return [(f"{u.code} · {u.name(lang)}", u.unit_id) for u in self.report.units]

    def _set_target(self, values: dict) -> str:
        errors = {name: Message("form.required") for name in ("unit_id", "placements")
                  if values[name] is None}
        if errors:
            raise ValidationError(errors)
        unit = next(u for u in self.report.units if u.unit_id == values["unit_id"])
        progress.set_target(self.ctx.actor, self.ctx.uow, unit_id=unit.unit_id,
                            year=self.year.value, placements=values["placements"])
        return self.ctx.t("progress_ui.target_saved", year=self.year.value,
                          unit=unit.name(self.ctx.lang), placements=values["placements"])


def summary_sentence(t, report: progress.ProgressReport, lang: str) -> str:
    """The home unit's count against its target, with the breakdown by kind; ``t`` renders a
    catalogue key in the page's language."""
    home = report.home
    kinds = home.by_kind
    return t("progress.summary", unit=home.name(lang), year=report.year, counted=home.counted,
             target=_number(home.target), percent=f"{100 * home.attainment:.1f}",
             placed=kinds["placement"], self_loan=kinds["self_employed_loan"],
             self_alone=kinds["self_employed"], flexible=kinds["flexible"], stable=home.stable,
             source=t(f"reports.source.{home.target_source}"))


def recovery_html(ctx: AppContext, rows: list[subsidies.ClaimRow]) -> str:
    """Job-development claims in the area whose placement ended too early, with the reason."""
    head = f"<h3>{html.escape(ctx.t('subsidies.recovery_heading'))}</h3>"
    if not rows:
        return f"{head}<p>{html.escape(ctx.t('subsidies.no_recoveries'))}</p>"
    columns = ("claim", "person", "amount", "status", "flagged_on", "reason")
    frame = pd.DataFrame([[f"#{c.id}", c.name or f"#{c.person_id}", c.amount,
                           ctx.t(f"placements_ui.claim_status.{c.status}"),
                           c.recovery_flagged_on.isoformat(),
                           c.recovery_reason.text(ctx.lang) if c.recovery_reason else ""]
                          for c in rows], columns=[ctx.t(f"subsidies.col.{c}") for c in columns])
    return head + _table(frame, [f'class="cw-recovery" data-claim="{c.id}"' for c in rows])


def score_sentence(ctx: AppContext) -> str:
    """How the score is made and how many candidates each county and district may name, in
    words, from the policy file."""
    policy = load_policy()["advanced_units"]
    quotas = {f"{area}_{kind}": _range(policy[area][kind]) for area in ("county", "district")
              for kind in recognition.KINDS}
    return " ".join([ctx.t("progress_ui.score_weights", **policy["score"]),
                     ctx.t("progress_ui.quotas", **quotas)])


def chart_html(ctx: AppContext, report: progress.ProgressReport, today: dt.date) -> str:
    """Cumulative placements by month against the straight line to the year's target, as an
    embedded PNG; months still to come are left out of the placements line."""
    from matplotlib.figure import Figure  # no pyplot: no global figures piling up on reload

    from evaluation.plotting import use_cjk_font

    use_cjk_font()
    months = report.months
    past = [m for m in months if (report.year, m.month) <= (today.year, today.month)]
    figure = Figure(figsize=(6.4, 3.4))
    axes = figure.subplots()
    axes.plot([m.month for m in months], [m.target_to_date for m in months], linestyle="--",
              color="grey", label=ctx.t("progress_ui.chart.target",
                                        target=_number(report.home.target)))
    axes.plot([m.month for m in past], [m.cumulative for m in past], marker="o",
              label=ctx.t("progress.chart.counted"))
    axes.set(xticks=range(1, 13), xlim=(0.5, 12.5), xlabel=ctx.t("progress_ui.chart.month"),
             ylabel=ctx.t("progress.chart.ylabel"),
             title=ctx.t("progress_ui.chart.title", unit=report.home.name(ctx.lang),
                         year=report.year))
    axes.set_ylim(bottom=0)
    axes.legend(loc="upper left")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    data = base64.b64encode(buffer.getvalue()).decode()
    alt = html.escape(ctx.t("progress_ui.chart.title", unit=report.home.name(ctx.lang),
                            year=report.year))
    return f'<img class="cw-plot" alt="{alt}" src="data:image/png;base64,{data}"/>'


def _range(pair: list[int]) -> str:
    low, high = pair
    return str(low) if low == high else f"{low}–{high}"


def _number(value: float) -> str:
    return f"{value:.0f}"


def _cell(value: object, css: str = "") -> str:
    if isinstance(value, str):
        return f"<td{css}>{html.escape(value)}</td>"
    if pd.isna(value):
        return f"<td{css}></td>"
    number = float(value)
    text = str(int(number)) if number.is_integer() else str(round(number, 3))
    return f'<td{css} style="text-align:right">{text}</td>'


def _table(frame: pd.DataFrame, row_attributes: list[str],
           codes: tuple[str, ...] | None = None) -> str:
    """A DataFrame as an escaped HTML table whose rows carry the given attributes; with
    ``codes``, each cell carries the class ``cw-col-<code>`` of its column."""
    classes = [f' class="cw-col-{c}"' for c in codes] if codes else [""] * len(frame.columns)
    head = "".join(f"<th{k}>{html.escape(str(c))}</th>" for k, c in zip(classes, frame.columns,
                                                                          strict=True))
    body = "".join(f"<tr {attributes}>"
                   f"{''.join(_cell(v, k) for k, v in zip(classes, row, strict=True))}</tr>"
                   for attributes, row in zip(row_attributes, frame.itertuples(index=False),
                                              strict=True))
    return (f'<div style="max-height:22em;overflow:auto"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _heading_html(ctx: AppContext, name: str) -> str:
    return f"<h3>{html.escape(ctx.t(f'progress_ui.section.{name}'))}</h3>"


def _heading(ctx: AppContext, name: str) -> widgets.HTML:
    return widgets.HTML(_heading_html(ctx, name))


def build_progress(ctx: AppContext) -> widgets.Widget:
    """The progress page, or a message for an account whose role may not see it."""
    if ctx.actor is None:
        return problem_page(ctx)
    if not access.may(ctx.actor, "view_progress"):
        note = widgets.HTML("<p>" + html.escape(ctx.t(
            "progress_ui.not_for_role", role=ctx.t(f"role.{ctx.actor.role}"))) + "</p>")
        note.add_class("cw-status")
        return widgets.VBox([title(ctx, "apps.progress.title"), note])
    return ProgressApp(ctx)
