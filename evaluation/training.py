"""Training outcomes and effects, built from a research extract.

The comparison window: each jobseeker's *offer course* is the first course in their street that
starts after they registered. Trained people are those who completed a course; the comparison
group is registered jobseekers who never enrolled, observed over the window of their offer
course. Outcomes are read from the employment history at 3, 6 and 12 months after the course
ended, so trained and untrained are measured the same way.
"""

from __future__ import annotations

import pandas as pd

from casework.policy import JOBSEEKERS, load_policy
from casework.vocab import EDUCATION
from evaluation.extract import Extract

WORKING = ("employed", "flexible", "self_employed")
COVARIATES = ("age", "male", "education_years_rank", "months_unemployed", "prior_wage",
              "has_prior_wage", "hardship")
OUTCOMES = ("employed_3m", "employed_6m", "employed_12m", "wage_6m")


def training_frame(extract: Extract) -> pd.DataFrame:
    """One row per jobseeker with an offer course: treatment, covariates and outcomes.

    ``treat`` is 1 for those who completed their course and 0 for those who never enrolled;
    people who enrolled and dropped out are left out of both groups.
    """
    people = extract.persons
    people = people[people["category"].isin(JOBSEEKERS) & people["street"].notna()]
    frame = _within_working_age(_with_offer_course(people, extract.courses))
    frame = _with_treatment(frame, extract.enrolments, extract.courses)
    frame = frame[frame["treat"].notna()].copy()
    frame["treat"] = frame["treat"].astype(int)
    frame = _with_covariates(frame)
    return _with_outcomes(frame, extract.employment)


def _with_offer_course(people: pd.DataFrame, courses: pd.DataFrame) -> pd.DataFrame:
    merged = people.merge(courses[["course_id", "street", "start_date", "end_date"]],
                          on="street", how="inner")
    merged = merged[merged["start_date"] >= merged["registered_on"]]
    first = merged.sort_values(["pid", "start_date", "course_id"]).groupby("pid").head(1)
    return first.rename(columns={"course_id": "offer_course", "start_date": "offer_start",
                                 "end_date": "offer_end"})


def _within_working_age(frame: pd.DataFrame) -> pd.DataFrame:
    """Only people of working age when their offer course starts could have enrolled."""
    limits = load_policy()["working_age"]
    age = frame["age_at_registration"] + (
        frame["offer_start"] - frame["registered_on"]).dt.days / 365.25
    upper = frame["sex"].map({"M": limits["men_max_age"], "F": limits["women_max_age"]})
    return frame[(age >= limits["min_age"]) & (age < upper + 1)]


def _with_treatment(frame, enrolments, courses) -> pd.DataFrame:
    """Treatment from each person's first enrolment, whether or not it links to a course.

    ``course_id`` is a nullable integer: the extract leaves it missing where the person's
    street is withheld (such people never reach this frame, which needs the street). Whether
    someone enrolled is read from the enrolments alone, so a missing link can never turn an
    enrolled person into one who never enrolled; the course only gives the end date.
    """
    taken = enrolments.merge(courses[["course_id", "end_date"]], on="course_id", how="left")
    taken = taken.sort_values("applied_on").groupby("pid").head(1).set_index("pid")
    status = frame["pid"].map(taken["status"])
    frame = frame.assign(treat=status.map(lambda s: 1 if s == "completed" else None))
    frame.loc[status.isna(), "treat"] = 0
    # The trained are measured from the end of the course they took (left out if unknown).
    took = frame["pid"].map(taken["end_date"])
    frame.loc[(status == "completed") & took.isna(), "treat"] = None
    frame["window_end"] = took.where(status == "completed", frame["offer_end"])
    return frame


def _with_covariates(frame: pd.DataFrame) -> pd.DataFrame:
    born_years = frame["age_at_registration"]
    return frame.assign(
        age=born_years.astype(float),
        male=(frame["sex"] == "M").astype(float),
        education_years_rank=frame["education"].map({e: i for i, e in enumerate(EDUCATION)})
        .astype(float),
        months_unemployed=((frame["offer_start"] - frame["out_of_work_since"]).dt.days
                           / 30.44).fillna(0.0),
        has_prior_wage=frame["prior_wage"].notna().astype(float),
        prior_wage=frame["prior_wage"].fillna(0.0).astype(float),
        hardship=frame["hardship"].astype(float))


def _with_outcomes(frame: pd.DataFrame, employment: pd.DataFrame) -> pd.DataFrame:
    jobs = employment[employment["status"].isin(WORKING)][["pid", "since", "monthly_wage"]]
    jobs = jobs.merge(frame[["pid", "window_end"]], on="pid")
    for months in (3, 6, 12):
        cutoff = jobs["window_end"] + pd.DateOffset(months=months)
        started = jobs[jobs["since"] <= cutoff].sort_values("since").groupby("pid").last()
        frame[f"employed_{months}m"] = frame["pid"].isin(started.index).astype(float)
        if months == 6:
            wage = frame["pid"].map(started["monthly_wage"]).fillna(0.0)
            frame["wage_6m"] = wage.where(frame["employed_6m"] == 1, 0.0).astype(float)
    return frame.reset_index(drop=True)


def district_dummies(frame: pd.DataFrame, *, min_each: int = 5
                     ) -> tuple[pd.DataFrame, list[str]]:
    """Add one indicator per district but the first; returns the frame and their names.

    A district with fewer than ``min_each`` trained or untrained people gets no indicator of
    its own (it joins the reference group): alone it would separate the groups perfectly.
    """
    counts = pd.crosstab(frame["district"], frame["treat"]).reindex(columns=[0, 1], fill_value=0)
    usable = sorted(counts.index[(counts[0] >= min_each) & (counts[1] >= min_each)])
    dummies = pd.DataFrame({f"district_{d}": (frame["district"] == d).astype(float)
                            for d in usable[1:]}, index=frame.index)
    return pd.concat([frame, dummies], axis=1), list(dummies.columns)


def training_effect(extract: Extract, *, outcome: str = "employed_6m", method: str = "ipw",
                    trim: tuple[float, float] | None = (0.01, 0.99), n_boot: int = 200,
                    seed: int = 0):
    """The average effect of completing a course on the trained, against comparable
    registered jobseekers who never enrolled.

    Parameters
    ----------
    extract : Extract
        What ``evaluation.load_extract(DIR)`` returns.
    outcome : str
        One of ``employed_3m``, ``employed_6m``, ``employed_12m``, ``wage_6m``.
    method : str
        ``difference``, ``regression``, ``ipw`` or ``psm`` (see ``estimate_att``).

    Returns
    -------
    AttResults
        Estimate, standard error, confidence interval, group sizes and covariate balance.
    """
    from evaluation.att import estimate_att

    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}.")
    frame, districts = district_dummies(training_frame(extract))
    return estimate_att(frame, treatment="treat", outcome=outcome,
                        covariates=[*COVARIATES, *districts], method=method, trim=trim,
                        n_boot=n_boot, seed=seed)
