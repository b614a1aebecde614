"""The acting account's work queue: what waits for them, counted, and the app that handles
each count. Read only.

Each count comes from an aggregate query of the service that owns the records (a handful of
queries in all, however large the city), and who sees which count is the permission table's
decision: an item appears only for an account whose role has the capability to act on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from casework import access, money, vocab
from casework.access import Actor
from casework.policy import load_policy
from casework.services import course_lists, follow_ups, hardship_schedule, loans, subsidies
from casework.services.uow import UnitOfWork

# A course "starts soon" within two weeks: the time a trainer has to fill its seats.
SOON_DAYS = 14
# Every item there is, in the order shown; each is catalogue key work_queue.<key>.
KEYS = ("visits_overdue", "visits_due", "hardship_to_verify", "hardship_to_confirm",
        "loan_steps", "subsidy_steps", "follow_ups_due", "courses_open", "courses_starting",
        "courses_running")


@dataclass(frozen=True)
class QueueItem:
    """One count in the queue: ``key`` names it (catalogue key ``work_queue.<key>``) and
    ``app`` is the notebook stem of the app that handles it."""

    key: str
    count: int
    app: str


@dataclass(frozen=True)
class WorkQueue:
    """The items the account may act on, in the order they are shown; counts may be zero."""

    items: tuple[QueueItem, ...]

    def __iter__(self) -> Iterator[QueueItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    def count(self, key: str) -> int | None:
        """The count of ``key``, or None when the account is not shown that item."""
        return next((item.count for item in self.items if item.key == key), None)


def work_queue(actor: Actor, uow: UnitOfWork, *, today: dt.date | None = None) -> WorkQueue:
    """What waits for ``actor`` on ``today``, within their area."""
    today = today or uow.today()
    with uow:
        session = uow.session
        return WorkQueue((*_visits(actor, session, today), *_register(actor, session),
                          *_loan_steps(actor, session),
                          *_subsidy_steps(actor, session), *_training(actor, session, today)))


def _visits(actor: Actor, session: Session, today: dt.date) -> list[QueueItem]:
    """Registered 特困家庭 overdue or due today for a home visit, for those who record visits."""
    if not access.may(actor, "write_ledger"):
        return []
    due = hardship_schedule.visit_due_counts(actor, session, today=today)
    return [QueueItem("visits_overdue", due["overdue"], "home_visits"),
            QueueItem("visits_due", due["due"], "home_visits")]


# The two verifications of a 特困家庭 (132号): the status a household waits in, for whom.
VERIFICATIONS = (("hardship_to_verify", "pending_community", "hardship_verify_community"),
                 ("hardship_to_confirm", "pending_street", "hardship_confirm_street"))


def _register(actor: Actor, session: Session) -> list[QueueItem]:
    """Households waiting for the verification the actor's role gives."""
    mine = [(key, status) for key, status, capability in VERIFICATIONS
            if access.may(actor, capability)]
    if not mine:
        return []
    statuses = hardship_schedule.status_counts(actor, session)
    return [QueueItem(key, statuses[status], "hardship_register") for key, status in mine]


def _loan_steps(actor: Actor, session: Session) -> list[QueueItem]:
    """Loans whose next step the actor's role takes. Applying is no waiting step: it starts
    a loan."""
    later = money.LOAN_STEPS[1:]
    if not any(access.may(actor, f"loan_step.{step}") for step in later):
        return []
    waiting = sum(n for status, n in loans.open_by_status(actor, session).items()
                  if access.may(actor, f"loan_step.{_after(money.LOAN_STEPS, status)}"))
    return [QueueItem("loan_steps", waiting, "loans")]


def _subsidy_steps(actor: Actor, session: Session) -> list[QueueItem]:
    """Claims whose next step the actor may take now: casework.money's rule, which reads the
    step's (or the paying fund's) capability and holds back a claim flagged for recovery."""
    policy, steps = load_policy(), money.SUBSIDY_STEPS

    def may(status: str, level: str, flagged: bool = False) -> bool:
        done = steps[:steps.index(status) + 1]
        return money.subsidy_step(policy, done=done, refused=False, step=steps[len(done)],
                                  role=actor.role, funding_level=level,
                                  recovery_flagged=flagged).ok

    if not any(may(status, level) for status in steps[:-1] for level in vocab.FUNDING_LEVELS):
        return []
    waiting = sum(c.count for c in subsidies.open_claims(actor, session)
                  if may(c.status, c.funding_level, c.recovery_flagged))
    return [QueueItem("subsidy_steps", waiting, "placements")]


def _training(actor: Actor, session: Session, today: dt.date) -> list[QueueItem]:
    """Trainees' follow-ups due, for whoever follows them up (organisers, and the community
    station of the trainee's community), and the courses of the actor's line for organisers."""
    items = []
    if access.may(actor, "follow_up_trainees"):
        items.append(QueueItem("follow_ups_due", follow_ups.due_count(actor, session,
                                                                      today=today), "follow_ups"))
    if not access.may(actor, "organise_training"):
        return items
    courses = course_lists.course_counts(actor, session, today=today, soon_days=SOON_DAYS)
    app = "training_enrolment"
    return [*items, QueueItem("courses_open", courses.open, app),
            QueueItem("courses_starting", courses.starting_soon, app),
            QueueItem("courses_running", courses.running, app)]


def _after(steps: tuple[str, ...], status: str) -> str:
    return steps[steps.index(status) + 1]
