"""The demo's labour market: months in and out of work, each spell with a start and an end.

Out of work, a person finds work in a month with a probability (the *find hazard*) whose logit
rises with education, falls with every month already spent out of work, and moves with sex, age
band, prior wage and district. In work, the job ends in a month with a probability set by its
kind (flexible work is short). At most one change happens in a month, on a day drawn within it,
so whether someone was *in work at the end of month M* follows from the months alone, as the
research extract releases them.

Each calendar month of a person has its own random numbers (:class:`Draws`). A person can thus be
followed twice, with and without training, on the same numbers (common random numbers): the two
paths differ only through training's lift to the find hazard and its wage bonus.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import cache

from casework.demo_era import wage as era_wage

WORK = ("employed", "flexible", "self_employed")
KIND_SHARES = (0.6, 0.3, 0.1)
LOSS = {"employed": 0.025, "flexible": 0.18, "self_employed": 0.04}  # chance a month
FIND = {"intercept": -2.35, "education": 0.30, "male": 0.20, "no_prior_wage": -0.25,
        "per_month_out": -0.045}
FIND_BY_AGE = {"16-24": -0.1, "25-34": 0.2, "35-44": 0.1, "45-54": -0.2, "55+": -0.5}
LONGEST = 36  # months out of work beyond which the find hazard falls no further
MAX_FIND, MAX_LIFT = 0.8, 6.0


def logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def month_of(day: dt.date) -> int:
    """Months as integers (year × 12 + month − 1), as the evaluation counts them."""
    return day.year * 12 + day.month - 1


def first_day(month: int) -> dt.date:
    return dt.date(month // 12, month % 12 + 1, 1)


def last_day(month: int) -> dt.date:
    return first_day(month + 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Worker:
    """What the labour market knows of a person: the find hazard's logit at zero months out of
    work, and the monthly wage of a typical job."""

    index: float
    wage: int


def find_index(*, education: int, male: bool, age_band: str, prior_wage: int | None,
               district_shift: float) -> float:
    """The logit of the find hazard at zero months out (``education`` is the rank, 0–6)."""
    return (FIND["intercept"] + FIND["education"] * (education - 3) + FIND["male"] * male
            + FIND_BY_AGE[age_band] + FIND["no_prior_wage"] * (prior_wage is None)
            + district_shift)


def find_hazard(worker: Worker, months_out: int, lift: float = 0.0) -> float:
    x = worker.index + FIND["per_month_out"] * min(months_out, LONGEST) + lift
    return min(MAX_FIND, 1 / (1 + math.exp(-x)))


class Draws:
    """64 random bits for each calendar month from ``first`` to ``last``: 24 say whether the
    status changes, and the rest on which day, into what kind of work and at what wage (one
    number a month keeps 20,000 people quick to generate)."""

    def __init__(self, rng, first: int, last: int) -> None:
        bits = rng.getrandbits
        self.first = first
        self._months = [bits(64) for _ in range(max(last - first + 1, 0))]

    def __getitem__(self, month: int) -> int:
        return self._months[month - self.first]


def _shares(bits: int) -> tuple[float, float, float, float]:
    """Four uniform numbers from 64 bits: 24, 16, 12 and 12 bits of them."""
    return ((bits & 0xFFFFFF) / 2**24, (bits >> 24 & 0xFFFF) / 2**16,
            (bits >> 40 & 0xFFF) / 2**12, (bits >> 52) / 2**12)


@dataclass(frozen=True)
class State:
    """In work or not, since which month, and in what kind of work."""

    working: bool
    since: int
    kind: str | None = None


@dataclass(frozen=True)
class Change:
    """A new status from ``day`` on: ``unemployed`` or a kind of work with its wage."""

    day: dt.date
    status: str
    wage: int | None = None


@dataclass(frozen=True)
class Boost:
    """What completing a course changes: from ``from_month`` on, ``lift`` is added to the find
    hazard's logit; work begun after ``after`` pays ``wage`` yuan more."""

    from_month: int
    lift: float
    after: dt.date
    wage: int


