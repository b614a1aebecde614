"""Who may read and change which ledger records, and the audit trail of every refusal."""

import datetime as dt

import pytest
from sqlalchemy import select

from casework.db.models import AuditEntry, Person, ServiceRecord
from casework.errors import AccessDenied
from casework.ids import make_resident_id
from casework.services import org, persons
from tests.conftest import AS_OF, DEMO_PERSONS
from tests.integration.helpers import count


def paths(actors, uow) -> dict[int, str]:
    """Community id -> path, for every community in the city."""
    return {u.id: u.path for u in org.units(actors["city_officer"], uow, level="community")}


def everyone(actors, uow) -> list[persons.PersonSummary]:
    return persons.list_persons(actors["city_officer"], uow)


def someone_outside(actors, uow, prefix: str) -> persons.PersonSummary:
    """A demo person whose community does not lie under ``prefix``."""
    where = paths(actors, uow)
    return next(p for p in everyone(actors, uow) if not where[p.community_id].startswith(prefix))


def denials(uow, username: str, action: str) -> list[tuple[str, str | None]]:
    with uow:
        rows = uow.session.execute(select(AuditEntry.entity, AuditEntry.entity_id).where(
            AuditEntry.username == username, AuditEntry.action == action,
            AuditEntry.outcome == "denied"))
        return [tuple(r) for r in rows]



def stored(uow, person_id: int) -> tuple[int, str]:
    with uow:
        person = uow.session.get(Person, person_id)
        return person.version, person.name


def values_for(community_id: int) -> dict:
    return {"name": "孙秀英", "id_number": make_resident_id("320706", dt.date(1980, 2, 3), 40, "F"),
            "category": "unemployed", "community_id": community_id}



@pytest.fixture
def stranger(actors, demo_db, worker):
    """A person of community B: any community but the worker's."""
    return someone_outside(actors, demo_db, worker.unit_path)


def test_a_worker_of_community_a_reads_a_person_of_community_a(worker, demo_db):
    mine = persons.list_persons(worker, demo_db)[0]

    detail = persons.get_person(worker, demo_db, person_id=mine.id)

    assert detail.values["community_id"] == worker.unit_id
    assert detail.values["name"]


def test_a_worker_of_community_a_cannot_read_community_b(worker, stranger, demo_db):
    with pytest.raises(AccessDenied):
        persons.get_person(worker, demo_db, person_id=stranger.id)

    assert denials(demo_db, worker.username, "read_person") == [("person", str(stranger.id))]


def test_a_worker_of_community_a_cannot_update_community_b(worker, stranger, demo_db):
    with pytest.raises(AccessDenied):
        persons.update_person(worker, demo_db, person_id=stranger.id,
                              expected_version=stranger.version,
                              changes={"phone": "13900000000"}, today=AS_OF)

    assert denials(demo_db, worker.username, "update_person") == [("person", str(stranger.id))]
    assert stored(demo_db, stranger.id) == (stranger.version, stranger.name)


def test_a_worker_of_community_a_cannot_register_into_community_b(actors, worker, stranger,
                                                                  demo_db):
    people_before = count(demo_db, Person)

    with pytest.raises(AccessDenied):
        persons.register_person(worker, demo_db, values=values_for(stranger.community_id),
                                today=AS_OF)

    assert count(demo_db, Person) == people_before
    assert denials(demo_db, worker.username, "register_person") == [("person", None)]


def test_a_worker_of_community_a_cannot_log_a_service_for_community_b(worker, stranger,
                                                                     demo_db):
    services_before = count(demo_db, ServiceRecord)

    with pytest.raises(AccessDenied):
        persons.log_service(worker, demo_db, person_id=stranger.id, kind="career_guidance",
                            service_date=AS_OF, today=AS_OF)

    assert count(demo_db, ServiceRecord) == services_before
    assert denials(demo_db, worker.username, "log_service") == [("person", str(stranger.id))]


