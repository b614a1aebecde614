"""Backups of the casework database and restoring one (``casework backup`` and ``restore``).

SQLite is copied through its online backup API (``sqlite3.Connection.backup``): one read
transaction copies every page, so the copy is consistent while the apps keep working, and it
is written under a temporary name beside ``--out`` and renamed when complete. PostgreSQL is
dumped by ``pg_dump`` in its custom format (``-Fc``, itself a consistent snapshot) and restored
by ``pg_restore --clean --if-exists --single-transaction``: all of it or nothing. Both tools
come from Debian's package postgresql-client and are looked up on PATH.

A restore refuses to replace a database that holds data unless forced, and names what it
would replace; afterwards it runs the migrations, so a backup of an older version comes up to
date.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, create_engine, func, inspect, select, text
from sqlalchemy import table as table_named
from sqlalchemy.engine import URL, make_url

from casework import clock, settings
from casework.db import migrate
from casework.db.engine import display_url, get_engine, normalise_url
from casework.db.models import OrgUnit
from casework.errors import CaseworkError
from evaluation.atomic_folder import synced

PG_PACKAGE = "postgresql-client"
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
# What ``casework init`` writes, and so not counted: the schema version and the 2003 city,
# districts and counties. Its audit rows are counted, but audit rows alone are not data that
# a restore needs --force to replace.
DIVISIONS = ("city", "district", "county")
NOT_COUNTED = ("alembic_version",)
AUDIT = "audit_log"
SHOWN = 6  # tables named in a message; the rest are counted


class BackupFailed(CaseworkError):
    key = "backup.failed"


class ToolMissing(CaseworkError):
    key = "backup.tool_missing"


class RestoreRefused(CaseworkError):
    key = "backup.refused"


@dataclass(frozen=True)
class Done:
    """A backup written or restored: the file, the database, the rows the backup holds and,
    for a restore, the rows it replaced."""

    file: Path
    url: str
    rows: dict[str, int]
    replaced: dict[str, int] = field(default_factory=dict)


def backup(*, out: Path, url: str | None = None) -> Done:
    """Copy the database at ``url`` (default: the configured one) to the file ``out``; the
    rows counted are those of the copy."""
    url = normalise_url(url or settings.database_url())
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    try:
        if _is_sqlite(url):
            _sqlite_backup(_sqlite_path(url), partial)
            rows = _file_contents(partial)
        else:
            rows = _pg_dump(url, partial)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return Done(out, display_url(url), rows)


def contents(url: str | None = None) -> dict[str, int]:
    """Rows per table, but for the schema version and the 2003 divisions."""
    with get_engine(url).connect() as conn:
        return _counted(conn)


def holds_data(rows: dict[str, int]) -> bool:
    """Whether a database with these ``contents`` holds more than audit rows."""
    return any(table != AUDIT for table in rows)


def _counted(conn: Connection) -> dict[str, int]:
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" not in tables:
        return {}
    counts = {}
    for table in sorted(tables - set(NOT_COUNTED)):
        query = select(func.count()).select_from(table_named(table))
        if table == OrgUnit.__tablename__:
            query = select(func.count()).where(OrgUnit.level.not_in(DIVISIONS))
        if n := conn.scalar(query):
            counts[table] = n
    return counts


def _file_contents(path: Path) -> dict[str, int]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return _counted(conn)
    finally:
        engine.dispose()


def _pg_dump(url: str, out: Path) -> dict[str, int]:
    """Dump the database as one snapshot, shared with the transaction that counts its rows."""
    pg_dump = _tool("pg_dump")
    engine = get_engine(url).execution_options(isolation_level="REPEATABLE READ")
    with engine.connect() as conn:
        snapshot = conn.scalar(text("SELECT pg_export_snapshot()"))
        rows = _counted(conn)
        _run(pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={out}", url=url)
    return rows


def describe(rows: dict[str, int]) -> str:
    """``person 80, staff 7, ...``: people and staff first, then the largest tables; the
    rest counted."""
    first = ("person", "staff")
    ranked = sorted(rows.items(), key=lambda item: (item[0] not in first,
                                                    first.index(item[0]) if item[0] in first
                                                    else -item[1], item[0]))
    shown = ", ".join(f"{table} {n}" for table, n in ranked[:SHOWN])
    return shown + (f" (+{len(ranked) - SHOWN})" if len(ranked) > SHOWN else "")


def restore(*, file: Path, url: str | None = None, force: bool = False) -> Done:
    """Replace the database at ``url`` with the backup ``file``, then migrate it. Refused if
    the database holds data and ``force`` is false."""
    url = normalise_url(url or settings.database_url())
    tables = _tables_in(file, url)
    before = contents(url)
    if holds_data(before) and not force:
        raise RestoreRefused(url=display_url(url), rows=describe(before), file=file)
    get_engine(url).dispose()
    if _is_sqlite(url):
        _sqlite_restore(file, _sqlite_path(url))
    else:
        _pg_restore(file, url, tables)
    get_engine(url).dispose()
    clock.forget()
    migrate.upgrade(url)
    return Done(file, display_url(url), contents(url), before)


def _tables_in(file: Path, url: str) -> set[str]:
    """The tables a backup file holds; refused unless it is a casework backup of the kind
    this database takes (an SQLite file, or a pg_dump custom-format archive)."""
    if not file.is_file():
        raise CaseworkError("backup.not_found", file=file)
    with open(file, "rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    sqlite = _is_sqlite(url)
    tables: set[str] = set()
    if sqlite and head.startswith(SQLITE_MAGIC):
        tables = _sqlite_tables(file)
    elif not sqlite and head.startswith(PG_MAGIC):
        listed = _run(_tool("pg_restore"), "--list", str(file), url=None)
        tables = {line.split()[5] for line in listed.splitlines()
                  if not line.startswith(";") and line.split()[3:5] == ["TABLE", "public"]}
    if "alembic_version" not in tables:
        raise CaseworkError("backup.wrong_kind", file=file, url=display_url(url),
                            kind="SQLite" if sqlite else "PostgreSQL (pg_dump -Fc)")
    return tables


def _sqlite_tables(file: Path) -> set[str]:
    source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise CaseworkError("backup.damaged", file=file)
        return {name for (name,) in source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise BackupFailed(file=file, detail=str(exc)) from exc
    finally:
        source.close()


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise CaseworkError("backup.in_memory", url=display_url(url))
    return Path(database)


def _sqlite_backup(database: Path, out: Path) -> None:
    if not database.is_file():
        raise CaseworkError("backup.not_found", file=database)
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(out)
    try:
        source.backup(target)  # every page in one step: one consistent read transaction
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        target.close()
        source.close()
    synced(out)


def _sqlite_restore(file: Path, database: Path) -> None:
    source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(database, timeout=30)
        try:
            source.backup(target)  # replaces every page in one write transaction
        finally:
            target.close()
    except sqlite3.DatabaseError as exc:
        raise BackupFailed(file=file, detail=str(exc)) from exc
    finally:
        source.close()


def _pg_restore(file: Path, url: str, in_backup: set[str]) -> None:
    """Tables the backup lacks (made by a later migration) go first, or ``--clean`` could not
    drop the tables they reference; then the backup replaces the rest in one transaction.
    (Those tables are dropped in a transaction of their own: should the restore then fail,
    the database keeps everything else, and a second restore finishes the job.)"""
    pg_restore = _tool("pg_restore")
    engine = get_engine(url)
    extra = set(inspect(engine).get_table_names(schema="public")) - in_backup
    if extra:
        with engine.begin() as conn:
            for table in sorted(extra):
                conn.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    engine.dispose()
    _run(pg_restore, "--clean", "--if-exists", "--single-transaction", "--exit-on-error",
         "--no-owner", "--no-privileges", str(file), url=url)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(tool=name, package=PG_PACKAGE)
    return path


def _run(tool: str, *args: str, url: str | None) -> str:
    """Run a PostgreSQL client tool; the password goes through the environment, not argv."""
    env = dict(os.environ)
    command = [tool, *args]
    if url is not None:
        libpq: URL = make_url(url).set(drivername="postgresql")
        if libpq.password:
            env["PGPASSWORD"] = str(libpq.password)
        command.append(f"--dbname={libpq.set(password=None).render_as_string()}")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupFailed(file=Path(tool).name, detail=done.stderr.strip() or done.returncode)
    return done.stdout
