"""Labour-security affairs agency (劳动保障事务代理) and retirees' socialised management as pure
rules: fees at the notice's low threshold, who may have a personnel file opened here, and the
controlled lists of the two registers.

Notice 连政发〔2003〕97号 四(四): laid-off and unemployed people in community employment get their
personnel files kept (档案代保管) and affairs agency "按低标准准入" (at a low-threshold fee), with
their social insurance continued; for an unemployed person who never worked the office *may* set
up a file (可为他们建立). Nothing here touches a database; each rule returns a ``Decision``.
"""

from __future__ import annotations

from casework.i18n import Message
from casework.policy import Decision, Policy

FILE_STATES = ("held", "released")
INSURANCE_KINDS = ("pension", "medical", "unemployment")
PENSION_STATUSES = ("receiving", "suspended", "pending")
RETIREE_SERVICES = ("pension_certification", "health_check", "cultural_activities", "home_help",
                    "sick_visits")
FEE_KINDS = {"file_custody": "file_custody_annual_yuan", "continuation": "continuation_yuan"}


def fee(policy: Policy, *, kind: str, charged: int | None) -> tuple[int, Decision]:
    """The fee to record for ``kind`` (file_custody, continuation) and whether it keeps to the
    low threshold: blank means the configured low-standard fee; a fee may be lower (or waived)
    but never above it."""
    low = low_fees(policy)[kind]
    amount = low if charged is None else charged
    if amount < 0:
        return amount, Decision(False, policy.version,
                                (Message("agency.rule.fee_negative.no", fee=amount),))
    ok = amount <= low
    key = "agency.rule.fee_low." + ("ok" if ok else "no")
    return amount, Decision(ok, policy.version,
                            (Message(key, fee=amount, low=low,
                                     kind=Message(f"agency.fee_kind.{kind}")),))


def may_open_file(policy: Policy, *, category: str, held_file: str | None) -> Decision:
    """May the office set up a personnel file for this person (opened_here)?

    Only for a never-employed person, and only one who has no file in custody here: a laid-off
    person's file exists already and is received from the former employer, not opened anew.
    """
    reasons = [Message("agency.rule.never_employed." + (
        "ok" if category == "never_employed" else "no"),
        category=Message(f"vocab.category.{category}"))]
    if held_file:
        reasons.append(Message("agency.rule.file_held.no", number=held_file))
    ok = category == "never_employed" and not held_file
    return Decision(ok, policy.version, tuple(reasons))



def low_fees(policy: Policy) -> dict[str, int]:
    """The low-standard fee of each kind (yuan), as data/policy.toml [agency] sets them."""
    return {kind: policy["agency"][key] for kind, key in FEE_KINDS.items()}
