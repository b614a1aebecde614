"""Administering the organisation tree: add, rename and close streets and communities under a
district or county, and list the tree in the actor's scope (capability ``manage_units``)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework import access, validation
from casework.access import Actor
from casework.db.models import OrgUnit, Person, Staff
from casework.errors import CaseworkError, NotFound
from casework.i18n import Message
from casework.services import audit, org
from casework.services.uow import UnitOfWork

# A code becomes part of every path below it ("/3207/320705/"), so it holds no "/" or spaces.
CODE = re.compile(r"[0-9A-Za-z_-]{1,20}")
NAME_MAX = 100


class UnitStillInUse(CaseworkError):
    """A unit cannot be closed while staff work in it or units under it are open."""

    key = "admin.unit_in_use"


@dataclass(frozen=True)
class AddUnit:
    parent_id: int
    code: str
    name_zh: str
    name_en: str = ""


@dataclass(frozen=True)
class RenameUnit:
    unit_id: int
    name_zh: str
    name_en: str = ""


@dataclass(frozen=True)
class UnitRow:
    """One unit of the tree, with the active staff and the people on its own ledger."""

    id: int
    code: str
    level: str
    name_zh: str
    name_en: str
    path: str
    parent_id: int | None
    closed_on: dt.date | None
    active_staff: int
    persons: int

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


def unit_tree(actor: Actor, uow: UnitOfWork) -> list[UnitRow]:
    """The units under the actor's home unit (and it), in tree order, closed ones included."""
    with uow:
        units = uow.session.scalars(select(OrgUnit).where(
            OrgUnit.path.startswith(actor.unit_path)).order_by(OrgUnit.path)).all()
        staff = _counts(uow.session, Staff.unit_id, Staff.active.is_(True))
        people = _counts(uow.session, Person.community_id)
        return [UnitRow(u.id, u.code, u.level, u.name_zh, u.name_en, u.path, u.parent_id,
                        u.closed_on, staff.get(u.id, 0), people.get(u.id, 0)) for u in units]


def _counts(session: Session, column, *where) -> dict[int, int]:
    query = select(column, func.count()).group_by(column)
    return dict(session.execute(query.where(*where)).all())


def suggest_code(uow: UnitOfWork, parent_id: int) -> str:
    """The parent's code and the next free three-digit number (320705 → 320705004)."""
    with uow:
        parent = validation.fetch(uow.session, OrgUnit, parent_id)
        if parent is None:
            return ""
        taken = set(uow.session.scalars(select(OrgUnit.code).where(
            OrgUnit.code.startswith(parent.code))))
        return next(code for n in range(1, 10_000)
                    if (code := f"{parent.code}{n:03d}") not in taken)


def add_unit(actor: Actor, uow: UnitOfWork, command: AddUnit) -> int:
    """Add a street under a district or county, or a community under a street; returns its id."""
    with uow:
        parent = validation.fetch(uow.session, OrgUnit, command.parent_id)
        if parent is None:
            validation.raise_if({"parent": Message("admin.choose_parent")})
        if not access.may(actor, "manage_units", parent.path):
            raise audit.deny(uow, actor, action="add_unit", entity="org_unit")
        errors: dict[str, Message] = {}
        level = _child_level(parent, errors)
        code = validation.text({"code": command.code}, "code", errors, required=True)
        if code and "code" not in errors:
            _check_code(uow.session, code, errors)
        name_zh, name_en = _names(command.name_zh, command.name_en, errors)
        validation.raise_if(errors)
        unit = org._add_unit(uow, actor, parent, code, level, name_zh, name_en or name_zh)
        uow.commit()
        return unit.id


def _child_level(parent: OrgUnit, errors: dict) -> str | None:
    if org.closed(parent):
        errors["parent"] = org.closed(parent)
    elif parent.level not in ("district", "county", "street"):
        errors["parent"] = Message("admin.choose_parent")
        return None
    return "community" if parent.level == "street" else "street"


def _check_code(session: Session, code: str, errors: dict) -> None:
    if not CODE.fullmatch(code):
        errors["code"] = Message("admin.bad_code")
    elif session.scalar(select(OrgUnit.id).where(OrgUnit.code == code)) is not None:
        errors["code"] = Message("org.code_taken", code=code)


def _names(name_zh: str, name_en: str, errors: dict) -> tuple[str | None, str | None]:
    given = {"name_zh": name_zh, "name_en": name_en}
    return (validation.text(given, "name_zh", errors, required=True, max_len=NAME_MAX),
            validation.text(given, "name_en", errors, max_len=NAME_MAX))


def rename_unit(actor: Actor, uow: UnitOfWork, command: RenameUnit) -> None:
    """Give a street or community new names; its code and path stay."""
    with uow:
        unit = _managed(actor, uow, command.unit_id, action="rename_unit")
        errors: dict[str, Message] = {}
        name_zh, name_en = _names(command.name_zh, command.name_en, errors)
        validation.raise_if(errors)
        before = audit.snapshot(unit)
        unit.name_zh, unit.name_en = name_zh, name_en or name_zh
        audit.changed(uow, actor, unit, action="rename_unit", before=before)
        uow.commit()


def close_unit(actor: Actor, uow: UnitOfWork, *, unit_id: int) -> dt.date:
    """Close a street or community as of today. It keeps its history, but takes no new staff,
    people or units; it cannot close while staff work in it or units under it are open."""
    with uow:
        unit = _managed(actor, uow, unit_id, action="close_unit")
        if unit.closed_on is not None:
            raise UnitStillInUse("admin.already_closed", name=unit.name_zh,
                                 on=unit.closed_on.isoformat())
        _refuse_if_in_use(uow.session, unit)
        before = audit.snapshot(unit)
        unit.closed_on = uow.today()
        audit.changed(uow, actor, unit, action="close_unit", before=before)
        uow.commit()
        return unit.closed_on


def _refuse_if_in_use(session: Session, unit: OrgUnit) -> None:
    staff = session.scalars(select(Staff.username).where(
        Staff.unit_id == unit.id, Staff.active.is_(True)).order_by(Staff.username)).all()
    if staff:
        raise UnitStillInUse("admin.close_has_staff", name=unit.name_zh, count=len(staff),
                             staff=", ".join(staff))
    children = session.scalars(select(OrgUnit.name_zh).where(
        OrgUnit.parent_id == unit.id, OrgUnit.closed_on.is_(None)).order_by(OrgUnit.code)).all()
    if children:
        raise UnitStillInUse("admin.close_has_units", name=unit.name_zh, count=len(children),
                             units="、".join(children))


def _managed(actor: Actor, uow: UnitOfWork, unit_id: int, *, action: str) -> OrgUnit:
    """A street or community the actor may manage (a refusal is audited)."""
    unit = validation.fetch(uow.session, OrgUnit, unit_id)
    if unit is None:
        raise NotFound("error.unit_not_found", unit=unit_id)
    if not access.may(actor, "manage_units", unit.path):
        raise audit.deny(uow, actor, action=action, entity="org_unit", entity_id=unit.id)
    if unit.level not in ("street", "community"):
        validation.raise_if({"unit": Message("admin.only_streets_and_communities")})
    return unit


def unit_by_code(uow: UnitOfWork, code: str) -> org.UnitView | None:
    """The unit with this code, or None."""
    with uow:
        unit = uow.session.scalar(select(OrgUnit).where(OrgUnit.code == code.strip()))
        return org._view(unit) if unit is not None else None
