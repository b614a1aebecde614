"""The release log page: every research extract taken, by whom, when and for what purpose, with
the k it reached and what it coarsened. Reading the log is ``casework.services.releases``; this
only lays it out."""

from __future__ import annotations

import html

import ipywidgets as widgets

from casework import access
from casework.services import releases
from casework.ui.common import html_box, problem_page, table_html, title
from casework.ui.shell import AppContext

TITLE = "apps.extract_releases.title"
COLUMNS = ("at", "by", "purpose", "as_of", "k", "rows", "coarsened", "key", "folder")


def build_releases(ctx: AppContext) -> widgets.Widget:
    """The whole page, or a message: no account, or a role that does not oversee extracts.
    An account that may also write extracts gets the form that writes one
    (``casework.ui.extract_write``); the log is read again after each release."""
    if ctx.actor is None:
        return widgets.VBox([title(ctx, TITLE), problem_page(ctx)])
    if not access.may(ctx.actor, "list_extract_releases"):
        return _message(ctx, ctx.t("releases_ui.not_allowed",
                                   role=ctx.t(f"role.{ctx.actor.role}")))
    intro, table = html_box("cw-releases-intro"), html_box("cw-releases-table")
    parts = [title(ctx, TITLE)]
    if access.may(ctx.actor, "write_extract"):
        from casework.ui.extract_write import ExtractWriter

        reader = ctx.uow.fresh()  # read again from the writer's thread
        parts.append(ExtractWriter(ctx, on_written=lambda: _show_log(ctx, reader, intro,
                                                                     table)))
    _show_log(ctx, ctx.uow, intro, table)
    page = widgets.VBox([*parts, intro, table])
    page.add_class("cw-extract-releases")
    return page


def _show_log(ctx: AppContext, uow, intro: widgets.HTML, table: widgets.HTML) -> None:
    """The releases logged so far, or a sentence saying there are none."""
    logged = releases.list_releases(ctx.actor, uow)
    if not logged:
        intro.value, table.value = f"<p>{html.escape(ctx.t('releases_ui.none'))}</p>", ""
        return
    intro.value = f"<p>{html.escape(ctx.t('releases_ui.intro', count=len(logged)))}</p>"
    heads = {c: ctx.t(f"releases_ui.col.{c}") for c in COLUMNS}
    table.value = table_html(heads, "".join(_row(ctx, r) for r in logged), max_height="40em")


def _message(ctx: AppContext, text: str) -> widgets.VBox:
    status = html_box("cw-status")
    status.value = f"<p>{html.escape(text)}</p>"
    return widgets.VBox([title(ctx, TITLE), status])


def _row(ctx: AppContext, release: releases.Release) -> str:
    cells = {
        "at": release.at.strftime("%Y-%m-%d %H:%M"),
        "by": release.username,
        "purpose": release.purpose or ctx.t("releases_ui.no_purpose"),
        "as_of": release.as_of,
        "k": ctx.t("releases_ui.k_value", k=release.k,
                   reached=release.lowest_k if release.lowest_k is not None else "-"),
        "rows": ctx.t("releases_ui.rows_value", persons=release.persons,
                      suppressed=release.suppressed.get(releases.PERSON_TABLE, 0)),
        "coarsened": ", ".join(f"{c} {n}" for c, n in release.coarsened_columns().items())
        or "-",
        "key": (ctx.t("releases_ui.longitudinal", name=release.longitudinal,
                      reason=release.reason or "")
                if release.longitudinal else ctx.t("releases_ui.fresh_key")),
        "folder": release.folder,
    }
    body = "".join(f'<td class="cw-col-{c}">{html.escape(str(cells[c]))}</td>' for c in COLUMNS)
    return f'<tr class="cw-release-row">{body}</tr>'