def walk(worker: Worker, draws: Draws, state: State, months: range, *,
         window: tuple[dt.date, dt.date], boost: Boost | None = None
         ) -> tuple[list[Change], State]:
    """The changes over ``months`` (days within ``window`` only), and the state at the end.

    The find hazard and the four shares are written out here (as in :func:`find_hazard` and
    :func:`_shares`, the same arithmetic): this loop runs for every month of every person."""
    changes, (earliest, latest) = [], window
    index, per_month, bits = worker.index, FIND["per_month_out"], draws._months
    for month in months:
        first, last = _month_days(month)
        low, high = (first if first > earliest else earliest), (last if last < latest else latest)
        if low > high:
            continue
        u = bits[month - draws.first]
        u, v, k, w = ((u & 0xFFFFFF) / 2**24, (u >> 24 & 0xFFFF) / 2**16,
                      (u >> 40 & 0xFFF) / 2**12, (u >> 52) / 2**12)
        if state.working:
            if u <= 1 - LOSS[state.kind]:
                continue
        else:
            lift = boost.lift if boost and month >= boost.from_month else 0.0
            months_out = month - state.since
            x = index + per_month * (months_out if months_out < LONGEST else LONGEST) + lift
            if u >= MAX_FIND or u >= 1 / (1 + math.exp(-x)):  # u ≥ min(MAX_FIND, hazard)
                continue
        day = low + dt.timedelta(days=int(v * ((high - low).days + 1)))
        if state.working:
            changes.append(Change(day, "unemployed"))
            state = State(False, month)
            continue
        kind = WORK[0] if k < KIND_SHARES[0] else WORK[1] if k < 1 - KIND_SHARES[2] else WORK[2]
        bonus = boost.wage if boost and day > boost.after else 0
        changes.append(Change(day, kind, era_wage(worker.wage + 240 * (w - 0.5) + bonus)))
        state = State(True, month, kind)
    return changes, state


@cache
def _month_days(month: int) -> tuple[dt.date, dt.date]:
    return first_day(month), last_day(month)


def status_on(changes: list[Change], day: dt.date) -> Change | None:
    """The change in force on ``day`` (None: still out of work as at the start)."""
    current = None
    for change in changes:
        if change.day > day:
            break
        current = change
    return current


def in_work_at_end(changes: list[Change], month: int) -> tuple[bool, int]:
    """In work at the end of ``month``, and the wage then (0 when out of work)."""
    current = status_on(changes, last_day(month))
    if current is None or current.status not in WORK:
        return False, 0
    return True, current.wage


def chance_in_work(worker: Worker, months_out: int, horizon: int, lift: float) -> float:
    """The chance of being in work ``horizon`` months on, for someone out of work for
    ``months_out`` months now, with ``lift`` added to the find hazard's logit throughout.

    ``out`` holds (months out of work, probability) in a fixed order and the three kinds of
    work their own probabilities: the sums and products run in the same order as ever, so the
    result is the same to the last bit (lift_for calls this up to 40 times per completer)."""
    (loss_e, loss_f, loss_s), (share_e, share_f, share_s) = map(LOSS.get, WORK), KIND_SHARES
    keep_e, keep_f, keep_s = 1 - loss_e, 1 - loss_f, 1 - loss_s
    index, per_month, exp = worker.index, FIND["per_month_out"], math.exp
    out, held_e, held_f, held_s = [(months_out, 1.0)], 0.0, 0.0, 0.0
    for _ in range(horizon):
        next_out = [(0, sum((held_e * loss_e, held_f * loss_f, held_s * loss_s)))]
        held_e, held_f, held_s = held_e * keep_e, held_f * keep_f, held_s * keep_s
        for months, p in out:
            x = index + per_month * min(months + 1, LONGEST) + lift
            found = p * min(MAX_FIND, 1 / (1 + exp(-x)))
            held_e += found * share_e
            held_f += found * share_f
            held_s += found * share_s
            next_out.append((months + 1, 0.0 + p - found))
        out = next_out
    return sum((held_e, held_f, held_s))


def lift_for(worker: Worker, effect: float, *, months_out: int, horizon: int) -> float:
    """The lift that raises the chance of being in work ``horizon`` months on by ``effect``
    (in expectation); ``MAX_LIFT`` when that is out of reach."""
    base = chance_in_work(worker, months_out, horizon, 0.0)

    def gap(lift: float) -> float:
        return chance_in_work(worker, months_out, horizon, lift) - base - effect

    low, high, g_low, g_high = 0.0, MAX_LIFT, -effect, gap(MAX_LIFT)
    if g_high <= 0:
        return MAX_LIFT
    # Regula falsi, Illinois variant: the gap is smooth and rising, so a few steps do.
    moved = None
    for _ in range(40):
        lift = (low * g_high - high * g_low) / (g_high - g_low)
        g = gap(lift)
        if abs(g) < 1e-7:
            break
        if g > 0:
            high, g_high = lift, g
            g_low = g_low / 2 if moved == "high" else g_low
            moved = "high"
        else:
            low, g_low = lift, g
            g_high = g_high / 2 if moved == "low" else g_high
            moved = "low"
    return lift
