"""Fetch-and-check helpers the job, placement, subsidy and loan services share."""

from __future__ import annotations

from sqlalchemy import select

from casework import access, validation
from casework.access import Actor
from casework.db.models import HardshipHousehold, OrgUnit, Person
from casework.db.models_notice import HardshipMember
from casework.errors import NotFound, ValidationError
from casework.i18n import Message
from casework.services import audit, conflicts
from casework.services.uow import UnitOfWork


def person(actor: Actor, uow: UnitOfWork, person_id: int | None, *, action: str,
           field: str = "person_id") -> Person:
    """The person, if on the ledger and in the actor's area (the refusal is audited)."""
    person_id = validation.ident(person_id)
    found = uow.session.get(Person, person_id) if person_id else None
    if found is None:
        raise ValidationError({field: Message("error.person_not_found", id=person_id or "")})
    if not access.may_write_ledger(actor, found.community.path):
        raise audit.deny(uow, actor, action=action, entity="person", entity_id=person_id)
    return found


def unit(uow: UnitOfWork, unit_id: int | None, *, levels: tuple[str, ...], field: str,
         message: str = "jobs.choose_unit") -> OrgUnit:
    unit_id = validation.ident(unit_id)
    found = uow.session.get(OrgUnit, unit_id) if unit_id else None
    if found is None or found.level not in levels:
        raise ValidationError({field: Message(message)})
    return found


def record(uow: UnitOfWork, model: type, record_id: int, expected_version: int | None = None):
    record_id = validation.ident(record_id)
    found = uow.session.get(model, record_id) if record_id else None
    if found is None:
        raise NotFound()
    if expected_version is not None:
        conflicts.check_version(uow.session, found, expected_version)
    return found


def _aid_targeted():
    """Members targeted for employment aid in households registered and not exited."""
    return (select(HardshipMember.person_id)
            .join(HardshipHousehold, HardshipMember.household_id == HardshipHousehold.id)
            .where(HardshipMember.aid_targeted, HardshipMember.person_id.is_not(None),
                   HardshipHousehold.registered_on.is_not(None),
                   HardshipHousehold.exited_on.is_(None)))


def aid_targeted(uow: UnitOfWork, person_id: int) -> bool:
    """Is the person an aid-targeted member of a registered 特困家庭 (三(七))? Such people get the
    hardship factor in matching and the differential purchase; other members of the household
    are registered and visited but not targeted."""
    return uow.session.scalar(_aid_targeted().where(HardshipMember.person_id == person_id)
                              .limit(1)) is not None


def aid_targeted_people(uow: UnitOfWork) -> set[int]:
    """Everyone who is an aid-targeted member of a registered 特困家庭."""
    return set(uow.session.scalars(_aid_targeted()))


def in_area(query, person_column, actor: Actor):
    """Restrict ``query`` to records whose person (``person_column``) is on a ledger in the
    actor's area, in SQL, so that a list never loads the whole city to filter it."""
    return (query.join(Person, person_column == Person.id)
            .join(OrgUnit, Person.community_id == OrgUnit.id)
            .where(OrgUnit.path.startswith(actor.unit_path)))
