"""The process the crash tests kill, and the checks they make of the database it leaves.

``python -m tests.integration.crash_worker SCENARIO DB_URL [OUT]`` does real work on the
database and stops at a chosen point inside it: it prints one line ``READY <json>`` (what it
has done so far) and waits there for SIGKILL. The parent reads that line, so it kills the
child exactly there, with no timing guesses. Scenarios:

- ``demo``: the bulk demo load, stopped after the people, their histories, courses, hardship
  households and certificates are inserted, before the jobs and loans (one transaction);
- ``save``: two loan applications saved, the third stopped after its flush, before its commit;
- ``extract-files``: an extract write, stopped with three of its tables written;
- ``extract-swap``: an extract write, stopped after the new folder took the old one's place,
  before the release log row commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import signal
import sys
from pathlib import Path

import pandas as pd
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session

from casework.db.engine import get_engine
from casework.db.models import Base, Loan, LoanStep, Person

DEMO = {"persons": 150, "seed": 5, "as_of": dt.date(2004, 6, 30)}
PURPOSE = "Crash test of the extract write"


def ready(**done) -> None:
    """Tell the parent where we are, then wait to be killed."""
    print("READY " + json.dumps(done), flush=True)
    while True:
        signal.pause()


def rows_in(session: Session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def stop_before_commit(**done) -> None:
    """The next commit flushes, reports what its transaction holds, and never happens."""
    def commit(session: Session) -> None:
        session.flush()
        ready(**done, loans=rows_in(session, Loan), steps=rows_in(session, LoanStep))

    Session.commit = commit


def demo_load(url: str) -> None:
    from casework import demo, demo_jobs
    from casework.services.uow import UnitOfWork

    def stop(uow, *args, **kwargs):
        ready(persons=rows_in(uow.session, Person))

    demo_jobs.generate = stop
    demo.generate(UnitOfWork(url=url), **DEMO)


def save(url: str) -> None:
    from casework.services import org
    from casework.services.uow import UnitOfWork
    from tests.integration.test_loan_services import apply, certified

    uow = UnitOfWork(url=url)
    worker, officer = (org.load_actor(uow, f"demo-{r}") for r in ("community-worker",
                                                                   "street-officer"))
    people = [certified(worker, officer, uow, seq) for seq in (71, 72, 73)]
    loans = [apply(worker, uow, person) for person in people[:2]]
    stop_before_commit(committed=loans, person=people[2])
    apply(worker, uow, people[2])


def extract(url: str, out: str, point: str) -> None:
    from casework.services import org
    from casework.services.uow import UnitOfWork
    from evaluation.extract import write_extract

    if point == "files":
        written = []
        to_parquet = pd.DataFrame.to_parquet

        def write_then_stop(frame, path, *args, **kwargs):
            to_parquet(frame, path, *args, **kwargs)
            written.append(Path(path).name)
            if len(written) == 3:
                ready(written=written, folder=str(Path(path).parent))

        pd.DataFrame.to_parquet = write_then_stop
    else:
        stop_before_commit()
    uow = UnitOfWork(url=url)
    write_extract(org.load_actor(uow, "demo-researcher"), uow, out=Path(out), purpose=PURPOSE)


# --- what the tests check after the kill ---------------------------------------------------


def snapshot(url: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of its rows in key order."""
    out = {}
    with get_engine(url).connect() as conn:
        for table in Base.metadata.sorted_tables:
            digest = hashlib.sha256()
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            for row in rows:
                digest.update(repr(tuple(row)).encode())
            out[table.name] = (len(rows), digest.hexdigest())
    return out


def integrity_problems(url: str) -> list[str]:
    """What is wrong with the database's structure: SQLite's own checks where it has them,
    and on both databases every foreign key checked by a join (a dangling reference named)."""
    engine = get_engine(url)
    problems = []
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            if (verdict := conn.scalar(text("PRAGMA integrity_check"))) != "ok":
                problems.append(f"integrity_check: {verdict}")
            problems += [f"foreign_key_check: {tuple(r)}"
                         for r in conn.execute(text("PRAGMA foreign_key_check"))]
        for table in Base.metadata.sorted_tables:
            for fk in table.foreign_keys:
                parent = fk.column.table.alias("parent")
                key = parent.c[fk.column.name]
                orphans = conn.scalar(
                    select(func.count()).select_from(table.outerjoin(parent, fk.parent == key))
                    .where(fk.parent.is_not(None), key.is_(None)))
                if orphans:
                    problems.append(f"{table.name}.{fk.parent.name}: {orphans} dangling")
    return problems


def tables_holding_rows(url: str) -> set[str]:
    engine = get_engine(url)
    with engine.connect() as conn:
        return {t for t in inspect(engine).get_table_names()
                if conn.scalar(text(f'SELECT COUNT(*) FROM "{t}"'))}


def main(argv: list[str]) -> None:
    scenario, url, *rest = argv
    if scenario == "demo":
        demo_load(url)
    elif scenario == "save":
        save(url)
    elif scenario.startswith("extract-"):
        extract(url, rest[0], scenario.removeprefix("extract-"))
    else:
        raise SystemExit(f"unknown scenario {scenario}")
    print("FINISHED", flush=True)  # never reached: each scenario stops at its point


if __name__ == "__main__":
    main(sys.argv[1:])
