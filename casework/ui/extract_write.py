"""Writing a research extract from the release log page: the purpose, k and the folder's name
under the extracts folder, then the release written in a thread of the kernel behind a
``cw-progress`` bar that names each step of ``evaluation.extract.write_extract`` (reading the
ledger, the release rules, k-anonymity, the files and the log). A release of the whole city
takes a minute or more; the button is disabled until it is done and the result is shown beside
it."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from casework import settings
from casework.errors import CaseworkError, ValidationError
from casework.extract_paths import ExtractPathRefused, extract_under
from casework.services.releases import lowest_k
from casework.ui.shell import AppContext
from casework.ui.working import Job, Steps

STEPS = ("read", "rules", "anonymity", "write")  # the names write_extract's on_step gives
FIELDS = ("purpose", "k", "name")
DEFAULT_K = 5


class ExtractWriter(widgets.VBox):
    """``cw-extract-form``: the fields, the ``cw-action-write-extract`` button, the steps and
    the ``cw-status`` line; ``on_written()`` runs (in the work's thread) after each release."""

    def __init__(self, ctx: AppContext, *, on_written: Callable[[], None] | None = None) -> None:
        self.ctx, self.on_written = ctx, on_written
        # Each input is labelled by its own description: ipywidgets binds it as <label for>.
        style = {"description_width": "11em"}
        self.inputs = {
            "purpose": widgets.Textarea(continuous_update=False, rows=3, style=style,
                                        description=ctx.t("extract_ui.field.purpose") + " *"),
            "k": widgets.Text(str(DEFAULT_K), continuous_update=False, style=style,
                              description=ctx.t("extract_ui.field.k") + " *"),
            "name": widgets.Text(continuous_update=False, style=style,
                                 description=ctx.t("extract_ui.field.name") + " *")}
        self.errors = {name: widgets.HTML() for name in FIELDS}
        rows = []
        for name in FIELDS:
            self.inputs[name].add_class(f"cw-field-{name}")
            self.errors[name].add_class(f"cw-error-{name}")
            rows.append(widgets.VBox([self.inputs[name], self.errors[name]]))
        self.button = widgets.Button(description=ctx.t("extract_ui.write"),
                                     button_style="primary")
        self.button.add_class("cw-action-write-extract")
        self.button.on_click(lambda _b: self.submit())
        self.status = widgets.HTML()
        self.status.add_class("cw-status")
        self.steps = Steps(ctx.lang, [ctx.t(f"extract_ui.step.{s}") for s in STEPS])
        self.steps.finish()  # nothing under way yet
        self.uow = ctx.uow.fresh()  # the thread's own unit of work
        self.request: dict | None = None
        self.job = Job(self.steps, self._write, on_error=self._failed, on_end=self._ended)
        intro = widgets.HTML(f"<h3>{html.escape(ctx.t('extract_ui.title'))}</h3>"
                             f"<p>{html.escape(ctx.t('extract_ui.intro'))}</p>")
        super().__init__([intro, *rows, widgets.HBox([self.button, self.status]), self.steps])
        self.add_class("cw-extract-form")
        self.add_class("cw-card")

    def submit(self) -> None:
        """Check what was typed; if it will do, write the release in the background."""
        request, errors = self._read()
        self._show_errors(errors)
        if errors:
            self._say(self.ctx.t("extract_ui.fix_fields"), "error")
            return
        self.request = request
        self.button.disabled = True
        self._say(self.ctx.t("extract_ui.writing", folder=request["out"]), "info")
        self.job.start()

    def _read(self) -> tuple[dict, dict[str, str]]:
        values = {name: self.inputs[name].value.strip() for name in FIELDS}
        errors: dict[str, str] = {}
        if not values["purpose"]:
            errors["purpose"] = self.ctx.t("releases.purpose_required")
        k = int(values["k"]) if values["k"].isascii() and values["k"].isdigit() else 0
        if not 2 <= k <= 100:
            errors["k"] = self.ctx.t("extract_ui.bad_k")
        out = None
        try:
            out = extract_under(settings.extracts_dir(), values["name"])
        except ExtractPathRefused:  # its text speaks of a page's ?extract=, not of this field
            errors["name"] = self.ctx.t("extract_ui.bad_name", base=settings.extracts_dir())
        return {"purpose": values["purpose"], "k": k, "out": out}, errors

    def _write(self) -> None:
        from evaluation.extract import write_extract  # pandas and pyarrow: only when asked

        request = self.request
        summary = write_extract(self.ctx.actor, self.uow, out=request["out"],
                                purpose=request["purpose"], k=request["k"],
                                on_step=lambda name: self.steps.begin(STEPS.index(name)))
        reached = lowest_k(summary.k_reached, summary.rows, request["k"])
        self._say(self.ctx.t("extract_ui.written", folder=summary.folder,
                             persons=summary.rows.get("persons", 0), k=request["k"],
                             reached="-" if reached is None else reached), "ok")
        if self.on_written is not None:
            self.on_written()

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            texts = exc.field_texts(self.ctx.lang)
            self._show_errors({"name" if k == "out" else k: v for k, v in texts.items()})
            self._say(" ".join(texts.values()) or exc.text(self.ctx.lang), "error")
        elif isinstance(exc, CaseworkError):
            self._say(exc.text(self.ctx.lang), "error")
        else:
            self._say(self.ctx.t("look.step.failed", reason=str(exc)), "error")

    def _ended(self) -> None:
        self.button.disabled = False

    def _show_errors(self, errors: dict[str, str]) -> None:
        for name, line in self.errors.items():
            text = errors.get(name, "")
            line.value = (f'<span class="cw-status-error">{html.escape(text)}</span>'
                          if text else "")

    def _say(self, text: str, kind: str) -> None:
        self.status.value = f'<span class="cw-status-{kind}">{html.escape(text)}</span>'
