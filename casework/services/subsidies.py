"""Placement subsidies: the 500-yuan job-development subsidy and the differential purchase of
jobs, each claimed → reviewed → approved → paid, with the paying fund's level recorded."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from casework import access, money, validation, vocab
from casework.access import Actor
from casework.db.models import JobPosting, Placement, SubsidyClaim, SubsidyStep
from casework.errors import RuleRefused, ValidationError
from casework.i18n import Message
from casework.policy import Decision, Policy, load_policy
from casework.services import audit, placements, scope, steps
from casework.services.uow import UnitOfWork


class SubsidyConditionsNotMet(RuleRefused):
    """The placement does not (yet) qualify; the unmet conditions are named."""

    key = "subsidies.conditions_not_met"
    only_unmet = True


@dataclass(frozen=True)
class ClaimRow:
    id: int
    placement_id: int
    person_id: int
    name: str | None
    kind: str
    amount: int
    funding_level: str
    status: str
    claimed_on: dt.date
    paid_on: dt.date | None
    steps: tuple[str, ...]
    next_step: str | None
    version: int
    recovery_flagged_on: dt.date | None = None
    recovery_reason: Message | None = None  # why the job-development subsidy is recovered


def _conditions(policy: Policy, uow: UnitOfWork, placement: Placement, kind: str,
                today: dt.date) -> tuple[Decision, int, int | None, int | None]:
    """The rule's decision and (amount, monthly amount, months) for a claim of ``kind``."""
    claimed = bool(uow.session.scalar(select(SubsidyClaim.id).where(
        SubsidyClaim.placement_id == placement.id, SubsidyClaim.kind == kind,
        SubsidyClaim.status != "refused")))
    if kind == "job_development":
        return _job_development(policy, uow, placement, claimed, today)
    targeted = placement.hardship or placement.policy_placement
    decision = money.differential_purchase_claim(policy, hardship_or_policy_placement=targeted,
                                                 already_claimed=claimed)
    monthly, months = money.differential_purchase(policy, hardship_or_policy_placement=targeted)
    return decision, monthly * months, monthly, months


def _job_development(policy: Policy, uow: UnitOfWork, placement: Placement, claimed: bool,
                     today: dt.date) -> tuple[Decision, int, None, None]:
    insurance = money.insurance_on_time(
        policy, placements.contributions(uow, placement.id), today=today)
    # A placement without a posting has no recorded investing body: the rule says what to do.
    posting = (uow.session.get(JobPosting, placement.posting_id) if placement.posting_id
               else None)
    recovery = (money.subsidy_recovery(policy, start=placement.start_date,
                                       ended_on=placement.ended_on)
                if placement.ended_on else None)
    decision = money.job_development_subsidy(
        policy, category=placement.person.category,
        investor_kind=posting.investor_kind if posting else None,
        investor_new=bool(posting and posting.investor_new),
        contract_months=placement.contract_months, insurance=insurance,
        already_claimed=claimed, recovery=recovery)
    return decision, policy["subsidy"]["job_development_yuan"], None, None


def check_claim(actor: Actor, uow: UnitOfWork, *, placement_id: int, kind: str,
                today: dt.date | None = None) -> Decision:
    """Would a claim of ``kind`` on this placement be accepted now, and why (not)?"""
    with uow:
        placement = scope.record(uow, Placement, placement_id)
        scope.person(actor, uow, placement.person_id, action="check_subsidy")
        return _conditions(load_policy(), uow, placement, kind, today or uow.today())[0]


def claim(actor: Actor, uow: UnitOfWork, *, placement_id: int, kind: str, funding_level: str,
          today: dt.date | None = None) -> int:
    """Claim a subsidy for the investing body; refused with the unmet conditions named."""
    today, policy = today or uow.today(), load_policy()
    kind, funding_level = validation.args(kind=("choice", kind),
                                          funding_level=("choice", funding_level))
    errors = {}
    if kind not in vocab.SUBSIDY_KINDS:
        errors["kind"] = Message("form.bad_choice")
    if funding_level not in vocab.FUNDING_LEVELS:
        errors["funding_level"] = Message("form.bad_choice")
    if errors:
        raise ValidationError(errors)
    with uow:
        placement = scope.record(uow, Placement, placement_id)
        scope.person(actor, uow, placement.person_id, action="claim_subsidy")
        may = money.subsidy_step(policy, done=(), refused=False, step="claimed",
                                 role=actor.role, funding_level=funding_level)
        if not may.ok:
            raise steps.refuse_attempt(uow, actor, entity="placement", entity_id=placement_id,
                                       step="claimed", decision=may)
        decision, amount, monthly, months = _conditions(policy, uow, placement, kind, today)
        if not decision.ok:
            raise SubsidyConditionsNotMet(decision)
        row = SubsidyClaim(placement_id=placement_id, kind=kind, amount=amount,
                           monthly_amount=monthly, months=months,
                           payee_unit_id=placement.unit_id, funding_level=funding_level,
                           status="claimed", claimed_on=today,
                           decision=[r.to_json() for r in decision.reasons],
                           policy_version=decision.policy_version)
        audit.add(uow, actor, row, action="claim_subsidy")
        steps.add_step(uow, actor, SubsidyStep(claim_id=row.id), row, step="claimed",
                       approved=True, remark=None, status=None)
        uow.commit()
        return row.id


