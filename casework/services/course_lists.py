"""Lists of courses: those of the streets an account sees, and how many stand where on a day.
Read only; the use cases that change courses are in ``training``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from casework.access import Actor
from casework.db.models import Course, Enrolment
from casework.services import org
from casework.services.training import HOLDS_SEAT
from casework.services.uow import UnitOfWork


@dataclass(frozen=True)
class CourseRow:
    id: int
    title: str
    kind: str
    occupation: str
    start_date: dt.date
    end_date: dt.date
    hours: int
    capacity: int
    seats_taken: int
    waiting: int
    street_name_zh: str
    street_name_en: str
    version: int

    def street_name(self, lang: str) -> str:
        return self.street_name_zh if lang == "zh" else self.street_name_en


def list_courses(actor: Actor, uow: UnitOfWork) -> list[CourseRow]:
    """Courses of the streets the actor sees (or works under), newest start first."""
    with uow:
        streets = [s.id for s in org.streets_in_line(actor, uow.session)]
        taken = _count_by_course(uow, HOLDS_SEAT)
        waiting = _count_by_course(uow, ("waiting",))
        rows = uow.session.scalars(select(Course).where(Course.street_id.in_(streets))
                                   .order_by(Course.start_date.desc(), Course.id))
        return [CourseRow(c.id, c.title, c.kind, c.occupation, c.start_date, c.end_date, c.hours,
                          c.capacity, taken.get(c.id, 0), waiting.get(c.id, 0),
                          c.street.name_zh, c.street.name_en, c.version)
                for c in rows]


@dataclass(frozen=True)
class CourseCounts:
    """``list_courses``' courses by where they stand on a day."""

    open: int  # not yet started, with seats free
    starting_soon: int  # starting within the window given
    running: int  # started and not yet ended


def course_counts(actor: Actor, session: Session, *, today: dt.date, soon_days: int
                  ) -> CourseCounts:
    """Counted in one query in the caller's open transaction (an aggregate over the courses'
    seats taken, never a join to one, which a planner misjudging its size would rescan)."""
    streets = [s.id for s in org.streets_in_line(actor, session)]
    courses = (select(Course.start_date, Course.end_date, Course.capacity,
                      func.count(Enrolment.id).label("taken"))
               .outerjoin(Enrolment, (Enrolment.course_id == Course.id)
                          & Enrolment.status.in_(HOLDS_SEAT))
               .where(Course.street_id.in_(streets)).group_by(Course.id).subquery())
    soon = today + dt.timedelta(days=soon_days)
    started = courses.c.start_date <= today
    row = session.execute(select(
        _how_many(~started & (courses.c.capacity > courses.c.taken)),
        _how_many(~started & (courses.c.start_date <= soon)),
        _how_many(started & (courses.c.end_date >= today)))).one()
    return CourseCounts(*(int(n or 0) for n in row))

def _how_many(condition):
    return func.sum(case((condition, 1), else_=0))


def _count_by_course(uow: UnitOfWork, statuses: tuple[str, ...]) -> dict[int, int]:
    return dict(uow.session.execute(
        select(Enrolment.course_id, func.count(Enrolment.id))
        .where(Enrolment.status.in_(statuses)).group_by(Enrolment.course_id)).all())
