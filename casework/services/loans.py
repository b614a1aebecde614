"""Small guaranteed loans: application (a valid Re-employment Preferential Certificate required,
银发〔2002〕394号), the five steps in order by the roles allowed at each, the interest subsidy of
the 2002 rules, and repayment with overdue instalments flagged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from casework import access, certificates, money, validation, vocab
from casework.access import Actor
from casework.db.models import Loan, LoanRepayment, LoanStep
from casework.errors import RuleRefused, ValidationError
from casework.i18n import Message
from casework.policy import Policy, load_policy
from casework.services import audit, scope, steps
from casework.services.certificate_queries import current, facts
from casework.services.uow import UnitOfWork

APPROVED = money.LOAN_STEPS[-1]  # a loan's status is its last step taken, or "refused"


class LoanTermsNotMet(RuleRefused):
    """Amount, term, applicant, purpose or certificate is outside the terms; each is named
    (for the certificate, its state: none, withdrawn, lost, annual check missed)."""

    key = "loans.terms_not_met"
    only_unmet = True


@dataclass(frozen=True)
class LoanRow:
    id: int
    person_id: int
    name: str | None
    amount: int
    term_months: int
    project_kind: str | None
    micro_profit: bool
    interest_subsidy: int
    subsidy_basis: Message  # share, interest, rate and rule the subsidy rests on
    status: str
    applied_on: dt.date
    steps: tuple[tuple[str, bool, str | None, str], ...]  # (step, approved, remark, role)
    next_step: str | None
    overdue: int  # instalments unpaid after their due date
    outstanding: int  # yuan still to repay
    version: int


@dataclass(frozen=True)
class InstalmentRow:
    id: int
    due_on: dt.date
    amount_due: int
    paid_on: dt.date | None
    overdue: bool


def apply(actor: Actor, uow: UnitOfWork, *, person_id: int, amount: int | None,
          term_months: int | None, purpose: str | None, project_kind: str | None,
          business_plan: str | None = None, today: dt.date | None = None) -> int:
    """A person applies (the worker records it): the terms, the project and the applicant's
    certificate are checked, then step one. The interest subsidy is fixed at application."""
    today, policy = today or uow.today(), load_policy()
    amount, term_months, purpose, project_kind, business_plan = validation.args(
        amount=("int", amount), term_months=("int", term_months), purpose=("choice", purpose),
        project_kind=("choice", project_kind), business_plan=("text", business_plan))
    _check_form(amount=amount, term_months=term_months, purpose=purpose,
                project_kind=project_kind)
    with uow:
        person = scope.person(actor, uow, person_id, action="apply_loan")
        may = money.loan_step(policy, done=(), refused=False, step="applied", role=actor.role)
        if not may.ok:
            raise steps.refuse_attempt(uow, actor, entity="person", entity_id=person_id,
                                       step="applied", decision=may)
        held = current(uow.session, person_id)
        valid = certificates.validity(policy, facts(uow.session, held) if held else None,
                                      on=today)
        terms = money.loan_terms(policy, amount=amount, term_months=term_months,
                                 category=person.category, purpose=purpose, certificate=valid)
        if not terms.ok:
            raise LoanTermsNotMet(terms)
        subsidy = money.interest_subsidy(policy, amount=amount, term_months=term_months,
                                         project_kind=project_kind)
        loan = Loan(person_id=person_id, amount=amount, term_months=term_months,
                    purpose=purpose, project_kind=project_kind,
                    micro_profit=subsidy.micro_profit, certificate_id=held.id,
                    business_plan=(business_plan or "").strip() or None,
                    annual_rate=subsidy.annual_rate, status="applied", applied_on=today,
                    interest_subsidy=subsidy.yuan,
                    decision=[r.to_json() for r in terms.reasons],
                    policy_version=terms.policy_version)
        audit.add(uow, actor, loan, action="apply_loan")
        steps.add_step(uow, actor, LoanStep(loan_id=loan.id), loan, step="applied",
                       approved=True, remark=None, status=None)
        uow.commit()
        return loan.id


def _check_form(*, amount, term_months, purpose, project_kind) -> None:
    errors = {}
    for name, value in (("amount", amount), ("term_months", term_months)):
        if not isinstance(value, int) or value < 1:
            errors[name] = Message("training.at_least", low=1)
    if purpose not in vocab.LOAN_PURPOSES:
        errors["purpose"] = Message("form.required")
    if project_kind not in vocab.LOAN_PROJECT_KINDS:
        errors["project_kind"] = Message("form.required")
    if errors:
        raise ValidationError(errors)


def take_step(actor: Actor, uow: UnitOfWork, *, loan_id: int, expected_version: int,
              step: str, approved: bool = True, remark: str | None = None,
              today: dt.date | None = None) -> int:
    """Take the next step (or refuse the loan there with a reason); returns the new version.
    The bank's approval sets up monthly instalments from the next month."""
    step, approved, remark = validation.args(step=("choice", step), approved=("flag", approved),
                                             remark=("text", remark))
    if step not in money.LOAN_STEPS:
        raise ValidationError({"step": Message("form.bad_choice")})
    policy = load_policy()
    with uow:
        loan = scope.record(uow, Loan, loan_id, expected_version)
        if not access.reaches(actor, money.loan_step_capability(step),
                              loan.person.community.path):
            raise audit.deny(uow, actor, action=f"step_{step}", entity="loan", entity_id=loan_id)
        done = [s.step for s in steps.taken(uow, LoanStep, LoanStep.loan_id, loan_id)]
        may = money.loan_step(policy, done=done, refused=loan.status == "refused", step=step,
                              role=actor.role)
        if not may.ok:
            raise steps.refuse_attempt(uow, actor, entity="loan", entity_id=loan_id, step=step,
                                       decision=may)
        status = step if approved else "refused"
        steps.add_step(uow, actor, LoanStep(loan_id=loan_id), loan, step=step,
                       approved=approved, remark=remark, status=status)
        if status == APPROVED:
            _schedule(uow, loan, today or uow.today())
        uow.commit()
        return loan.version


