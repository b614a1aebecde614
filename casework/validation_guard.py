"""The guard before every flush: each new or changed row checked against its own columns.

Text that fits ``String(n)`` and holds no control characters (PostgreSQL refuses NUL), whole
numbers that fit the column's integer type, finite numbers, real dates, JSON of JSON's own
types. What the services did not check thus ends in a ``ValidationError`` named for the column,
never in a database error, and SQLite and PostgreSQL answer alike. Importing this module
registers the guard (``casework.services.uow`` does, so every unit of work has it).
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Mapping

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    Numeric,
    SmallInteger,
    String,
    event,
    inspect,
)
from sqlalchemy.orm import Session

from casework.i18n import Message
from casework.validation import raise_if, text_problem

INT_LIMITS = {SmallInteger: 2**15, BigInteger: 2**63, Integer: 2**31}


def row_problems(row: object) -> dict[str, Message]:
    """Per column of ``row``: why its value cannot be stored (set values only)."""
    state = inspect(row)
    problems = {}
    for attr in state.mapper.column_attrs:
        column = attr.columns[0]
        value = state.dict.get(attr.key)
        if value is not None and not _is_sql(value):
            problem = column_problem(column.type, value)
            if problem:
                problems[attr.key] = problem
    return problems


def _is_sql(value: object) -> bool:
    return hasattr(value, "__clause_element__") or type(value).__module__.startswith("sqlalchemy")


def column_problem(kind, value: object) -> Message | None:
    """Why ``value`` does not fit a column of type ``kind``, or None."""
    if isinstance(kind, String):
        if not isinstance(value, str):
            return Message("validation.not_text")
        return text_problem(value, max_len=kind.length)
    if isinstance(kind, Boolean):
        return None if isinstance(value, bool) else Message("validation.not_a_choice")
    if isinstance(kind, Integer):
        return _int_problem(kind, value)
    if isinstance(kind, Float | Numeric):
        return _number_problem(value)
    if isinstance(kind, DateTime):
        return None if isinstance(value, dt.datetime) else Message("validation.not_a_date")
    if isinstance(kind, Date):
        ok = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        return None if ok else Message("validation.not_a_date")
    if isinstance(kind, JSON):
        return _json_problem(value)
    return None


def _int_problem(kind, value: object) -> Message | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return Message("validation.not_whole")
    limit = next(v for k, v in INT_LIMITS.items() if isinstance(kind, k))
    if not -limit <= value < limit:
        return Message("validation.out_of_range", low=-limit, high=limit - 1)
    return None


def _number_problem(value: object) -> Message | None:
    if isinstance(value, bool) or not isinstance(value, int | float | decimal.Decimal):
        return Message("validation.not_a_number")
    if not math.isfinite(value) or abs(value) >= 1e15:
        return Message("validation.out_of_range", low=-1e15, high=1e15)
    return None


def _json_problem(value: object) -> Message | None:
    if value is None or isinstance(value, bool | int):
        return None
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, float):
        return None if math.isfinite(value) else Message("validation.out_of_range",
                                                         low=-1e15, high=1e15)
    if isinstance(value, Mapping):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:  # bytes, a date, an object: JSON has no such value
        return Message("validation.not_storable")
    return next((p for p in map(_json_problem, items) if p), None)


@event.listens_for(Session, "before_flush")
def _guard(session: Session, _context, _instances) -> None:
    """Refuse to write a row a column cannot hold; name the columns, as a form would."""
    errors: dict[str, Message] = {}
    for row in [*session.new, *session.dirty]:
        for name, problem in row_problems(row).items():
            errors.setdefault(name, problem)
    raise_if(errors)
