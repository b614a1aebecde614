"""``casework backup`` and ``casework restore`` on SQLite (the online backup API) and PostgreSQL
(pg_dump and pg_restore): a round trip brings back every row, a backup taken while someone is
writing holds only what was committed, a restore will not replace data unless forced, and an
older backup is migrated after it is restored."""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import delete, insert, inspect, select, text, update

from casework import backup, cli, demo
from casework.db import migrate
from casework.db.engine import get_engine
from casework.db.models import OrgUnit, Person, ServiceRecord
from casework.services.uow import UnitOfWork
from tests.conftest import CI, DEMO_PERSONS, _pg_admin, _pg_url
from tests.integration.crash_worker import integrity_problems, snapshot

HEAD = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()


@pytest.fixture
def casework(db_url, monkeypatch, capsys):
    """``casework(*args)`` runs the command on the test's database in English: (exit code,
    what it printed, what it printed as errors)."""
    if not db_url.startswith("sqlite") and shutil.which("pg_dump") is None:
        message = f"pg_dump is not on PATH: install {backup.PG_PACKAGE}"
        pytest.fail(message) if CI else pytest.skip(message)
    monkeypatch.setenv("CASEWORK_DATABASE_URL", db_url)
    monkeypatch.setenv("CASEWORK_LANG", "en")

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(list(args))
        printed = capsys.readouterr()
        return code, printed.out, printed.err

    return run


def change_everything(url: str) -> None:
    """Rename people, delete services, add a street: what a restore must undo."""
    with get_engine(url).begin() as conn:
        conn.execute(update(Person).values(name="改名"))
        conn.execute(delete(ServiceRecord))
        district = conn.scalar(select(OrgUnit.id).where(OrgUnit.code == "320705"))
        conn.execute(insert(OrgUnit).values(parent_id=district, code="320705999",
                                            level="street", name_zh="新街道",
                                            name_en="New street",
                                            path="/320700/320705/320705999/"))


def test_a_restored_backup_brings_back_every_row_after_changes_and_deletions(
        casework, db_url, demo_db, tmp_path):
    file = tmp_path / "casework.backup"
    taken = snapshot(db_url)

    code, out, _ = casework("backup", "--out", str(file))
    assert code == 0 and f"person {DEMO_PERSONS}" in out and file.is_file()
    change_everything(db_url)
    assert snapshot(db_url) != taken

    code, out, _ = casework("restore", str(file), "--force")
    assert code == 0 and "Replacing everything" in out and f"person {DEMO_PERSONS}" in out
    assert snapshot(db_url) == taken
    assert integrity_problems(db_url) == []


def test_a_restore_over_data_is_refused_without_force_and_says_what_it_would_replace(
        casework, db_url, demo_db, tmp_path):
    file = tmp_path / "casework.backup"
    casework("backup", "--out", str(file))
    change_everything(db_url)
    changed = snapshot(db_url)

    code, _, err = casework("restore", str(file))

    assert code == 2
    assert "--force" in err and f"person {DEMO_PERSONS}" in err and "staff 7" in err
    assert snapshot(db_url) == changed


def test_a_backup_taken_while_a_write_is_open_holds_only_what_was_committed(
        casework, db_url, demo_db, tmp_path):
    file = tmp_path / "casework.backup"
    committed = snapshot(db_url)
    with get_engine(db_url).connect() as writer:
        writer.execute(update(Person).values(name="未提交"))
        assert casework("backup", "--out", str(file))[0] == 0
        writer.commit()
    assert snapshot(db_url) != committed

    assert casework("restore", str(file), "--force")[0] == 0
    assert snapshot(db_url) == committed


def test_a_database_holding_no_data_takes_a_restore_without_force(
        casework, db_url, demo_db, tmp_path):
    file = tmp_path / "casework.backup"
    taken = snapshot(db_url)
    casework("backup", "--out", str(file))
    demo.reset(UnitOfWork(url=db_url))
    assert not backup.holds_data(backup.contents(db_url))

    code, out, _ = casework("restore", str(file))

    assert code == 0 and "Replacing" not in out
    assert snapshot(db_url) == taken


@pytest.fixture
def older_database(db_url, tmp_path):
    """Another database on the same server, migrated only to the revision before the last."""
    if db_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'older.db'}"
        yield url
        get_engine(url).dispose()
        return
    name = f"casework_old_{uuid.uuid4().hex[:12]}"
    with _pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _pg_url(name)
    get_engine(_pg_url(name)).dispose()
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_of_an_older_version_is_migrated_to_the_newest_after_restoring(
        casework, db_url, demo_db, older_database, tmp_path):
    file = tmp_path / "older.backup"
    previous = ScriptDirectory.from_config(migrate.alembic_config()).get_revision(HEAD)
    migrate.upgrade(older_database, previous.down_revision)
    backup.backup(out=file, url=older_database)

    code, out, _ = casework("restore", str(file), "--force")

    assert code == 0 and "no data" in out
    engine = get_engine(db_url)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == HEAD
        assert conn.scalar(select(Person.id).limit(1)) is None
    assert set(inspect(engine).get_table_names()) >= set(
        inspect(get_engine(older_database)).get_table_names())
    assert integrity_problems(db_url) == []


def not_a_backup(path):
    path.write_bytes(b"PK\x03\x04 a zip file, not a backup")


def another_sqlite_database(path):
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.close()


@pytest.mark.parametrize("make", [not_a_backup, another_sqlite_database])
def test_a_file_that_is_not_a_casework_backup_of_this_kind_is_refused(
        casework, db_url, demo_db, tmp_path, make):
    file = tmp_path / "not-a-backup"
    make(file)
    before = snapshot(db_url)

    code, _, err = casework("restore", str(file), "--force")

    assert code == 2 and "is not a backup this database can take" in err
    assert snapshot(db_url) == before


def test_without_the_postgresql_client_tools_a_postgresql_backup_names_the_package(
        casework, db_url, demo_db, tmp_path, monkeypatch):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    file = tmp_path / "casework.backup"

    code, _, err = casework("backup", "--out", str(file))

    if db_url.startswith("sqlite"):  # SQLite needs no outside tool
        assert code == 0 and file.is_file()
    else:
        assert code == 2 and "pg_dump" in err and "postgresql-client" in err
        assert not [name for name in os.listdir(tmp_path) if "casework.backup" in name]
