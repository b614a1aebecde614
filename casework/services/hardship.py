"""The hardship group (特困群体): eligibility, two-level verification, exit, and visit schedule."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from casework import access, vocab
from casework.access import Actor
from casework.db.models import HardshipHousehold, HomeVisit, OrgUnit, Person
from casework.errors import CaseworkError, NotFound, RuleRefused, StaleRecord, ValidationError
from casework.i18n import Message
from casework.policy import Decision, VisitDue, hardship_eligibility, load_policy, visit_due
from casework.services import audit
from casework.services.uow import UnitOfWork

OFFICERS = frozenset({"street_officer", "district_officer", "city_officer", "admin"})


class NotEligible(RuleRefused):
    """The four criteria are not all met; ``decision`` says which failed and why."""

    key = "hardship.not_eligible"


class AlreadyInGroup(CaseworkError):
    key = "hardship.already_in_group"


class VerificationOutOfOrder(CaseworkError):
    """The street confirms only after the community has verified, and each step happens once."""

    key = "hardship.verification_out_of_order"


@dataclass(frozen=True)
class HouseholdRow:
    id: int
    person_id: int
    name: str | None
    community_id: int
    community_name: str
    status: str  # pending_community, pending_street, registered, exited
    version: int
    last_visit: dt.date | None
    due: VisitDue | None  # only for registered households


def status_of(h: HardshipHousehold) -> str:
    if h.exited_on:
        return "exited"
    if h.street_confirmed_at:
        return "registered"
    return "pending_street" if h.community_verified_at else "pending_community"


def assess(actor: Actor, uow: UnitOfWork, *, person_id: int, able_to_work: bool, willing: bool,
           accepts_any_job: bool, today: dt.date | None = None) -> Decision:
    """The eligibility decision for a person on the ledger, without writing anything."""
    with uow:
        person = _person(actor, uow, person_id, write=False)
        return _decide(load_policy(), person, able_to_work, willing, accepts_any_job,
                       today or uow.today())


def _decide(policy, person: Person, able: bool, willing: bool, any_job: bool,
            on: dt.date) -> Decision:
    return hardship_eligibility(policy, birth_date=person.birth_date, sex=person.sex, on=on,
                                able_to_work=able, willing=willing, accepts_any_job=any_job)


def apply(actor: Actor, uow: UnitOfWork, *, person_id: int, able_to_work: bool, willing: bool,
          accepts_any_job: bool, today: dt.date | None = None) -> int:
    """Enter a household for registration (登记造册); refused with reasons if not eligible."""
    today = today or uow.today()
    with uow:
        person = _person(actor, uow, person_id, write=True)
        if _active(uow, person_id):
            raise AlreadyInGroup()
        policy = load_policy()
        decision = _decide(policy, person, able_to_work, willing, accepts_any_job, today)
        if not decision.ok:
            raise NotEligible(decision)
        household = HardshipHousehold(
            person_id=person_id, community_id=person.community_id, applied_on=today,
            able_to_work=able_to_work, willing=willing, accepts_any_job=accepts_any_job,
            eligible=True, decision=[r.to_json() for r in decision.reasons],
            policy_version=decision.policy_version,
            criteria_reference=policy["hardship"]["criteria_reference"])
        audit.add(uow, actor, household, action="hardship_apply")
        uow.commit()
        return household.id


def verify_community(actor: Actor, uow: UnitOfWork, *, household_id: int, expected_version: int,
                     remark: str | None = None) -> int:
    """First level: the community station verifies the household."""
    return _verify(actor, uow, household_id, expected_version, remark, level="community")


def confirm_street(actor: Actor, uow: UnitOfWork, *, household_id: int, expected_version: int,
                   remark: str | None = None, today: dt.date | None = None) -> int:
    """Second level: the street office confirms; the household is registered from then on."""
    return _verify(actor, uow, household_id, expected_version, remark, level="street",
                   today=today or uow.today())


def _verify(actor, uow, household_id, expected_version, remark, *, level, today=None) -> int:
    roles = {"community": {"community_worker"}, "street": {"street_officer"}}[level]
    with uow:
        h = _household(actor, uow, household_id, expected_version, roles, f"hardship_{level}")
        before = audit.snapshot(h)
        now = dt.datetime.now(dt.UTC)
        if level == "community" and status_of(h) == "pending_community":
            h.community_verified_by, h.community_verified_at, h.community_remark = (
                actor.staff_id, now, remark)
        elif level == "street" and status_of(h) == "pending_street":
            h.street_confirmed_by, h.street_confirmed_at, h.street_remark = (
                actor.staff_id, now, remark)
            h.registered_on = today
        else:
            raise VerificationOutOfOrder(step=Message(f"hardship.step.{level}"),
                                         status=Message(f"hardship.status.{status_of(h)}"))
        return _save(actor, uow, h, f"hardship_{level}", before)


def exit_group(actor: Actor, uow: UnitOfWork, *, household_id: int, expected_version: int,
               reason: str, remark: str | None = None, on: dt.date | None = None) -> int:
    """An officer takes a household out of the group, with the reason recorded."""
    on = on or uow.today()
    with uow:
        h = _household(actor, uow, household_id, expected_version, OFFICERS, "hardship_exit")
        errors = {}
        if reason not in vocab.EXIT_REASONS:
            errors["exit_reason"] = Message("form.bad_choice")
        if status_of(h) == "exited":
            errors["exit_reason"] = Message("hardship.already_exited")
        if on > uow.today():
            errors["exited_on"] = Message("form.date_in_future")
        if errors:
            raise ValidationError(errors)
        before = audit.snapshot(h)
        h.exited_on, h.exit_reason, h.exit_remark, h.exited_by = on, reason, remark, actor.staff_id
        return _save(actor, uow, h, "hardship_exit", before)


def _save(actor, uow, h, action, before) -> int:
    audit.changed(uow, actor, h, action=action, before=before)
    uow.commit()
    return h.version


def _person(actor: Actor, uow: UnitOfWork, person_id: int, *, write: bool) -> Person:
    person = uow.session.get(Person, person_id)
    if person is None:
        raise NotFound("error.person_not_found", id=person_id)
    allowed = (access.may_write_ledger if write else access.may_read_ledger)(
        actor, person.community.path)
    if not allowed or not actor.sees_identities:
        raise audit.deny(uow, actor, action="hardship_apply" if write else "hardship_assess",
                         entity="person", entity_id=person_id)
    return person


def _household(actor, uow, household_id, expected_version, roles, action) -> HardshipHousehold:
    h = uow.session.get(HardshipHousehold, household_id)
    if h is None:
        raise NotFound()
    if actor.role not in roles or not access.in_scope(actor, h.community.path):
        raise audit.deny(uow, actor, action=action, entity="hardship_household",
                         entity_id=household_id)
    StaleRecord.check(h, expected_version)
    return h


def _active(uow: UnitOfWork, person_id: int) -> bool:
    return bool(uow.session.scalar(select(func.count(HardshipHousehold.id)).where(
        HardshipHousehold.person_id == person_id, HardshipHousehold.exited_on.is_(None))))


def households(actor: Actor, uow: UnitOfWork, *, today: dt.date | None = None,
               statuses: tuple[str, ...] = ("registered",)) -> list[HouseholdRow]:
    """Households in scope; registered ones carry their visit due date, computed now.

    Overdue come first (most overdue first), then due today, then upcoming by due date.
    """
    today = today or uow.today()
    policy = load_policy()
    with uow:
        last = (select(HomeVisit.household_id, func.max(HomeVisit.visit_date).label("last"))
                .group_by(HomeVisit.household_id).subquery())
        rows = uow.session.execute(
            select(HardshipHousehold, OrgUnit, last.c.last)
            .join(OrgUnit, HardshipHousehold.community_id == OrgUnit.id)
            .outerjoin(last, last.c.household_id == HardshipHousehold.id)
            .where(OrgUnit.path.startswith(actor.unit_path))).all()
        planned = _planned_next(uow, [(h.id, lv) for h, _, lv in rows if lv])
        out = [_row(actor, policy, h, unit, lv, planned.get(h.id), today)
               for h, unit, lv in rows if status_of(h) in statuses]
    return sorted(out, key=_urgency)


def _planned_next(uow, pairs) -> dict[int, dt.date]:
    """The next visit planned at each household's latest visit."""
    if not pairs:
        return {}
    ids = [hid for hid, _ in pairs]
    latest = dict(pairs)
    planned = {}
    for hid, vdate, nxt in uow.session.execute(
            select(HomeVisit.household_id, HomeVisit.visit_date, HomeVisit.next_visit_date)
            .where(HomeVisit.household_id.in_(ids))):
        if vdate == latest[hid] and nxt:
            planned[hid] = min(nxt, planned.get(hid, nxt))
    return planned


