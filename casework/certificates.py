"""The Re-employment Preferential Certificate 《再就业优惠证》 as pure rules.

The street labour-security office issues it to registered laid-off and unemployed people, numbers
it per street and year, checks it every year (年检), withdraws it when the holder is in stable
employment (or moves, retires, dies), and reissues it under a new number when it is lost. A small
guaranteed loan needs a valid one (银发〔2002〕394号). Nothing here touches a database: each rule
takes values and returns a ``Decision`` with its reasons and the parameter version.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from casework.i18n import Message
from casework.policy import Decision, Policy

WITHDRAWAL_REASONS = ("stable_employment", "moved", "retired", "deceased", "other")
# What a certificate is on a given day; only "valid" opens a small guaranteed loan.
STATES = ("valid", "none", "not_issued", "withdrawn", "lost", "check_failed", "check_missed")


@dataclass(frozen=True)
class Check:
    """One annual check: the year it is for, the day it was made, and whether it passed."""

    year: int
    checked_on: dt.date
    passed: bool


@dataclass(frozen=True)
class Certificate:
    """What the rules need to know of one certificate."""

    number: str
    issued_on: dt.date
    withdrawn_on: dt.date | None = None
    withdrawal_reason: str | None = None
    lost_on: dt.date | None = None
    checks: tuple[Check, ...] = ()


def may_hold(policy: Policy, *, category: str, registered: bool, employed: bool,
             valid_number: str | None) -> Decision:
    """May a certificate be issued to this person? A registered laid-off or unemployed person
    (``[certificate] holder_categories``), not in employment, not already holding a valid one."""
    allowed = policy["certificate"]["holder_categories"]
    return _decide(policy, [
        (category in allowed, Message("certificates.holder.category",
                                      category=Message(f"vocab.category.{category}"))),
        (registered, Message("certificates.holder.registered")),
        (not employed, Message("certificates.holder.employed")),
        (valid_number is None, Message("certificates.holder.held", number=valid_number or "")),
    ])


def number(policy: Policy, *, street_code: str, year: int, serial: int) -> str:
    """"<street code>-<year>-<serial>", e.g. 320703001-2003-00012; unique per street and year."""
    if serial < 1:
        raise ValueError(f"A certificate serial counts from 1, not {serial}.")
    return f"{street_code}-{year}-{serial:0{policy['certificate']['serial_digits']}d}"


def check_deadline(policy: Policy, year: int) -> dt.date:
    """The last day on which the annual check of ``year`` may still be outstanding."""
    month = policy["certificate"]["annual_check_due_month"]
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def checks_due(policy: Policy, certificate: Certificate, *, on: dt.date) -> list[int]:
    """The years whose check has fallen due by ``on``: every year after the issue year whose
    deadline has passed (the issue year itself needs none)."""
    return [year for year in range(certificate.issued_on.year + 1, on.year + 1)
            if on > check_deadline(policy, year)]


def state(policy: Policy, certificate: Certificate | None, *, on: dt.date) -> str:
    """One of ``STATES``: what the certificate is on ``on`` (see ``validity``)."""
    return _state(policy, certificate, on=on)[0]


def validity(policy: Policy, certificate: Certificate | None, *, on: dt.date) -> Decision:
    """Is the certificate valid on ``on``? Issued by then, not withdrawn, not reported lost,
    and the annual check passed for every year after the issue year whose check has fallen
    due. The one reason names the state (none, withdrawn, lost, a check failed or missed)."""
    code, reason = _state(policy, certificate, on=on)
    return Decision(code == "valid", policy.version, (reason,))


def _state(policy: Policy, c: Certificate | None, *, on: dt.date) -> tuple[str, Message]:
    if c is None:
        return "none", Message("certificates.state.none.no")
    if on < c.issued_on:
        return "not_issued", Message("certificates.state.not_issued.no", number=c.number,
                                     issued=c.issued_on.isoformat())
    if c.withdrawn_on is not None and c.withdrawn_on <= on:
        return "withdrawn", Message("certificates.state.withdrawn.no", number=c.number,
                                    on=c.withdrawn_on.isoformat(), reason=Message(
                                        f"certificates.reason.{c.withdrawal_reason}"))
    if c.lost_on is not None and c.lost_on <= on:
        return "lost", Message("certificates.state.lost.no", number=c.number,
                               on=c.lost_on.isoformat())
    known = {k.year: k for k in c.checks if k.checked_on <= on}
    failed = sorted(y for y, k in known.items() if not k.passed)
    if failed:
        return "check_failed", Message("certificates.state.check_failed.no", number=c.number,
                                       year=failed[0])
    missed = [y for y in checks_due(policy, c, on=on) if y not in known]
    if missed:
        return "check_missed", Message("certificates.state.check_missed.no", number=c.number,
                                       year=missed[0],
                                       due=check_deadline(policy, missed[0]).isoformat())
    return "valid", Message("certificates.state.valid.ok", number=c.number,
                            issued=c.issued_on.isoformat())


def in_force(c: Certificate, *, on: dt.date) -> bool:
    """Neither withdrawn nor reported lost by ``on`` (a missed check does not end it: the
    holder may still come for the check)."""
    return not ((c.withdrawn_on and c.withdrawn_on <= on) or (c.lost_on and c.lost_on <= on))


def may_check(policy: Policy, c: Certificate, *, year: int, on: dt.date) -> Decision:
    """May the annual check of ``year`` be recorded on ``on``? The certificate is in force, the
    year comes after the issue year and not after today's, and it was not checked already."""
    return _decide(policy, [
        (in_force(c, on=on), Message("certificates.rule.in_force", number=c.number)),
        (c.issued_on.year < year <= on.year,
         Message("certificates.rule.check_year", year=year, issued=c.issued_on.year,
                 today=on.year)),
        (year not in {k.year for k in c.checks},
         Message("certificates.rule.check_once", year=year)),
    ])


def may_withdraw(policy: Policy, c: Certificate, *, reason: str, on: dt.date) -> Decision:
    """Withdraw an in-force certificate, for one of ``WITHDRAWAL_REASONS``, not before it was
    issued."""
    return _decide(policy, [
        (in_force(c, on=on), Message("certificates.rule.in_force", number=c.number)),
        (reason in WITHDRAWAL_REASONS, Message("certificates.rule.reason")),
        (on >= c.issued_on, Message("certificates.rule.after_issue",
                                    issued=c.issued_on.isoformat())),
    ])


def may_report_lost(policy: Policy, c: Certificate, *, on: dt.date) -> Decision:
    """Only a certificate in force can be reported lost, not before it was issued."""
    return _decide(policy, [
        (in_force(c, on=on), Message("certificates.rule.in_force", number=c.number)),
        (on >= c.issued_on, Message("certificates.rule.after_issue",
                                    issued=c.issued_on.isoformat())),
    ])


def may_reissue(policy: Policy, c: Certificate, *, replaced: bool) -> Decision:
    """A lost certificate is replaced once, by a new number; the lost one stays invalid."""
    return _decide(policy, [
        (c.lost_on is not None and c.withdrawn_on is None,
         Message("certificates.rule.lost", number=c.number)),
        (not replaced, Message("certificates.rule.replaced_once", number=c.number)),
    ])


def _decide(policy: Policy, checks: list[tuple[bool, Message]]) -> Decision:
    reasons = tuple(Message(m.key + (".ok" if ok else ".no"), m.params) for ok, m in checks)
    return Decision(all(ok for ok, _ in checks), policy.version, reasons)
