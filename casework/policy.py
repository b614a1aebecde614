"""The notice's rules as pure functions over values.

Nothing here touches a database, a widget or a data frame. Every rule returns a ``Decision`` that
carries its reasons and the version of the parameters it used.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from casework.i18n import Message


@dataclass(frozen=True)
class Policy:
    """Parameters read from data/policy.toml."""

    version: str
    params: MappingProxyType

    def __getitem__(self, section: str) -> dict:
        return self.params[section]


def load_policy(path: Path | None = None) -> Policy:
    """Read the policy file (``CASEWORK_POLICY_FILE`` or data/policy.toml)."""
    from casework.settings import policy_path

    raw = tomllib.loads((path or policy_path()).read_text("utf-8"))
    version = raw.pop("version")
    return Policy(version=version, params=MappingProxyType(raw))


@dataclass(frozen=True)
class Decision:
    """The outcome of a rule: ``ok`` plus the reasons, and the parameter version used."""

    ok: bool
    policy_version: str
    reasons: tuple[Message, ...] = field(default=())

    def explain(self, lang: str) -> list[str]:
        return [r.text(lang) for r in self.reasons]

    def unmet(self) -> tuple[Message, ...]:
        """The reasons that say a condition is not met (all of them if none is marked)."""
        failed = tuple(r for r in self.reasons if r.key.endswith(".no"))
        return failed or self.reasons


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Whole years completed on ``on``."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def working_age(
    policy: Policy, *, birth_date: dt.date, sex: str, on: dt.date, female_cadre: bool = False
) -> Decision:
    """Is the person within legal working age on ``on``? Men 16–60, women 16–50 (cadres 55)."""
    p = policy["working_age"]
    age = age_on(birth_date, on)
    if sex == "M":
        upper, group = p["men_max_age"], "men"
    elif female_cadre:
        upper, group = p["female_cadre_max_age"], "female_cadres"
    else:
        upper, group = p["women_max_age"], "women"
    group_msg = Message(f"policy.group.{group}")
    if age < p["min_age"]:
        reason = Message("policy.age_below", {"age": age, "limit": p["min_age"]})
        return Decision(False, policy.version, (reason,))
    if age > upper:
        reason = Message("policy.age_above", {"age": age, "limit": upper, "group": group_msg})
        return Decision(False, policy.version, (reason,))
    reason = Message("policy.age_within",
                     {"age": age, "low": p["min_age"], "high": upper, "group": group_msg})
    return Decision(True, policy.version, (reason,))


def hardship_registration(
    policy: Policy, *, household_size: int, household_income: int,
    situations: Sequence[str], remark: str | None,
) -> Decision:
    """Does a household meet the registration criteria of 连政办发[2002]132号?

    We do not have 132号's text; policy.toml [hardship] holds our configurable reading: per-capita
    income (household income a month / household size) strictly below the threshold, at least
    one member out of work, and a remark explaining the hardship. Every criterion is explained,
    met or not.
    """
    if household_size < 1:
        raise ValueError(f"A household has at least one member, not {household_size}.")
    p = policy["hardship"]
    threshold = p["income_threshold_yuan"]
    # Compared in whole yuan (income < threshold × size), so 479 yuan for 3 is below 160 each.
    income_ok = household_income < threshold * household_size
    out_of_work = sum(s in p["out_of_work_situations"] for s in situations)
    remark_ok = bool(remark and remark.strip()) or not p["remark_required"]
    reasons = (
        Message(f"policy.hardship.income.{_yes(income_ok)}", income=household_income,
                size=household_size, per_capita=_yuan(household_income / household_size),
                threshold=_yuan(threshold)),
        Message(f"policy.hardship.out_of_work.{_yes(out_of_work > 0)}", count=out_of_work),
        Message(f"policy.hardship.remark.{_yes(remark_ok)}"),
    )
    return Decision(income_ok and out_of_work > 0 and remark_ok, policy.version, reasons)


def _yes(met: bool) -> str:
    return "yes" if met else "no"


def _yuan(amount: float) -> str:
    """159.666… → "159.67", 160.0 → "160"."""
    return f"{amount:.2f}".rstrip("0").rstrip(".")


def employment_aid(
    policy: Policy, *, birth_date: dt.date, sex: str, on: dt.date, female_cadre: bool,
    able_to_work: bool, willing: bool, accepts_any_job: bool,
) -> Decision:
    """Is this member of a registered hardship household targeted for employment aid?

    The four conditions of the notice's 三(七) (not of 132号, which decides registration):
    within legal working age (female cadres to 55), able to work, willing to be re-employed, and
    not choosy about jobs (不挑不揀). Every condition is explained, met or not.
    """
    age = working_age(policy, birth_date=birth_date, sex=sex, on=on,
                      female_cadre=female_cadre and sex == "F")
    checks = (
        (able_to_work, "able_to_work"),
        (willing, "willing"),
        (accepts_any_job, "accepts_any_job"),
    )
    reasons = list(age.reasons)
    reasons += [Message(f"policy.hardship.{name}.{_yes(met)}") for met, name in checks]
    ok = age.ok and all(met for met, _ in checks)
    return Decision(ok, policy.version, tuple(reasons))


@dataclass(frozen=True)
class VisitDue:
    """When the next home visit falls due, computed from the facts, never stored."""

    due_on: dt.date
    state: str  # "overdue", "due" (today) or "upcoming"
    days_overdue: int
    never_visited: bool


def visit_due(
    policy: Policy, *, registered_on: dt.date, last_visit: dt.date | None, today: dt.date,
    planned: dt.date | None = None,
) -> VisitDue:
    """The next visit is due one interval after the last visit (or after registration).

    A next visit planned at the last visit brings the date forward, never pushes it back.
    """
    interval = dt.timedelta(days=policy["visits"]["interval_days"])
    due_on = (last_visit or registered_on) + interval
    if planned is not None and last_visit is not None and planned < due_on:
        due_on = planned
    late = (today - due_on).days
    state = "overdue" if late > 0 else "due" if late == 0 else "upcoming"
    return VisitDue(due_on, state, max(late, 0), last_visit is None)


JOBSEEKERS = ("laid_off", "unemployed", "never_employed")


def enrolment_eligibility(
    policy: Policy, *, category: str, birth_date: dt.date, sex: str, course_kind: str,
    course_start: dt.date, overlapping_course: str | None,
) -> Decision:
    """May this person enrol? Laid-off and unemployed people in any course, new entrants in
    labour-preparation courses only; within working age when the course starts; not already in
    a course whose dates overlap. (A full course is no refusal: it takes a waiting list.)"""
    reasons, ok = [], True
    new_entrant_in_prep = category == "new_entrant" and course_kind == "labour_preparation"
    if category in JOBSEEKERS or new_entrant_in_prep:
        reasons.append(Message("policy.training.category_ok",
                               category=Message(f"vocab.category.{category}")))
    else:
        ok = False
        key = "new_entrant_only_prep" if category == "new_entrant" else "category_not_served"
        reasons.append(Message(f"policy.training.{key}",
                               category=Message(f"vocab.category.{category}")))
    age = working_age(policy, birth_date=birth_date, sex=sex, on=course_start)
    ok = ok and age.ok
    reasons.extend(age.reasons)
    if overlapping_course is not None:
        ok = False
        reasons.append(Message("policy.training.overlap", course=overlapping_course))
    return Decision(ok, policy.version, tuple(reasons))


def completion(policy: Policy, *, hours_attended: float, course_hours: int) -> Decision:
    """Completed when the hours attended reach the minimum share of the course's hours."""
    need = policy["training"]["completion_min_share"]
    # Hours summed from sessions such as 1.2 h carry binary rounding (11.999999999999998 for 12):
    # compare in whole hundredths of an hour.
    ok = course_hours > 0 and round(hours_attended * 100) >= round(need * course_hours * 100)
    share = hours_attended / course_hours if course_hours else 0.0
    key = "policy.training.hours_enough" if ok else "policy.training.hours_short"
    # Shown rounded down, so a shortfall never reads as the share needed.
    shown = math.floor(round(share * 1000, 6)) / 10
    reason = Message(key, attended=f"{round(hours_attended, 2):g}", hours=course_hours,
                     share=f"{shown:g}%", need=f"{need:.0%}")
    return Decision(ok, policy.version, (reason,))


def dates_overlap(a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date) -> bool:
    """Two date ranges, both ends included, share at least one day."""
    return a_start <= b_end and b_start <= a_end


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when that day does not exist."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_up_dates(policy: Policy, *, course_end: dt.date) -> list[tuple[int, dt.date]]:
    """When each outcome follow-up (3, 6 and 12 months by default) falls due."""
    return [(m, add_months(course_end, m)) for m in policy["training"]["follow_up_months"]]
