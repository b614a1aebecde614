"""Labour-security affairs agency on both databases: personnel files received into and released
from the street office's custody, listed by street and status, social-insurance continuations,
the low-standard fees, and who may act."""

import datetime as dt

import pytest

from casework.errors import AccessDenied, StaleRecord, ValidationError
from casework.policy import load_policy
from casework.services import agency, org
from tests.integration.helpers import refusals, trail
from tests.integration.test_job_services import other_street, register

RECEIVED = dt.date(2026, 5, 11)
LOW = load_policy()["agency"]


def receive(officer, uow, person_id: int, number: str = "DA-2026-0001", **overrides) -> int:
    values = {"person_id": person_id, "file_number": number, "received_on": RECEIVED,
              "received_from": "连云港碱厂"} | overrides
    return agency.receive_file(officer, uow, command=agency.ReceiveFile(**values))


def release(officer, uow, file_id: int, version: int = 1, *,
            on: dt.date = RECEIVED + dt.timedelta(days=90)) -> int:
    return agency.release_file(officer, uow, command=agency.ReleaseFile(
        file_id=file_id, expected_version=version, released_on=on,
        released_to="连云港市人才服务中心"))


def continue_pension(officer, uow, person_id: int, **overrides) -> int:
    values = {"person_id": person_id, "kind": "pension", "from_unit": "连云港碱厂",
              "to_unit": "社区服务中心", "months_credited": 156, "continued_on": RECEIVED
              } | overrides
    return agency.record_continuation(officer, uow, command=agency.Continuation(**values))


def file_row(officer, uow, file_id: int) -> agency.FileRow:
    [row] = [f for f in agency.files(officer, uow, limit=100_000) if f.id == file_id]
    return row


@pytest.fixture
def laid_off(worker, demo_db) -> int:
    return register(worker, demo_db, 41)


def test_a_received_file_is_held_by_the_street_at_the_low_standard_fee(officer, demo_db,
                                                                       laid_off):
    file_id = receive(officer, demo_db, laid_off)

    row = file_row(officer, demo_db, file_id)
    assert (row.status, row.holder_unit_id, row.opened_here) == ("held", officer.unit_id, False)
    assert (row.received_from, row.annual_fee_yuan) == ("连云港碱厂",
                                                        LOW["file_custody_annual_yuan"])
    assert [e["action"] for e in trail(demo_db, "personnel_file", file_id)] == ["receive_file"]


def test_a_released_file_leaves_the_held_list_and_cannot_be_released_twice(officer, demo_db,
                                                                          laid_off):
    file_id = receive(officer, demo_db, laid_off)

    version = release(officer, demo_db, file_id)

    row = file_row(officer, demo_db, file_id)
    assert (row.status, row.released_to, version) == ("released", "连云港市人才服务中心", 2)
    held = agency.files(officer, demo_db, street_id=officer.unit_id, status="held")
    assert file_id not in {f.id for f in held}
    with pytest.raises(ValidationError) as caught:
        release(officer, demo_db, file_id, version)
    assert set(caught.value.fields) == {"file_id"}


def test_releasing_a_file_read_at_an_old_version_overwrites_nothing(officer, demo_db, laid_off):
    file_id = receive(officer, demo_db, laid_off)
    release(officer, demo_db, file_id)

    with pytest.raises(StaleRecord):
        release(officer, demo_db, file_id, version=1, on=RECEIVED + dt.timedelta(days=120))

    assert file_row(officer, demo_db, file_id).released_on == RECEIVED + dt.timedelta(days=90)


def test_a_file_cannot_be_released_before_it_was_received(officer, demo_db, laid_off):
    file_id = receive(officer, demo_db, laid_off)

    with pytest.raises(ValidationError) as caught:
        release(officer, demo_db, file_id, on=RECEIVED - dt.timedelta(days=1))

    assert set(caught.value.fields) == {"released_on"}


def test_a_file_number_is_used_once_and_a_person_has_one_file_in_custody(officer, worker,
                                                                         demo_db, laid_off):
    file_id = receive(officer, demo_db, laid_off)
    other = register(worker, demo_db, 42)

    with pytest.raises(ValidationError) as taken:
        receive(officer, demo_db, other)
    with pytest.raises(ValidationError) as held:
        receive(officer, demo_db, laid_off, number="DA-2026-0002")

    assert set(taken.value.fields) == {"file_number"}
    assert "DA-2026-0001" in held.value.field_texts("en")["person_id"]
    release(officer, demo_db, file_id)
    assert receive(officer, demo_db, laid_off, number="DA-2026-0002") > file_id


