"""The notice's money rules as pure functions: small guaranteed loans and placement subsidies.

Like casework.policy, nothing here touches a database or a widget; each rule returns a
``Decision`` with its reasons and the parameter version it used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from casework import access
from casework.i18n import Message
from casework.policy import JOBSEEKERS, Decision, Policy, add_months

# The five steps of a small guaranteed loan, in the notice's fixed order. Who may take each is
# access.PERMISSIONS["loan_step.<step>"].
LOAN_STEPS = ("applied", "community_recommended", "agency_reviewed", "guarantee_committed",
              "bank_approved")
# A placement subsidy's steps; claim and review are access.PERMISSIONS["subsidy_step.<step>"],
# approval and payment fall to the officer of the paying fund ("subsidy_pay.<funding level>").
SUBSIDY_STEPS = ("claimed", "reviewed", "approved", "paid")
FUND_STEPS = ("approved", "paid")


def loan_step_capability(step: str) -> str:
    """The capability (a key of ``access.PERMISSIONS``) to take ``step`` of a loan."""
    return f"loan_step.{step}"


def subsidy_step_capability(step: str, *, funding_level: str) -> str:
    """The capability to take ``step`` of a subsidy claim paid by the ``funding_level`` fund."""
    return f"subsidy_pay.{funding_level}" if step in FUND_STEPS else f"subsidy_step.{step}"


def loan_step_roles(step: str) -> tuple[str, ...]:
    """The roles that take ``step`` of a loan, from the permission table."""
    return access.roles_with(loan_step_capability(step))


def subsidy_step_roles(step: str, *, funding_level: str) -> tuple[str, ...]:
    """The roles that take ``step`` of a subsidy claim paid by the ``funding_level`` fund."""
    return access.roles_with(subsidy_step_capability(step, funding_level=funding_level))


def loan_terms(policy: Policy, *, amount: int, term_months: int, category: str,
               purpose: str, certificate: Decision) -> Decision:
    """At most 20,000 yuan for at most 24 months, to a registered laid-off or unemployed
    person holding a valid Re-employment Preferential Certificate (``certificate``, from
    ``casework.certificates.validity``; 银发〔2002〕394号), for self-employment. Every condition
    is explained, met or not, and the certificate's own reason follows."""
    p = policy["loan"]
    checks = [
        (0 < amount <= p["max_amount_yuan"],
         Message("money.loan.amount", amount=amount, limit=p["max_amount_yuan"])),
        (0 < term_months <= p["max_term_months"],
         Message("money.loan.term", months=term_months, limit=p["max_term_months"])),
        (category in JOBSEEKERS,
         Message("money.loan.category", category=Message(f"vocab.category.{category}"))),
        (purpose == "self_employment", Message("money.loan.purpose")),
        (certificate.ok, Message("money.loan.certificate", rule=p["certificate_rule"])),
    ]
    decision = _decide(policy, checks)
    return Decision(decision.ok, policy.version, decision.reasons + certificate.reasons)


def _decide(policy: Policy, checks: list[tuple[bool, Message]]) -> Decision:
    reasons = tuple(Message(m.key + (".ok" if ok else ".no"), m.params) for ok, m in checks)
    return Decision(all(ok for ok, _ in checks), policy.version, reasons)


def loan_step(policy: Policy, *, done: Sequence[str], refused: bool, step: str,
              role: str) -> Decision:
    """May ``role`` take ``step`` now? Steps go strictly in order, each once; a refusal at any
    step ends the application."""
    if step not in LOAN_STEPS:
        raise ValueError(f"Unknown loan step {step!r}; the steps are {', '.join(LOAN_STEPS)}.")
    return _next_step(policy, LOAN_STEPS, loan_step_roles(step), done=done, refused=refused,
                      step=step, role=role)


def subsidy_step(policy: Policy, *, done: Sequence[str], refused: bool, step: str, role: str,
                 funding_level: str, recovery_flagged: bool = False) -> Decision:
    """May ``role`` take ``step`` of a subsidy claim now? Claim → review → approve → paid,
    in order, each once; the fund's own level approves and pays what it funds. A claim flagged
    for recovery (its placement ended too early) is neither approved nor paid; it may still be
    refused, so pass ``recovery_flagged`` only for an approving step."""
    if step not in SUBSIDY_STEPS:
        raise ValueError(f"Unknown subsidy step {step!r}; the steps are "
                         f"{', '.join(SUBSIDY_STEPS)}.")
    roles = subsidy_step_roles(step, funding_level=funding_level)
    decision = _next_step(policy, SUBSIDY_STEPS, roles, done=done, refused=refused, step=step,
                          role=role)
    if decision.ok and recovery_flagged and step in FUND_STEPS:
        return Decision(False, policy.version, (Message("money.subsidy.recovery_blocks",
                                                        step=Message(f"money.step.{step}")),))
    return decision


