"""Closing the ways the other tables of an extract would give back what k-anonymity took out
of ``persons``.

Placements, subsidies and loans would name the street and district of the investing unit or
the person, and placements the hardship flag; enrolments would name a course, and a course row
names its street (people take courses in their own street). So, for a person whose street was
withheld, those streets go (and districts and flags likewise), and so does anything that ties
their enrolments to one course: the course number, the months and hours that echo the
course's, and the subject and kind where only one street of the district offers them.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from casework.policy import add_months, load_policy
from evaluation import periods

# Columns of other tables that repeat a quasi-identifier of the person in persons.
GIVEN_BACK = {"placements": ("street", "district", "hardship"),
              "subsidies": ("street", "district")}


def withhold_given_back(frames: dict[str, pd.DataFrame]) -> None:
    """Loans take the person's street and district as made k-anonymous; placements and
    subsidies lose their street (district, hardship flag) where persons withholds the
    person's."""
    persons = frames["persons"].set_index("pid")
    for name, columns in GIVEN_BACK.items():
        frame = frames[name]
        for column in columns:
            withheld = set(persons.index[persons[column].isna()])
            frame[column] = frame[column].astype("object")
            frame.loc[frame["pid"].isin(withheld), column] = None
    loans = frames["loans"]
    loans["street"] = loans["pid"].map(persons["street"]).astype("object")
    loans["district"] = loans["pid"].map(persons["district"]).astype("object")


# What an enrolment of a person with a withheld street may still show of its course's subject,
# and among how many streets at least what it shows must leave a reader.
MIN_STREETS = 2
SUBJECT_LEVELS = (("occupation", "kind"), ("kind",), ())
# Enrolment and follow-up columns that repeat a course's months or hours, so could pick it out.
COURSE_ECHOES = {"enrolments": ("applied_month", "completed_month", "dropped_month",
                                "hours_attended"),
                 "follow_ups": ("due_month", "recorded_month")}


def unlink_courses(frames: dict[str, pd.DataFrame], today: dt.date) -> tuple[int, int]:
    """Leave nothing that ties the enrolments of a person whose street is withheld to a course.

    People take courses in their own street and a course row names its street, so for them
    ``course_id`` is set to missing, and so are the columns that echo the course's months and
    hours (``COURSE_ECHOES``): joined to ``courses`` they would pick the course out just as well.
    The course's occupation and kind stay where they leave at least ``MIN_STREETS`` streets of
    the person's district to choose from; else the occupation goes, or both (``_subject_levels``),
    and so does the ``job_field`` of the enrolment's follow-ups, which usually repeats the
    subject. Returns how many enrolments were unlinked and how many lost their occupation.
    """
    persons = frames["persons"].set_index("pid")
    withheld = persons.index[persons["street"].isna()]
    enrolments, follow_ups = frames["enrolments"], frames["follow_ups"]
    enrolments["course_id"] = enrolments["course_id"].astype("Int64")
    theirs = enrolments["pid"].isin(withheld)
    levels = _subject_levels(enrolments[theirs], frames["courses"], persons["district"],
                             follow_ups, today)
    level = enrolments["enrolment_id"].map(levels)
    for depth, columns in enumerate(SUBJECT_LEVELS):
        for column in set(SUBJECT_LEVELS[0]) - set(columns):
            enrolments[column] = enrolments[column].astype("object")
            enrolments.loc[level == depth, column] = None
    no_subject = set(enrolments.loc[level > 0, "enrolment_id"])
    follow_ups["job_field"] = follow_ups["job_field"].astype("object")
    follow_ups.loc[follow_ups["enrolment_id"].isin(no_subject), "job_field"] = None
    enrolments.loc[theirs, "course_id"] = pd.NA
    for name, columns in COURSE_ECHOES.items():
        frame = frames[name]
        for column in columns:
            frame[column] = frame[column].astype("float" if column == "hours_attended"
                                                 else "object")
            frame.loc[frame["pid"].isin(withheld), column] = None
    return int(theirs.sum()), len(no_subject)


