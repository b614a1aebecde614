"""Two people edit one ledger record at once: the second save is refused, told field by field
what the first changed (value read, value now, who, when), and nothing is overwritten."""

import datetime as dt

import pytest

from casework.errors import StaleRecord
from casework.services import conflicts, persons
from casework.services.uow import UnitOfWork
from tests.conftest import AS_OF
from tests.integration.test_ledger_services import register


def update(actor, uow, person_id: int, version: int, **changes) -> int:
    return persons.update_person(actor, uow, person_id=person_id, expected_version=version,
                                 changes=changes, today=AS_OF)


def display_name(uow, actor) -> str:
    from casework.db.models import Staff

    with uow:
        return uow.session.get(Staff, actor.staff_id).display_name


def test_the_second_editor_of_one_version_is_told_what_the_first_changed(worker, officer,
                                                                          demo_db):
    person_id = register(worker, demo_db)
    read = persons.get_person(worker, demo_db, person_id=person_id)
    before_save = dt.datetime.now(dt.UTC)
    update(officer, demo_db, person_id, read.version, phone="0518-85123456", dependants=2)

    with pytest.raises(StaleRecord) as caught:
        update(worker, demo_db, person_id, read.version, address="新浦区海连路8号")

    phone, dependants = caught.value.changes
    assert caught.value.fields == ["phone", "dependants"]
    assert (phone.read, phone.now) == ("13805181234", "0518-85123456")
    assert (dependants.read, dependants.now) == (1, 2)
    assert phone.by == display_name(demo_db, officer)
    assert before_save - dt.timedelta(seconds=5) <= phone.at <= dt.datetime.now(dt.UTC)


def test_nothing_of_the_second_save_is_written_and_the_firsts_values_stay(worker, officer,
                                                                          demo_db):
    person_id = register(worker, demo_db)
    update(officer, demo_db, person_id, 1, phone="0518-85123456")

    with pytest.raises(StaleRecord):
        update(worker, demo_db, person_id, 1, phone="13900000000", address="新浦区海连路8号")

    now = persons.get_person(worker, demo_db, person_id=person_id)
    assert now.version == 2
    assert now.values["phone"] == "0518-85123456"
    assert now.values["address"] == "新海一村5号楼101室"


def test_after_several_saves_the_value_first_read_and_the_last_editor_are_named(
        worker, officer, actors, demo_db):
    person_id = register(worker, demo_db)
    update(officer, demo_db, person_id, 1, phone="0518-85123456")
    update(actors["district_officer"], demo_db, person_id, 2, phone="0518-85999999")

    with pytest.raises(StaleRecord) as caught:
        update(worker, demo_db, person_id, 1, phone="13900000000")

    [phone] = caught.value.changes
    assert (phone.read, phone.now) == ("13805181234", "0518-85999999")
    assert phone.by == display_name(demo_db, actors["district_officer"])


def test_a_field_changed_and_changed_back_is_not_listed(worker, officer, demo_db):
    person_id = register(worker, demo_db)
    update(officer, demo_db, person_id, 1, phone="0518-85123456", address="新浦区海连路8号")
    update(officer, demo_db, person_id, 2, phone="13805181234")

    with pytest.raises(StaleRecord) as caught:
        update(worker, demo_db, person_id, 1, dependants=0)

    assert caught.value.fields == ["address"]


# PostgreSQL only: on SQLite one writer holds the database at a time, so no other save can
# commit between a save's read and its write (WAL refuses a write from a stale read outright;
# that busy error and its retry belong to the concurrency tests).
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_save_that_loses_the_race_after_its_version_check_is_refused_the_same_way(
        worker, officer, demo_db, db_url, monkeypatch):
    """The other save commits between this save's version check and its UPDATE: the
    database's version check refuses the write, and the user hears what changed."""
    person_id = register(worker, demo_db)
    passed = conflicts.check_version

    def other_save_commits_meanwhile(session, record, expected_version):
        passed(session, record, expected_version)
        monkeypatch.setattr(conflicts, "check_version", passed)  # the other save runs plainly
        update(officer, UnitOfWork(url=db_url), person_id, 1, phone="0518-85123456")

    monkeypatch.setattr(conflicts, "check_version", other_save_commits_meanwhile)
    with pytest.raises(StaleRecord) as caught:
        update(worker, demo_db, person_id, 1, address="新浦区海连路8号")

    assert caught.value.fields == ["phone"]
    now = persons.get_person(worker, demo_db, person_id=person_id)
    assert (now.version, now.values["address"]) == (2, "新海一村5号楼101室")


def test_the_second_editor_saves_after_reading_the_record_again(worker, officer, demo_db):
    person_id = register(worker, demo_db)
    update(officer, demo_db, person_id, 1, phone="0518-85123456")
    with pytest.raises(StaleRecord):
        update(worker, demo_db, person_id, 1, address="新浦区海连路8号")

    again = persons.get_person(worker, demo_db, person_id=person_id)
    update(worker, demo_db, person_id, again.version, address="新浦区海连路8号")

    now = persons.get_person(worker, demo_db, person_id=person_id)
    assert (now.values["phone"], now.values["address"]) == ("0518-85123456", "新浦区海连路8号")
