"""Time of importing an Excel ledger of N rows (default 10,000) on a fresh SQLite file, or on
the database URL given second; prints JSON: rows, seconds, rows_per_second.

The workbook is built first (not timed); the time is that of ``import_ledger``: reading the
workbook, checking every row by the form's rules and against the ledger, and the bulk insert.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

from casework.db import migrate
from casework.ids import make_resident_id
from casework.ledger_workbook import template_workbook
from casework.services import org
from casework.services.ledger_import import ImportLedger, import_ledger
from casework.services.uow import UnitOfWork

CATEGORIES = ("下岗职工", "失业人员", "从未就业的失业人员")
SKILLS = ("保洁", "家政服务", "养老护理", "育婴")


def _setup(url: str) -> tuple[object, str]:
    """A street, a community and a worker there, on a freshly migrated database."""
    migrate.upgrade(url)
    uow = UnitOfWork(url=url)
    org.seed_divisions(uow)
    district = org.units(org.SYSTEM, uow, level="district")[0]
    street = org.add_unit(org.SYSTEM, uow, parent_id=district.id, code=f"{district.code}901",
                          level="street", name_zh="测试街道", name_en="Bench street")
    community = org.add_unit(org.SYSTEM, uow, parent_id=street, code=f"{district.code}901001",
                             level="community", name_zh="测试社区", name_en="Bench community")
    org.create_staff(org.SYSTEM, uow, username="bench-worker", display_name="bench",
                     role="community_worker", unit_id=community)
    return org.load_actor(uow, "bench-worker"), f"{district.code}901001"


def _rows(n: int, community: str) -> list[dict]:
    rows = []
    for i in range(n):
        birth = dt.date(1950 + i % 30, 1 + i % 12, 1 + i % 28)
        sex = "M" if i % 2 else "F"
        # (birth date, order number) repeats only after 420 × 499 rows: every number differs.
        rows.append({"id_number": make_resident_id("320706", birth, i % 499, sex),
                     "name": f"测试{i}", "community": community,
                     "category": CATEGORIES[i % 3], "education": "初中",
                     "phone": f"1380518{i:04d}", "household_members": 3, "dependants": 1,
                     "skills": [SKILLS[i % 4]], "out_of_work_since": "2003-05-01"})
    return rows


def main(n: int = 10_000, url: str | None = None) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        url = url or f"sqlite:///{Path(folder) / 'bench.db'}"
        actor, community = _setup(url)
        workbook = template_workbook("zh", _rows(n, community))
        started = time.perf_counter()
        done = import_ledger(actor, UnitOfWork(url=url), command=ImportLedger(workbook))
        seconds = time.perf_counter() - started
    return {"benchmark": "import_ledger", "rows": done.rows, "seconds": round(seconds, 3),
            "rows_per_second": round(done.rows / seconds, 1)}


if __name__ == "__main__":
    args = sys.argv[1:]
    print(json.dumps(main(int(args[0]) if args else 10_000, args[1] if len(args) > 1 else None)))
