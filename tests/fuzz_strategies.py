"""Hostile input for the fuzz tests (hypothesis): what a careless or malicious user, a broken
widget or a wrong caller may hand a service or a form.

``hostile(kind)`` gives, for a field of that kind (text, int, number, date, choice, bool), its
odd-but-right-typed values mixed with values of every wrong type.
"""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import strategies as st

SQL = ("'; DROP TABLE person; --", "1 OR 1=1", "\" OR \"\"=\"", "'); DELETE FROM audit_entry;--",
       "%", "_", "\\", "$1", ":name")
HTML = ("<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "</td></tr><b>x",
        "&lt;&amp;&#0;", "{{7*7}}", "${7*7}")
MARKS = ("\u200b", "\u200f", "\u202e", "\u2066", "\ufeff", "\u00a0")
CONTROLS = ("\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\t", "\n", "\r")

EDGE_DATES = (dt.date(1900, 1, 1), dt.date(2100, 12, 31), dt.date(1904, 2, 29),
              dt.date(2000, 2, 29), dt.date(2004, 2, 29), dt.date(2096, 2, 29),
              dt.date(1, 1, 1), dt.date(9999, 12, 31))
DATE_TEXTS = ("2004-02-29", "2003-02-29", "1900-01-01", "2100-12-31", "29/02/2004", "2004-13-01",
              "", "  ", "yesterday", "2004-02-29T10:00:00")
NUMBERS = (math.nan, math.inf, -math.inf, 2**63, 2**64, -(2**63) - 1, 2**31, -1, -(2**31), 0,
           1e300, -0.0, 0.5, 1e-300)

WRONG_TYPES = st.one_of(st.none(), st.just([]), st.lists(st.text(max_size=3), max_size=2),
                        st.just({"a": 1}), st.booleans(), st.floats(), st.integers(),
                        st.just(b"\x00bytes"), st.just(dt.datetime(2004, 2, 29, 12, 0)))


def texts() -> st.SearchStrategy[str]:
    """Strings a text box may hold: plain or odd printable text, very long text, text with
    control characters, invisible or direction marks, SQL and HTML."""
    printable = st.text(st.characters(categories=("L", "M", "N", "P", "S", "Zs")), max_size=20)
    marked = st.lists(st.sampled_from(MARKS) | printable, min_size=1, max_size=4).map("".join)
    controlled = st.lists(st.sampled_from(CONTROLS) | printable, min_size=1, max_size=4).map(
        "".join)
    long = st.builds(lambda n, c: c * n, st.integers(31, 6000), st.sampled_from("张a<'\u200b"))
    return st.one_of(st.sampled_from(SQL + HTML), printable, marked, controlled, long,
                     st.text(max_size=20))


def numbers() -> st.SearchStrategy[object]:
    """Numbers at and past every edge, and numbers typed as text."""
    odd = (st.sampled_from(NUMBERS) | st.integers(-(2**70), 2**70) | st.floats()
           | st.integers(1, 500))  # and some a form would take
    typed = st.sampled_from(("12", " 7 ", "-3", "1e9", "nan", "inf", "１２", "0x10", "3.5",
                             "99999999999999999999999", "9" * 5000, ""))
    return odd | typed


def dates() -> st.SearchStrategy[object]:
    """Dates at the edges (1900, 2100, 29 February), dates as text, any date at all."""
    return st.one_of(st.sampled_from(EDGE_DATES), st.sampled_from(DATE_TEXTS),
                     st.dates(dt.date(1890, 1, 1), dt.date(2110, 12, 31)),
                     st.dates(dt.date(2004, 2, 1), dt.date(2004, 6, 30)))  # the demo's own


def members() -> st.SearchStrategy[object]:
    """Rows of (member, employment status) as the member-rows widget hands them, or not."""
    row = st.fixed_dictionaries({"member": texts() | WRONG_TYPES,
                                 "status": st.sampled_from(("unemployed", "flexible")) | texts()
                                 | WRONG_TYPES})
    return st.lists(row | WRONG_TYPES, max_size=3)


def hostile(kind: str) -> st.SearchStrategy[object]:
    """Odd values of the field's own kind, and values of every wrong type."""
    own = {"text": texts(), "choice": texts(), "int": numbers(), "number": numbers(),
           "date": dates(), "bool": st.booleans(), "multi": st.lists(texts(), max_size=3),
           "id": numbers(), "members": members()}[kind]
    return st.one_of(own, own, WRONG_TYPES, texts() if kind != "text" else dates())
