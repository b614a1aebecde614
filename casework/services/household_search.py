"""Search the 特困 households as the user types: the household pickers read through here.

A household is found by its applicant (name, ID number, phone, or "#record number", as in
``person_search``), in the actor's scope and in the statuses the form acts on.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from casework import access
from casework.access import Actor
from casework.db.models import HardshipHousehold, OrgUnit, Person
from casework.services import audit
from casework.services.person_search import LIMIT, PersonMatches, conditions
from casework.services.uow import UnitOfWork

H = HardshipHousehold
# Each status as a condition (the same rule as hardship_schedule.status_of).
STATUS = {
    "exited": H.exited_on.is_not(None),
    "registered": and_(H.exited_on.is_(None), H.street_confirmed_at.is_not(None)),
    "pending_street": and_(H.exited_on.is_(None), H.street_confirmed_at.is_(None),
                           H.community_verified_at.is_not(None)),
    "pending_community": and_(H.exited_on.is_(None), H.street_confirmed_at.is_(None),
                              H.community_verified_at.is_(None)),
}


@dataclass(frozen=True)
class HouseholdMatch:
    """One household offered by a picker; ``name`` (the applicant's) is None for those who see
    no identities."""

    id: int
    person_id: int
    name: str | None
    community_name: str


def search_households(actor: Actor, uow: UnitOfWork, *, text: str = "",
                      household_id: int | None = None,
                      statuses: Collection[str] = ("registered",),
                      limit: int = LIMIT) -> PersonMatches:
    """Households in scope and in ``statuses`` whose applicant matches ``text`` (see
    ``search_persons``), or the one household ``household_id``; ``rows`` are
    ``HouseholdMatch``, the applicant's name beginning with the text first, newest first."""
    if not access.may(actor, "read_ledger"):
        raise audit.deny(uow, actor, action="search_households", entity="hardship_household")
    base = (select(H.id, H.person_id, Person.name, OrgUnit.name_zh)
            .join(Person, H.person_id == Person.id)
            .join(OrgUnit, H.community_id == OrgUnit.id)
            .where(OrgUnit.path.startswith(actor.unit_path),
                   or_(*[STATUS[s] for s in statuses])))
    with uow:
        if household_id is not None:
            rows = _rows(actor, uow, base.where(H.id == household_id), 1)
            return PersonMatches(tuple(rows), False, limit)
        first, then = conditions(actor, text)
        found = _rows(actor, uow, base.where(first), limit + 1) if first is not None else []
        if then is not None and len(found) <= limit:
            seen = [m.id for m in found]
            query = base.where(then, H.id.not_in(seen)) if seen else base.where(then)
            found += _rows(actor, uow, query, limit + 1 - len(found))
        return PersonMatches(tuple(found[:limit]), len(found) > limit, limit)


def _rows(actor: Actor, uow: UnitOfWork, query, limit: int) -> list[HouseholdMatch]:
    shown = actor.sees_identities
    return [HouseholdMatch(h, p, name if shown else None, community)
            for h, p, name, community in uow.session.execute(
                query.order_by(H.id.desc()).limit(limit))]
