"""From the ledger's rows to a release, as ``evaluation.release_policy`` says.

Days become calendar months, birth dates age bands, the day a person was out of work since
the months from it to registration (in bands), and the status history spells; ledger ids
become numbers keyed to this release; persons, then placements, subsidies and loans are made
k-anonymous on their quasi-identifiers, and what another table would give back is withheld
(``evaluation.linkage``). Every table is written in the order of its random numbers (or
pseudonyms), which says nothing about when anything happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evaluation import periods
from evaluation.anonymity import make_k_anonymous, smallest_class
from evaluation.hierarchies import age_band, months_out_band
from evaluation.keys import ReleaseKey, pseudonym, record_number
from evaluation.linkage import unlink_courses, withhold_given_back
from evaluation.release_policy import ANONYMITY, TABLES, quasi_identifiers, released

DATES = {"registered_on": "registered_month", "start_date": "start_month",
         "end_date": "end_month", "applied_on": "applied_month",
         "completed_on": "completed_month", "dropped_on": "dropped_month",
         "due_on": "due_month", "recorded_on": "recorded_month", "visit_date": "visit_month",
         "next_visit_date": "next_visit_month", "claimed_on": "claimed_month",
         "paid_on": "paid_month"}
RECORDS = {"course_id": "course", "enrolment_id": "enrolment", "placement_id": "placement",
           "claim_id": "claim", "loan_id": "loan"}
ORDER = {"persons": ["pid"], "employment": ["pid", "spell"], "courses": ["course_id"],
         "enrolments": ["enrolment_id"], "follow_ups": ["enrolment_id", "months"],
         "visits": ["pid", "visit_month"], "placements": ["placement_id"],
         "subsidies": ["claim_id"], "loans": ["loan_id"]}


@dataclass
class ReleaseTables:
    """The tables of a release, and what k-anonymity and the linkage rules did to them."""

    tables: dict[str, pd.DataFrame]
    k_reached: dict[str, int] = field(default_factory=dict)
    coarsened: dict[str, dict[str, int]] = field(default_factory=dict)
    suppressed: dict[str, int] = field(default_factory=dict)
    enrolments_unlinked: int = 0
    enrolment_subjects_withheld: int = 0

    def report(self) -> dict:
        """What the manifest and the release log record."""
        return {"rows": {name: len(self.tables[name]) for name in TABLES},
                "k_reached": self.k_reached, "coarsened": self.coarsened,
                "suppressed": self.suppressed,
                "quasi_identifiers": {t: list(quasi_identifiers(t)) for t in ANONYMITY},
                "enrolments_unlinked": self.enrolments_unlinked,
                "enrolment_subjects_withheld": self.enrolment_subjects_withheld}


def build_release(ledger: dict[str, pd.DataFrame], key: ReleaseKey, *, k: int,
                  as_of: dt.date, on_step: Callable[[str], None] | None = None
                  ) -> ReleaseTables:
    """The release of ``ledger`` (``evaluation.extract`` reads it) under ``key``;
    ``on_step("anonymity")`` is told when k-anonymity begins."""
    if k < 2:
        raise ValueError("k must be at least 2 for k-anonymity to mean anything.")
    frames = {name: _in_months(frame) for name, frame in ledger.items()}
    frames["persons"] = _in_months(_with_bands(ledger["persons"]))
    frames["employment"] = spells(ledger["employment"], ledger["persons"])
    _pseudonymise(frames, key)
    release = ReleaseTables(frames)
    # The quasi-identifiers as the ledger holds them, before the linkage rules withhold any.
    recorded = {name: frames[name][list(quasi_identifiers(name))].copy()
                for name in ("placements", "subsidies")}
    lives = frames["persons"].set_index("pid")
    recorded["loans"] = pd.DataFrame({c: frames["loans"]["pid"].map(lives[c])
                                      for c in ("street", "district")})
    if on_step is not None:
        on_step("anonymity")
    _anonymise(release, "persons", k)
    withhold_given_back(frames)
    release.enrolments_unlinked, release.enrolment_subjects_withheld = unlink_courses(
        frames, max(as_of, dt.date.today()))
    _anonymise(release, "placements", k, recorded)
    place = frames["placements"].set_index("placement_id")[["street", "district"]]
    for column in ("street", "district"):  # a claim names its placement's investing unit
        frames["subsidies"][column] = frames["subsidies"]["placement_id"].map(place[column])
    _anonymise(release, "subsidies", k, recorded)
    _anonymise(release, "loans", k, recorded)
    release.tables = {name: _ordered(frames[name], name) for name in TABLES}
    return release


def spells(employment: pd.DataFrame, persons: pd.DataFrame) -> pd.DataFrame:
    """One row per status spell: it ends in the month the next status began (missing: still
    going on). A spell begun on or before the registration day has no start month, and spells
    that ended on or before it are left out: either would date the time out of work (persons
    holds only its length at registration, in bands) or the registration."""
    registered = persons.set_index("person_id")["registered_on"]
    history = employment.sort_values(["person_id", "since", "id"]).reset_index(drop=True)
    ends = history.groupby("person_id")["since"].shift(-1)
    began = history["person_id"].map(registered)
    start = history["since"].where(history["since"] > began)
    frame = pd.DataFrame({
        "person_id": history["person_id"], "status": history["status"],
        "start_month": month_texts(start), "end_month": month_texts(ends),
        "monthly_wage": history["monthly_wage"].astype("Int64"),
        "spell": history.groupby("person_id").cumcount()})
    ended_before = (ends.notna() & (ends <= began)).to_numpy()
    return frame[~ended_before].reset_index(drop=True)


def _with_bands(persons: pd.DataFrame) -> pd.DataFrame:
    """The birth date becomes the age band at registration, and the day the person was out of
    work since the band of months out of work at registration (a duration: no calendar date)."""
    reg, born = _days(persons["registered_on"]), _days(persons["birth_date"])
    ages = reg.year - born.year - ((reg.month < born.month)
                                   | ((reg.month == born.month) & (reg.day < born.day)))
    since = _days(persons["out_of_work_since"])
    known = persons["out_of_work_since"].notna().to_numpy()
    months = ((reg.year - since.year) * 12 + reg.month - since.month
              - (reg.day < since.day)).to_numpy(dtype=float)
    # Bands found once per distinct number (a million people have a few hundred).
    values, at = np.unique(ages.to_numpy(dtype=np.int64), return_inverse=True)
    ages = np.array([age_band(int(a)) for a in values], dtype=object)[at.reshape(-1)]
    spans = np.maximum(months[known], 0).astype(np.int64)
    out = np.full(len(persons), None, dtype=object)
    out[known] = np.array([months_out_band(v) for v in range(spans.max(initial=-1) + 1)],
                          dtype=object)[spans]
    return (persons.assign(age_band=ages, months_out_at_registration=out)
            .drop(columns=["birth_date", "out_of_work_since"]))


def _days(column: pd.Series) -> pd.DatetimeIndex:
    """Days (dates, or missing) whose year, month and day numpy can compare."""
    return pd.DatetimeIndex(pd.to_datetime(column.to_numpy()))


def whole_months(since: dt.date, until: dt.date) -> int:
    """Whole months from ``since`` to ``until`` (15 March to 14 June: 2), floored at 0."""
    months = (until.year - since.year) * 12 + until.month - since.month
    return max(months - (until.day < since.day), 0)


def _in_months(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.rename(columns={c: DATES[c] for c in frame.columns if c in DATES})
    for column in set(DATES.values()) & set(frame.columns):
        frame[column] = month_texts(frame[column])
    return frame


def month_texts(days: pd.Series) -> pd.Series:
    """Each day's month as ``YYYY-MM`` (missing stays None)."""
    texts = {day: periods.month_text(day) for day in days.dropna().unique()}
    return days.map(texts).astype("object").where(days.notna(), None)


