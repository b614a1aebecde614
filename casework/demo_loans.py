"""Demo small guaranteed loans: applications at every step, the certificates they need, varied
business plans, and the repayments of those the bank approved."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from casework import demo_certificates, demo_era, demo_loan_plans, money
from casework.db.bulk import insert_returning_ids, insert_rows
from casework.db.models import EmploymentStatus, Loan, LoanRepayment, LoanStep, OrgUnit


def generate(uow, rng, policy, seekers, employed, staff, as_of) -> None:
    """Small guaranteed loans, each applicant holding a certificate valid on the day
    (银发〔2002〕394号), for a project of their own with a plan of its own. About a third of
    those who became self-employed borrowed: they applied one to three months before they
    started, and most were approved before it. About 5% of those still out of work applied too;
    their applications stop at every step, some refused."""
    held = demo_certificates.holdings(uow)
    places = dict(uow.session.execute(select(OrgUnit.id, OrgUnit.name_zh)).all())
    started = _self_employment_starts(uow)
    window = demo_era.start(as_of)
    loans, plans = [], []
    for person in seekers:
        if person["category"] not in ("laid_off", "unemployed"):
            continue
        if person["id"] in started:
            if rng.random() > 0.35:
                continue
            applied = started[person["id"]] - dt.timedelta(days=rng.randint(30, 90))
            depth, refused = 5, rng.random() < 0.05
        elif person["id"] in employed or rng.random() > 0.05:
            continue
        else:
            applied = as_of - dt.timedelta(days=rng.randint(10, 600))
            depth, refused = rng.choices((1, 2, 3, 4, 5), (8, 8, 8, 8, 68))[0], rng.random() < 0.1
        certificate_id = (demo_certificates.valid_certificate(uow, policy, person["id"], applied,
                                                              held)
                          if window <= applied <= as_of else None)
        if certificate_id is None:
            continue
        done = money.LOAN_STEPS[:depth]
        loans.append(_loan(rng, policy, person, applied, certificate_id,
                           places[person["community_id"]])
                     | {"status": "refused" if refused else done[-1], "version": depth})
        plans.append((done, refused, applied))
    ids = insert_returning_ids(uow.session, Loan, loans)
    steps, repayments = [], []
    for lid, loan, (done, refused, applied) in zip(ids, loans, plans, strict=True):
        steps += _loan_steps(rng, lid, done, refused, applied, staff)
        if loan["status"] == money.LOAN_STEPS[-1]:
            repayments += _repayments(rng, lid, loan, applied + dt.timedelta(days=28), as_of)
    insert_rows(uow.session, LoanStep, steps)
    insert_rows(uow.session, LoanRepayment, repayments)


def _self_employment_starts(uow) -> dict[int, dt.date]:
    """When each person first became self-employed, from the status history."""
    return dict(uow.session.execute(
        select(EmploymentStatus.person_id, func.min(EmploymentStatus.since))
        .where(EmploymentStatus.status == "self_employed")
        .group_by(EmploymentStatus.person_id)).all())


def _loan(rng, policy, person, applied, certificate_id, place) -> dict:
    """One application: a project kind, its plan, and the 2002 rules' interest subsidy."""
    amount, term = rng.randrange(5000, 20001, 1000), rng.choice((6, 12, 12, 18, 24, 24))
    kind = demo_loan_plans.project_kind(rng)
    subsidy = money.interest_subsidy(policy, amount=amount, term_months=term, project_kind=kind)
    return {"person_id": person["id"], "amount": amount, "term_months": term,
            "purpose": "self_employment", "project_kind": kind,
            "micro_profit": subsidy.micro_profit, "certificate_id": certificate_id,
            "business_plan": demo_loan_plans.business_plan(rng, kind, amount, place),
            "annual_rate": subsidy.annual_rate, "interest_subsidy": subsidy.yuan,
            "applied_on": applied, "decision": [], "policy_version": policy.version}


LOAN_REFUSALS = {"community_recommended": "申请人经营经验不足，建议先参加创业培训",
                 "agency_reviewed": "经营计划不可行，市场已饱和",
                 "guarantee_committed": "担保条件不足",
                 "bank_approved": "资信审查未通过"}


def _loan_steps(rng, loan_id, done, refused, applied, staff) -> list[dict]:
    steps = []
    for i, step in enumerate(done):
        role = money.loan_step_roles(step)[0]
        last = i == len(done) - 1
        steps.append({"loan_id": loan_id, "step": step, "approved": not (refused and last),
                      "remark": LOAN_REFUSALS.get(step, "材料不全") if refused and last else None,
                      "staff_id": staff[role], "role": role,
                      "at": dt.datetime.combine(applied + dt.timedelta(days=7 * i),
                                                dt.time(10), dt.UTC)})
    return steps


def _repayments(rng, loan_id, loan, approved, as_of) -> list[dict]:
    """Monthly instalments; one borrower in eight stops paying at some point."""
    stops = rng.randint(1, loan["term_months"]) if rng.random() < 1 / 8 else None
    out = []
    schedule = money.repayment_schedule(amount=loan["amount"], term_months=loan["term_months"],
                                        approved_on=approved)
    for month, (due, amount) in enumerate(schedule, 1):
        paid = due <= as_of and (stops is None or month < stops)
        out.append({"loan_id": loan_id, "due_on": due, "amount_due": amount,
                    "paid_on": due - dt.timedelta(days=rng.randint(0, 5)) if paid else None,
                    "amount_paid": amount if paid else None, "staff_id": None})
    return out
