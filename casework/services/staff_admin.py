"""Staff accounts: open one, change its role and home unit, deactivate and reactivate it, and
list the accounts in the actor's scope (capability ``manage_staff``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from casework import access, validation
from casework.access import HOME_LEVELS, ROLES, Actor
from casework.db.models import OrgUnit, Staff
from casework.errors import CaseworkError, NotFound
from casework.i18n import Message
from casework.services import audit, org
from casework.services.uow import UnitOfWork

# The username is the login name (JupyterHub lower-cases the names it is given).
USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,59}")


class OwnAccount(CaseworkError):
    """Nobody deactivates or demotes their own account: the city could lock itself out."""

    key = "admin.own_account"


@dataclass(frozen=True)
class NewStaff:
    username: str
    display_name: str
    role: str
    unit_id: int


@dataclass(frozen=True)
class ChangeStaff:
    username: str
    role: str
    unit_id: int


@dataclass(frozen=True)
class StaffRow:
    id: int
    username: str
    display_name: str
    role: str
    unit_id: int
    unit_code: str
    unit_name_zh: str
    unit_name_en: str
    active: bool

    def unit_name(self, lang: str) -> str:
        return self.unit_name_zh if lang == "zh" else self.unit_name_en


def staff_in_scope(actor: Actor, uow: UnitOfWork, *, search: str | None = None,
                   active_only: bool = False) -> list[StaffRow]:
    """The accounts whose home unit lies in the actor's scope, by username; ``search`` matches
    a part of the username or display name."""
    with uow:
        if not access.may(actor, "manage_staff"):
            raise audit.deny(uow, actor, action="list_staff", entity="staff")
        query = (select(Staff, OrgUnit).join(OrgUnit, Staff.unit_id == OrgUnit.id)
                 .where(OrgUnit.path.startswith(actor.unit_path)).order_by(Staff.username))
        if search and search.strip():
            like = f"%{search.strip()}%"
            query = query.where(Staff.username.ilike(like) | Staff.display_name.ilike(like))
        if active_only:
            query = query.where(Staff.active.is_(True))
        return [StaffRow(s.id, s.username, s.display_name, s.role, u.id, u.code, u.name_zh,
                         u.name_en, s.active) for s, u in uow.session.execute(query)]


def add_staff(actor: Actor, uow: UnitOfWork, command: NewStaff) -> int:
    """Open an account; the role must fit the level of its home unit, which must be open."""
    with uow:
        if not access.may(actor, "manage_staff"):
            raise audit.deny(uow, actor, action="create_staff", entity="staff")
        errors: dict[str, Message] = {}
        username = _username(uow, command.username, errors)
        display = validation.text({"display_name": command.display_name}, "display_name",
                                  errors, required=True, max_len=100)
        unit = _home(actor, uow, command.role, command.unit_id, errors, action="create_staff")
        validation.raise_if(errors)
        staff = Staff(username=username, display_name=display, role=command.role,
                      unit_id=unit.id, active=True)
        audit.add(uow, actor, staff, action="create_staff")
        uow.commit()
        return staff.id


def _username(uow: UnitOfWork, given: str, errors: dict) -> str | None:
    username = validation.text({"username": given}, "username", errors, required=True)
    if username is None or "username" in errors:
        return username
    if not USERNAME.fullmatch(username):
        errors["username"] = Message("admin.bad_username")
    elif uow.session.scalar(select(Staff.id).where(Staff.username == username)) is not None:
        errors["username"] = Message("org.username_taken", username=username)
    return username


def _home(actor: Actor, uow: UnitOfWork, role: str, unit_id: int, errors: dict, *,
          action: str) -> OrgUnit | None:
    """The home unit for ``role``: in scope (or the refusal is audited), open, of a fitting
    level."""
    unit = validation.fetch(uow.session, OrgUnit, unit_id)
    if not role:
        errors["role"] = Message("form.required")
    elif role not in ROLES:
        errors["role"] = Message("org.unknown_role", role=role)
    if unit is None:
        errors["unit"] = Message("admin.choose_unit")
        return None
    if not access.may(actor, "manage_staff", unit.path):
        raise audit.deny(uow, actor, action=action, entity="staff")
    if org.closed(unit):
        errors["unit"] = org.closed(unit)
    elif role in ROLES and unit.level not in HOME_LEVELS[role]:
        errors["unit"] = Message("org.bad_home_unit", role=Message(f"role.{role}"))
    return unit


def change_staff(actor: Actor, uow: UnitOfWork, command: ChangeStaff) -> None:
    """Give an account another role or home unit (or both)."""
    with uow:
        staff = _account(actor, uow, command.username, action="change_staff")
        errors: dict[str, Message] = {}
        unit = _home(actor, uow, command.role, command.unit_id, errors, action="change_staff")
        validation.raise_if(errors)
        before = audit.snapshot(staff)
        staff.role, staff.unit_id = command.role, unit.id
        audit.changed(uow, actor, staff, action="change_staff", before=before)
        uow.commit()


def set_active(actor: Actor, uow: UnitOfWork, *, username: str, active: bool) -> None:
    """Deactivate an account (it can no longer act; its history stays) or reactivate it."""
    action = "reactivate_staff" if active else "deactivate_staff"
    with uow:
        staff = _account(actor, uow, username, action=action)
        if active and org.closed(staff.unit):
            validation.raise_if({"unit": org.closed(staff.unit)})
        if staff.active == active:
            return
        before = audit.snapshot(staff)
        staff.active = active
        audit.changed(uow, actor, staff, action=action, before=before)
        uow.commit()


def _account(actor: Actor, uow: UnitOfWork, username: str, *, action: str) -> Staff:
    """Another account whose home unit the actor may manage (a refusal is audited)."""
    staff = uow.session.scalar(select(Staff).where(Staff.username == username))
    if staff is None:
        raise NotFound("admin.no_such_account", user=username)
    if not access.may(actor, "manage_staff", staff.unit.path):
        raise audit.deny(uow, actor, action=action, entity="staff", entity_id=staff.id)
    if staff.id == actor.staff_id:
        raise OwnAccount()
    return staff


def has_accounts(uow: UnitOfWork) -> bool:
    """Whether any staff account exists (before the first, set-up runs as the system)."""
    with uow:
        return uow.session.scalar(select(Staff.id).limit(1)) is not None