def test_a_fee_above_the_low_standard_is_refused_beside_the_fee(officer, demo_db, laid_off):
    above = LOW["file_custody_annual_yuan"] + 1

    with pytest.raises(ValidationError) as caught:
        receive(officer, demo_db, laid_off, fee_yuan=above)

    assert set(caught.value.fields) == {"fee_yuan"}
    assert "above the low standard" in caught.value.field_texts("en")["fee_yuan"]


def test_every_problem_of_a_received_file_is_reported_at_once(officer, demo_db, laid_off):
    with pytest.raises(ValidationError) as caught:
        receive(officer, demo_db, laid_off, number=" ", received_on=None, received_from="",
                fee_yuan=-5)

    assert set(caught.value.fields) == {"file_number", "received_on", "received_from",
                                        "fee_yuan"}


def test_a_community_worker_may_not_take_files_into_custody_and_the_attempt_is_audited(
        worker, demo_db, laid_off):
    with pytest.raises(AccessDenied):
        receive(worker, demo_db, laid_off)

    assert refusals(demo_db, "person", laid_off) == [("receive_file", worker.username)]


def test_files_are_listed_by_the_street_that_holds_them(officer, worker, actors, demo_db,
                                                        laid_off):
    city = actors["city_officer"]
    street, community = other_street(city, officer, demo_db)
    elsewhere = register(city, demo_db, 43, community_id=community.id)
    here = receive(officer, demo_db, laid_off)
    there = receive(city, demo_db, elsewhere, number="DA-2026-0901")

    ours = {f.id for f in agency.files(city, demo_db, street_id=officer.unit_id)}
    theirs = {f.id for f in agency.files(city, demo_db, street_id=street.id)}

    assert here in ours and there not in ours
    assert there in theirs and here not in theirs
    assert there not in {f.id for f in agency.files(worker, demo_db, limit=100_000)}


def test_a_continuation_is_recorded_at_the_low_fee_and_listed_with_the_persons_files(
        officer, demo_db, laid_off):
    file_id = receive(officer, demo_db, laid_off)

    continuation_id = continue_pension(officer, demo_db, laid_off)

    records = agency.person_records(officer, demo_db, person_id=laid_off)
    assert [f.id for f in records.files] == [file_id]
    [row] = records.continuations
    assert (row.id, row.kind, row.months_credited, row.fee_yuan) == (
        continuation_id, "pension", 156, LOW["continuation_yuan"])
    listed = agency.continuations(officer, demo_db, street_id=officer.unit_id)
    assert continuation_id in {c.id for c in listed}
    assert [e["action"] for e in trail(demo_db, "insurance_continuation", continuation_id)] == [
        "record_continuation"]


def test_a_continuation_needs_a_known_insurance_both_units_and_a_count(officer, demo_db,
                                                                      laid_off):
    with pytest.raises(ValidationError) as caught:
        continue_pension(officer, demo_db, laid_off, kind="housing", from_unit=None,
                         to_unit="", months_credited=-1,
                         continued_on=demo_db.today() + dt.timedelta(days=1))

    assert set(caught.value.fields) == {"kind", "from_unit", "to_unit", "months_credited",
                                        "continued_on"}


def test_the_file_offer_is_made_for_a_never_employed_person_only(worker, officer, demo_db,
                                                                 laid_off):
    never = register(worker, demo_db, 44, category="never_employed")

    assert agency.file_offer(worker, demo_db, person_id=never).ok
    assert not agency.file_offer(worker, demo_db, person_id=laid_off).ok
    receive(officer, demo_db, never, number="DA-2026-0044")
    assert not agency.file_offer(worker, demo_db, person_id=never).ok


def test_the_demo_keeps_files_some_released_some_opened_here_with_continuations(actors,
                                                                               demo_db):
    city = actors["city_officer"]
    files = agency.files(city, demo_db, limit=100_000)

    assert {f.status for f in files} == {"held", "released"}
    assert any(f.opened_here for f in files) and any(not f.opened_here for f in files)
    assert agency.continuations(city, demo_db)
    assert {f.holder_unit_id for f in files} <= {u.id for u in org.units(city, demo_db,
                                                                          level="street")}