def _row(actor, policy, h, unit, last_visit, planned, today) -> HouseholdRow:
    status = status_of(h)
    due = (visit_due(policy, registered_on=h.registered_on, last_visit=last_visit, today=today,
                     planned=planned) if status == "registered" else None)
    name = h.person.name if actor.sees_identities else None
    return HouseholdRow(h.id, h.person_id, name, unit.id, unit.name_zh, status, h.version,
                        last_visit, due)


def _urgency(row: HouseholdRow):
    if row.due is None:
        return (3, 0, row.id)
    rank = {"overdue": 0, "due": 1, "upcoming": 2}[row.due.state]
    return (rank, -row.due.days_overdue, row.due.due_on.toordinal(), row.id)


@dataclass(frozen=True)
class RollupRow:
    unit_id: int
    level: str
    name_zh: str
    name_en: str
    depth: int
    registered: int
    overdue: int


def overdue_rollup(actor: Actor, uow: UnitOfWork, *, today: dt.date | None = None
                   ) -> list[RollupRow]:
    """Registered and overdue counts for every unit in scope: community → street → district →
    city, in tree order."""
    rows = households(actor, uow, today=today)
    with uow:
        units = uow.session.scalars(select(OrgUnit).where(
            OrgUnit.path.startswith(actor.unit_path)).order_by(OrgUnit.path)).all()
        paths = {u.id: u.path for u in units}
        registered: Counter[str] = Counter()
        overdue: Counter[str] = Counter()
        for row in rows:
            # Count each household once for its community and once for every unit above it.
            for ancestor in _ancestors(paths[row.community_id]):
                registered[ancestor] += 1
                overdue[ancestor] += row.due.state == "overdue"
        depth = actor.unit_path.count("/")
        return [RollupRow(u.id, u.level, u.name_zh, u.name_en, u.path.count("/") - depth,
                          registered[u.path], overdue[u.path]) for u in units]


def _ancestors(path: str) -> list[str]:
    """"/a/b/c/" → ["/a/", "/a/b/", "/a/b/c/"]."""
    codes = path.strip("/").split("/")
    return ["/" + "/".join(codes[:i]) + "/" for i in range(1, len(codes) + 1)]
