"""db/bulk.py on SQLite writes through the driver: the rows stored must be those Core's insert
stores (dates, JSON, NULLs, Python defaults), with the ids SQLite itself would have given."""

import datetime as dt

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.orm import Session

from casework.db import bulk
from casework.db.models import Base, HomeVisit, OrgUnit, Person

UNIT = {"code": "320705001001", "level": "community", "name_zh": "社区", "name_en": "C",
        "parent_id": None, "path": "/320705001001/", "closed_on": None}


def _people(n: int) -> list[dict]:
    # No "skills" and no "version": Core fills their Python defaults ([] and 1) in.
    return [{"id_number": f"32070519650101{i:03d}X", "id_number_original": None, "sex": "MF"[i % 2],
             "birth_date": dt.date(1965, 1, 1) + dt.timedelta(days=i), "name": f"王{i}",
             "phone": None, "address": "新浦", "community_id": 1, "household_members": 1,
             "dependants": 0, "income_band": "low", "education": "primary",
             "skills_note": None, "job_wishes": None, "living_needs": None,
             "category": "laid_off", "out_of_work_since": None if i % 3 else dt.date(2002, 5, 1),
             "registered_on": dt.date(2003, 1, 2), "prior_wage": None if i % 2 else 500}
            for i in range(n)]


def _visits(n: int) -> list[dict]:
    return [{"household_id": 1, "visit_date": dt.date(2003, 2, 1 + i % 28), "author_id": 1,
             "visitors": "x", "present": "户主", "living_conditions": "ok",
             "income_change": "unchanged", "employment_status": [{"member": "户主", "k": i}],
             "employment_note": None, "needs": ["job"] if i % 2 else [], "needs_note": None,
             "services": None, "follow_up": None, "follow_up_due": None,
             "next_visit_date": None, "version": 1} for i in range(n)]


def _stored(session: Session, table: str) -> list[tuple]:
    return [tuple(r) for r in session.execute(text(f"SELECT * FROM {table} ORDER BY id"))]


def _database(tmp_path, name: str) -> Session:
    engine = create_engine(f"sqlite:///{tmp_path / name}")
    Base.metadata.create_all(engine)
    session = Session(engine)
    session.execute(insert(OrgUnit), [UNIT])
    return session


def test_same_rows_as_core_and_the_ids_sqlite_gives(tmp_path):
    ours, core = _database(tmp_path, "ours.db"), _database(tmp_path, "core.db")
    for session in (ours, core):  # ids start after existing rows, as SQLite's would
        session.execute(insert(Person), _people(2))
    ids = bulk.insert_returning_ids(ours, Person, _people(5)[2:])
    core_ids = core.execute(insert(Person).returning(Person.id, sort_by_parameter_order=True),
                            _people(5)[2:]).scalars().all()
    assert ids == core_ids == [3, 4, 5]
    bulk.insert_rows(ours, HomeVisit, _visits(6))
    core.execute(insert(HomeVisit), _visits(6))
    for table in ("person", "home_visit"):
        assert _stored(ours, table) == _stored(core, table)
    assert ours.scalar(select(Person.skills).where(Person.id == 4)) == []


def test_bulk_load_restores_the_cache_size(tmp_path):
    session = _database(tmp_path, "cache.db")
    driver = session.connection().connection.dbapi_connection
    before = driver.execute("PRAGMA cache_size").fetchone()[0]
    with bulk.bulk_load(session):
        assert driver.execute("PRAGMA cache_size").fetchone()[0] == bulk.BULK_PRAGMAS["cache_size"]
    assert driver.execute("PRAGMA cache_size").fetchone()[0] == before
