"""Shared fixtures: every database test runs on SQLite and on PostgreSQL alike.

Each test gets a fresh, migrated database: a copy of an SQLite file, or a PostgreSQL database
created from a migrated template. Under CI=true a missing PostgreSQL server fails the tests;
elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid

import psycopg
import pytest
from sqlalchemy.engine import make_url

from casework.db import engine as db_engine
from casework.db import migrate

CI = os.environ.get("CI") == "true"
PG_URL = os.environ.get("CASEWORK_TEST_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
AS_OF = dt.date(2026, 11, 27)
DEMO_PERSONS = 80
TEMPLATE = f"casework_tpl_{os.getpid()}"


def _pg_admin():
    url = make_url(PG_URL)
    return psycopg.connect(host=url.host, port=url.port or 5432, user=url.username,
                           password=url.password, dbname=url.database, autocommit=True,
                           connect_timeout=5)


def _pg_url(database: str) -> str:
    return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)


def require_postgres() -> None:
    try:
        _pg_admin().close()
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL is not reachable at {PG_URL}: {exc}"
        if CI:
            pytest.fail(message)
        pytest.skip(message)


def _with_demo(url: str) -> None:
    """Fill a migrated database with the small demo data set (80 people, one account per role)."""
    from casework import demo
    from casework.services.uow import UnitOfWork

    demo.generate(UnitOfWork(url=url), persons=DEMO_PERSONS, seed=7, as_of=AS_OF)
    db_engine.get_engine(url).dispose()


def _sqlite_template(folder, *, with_demo: bool) -> str:
    path = folder / "template.db"
    migrate.upgrade(f"sqlite:///{path}")
    if with_demo:
        _with_demo(f"sqlite:///{path}")
    db_engine.get_engine(f"sqlite:///{path}").dispose()
    return str(path)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    return _sqlite_template(tmp_path_factory.mktemp("tpl"), with_demo=False)


@pytest.fixture(scope="session")
def sqlite_demo_template(tmp_path_factory) -> str:
    return _sqlite_template(tmp_path_factory.mktemp("tpl_demo"), with_demo=True)


def _pg_template(name: str, *, with_demo: bool):
    require_postgres()
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    migrate.upgrade(_pg_url(name))
    if with_demo:
        _with_demo(_pg_url(name))
    db_engine.get_engine(_pg_url(name)).dispose()
    yield name
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_template():
    yield from _pg_template(TEMPLATE, with_demo=False)


@pytest.fixture(scope="session")
def pg_demo_template():
    yield from _pg_template(f"{TEMPLATE}_demo", with_demo=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A fresh migrated database on each backend; for a test that asks for ``demo_db``, a copy
    of one that already holds the small demo (generated once per session, not per test)."""
    demo = "demo_db" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "casework.db"
        shutil.copy(request.getfixturevalue(
            "sqlite_demo_template" if demo else "sqlite_template"), path)
        url = f"sqlite:///{path}"
        yield url
        db_engine.get_engine(url).dispose()
        return
    template = request.getfixturevalue("pg_demo_template" if demo else "pg_template")
    name = f"casework_t_{uuid.uuid4().hex[:12]}"
    with _pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    url = _pg_url(name)
    yield url
    db_engine.get_engine(url).dispose()
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def uow(db_url):
    from casework.services.uow import UnitOfWork

    return UnitOfWork(url=db_url)


@pytest.fixture
def demo_db(uow):
    """A small demo data set (80 people) with one account per role; ``db_url`` copied it from
    a template, so each test still has its own."""
    return uow


@pytest.fixture
def actors(demo_db):
    """The demo accounts by role: ``actors['community_worker']`` and so on."""
    from casework.access import ROLES
    from casework.services import org

    return {role: org.load_actor(demo_db, f"demo-{role.replace('_', '-')}") for role in ROLES}
