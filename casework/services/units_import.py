"""Bringing a city's organisation tree in from a CSV file (``casework units import``).

Columns as in data/divisions.csv: code, parent, level, name_zh, name_en (any order). A unit
already in the database with the same parent and level is skipped, so a file can be imported
again. Every line is checked before anything is written: one bad line and nothing is imported.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select

from casework import access, validation
from casework.access import Actor
from casework.db.models import OrgUnit
from casework.errors import CaseworkError
from casework.i18n import Message
from casework.services import audit, org
from casework.services.units_admin import CODE, NAME_MAX
from casework.services.uow import UnitOfWork

COLUMNS = ("code", "parent", "level", "name_zh", "name_en")


@dataclass(frozen=True)
class UnitLine:
    line: int  # the line number in the file, the header being line 1
    code: str
    parent: str
    level: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class UnitsImported:
    created: tuple[str, ...]
    skipped: tuple[str, ...]


class UnitsImportRefused(CaseworkError):
    """Some lines are wrong; ``errors`` pairs each line number with what is wrong there."""

    key = "admin.import_refused"

    def __init__(self, errors: list[tuple[int, Message]]) -> None:
        self.errors = tuple(errors)
        super().__init__(self.key, count=len(self.errors))

    def lines(self, lang: str) -> list[str]:
        return [Message("admin.import_line", line=n, problem=m).text(lang)
                for n, m in self.errors]


def read_csv(text: str) -> list[UnitLine]:
    """The file's lines; a missing column refuses the whole file."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise UnitsImportRefused([(1, Message("admin.import_columns",
                                              columns=", ".join(missing)))])
    return [UnitLine(reader.line_num, *((row.get(c) or "").strip() for c in COLUMNS))
            for row in reader if any((v or "").strip() for v in row.values()
                                     if isinstance(v, str))]


def import_units(actor: Actor, uow: UnitOfWork, lines: list[UnitLine]) -> UnitsImported:
    """Create the units the lines name that are not yet in the database."""
    with uow:
        known = {u.code: u for u in uow.session.scalars(select(OrgUnit))}
        errors, created, skipped, denied = [], [], [], False
        seen: set[str] = set()
        for line in lines:
            problem = (Message("admin.import_twice", code=line.code) if line.code in seen
                       else _problem(actor, line, known))
            seen.add(line.code)
            if problem == "skip":
                skipped.append(line.code)
            elif problem is not None:
                errors.append((line.line, problem))
                denied = denied or problem.key == "admin.import_out_of_scope"
            else:
                parent = known.get(line.parent)
                known[line.code] = org._add_unit(uow, actor, parent, line.code, line.level,
                                                 line.name_zh, line.name_en or line.name_zh)
                uow.session.flush()
                created.append(line.code)
        if denied:
            audit.deny(uow, actor, action="import_units", entity="org_unit")
        if errors:
            raise UnitsImportRefused(errors)
        uow.commit()
        return UnitsImported(tuple(created), tuple(skipped))


def _problem(actor: Actor, line: UnitLine, known: dict[str, OrgUnit]) -> Message | str | None:
    """What is wrong with the line, "skip" for a unit already there, or None."""
    if not CODE.fullmatch(line.code):
        return Message("admin.bad_code")
    parent = known.get(line.parent) if line.parent else None
    existing = known.get(line.code)
    if existing is not None:
        if existing.level == line.level and existing.parent_id == (parent.id if parent else None):
            return "skip"
        return Message("admin.import_code_taken", code=line.code)
    if line.parent and parent is None:
        return Message("admin.import_no_parent", parent=line.parent)
    allowed = org.CHILD_LEVELS[parent.level] if parent else ("city",)
    if line.level not in allowed:
        return Message("org.bad_child_level", level=line.level,
                       parent=parent.level if parent else "-")
    if not line.name_zh:
        return Message("admin.import_bad_name")
    problem = (validation.text_problem(line.name_zh, max_len=NAME_MAX)
               or validation.text_problem(line.name_en, max_len=NAME_MAX))
    if problem:
        return problem
    if parent is not None and org.closed(parent):
        return org.closed(parent)
    if not access.may(actor, "manage_units", parent.path if parent else "/"):
        return Message("admin.import_out_of_scope")
    return None
