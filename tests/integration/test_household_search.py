"""The household pickers' search on both databases: by applicant, in scope, in the statuses
the form acts on, without names for researchers."""

import pytest

from casework.services import hardship
from casework.services.household_search import search_households

STATUSES = ("pending_community", "pending_street", "registered", "exited")


def ids(found) -> list[int]:
    return [r.id for r in found.rows]


@pytest.fixture
def rows(worker, demo_db):
    found = hardship.households(worker, demo_db, statuses=STATUSES)
    assert found, "the demo community has hardship households"
    return found


def test_a_household_is_found_by_its_applicants_name_and_record_number(worker, demo_db, rows):
    row = rows[0]

    by_number = search_households(worker, demo_db, text=f"#{row.person_id}", statuses=STATUSES)
    by_name = search_households(worker, demo_db, text=row.name, statuses=STATUSES, limit=100)

    assert ids(by_number) == [row.id]
    assert row.id in ids(by_name)
    assert (by_number.rows[0].person_id, by_number.rows[0].name) == (row.person_id, row.name)


def test_only_households_in_the_statuses_asked_for_are_offered(worker, demo_db, rows):
    for row in rows[:8]:
        others = tuple(s for s in STATUSES if s != row.status)
        key = {"household_id": row.id}

        assert ids(search_households(worker, demo_db, statuses=(row.status,), **key)) == [
            row.id]
        assert ids(search_households(worker, demo_db, statuses=others, **key)) == []


def test_a_household_outside_the_actors_area_is_not_offered(worker, actors, demo_db, rows):
    city = actors["city_officer"]
    mine = {r.id for r in rows}
    elsewhere = next(r for r in hardship.households(city, demo_db, statuses=STATUSES)
                     if r.id not in mine)

    assert ids(search_households(worker, demo_db, household_id=elsewhere.id,
                                 statuses=STATUSES)) == []
    assert ids(search_households(city, demo_db, household_id=elsewhere.id,
                                 statuses=STATUSES)) == [elsewhere.id]


def test_a_researcher_finds_a_household_by_record_number_without_the_name(actors, demo_db, rows):
    row = rows[0]
    researcher = actors["researcher"]

    assert ids(search_households(researcher, demo_db, text=row.name, statuses=STATUSES)) == []
    [found] = search_households(researcher, demo_db, text=f"#{row.person_id}",
                                statuses=STATUSES).rows
    assert (found.id, found.name) == (row.id, None)
