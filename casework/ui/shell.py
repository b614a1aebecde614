"""What every Voila app starts with: the request's language and the acting account."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from casework import settings
from casework.access import Actor
from casework.errors import CaseworkError
from casework.i18n import t
from casework.services import org
from casework.services.uow import UnitOfWork


def request_params() -> dict[str, str]:
    """The page's query string. Under a preheated kernel it arrives only with the request."""
    if os.environ.get("VOILA_PREHEAT") == "True":
        from voila.utils import wait_for_request  # costs ~2 s, so only when preheating

        wait_for_request()
    query = parse_qs(os.environ.get("QUERY_STRING", ""))
    return {key: values[-1] for key, values in query.items()}


@dataclass(frozen=True)
class AppContext:
    """The language, the acting account (or why there is none) and the way to the database."""

    lang: str
    actor: Actor | None
    uow: UnitOfWork
    problem: str | None = None
    actor_unit_name: str = ""
    params: dict[str, str] = field(default_factory=dict)  # the page's query string

    def t(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)


def open_app(params: dict[str, str] | None = None) -> AppContext:
    """Resolve ``?lang=`` and the acting account (the Hub's login, else ``CASEWORK_USER``) into
    an AppContext; never raises."""
    params = request_params() if params is None else params
    lang = params.get("lang") if params.get("lang") in ("zh", "en") else settings.language()
    uow = UnitOfWork()
    username = settings.acting_username() or settings.DEFAULT_SERVE_USER
    try:
        actor = org.load_actor(uow, username)
        unit = org.get_unit(uow, actor.unit_id)
        return AppContext(lang, actor, uow, actor_unit_name=unit.name(lang), params=params)
    except CaseworkError as exc:
        if settings.hub_user():
            # Signed in at the Hub, but no active staff account of that name: say so plainly.
            return AppContext(lang, None, uow, params=params,
                              problem=t("hub.no_staff_account", lang, user=username))
        return AppContext(lang, None, uow, problem=exc.text(lang), params=params)
