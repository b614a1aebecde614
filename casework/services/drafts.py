"""Drafts: what a worker typed and has not saved, kept server-side per account, form and record."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select

from casework.access import Actor
from casework.db.models import Draft
from casework.services.uow import UnitOfWork


def save_draft(actor: Actor, uow: UnitOfWork, *, form: str, key: str, payload: dict) -> None:
    """Create or replace the draft; payload values must be JSON-ready."""
    with uow:
        draft = _find(uow, actor, form, key)
        if draft is None:
            draft = Draft(staff_id=actor.staff_id, form=form, record_key=key)
            uow.session.add(draft)
        draft.payload, draft.saved_at = payload, dt.datetime.now(dt.UTC)
        uow.commit()


def load_draft(actor: Actor, uow: UnitOfWork, *, form: str, key: str) -> dict | None:
    with uow:
        draft = _find(uow, actor, form, key)
        return dict(draft.payload) if draft else None


def discard_draft(actor: Actor, uow: UnitOfWork, *, form: str, key: str) -> None:
    with uow:
        uow.session.execute(delete(Draft).where(Draft.staff_id == actor.staff_id,
                                                Draft.form == form, Draft.record_key == key))
        uow.commit()


def _find(uow: UnitOfWork, actor: Actor, form: str, key: str) -> Draft | None:
    return uow.session.scalar(select(Draft).where(Draft.staff_id == actor.staff_id,
                                                  Draft.form == form, Draft.record_key == key))
