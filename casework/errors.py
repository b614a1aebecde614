"""Exceptions named for the business condition; messages are catalogue keys, rendered late."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from casework.i18n import Message

if TYPE_CHECKING:
    from casework.policy import Decision


class CaseworkError(Exception):
    """Base of every error a user may see; ``text(lang)`` renders it."""

    key = "error.generic"

    def __init__(self, key: str | None = None, **params: object) -> None:
        self.message = Message(key or self.key, params)
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        return self.message.text(lang)


class ValidationError(CaseworkError):
    """Per-field messages: ``{field: Message}``. The form shows each beside its field."""

    key = "error.validation"

    def __init__(self, fields: Mapping[str, Message]) -> None:
        self.fields = dict(fields)
        super().__init__(self.key, count=len(self.fields))
        detail = "; ".join(f"{f}: {m.text('en')}" for f, m in self.fields.items())
        self.args = (f"{self.text('en')} {detail}",)

    def field_texts(self, lang: str) -> dict[str, str]:
        return {f: m.text(lang) for f, m in self.fields.items()}


class RuleRefused(CaseworkError):
    """A policy rule said no; ``decision`` carries its reasons, shown in the reader's language."""

    only_unmet = False  # name only the conditions that failed, not those that held

    def __init__(self, decision: Decision) -> None:
        self.decision = decision
        super().__init__(self.key, reasons=self._reasons("en"))

    def _reasons(self, lang: str) -> str:
        reasons = self.decision.unmet() if self.only_unmet else self.decision.reasons
        return " ".join(r.text(lang) for r in reasons)

    def text(self, lang: str) -> str:
        return Message(self.key, reasons=self._reasons(lang)).text(lang)


class NotFound(CaseworkError):
    key = "error.not_found"


class AccessDenied(CaseworkError):
    key = "error.access_denied"


@dataclass(frozen=True)
class FieldChange:
    """One field someone else saved after the user read the record.

    ``read`` is its value at the version the user read, ``now`` its value in the database,
    ``by`` the display name of who saved it last and ``at`` when (values are JSON-ready).
    """

    field: str
    read: object
    now: object
    by: str
    at: dt.datetime | None


class StaleRecord(CaseworkError):
    """The record changed since it was read; nothing was overwritten.

    ``changes`` lists, field by field, what changed since the version the user read (empty when
    the caller did not look; see ``casework.services.conflicts``).
    """

    key = "error.stale_record"

    def __init__(self, key: str | None = None, *, changes: Iterable[FieldChange] = (),
                 **params: object) -> None:
        self.changes = tuple(changes)
        super().__init__(key, **params)

    @property
    def fields(self) -> list[str]:
        """The names of the fields that changed, in the record's column order."""
        return [c.field for c in self.changes]


class DuplicatePerson(CaseworkError):
    """The ID number is already in the ledger; ``person_id`` points at the existing record."""

    key = "error.duplicate_person"

    def __init__(self, *, person_id: int, community: str) -> None:
        self.person_id = person_id
        super().__init__(self.key, person_id=person_id, community=community)


class UnknownUser(CaseworkError):
    key = "error.unknown_user"


class DatabaseUnavailable(CaseworkError):
    key = "error.database_unavailable"

    def __init__(self, *, url: str, detail: str) -> None:
        super().__init__(self.key, url=url, detail=" ".join(detail.split()))


class NestedUnitOfWork(RuntimeError):
    """A programming error: ``with uow:`` ran while that unit of work was already open."""

    def __init__(self) -> None:
        super().__init__(
            "This unit of work is already open: a nested 'with uow:' would replace its session "
            "and the outer commit would save nothing. Pass the open session (uow.session) to the "
            "helper instead of entering the unit of work again, and do not call one use case "
            "from another.")


class DatabaseBusy(CaseworkError):
    """Other users held the database's write lock for longer than the retries waited."""

    key = "error.database_busy"


__all__ = [
    "AccessDenied",
    "CaseworkError",
    "DatabaseBusy",
    "DatabaseUnavailable",
    "DuplicatePerson",
    "FieldChange",
    "NestedUnitOfWork",
    "NotFound",
    "StaleRecord",
    "UnknownUser",
    "ValidationError",
]
