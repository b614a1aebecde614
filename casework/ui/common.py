"""Small pieces every app shares: titles, status lines, option lists, problem pages."""

from __future__ import annotations

import html
from collections.abc import Callable
from urllib.parse import urlencode

import ipywidgets as widgets

from casework import vocab
from casework.ui.shell import AppContext

# The spreadsheet type, written out here: importing it from casework.ledger_workbook would load
# openpyxl and numpy (0.2 s) into every app's kernel before its first page is drawn.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def title(ctx: AppContext, key: str) -> widgets.HTML:
    """The header every app shows: its name, the user and their unit, the language switch and
    the way home (``cw-header``; the stylesheet is in the Voila template)."""
    other = "en" if ctx.lang == "zh" else "zh"
    switch = "?" + urlencode({**ctx.params, "lang": other})
    if ctx.actor is not None:
        who = ctx.t("look.user_unit", user=ctx.actor.username,
                    role=ctx.t(f"role.{ctx.actor.role}"), unit=ctx.actor_unit_name)
    else:
        who = ctx.t("app.acting_as_short", user="-")
    esc = html.escape
    header = widgets.HTML(
        f'<header class="cw-header-bar"><h2 class="cw-app-name">{esc(ctx.t(key))}</h2>'
        f'<nav class="cw-header-nav" aria-label="{esc(ctx.t("look.header_label"))}">'
        f'<span class="cw-user">{esc(who)}</span>'
        f'<a class="cw-action-language" href="{esc(switch)}" lang="{other}" hreflang="{other}"'
        f' title="{esc(ctx.t("look.language_label"))}">{esc(ctx.t("app.switch_language"))}</a>'
        f'<a class="cw-action-home" href="index.ipynb?lang={ctx.lang}"'
        f' title="{esc(ctx.t("look.home"))}">{esc(ctx.t("apps.index.title"))}</a></nav></header>')
    header.add_class("cw-header")
    return header


def card(widget: widgets.Widget) -> widgets.Widget:
    """Mark ``widget`` as one section of the page (drawn as a card by the stylesheet)."""
    widget.add_class("cw-card")
    return widget


def state_badge(ctx: AppContext, state: str, text: str | None = None) -> str:
    """A status as a coloured label: overdue red, due amber, done green, refused grey."""
    label = text if text is not None else ctx.t(f"look.state.{state}")
    return f'<span class="cw-state cw-state-{html.escape(state)}">{html.escape(label)}</span>'


def problem_page(ctx: AppContext) -> widgets.HTML:
    """What an app shows when no account could be resolved."""
    page = widgets.HTML(f"<p>{html.escape(ctx.problem or '')}</p>")
    page.add_class("cw-status")
    return page


def skill_options(lang: str) -> list[tuple[str, str]]:
    return [(s.name(lang), s.code) for s in vocab.skills().values()]


def occupation_options(lang: str) -> list[tuple[str, str]]:
    return [(vocab.occupation_name(code, lang), code) for code in vocab.occupations()]


def vocab_options(vocabulary: str, codes: tuple[str, ...]) -> Callable[[str], list]:
    return lambda lang: vocab.options(vocabulary, codes, lang)


def file_link(content: bytes, filename: str, label: str, action: str, *,
              mime: str = XLSX) -> str:
    """An ``<a>`` carrying the file itself (no server round trip), with its ``cw-action-*``."""
    import base64

    data = base64.b64encode(content).decode()
    return (f'<a class="cw-action-{action}" download="{html.escape(filename)}" '
            f'href="data:{mime};base64,{data}">{html.escape(label)}</a>')


def download_link(ctx: AppContext, frames, filename: str, label: str = "app.download"
                  ) -> widgets.HTML:
    """Tables offered as one .xlsx through a link that carries the file; the link has the
    ``cw-action-download`` hook.

    The workbook is built before the link is shown, not on a click: a link that carries the
    file must hold it to be clicked, so building on a click would ask for a second click. The
    tables are summaries (units, months, subjects, estimates) whose size does not grow with
    the city's people (a tenth of a second to a third); the pages build it as the last step of
    their ``cw-progress`` bar (``casework.ui.working``), so the wait is shown."""
    from casework.reports import workbook_bytes

    return widgets.HTML(file_link(workbook_bytes(frames, index=True), filename, ctx.t(label),
                                  "download"))


def html_box(css_class: str) -> widgets.HTML:
    """An empty HTML widget with its ``cw-*`` hook, filled in later by the app."""
    widget = widgets.HTML()
    widget.add_class(css_class)
    return widget


def required(name: str):
    """The error a form's save raises when a choice it needs is empty."""
    from casework.errors import ValidationError
    from casework.i18n import Message

    return ValidationError({name: Message("form.required")})


def table_html(heads: dict[str, str], body: str, *, max_height: str = "16em") -> str:
    """A scrolling table; ``heads`` maps each column's code (its ``cw-col-<code>`` hook) to the
    heading shown, and ``body`` is the escaped rows."""
    head = "".join(f'<th class="cw-col-{code}">{html.escape(text)}</th>'
                   for code, text in heads.items())
    return (f'<div class="cw-scroll" style="max-height:{max_height};overflow:auto" tabindex="0">'
            f'<table class="cw-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
            f"</table></div>")


def print_button(ctx: AppContext, heading: str) -> str:
    """A ``cw-action-print`` button that prints only the record it sits in (the nearest
    ``cw-printable``; the stylesheet lays it out on A4), with ``heading`` above it."""
    script = ("var r=this.closest('.cw-printable');document.querySelectorAll('.cw-print-now')"
              ".forEach(function(e){e.classList.remove('cw-print-now')});"
              "if(r){r.classList.add('cw-print-now')}document.body.classList.add('cw-printing');"
              "window.print();document.body.classList.remove('cw-printing')")
    return (f'<div class="cw-print-head"><h3>{html.escape(heading)}</h3>'
            f'<button type="button" class="cw-action-print jupyter-button" onclick="{script}">'
            f"{html.escape(ctx.t('look.print'))}</button></div>")


def labelled_dropdown(css_class: str, label: str, options=(), value=None) -> widgets.Dropdown:
    """A chooser named by its own description (ipywidgets draws a ``<label for>`` bound to
    it), as the forms' fields are, with the ``cw-field-*`` hook ``css_class``."""
    widget = widgets.Dropdown(options=list(options), value=value, description=label,
                              style={"description_width": "initial"})
    widget.add_class(css_class)
    return widget