def _schedule(uow: UnitOfWork, loan: Loan, approved_on: dt.date) -> None:
    for due_on, amount in money.repayment_schedule(amount=loan.amount,
                                                   term_months=loan.term_months,
                                                   approved_on=approved_on):
        uow.session.add(LoanRepayment(loan_id=loan.id, due_on=due_on, amount_due=amount))


def record_repayment(actor: Actor, uow: UnitOfWork, *, repayment_id: int, paid_on: dt.date,
                     amount: int | None = None) -> None:
    paid_on, amount = validation.args(paid_on=("date", paid_on), amount=("int", amount))
    with uow:
        row = scope.record(uow, LoanRepayment, repayment_id)
        loan = validation.fetch(uow.session, Loan, row.loan_id)
        scope.person(actor, uow, loan.person_id, action="record_repayment")
        if loan.status != APPROVED or row.paid_on is not None:
            raise ValidationError({"instalment": Message("loans.already_paid")})
        if paid_on is None or paid_on > uow.today():
            raise ValidationError({"paid_on": Message("form.date_in_future" if paid_on
                                                      else "form.required")})
        before = audit.snapshot(row)
        row.paid_on, row.amount_paid = paid_on, amount or row.amount_due
        row.staff_id = actor.staff_id
        audit.changed(uow, actor, row, action="record_repayment", before=before)
        uow.commit()


def instalments(actor: Actor, uow: UnitOfWork, *, loan_id: int, today: dt.date | None = None
                ) -> list[InstalmentRow]:
    today = today or uow.today()
    with uow:
        loan = scope.record(uow, Loan, loan_id)
        scope.person(actor, uow, loan.person_id, action="read_loan")
        return [InstalmentRow(r.id, r.due_on, r.amount_due, r.paid_on,
                              r.paid_on is None and r.due_on < today)
                for r in uow.session.scalars(select(LoanRepayment).where(
                    LoanRepayment.loan_id == loan_id).order_by(LoanRepayment.due_on))]


def loans(actor: Actor, uow: UnitOfWork, *, today: dt.date | None = None) -> list[LoanRow]:
    """Loans of people in the actor's area, newest first, with steps and repayment state."""
    today = today or uow.today()
    with uow:
        found = list(uow.session.scalars(
            scope.in_area(select(Loan), Loan.person_id, actor)
            .options(selectinload(Loan.person))
            .order_by(Loan.applied_on.desc(), Loan.id.desc())))
        ids = [loan.id for loan in found]
        taken: dict[int, list] = {}
        for s in uow.session.scalars(select(LoanStep).where(LoanStep.loan_id.in_(ids))
                                     .order_by(LoanStep.id)):
            taken.setdefault(s.loan_id, []).append((s.step, s.approved, s.remark, s.role))
        overdue: dict[int, int] = {}
        outstanding: dict[int, int] = {}
        for r in uow.session.scalars(select(LoanRepayment).where(LoanRepayment.loan_id.in_(ids))):
            if r.paid_on is None:
                outstanding[r.loan_id] = outstanding.get(r.loan_id, 0) + r.amount_due
                overdue[r.loan_id] = overdue.get(r.loan_id, 0) + (r.due_on < today)
        policy = load_policy()
        return [_row(policy, actor, loan, tuple(taken.get(loan.id, ())),
                     overdue.get(loan.id, 0), outstanding.get(loan.id, 0)) for loan in found]


def open_by_status(actor: Actor, session: Session) -> dict[str, int]:
    """How many loans of people in the actor's area stand at each step still short of the
    bank's approval (neither approved nor refused), counted in one query in the caller's open
    transaction."""
    rows = session.execute(
        scope.in_area(select(Loan.status, func.count(Loan.id)), Loan.person_id, actor)
        .where(Loan.status.not_in(("refused", APPROVED))).group_by(Loan.status))
    return dict(rows.all())


def _row(policy: Policy, actor: Actor, loan: Loan, done: tuple, overdue: int,
         outstanding: int) -> LoanRow:
    following = (money.LOAN_STEPS[len(done)]
                 if loan.status not in ("refused", APPROVED) else None)
    return LoanRow(loan.id, loan.person_id,
                   loan.person.name if actor.sees_identities else None, loan.amount,
                   loan.term_months, loan.project_kind, loan.micro_profit, loan.interest_subsidy,
                   _basis(policy, loan),
                   loan.status, loan.applied_on, done, following, overdue, outstanding,
                   loan.version)


def _basis(policy: Policy, loan: Loan) -> Message:
    """The subsidy's basis from what the loan stored: its rate and whether micro-profit."""
    p = policy["loan"]
    return money.InterestSubsidy(
        loan.interest_subsidy,
        money.loan_interest(amount=loan.amount, term_months=loan.term_months,
                            rate=loan.annual_rate), loan.annual_rate,
        p["micro_profit_subsidy_share"] if loan.micro_profit else p["interest_subsidy_share"],
        loan.micro_profit, p["certificate_rule"], loan.policy_version).basis
