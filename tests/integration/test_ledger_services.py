"""The ledger use cases on both databases: register, duplicates, updates, tracking, services."""

import datetime as dt

import pytest

from casework.db.models import AuditEntry, EmploymentStatus, Person, ServiceRecord
from casework.errors import DuplicatePerson, StaleRecord, ValidationError
from casework.ids import make_first_generation_id, make_resident_id
from casework.services import persons
from casework.services.persons import PossibleDuplicate
from tests.conftest import AS_OF
from tests.integration.helpers import count, trail

BIRTH = dt.date(1971, 4, 9)


def new_person(worker, **overrides) -> dict:
    values = {
        "name": "赵建国",
        "id_number": make_resident_id("320705", BIRTH, 251, "M"),
        "category": "laid_off",
        "phone": "13805181234",
        "address": "新海一村5号楼101室",
        "household_members": 3,
        "dependants": 1,
        "skills": ["cleaning"],
        "out_of_work_since": dt.date(2026, 3, 1),
        "community_id": worker.unit_id,
    }
    return values | overrides


def register(worker, uow, **overrides) -> int:
    return persons.register_person(worker, uow, values=new_person(worker, **overrides),
                                   today=AS_OF)


def test_a_worker_registers_a_person_in_their_own_community(worker, demo_db):
    person_id = register(worker, demo_db)

    detail = persons.get_person(worker, demo_db, person_id=person_id)
    assert detail.values["name"] == "赵建国"
    assert detail.values["id_number"] == make_resident_id("320705", BIRTH, 251, "M")
    assert (detail.values["sex"], detail.values["birth_date"]) == ("M", BIRTH.isoformat())
    assert detail.values["community_id"] == worker.unit_id
    assert detail.values["registered_on"] == AS_OF.isoformat()
    assert detail.version == 1
    assert [(s["status"], s["since"]) for s in detail.status_history] == [
        ("unemployed", "2026-03-01")]


def test_registering_writes_an_audit_row_holding_the_values(worker, demo_db):
    person_id = register(worker, demo_db)

    [entry] = trail(demo_db, "person", person_id)

    assert (entry["action"], entry["outcome"], entry["username"]) == (
        "register_person", "ok", worker.username)
    assert entry["staff_id"] == worker.staff_id
    assert entry["before"] is None
    assert entry["after"]["name"] == "赵建国"
    assert entry["after"]["phone"] == "13805181234"
    assert entry["after"]["birth_date"] == BIRTH.isoformat()


def test_an_id_number_already_on_the_ledger_is_refused_and_points_at_the_record(worker, demo_db):
    first = register(worker, demo_db)
    before = (count(demo_db, Person), count(demo_db, EmploymentStatus), count(demo_db, AuditEntry))

    with pytest.raises(DuplicatePerson) as caught:
        register(worker, demo_db, name="钱志海")

    assert caught.value.person_id == first
    assert str(first) in caught.value.text("en")
    assert (count(demo_db, Person), count(demo_db, EmploymentStatus),
            count(demo_db, AuditEntry)) == before


@pytest.mark.parametrize("first_form", ["15", "18"])
def test_a_fifteen_digit_id_and_its_eighteen_digit_twin_are_refused_as_a_duplicate(
        worker, demo_db, first_form):
    old = make_first_generation_id("320705", BIRTH, 251, "M")
    new = make_resident_id("320705", BIRTH, 251, "M")
    first, second = (old, new) if first_form == "15" else (new, old)
    person_id = register(worker, demo_db, id_number=first)
    people_before = count(demo_db, Person)

    with pytest.raises(DuplicatePerson) as caught:
        register(worker, demo_db, id_number=second, name="赵健国")

    assert caught.value.person_id == person_id
    assert count(demo_db, Person) == people_before


def test_a_fifteen_digit_id_is_stored_in_its_eighteen_digit_form_with_the_original(worker,
                                                                                     demo_db):
    old = make_first_generation_id("320705", BIRTH, 251, "M")

    person_id = register(worker, demo_db, id_number=old)

    values = persons.get_person(worker, demo_db, person_id=person_id).values
    assert values["id_number"] == make_resident_id("320705", BIRTH, 251, "M")
    assert values["id_number_original"] == old
    assert [p.id for p in persons.list_persons(worker, demo_db, search=old)] == [person_id]


def test_an_update_that_leaves_the_id_number_alone_keeps_the_fifteen_digit_original(worker,
                                                                                      demo_db):
    old = make_first_generation_id("320705", BIRTH, 251, "M")
    person_id = register(worker, demo_db, id_number=old)

    persons.update_person(worker, demo_db, person_id=person_id, expected_version=1,
                          changes={"phone": "0518-85123456"}, today=AS_OF)

    assert persons.get_person(worker, demo_db, person_id=person_id).values[
        "id_number_original"] == old


def test_a_researcher_sees_neither_form_of_the_id_number(worker, actors, demo_db):
    person_id = register(worker, demo_db,
                         id_number=make_first_generation_id("320705", BIRTH, 251, "M"))

    values = persons.get_person(actors["researcher"], demo_db, person_id=person_id).values

    assert "id_number" not in values
    assert "id_number_original" not in values


def test_a_same_name_and_birth_date_under_another_id_needs_confirmation(worker, demo_db):
    first = register(worker, demo_db)
    other_id = make_resident_id("320705", BIRTH, 252, "M")
    people_before = count(demo_db, Person)

    with pytest.raises(PossibleDuplicate) as caught:
        register(worker, demo_db, id_number=other_id)

    assert isinstance(caught.value, ValidationError)
    assert set(caught.value.fields) == {"name"}
    assert [m.id for m in caught.value.matches] == [first]
    assert count(demo_db, Person) == people_before
    second = persons.register_person(worker, demo_db, values=new_person(worker, id_number=other_id),
                                     today=AS_OF, confirm_similar=True)
    assert second != first
    assert count(demo_db, Person) == people_before + 1


