"""A street of more than 5,000 people, inserted in bulk (SQLAlchemy Core), for the tests that
prove a picker finds someone older than the 5,000 newest in scope."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select

from casework.db.models import Person
from casework.ids import make_resident_id

CROWD = 5_050
OLDEST_NAME = "令狐冲"


def fill_street(uow, community_id: int, *, crowd: int = CROWD) -> int:
    """The oldest eligible (laid-off) person, then ``crowd`` newer laid-off people, all in one
    community; returns the oldest one's id."""
    row = {"sex": "M", "community_id": community_id, "category": "laid_off",
           "registered_on": dt.date(2003, 1, 6), "version": 1, "skills": []}
    born = dt.date(1961, 3, 3)
    with uow:
        uow.session.execute(insert(Person), [row | {
            "name": OLDEST_NAME, "birth_date": born,
            "id_number": make_resident_id("320706", born, 1, "M")}])
        oldest = uow.session.scalar(select(Person.id).where(Person.name == OLDEST_NAME))
        uow.session.execute(insert(Person), [row | _newer(n) for n in range(crowd)])
        uow.commit()
    return oldest


def _newer(n: int) -> dict:
    born = dt.date(1962, 1, 1) + dt.timedelta(days=n // 400)
    return {"name": f"张{n}", "birth_date": born,
            "id_number": make_resident_id("320707", born, n % 400, "M")}
