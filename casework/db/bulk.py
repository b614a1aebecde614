"""Bulk inserts for generated data, some handing back the new ids.

On SQLite the rows go straight to the driver's ``executemany``, converted by the same bind
processors SQLAlchemy would apply, so the stored values are the same; SQLAlchemy's own
executemany spent more time building each row's parameters than SQLite spent storing them,
and with RETURNING it inserted one row per statement. PostgreSQL keeps Core's batched inserts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import JSON, Connection, Table, func, insert, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

CHUNK = 500
_DATE_FORMAT = "%(year)04d-%(month)02d-%(day)02d"


# For a large load in one transaction on SQLite: a page cache big enough to keep the pages it
# writes (the default 2 MB spills them to the WAL and reads them back). It only speeds the
# load, and is put back as it was afterwards. (Settings such as temp_store or synchronous
# cannot change inside the transaction the unit of work has begun.)
BULK_PRAGMAS = {"cache_size": -1_048_576}  # KiB: 1 GiB at most


@contextmanager
def bulk_load(session: Session) -> Iterator[None]:
    """Settings for a large load through ``session`` (SQLite only), restored on leaving, after
    the commit too: on the driver's connection, which outlives the session's transaction."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.dbapi_connection
    before = {name: driver.execute(f"PRAGMA {name}").fetchone()[0] for name in BULK_PRAGMAS}
    for name, value in BULK_PRAGMAS.items():
        driver.execute(f"PRAGMA {name}={int(value)}")
    try:
        yield
    finally:
        for name, value in before.items():
            driver.execute(f"PRAGMA {name}={int(value)}")


@contextmanager
def indexes_built_after(session: Session, table: Table) -> Iterator[None]:
    """On SQLite, drop ``table``'s own secondary indexes for a large insert and build them again
    afterwards from the SQL SQLite keeps for them: the same indexes, each built by one sort
    instead of row by row (the person table's ten took half the time of its insert). In the
    transaction: if the insert fails, the rollback brings the indexes back too."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    indexes = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
        " AND sql IS NOT NULL ORDER BY name", (table.name,)).all()
    prepare = connection.dialect.identifier_preparer
    for name, _sql in indexes:
        connection.exec_driver_sql(f"DROP INDEX {prepare.quote(name)}")
    yield
    for _name, sql in indexes:
        connection.exec_driver_sql(sql)


def insert_rows(session: Session, model, rows: list[dict]) -> None:
    """Insert plain rows (each with the same keys) without the ORM's per-row bookkeeping."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        _sqlite_executemany(connection, model.__table__, rows)
    else:
        connection.execute(insert(model.__table__), rows)


def insert_returning_ids(session: Session, model, rows: list[dict]) -> list[int]:
    """Insert ``rows`` and return their ids in the same order."""
    if not rows:
        return []
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        return _sqlite_numbered(connection, model.__table__, rows)
    # In chunks: SQLAlchemy matches RETURNING rows to parameters in time that grows with the
    # square of the batch, which made 20,000 people take half a minute in one batch.
    table = model.__table__
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        ids += connection.execute(statement, rows[start:start + CHUNK]).scalars().all()
    return ids


def _sqlite_numbered(connection: Connection, table: Table, rows: list[dict]) -> list[int]:
    """SQLite gives a new row of a table without AUTOINCREMENT the largest id plus one, and the
    unit of work holds the write lock: so the ids SQLite would choose are known beforehand and
    the rows need no RETURNING (which SQLAlchemy runs one row at a time on SQLite)."""
    first = connection.scalar(select(func.coalesce(func.max(table.c.id), 0))) + 1
    ids = list(range(first, first + len(rows)))
    _sqlite_executemany(connection, table, rows, ids)
    return ids


def _sqlite_executemany(connection: Connection, table: Table, rows: list[dict],
                        ids: list[int] | None = None) -> None:
    keys = [key for key in rows[0] if key != "id" or ids is None]
    defaults = _python_defaults(table, set(keys) | ({"id"} if ids is not None else set()))
    names = keys + list(defaults) + (["id"] if ids is not None else [])
    prepare = connection.dialect.identifier_preparer
    sql = (f"INSERT INTO {prepare.format_table(table)} "
           f"({', '.join(prepare.format_column(table.c[n]) for n in names)}) "
           f"VALUES ({', '.join('?' * len(names))})")
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.executemany(sql, _tuples(connection, table, rows, keys, defaults, ids))
    finally:
        cursor.close()


def _python_defaults(table: Table, given: set[str]) -> dict[str, Callable[[], object]]:
    """The Python-side defaults Core's insert would fill in for the columns not given."""
    defaults = {}
    for column in table.columns:
        default = column.default
        if column.key in given or default is None:
            continue
        if default.is_scalar:
            defaults[column.key] = (lambda value: lambda: value)(default.arg)
        elif default.is_callable:
            defaults[column.key] = (lambda call: lambda: call(None))(default.arg)
        else:
            raise NotImplementedError(f"{table.name}.{column.key}: a SQL default in a bulk insert")
    return defaults


def _tuples(connection: Connection, table: Table, rows: list[dict], keys: list[str],
            defaults: dict, ids: list[int] | None) -> Iterator[tuple]:
    dialect = connection.dialect
    names = keys + list(defaults)
    convert = [_processor(table.c[n].type, dialect) for n in names]
    processed = [(i, c) for i, c in enumerate(convert) if c is not None]
    fill = list(defaults.values())
    for n, row in enumerate(rows):
        values = [row[k] for k in keys] + [make() for make in fill]
        for i, process in processed:
            values[i] = process(values[i])
        if ids is not None:
            values.append(ids[n])
        yield tuple(values)


def _processor(column_type, dialect) -> Callable | None:
    """SQLAlchemy's bind processor of the type, or for SQLite's dates and JSON a shorter way to
    the same text: ``date.isoformat`` is the ``%04d-%02d-%02d`` SQLite's DATE stores, and a
    list or dict is serialised by ``json.dumps``'s own encoder, without the two calls around it."""
    process = column_type._cached_bind_processor(dialect)
    if process is None or dialect.name != "sqlite":
        return process
    implementation = column_type.dialect_impl(dialect)
    if isinstance(implementation, sqlite.DATE) and implementation._storage_format == _DATE_FORMAT:
        iso = dt.date.isoformat
        return lambda value: None if value is None else iso(value)
    if (isinstance(column_type, JSON) and dialect._json_serializer is None
            and column_type._str_impl.bind_processor(dialect) is None):
        encode = json.JSONEncoder().encode
        return lambda value: encode(value) if type(value) in (list, dict) else process(value)
    return process
