"""特困家庭 (the hardship group): registration by the criteria of 连政办发[2002]132号, two-level
verification (community, then street), the members and who of them is targeted for employment
aid (the notice's 三(七)), and exit. The visit schedule is in hardship_schedule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from casework import access, validation, vocab
from casework.access import Actor
from casework.db.models import HardshipHousehold, Person
from casework.db.models_notice import HardshipMember
from casework.errors import CaseworkError, NotFound, RuleRefused, ValidationError
from casework.i18n import Message
from casework.policy import Decision, Policy, hardship_registration, load_policy
from casework.services import audit, conflicts
from casework.services import hardship_members as hm
from casework.services.hardship_members import (
    RELATIONS,
    SITUATIONS,
    AlreadyInGroup,
    HouseholdClosed,
    HouseholdDetail,
    MemberInput,
    MemberRow,
    add_member,
    household_detail,
    update_member,
)
from casework.services.hardship_schedule import (
    HouseholdRow,
    RollupRow,
    households,
    overdue_rollup,
    status_of,
)
from casework.services.uow import UnitOfWork

__all__ = ["RELATIONS", "SITUATIONS", "AlreadyInGroup", "Application", "Assessment",
           "HouseholdClosed", "HouseholdDetail", "HouseholdRow", "MemberInput", "MemberRow",
           "RegistrationRefused", "RollupRow", "VerificationOutOfOrder", "add_member", "apply",
           "assess", "confirm_street", "exit_group", "household_detail", "households",
           "overdue_rollup", "status_of", "update_member", "verify_community"]

class RegistrationRefused(RuleRefused):
    """The household does not meet the registration criteria (132号 as policy.toml reads it);
    ``decision`` says which failed and why."""

    key = "hardship.registration_refused"
    only_unmet = True


class VerificationOutOfOrder(CaseworkError):
    """The street confirms only after the community has verified, and each step happens once."""

    key = "hardship.verification_out_of_order"


@dataclass(frozen=True)
class Application:
    """A household entered for registration: the applicant from the ledger (``applicant`` holds
    their female-cadre flag and three answers, and a situation if not the ledger's) and the other
    members typed in."""

    person_id: int | None
    household_size: int | None
    household_income: int | None
    remark: str | None = None
    applicant: MemberInput = field(default_factory=MemberInput)
    members: tuple[MemberInput, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """Both decisions: the household's registration and each member's targeting for aid."""

    registration: Decision
    members: tuple[tuple[MemberInput, Decision], ...]  # the applicant first
    criteria_reference: str  # what registration rests on (132号)
    aid_reference: str  # what targeting rests on (the notice's 三(七))

    @property
    def targeted(self) -> int:
        return sum(d.ok for _, d in self.members)


APPLICATION_SHAPE = {"person_id": "id", "household_size": "int", "household_income": "int",
                     "remark": "text"}


def assess(actor: Actor, uow: UnitOfWork, *, application: Application,
           today: dt.date | None = None) -> Assessment:
    """Both decisions for an application, without writing anything."""
    application = validation.shaped_command(application, APPLICATION_SHAPE)
    with uow:
        person = _person(actor, uow, application.person_id, write=False)
        return _assess(actor, uow, load_policy(), person, application, today or uow.today())


def _assess(actor, uow, policy: Policy, person: Person, app: Application,
            on: dt.date) -> Assessment:
    applicant = hm.from_ledger(replace(app.applicant, relation="applicant"), person)
    others = tuple(hm.linked(actor, uow, m) for m in app.members)
    errors = _check(app, applicant, others, on)
    if errors:
        raise ValidationError(errors)
    everyone = (applicant, *others)
    registration = hardship_registration(
        policy, household_size=app.household_size, household_income=app.household_income,
        situations=[m.situation for m in everyone], remark=app.remark)
    return Assessment(registration, tuple((m, hm.decide(policy, m, on=on)) for m in everyone),
                      policy["hardship"]["criteria_reference"], policy["hardship"]["aid_reference"])


def _check(app: Application, applicant: MemberInput, others, on: dt.date) -> dict:
    errors: dict[str, Message] = {}
    size, income = app.household_size, app.household_income
    if not isinstance(size, int) or not 1 <= size <= 30:
        errors["household_size"] = Message("ledger.bad_members")
    elif size < 1 + len(others):
        errors["household_size"] = Message("hardship.size_below_members", count=1 + len(others))
    if not isinstance(income, int) or income < 0:
        errors["household_income"] = Message("ledger.not_a_count")
    errors.update(hm.check(applicant, today=on))
    for row, member in enumerate(others, 1):
        problems = hm.check(member, today=on)
        if member.relation == "applicant":
            problems["relation"] = Message("form.bad_choice")
        if problems and "members" not in errors:
            name, problem = next(iter(problems.items()))
            errors["members"] = Message("hardship.member_row", row=row,
                                        field=Message(f"hardship.field.{name}"), problem=problem)
    return errors


def apply(actor: Actor, uow: UnitOfWork, *, application: Application,
          today: dt.date | None = None) -> int:
    """Enter a household for registration (登记造册) with its members, each with their targeting
    for employment aid; refused with reasons only if the registration criteria are not met."""
    today = today or uow.today()
    application = validation.shaped_command(application, APPLICATION_SHAPE)
    with uow:
        person = _person(actor, uow, application.person_id, write=True)
        policy = load_policy()
        assessment = _assess(actor, uow, policy, person, application, today)
        if any(m.person_id and hm.active(uow, m.person_id) for m, _ in assessment.members):
            raise AlreadyInGroup()
        if not assessment.registration.ok:
            raise _refused(uow, actor, person.id, assessment.registration)
        household = HardshipHousehold(
            person_id=person.id, community_id=person.community_id, applied_on=today,
            household_size=application.household_size,
            household_income=application.household_income,
            registration_remark=application.remark.strip(), eligible=True,
            decision=[r.to_json() for r in assessment.registration.reasons],
            policy_version=assessment.registration.policy_version,
            criteria_reference=policy["hardship"]["criteria_reference"])
        audit.add(uow, actor, household, action="hardship_apply")
        for member, decision in assessment.members:
            row = hm.write(HardshipMember(household_id=household.id), member, decision)
            audit.add(uow, actor, row, action="hardship_member_add")
        uow.commit()
        return household.id


def _refused(uow, actor, person_id: int, decision: Decision) -> RegistrationRefused:
    """Audit the refusal with its reasons in a transaction of its own."""
    with uow.fresh() as own:
        audit.record(own, actor, action="hardship_apply", entity="person", entity_id=person_id,
                     outcome="denied", after={"reasons": [r.to_json() for r in decision.reasons]})
        own.commit()
    return RegistrationRefused(decision)


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
    capability = {"community": "hardship_verify_community", "street": "hardship_confirm_street"}
    (remark,) = validation.args(remark=("text", remark))
    with uow:
        h = _household(actor, uow, household_id, expected_version, capability[level],
                       f"hardship_{level}")
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
    reason, remark, on = validation.args(exit_reason=("choice", reason), remark=("text", remark),
                                         exited_on=("date", on))
    on = on or uow.today()
    with uow:
        h = _household(actor, uow, household_id, expected_version, "hardship_exit",
                       "hardship_exit")
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


def _person(actor: Actor, uow: UnitOfWork, person_id: int | None, *, write: bool) -> Person:
    if person_id is None:
        raise ValidationError({"person": Message("form.required")})
    person = validation.fetch(uow.session, Person, person_id)
    if person is None:
        raise NotFound("error.person_not_found", id=person_id)
    allowed = (access.may_write_ledger if write else access.may_read_ledger)(
        actor, person.community.path)
    if not allowed or not actor.sees_identities:
        raise audit.deny(uow, actor, action="hardship_apply" if write else "hardship_assess",
                         entity="person", entity_id=person_id)
    if write and hm.active(uow, person_id):
        raise AlreadyInGroup()
    return person


def _household(actor, uow, household_id, expected_version, capability,
               action) -> HardshipHousehold:
    h = validation.fetch(uow.session, HardshipHousehold, household_id)
    if h is None:
        raise NotFound()
    if not access.may(actor, capability, h.community.path):
        raise audit.deny(uow, actor, action=action, entity="hardship_household",
                         entity_id=household_id)
    conflicts.check_version(uow.session, h, expected_version)
    return h
