"""Members of a 特困家庭: what is typed in, how it is checked, whether each is targeted for
employment aid, and adding or correcting them while the household is pending or registered.
Registration is decided for the household (连政办发[2002]132号, casework.services.hardship);
targeting is decided per member by the four conditions of the notice's 三(七).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from casework import access, validation
from casework.access import Actor
from casework.db.models import HardshipHousehold, Person
from casework.db.models_notice import HardshipMember
from casework.errors import CaseworkError, NotFound, ValidationError
from casework.i18n import Message
from casework.policy import JOBSEEKERS, Decision, Policy, age_on, employment_aid, load_policy
from casework.services import audit, conflicts
from casework.services.hardship_schedule import status_of
from casework.services.uow import UnitOfWork

RELATIONS = ("applicant", "spouse", "child", "parent", "other")
SITUATIONS = ("laid_off", "unemployed", "never_employed", "employed", "retired", "student",
              "other")
NAME_MAX = 60


@dataclass(frozen=True)
class MemberInput:
    """One member as typed in. A member linked to a ledger person (``person_id``) takes name, sex
    and birth date from the ledger. The three answers and ``female_cadre`` feed the targeting."""

    name: str | None = None
    relation: str | None = None
    sex: str | None = None
    birth_date: dt.date | None = None
    situation: str | None = None
    female_cadre: bool = False
    able_to_work: bool = False
    willing: bool = False
    accepts_any_job: bool = False
    person_id: int | None = None


@dataclass(frozen=True)
class MemberRow:
    id: int
    person_id: int | None
    name: str
    relation: str
    sex: str
    birth_date: dt.date
    age: int
    situation: str
    female_cadre: bool
    able_to_work: bool
    willing: bool
    accepts_any_job: bool
    aid_targeted: bool
    reasons: tuple[Message, ...]
    policy_version: str
    version: int


def situation_of(person: Person) -> str:
    """A ledger person's situation, read from the ledger category."""
    if person.category in JOBSEEKERS:
        return person.category
    return "retired" if person.category == "retiree" else "other"


def from_ledger(member: MemberInput, person: Person) -> MemberInput:
    """Name, sex and birth date as the ledger has them; the situation from the ledger unless
    one was given."""
    return replace(member, person_id=person.id, name=person.name, sex=person.sex,
                   birth_date=person.birth_date,
                   situation=member.situation or situation_of(person))


MEMBER_SHAPE = {"name": "text", "relation": "choice", "sex": "choice", "birth_date": "date",
                "situation": "choice", "female_cadre": "flag", "able_to_work": "flag",
                "willing": "flag", "accepts_any_job": "flag", "person_id": "id"}


def check(member: MemberInput, *, today: dt.date) -> dict[str, Message]:
    """The member's problems, one message per field (empty when all is well)."""
    _, errors = validation.shape_errors(
        {f: getattr(member, f) for f in MEMBER_SHAPE}, MEMBER_SHAPE)
    if errors:
        return errors
    name = (member.name or "").strip()
    if not name:
        errors["name"] = Message("form.required")
    elif len(name) > NAME_MAX:
        errors["name"] = Message("form.too_long", max=NAME_MAX)
    for field, allowed in (("relation", RELATIONS), ("sex", ("M", "F")),
                           ("situation", SITUATIONS)):
        value = getattr(member, field)
        if value is None:
            errors[field] = Message("form.required")
        elif value not in allowed:
            errors[field] = Message("form.bad_choice")
    if member.birth_date is None:
        errors["birth_date"] = Message("form.required")
    elif member.birth_date > today:
        errors["birth_date"] = Message("form.date_in_future")
    if member.female_cadre and member.sex != "F":
        errors["female_cadre"] = Message("hardship.cadre_only_women")
    return errors


def decide(policy: Policy, member: MemberInput, *, on: dt.date) -> Decision:
    """Is the member targeted for employment aid (the four conditions of 三(七))?"""
    return employment_aid(policy, birth_date=member.birth_date, sex=member.sex, on=on,
                          female_cadre=member.female_cadre, able_to_work=member.able_to_work,
                          willing=member.willing, accepts_any_job=member.accepts_any_job)


def write(row: HardshipMember, member: MemberInput, decision: Decision) -> HardshipMember:
    """Copy the member and its targeting decision onto ``row``."""
    row.person_id, row.name, row.relation = member.person_id, member.name.strip(), member.relation
    row.sex, row.birth_date, row.situation = member.sex, member.birth_date, member.situation
    row.female_cadre, row.able_to_work = member.female_cadre, member.able_to_work
    row.willing, row.accepts_any_job = member.willing, member.accepts_any_job
    row.aid_targeted = decision.ok
    row.decision = [r.to_json() for r in decision.reasons]
    row.policy_version = decision.policy_version
    return row


def members_of(session: Session, household_id: int) -> list[HardshipMember]:
    """The household's members, the applicant first, then in the order they were entered."""
    return list(session.scalars(
        select(HardshipMember).where(HardshipMember.household_id == household_id)
        .order_by((HardshipMember.relation != "applicant"), HardshipMember.id)))


def row_of(m: HardshipMember, *, on: dt.date) -> MemberRow:
    return MemberRow(m.id, m.person_id, m.name, m.relation, m.sex, m.birth_date,
                     age_on(m.birth_date, on), m.situation, m.female_cadre, m.able_to_work,
                     m.willing, m.accepts_any_job, m.aid_targeted,
                     tuple(Message.from_json(r) for r in m.decision), m.policy_version,
                     m.version)


