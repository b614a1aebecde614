"""Unit of work: one session, one transaction, committed once by the service function."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from casework import clock
from casework.db.engine import session_factory


class UnitOfWork:
    """``with uow: ... uow.commit()``; leaving without commit rolls back."""

    session: Session

    def __init__(self, factory: sessionmaker[Session] | None = None, *, url: str | None = None):
        self._factory = factory or session_factory(url)

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        return self

    def __exit__(self, *exc_info) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def today(self) -> dt.date:
        """The casework's today on this database (see ``casework.clock``)."""
        return clock.today(self._factory.kw["bind"])

    def fresh(self) -> UnitOfWork:
        """Another unit of work on the same database, for a record that must outlive a rollback."""
        return UnitOfWork(self._factory)
