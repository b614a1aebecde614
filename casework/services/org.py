"""The four-level organisation tree and staff accounts."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import settings
from casework.access import (
    HOME_LEVELS,
    ROLES,
    SYSTEM_ACTOR,
    Actor,
    in_line,
    may,
    may_manage_staff,
)
from casework.db.models import OrgUnit, Staff
from casework.errors import NotFound, UnknownUser, ValidationError
from casework.i18n import Message
from casework.services import audit
from casework.services.uow import UnitOfWork

CHILD_LEVELS = {
    "city": ("district", "county"),
    "district": ("street",),
    "county": ("street",),
    "street": ("community",),
    "community": (),
}
SYSTEM = SYSTEM_ACTOR


@dataclass(frozen=True)
class UnitView:
    id: int
    code: str
    level: str
    name_zh: str
    name_en: str
    path: str
    closed_on: dt.date | None = None

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


def _view(unit: OrgUnit) -> UnitView:
    return UnitView(unit.id, unit.code, unit.level, unit.name_zh, unit.name_en, unit.path,
                    unit.closed_on)


class InactiveUser(UnknownUser):
    """The account exists but was deactivated: it can no longer act."""

    key = "admin.inactive_user"


def closed(unit: OrgUnit) -> Message | None:
    """Why nothing new may be placed in ``unit``, or None while it is open."""
    if unit.closed_on is None:
        return None
    return Message("admin.unit_closed", name=unit.name_zh, on=unit.closed_on.isoformat())


def seed_divisions(uow: UnitOfWork) -> int:
    """Create the 2003 city, districts and counties (data/divisions.csv); returns the count."""
    with uow:
        created = 0
        with open(settings.data_dir() / "divisions.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if uow.session.scalar(select(OrgUnit).where(OrgUnit.code == row["code"])):
                    continue
                parent = _by_code(uow, row["parent"]) if row["parent"] else None
                _add_unit(uow, SYSTEM, parent, row["code"], row["level"], row["name_zh"],
                          row["name_en"])
                created += 1
        uow.commit()
    return created


def add_unit(actor: Actor, uow: UnitOfWork, *, parent_id: int, code: str, level: str,
             name_zh: str, name_en: str) -> int:
    """An administrator adds a street under a district/county, or a community under a street."""
    with uow:
        parent = uow.session.get(OrgUnit, parent_id)
        if parent is None:
            raise NotFound("error.unit_not_found", unit=parent_id)
        if not may(actor, "manage_units", parent.path):
            raise audit.deny(uow, actor, action="add_unit", entity="org_unit")
        errors = {}
        if closed(parent):
            errors["parent"] = closed(parent)
        if level not in CHILD_LEVELS[parent.level]:
            errors["level"] = Message("org.bad_child_level", level=level, parent=parent.level)
        if not code.strip() or uow.session.scalar(select(OrgUnit).where(OrgUnit.code == code)):
            errors["code"] = Message("org.code_taken", code=code)
        if not name_zh.strip():
            errors["name_zh"] = Message("form.required")
        if errors:
            raise ValidationError(errors)
        unit = _add_unit(uow, actor, parent, code, level, name_zh, name_en or name_zh)
        uow.commit()
        return unit.id


def _add_unit(uow, actor, parent, code, level, name_zh, name_en) -> OrgUnit:
    path = f"{parent.path if parent else '/'}{code}/"
    unit = OrgUnit(code=code, level=level, name_zh=name_zh, name_en=name_en,
                   parent_id=parent.id if parent else None, path=path)
    audit.add(uow, actor, unit, action="add_unit")
    return unit


def _by_code(uow: UnitOfWork, code: str) -> OrgUnit:
    unit = uow.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None:
        raise NotFound("error.unit_not_found", unit=code)
    return unit


def get_unit(uow: UnitOfWork, unit_id: int) -> UnitView:
    with uow:
        unit = uow.session.get(OrgUnit, unit_id)
        if unit is None:
            raise NotFound("error.unit_not_found", unit=unit_id)
        return _view(unit)


def units(actor: Actor, uow: UnitOfWork, *, level: str | None = None) -> list[UnitView]:
    """The units in the actor's scope, ordered by path (a tree walk)."""
    with uow:
        query = select(OrgUnit).where(OrgUnit.path.startswith(actor.unit_path))
        if level:
            query = query.where(OrgUnit.level == level)
        return [_view(u) for u in uow.session.scalars(query.order_by(OrgUnit.path))]


def streets_for(actor: Actor, uow: UnitOfWork) -> list[UnitView]:
    """Streets in scope, and the street above a community worker's community."""
    with uow:
        return [_view(u) for u in streets_in_line(actor, uow.session)]


def streets_in_line(actor: Actor, session: Session) -> list[OrgUnit]:
    """``streets_for``'s streets, read in the caller's open transaction."""
    streets = session.scalars(select(OrgUnit).where(OrgUnit.level == "street")
                              .order_by(OrgUnit.path))
    return [u for u in streets if in_line(actor, u.path)]


def load_actor(uow: UnitOfWork, username: str) -> Actor:
    """The acting account for ``username``; UnknownUser names it if it does not exist."""
    with uow:
        staff = uow.session.scalar(select(Staff).where(Staff.username == username))
        if staff is None:
            raise UnknownUser(user=username)
        if not staff.active:
            raise InactiveUser(user=username)
        unit = staff.unit
        return Actor(staff.id, staff.username, staff.role, unit.id, unit.path, unit.level)


@dataclass(frozen=True)
class StaffView:
    username: str
    display_name: str
    role: str
    unit_code: str
    unit_name_zh: str
    unit_name_en: str


def list_staff(uow: UnitOfWork) -> list[StaffView]:
    with uow:
        rows = uow.session.scalars(select(Staff).order_by(Staff.username))
        return [StaffView(s.username, s.display_name, s.role, s.unit.code, s.unit.name_zh,
                          s.unit.name_en) for s in rows]


def create_staff(actor: Actor, uow: UnitOfWork, *, username: str, display_name: str, role: str,
                 unit_id: int) -> int:
    """An administrator opens an account; the role must fit the level of its home unit."""
    with uow:
        if not may_manage_staff(actor):
            raise audit.deny(uow, actor, action="create_staff", entity="staff")
        unit = uow.session.get(OrgUnit, unit_id)
        errors = {}
        if role not in ROLES:
            errors["role"] = Message("org.unknown_role", role=role)
        elif unit is None or unit.level not in HOME_LEVELS[role]:
            errors["unit"] = Message("org.bad_home_unit", role=Message(f"role.{role}"))
        elif closed(unit):
            errors["unit"] = closed(unit)
        if not username.strip() or uow.session.scalar(
                select(Staff).where(Staff.username == username)):
            errors["username"] = Message("org.username_taken", username=username)
        if errors:
            raise ValidationError(errors)
        staff = Staff(username=username, display_name=display_name, role=role, unit_id=unit_id)
        audit.add(uow, actor, staff, action="create_staff")
        uow.commit()
        return staff.id
