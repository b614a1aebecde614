"""Numbers and dates as people read them, in the page's language: percentages with a %
sign, yuan with thousands separators, dates the way the locale writes them. Pure functions."""

from __future__ import annotations

import datetime as dt
import math
import re

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
              "Dec")
_CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def percent(share: float | None, *, digits: int = 1) -> str:
    """A share (0.123) as a percentage ("12.3%"); nothing known reads "—"."""
    if _missing(share):
        return "—"
    return f"{share * 100:,.{digits}f}%"


def yuan(amount: float | int | None, lang: str, *, cents: bool = False) -> str:
    """An amount of yuan with thousands separators: "12,345元" in zh, "¥12,345" in en."""
    if _missing(amount):
        return "—"
    number = f"{amount:,.2f}" if cents else f"{round(amount):,}"
    return f"{number}元" if lang == "zh" else f"¥{number}"


def number(value: float | int | None, *, digits: int = 0) -> str:
    """A count or measure with thousands separators and ``digits`` decimals."""
    if _missing(value):
        return "—"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and digits == 0):
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def date(value: dt.date | str | None, lang: str) -> str:
    """A date as the locale writes it: "2026年3月5日" in zh, "5 Mar 2026" in en."""
    if value is None or value == "":
        return "—"
    day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    if isinstance(day, dt.datetime):
        day = day.date()
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def is_code_name(text: str) -> bool:
    """Whether ``text`` looks like a column's code name (ASCII snake_case), not a heading."""
    return bool(_CODE.match(text.strip()))


def humanize(code: str) -> str:
    """A last resort for an English heading: "variance_ratio_after" → "Variance ratio after"."""
    words = str(code).replace("_", " ").strip()
    return words[:1].upper() + words[1:]
