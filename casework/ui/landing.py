"""The landing page: who is signed in, and the apps they may open."""

from __future__ import annotations

import html

import ipywidgets as widgets

from casework.services import persons
from casework.ui.apps import available_apps
from casework.ui.shell import AppContext


class Landing(widgets.VBox):
    """Title, acting account, language switch and one link per available app."""

    def __init__(self, ctx: AppContext, *, persons_in_scope: int | None) -> None:
        other = "en" if ctx.lang == "zh" else "zh"
        header = widgets.HTML(
            f"<h2>{ctx.t('app.title')}</h2><p>{ctx.t('app.subtitle')}</p>"
            f'<p><a class="cw-action-language" href="?lang={other}">'
            f"{ctx.t('app.switch_language')}</a></p>")
        status = widgets.HTML(_status_text(ctx, persons_in_scope))
        status.add_class("cw-status")
        apps = widgets.HTML(_app_list(ctx))
        apps.add_class("cw-app-list")
        super().__init__([header, status, apps])
        self.add_class("cw-landing")


def _status_text(ctx: AppContext, persons_in_scope: int | None) -> str:
    if ctx.actor is None:
        return f"<p>{html.escape(ctx.problem or '')}</p>"
    lines = [ctx.t("app.acting_as", user=ctx.actor.username, role=ctx.t(f"role.{ctx.actor.role}"),
                   unit=ctx.actor_unit_name)]
    if persons_in_scope is not None:
        lines.append(ctx.t("app.persons_in_scope", count=persons_in_scope))
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def _app_list(ctx: AppContext) -> str:
    role = ctx.actor.role if ctx.actor else None
    items = [
        f'<li class="cw-app-{a.name}"><a href="{a.notebook}?lang={ctx.lang}">'
        f"{ctx.t(f'apps.{a.name}.title')}</a> — {ctx.t(f'apps.{a.name}.description')}</li>"
        for a in available_apps(role)
    ]
    return f"<h3>{ctx.t('app.apps')}</h3><ul>{''.join(items)}</ul>"


def build_landing(ctx: AppContext) -> Landing:
    count = persons.count_persons(ctx.actor, ctx.uow) if ctx.actor else None
    return Landing(ctx, persons_in_scope=count)
