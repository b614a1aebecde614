"""A process killed with SIGKILL in the middle of a bulk demo load, of a save and of an extract
write leaves, on SQLite and on PostgreSQL alike, a sound database: the integrity checks pass,
everything committed before is there unchanged, and nothing of the killed work is.

The child (tests/integration/crash_worker.py) prints ``READY`` at the chosen point and waits;
the test reads that line and kills it there.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from casework import cli, demo
from casework.db.engine import get_engine
from casework.db.models import AuditEntry, Loan, LoanStep, OrgUnit, Person, Staff
from casework.errors import ValidationError
from casework.services import org, releases
from casework.services.uow import UnitOfWork
from evaluation.extract import TABLES, load_extract, write_extract
from tests.integration.crash_worker import (
    DEMO,
    PURPOSE,
    integrity_problems,
    snapshot,
    tables_holding_rows,
)

ROOT = Path(__file__).resolve().parents[2]
READY_WITHIN = 300  # seconds; the child reaches its point in a few on this machine


def start(scenario: str, url: str, *args: str) -> tuple[subprocess.Popen, dict]:
    """Run the child until it reports its point; what it did so far. A child that has not
    got there within READY_WITHIN seconds is killed and the test fails with its errors."""
    with tempfile.TemporaryFile(mode="w+") as errors:
        child = subprocess.Popen([sys.executable, "-m", "tests.integration.crash_worker",
                                  scenario, url, *args], cwd=ROOT, stdout=subprocess.PIPE,
                                 stderr=errors, text=True)
        too_late = threading.Timer(READY_WITHIN, child.kill)
        too_late.start()
        try:
            for line in child.stdout:
                if line.startswith("READY "):
                    return child, json.loads(line.removeprefix("READY "))
        finally:
            too_late.cancel()
        child.kill()
        child.wait()
        errors.seek(0)
        pytest.fail(f"the child never reached its point: {errors.read()[-3000:]}")


def kill(child: subprocess.Popen) -> None:
    child.send_signal(signal.SIGKILL)
    child.communicate()
    assert child.returncode == -signal.SIGKILL


def count(url: str, model, *where) -> int:
    with get_engine(url).connect() as conn:
        return conn.scalar(select(func.count()).select_from(model).where(*where))


def files(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_a_demo_load_killed_halfway_leaves_no_demo_and_loads_cleanly_again(db_url,
                                                                           monkeypatch):
    child, done = start("demo", db_url)
    committed = snapshot(db_url)  # the divisions, committed before the load's transaction
    kill(child)

    assert done["persons"] == DEMO["persons"]  # the people were in, uncommitted
    assert integrity_problems(db_url) == []
    assert snapshot(db_url) == committed
    assert tables_holding_rows(db_url) <= {"alembic_version", "org_unit", "audit_log"}
    assert count(db_url, OrgUnit, OrgUnit.level.in_(("street", "community"))) == 0
    assert demo.ledger_is_empty(UnitOfWork(url=db_url))

    monkeypatch.setenv("CASEWORK_DATABASE_URL", db_url)
    assert cli.main(["demo", "--persons", str(DEMO["persons"]), "--seed", str(DEMO["seed"]),
                     "--as-of", DEMO["as_of"].isoformat()]) == 0  # the restart
    assert count(db_url, Person) == DEMO["persons"]
    assert count(db_url, Staff) == len(demo.ROLE_UNITS)
    assert integrity_problems(db_url) == []


def test_a_save_killed_before_its_commit_leaves_the_earlier_saves_and_no_loan_without_a_step(
        db_url, demo_db):
    loans_before = count(db_url, Loan)
    child, done = start("save", db_url)
    committed = snapshot(db_url)
    kill(child)

    assert done["loans"] == loans_before + 3 and done["steps"] > 0  # flushed, not committed
    assert integrity_problems(db_url) == []
    assert snapshot(db_url) == committed
    assert count(db_url, Loan) == loans_before + 2
    assert all(count(db_url, Loan, Loan.id == loan) == 1 for loan in done["committed"])
    assert count(db_url, Loan, Loan.person_id == done["person"]) == 0
    assert count(db_url, Loan, ~Loan.id.in_(select(LoanStep.loan_id))) == 0


@pytest.fixture
def old_extract(db_url, demo_db, tmp_path) -> Path:
    folder = tmp_path / "extract"
    write_extract(org.load_actor(demo_db, "demo-researcher"), demo_db, out=folder,
                  purpose="The release before the crash")
    return folder


def release_rows(url: str) -> int:
    return count(url, AuditEntry, AuditEntry.action == releases.ACTION)


def test_an_extract_killed_while_writing_its_files_leaves_the_old_folder_whole(
        db_url, old_extract):
    before, logged = files(old_extract), release_rows(db_url)
    child, done = start("extract-files", db_url, str(old_extract))
    kill(child)

    assert len(done["written"]) == 3 and Path(done["folder"]).parent == old_extract.parent
    assert files(old_extract) == before
    assert release_rows(db_url) == logged
    assert integrity_problems(db_url) == []
    assert load_extract(old_extract).manifest["written"] == json.loads(
        (old_extract / "manifest.json").read_text("utf-8"))["written"]


def test_an_extract_killed_after_the_swap_leaves_the_new_folder_whole_and_unlogged(
        db_url, old_extract):
    before, logged = files(old_extract), release_rows(db_url)
    child, _ = start("extract-swap", db_url, str(old_extract))
    kill(child)

    now = files(old_extract)
    assert set(now) == {f"{name}.parquet" for name in TABLES} | {"manifest.json",
                                                                   "dictionary.json"}
    assert now["manifest.json"] != before["manifest.json"]
    assert release_rows(db_url) == logged  # the row died with the process; no row lies
    assert integrity_problems(db_url) == []
    assert len(load_extract(old_extract).persons) > 0


def test_the_next_extract_clears_what_a_killed_one_left_beside_its_folder(db_url, old_extract):
    child, done = start("extract-files", db_url, str(old_extract))
    kill(child)
    assert Path(done["folder"]).is_dir()

    write_extract(org.load_actor(UnitOfWork(url=db_url), "demo-researcher"),
                  UnitOfWork(url=db_url), out=old_extract, purpose=PURPOSE)

    assert sorted(p.name for p in old_extract.parent.iterdir()
                  if p.name.startswith(f".{old_extract.name}.")) == []
    assert os.listdir(old_extract)


def test_an_extract_is_never_written_over_a_folder_that_is_not_an_extract(db_url, demo_db,
                                                                           tmp_path):
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "letter.docx").write_text("keep me")

    with pytest.raises(ValidationError) as refused:
        write_extract(org.load_actor(demo_db, "demo-researcher"), demo_db, out=documents,
                      purpose=PURPOSE)

    assert "manifest.json" in refused.value.field_texts("en")["out"]
    assert os.listdir(documents) == ["letter.docx"]
    assert release_rows(db_url) == 0