class AlreadyInGroup(CaseworkError):
    key = "hardship.already_in_group"


class HouseholdClosed(CaseworkError):
    """A household that has left the group keeps its members as they were."""

    key = "hardship.household_closed"


@dataclass(frozen=True)
class HouseholdDetail:
    id: int
    person_id: int
    name: str
    status: str
    version: int
    household_size: int
    household_income: int
    remark: str | None
    registration: Decision
    criteria_reference: str  # what registration rested on (132号)
    aid_reference: str  # what targeting rests on (the notice's 三(七))
    members: tuple[MemberRow, ...]


def add_member(actor: Actor, uow: UnitOfWork, *, household_id: int, member: MemberInput,
               today: dt.date | None = None) -> int:
    """Add a member to a pending or registered household; their targeting is decided now."""
    today = today or uow.today()
    member = validation.shaped_command(member, MEMBER_SHAPE)
    with uow:
        h = _editable(actor, uow, household_id, "hardship_member_add")
        member = linked(actor, uow, member, field_name="person_id")
        errors = check(member, today=today)
        if member.relation == "applicant":
            errors["relation"] = Message("form.bad_choice")
        if errors:
            raise ValidationError(errors)
        if member.person_id and active(uow, member.person_id):
            raise AlreadyInGroup()
        row = write(HardshipMember(household_id=h.id), member,
                    decide(load_policy(), member, on=today))
        audit.add(uow, actor, row, action="hardship_member_add")
        uow.commit()
        return row.id


def update_member(actor: Actor, uow: UnitOfWork, *, member_id: int, expected_version: int,
                  member: MemberInput, today: dt.date | None = None) -> int:
    """Correct a member (the targeting is decided again, today); returns the new version.

    A member on the ledger keeps the ledger's name, sex and birth date."""
    today = today or uow.today()
    member = validation.shaped_command(member, MEMBER_SHAPE)
    with uow:
        row = validation.fetch(uow.session, HardshipMember, member_id)
        if row is None:
            raise NotFound()
        _editable(actor, uow, row.household_id, "hardship_member_update")
        conflicts.check_version(uow.session, row, expected_version)
        member = _kept_identity(actor, uow, row, member)
        errors = check(member, today=today)
        if (row.relation == "applicant") != (member.relation == "applicant"):
            errors["relation"] = Message("hardship.applicant_fixed" if row.relation == "applicant"
                                         else "form.bad_choice")
        if errors:
            raise ValidationError(errors)
        before = audit.snapshot(row)
        write(row, member, decide(load_policy(), member, on=today))
        audit.changed(uow, actor, row, action="hardship_member_update", before=before)
        uow.commit()
        return row.version


def _kept_identity(actor, uow, row: HardshipMember, member: MemberInput) -> MemberInput:
    if row.person_id is not None:
        return from_ledger(replace(member, person_id=row.person_id),
                           validation.fetch(uow.session, Person, row.person_id))
    found = linked(actor, uow, member, field_name="person_id")
    if found.person_id and active(uow, found.person_id):
        raise AlreadyInGroup()
    return found


def linked(actor: Actor, uow: UnitOfWork, member: MemberInput, *,
           field_name: str = "members") -> MemberInput:
    """A member naming a ledger person in the actor's area takes the ledger's identity."""
    if member.person_id is None:
        return member
    person = validation.fetch(uow.session, Person, member.person_id)
    if person is None or not access.may_write_ledger(actor, person.community.path):
        raise ValidationError({field_name: Message("error.person_not_found",
                                                   id=member.person_id)})
    return from_ledger(member, person)


def household_detail(actor: Actor, uow: UnitOfWork, *, household_id: int,
                     today: dt.date | None = None) -> HouseholdDetail:
    """A household with its registration decision and every member with their targeting."""
    today = today or uow.today()
    with uow:
        h = validation.fetch(uow.session, HardshipHousehold, household_id)
        if h is None:
            raise NotFound()
        if not access.may_read_ledger(actor, h.community.path) or not actor.sees_identities:
            raise audit.deny(uow, actor, action="hardship_read", entity="hardship_household",
                             entity_id=household_id)
        registration = Decision(h.eligible, h.policy_version,
                                tuple(Message.from_json(r) for r in h.decision))
        members = tuple(row_of(m, on=today) for m in members_of(uow.session, h.id))
        return HouseholdDetail(h.id, h.person_id, h.person.name, status_of(h), h.version,
                               h.household_size, h.household_income, h.registration_remark,
                               registration, h.criteria_reference,
                               load_policy()["hardship"]["aid_reference"], members)


def _editable(actor, uow, household_id: int, action: str) -> HardshipHousehold:
    """A household whose members may change: pending or registered, in the actor's area."""
    h = validation.fetch(uow.session, HardshipHousehold, household_id)
    if h is None:
        raise NotFound()
    if not access.may_write_ledger(actor, h.community.path) or not actor.sees_identities:
        raise audit.deny(uow, actor, action=action, entity="hardship_household",
                         entity_id=household_id)
    if status_of(h) == "exited":
        raise HouseholdClosed()
    return h


def active(uow: UnitOfWork, person_id: int) -> bool:
    """Is the person the applicant or a member of a household that has not left the group?"""
    member_of = select(HardshipMember.household_id).where(HardshipMember.person_id == person_id)
    return bool(uow.session.scalar(select(func.count(HardshipHousehold.id)).where(
        or_(HardshipHousehold.person_id == person_id, HardshipHousehold.id.in_(member_of)),
        HardshipHousehold.exited_on.is_(None))))
