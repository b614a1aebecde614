"""The analysis frame of the training evaluation, built by course start so it never uses the
future.

Every course defines a *cohort* on the month it starts (the offer date). The people at risk are
the registered jobseekers of the course's street who, on that date, are registered, within
working age, out of work (not in work at the end of the month before) and not trained before.
Those who enrolled in the course are the treated; the others at risk are its comparison
group, whatever they do later (someone who enrols in a later course is a control here and
treated there). A person may therefore appear in several cohorts; standard errors cluster on
the person.

Two estimands: the effect of *enrolling* (intention to treat: dropouts stay treated, whatever
their reason) and the effect of *completing* (dropouts leave the cohort; since completers are
people who found no job while the course ran, controls who began a job in those months leave
it too). Covariates are measured at the course start (:mod:`evaluation.covariates`); outcomes
at the end of the 3rd, 6th and 12th month after the month the course ended, for treated and
controls alike (:mod:`evaluation.spells`). Everyone the frame cannot use is counted in
``left_out`` with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from casework.policy import JOBSEEKERS, load_policy
from evaluation import cohorts, periods
from evaluation.covariates import (
    BASE_COVARIATES,
    WITHHOLDABLE,
    band_mid,
    per_value,
    varying,
    with_covariates,
    with_dummies,
)
from evaluation.hierarchies import JOBSEEKER
from evaluation.spells import month_ints, work_spells

ESTIMANDS = {"enrolled": "enrolling in a first course (intention to treat: dropouts stay "
                         "treated)",
             "completed": "completing a first course, against people who began no job while "
                          "it ran either (dropouts are left out)"}
STARTED = ("enrolled", "completed", "dropped")
HORIZONS = (3, 6, 12)
OUTCOMES = tuple(f"{kind}_{h}m" for h in HORIZONS for kind in ("employed", "wage"))
PLACEBO = "worked_before_course"


@dataclass(frozen=True)
class TrainingDesign:
    """The frame (one row per person and course at that course's start), its covariates, the
    estimand and who was left out."""

    frame: pd.DataFrame
    covariates: tuple[str, ...]
    estimand: str
    left_out: pd.DataFrame

    @property
    def label(self) -> str:
        """The treatment in words."""
        return ESTIMANDS[self.estimand]


def training_design(extract, *, estimand: str = "enrolled", min_each: int = 5
                    ) -> TrainingDesign:
    """Build the cohorts, covariates and outcomes of the training evaluation.

    Parameters
    ----------
    extract : Extract
        What ``evaluation.load_extract(DIR)`` returns.
    estimand : {"enrolled", "completed"}
        ``enrolled``: the treated are all who enrolled (intention to treat); ``completed``: only
        those who completed, dropouts left out.
    min_each : int
        A district or start year gets its own indicator only with this many treated and
        controls (alone it would separate the groups).

    Returns
    -------
    TrainingDesign
        ``frame`` with ``treat``, the covariates, the outcomes ``employed_3m`` … ``wage_12m``
        (missing where not yet observed) and the placebo ``worked_before_course``; ``left_out``
        counts the people (and enrolments) the frame cannot use: one row per reason code, with
        a ``description`` and a ``count``.
    """
    if estimand not in ESTIMANDS:
        raise ValueError(f"estimand must be one of {', '.join(ESTIMANDS)}, not {estimand!r}.")
    persons, left = _usable_people(extract.persons)
    spells = _coded(work_spells(extract.employment), persons)
    courses = _courses(extract.courses)
    pairs = _pairs(persons, courses)
    pairs, cut = _at_risk(pairs, persons, courses, extract.enrolments, spells, estimand)
    left += _unplaced(persons, pairs, cut)
    left += _enrolments_left_out(extract.enrolments, pairs)
    facts = cohorts.outcome_facts(pairs["_prow"].to_numpy(), pairs["start"].to_numpy(),
                                  pairs["end"].to_numpy(), spells, HORIZONS)
    pairs = with_covariates(pairs, facts["last_work_end"])
    pairs = _with_outcomes(pairs, facts, _last_observed(extract.manifest))
    frame, dummies = with_dummies(pairs, min_each)
    dummies = [*varying(frame, ["registration_uncertain", "first_offer",
                                 *(f"{n}_withheld" for n in WITHHOLDABLE)]), *dummies]
    left_out = pd.DataFrame(left, columns=["reason", "description", "count"]).set_index("reason")
    return TrainingDesign(frame, (*BASE_COVARIATES, *dummies), estimand, left_out)


def _usable_people(persons: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple]]:
    suppressed = persons["category"].isna()
    seekers = persons[persons["category"].isin((*JOBSEEKERS, JOBSEEKER))]
    no_street = seekers["street"].isna()
    no_registration = ~no_street & seekers["registered_month"].isna()
    left = [("suppressed", "quasi-identifiers suppressed for anonymity (not known to be a "
             "jobseeker)", int(suppressed.sum())),
            ("street_withheld", "jobseekers whose street the extract withholds (their courses "
             "are unknown)", int(no_street.sum())),
            ("registration_withheld", "jobseekers whose registration month the extract "
             "withholds (not known to be registered when any course began)",
             int(no_registration.sum()))]
    people = seekers[~no_street & ~no_registration].copy()
    people["reg_first"], people["reg_last"] = _month_bounds(people["registered_month"])
    people["out_mid"] = _out_of_work_began(people)
    return people, left


def _month_bounds(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    first, last = periods.bounds(column)
    return (periods.month_number(first).astype("Float64").to_numpy(dtype=float, na_value=np.nan),
            periods.month_number(last).astype("Float64").to_numpy(dtype=float, na_value=np.nan))


def _courses(courses: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "course_id": courses["course_id"].to_numpy(), "street": courses["street"].to_numpy(),
        "kind": courses["kind"].to_numpy(), "occupation": courses["occupation"].to_numpy(),
        "start": month_ints(courses["start_month"], missing=-1),
        "end": month_ints(courses["end_month"], missing=-1),
        "cost_per_trainee": pd.to_numeric(courses["cost_per_trainee"]).to_numpy(dtype=float)})


def _coded(spells: pd.DataFrame, persons: pd.DataFrame) -> pd.DataFrame:
    """The work spells of the usable people, each with its person's row (``prow``)."""
    prow = cohorts.person_rows(persons, spells["pid"])
    return spells.assign(prow=prow)[prow >= 0].reset_index(drop=True)


def _pairs(persons: pd.DataFrame, courses: pd.DataFrame) -> pd.DataFrame:
    """Each person with each course of their street they may have been registered for.

    Where the extract coarsened the registration to a quarter or a year that the course start
    falls in, the person may or may not have been registered then: they are kept, marked
    ``registration_uncertain`` (a covariate, so the two groups are compared alike on it).
    The rows of the person and the course (``_prow``, ``_crow``) go with the pair until the
    frame is done.
    """
    prow, crow = cohorts.pair_rows(persons, courses)
    pairs = pd.concat([persons.take(prow).reset_index(drop=True),
                       courses.drop(columns="street").take(crow).reset_index(drop=True)],
                      axis=1)
    # Columns set in place (assign would copy the million pairs each time).
    pairs["_prow"], pairs["_crow"] = prow, crow
    pairs["registration_uncertain"] = (pairs["reg_last"] > pairs["start"]).astype(float)
    pairs["first_offer"] = _first_offer(pairs, courses)
    return pairs


def _first_offer(pairs: pd.DataFrame, courses: pd.DataFrame) -> np.ndarray:
    """1 where no other course of the street began after the person's registration month (the
    middle of its period) and before this course: the first course they could have taken."""
    first = np.ones(len(pairs))
    reg_mid = ((pairs["reg_first"] + pairs["reg_last"]) / 2).to_numpy()
    for street, rows in pd.Series(np.arange(len(pairs))).groupby(pairs["street"].to_numpy()):
        starts = np.sort(courses.loc[courses["street"] == street, "start"].to_numpy())
        at = rows.to_numpy()
        # A course begun in the registration month itself may have come before the day: only
        # those of later months count as earlier offers.
        earlier = (np.searchsorted(starts, pairs["start"].to_numpy()[at], side="left")
                   - np.searchsorted(starts, reg_mid[at], side="right"))
        first[at] = (earlier <= 0).astype(float)
    return first


def _at_risk(pairs: pd.DataFrame, persons: pd.DataFrame, courses: pd.DataFrame,
             enrolments: pd.DataFrame, spells: pd.DataFrame, estimand: str
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the pairs at risk on the course's start; set ``treat``. Also return what was cut."""
    status, others = started_status(pairs, persons, courses, enrolments)
    pairs["status"], pairs["treat"] = status, pd.notna(status).astype(int)
    facts = cohorts.at_risk_facts(
        pairs["_prow"].to_numpy(), pairs["_crow"].to_numpy(), pairs["start"].to_numpy(),
        pairs["end"].to_numpy(), spells, others)
    limits = load_policy()["working_age"]
    upper = pairs["sex"].map({"M": limits["men_max_age"]}).fillna(limits["women_max_age"])
    youngest = _band_low(pairs["age_band"]) + (pairs["start"] - pairs["reg_last"]) / 12
    cut = {"above working age": youngest > upper,
           "in work at the course start": facts["in_work"],
           "trained before, or in another course at its start": facts["trained_before"]}
    if estimand == "completed":
        cut["enrolled but did not complete"] = pairs["treat"].eq(1) & (status != "completed")
        # Completers found no job while the course ran; so must the controls.
        cut["began a job while the course ran"] = facts["job_during"]
    drop = np.zeros(len(pairs), dtype=bool)
    for mask in cut.values():
        drop |= np.asarray(mask, dtype=bool)
    return pairs[~drop].reset_index(drop=True), pairs[drop]


def started_status(pairs: pd.DataFrame, persons: pd.DataFrame, courses: pd.DataFrame,
                   enrolments: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """The status of the person's enrolment in the pair's course (None: did not enrol), and
    every course a person of the pairs began that is a course of some pair (``prow``,
    ``crow``, ``start``): what makes someone trained before a later course."""
    started = enrolments[enrolments["status"].isin(STARTED) & enrolments["course_id"].notna()]
    started = started.drop_duplicates(["pid", "course_id"])
    prow = cohorts.person_rows(persons, started["pid"])
    crow = pd.Index(courses["course_id"]).get_indexer(started["course_id"])
    known = (prow >= 0) & (crow >= 0)
    keys = pd.Index(prow[known] * len(courses) + crow[known])
    found = keys.get_indexer(pairs["_prow"].to_numpy() * len(courses) + pairs["_crow"])
    status = np.where(found >= 0, started["status"].to_numpy()[known][found], None)
    other = known & np.isin(crow, pairs["_crow"].unique())
    return status, pd.DataFrame({"prow": prow[other], "crow": crow[other],
                                 "start": courses["start"].to_numpy()[crow[other]]})


def _band_low(band: pd.Series) -> pd.Series:
    return per_value(
        band, lambda b: float(re.match(r"\d+", b).group()) if isinstance(b, str) else np.nan)


def _out_of_work_began(people: pd.DataFrame) -> np.ndarray:
    """The month (as an integer, middle of what is known) the person's time out of work began:
    registration less ``months_out_at_registration``."""
    before = band_mid(people["months_out_at_registration"], open_end=6).to_numpy(float)
    return (people["reg_first"] + people["reg_last"]).to_numpy(float) / 2 - before


def _unplaced(persons, pairs, cut) -> list[tuple]:
    """People with a street who are in no cohort, by the first reason that applies."""
    rest = np.ones(len(persons), dtype=bool)
    rest[pairs["_prow"].to_numpy()] = False
    cut_at = np.zeros(len(persons), dtype=bool)
    cut_at[cut["_prow"].to_numpy()] = True
    return [("never_at_risk", "at no course start of working age, out of work and untrained "
             "(for the effect of completing: also finding no job while it ran)",
             int((rest & cut_at).sum())),
            ("no_course", "no course in their street began after they registered",
             int((rest & ~cut_at).sum()))]


def _enrolments_left_out(enrolments: pd.DataFrame, pairs: pd.DataFrame) -> list[tuple]:
    started = enrolments[enrolments["status"].isin(STARTED)]
    linked = started["course_id"].notna()
    kept = pd.MultiIndex.from_arrays([pairs["pid"], pairs["course_id"]])
    outside = ~pd.MultiIndex.from_arrays([started.loc[linked, "pid"],
                                          started.loc[linked, "course_id"]]).isin(kept)
    return [("enrolments_unlinked", "enrolments without a course link (street withheld)",
             int((~linked).sum())),
            ("enrolments_outside", "enrolments outside the frame (not at risk on the course "
             "start by the data, or not completed for that estimand)", int(sum(outside)))]


def _last_observed(manifest: dict) -> int:
    """The last month whose end the extract has seen."""
    as_of = pd.Timestamp(manifest["as_of"])
    month = as_of.year * 12 + as_of.month - 1
    return month if as_of.is_month_end else month - 1


def _with_outcomes(pairs: pd.DataFrame, facts: dict[str, np.ndarray], last_seen: int
                   ) -> pd.DataFrame:
    """The outcomes (``cohorts.outcome_facts``), missing where the month is not yet seen, and
    the placebo: 1 where the person began a job after registering and before the course's
    start month (it had ended by then, since they are out of work at its start), a
    pre-programme outcome the course cannot have caused. Work before registration is not in
    the extract (such a spell has no start month), so it does not count, for treated and
    controls alike."""
    for months in HORIZONS:
        seen = pairs["end"] + months <= last_seen
        pairs[f"employed_{months}m"] = pd.Series(
            facts[f"in_work_{months}"]).astype(float).where(seen)
        pairs[f"wage_{months}m"] = pd.Series(facts[f"wage_{months}"]).where(seen)
    pairs[PLACEBO] = facts["worked_before"].astype(float)
    pairs["person"] = pd.factorize(pairs["pid"])[0]
    return pairs.drop(columns=["_prow", "_crow"])
