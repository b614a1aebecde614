"""The part of a name from its n-th character, indexed so that a picker finds a person by the
given name without reading the whole ledger (migration 0011).

A Chinese name is a surname of one or two characters and a given name of one or two: parts
from the second, third and fourth character reach every run of two or more characters in any
name of up to five. ``LIKE '%…%'`` cannot use an index, so the search compares these parts as
a range (``part >= '伟德' AND part < '伟德'+1``), which an index on the expression serves: in
SQLite's binary order and PostgreSQL's "C" collation, both code-point order, the strings that
begin with a text are exactly that range, whatever the database's own collation.
"""

from __future__ import annotations

from sqlalchemy import String, and_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

PART_FROM = (2, 3, 4)  # 1-based positions where an indexed part of a name begins
INDEXES = tuple(f"ix_person_name_from_{k}" for k in PART_FROM)


class NameFrom(FunctionElement):
    """``substr(column, position)``; in the "C" collation on PostgreSQL."""

    type = String()
    name = "name_from"
    inherit_cache = True

    def __init__(self, column, position: int) -> None:
        self.position = position
        super().__init__(column)


@compiles(NameFrom)
def _name_from(element: NameFrom, compiler, **kw) -> str:
    return f"substr({compiler.process(element.clauses, **kw)}, {int(element.position)})"


@compiles(NameFrom, "postgresql")
def _name_from_postgresql(element: NameFrom, compiler, **kw) -> str:
    return f'(substr({compiler.process(element.clauses, **kw)}, {int(element.position)}) ' \
           f'COLLATE "C")'


def part_begins(column, text: str):
    """Some indexed part of ``column`` (not its first character) begins with ``text``."""
    if ord(text[-1]) >= 0x10FFFF:  # nothing sorts after it: the range is open above
        return [NameFrom(column, k) >= text for k in PART_FROM]
    upper = text[:-1] + chr(ord(text[-1]) + 1)
    return [and_(NameFrom(column, k) >= text, NameFrom(column, k) < upper) for k in PART_FROM]
