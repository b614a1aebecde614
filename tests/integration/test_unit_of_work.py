"""The unit of work on both databases: it refuses to be entered while open (the trap where an
inner ``with`` closed the outer session and the outer commit saved nothing), and on SQLite a
save that cannot get the write lock in time tells the user the database is busy, never
"database is locked"."""

from __future__ import annotations

import shutil
import sqlite3
import threading

import pytest
from sqlalchemy import func, select

from casework.db import engine as db_engine
from casework.db.models import OrgUnit, Person
from casework.errors import CaseworkError, DatabaseBusy, NestedUnitOfWork
from casework.services import org, persons
from casework.services.uow import UnitOfWork
from tests.integration.helpers import count
from tests.integration.test_job_services import register


def test_entering_an_open_unit_of_work_again_raises_and_says_what_to_do(uow):
    with uow, pytest.raises(NestedUnitOfWork) as caught, uow:
        pass

    assert str(caught.value).startswith("This unit of work is already open")
    assert "Pass the open session (uow.session) to the helper" in str(caught.value)
    assert not isinstance(caught.value, CaseworkError)  # a programming error, not a user's


def test_a_refused_nested_entry_leaves_the_outer_transaction_able_to_commit(uow):
    with uow:
        uow.session.add(OrgUnit(code="T01", level="city", name_zh="测试市", name_en="Test City",
                                path="/T01/"))
        with pytest.raises(NestedUnitOfWork), uow:
            pass
        uow.commit()

    assert count(uow, OrgUnit) == 1


def test_a_use_case_called_inside_an_open_unit_of_work_raises_and_saves_nothing(
        demo_db, worker):
    before = count(demo_db, Person)

    with demo_db, pytest.raises(NestedUnitOfWork):
        register(worker, demo_db, 5)

    assert count(demo_db, Person) == before


def test_a_unit_of_work_may_be_used_again_once_closed(demo_db, worker):
    person_id = register(worker, demo_db, 6)

    with demo_db:
        pass
    read = persons.get_person(worker, demo_db, person_id=person_id)

    assert (read.values["id"], read.version) == (person_id, 1)


@pytest.fixture
def sqlite_url(sqlite_demo_template, tmp_path, monkeypatch):
    """A copy of the SQLite demo, its connections waiting at most 0.2 s at a time for a lock."""
    path = tmp_path / "busy.db"
    shutil.copy(sqlite_demo_template, path)
    monkeypatch.setattr(db_engine, "BUSY_TIMEOUT_S", 0.2)
    url = f"sqlite:///{path}"
    yield url
    db_engine.get_engine(url).dispose()


def test_on_sqlite_a_save_that_waits_too_long_for_the_write_lock_says_the_database_is_busy(
        sqlite_url, tmp_path):
    uow = UnitOfWork(url=sqlite_url)
    worker = org.load_actor(uow, "demo-community-worker")
    before = count(uow, Person)
    other = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # someone else's long save holds the write lock

    try:
        with pytest.raises(DatabaseBusy) as caught:
            register(worker, uow, 7)
    finally:
        other.execute("ROLLBACK")
        other.close()

    seconds = round(db_engine.BEGIN_ATTEMPTS * 0.2)
    assert caught.value.text("en").startswith("The database is busy with other users' saves")
    assert f"{seconds} seconds" in caught.value.text("en")
    assert "数据库正忙" in caught.value.text("zh")
    assert "locked" not in caught.value.text("en")
    assert count(uow, Person) == before


def test_on_sqlite_a_save_waits_for_another_to_finish_and_then_succeeds(sqlite_url, tmp_path):
    uow = UnitOfWork(url=sqlite_url)
    worker = org.load_actor(uow, "demo-community-worker")
    other = sqlite3.connect(tmp_path / "busy.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    # The other save ends after about two of the save's 0.2 s waits: a retry gets the lock.
    finish = threading.Timer(0.5, lambda: other.execute("ROLLBACK"))
    finish.start()
    try:
        person_id = register(worker, uow, 8)
    finally:
        finish.join()
        other.close()

    with uow:
        assert uow.session.get(Person, person_id) is not None


def test_on_sqlite_a_unit_of_work_begins_immediate_and_other_reads_go_on(sqlite_url, tmp_path):
    uow = UnitOfWork(url=sqlite_url)
    reader = sqlite3.connect(tmp_path / "busy.db", isolation_level=None, timeout=0)
    try:
        with uow:
            uow.session.scalar(select(func.count()).select_from(Person))
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                reader.execute("BEGIN IMMEDIATE")  # the unit of work holds the write lock
            reader.execute("BEGIN")
            assert reader.execute("SELECT count(*) FROM person").fetchone()[0] > 0
            reader.execute("ROLLBACK")
    finally:
        reader.close()