def advance(actor: Actor, uow: UnitOfWork, *, claim_id: int, expected_version: int, step: str,
            approved: bool = True, remark: str | None = None,
            today: dt.date | None = None) -> int:
    """Review, approve or pay a claim (or refuse it with a reason); returns its new version."""
    step, approved, remark = validation.args(step=("choice", step), approved=("flag", approved),
                                             remark=("text", remark))
    if step not in money.SUBSIDY_STEPS:
        raise ValidationError({"step": Message("form.bad_choice")})
    policy = load_policy()
    with uow:
        row = scope.record(uow, SubsidyClaim, claim_id, expected_version)
        capability = money.subsidy_step_capability(step, funding_level=row.funding_level)
        if not access.reaches(actor, capability, row.placement.person.community.path):
            raise audit.deny(uow, actor, action=f"step_{step}", entity="subsidy_claim",
                             entity_id=claim_id)
        taken = steps.taken(uow, SubsidyStep, SubsidyStep.claim_id, claim_id)
        may = money.subsidy_step(policy, done=[s.step for s in taken],
                                 refused=row.status == "refused", step=step, role=actor.role,
                                 funding_level=row.funding_level,
                                 recovery_flagged=approved and bool(row.recovery_flagged_on))
        if not may.ok:
            raise steps.refuse_attempt(uow, actor, entity="subsidy_claim", entity_id=claim_id,
                                       step=step, decision=may)
        # Set with the status, after the "before" snapshot, so the trail shows the payment.
        paid = {"paid_on": today or uow.today()} if approved and step == "paid" else None
        steps.add_step(uow, actor, SubsidyStep(claim_id=claim_id), row, step=step,
                       approved=approved, remark=remark,
                       status=step if approved else "refused", changes=paid)
        uow.commit()
        return row.version


def claims(actor: Actor, uow: UnitOfWork) -> list[ClaimRow]:
    """Claims on placements of people in the actor's area, newest first."""
    with uow:
        return _claim_rows(actor, uow.session)


def _claim_rows(actor: Actor, session: Session) -> list[ClaimRow]:
    """The claims in the actor's area, newest first, read in the caller's open transaction."""
    query = scope.in_area(select(SubsidyClaim).join(SubsidyClaim.placement),
                          Placement.person_id, actor)
    found = list(session.scalars(query.options(
        selectinload(SubsidyClaim.placement).selectinload(Placement.person))
        .order_by(SubsidyClaim.claimed_on.desc(), SubsidyClaim.id.desc())))
    by_claim: dict[int, list[str]] = {}
    for s in session.scalars(select(SubsidyStep).where(
            SubsidyStep.claim_id.in_([c.id for c in found])).order_by(SubsidyStep.id)):
        by_claim.setdefault(s.claim_id, []).append(s.step)
    return [_row(actor, c, tuple(by_claim.get(c.id, ()))) for c in found]


@dataclass(frozen=True)
class OpenClaims:
    """Claims that stand at one step, for one fund, flagged for recovery or not."""

    status: str  # the last step taken
    funding_level: str
    recovery_flagged: bool
    count: int


def open_claims(actor: Actor, session: Session) -> list[OpenClaims]:
    """Claims on placements of people in the actor's area not yet paid or refused, counted by
    step, fund and recovery flag in one query in the caller's open transaction."""
    flagged = case((SubsidyClaim.recovery_flagged_on.is_(None), 0), else_=1)
    query = scope.in_area(select(SubsidyClaim.status, SubsidyClaim.funding_level, flagged,
                                 func.count(SubsidyClaim.id)).join(SubsidyClaim.placement),
                          Placement.person_id, actor)
    rows = session.execute(query.where(SubsidyClaim.status.not_in(("refused", "paid")))
                           .group_by(SubsidyClaim.status, SubsidyClaim.funding_level, flagged))
    return [OpenClaims(status, level, bool(f), n) for status, level, f, n in rows]


def _row(actor: Actor, c: SubsidyClaim, done: tuple[str, ...]) -> ClaimRow:
    following = money.SUBSIDY_STEPS[len(done)] if len(done) < len(money.SUBSIDY_STEPS) else None
    person = c.placement.person
    reason = Message.from_json(json.loads(c.recovery_reason)) if c.recovery_reason else None
    return ClaimRow(c.id, c.placement_id, person.id,
                    person.name if actor.sees_identities else None, c.kind, c.amount,
                    c.funding_level, c.status, c.claimed_on, c.paid_on, done,
                    None if c.status == "refused" else following, c.version,
                    c.recovery_flagged_on, reason)


def recoveries(actor: Actor, uow: UnitOfWork) -> list[ClaimRow]:
    """Job-development claims in the actor's area flagged for recovery, newest flag first."""
    with uow:
        rows = _claim_rows(actor, uow.session)
    return sorted((c for c in rows if c.recovery_flagged_on),
                  key=lambda c: (c.recovery_flagged_on, c.id), reverse=True)


def flag_recovery(uow: UnitOfWork, actor: Actor, placement: Placement) -> list[int]:
    """Within the open transaction that records ``placement``'s end: flag its job-development
    claims (those not refused) for recovery when it ended before [subsidy]
    recovery_within_months; each flag is audited. Returns the ids of the claims flagged.

    The end-of-placement use case calls this once; it neither enters the unit of work nor
    commits."""
    if placement.ended_on is None:
        return []
    decision = money.subsidy_recovery(load_policy(), start=placement.start_date,
                                      ended_on=placement.ended_on)
    if not decision.ok:
        return []
    flagged = []
    for row in uow.session.scalars(select(SubsidyClaim).where(
            SubsidyClaim.placement_id == placement.id, SubsidyClaim.kind == "job_development",
            SubsidyClaim.status != "refused", SubsidyClaim.recovery_flagged_on.is_(None))):
        before = audit.snapshot(row)
        row.recovery_flagged_on = uow.today()
        row.recovery_reason = json.dumps(decision.reasons[0].to_json(), ensure_ascii=False)
        audit.changed(uow, actor, row, action="flag_recovery", before=before)
        flagged.append(row.id)
    return flagged