def test_a_street_officer_sees_every_community_of_their_street(actors, demo_db):
    officer = actors["street_officer"]
    where = paths(actors, demo_db)
    street = {cid for cid, path in where.items() if path.startswith(officer.unit_path)}

    seen = persons.list_persons(officer, demo_db)

    assert {u.id for u in org.units(officer, demo_db, level="community")} == street
    assert len(street) == 4
    assert {p.id for p in seen} == {p.id for p in everyone(actors, demo_db)
                                   if p.community_id in street}
    assert len({p.community_id for p in seen}) > 1
    for person in seen:
        assert persons.get_person(officer, demo_db, person_id=person.id).values["name"]


def test_a_street_officer_cannot_read_another_street(actors, demo_db):
    officer = actors["street_officer"]
    other = someone_outside(actors, demo_db, officer.unit_path)

    with pytest.raises(AccessDenied):
        persons.get_person(officer, demo_db, person_id=other.id)

    assert denials(demo_db, officer.username, "read_person") == [("person", str(other.id))]


def test_a_district_officer_sees_their_district_and_not_another(actors, demo_db):
    officer = actors["district_officer"]
    where = paths(actors, demo_db)
    district = [p.id for p in everyone(actors, demo_db)
                if where[p.community_id].startswith(officer.unit_path)]
    other = someone_outside(actors, demo_db, officer.unit_path)

    seen = persons.list_persons(officer, demo_db)

    assert sorted(p.id for p in seen) == sorted(district)
    assert persons.count_persons(officer, demo_db) == len(district)
    with pytest.raises(AccessDenied):
        persons.get_person(officer, demo_db, person_id=other.id)


def test_a_city_officer_sees_everyone(actors, demo_db):
    officer = actors["city_officer"]

    seen = persons.list_persons(officer, demo_db)

    assert len(seen) == persons.count_persons(officer, demo_db) == DEMO_PERSONS
    assert len(org.units(officer, demo_db, level="community")) == len(paths(actors, demo_db))
    assert persons.get_person(officer, demo_db, person_id=seen[-1].id).values["id_number"]


def test_a_researcher_reads_records_without_identities(actors, demo_db):
    researcher = actors["researcher"]
    someone = everyone(actors, demo_db)[0]

    values = persons.get_person(researcher, demo_db, person_id=someone.id).values
    listed = persons.list_persons(researcher, demo_db)

    assert not {"name", "id_number", "phone", "address", "birth_date"} & set(values)
    assert values["birth_year"].isdigit()
    assert len(listed) == DEMO_PERSONS
    assert {(p.name, p.birth_date) for p in listed} == {(None, None)}


def test_a_researcher_cannot_search_by_name(actors, demo_db):
    someone = everyone(actors, demo_db)[0]

    found = persons.list_persons(actors["researcher"], demo_db, search=someone.name)

    assert all(p.name is None for p in found)


def test_a_researcher_cannot_register(actors, worker, demo_db):
    researcher = actors["researcher"]

    with pytest.raises(AccessDenied):
        persons.register_person(researcher, demo_db, values=values_for(worker.unit_id),
                                today=AS_OF)

    assert denials(demo_db, researcher.username, "register_person") == [("person", None)]


def test_a_trainer_cannot_write_the_ledger_of_their_own_street(actors, demo_db):
    trainer = actors["trainer"]
    [someone, *_] = persons.list_persons(trainer, demo_db)

    with pytest.raises(AccessDenied):
        persons.update_person(trainer, demo_db, person_id=someone.id,
                              expected_version=someone.version, changes={"phone": "13900000000"},
                              today=AS_OF)
    with pytest.raises(AccessDenied):
        persons.record_status(trainer, demo_db, person_id=someone.id, status="in_training",
                              since=AS_OF, today=AS_OF)

    assert denials(demo_db, trainer.username, "update_person") == [("person", str(someone.id))]
    assert denials(demo_db, trainer.username, "record_status") == [("person", str(someone.id))]
