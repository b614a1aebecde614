"""Many processes saving at once, on both databases: no row is lost, no error escapes, and no
"database is locked" reaches the caller; of two saves of the same version, exactly one wins.

Each worker is a separate process (forked from a forkserver that has imported the services
once, so starting fifty costs little; see concurrent_workers.py) and waits at a barrier, so
all of them save at the same moment through the same service functions the apps call.
"""

from __future__ import annotations

import multiprocessing

from sqlalchemy import func, select

from casework.db.models import AuditEntry, HomeVisit, Person, Placement
from casework.services import hardship, persons
from tests.integration import concurrent_workers as workers
from tests.integration.test_job_services import register
from tests.integration.test_visit_services import REGISTERED_ON, poor_household

PROCESSES = {"sqlite": 10, "postgresql": 50}  # the N for each backend


def _run(worker, args_per_process: list[tuple]) -> list[tuple[str, object]]:
    """Start one process per argument tuple, release them together, and collect each one's
    ("ok", value) or ("error", "<type>: <message> <traceback>")."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.integration.concurrent_workers"])
    barrier, results = ctx.Barrier(len(args_per_process)), ctx.Queue()
    procs = [ctx.Process(target=workers.report, args=(worker, barrier, results, *args))
             for args in args_per_process]
    for p in procs:
        p.start()
    try:
        out = [results.get(timeout=workers.WAIT_S) for _ in procs]
    finally:
        for p in procs:
            p.join(timeout=workers.WAIT_S)
            if p.is_alive():
                p.kill()
    assert [p.exitcode for p in procs] == [0] * len(procs)
    return out


def _count(uow, model, *where) -> int:
    with uow:
        return uow.session.scalar(select(func.count()).select_from(model).where(*where))


def _registered_household(worker, officer, uow) -> int:
    person_id = register(worker, uow, 499, birth=REGISTERED_ON.replace(year=1970))
    household = hardship.apply(worker, uow, application=poor_household(person_id),
                               today=REGISTERED_ON)
    version = hardship.verify_community(worker, uow, household_id=household, expected_version=1)
    hardship.confirm_street(officer, uow, household_id=household, expected_version=version,
                            today=REGISTERED_ON)
    return household


def test_many_processes_saving_visits_and_placements_at_once_lose_no_row(
        request, db_url, demo_db, worker, officer):
    n, each = PROCESSES[request.node.callspec.params["db_url"]], workers.VISITS_EACH
    household_id = _registered_household(worker, officer, demo_db)
    seekers = [register(worker, demo_db, 100 + i) for i in range(n)]
    visits_before, placements_before = _count(demo_db, HomeVisit), _count(demo_db, Placement)
    audited_before = _count(demo_db, AuditEntry, AuditEntry.action == "record_visit")

    outcomes = _run(workers.save_visits_and_a_placement,
                    [(db_url, worker, household_id, person_id) for person_id in seekers])

    assert [kind for kind, _ in outcomes] == ["ok"] * n, [v for k, v in outcomes if k != "ok"]
    visit_ids = [i for _, saved in outcomes for i in saved[:each]]
    assert len(set(visit_ids)) == n * each  # each save got an id of its own
    assert len({saved[-1] for _, saved in outcomes}) == n
    assert _count(demo_db, HomeVisit) == visits_before + n * each
    assert _count(demo_db, HomeVisit, HomeVisit.household_id == household_id) == n * each
    assert _count(demo_db, Placement) == placements_before + n
    assert _count(demo_db, Placement, Placement.person_id.in_(seekers)) == n
    assert _count(demo_db, AuditEntry, AuditEntry.action == "record_visit") == (
        audited_before + n * each)


def test_of_two_processes_saving_the_same_version_of_a_person_exactly_one_wins(
        db_url, demo_db, worker):
    person_id = register(worker, demo_db, 77)
    read = persons.get_person(worker, demo_db, person_id=person_id)

    outcomes = _run(workers.update, [(db_url, worker, person_id, read.version, members)
                                     for members in (4, 5)])

    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    results = [value for _, value in outcomes]
    [(winner, won)] = [(m, r) for m, r in results if isinstance(r, int)]
    [(_, lost)] = [(m, r) for m, r in results if isinstance(r, str)]
    assert won == read.version + 1
    assert lost.startswith("StaleRecord: ")
    with demo_db:
        stored = demo_db.session.get(Person, person_id)
        assert (stored.version, stored.household_members) == (won, winner)
