"""Exceptions named for the business condition; messages are catalogue keys, rendered late."""

from __future__ import annotations

from collections.abc import Mapping
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


class StaleRecord(CaseworkError):
    """The record changed since it was read; nothing was overwritten."""

    key = "error.stale_record"

    @classmethod
    def check(cls, record, expected_version: int) -> None:
        """Raise unless ``record`` is still at the version the user read."""
        if record.version != expected_version:
            raise cls(entity=record.__tablename__, id=record.id, yours=expected_version,
                      current=record.version)


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


__all__ = [
    "AccessDenied",
    "CaseworkError",
    "DatabaseUnavailable",
    "DuplicatePerson",
    "NotFound",
    "StaleRecord",
    "UnknownUser",
    "ValidationError",
]
