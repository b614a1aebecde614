"""The curriculum planning app for trainers: demand by occupation, the skills gap, the track
record of course subjects and a proposed plan whose weights can be changed on the page.

All computing is in ``evaluation`` (demand, curriculum_plan, track_record) and the rows come from
``casework.services.demand``; this module lays them out. A subject becomes a course draft that
the training app opens pre-filled (``?draft=curriculum``).
"""

from __future__ import annotations

import datetime as dt
import html
import warnings
from collections.abc import Callable
from dataclasses import fields, replace

import ipywidgets as widgets
import pandas as pd

from casework import vocab
from casework.errors import AccessDenied, CaseworkError, ValidationError
from casework.policy import load_policy
from casework.services import demand as demand_service
from casework.services import drafts
from casework.ui import curriculum_plots as plots
from casework.ui import curriculum_tables as tables
from casework.ui.common import download_link, html_box, problem_page, title
from casework.ui.evaluation import figure
from casework.ui.shell import AppContext
from casework.ui.working import Job, Steps
from evaluation.curriculum_plan import PlanResults, Weights, propose_plan
from evaluation.demand import Thresholds, occupation_demand, skills_gap

TITLE = "apps.curriculum_planning.title"
DRAFT_FORM, DRAFT_KEY = "course", "curriculum"  # read by casework.ui.training
WEIGHTS = tuple(f.name for f in fields(Weights))
STEPS = ("record", "read", "analyse", "plan", "pictures")


def _subjects() -> dict[str, list[str]]:
    """Each occupation as a course subject, teaching its skills (data/skills.csv)."""
    out: dict[str, list[str]] = {}
    for skill in vocab.skills().values():
        out.setdefault(skill.occupation, []).append(skill.code)
    return out


