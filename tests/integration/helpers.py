"""Small readers the integration tests share; each opens its own unit of work."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from casework.services import audit


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def count(uow, model) -> int:
    with uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def trail(uow, entity: str, entity_id) -> list[dict]:
    """The audit rows of one record, read while the session is open."""
    with uow:
        return [{c: getattr(e, c) for c in ("action", "outcome", "username", "staff_id",
                                            "before", "after")}
                for e in audit.trail(uow, entity=entity, entity_id=entity_id)]


def refusals(uow, entity: str, entity_id) -> list[tuple[str, str]]:
    """(action, username) of the refused attempts on one record, oldest first."""
    return [(e["action"], e["username"]) for e in trail(uow, entity, entity_id)
            if e["outcome"] == "denied"]
