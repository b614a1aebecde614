"""Bringing an Excel ledger in, inside the ledger app: the template to download, an upload, and
on errors the workbook back with its error column, offered as a download."""

from __future__ import annotations

import html
from pathlib import PurePath

import ipywidgets as widgets
import traitlets

from casework.errors import CaseworkError
from casework.ledger_workbook import template_workbook
from casework.services import persons
from casework.services.ledger_import import ImportLedger, LedgerImportRefused, import_ledger
from casework.ui.common import file_link
from casework.ui.shell import AppContext


class LedgerImport(widgets.VBox):
    """Template link, file upload, import button, status line and the marked workbook's link.

    ``imported`` counts the people brought in, so the app can refresh its list when it changes.
    """

    imported = traitlets.Int(0)

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        template = widgets.HTML(file_link(template_workbook(ctx.lang),
                                          f"{ctx.t('ledger_import.sheet')}-template.xlsx",
                                          ctx.t("ledger_import.template"), "download-template"))
        self.upload = widgets.FileUpload(accept=".xlsx", multiple=False,
                                         description=ctx.t("ledger_import.choose_file"))
        self.upload.add_class("cw-field-ledger_file")
        self.button = widgets.Button(description=ctx.t("ledger_import.run"),
                                     button_style="primary")
        self.button.add_class("cw-action-import-ledger")
        self.button.on_click(lambda _b: self.run())
        self.upload.observe(lambda _c: self._chosen(), names="value")
        self.status = widgets.HTML()
        self.status.add_class("cw-status")
        self.errors = widgets.HTML()
        self.errors.add_class("cw-import-errors")
        # Shown while a workbook is read and checked (a large one takes seconds).
        self.working = widgets.IntProgress(value=1, min=0, max=2, bar_style="info",
                                           description=ctx.t("look.working"),
                                           layout=widgets.Layout(display="none"))
        self.working.add_class("cw-progress")
        intro = widgets.HTML(f"<h3>{html.escape(ctx.t('ledger_import.title'))}</h3>"
                             f"<p>{html.escape(ctx.t('ledger_import.intro'))}</p>")
        super().__init__([intro, template, widgets.HBox([self.upload, self.button]),
                          self.working, self.status, self.errors])
        self.add_class("cw-ledger-import")

    def run(self) -> None:
        """Import the chosen workbook, or say why not and offer it back with the errors."""
        self.errors.value = ""
        if not self.upload.value:
            self._say(self.ctx.t("ledger_import.no_file"), "error")
            return
        upload = self.upload.value[0]
        self.button.disabled = True
        self.working.layout.display = None
        self._say(self.ctx.t("ledger_import.importing"), "info")
        try:
            done = import_ledger(self.ctx.actor, self.ctx.uow, command=ImportLedger(
                bytes(upload["content"]), upload["name"]))
        except LedgerImportRefused as refused:
            self._say(refused.text(self.ctx.lang), "error")
            name = f"{PurePath(upload['name']).stem}-errors.xlsx"
            self.errors.value = file_link(refused.annotated(self.ctx.lang), name,
                                          self.ctx.t("ledger_import.download_errors"),
                                          "download-errors")
        except CaseworkError as exc:
            self._say(exc.text(self.ctx.lang), "error")
        else:
            self._say(self.ctx.t("ledger_import.done", rows=done.rows,
                                 seconds=f"{done.seconds:.1f}"), "ok")
            self.upload.value = ()
            self.imported += done.rows
        finally:
            self.button.disabled = False
            self.working.layout.display = "none"

    def _chosen(self) -> None:
        """Name the chosen file (``cw-file-chosen``): the file has reached the kernel."""
        if self.upload.value:
            self.errors.value = ""
            name = html.escape(self.upload.value[0]["name"])
            self.status.value = (f'<span class="cw-status-info cw-file-chosen">'
                                 f'{html.escape(self.ctx.t("ledger_import.chosen"))} {name}</span>')

    def _say(self, text: str, kind: str) -> None:
        self.status.value = f'<span class="cw-status-{kind}">{html.escape(text)}</span>'


def build_ledger_import(ctx: AppContext) -> widgets.Widget:
    """The import panel for an account that may register people; for the others an empty
    placeholder (``cw-no-ledger-import``), so a page can be seen to have finished without it."""
    if ctx.actor is None or not persons.may_write(ctx.actor):
        placeholder = widgets.HTML()
        placeholder.add_class("cw-no-ledger-import")
        return placeholder
    return LedgerImport(ctx)