def _next_step(policy: Policy, steps: Sequence[str], roles: Sequence[str], *,
               done: Sequence[str], refused: bool, step: str, role: str) -> Decision:
    expected = steps[len(done)] if len(done) < len(steps) else None
    if refused:
        reason = Message("money.loan.step_closed")
    elif step in done:
        reason = Message("money.loan.step_repeated", step=Message(f"money.step.{step}"))
    elif step != expected:
        reason = Message("money.loan.step_out_of_order", step=Message(f"money.step.{step}"),
                         expected=Message(f"money.step.{expected}"))
    elif role not in roles:
        reason = Message("money.loan.step_wrong_role", step=Message(f"money.step.{step}"),
                         role=Message(f"role.{role}"))
    else:
        return Decision(True, policy.version, (Message("money.loan.step_ok",
                                                       step=Message(f"money.step.{step}")),))
    return Decision(False, policy.version, (reason,))


def is_micro_profit(policy: Policy, *, project_kind: str | None) -> bool:
    """A micro-profit project 微利项目 (``[loan] micro_profit_kinds``): full interest subsidy."""
    return project_kind in policy["loan"]["micro_profit_kinds"]


def annual_rate(policy: Policy, *, term_months: int) -> float:
    """The annual rate of the term's band (``[loan] rate_bands``): up to 12 months, up to 24."""
    for band in sorted(policy["loan"]["rate_bands"], key=lambda b: b["up_to_months"]):
        if 0 < term_months <= band["up_to_months"]:
            return band["annual_rate"]
    raise ValueError(f"No rate band covers a term of {term_months} months; the policy's bands "
                     f"end at {max(b['up_to_months'] for b in policy['loan']['rate_bands'])}.")


def loan_interest(*, amount: int, term_months: int, rate: float) -> float:
    """Yuan of interest over the term, each month on the principal still outstanding then:
    the balance falls by each instalment of ``repayment_schedule``."""
    balance, interest = amount, 0.0
    for instalment in _principal_instalments(amount, term_months):
        interest += balance * rate / 12
        balance -= instalment
    return interest


@dataclass(frozen=True)
class InterestSubsidy:
    """The interest the fund pays (``yuan``) and what it rests on."""

    yuan: int
    interest: float
    annual_rate: float
    share: float
    micro_profit: bool
    rule: str
    policy_version: str

    @property
    def basis(self) -> Message:
        """"100% of 345.15 yuan interest at 5.31% a year on the outstanding balance (...)"."""
        return Message("money.loan.subsidy_basis." + ("micro" if self.micro_profit else "other"),
                       share=round(self.share * 100), interest=f"{self.interest:.2f}",
                       rate=f"{self.annual_rate * 100:.2f}", rule=self.rule)


def interest_subsidy(policy: Policy, *, amount: int, term_months: int,
                     project_kind: str | None) -> InterestSubsidy:
    """The fund's share of the interest: all of it for a micro-profit project (银发〔2002〕394号),
    ``interest_subsidy_share`` otherwise; interest at the term band's rate on the outstanding
    balance of the monthly schedule, the subsidy rounded half up to the yuan."""
    p = policy["loan"]
    micro = is_micro_profit(policy, project_kind=project_kind)
    rate = annual_rate(policy, term_months=term_months)
    share = p["micro_profit_subsidy_share"] if micro else p["interest_subsidy_share"]
    interest = loan_interest(amount=amount, term_months=term_months, rate=rate)
    return InterestSubsidy(_yuan(interest, share), interest, rate, share, micro,
                           p["certificate_rule"], policy.version)


