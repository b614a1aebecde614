"""Engine and session factory: SQLite gets WAL, foreign keys, a busy timeout and BEGIN IMMEDIATE
for units of work; PostgreSQL uses psycopg 3."""

from __future__ import annotations

import random
import time
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from casework import settings
from casework.errors import DatabaseBusy


def normalise_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here, never psycopg2."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def display_url(url: str | None = None) -> str:
    """The database URL as it may be shown to a user: the password hidden."""
    return make_url(normalise_url(url or settings.database_url())).render_as_string(
        hide_password=True)


def get_engine(url: str | None = None) -> Engine:
    """One engine per URL; the default URL is read from the environment on every call."""
    return _engine(normalise_url(url or settings.database_url()))


@cache
def _engine(url: str) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True)


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


# SQLite has one writer at a time. A deferred transaction that reads and then writes fails at
# once with "database is locked" (SQLITE_BUSY_SNAPSHOT) when another writer committed since it
# read: waiting cannot help, only re-running the whole use case. So, following SQLAlchemy's
# recipe ("Using SQLAlchemy to emit BEGIN in lieu of SQLite's transaction control"), the driver
# emits no BEGIN of its own and the "begin" event emits it: BEGIN IMMEDIATE for a unit of
# work, which takes the write lock before the use case reads anything, so neither its writes
# nor its commit can meet a lock. Waiting for the lock is bounded (busy_timeout, and a few
# retries with backoff), and then ends in DatabaseBusy, which the forms show in the user's
# language. Units of work that only read take the lock too: nothing marks a use case as
# read-only, and one wrongly marked would meet SQLITE_BUSY_SNAPSHOT on its first write. They
# are short (measured on the 2,000-person demo, 2 busy cores: the ledger list 10-30 ms, the
# hardship visit schedule 80-200 ms; BEGIN IMMEDIATE itself adds under 0.1 ms), and WAL lets
# every other reader go on meanwhile.
# Other transactions (Alembic, the clock's read) begin with a plain BEGIN, which in WAL mode
# never waits for a writer; without the driver's BEGIN, Alembic's DDL is transactional too.
BUSY_TIMEOUT_S = 5.0
BEGIN_ATTEMPTS = 4
BACKOFF_S = 0.05
WRITE = {"sqlite_begin": "IMMEDIATE"}


def _sqlite_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    cursor.close()
    dbapi_connection.isolation_level = None  # BEGIN comes from _sqlite_begin


def _sqlite_begin(conn: Connection) -> None:
    if conn.get_execution_options().get("sqlite_begin") != "IMMEDIATE":
        conn.exec_driver_sql("BEGIN")
        return
    for attempt in range(BEGIN_ATTEMPTS):
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            if not is_locked(exc):
                raise
            if attempt + 1 < BEGIN_ATTEMPTS:
                time.sleep(BACKOFF_S * 2 ** attempt * (1 + random.random()))
    raise DatabaseBusy(seconds=round(BEGIN_ATTEMPTS * BUSY_TIMEOUT_S))


def is_locked(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's "database is locked" (or "... table is locked")."""
    return "is locked" in str(getattr(exc, "orig", exc))


@cache
def writer(engine: Engine) -> Engine:
    """``engine`` as a unit of work uses it: on SQLite its transactions begin IMMEDIATE."""
    return engine.execution_options(**WRITE)


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(url), expire_on_commit=False)
