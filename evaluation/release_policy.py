"""The release policy of the research extract: what happens to every column, and why.

One table, used by the extract writer (which quasi-identifiers to make k-anonymous, in which
order, and which columns to write) and by the tests and the data dictionary (which must cover
the same columns). A column is

- ``released as is``;
- ``coarsened`` (the ``how`` says how: a date becomes its calendar month, hours become a total);
- a ``quasi-identifier``: something an outsider may know of a person (sex, age, where they
  live, schooling, category, the hardship flag, dates), coarsened further by k-anonymity along
  its ladder (``evaluation.hierarchies``) only where a group of fewer than k rows needs it;
- ``pseudonymised`` (a person's or record's number, keyed per release: ``evaluation.keys``);
- ``withheld``: on the ledger but never written.

Dates are released as calendar months, never as days and never as days since registration: a
course's dates are public, so days counted from registration to a course would give the
registration day back.
"""

from __future__ import annotations

from dataclasses import dataclass

from evaluation import hierarchies as h
from evaluation.release_rules import (
    COARSENED,
    PSEUDONYMISED,
    QUASI_IDENTIFIER,
    RELEASED,
    RULES,
    WITHHELD,
    Rule,
)

TREATMENTS = (RELEASED, COARSENED, QUASI_IDENTIFIER, PSEUDONYMISED, WITHHELD)
TABLES = ("persons", "employment", "courses", "enrolments", "follow_ups", "visits",
          "placements", "subsidies", "loans")


@dataclass(frozen=True)
class Anonymity:
    """A table's quasi-identifiers as ladders, and the order in which k-anonymity refines them
    when it could refine several: (ladder name, rung counted from the top). The plan decides
    among the refinements that make at least ``1 - slack`` times as many rows finer as the
    best (``evaluation.anonymity``)."""

    ladders: tuple[h.Ladder, ...]
    plan: tuple[tuple[str, int], ...]
    slack: float = 0.1

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c for ladder in self.ladders for c in ladder.columns)


# For persons the plan serves the training evaluation. The street (which fixes the courses a
# jobseeker could take) and whether a jobseeker come first; then the registration to the
# quarter, since who was at risk at a course's start hangs on it (on the planted demo, a
# registration known only to the year biased the estimated effect most); then the
# confounders in the order their coarsening biased the effect on the planted 20,000-person
# demos: months out of work (0-11/12+), schooling's group, finer months out, schooling's
# level, then sex and age; the hardship flag and the exact category matter little and come
# last. A street and quarter hold a dozen jobseekers or so, room for about one split
# more, so the plan must prevail over the split that keeps the most rows finer (a large
# slack): else sex, evenly split and so cheap to keep, wins nearly everywhere. On seeds 3 and
# 11 this took the bias of the aipw estimate from +0.024 to +0.017 and +0.019.
OUT = "months_out_at_registration"
ANONYMITY = {
    "persons": Anonymity(
        (h.place(), h.CATEGORY, h.period("registered_month"), h.EDUCATION, h.MONTHS_OUT,
         h.flag("sex"), h.AGE, h.flag("hardship")),
        (("place", 1), ("place", 2), ("category", 1), ("registered_month", 1),
         ("registered_month", 2), (OUT, 1), ("education", 1), (OUT, 2), ("education", 2),
         ("sex", 1), ("age_band", 1), (OUT, 3), ("age_band", 2), ("registered_month", 3),
         ("hardship", 1), ("category", 2)),
        slack=0.8),
    "placements": Anonymity(
        (h.place(), h.period("start_month"), h.flag("hardship")),
        (("place", 1), ("start_month", 1), ("start_month", 2), ("place", 2),
         ("hardship", 1), ("start_month", 3))),
    "subsidies": Anonymity(
        (h.place(), h.period("claimed_month"), h.period("paid_month")),
        (("place", 1), ("claimed_month", 1), ("paid_month", 1), ("claimed_month", 2),
         ("paid_month", 2), ("place", 2), ("claimed_month", 3), ("paid_month", 3))),
    "loans": Anonymity(
        (h.place(), h.period("applied_month")),
        (("place", 1), ("applied_month", 1), ("applied_month", 2), ("place", 2),
         ("applied_month", 3))),
}


def rules(table: str) -> tuple[Rule, ...]:
    """The policy of every column of ``table``, written or withheld."""
    if table not in RULES:
        raise ValueError(f"No release policy for table {table!r}; the tables are "
                         f"{', '.join(TABLES)}.")
    return RULES[table]


def released(table: str) -> tuple[str, ...]:
    """The columns written for ``table``, in order."""
    return tuple(r.column for r in rules(table) if r.treatment != WITHHELD)


def quasi_identifiers(table: str) -> tuple[str, ...]:
    """The columns k-anonymity covers in ``table`` (none for a table of events or courses)."""
    return ANONYMITY[table].columns if table in ANONYMITY else ()


def as_rows() -> list[dict]:
    """The whole policy as plain rows (table, column, treatment, how, reason)."""
    return [{"table": table, **rule.__dict__} for table in TABLES for rule in RULES[table]]
