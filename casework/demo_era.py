"""The demo's era: the notice's own years (2002–2004), its wages, phone numbers and ID cards.

The demo's dates run from 1 January two years before the as-of date up to the as-of date (with
the default as-of date, 2004-06-30, from 2002-01-01): registrations, spells out of work, courses,
postings, placements and loans all fall in that window. Amounts are Lianyungang's of those
years: community jobs paid about 400–900 yuan a month and the minimum wage was about 360–420
yuan, so every wage the demo writes lies between ``WAGE_FLOOR`` and ``WAGE_CEILING``. Telephone
numbers are the era's: a landline 0518-xxxxxxx (seven digits then) or an 11-digit 13x mobile.
Many people born before 1985 still held a first-generation card with a 15-digit number.
"""

from __future__ import annotations

import datetime as dt
import random

from casework.ids import make_resident_id, upgrade_first_generation

WAGE_FLOOR, WAGE_CEILING = 400, 1200  # yuan a month, any job in the demo
LANDLINE_SHARE = 0.6  # of demo persons giving a landline rather than a mobile
FIRST_GENERATION_SHARE = 0.6  # of those born before 1985 who give a 15-digit number
FIRST_GENERATION_BEFORE = dt.date(1985, 1, 1)


def start(as_of: dt.date) -> dt.date:
    """The first day of the demo's window: 1 January two years before ``as_of``."""
    return dt.date(as_of.year - 2, 1, 1)


def wage(amount: float) -> int:
    """A monthly wage of the era: rounded to ten yuan, kept within the floor and ceiling."""
    return int(min(max(round(amount, -1), WAGE_FLOOR), WAGE_CEILING))


def phone(rng: random.Random) -> str:
    """A Lianyungang landline of the time (0518 and seven digits) or a 13x mobile."""
    if rng.random() < LANDLINE_SHARE:
        return f"0518-{rng.randint(2, 8)}{rng.randint(0, 999999):06d}"
    return f"13{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"


def resident_ids(rng: random.Random, area: str, birth: dt.date, sex: str,
                 used: set[str]) -> tuple[str, str | None]:
    """A new 18-digit number, and for some born before 1985 the 15-digit original it came
    from (``id_number`` is then that original's 18-digit form)."""
    first_generation = birth < FIRST_GENERATION_BEFORE and rng.random() < FIRST_GENERATION_SHARE
    while True:
        order = rng.randint(0, 499) * 2 + (1 if sex == "M" else 0)
        if first_generation:
            original = f"{area}{birth:%y%m%d}{order:03d}"
            number = upgrade_first_generation(original)
        else:
            original, number = None, make_resident_id(area, birth, order // 2, sex)
        if number not in used:
            used.add(number)
            return number, original