def _yuan(interest: float, share: float) -> int:
    """The share of the interest (taken to the fen), rounded half up to the yuan (四舍五入)."""
    fen = Decimal(f"{interest:.2f}") * Decimal(str(share))
    return int(fen.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _principal_instalments(amount: int, term_months: int) -> list[int]:
    share = amount // term_months
    return [share] * (term_months - 1) + [amount - share * (term_months - 1)]


def repayment_schedule(*, amount: int, term_months: int, approved_on: dt.date
                       ) -> list[tuple[dt.date, int]]:
    """(due date, yuan) of each monthly instalment of the principal, from the month after
    approval; equal shares, the last one taking the remainder."""
    return [(add_months(approved_on, month), instalment)
            for month, instalment in enumerate(_principal_instalments(amount, term_months), 1)]


@dataclass(frozen=True)
class Contribution:
    """One month of social insurance: when it fell due and when (if) it was paid."""

    due: dt.date
    paid: dt.date | None


def paid_late(policy: Policy, contribution: Contribution, *, today: dt.date) -> bool:
    """Paid, or still unpaid, more than ``insurance_grace_days`` after the month fell due."""
    limit = contribution.due + dt.timedelta(days=policy["subsidy"]["insurance_grace_days"])
    return (contribution.paid or today) > limit


def insurance_on_time(policy: Policy, contributions: Sequence[Contribution], *, today: dt.date
                      ) -> Decision:
    """Paid on time: at least ``insurance_min_months`` months on record, and every month that
    has fallen due paid within ``insurance_grace_days`` of its due date."""
    p = policy["subsidy"]
    late = [c.due for c in contributions if paid_late(policy, c, today=today)]
    paid = sum(c.paid is not None for c in contributions)
    checks = [(paid >= p["insurance_min_months"],
               Message("money.insurance.months", months=paid, need=p["insurance_min_months"])),
              (not late, Message("money.insurance.late", count=len(late),
                                 first=min(late).isoformat() if late else "",
                                 days=p["insurance_grace_days"]))]
    return _decide(policy, checks)


def job_development_subsidy(policy: Policy, *, category: str, investor_kind: str | None,
                            investor_new: bool, contract_months: int, insurance: Decision,
                            already_claimed: bool, recovery: Decision | None = None
                            ) -> Decision:
    """500 yuan per placed person, once per placement (notice 四(二), POLICY.md money rule 2):
    the person placed is laid off or unemployed, the job is in a new community service project
    or a new enterprise, the labour contract runs 3 years or more and social insurance is paid
    on time. Every condition is explained, met or not.

    ``investor_kind`` is the posting's investing body, or None for a placement made without a
    posting (nothing then says who invested, and the reason says what to record).
    ``recovery`` is ``subsidy_recovery``'s decision for a placement that has already ended: one
    that ended too early draws no subsidy.

    How "补贴投资主体" (paid to the investing body) is read: the notice pays the street or
    community that "投入资金,开辟新的社区服务项目和新办企业" (put in money to open a new
    community service project or a new enterprise) for each laid-off or unemployed person that
    project or enterprise takes on. So the *job* must be in the new project or enterprise
    (``investor_kind`` one of [subsidy] new_investor_kinds, recorded as new), while the money
    goes to the street or community behind it: the placement's unit (the claim's payee). A
    job in the street's or community's own office opens nothing new and draws no subsidy.
    """
    need = policy["subsidy"]["min_contract_months"]
    checks = [(category in JOBSEEKERS,
               Message("money.subsidy.who", category=Message(f"vocab.category.{category}"))),
              _investor_check(policy, investor_kind, investor_new),
              (contract_months >= need,
               Message("money.subsidy.contract", months=contract_months, need=need)),
              (insurance.ok, Message("money.subsidy.insurance")),
              (not already_claimed, Message("money.subsidy.once"))]
    if recovery is not None:
        checks.append((not recovery.ok, Message("money.subsidy.lasted",
                                                recovery.reasons[0].params)))
    decision = _decide(policy, checks)
    return Decision(decision.ok, policy.version, decision.reasons + insurance.reasons)


def _investor_check(policy: Policy, kind: str | None, new: bool) -> tuple[bool, Message]:
    if kind is None:
        return False, Message("money.subsidy.investor_unknown")
    label = Message(f"vocab.investor_kind.{kind}")
    if kind not in policy["subsidy"]["new_investor_kinds"]:
        return False, Message("money.subsidy.investor_kind", kind=label)
    return new, Message("money.subsidy.investor_new", kind=label)


def subsidy_recovery(policy: Policy, *, start: dt.date, ended_on: dt.date) -> Decision:
    """Must the job-development subsidy of a placement that ended on ``ended_on`` be recovered?
    Yes when it ended before [subsidy] recovery_within_months full months had passed since its
    start: ending on the day those months are complete is not "within" them. ``ok`` means the
    claim is flagged for recovery."""
    months = policy["subsidy"]["recovery_within_months"]
    complete = add_months(start, months)
    within = ended_on < complete
    reason = Message("money.subsidy.recovery." + ("flag" if within else "keep"),
                     start=start.isoformat(), ended=ended_on.isoformat(), months=months,
                     complete=complete.isoformat())
    return Decision(within, policy.version, (reason,))


def differential_purchase(policy: Policy, *, hardship_or_policy_placement: bool
                          ) -> tuple[int, int]:
    """(monthly yuan, months) of the government's differential purchase of the job (doc
    连政办发[2002]161号); it stacks with the job-development subsidy. (0, 0) if not due."""
    if not hardship_or_policy_placement:
        return (0, 0)
    p = policy["differential_purchase"]
    return (p["monthly_yuan"], p["months"])


def differential_purchase_claim(policy: Policy, *, hardship_or_policy_placement: bool,
                                already_claimed: bool) -> Decision:
    """May the differential purchase be claimed for this placement? Only for hardship-group and
    policy placements, once per placement."""
    checks = [(hardship_or_policy_placement, Message("money.purchase.who")),
              (not already_claimed, Message("money.purchase.once"))]
    return _decide(policy, checks)
