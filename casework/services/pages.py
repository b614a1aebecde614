"""Opening an app page: the capability that opens it (casework/ui/apps.py) is checked here, and
a refusal is audited like any other."""

from __future__ import annotations

from casework import access
from casework.access import Actor
from casework.services import audit
from casework.services.uow import UnitOfWork


def open_page(actor: Actor, uow: UnitOfWork, *, capability: str, page: str) -> None:
    """Raise ``AccessDenied`` (audited as ``open_page`` of ``page``) unless the account's role
    has ``capability``."""
    if not access.may(actor, capability):
        raise audit.deny(uow, actor, action="open_page", entity=page)
