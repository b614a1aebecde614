"""What day it is for the casework: the real date, unless the database carries a clock.

The demo lives in the notice's own years (2002–2004): ``casework demo`` writes its as-of date
into the database (table ``app_setting``, key ``clock.today``), so that visits fall due, loans
go overdue and progress counts in the same era as the data. ``CASEWORK_TODAY`` (YYYY-MM-DD)
overrides both, for operators and tests. A database without a clock follows the calendar.
"""

from __future__ import annotations

import datetime as dt
import os

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

KEY = "clock.today"
_read: dict[str, dt.date | None] = {}


def today(engine: Engine | None = None) -> dt.date:
    """The casework's today: ``CASEWORK_TODAY``, else the database's clock, else the calendar."""
    fixed = os.environ.get("CASEWORK_TODAY")
    if fixed:
        return dt.date.fromisoformat(fixed)
    if engine is not None:
        key = str(engine.url)
        if key not in _read:
            _read[key] = _stored(engine)
        if _read[key] is not None:
            return _read[key]
    return dt.date.today()


def set_clock(session: Session, day: dt.date | None) -> None:
    """Fix the database's today at ``day`` (``None`` lets it follow the calendar again)."""
    from casework.db.models_notice import AppSetting

    row = session.get(AppSetting, KEY)
    if day is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(AppSetting(key=KEY, value=day.isoformat()))
    else:
        row.value = day.isoformat()
    forget(session.get_bind())


def forget(engine: Engine | None = None) -> None:
    """Read the clock again on next use (after a demo reset or a new seed)."""
    if engine is None:
        _read.clear()
    else:
        _read.pop(str(engine.url), None)


def _stored(engine: Engine) -> dt.date | None:
    from casework.db.models_notice import AppSetting

    try:
        with Session(engine) as session:
            value = session.scalar(select(AppSetting.value).where(AppSetting.key == KEY))
    except SQLAlchemyError:  # a database not yet migrated has no clock
        return None
    return dt.date.fromisoformat(value) if value else None
