"""Resident ID numbers (居民身份证号码), checked with python-stdnum's ``stdnum.cn.ric``.

Second-generation numbers have 18 characters. First-generation numbers (15 digits: area code,
birth date as YYMMDD in the 1900s, a 3-digit order number whose parity gives the sex, and no
check digit) were still common in 2003; they are read by converting them to their 18-digit form
(insert "19", append the check digit), which is the same person's number and the ledger's key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric
from stdnum.util import isdigits

from casework.i18n import Message


class InvalidIdNumber(ValueError):
    """The number is not a valid resident ID; ``message`` says why, in any language."""

    def __init__(self, key: str) -> None:
        self.message = Message(key)
        super().__init__(self.message.text("en"))


@dataclass(frozen=True)
class ResidentId:
    number: str  # always the 18-digit form
    birth_date: dt.date
    sex: str  # "M" or "F": the 17th digit is odd for men, even for women
    original: str | None = None  # the 15-digit number as given, when it was one

    @property
    def area_code(self) -> str:
        return self.number[:6]


def parse_resident_id(number: str, *, today: dt.date | None = None) -> ResidentId:
    """Validate ``number`` and read birth date and sex from it.

    Raises ``InvalidIdNumber`` naming what is wrong: length, characters, checksum, birth date
    (impossible or in the future) or region code.
    """
    compact = ric.compact(number or "")
    original = None
    if len(compact) == 15:
        original, compact = compact, upgrade_first_generation(compact)
    _check(compact)
    birth = ric.get_birth_date(compact)
    if birth > (today or dt.date.today()):
        raise InvalidIdNumber("ids.future_birth_date")
    return ResidentId(compact, birth, "M" if int(compact[16]) % 2 else "F", original)


def upgrade_first_generation(number: str) -> str:
    """The 18-digit form of a 15-digit first-generation number: "19" goes before the two-digit
    birth year and the check digit is appended (GB 11643-1999). Raises ``InvalidIdNumber`` when
    the 15 characters are not all digits (first-generation numbers have no X)."""
    compact = ric.compact(number or "")
    if len(compact) != 15:
        raise InvalidIdNumber("ids.bad_length")
    if not isdigits(compact):
        raise InvalidIdNumber("ids.bad_format_15")
    body = f"{compact[:6]}19{compact[6:]}"
    return body + ric.calc_check_digit(body + "0")


def _check(compact: str) -> None:
    """stdnum's checks in stdnum's order (``ric.validate``), except the region code's: stdnum
    requires it to have existed in the birth year, but codes are assigned when the card is
    issued: 320705 新浦区 (1986–2014) is right for someone born in 1965. We accept any region
    code stdnum knows as a county, and look each up once (the lookup is the slow part)."""
    if len(compact) != 18:
        raise InvalidIdNumber("ids.bad_length")
    if not isdigits(compact[:-1]):
        raise InvalidIdNumber("ids.bad_format")
    if compact[-1] != ric.calc_check_digit(compact):
        raise InvalidIdNumber("ids.bad_checksum")
    try:
        ric.get_birth_date(compact)
    except stdnum_errors.ValidationError as exc:
        raise InvalidIdNumber("ids.bad_birth_date") from exc
    if not _known_region_code(compact[:6]):
        raise InvalidIdNumber("ids.bad_region")


@cache
def _known_region_code(area: str) -> bool:
    info = numdb.get("cn/loc").info(area)
    return any("county" in props for _part, props in info)


def make_resident_id(area_code: str, birth_date: dt.date, sequence: int, sex: str) -> str:
    """Build a valid number: for demo data and tests only. ``sequence`` is 0..499."""
    order = sequence * 2 + (1 if sex == "M" else 0)
    body = f"{area_code}{birth_date:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_first_generation_id(area_code: str, birth_date: dt.date, sequence: int, sex: str) -> str:
    """Build a 15-digit first-generation number: for tests only. ``sequence`` is 0..499."""
    order = sequence * 2 + (1 if sex == "M" else 0)
    return f"{area_code}{birth_date:%y%m%d}{order:03d}"


def mask(number: str) -> str:
    """Show enough of an ID number to recognise it, not enough to copy it."""
    if len(number) in (15, 18):
        return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"
    return "*" * len(number)
