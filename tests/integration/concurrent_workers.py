"""What each process of tests/integration/test_concurrency.py runs.

The forkserver imports this module once, before it forks the workers: the services, the models
and their mappers are ready in every child, so fifty children start in little time and the
test measures the saves, not fifty imports.
"""

from __future__ import annotations

import traceback

from sqlalchemy.orm import configure_mappers

from casework.errors import StaleRecord
from casework.services import persons, placements, visits
from casework.services.uow import UnitOfWork
from tests.conftest import AS_OF
from tests.integration.test_placement_services import RECORDED, placement_values
from tests.integration.test_visit_services import visit

VISITS_EACH = 2
WAIT_S = 120  # a worker that has not reported by then is stuck, and the test says so

configure_mappers()


def report(worker, barrier, results, *args) -> None:
    """Wait for every process, run ``worker(*args)`` and put ("ok", its value) on ``results``,
    or ("error", the exception's type, message and traceback)."""
    try:
        barrier.wait(timeout=WAIT_S)
        results.put(("ok", worker(*args)))
    except BaseException as exc:  # every failure goes back to the test, by name
        results.put(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))


def save_visits_and_a_placement(url: str, actor, household_id: int, person_id: int
                                ) -> list[int]:
    """VISITS_EACH visits to the household and one placement of the person; their ids."""
    uow = UnitOfWork(url=url)
    saved = [visits.record_visit(actor, uow, household_id=household_id, values=visit(),
                                 today=AS_OF) for _ in range(VISITS_EACH)]
    saved.append(placements.record_placement(
        actor, uow, values=placement_values(person_id, actor.unit_id), today=RECORDED))
    return saved


def update(url: str, actor, person_id: int, expected_version: int, members: int
           ) -> tuple[int, int | str]:
    """(members saved, the new version or the StaleRecord's message)."""
    try:
        return members, persons.update_person(
            actor, UnitOfWork(url=url), person_id=person_id, expected_version=expected_version,
            changes={"household_members": members}, today=AS_OF)
    except StaleRecord as exc:
        return members, f"StaleRecord: {exc}"
