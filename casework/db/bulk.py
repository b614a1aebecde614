"""Bulk inserts that hand back the new ids, for generated data."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

CHUNK = 500


def insert_rows(session: Session, model, rows: list[dict]) -> None:
    """Insert plain rows through Core's executemany: the ORM's per-row bookkeeping made the
    demo of 20,000 people several times slower."""
    if rows:
        session.connection().execute(insert(model.__table__), rows)


def insert_returning_ids(session: Session, model, rows: list[dict]) -> list[int]:
    """Insert ``rows`` and return their ids in the same order.

    In chunks: SQLAlchemy matches RETURNING rows to parameters in time that grows with the
    square of the batch, which made 20,000 people take half a minute in one batch.
    """
    table = model.__table__
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    connection = session.connection()
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        ids += connection.execute(statement, rows[start:start + CHUNK]).scalars().all()
    return ids
