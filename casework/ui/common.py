"""Small pieces every app shares: titles, status lines, option lists, problem pages."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from casework import vocab
from casework.ui.shell import AppContext


def title(ctx: AppContext, key: str) -> widgets.HTML:
    other = "en" if ctx.lang == "zh" else "zh"
    user = ctx.t("app.acting_as_short", user=ctx.actor.username if ctx.actor else "-")
    return widgets.HTML(
        f"<h2>{html.escape(ctx.t(key))}</h2><p>{html.escape(user)}"
        f' · <a class="cw-action-language" href="?lang={other}">{ctx.t("app.switch_language")}'
        f'</a> · <a href="index.ipynb?lang={ctx.lang}">{ctx.t("apps.index.title")}</a></p>')


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


def download_link(ctx: AppContext, frames, filename: str, label: str = "app.download"
                  ) -> widgets.HTML:
    """Tables offered as one .xlsx through a link that carries the file (no server round trip);
    the link has the ``cw-action-download`` hook."""
    import base64

    from casework.reports import workbook_bytes

    data = base64.b64encode(workbook_bytes(frames, index=True)).decode()
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return widgets.HTML(f'<a class="cw-action-download" download="{html.escape(filename)}" '
                        f'href="data:{mime};base64,{data}">{html.escape(ctx.t(label))}'
                        f"</a>")


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
    return (f'<div style="max-height:{max_height};overflow:auto"><table cellpadding="4">'
            f"<tr>{head}</tr>{body}</table></div>")
