"""Shared checks of what a user (or a caller) hands the service layer. Pure.

Two layers, one set of rules:

- helpers the services' ``clean`` functions call for one field (``text``, ``whole``,
  ``number``, ``date``), which add a per-field ``Message`` to ``errors`` and return the
  cleaned value;
- a guard (``casework.validation_guard``) that runs before every flush and checks each new or
  changed row against its own columns with the same rules.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Mapping

from casework.errors import ValidationError
from casework.i18n import Message

ALLOWED_CONTROLS = frozenset("\t\n\r")
# Bidirectional embeddings, overrides and isolates: they make a name display reversed.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def text_problem(value: str, *, max_len: int | None = None) -> Message | None:
    """Why ``value`` cannot be stored as text, or None."""
    if any(_forbidden(c) for c in value):
        return Message("validation.control_characters")
    if max_len is not None and len(value) > max_len:
        return Message("form.too_long", max=max_len)
    return None


def _forbidden(char: str) -> bool:
    if char in ALLOWED_CONTROLS:
        return False
    return char in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs")


def text(values: Mapping, name: str, errors: dict, *, max_len: int | None = None,
         required: bool = False) -> str | None:
    """The field as stripped text, or None when blank; anything but text is an error."""
    value = values.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[name] = Message("form.required")
        return None
    if not isinstance(value, str):
        errors[name] = Message("validation.not_text")
        return None
    value = value.strip()
    problem = text_problem(value, max_len=max_len)
    if problem:
        errors[name] = problem
    return value


def digits(text: str) -> int | None:
    """The whole number a text holds (ASCII digits, an optional minus), or None. A text too long
    for any column is None too: Python refuses to read more than 4,300 digits."""
    text = text.strip()
    if text.lstrip("-").isdigit() and text.isascii() and len(text) <= 40 and text.count("-") <= (
            1 if text.startswith("-") else 0):
        return int(text)
    return None


def whole(values: Mapping, name: str, errors: dict, *, low: int = 0,
          high: int = 2**31 - 1, required: bool = False) -> int | None:
    """A whole number typed as text or given as an int, between ``low`` and ``high``."""
    value = values.get(name)
    if isinstance(value, str):
        value = value.strip() or None
        value = digits(value) if value is not None and digits(value) is not None else value
    if value is None:
        if required:
            errors[name] = Message("form.required")
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        errors[name] = Message("validation.not_whole")
        return None
    if not low <= value <= high:
        errors[name] = Message("validation.out_of_range", low=low, high=high)
        return None
    return value


def number(values: Mapping, name: str, errors: dict, *, low: float = 0,
           high: float = 1e9, required: bool = False) -> float | None:
    """A finite number (int, float or its text) between ``low`` and ``high``."""
    value = values.get(name)
    if isinstance(value, str):
        try:
            value = float(value.strip()) if value.strip() else None
        except ValueError:
            errors[name] = Message("validation.not_a_number")
            return None
    if value is None:
        if required:
            errors[name] = Message("form.required")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors[name] = Message("validation.not_a_number")
        return None
    if not math.isfinite(value) or not low <= value <= high:
        errors[name] = Message("validation.out_of_range", low=low, high=high)
        return None
    return value


def date(values: Mapping, name: str, errors: dict, *, required: bool = False) -> dt.date | None:
    """A date, or its ISO text (``2004-02-29``); anything else is an error on the field."""
    value = values.get(name)
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip()) if value.strip() else None
        except ValueError:
            errors[name] = Message("validation.not_a_date")
            return None
    if value is None:
        if required:
            errors[name] = Message("form.required")
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        errors[name] = Message("validation.not_a_date")
        return None
    return value


def choice(values: Mapping, name: str, errors: dict, allowed, *,
           required: bool = False) -> str | None:
    """One of ``allowed`` (a blank is None); a value not on offer is an error on the field."""
    value = values.get(name)
    if value is None or value == "":
        if required:
            errors[name] = Message("form.required")
        return None
    if not isinstance(value, str) or value not in allowed:
        errors[name] = Message("form.bad_choice")
        return None
    return value


def choices(values: Mapping, name: str, errors: dict, allowed) -> list[str]:
    """Several of ``allowed``, sorted and without repeats; anything else is an error."""
    value = values.get(name)
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        errors[name] = Message("form.bad_choice")
        return []
    if not all(isinstance(v, str) and v in allowed for v in value):
        errors[name] = Message("form.bad_choice")
        return []
    return sorted(set(value))


def ident(value: object) -> int | None:
    """A record's id as given by a form or caller, or None when it cannot be one."""
    if isinstance(value, str):
        value = digits(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31:
        return value
    return None


def fetch(session, model: type, value: object):
    """``session.get(model, value)`` for an id as given: None when it cannot be an id."""
    record_id = ident(value)
    return session.get(model, record_id) if record_id is not None else None


def _kind_of(values: Mapping, name: str, errors: dict, kind: str) -> object:
    if kind == "text":
        return text(values, name, errors)
    if kind == "int":
        return whole(values, name, errors, low=-(2**31), high=2**31 - 1)
    if kind == "number":
        return number(values, name, errors, low=-1e15, high=1e15)
    if kind == "date":
        return date(values, name, errors)
    value = values.get(name)
    if kind == "multi" and value is None:
        return ()
    if kind == "flag" and value is None:
        errors[name] = Message("form.required")
        return None
    if value is not None and value != "" and not _FITS[kind](value):
        errors[name] = Message("form.bad_choice" if kind in ("choice", "multi")
                               else "validation.not_a_choice")
    return ident(value) if kind == "id" else value


_FITS = {
    "choice": lambda v: isinstance(v, str),
    "multi": lambda v: isinstance(v, list | tuple | set | frozenset) and all(
        isinstance(x, str) for x in v),
    "bool": lambda v: isinstance(v, bool),
    "flag": lambda v: isinstance(v, bool),
    "id": lambda v: ident(v) is not None,
}


def shaped(values: Mapping, kinds: Mapping[str, str]) -> dict:
    """``values`` with each field of ``kinds`` (text, int, number, date, choice, multi, bool,
    flag: a bool that must be given, id) of its kind: text stripped (None when blank), numbers
    and dates typed as text read. A value of the wrong kind is an error on its field; the
    service checks what it means."""
    out, errors = shape_errors(values, kinds)
    raise_if(errors)
    return out


def shape_errors(values: Mapping, kinds: Mapping[str, str]) -> tuple[dict, dict[str, Message]]:
    """What ``shaped`` returns, and the per-field errors it would raise."""
    errors: dict[str, Message] = {}
    out = dict(values)
    for name, kind in kinds.items():
        if name in values:
            out[name] = _kind_of(values, name, errors, kind)
    return out, errors


def args(**given: tuple[str, object]) -> tuple:
    """Keyword arguments shaped as ``shaped`` does: ``amount, on = args(amount=("int", amount),
    on=("date", on))``."""
    out = shaped({k: v for k, (_, v) in given.items()}, {k: kind for k, (kind, _) in given.items()})
    return tuple(out[k] for k in given)


def shaped_command(command, kinds: Mapping[str, str]):
    """A command dataclass with its fields shaped as ``shaped`` does."""
    import dataclasses

    values = {f.name: getattr(command, f.name) for f in dataclasses.fields(command)}
    return dataclasses.replace(command, **{k: v for k, v in shaped(values, kinds).items()
                                           if k in kinds})


def raise_if(errors: Mapping[str, Message]) -> None:
    if errors:
        raise ValidationError(errors)
