"""The page an account sees when its role may not open an app: which roles may, in its
language, beside the app's title."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from casework import access
from casework.errors import AccessDenied
from casework.services import pages
from casework.ui.common import problem_page, title
from casework.ui.shell import AppContext


def refused_page(ctx: AppContext, *, capability: str, title_key: str) -> widgets.VBox:
    """The app's title and a ``cw-status`` line naming the roles that have ``capability``."""
    sep = "、" if ctx.lang == "zh" else ", "
    roles = sep.join(ctx.t(f"role.{r}") for r in access.roles_with(capability))
    text = ctx.t("access.page_refused", roles=roles, role=ctx.t(f"role.{ctx.actor.role}"))
    return message_page(ctx, text, title_key=title_key)


def message_page(ctx: AppContext, text: str, *, title_key: str) -> widgets.VBox:
    note = widgets.HTML(f"<p>{html.escape(text)}</p>")
    note.add_class("cw-status")
    return widgets.VBox([title(ctx, title_key), note])


def gate(ctx: AppContext, *, capability: str, page: str, title_key: str
         ) -> widgets.Widget | None:
    """None when the account may open ``page``; else its refusal page (the refusal audited)."""
    try:
        pages.open_page(ctx.actor, ctx.uow, capability=capability, page=page)
    except AccessDenied:
        return refused_page(ctx, capability=capability, title_key=title_key)
    return None


def open_gated(ctx: AppContext, app: Callable[[AppContext], widgets.Widget], *,
               capability: str, page: str) -> widgets.Widget:
    """The app for an account that may open ``page``; otherwise the page that says why not
    (no account, or a role without ``capability``)."""
    if ctx.actor is None:
        return problem_page(ctx)
    return gate(ctx, capability=capability, page=page, title_key=f"apps.{page}.title") or app(ctx)