class CurriculumApp(widgets.VBox):
    """Period and area, then the analyses; the plan is recomputed when a weight changes.

    The analyses (seconds for a street, tens of seconds for the whole city) run in a thread of
    the kernel behind a ``cw-progress`` bar, each section shown when it is ready; with
    ``load_record``, the track record is read first, in the same thread."""

    def __init__(self, ctx: AppContext, *, today: dt.date | None = None,
                 record: pd.DataFrame | None = None, record_note: str = "",
                 load_record: Callable[[AppContext], tuple[pd.DataFrame, str]] | None = None
                 ) -> None:
        self.ctx = ctx
        # The thread's own unit of work and context: a draft is saved through ctx.uow meanwhile.
        self.work_ctx = replace(ctx, uow=ctx.uow.fresh())
        self.load_record = load_record
        self.section = load_policy()["curriculum"]
        self.record = record if record is not None else pd.DataFrame()
        today = today or ctx.uow.today()
        self.inputs = {"start": widgets.DatePicker(value=today - dt.timedelta(days=365)),
                       "end": widgets.DatePicker(value=today),
                       "area": widgets.Dropdown(options=self._areas())}
        defaults = Weights.from_policy(self.section)
        for name in WEIGHTS:
            self.inputs[f"weight_{name}"] = widgets.Text(
                value=f"{getattr(defaults, name):g}", continuous_update=False)
        self.errors = {name: html_box(f"cw-error-{name}") for name in self.inputs}
        for name, widget in self.inputs.items():
            widget.add_class(f"cw-field-{name}")
        self.status = html_box("cw-status")
        self.boxes = {n: html_box(f"cw-{n}") for n in ("demand", "scores", "skills", "plan",
                                                       "draft-link")}
        self.boxes["record"] = widgets.HTML(record_note)
        self.boxes["record"].add_class("cw-record")
        self.download, self.pictures = widgets.HTML(), widgets.VBox()
        self.subject = widgets.Dropdown(options=[], description=ctx.t("curriculum.subject"))
        self.subject.add_class("cw-field-subject")
        self.show, draft = self._button("show"), self._button("draft")
        self.show.on_click(lambda _b: self.refresh())
        draft.on_click(lambda _b: self.make_draft())
        for name in WEIGHTS:
            self.inputs[f"weight_{name}"].observe(lambda _c: self.replan(), names="value")
        self.results: dict = {}
        self.steps = Steps(ctx.lang, [ctx.t(f"curriculum_steps.{s}") for s in STEPS])
        self.job = Job(self.steps, self._analyse, on_error=self._failed, on_end=self._ended)
        super().__init__([title(ctx, TITLE), self._row("start"), self._row("end"),
                          self._row("area"), self.show, self.status, self.steps,
                          self._heading("demand", "demand_sentence"), self.boxes["demand"],
                          self._heading("scores"), self.boxes["scores"],
                          self._heading("skills", "skills_sentence"), self.boxes["skills"],
                          self._heading("record"), self.boxes["record"],
                          self._heading("plan", "plan_sentence"),
                          *[self._row(f"weight_{n}") for n in WEIGHTS], self.boxes["plan"],
                          self.download, widgets.HBox([self.subject, draft]),
                          self.boxes["draft-link"], self._heading("pictures"), self.pictures])
        self.add_class("cw-curriculum")
        self.refresh()

    # Layout helpers
    def _areas(self) -> list[tuple[str, int]]:
        units = demand_service.areas(self.ctx.actor, self.ctx.uow)
        return [(u.name(self.ctx.lang), u.id) for u in units]

    def _button(self, name: str) -> widgets.Button:
        button = widgets.Button(description=self.ctx.t(f"curriculum.{name}"))
        button.add_class(f"cw-action-{name}")
        return button

    def _row(self, name: str) -> widgets.HBox:
        """The input, labelled by its own description (ipywidgets binds it as <label for>),
        and its error line."""
        widget = self.inputs[name]
        widget.description = self.ctx.t(f"curriculum.{name}")
        widget.style.description_width = "14em"
        return widgets.HBox([widget, self.errors[name]])

    def _heading(self, key: str, sentence: str | None = None) -> widgets.HTML:
        text = f"<h3>{html.escape(self.ctx.t(f'curriculum.{key}'))}</h3>"
        if sentence:
            text += f"<p>{html.escape(self.ctx.t(f'curriculum.{sentence}'))}</p>"
        return widgets.HTML(text)

    def _say(self, text: str, kind: str = "info") -> None:
        colour = {"error": "#b00020", "ok": "#1b5e20"}.get(kind, "inherit")
        self.status.value = f'<span style="color:{colour}">{html.escape(text)}</span>'

    def _show_errors(self, messages: dict[str, str]) -> None:
        for name, box in self.errors.items():
            text = messages.get(name, "")
            box.value = f'<span style="color:#b00020">{html.escape(text)}</span>' if text else ""

    # Analyses
    def refresh(self) -> None:
        """Read the period's demand for the chosen area and redo every section, in the
        background (the button waits until it is done)."""
        self.show.disabled = True
        self.job.start()

    def _analyse(self) -> None:
        ctx = self.work_ctx
        if self.load_record is not None:
            self.record, self.boxes["record"].value = self.load_record(ctx)
            self.load_record, self.steps.first = None, 1
        self.steps.begin(1)
        try:
            view = demand_service.demand_data(
                ctx.actor, ctx.uow, unit_id=self.inputs["area"].value,
                start=self.inputs["start"].value or dt.date.min,
                end=self.inputs["end"].value or dt.date.max)
        except ValidationError as exc:
            self._show_errors({k: m.text(ctx.lang) for k, m in exc.fields.items()})
            return
        except AccessDenied:
            self._say(ctx.t("curriculum.denied"), "error")
            return
        self._show_errors({})
        self.steps.begin(2)
        thresholds = Thresholds.from_policy(self.section)
        demand = occupation_demand(view.data, thresholds=thresholds, area=view.area.path)
        gaps = skills_gap(view.data, area=view.area.path)
        self.results = {"view": view, "demand": demand, "skills": gaps}
        self.boxes["demand"].value = (tables.demand_html(ctx, demand.table)
                                      + tables.trend_html(ctx, demand.trend, demand.ranking))
        self.boxes["scores"].value = tables.scores_html(ctx, demand.table)
        self.boxes["skills"].value = tables.skills_html(ctx, gaps.table, view.unmapped)
        self._say(ctx.t("curriculum.no_data") if demand.table.empty else view.area.name(ctx.lang))
        self.steps.begin(3)
        self.replan()
        self.steps.begin(4)
        self._draw()

    def _failed(self, exc: Exception) -> None:
        self._say(exc.text(self.ctx.lang) if isinstance(exc, CaseworkError)
                  else self.ctx.t("look.step.failed", reason=str(exc)), "error")

    def _ended(self) -> None:
        self.show.disabled = False

    def weights(self) -> Weights | None:
        """The weights typed, or None after showing an error beside each bad one."""
        values, bad = {}, {}
        for name in WEIGHTS:
            text = self.inputs[f"weight_{name}"].value.strip().replace("，", ".")
            try:
                values[name] = float(text)
                if not 0 <= values[name] < float("inf"):
                    raise ValueError(text)
            except ValueError:
                bad[f"weight_{name}"] = self.ctx.t("curriculum.bad_weight")
        self._show_errors(bad)
        return None if bad else Weights(**values)

    def replan(self) -> None:
        """The plan again, with the weights on the page."""
        weights = self.weights()
        if weights is None or "demand" not in self.results:
            return
        plan = propose_plan(self.results["demand"], self.results["skills"], self.record,
                            subjects=_subjects(), weights=weights,
                            course_sizes=self.section["course_sizes"])
        self.results["plan"] = plan
        # The workbook first: once the table shows the new plan, the link already holds it.
        self.download.value = download_link(self.ctx, self._workbook(plan),
                                            "curriculum-plan.xlsx", "curriculum.download").value
        self.subject.options = [(vocab.occupation_name(c, self.ctx.lang), c)
                                for c in plan.ranking]
        self.subject.value = plan.ranking[0] if plan.ranking else None
        self.boxes["plan"].value = tables.plan_html(self.ctx, plan)

    def make_draft(self) -> None:
        """Keep a course draft of the chosen subject for the training app, and link to it."""
        plan: PlanResults | None = self.results.get("plan")
        code = self.subject.value
        if plan is None or code is None:
            return
        row = plan.table.loc[code]
        area = self.results["view"].area
        name = vocab.occupation_name(code, self.ctx.lang)
        payload = {"title": self.ctx.t("curriculum.course_title", subject=name),
                   "occupation": code, "skills": list(row["skills"]), "kind": "reskilling",
                   "capacity": str(int(row["seats"])) if row["seats"] else ""}
        cost = self.record.get("cost_per_trainee", pd.Series(dtype=float)).get(code)
        if cost is not None and pd.notna(cost):
            payload["cost_per_trainee"] = str(round(float(cost)))
        if area.level == "street":
            payload["street_id"] = area.id
        try:
            drafts.save_draft(self.ctx.actor, self.ctx.uow, form=DRAFT_FORM, key=DRAFT_KEY,
                              payload=payload)
        except CaseworkError as exc:
            self._say(exc.text(self.ctx.lang), "error")
            return
        self._say(self.ctx.t("curriculum.draft_ready", subject=name), "ok")
        href = f"training_enrolment.ipynb?lang={self.ctx.lang}&draft={DRAFT_KEY}"
        self.boxes["draft-link"].value = (
            f'<a class="cw-action-open-training" href="{href}" target="_blank">'
            f'{html.escape(self.ctx.t("curriculum.open_training"))}</a>')

    def _workbook(self, plan: PlanResults) -> dict[str, pd.DataFrame]:
        lang = self.ctx.lang
        table = plan.table.drop(columns=[f"reason_{o}" for o in ("zh", "en") if o != lang])
        table["skills"] = table["skills"].map(", ".join)
        weights = pd.DataFrame({"value": [getattr(plan.weights, n) for n in WEIGHTS]},
                               index=pd.Index(WEIGHTS, name="weight"))
        return {"plan": table, "weights": weights,
                "demand": self.results["demand"].table, "skills": self.results["skills"].table}

    def _draw(self) -> None:
        t, lang = self.ctx.t, self.ctx.lang
        demand, gaps = self.results["demand"].table, self.results["skills"].table
        view = self.results["view"]
        local = view.data.within(view.area.path).postings
        names = {code: n[0] if lang == "zh" else n[1] for code, n in view.street_names.items()}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            figures = [plots.bubbles(demand, t, lang), plots.score_heat(demand, t, lang),
                       plots.gap_bars(gaps, t, lang), plots.street_map(local, names, t, lang)]
        self.pictures.children = [figure(f) for f in figures]


def build_curriculum(ctx: AppContext, params: dict[str, str] | None = None) -> widgets.Widget:
    """The page, or why there is none: no account, or a role without ``plan_curriculum``
    (the refusal names the roles that have it, and is audited)."""
    if ctx.actor is None:
        return widgets.VBox([title(ctx, TITLE), problem_page(ctx)])
    from casework.ui.curriculum_record import load_record
    from casework.ui.gate import gate

    refused = gate(ctx, capability="plan_curriculum", page="curriculum_planning",
                   title_key=TITLE)
    if refused is not None:
        return refused
    return CurriculumApp(ctx, load_record=lambda work_ctx: load_record(work_ctx, params or {}))
