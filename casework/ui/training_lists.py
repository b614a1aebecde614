"""The training app's two lists: the courses (with where each stands today) and one course's
enrolments, in the shared status colours.

A course not yet begun is upcoming (muted), one under way is due (amber: it is being taught),
one ended is done (green). An enrolment offered a seat is due (an answer is awaited), a
completed one is done, a dropped or declined one is refused (grey); waiting or enrolled people
are upcoming, as nothing is asked of anyone yet."""

from __future__ import annotations

import datetime as dt
import html

from casework import vocab
from casework.services import training
from casework.services.course_lists import CourseRow
from casework.ui import format as fmt
from casework.ui.common import state_badge, table_html
from casework.ui.shell import AppContext

ENROLMENT_STATES = {"offered": "due", "completed": "done", "dropped": "refused",
                    "declined": "refused"}
COURSE_STATES = {"not_started": "upcoming", "running": "due", "ended": "done"}


def name_of(row) -> str:
    return row.name or f"#{getattr(row, 'person_id', row.id)}"


def course_stage(course: CourseRow, today: dt.date) -> str:
    """``not_started``, ``running`` or ``ended`` on ``today``."""
    if today < course.start_date:
        return "not_started"
    return "running" if today <= course.end_date else "ended"


def courses_html(ctx: AppContext, courses: list[CourseRow], today: dt.date) -> str:
    t, lang = ctx.t, ctx.lang
    if not courses:
        return f"<p>{html.escape(t('training_ui.no_courses'))}</p>"

    def row(c: CourseRow) -> str:
        stage = course_stage(c, today)
        badge = state_badge(ctx, COURSE_STATES[stage], t(f"look_apps.course_stage.{stage}"))
        return (f'<tr class="cw-course cw-course-{stage}" data-course="{c.id}">'
                f"<td>{html.escape(c.title)}</td>"
                f"<td>{html.escape(vocab.label('course_kind', c.kind, lang))}</td>"
                f"<td>{html.escape(c.street_name(lang))}</td>"
                f"<td>{fmt.date(c.start_date, lang)} – {fmt.date(c.end_date, lang)}</td>"
                f"<td>{badge}</td>"
                f"<td>{fmt.number(c.seats_taken)}/{fmt.number(c.capacity)}</td>"
                f"<td>{fmt.number(c.waiting)}</td></tr>")

    heads = _heads(t, ("title", "kind", "street", "dates"))
    heads["stage"] = t("look_apps.col.course_stage")
    heads.update(_heads(t, ("seats", "waiting")))
    return table_html(heads, "".join(row(c) for c in courses), max_height="14em")


def enrolments_html(ctx: AppContext, rows: list[training.EnrolmentRow]) -> str:
    t = ctx.t

    def row(r: training.EnrolmentRow) -> str:
        status = state_badge(ctx, ENROLMENT_STATES.get(r.status, "upcoming"),
                             t(f"training.status.{r.status}"))
        hours = fmt.number(r.hours, digits=0 if float(r.hours).is_integer() else 1)
        return (f'<tr class="cw-enrolment cw-enrolment-{r.status}" data-enrolment="{r.id}">'
                f"<td>{html.escape(name_of(r))}</td><td>{status}</td>"
                f"<td>{r.position or ''}</td><td>{hours}</td></tr>")

    body = "".join(row(r) for r in rows)
    return table_html(_heads(t, ("name", "status", "position", "hours")), body,
                      max_height="14em")


def _heads(t, columns: tuple[str, ...]) -> dict[str, str]:
    return {c: t("training_ui.col." + c) for c in columns}
