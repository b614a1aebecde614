"""The landing page: who is signed in, what waits for them, and the apps they may open."""

from __future__ import annotations

import html

import ipywidgets as widgets

from casework.services import persons
from casework.services.work_queue import SOON_DAYS, WorkQueue, work_queue
from casework.ui.apps import available_apps
from casework.ui.shell import AppContext

# Stands in for the count while a message is escaped; the count is then drawn in its own element.
_COUNT = "\x00"


class Landing(widgets.VBox):
    """Title, acting account, language switch, the work queue and one link per available app."""

    def __init__(self, ctx: AppContext, *, persons_in_scope: int | None,
                 queue: WorkQueue | None = None) -> None:
        other = "en" if ctx.lang == "zh" else "zh"
        header = widgets.HTML(
            f"<h2>{ctx.t('app.title')}</h2><p>{ctx.t('app.subtitle')}</p>"
            f'<p><a class="cw-action-language" href="?lang={other}">'
            f"{ctx.t('app.switch_language')}</a></p>")
        status = widgets.HTML(_status_text(ctx, persons_in_scope))
        status.add_class("cw-status")
        parts = [header, status]
        if queue is not None:
            section = widgets.HTML(queue_html(ctx, queue))
            section.add_class("cw-work-queue")
            parts.append(section)
        apps = widgets.HTML(_app_list(ctx))
        apps.add_class("cw-app-list")
        super().__init__([*parts, apps])
        self.add_class("cw-landing")


def _status_text(ctx: AppContext, persons_in_scope: int | None) -> str:
    if ctx.actor is None:
        return f"<p>{html.escape(ctx.problem or '')}</p>"
    lines = [ctx.t("app.acting_as", user=ctx.actor.username, role=ctx.t(f"role.{ctx.actor.role}"),
                   unit=ctx.actor_unit_name)]
    if persons_in_scope is not None:
        lines.append(ctx.t("app.persons_in_scope", count=persons_in_scope))
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def queue_html(ctx: AppContext, queue: WorkQueue) -> str:
    """One link per count, to the app that handles it; a count whose app the account may not
    open is left out rather than shown as a link that would refuse them."""
    role = ctx.actor.role if ctx.actor else None
    may_open = {a.name for a in available_apps(role)}
    items = [
        f'<li><a class="cw-queue-{item.key}" href="{item.app}.ipynb?lang={ctx.lang}">'
        f"{_label(ctx, item.key, item.count)}</a></li>"
        for item in queue if item.app in may_open]
    heading = f"<h3>{html.escape(ctx.t('work_queue.heading'))}</h3>"
    if not items:
        return f"{heading}<p>{html.escape(ctx.t('work_queue.nothing'))}</p>"
    return f"{heading}<ul>{''.join(items)}</ul>"


def _label(ctx: AppContext, key: str, count: int) -> str:
    text = html.escape(ctx.t(f"work_queue.{key}", count=_COUNT, days=SOON_DAYS))
    return text.replace(_COUNT, f'<strong class="cw-queue-count">{count}</strong>')


def _app_list(ctx: AppContext) -> str:
    role = ctx.actor.role if ctx.actor else None
    items = [
        f'<li class="cw-app-{a.name}"><a href="{a.notebook}?lang={ctx.lang}">'
        f"{ctx.t(f'apps.{a.name}.title')}</a> — {ctx.t(f'apps.{a.name}.description')}</li>"
        for a in available_apps(role)
    ]
    return f"<h3>{ctx.t('app.apps')}</h3><ul>{''.join(items)}</ul>"


def build_landing(ctx: AppContext) -> Landing:
    if ctx.actor is None:
        return Landing(ctx, persons_in_scope=None)
    return Landing(ctx, persons_in_scope=persons.count_persons(ctx.actor, ctx.uow),
                   queue=work_queue(ctx.actor, ctx.uow))
