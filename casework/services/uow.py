"""Unit of work: one session, one transaction, committed once by the service function."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from casework import clock, validation_guard  # noqa: F401  (importing it guards every flush)
from casework.db.engine import session_factory, writer
from casework.errors import NestedUnitOfWork


class UnitOfWork:
    """``with uow: ... uow.commit()``; leaving without commit rolls back.

    A unit of work cannot be entered again while it is open: the inner ``with`` would replace
    the session and close it on exit, and the outer commit would then save nothing. A helper
    that works inside an open transaction takes ``uow.session`` (or the open ``uow``) and does
    not enter it; one use case never calls another.
    """

    session: Session

    def __init__(self, factory: sessionmaker[Session] | None = None, *, url: str | None = None):
        self._factory = factory or session_factory(url)
        self._open = False

    def __enter__(self) -> UnitOfWork:
        if self._open:
            raise NestedUnitOfWork()
        self.session = self._factory(bind=writer(self._factory.kw["bind"]))
        self._open = True
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            self.session.rollback()
            self.session.close()
        finally:
            self._open = False

    def commit(self) -> None:
        self.session.commit()

    def today(self) -> dt.date:
        """The casework's today on this database (see ``casework.clock``)."""
        return clock.today(self._factory.kw["bind"])

    def fresh(self) -> UnitOfWork:
        """Another unit of work on the same database, for a refusal that must be recorded
        although this one is about to fail.

        This one is rolled back first, when open: every caller raises right after, and on
        SQLite the new transaction would otherwise wait for this one's write lock, which is
        never released while the caller waits.
        """
        if self._open:
            self.session.rollback()
        return UnitOfWork(self._factory)