def _subject_levels(enrolments: pd.DataFrame, courses: pd.DataFrame, district: pd.Series,
                    follow_ups: pd.DataFrame, today: dt.date) -> dict[int, int]:
    """For each enrolment given, how much of ``SUBJECT_LEVELS`` it may show (0: occupation and
    kind, 1: kind only, 2: neither).

    An enrolment could be any course in its *pool*: the courses of the person's district that
    fit its status on ``today`` and the follow-ups recorded, all of which a reader can see. The
    level of a course depends only on its subject and kind within that pool (``_pool_levels``),
    so a reader who knows this rule, and sees what an enrolment shows and how much, is still
    left with courses of at least two streets. A person's courses are taken to lie in their
    street; where the streets left by their enrolments together come to fewer than two, all of
    them show neither.
    """
    early = dt.timedelta(days=load_policy()["training"]["follow_up_early_days"])
    recorded = follow_ups[follow_ups["recorded_month"].notna()].groupby("enrolment_id")[
        "months"].max()
    this_month = periods.month_text(today)
    course = courses.set_index("course_id")
    last = len(SUBJECT_LEVELS) - 1
    levels: dict[int, int] = {}
    for pid, rows in enrolments.groupby("pid"):
        mine, streets = {}, []
        for row in rows.itertuples():
            true = course.loc[row.course_id]
            pool = courses[courses["district"] == district.get(pid)]
            if true["street"] not in set(pool["street"]):  # a course outside their district
                pool = courses
            fits = pd.Series(True, index=pool.index)
            if row.status in ("enrolled", "completed", "dropped"):
                fits &= pool["start_month"] <= this_month
            if row.status == "completed":
                fits &= pool["end_month"] <= this_month
            if row.enrolment_id in recorded.index:  # recorded no earlier than due, less early
                months = int(recorded[row.enrolment_id])
                # A reader sees the end month only, so a course fits unless even the first
                # day of that month would have made the follow-up due too late.
                fits &= pd.Series([add_months(periods.first_day(end), months) - early <= today
                                   for end in pool["end_month"]], index=pool.index, dtype=bool)
            if fits[pool["course_id"] == row.course_id].all():  # else the data contradict it
                pool = pool[fits]
            of_pool = _pool_levels(pool)
            level = of_pool[(true["occupation"], true["kind"])]
            alike = pd.Series([of_pool[g] == level for g in zip(
                pool["occupation"], pool["kind"], strict=True)], index=pool.index, dtype=bool)
            for column in SUBJECT_LEVELS[level]:
                alike &= pool[column] == true[column]
            mine[row.enrolment_id] = level
            streets.append(set(pool.loc[alike, "street"]))
        if len(set.intersection(*streets)) < MIN_STREETS:
            mine = dict.fromkeys(mine, last)
        levels |= mine
    return levels


def _pool_levels(pool: pd.DataFrame) -> dict[tuple[str, str], int]:
    """The level of each (occupation, kind) in a pool of courses, such that the courses of any
    one level showing any one value lie in at least two streets (if the pool's do).

    A subject and kind run by two streets or more shows both. The others show their kind if
    the rare subjects of that kind lie in two streets or more together, else nothing; and if
    what shows nothing lies in a single street, the kinds (then the subjects) with the fewest
    courses are added to it until it does not.
    """
    streets = pool.groupby(["occupation", "kind"])["street"].agg(set)
    sizes = pool.groupby(["occupation", "kind"]).size()
    rare = [g for g, s in streets.items() if len(s) < MIN_STREETS]
    of_kind: dict[str, set] = {}
    for occupation, kind in rare:
        of_kind.setdefault(kind, set()).update(streets[(occupation, kind)])
    level = dict.fromkeys(streets.index, 0)
    for g in rare:
        level[g] = 1 if len(of_kind[g[1]]) >= MIN_STREETS else 2
    groups = [[g for g in rare if g[1] == kind and level[g] == 1]
              for kind in sorted({g[1] for g in rare if level[g] == 1})]
    groups += [[g] for g in streets.index if level[g] == 0]
    groups.sort(key=lambda group: (level[group[0]] == 0, sum(sizes[g] for g in group), group))
    hidden = set().union(*(streets[g] for g in level if level[g] == 2))
    for group in groups:
        if not hidden or len(hidden) >= MIN_STREETS:
            break
        for g in group:
            level[g] = 2
            hidden |= streets[g]
    return level