def _pseudonymise(frames: dict[str, pd.DataFrame], key: ReleaseKey) -> None:
    """Ledger ids become this release's pseudonyms and record numbers, in every table."""
    pids = {i: pseudonym(key, i) for i in frames["persons"]["person_id"]}
    numbers = {kind: {} for kind in RECORDS.values()}
    for frame in frames.values():
        if "person_id" in frame.columns:
            frame.insert(0, "pid", frame.pop("person_id").map(pids))
        for column, kind in RECORDS.items():
            if column in frame.columns:
                ids = frame[column].dropna().astype(int)
                known = numbers[kind]
                known.update({i: record_number(key, kind, i) for i in set(ids) - set(known)})
                frame[column] = frame[column].map(known).astype("Int64")
    for kind, known in [("person", pids), *numbers.items()]:
        if len(set(known.values())) < len(known):
            raise RuntimeError(f"Two {kind} records drew the same number; write the extract "
                               "again (a new key draws new numbers).")


def _anonymise(release: ReleaseTables, name: str, k: int,
               recorded: dict[str, pd.DataFrame] | None = None) -> None:
    """Make one table k-anonymous; count, per column, the rows shown less precisely than the
    ledger holds them (``recorded``: the values before the linkage rules, where they apply)."""
    rules = ANONYMITY[name]
    result = make_k_anonymous(release.tables[name], rules.ladders, k=k, plan=rules.plan,
                              slack=rules.slack)
    frame = result.frame
    coarsened = dict(result.coarsened)
    if recorded and name in recorded:
        before = recorded[name].reset_index(drop=True)
        for column in before.columns:
            coarsened[column] = int((frame[column].astype("string").fillna("\x00")
                                     != before[column].astype("string").fillna("\x00")).sum())
    for column in ("hardship",):
        if column in frame.columns:
            frame[column] = frame[column].astype("boolean")
    release.tables[name] = frame
    release.k_reached[name] = smallest_class(frame, list(rules.columns))
    release.coarsened[name] = coarsened
    release.suppressed[name] = result.suppressed


def _ordered(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    frame = frame.sort_values(ORDER[name], kind="stable", na_position="first")
    return frame[list(released(name))].reset_index(drop=True)