def test_a_name_one_character_apart_with_the_same_birth_date_is_a_close_match(worker, demo_db):
    register(worker, demo_db)
    other_id = make_resident_id("320705", BIRTH, 9, "M")

    with pytest.raises(PossibleDuplicate):
        register(worker, demo_db, name="赵建图", id_number=other_id)


def test_an_update_at_the_current_version_is_saved_and_bumps_the_version(worker, demo_db):
    person_id = register(worker, demo_db)

    version = persons.update_person(worker, demo_db, person_id=person_id, expected_version=1,
                                    changes={"phone": "0518-85123456"}, today=AS_OF)

    detail = persons.get_person(worker, demo_db, person_id=person_id)
    assert version == 2
    assert detail.version == 2
    assert detail.values["phone"] == "0518-85123456"
    assert detail.values["name"] == "赵建国"


def test_an_update_from_a_stale_version_is_refused_and_nothing_is_overwritten(worker, demo_db):
    person_id = register(worker, demo_db)
    persons.update_person(worker, demo_db, person_id=person_id, expected_version=1,
                          changes={"phone": "0518-85123456"}, today=AS_OF)

    with pytest.raises(StaleRecord) as caught:
        persons.update_person(worker, demo_db, person_id=person_id, expected_version=1,
                              changes={"phone": "13900000000", "address": "别处"}, today=AS_OF)

    detail = persons.get_person(worker, demo_db, person_id=person_id)
    assert "2" in caught.value.text("en")
    assert detail.version == 2
    assert detail.values["phone"] == "0518-85123456"
    assert detail.values["address"] == "新海一村5号楼101室"


def test_an_invalid_update_is_refused_and_nothing_is_overwritten(worker, demo_db):
    person_id = register(worker, demo_db)

    with pytest.raises(ValidationError) as caught:
        persons.update_person(worker, demo_db, person_id=person_id, expected_version=1,
                              changes={"phone": "call me", "dependants": 5}, today=AS_OF)

    assert set(caught.value.fields) == {"phone", "dependants"}
    assert persons.get_person(worker, demo_db, person_id=person_id).values["phone"] == "13805181234"


def test_the_audit_trail_holds_the_values_before_and_after_an_update(worker, demo_db):
    person_id = register(worker, demo_db)
    persons.update_person(worker, demo_db, person_id=person_id, expected_version=1,
                          changes={"phone": "0518-85123456"}, today=AS_OF)

    entries = trail(demo_db, "person", person_id)

    assert [e["action"] for e in entries] == ["register_person", "update_person"]
    before, after = entries[-1]["before"], entries[-1]["after"]
    assert (before["phone"], after["phone"]) == ("13805181234", "0518-85123456")
    assert (before["version"], after["version"]) == (1, 2)


def test_a_status_change_is_appended_to_the_history(worker, demo_db):
    person_id = register(worker, demo_db)

    row_id = persons.record_status(worker, demo_db, person_id=person_id, status="employed",
                                   since=dt.date(2026, 10, 1), note="超市理货员", today=AS_OF)

    history = persons.get_person(worker, demo_db, person_id=person_id).status_history
    assert [s["status"] for s in history] == ["unemployed", "employed"]
    assert history[-1]["id"] == row_id
    assert [e["action"] for e in trail(demo_db, "employment_status", row_id)] == [
        "record_status"]


def test_a_status_change_in_the_future_or_of_an_unknown_kind_is_refused(worker, demo_db):
    person_id = register(worker, demo_db)
    rows_before = count(demo_db, EmploymentStatus)

    with pytest.raises(ValidationError) as caught:
        persons.record_status(worker, demo_db, person_id=person_id, status="astronaut",
                              since=AS_OF + dt.timedelta(days=1), today=AS_OF)

    assert set(caught.value.fields) == {"status", "since"}
    assert count(demo_db, EmploymentStatus) == rows_before


def test_a_service_is_appended_to_the_log(worker, demo_db):
    person_id = register(worker, demo_db)

    row_id = persons.log_service(worker, demo_db, person_id=person_id, kind="job_referral",
                                 service_date=AS_OF, notes="推荐至物业公司", today=AS_OF)

    services = persons.get_person(worker, demo_db, person_id=person_id).services
    assert [(s["id"], s["kind"], s["notes"]) for s in services] == [
        (row_id, "job_referral", "推荐至物业公司")]
    [entry] = trail(demo_db, "service_record", row_id)
    assert (entry["action"], entry["outcome"], entry["after"]["kind"]) == (
        "log_service", "ok", "job_referral")


@pytest.mark.parametrize(("kind", "days_ahead", "field"),
                         [("job_referral", 1, "service_date"), ("fortune_telling", 0, "kind")])
def test_a_service_in_the_future_or_of_an_unknown_kind_is_refused(worker, demo_db, kind,
                                                                  days_ahead, field):
    person_id = register(worker, demo_db)
    rows_before = count(demo_db, ServiceRecord)

    with pytest.raises(ValidationError) as caught:
        persons.log_service(worker, demo_db, person_id=person_id, kind=kind,
                            service_date=AS_OF + dt.timedelta(days=days_ahead), today=AS_OF)

    assert set(caught.value.fields) == {field}
    assert count(demo_db, ServiceRecord) == rows_before
