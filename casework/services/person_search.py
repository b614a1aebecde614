"""Search the ledger as the user types: the person pickers of every app read through here.

A picker never loads a list: it asks for the few people whose name, ID number, phone or record
number matches what was typed, in the actor's scope, and is told when more match than it shows
("type more"), so nobody drops out of sight without the user knowing.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import exists, or_, select, union_all

from casework import access
from casework.access import Actor
from casework.db.models import OrgUnit, Person
from casework.db.models_notice import PreferentialCertificate
from casework.db.name_parts import part_begins
from casework.services import audit
from casework.services.uow import UnitOfWork

LIMIT = 20
RECORD = re.compile(r"#\s*(\d{1,9})")
# Digits of an ID number (the last may be X), a phone or a record number.
DIGITS = re.compile(r"\d{1,17}[\dXx]?")
MAX_TEXT = 60
MIN_INSIDE = 2  # characters typed before a name is matched anywhere, not only at its start


@dataclass(frozen=True)
class PersonMatch:
    """One person offered by a picker; ``name`` is None for those who see no identities."""

    id: int
    name: str | None
    category: str
    community_id: int


@dataclass(frozen=True)
class PersonMatches:
    """At most ``limit`` matches, best first; ``more`` says that others match too. ``rows``
    are ``PersonMatch`` (or ``household_search.HouseholdMatch``)."""

    rows: tuple
    more: bool
    limit: int


def search_persons(actor: Actor, uow: UnitOfWork, *, text: str = "",
                   person_id: int | None = None, categories: Collection[str] | None = None,
                   exclude_ids: Collection[int] = (), street_id: int | None = None,
                   without_certificate: bool = False, limit: int = LIMIT) -> PersonMatches:
    """People in the actor's scope matching ``text``, or the one person ``person_id``.

    ``text`` matches a name (its beginning, then, once two characters are typed, inside it
    from the 2nd to the 4th character: a given name),
    the beginning of an ID number (18-digit or first-generation 15-digit) or phone, or a
    record number ("#123", or the digits alone). Matches at the beginning come first, newest
    first within each. Only those in ``categories`` (when given) and not in ``exclude_ids``
    are offered; ``street_id`` keeps those of one street, ``without_certificate`` those
    holding no Re-employment Preferential Certificate in force (neither withdrawn nor lost).
    Researchers see no identities: they find people by record number only, and get no names.
    """
    if not access.may(actor, "read_ledger"):
        with uow:
            raise audit.deny(uow, actor, action="search_persons", entity="person")
    base = _base(actor, categories, exclude_ids)
    if street_id is not None:
        base = base.where(OrgUnit.parent_id == street_id)
    if without_certificate:
        base = base.where(~exists().where(PreferentialCertificate.person_id == Person.id,
                                          PreferentialCertificate.withdrawn_on.is_(None),
                                          PreferentialCertificate.lost_on.is_(None)))
    with uow:
        if person_id is not None:
            rows = _rows(uow, base.where(Person.id == person_id), 1)
            return PersonMatches(tuple(_match(actor, p) for p in rows), False, limit)
        first, then = conditions(actor, text)
        found = _rows(uow, base.where(first), limit + 1) if first is not None else []
        if then is not None and len(found) <= limit:
            seen = [p.id for p in found]
            query = base.where(then, Person.id.not_in(seen)) if seen else base.where(then)
            found += _rows(uow, query, limit + 1 - len(found))
        return PersonMatches(tuple(_match(actor, p) for p in found[:limit]),
                             len(found) > limit, limit)


def _base(actor: Actor, categories, exclude_ids):
    query = (select(Person).join(OrgUnit, Person.community_id == OrgUnit.id)
             .where(OrgUnit.path.startswith(actor.unit_path)))
    if categories is not None:
        query = query.where(Person.category.in_(list(categories)))
    if exclude_ids:
        query = query.where(Person.id.not_in(list(exclude_ids)))
    return query


def conditions(actor: Actor, text: str):
    """(the conditions on ``Person`` tried first, those tried when these find too few) for
    ``text``; the household search uses them too."""
    text = " ".join((text or "").split())[:MAX_TEXT]
    if not text:
        return None, None
    record = RECORD.fullmatch(text)
    if record:
        return Person.id == int(record.group(1)), None
    if DIGITS.fullmatch(text):
        digits = text.upper()
        by_record = [Person.id == int(digits)] if digits.isdigit() and len(digits) <= 9 else []
        if not actor.sees_identities:
            return (or_(*by_record) if by_record else None), None
        return _any_of([*by_record, _prefix(Person.id_number, digits),
                        _prefix(Person.id_number_original, digits),
                        _prefix(Person.phone, digits)]), None
    if not actor.sees_identities:
        return None, None
    # One character inside a name narrows nothing. Two or more are sought where a given name
    # begins (the 2nd to 4th character: every part of names up to five characters), from an
    # index each; LIKE '%…%' would read the whole ledger.
    inside = _any_of(part_begins(Person.name, text)) if len(text) >= MIN_INSIDE else None
    return _prefix(Person.name, text), inside


def _any_of(conditions: list):
    """People meeting any of ``conditions``, each of which an index serves, as
    ``id IN (… UNION ALL …)``: under ``ORDER BY id DESC LIMIT n`` SQLite plans a plain ``OR``
    of bound parameters as a walk of the whole table in id order (85 ms at 100,000 people,
    against 0.3 ms for the indexes), since it cannot know how few rows the values match."""
    return Person.id.in_(union_all(*(select(Person.id).where(c) for c in conditions)))


def _prefix(column, text: str):
    """``column`` begins with ``text``, as ``LIKE 'text%'`` with the whole pattern bound:
    SQLite uses an index for that, but not for ``startswith``'s ``LIKE :p || '%'``."""
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return column.like(f"{escaped}%", escape="/")


def _rows(uow: UnitOfWork, query, limit: int) -> list[Person]:
    return list(uow.session.scalars(query.order_by(Person.id.desc()).limit(limit)))


def _match(actor: Actor, person: Person) -> PersonMatch:
    return PersonMatch(person.id, person.name if actor.sees_identities else None,
                       person.category, person.community_id)
