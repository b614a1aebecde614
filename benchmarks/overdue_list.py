"""Time of the due and overdue home-visit list (``hardship.households``) for a street officer
whose street holds 5,000 registered households; prints JSON.

A small demo is generated on a fresh SQLite file (and a fresh PostgreSQL database); the demo
street's households, with their applicants, members and visit histories, are then copied
until the street holds ``HOUSEHOLDS`` households. The time is the median of five calls.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from sqlalchemy import func, select

from benchmarks.common import AS_OF, SEED, fresh_postgres, median_cpu_ms, median_ms
from casework import demo
from casework.db import migrate
from casework.db.bulk import insert_returning_ids, insert_rows
from casework.db.models import HardshipHousehold, HomeVisit, OrgUnit, Person
from casework.db.models_notice import HardshipMember
from casework.services import hardship, org
from casework.services.uow import UnitOfWork

HOUSEHOLDS = 5000
OFFICER = "demo-street-officer"


def _rows(session, model, column, keys) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for row in session.execute(select(model.__table__).where(column.in_(keys))).mappings():
        out.setdefault(row[column.key], []).append(dict(row))
    return out


def _grow(uow: UnitOfWork, street_path: str, target: int) -> int:
    """Copy the street's households until it holds ``target`` of them; how many it holds."""
    with uow:
        session = uow.session
        originals = [dict(r) for r in session.execute(
            select(HardshipHousehold.__table__).join(
                OrgUnit, HardshipHousehold.community_id == OrgUnit.id)
            .where(OrgUnit.path.startswith(street_path))).mappings()]
        ids = [h["id"] for h in originals]
        persons = {p["id"]: dict(p) for p in session.execute(select(Person.__table__).where(
            Person.id.in_([h["person_id"] for h in originals]))).mappings()}
        visits = _rows(session, HomeVisit, HomeVisit.household_id, ids)
        members = _rows(session, HardshipMember, HardshipMember.household_id, ids)
        count, copy = len(originals), 0
        while count < target:
            copy += 1
            batch = originals[:target - count]
            new_people = [{k: v for k, v in persons[h["person_id"]].items() if k != "id"}
                          | {"id_number": f"B{copy:05d}{i:012d}"} for i, h in enumerate(batch)]
            people_ids = insert_returning_ids(session, Person, new_people)
            households = [{k: v for k, v in h.items() if k != "id"} | {"person_id": pid}
                          for h, pid in zip(batch, people_ids, strict=True)]
            new_ids = insert_returning_ids(session, HardshipHousehold, households)
            for table, rows in ((HomeVisit, visits), (HardshipMember, members)):
                insert_rows(session, table, [
                    {k: v for k, v in r.items() if k != "id"} | {"household_id": new}
                    | ({"person_id": pid} if "person_id" in r and r["person_id"] else {})
                    for old, new, pid in zip([h["id"] for h in batch], new_ids, people_ids,
                                             strict=True)
                    for r in rows.get(old, [])])
            count += len(batch)
        uow.commit()
        return session.scalar(select(func.count(HardshipHousehold.id)).join(
            OrgUnit, HardshipHousehold.community_id == OrgUnit.id)
            .where(OrgUnit.path.startswith(street_path)))


def measure(url: str) -> dict:
    migrate.upgrade(url)
    uow = UnitOfWork(url=url)
    demo.generate(uow, persons=3000, seed=SEED, as_of=AS_OF)
    officer = org.load_actor(uow, OFFICER)
    held = _grow(uow, officer.unit_path, HOUSEHOLDS)
    rows = hardship.households(officer, uow, today=AS_OF)
    return {"households_in_street": held, "registered_listed": len(rows),
            "overdue": sum(r.due.state == "overdue" for r in rows),
            "ms": median_ms(lambda: hardship.households(officer, uow, today=AS_OF)),
            "cpu_ms": median_cpu_ms(lambda: hardship.households(officer, uow, today=AS_OF))}


def main() -> dict:
    with tempfile.TemporaryDirectory() as folder:
        sqlite = measure(f"sqlite:///{Path(folder) / 'overdue.db'}")
    postgres = measure(fresh_postgres("casework_bench_overdue"))
    return {"benchmark": "overdue_list", "overdue_list_5000_ms": max(sqlite["ms"], postgres["ms"]),
            "sqlite": sqlite, "postgres": postgres}


if __name__ == "__main__":
    print(json.dumps(main()))
