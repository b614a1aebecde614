"""Retirees' socialised management on both databases: a basic record per retiree, changed only
at the version read, listed by street with filters, and kept to the staff of the area."""

import dataclasses
import datetime as dt

import pytest

from casework.errors import AccessDenied, StaleRecord, ValidationError
from casework.services import retirees
from tests.integration.helpers import refusals, trail
from tests.integration.test_job_services import other_street, register

BORN = dt.date(1942, 3, 8)
FACTS = retirees.RetireeFacts(
    former_employer="连云港碱厂", pension_status="receiving", retired_on=dt.date(2002, 3, 31),
    pension_monthly=620, contact_name="王海燕（女儿）", contact_phone="0518-5512345",
    services=("health_check", "pension_certification"), remark="独居，腿脚不便")


def retiree(actor, uow, seq: int, **overrides) -> int:
    return register(actor, uow, seq, category="retiree", birth=BORN, **overrides)


def row_of(actor, uow, person_id: int, **filters) -> retirees.RetireeRow | None:
    return next((r for r in retirees.retirees(actor, uow, limit=100_000, **filters)
                 if r.person_id == person_id), None)


@pytest.fixture
def person_id(worker, demo_db) -> int:
    return retiree(worker, demo_db, 61)


def test_a_retiree_without_a_record_is_listed_for_the_street_as_having_none(officer, demo_db,
                                                                          person_id):
    row = row_of(officer, demo_db, person_id, street_id=officer.unit_id)

    assert (row.record_id, row.pension_status, row.services) == (None, None, ())
    assert row_of(officer, demo_db, person_id, without_record=True) is not None


def test_a_community_worker_records_a_retirees_basic_record(worker, demo_db, person_id):
    record_id = retirees.create_record(worker, demo_db, person_id=person_id, facts=FACTS)

    row = row_of(worker, demo_db, person_id)
    assert row.record_id == record_id and row.version == 1
    # Services are stored in the controlled list's order.
    assert row.facts() == dataclasses.replace(
        FACTS, services=("pension_certification", "health_check"))
    assert [e["action"] for e in trail(demo_db, "retiree_record", record_id)] == [
        "create_retiree_record"]


def test_only_a_retiree_gets_a_record_and_only_one(worker, demo_db, person_id):
    laid_off = register(worker, demo_db, 62)
    retirees.create_record(worker, demo_db, person_id=person_id, facts=FACTS)

    with pytest.raises(ValidationError) as not_retired:
        retirees.create_record(worker, demo_db, person_id=laid_off, facts=FACTS)
    with pytest.raises(ValidationError) as twice:
        retirees.create_record(worker, demo_db, person_id=person_id, facts=FACTS)

    assert "not a retiree" in not_retired.value.field_texts("en")["person_id"]
    assert "has a record already" in twice.value.field_texts("en")["person_id"]


def test_a_record_is_changed_at_the_version_read_and_a_stale_edit_overwrites_nothing(
        worker, officer, demo_db, person_id):
    record_id = retirees.create_record(worker, demo_db, person_id=person_id, facts=FACTS)
    suspended = dataclasses.replace(FACTS, pension_status="suspended")

    version = retirees.update_record(officer, demo_db, record_id=record_id, expected_version=1,
                                     facts=suspended)
    with pytest.raises(StaleRecord) as stale:
        retirees.update_record(worker, demo_db, record_id=record_id, expected_version=1,
                               facts=FACTS)

    row = row_of(worker, demo_db, person_id)
    assert (version, row.version, row.pension_status) == (2, 2, "suspended")
    [change] = stale.value.changes  # the stale editor is told what changed, and from what
    assert (change.field, change.read, change.now) == ("pension_status", "receiving",
                                                      "suspended")
    [created, updated] = trail(demo_db, "retiree_record", record_id)
    assert (updated["before"]["pension_status"], updated["after"]["pension_status"]) == (
        "receiving", "suspended")


def test_every_problem_of_a_record_is_reported_at_once(worker, demo_db, person_id):
    bad = retirees.RetireeFacts(former_employer=" ", pension_status="receiving",
                                retired_on=BORN - dt.timedelta(days=1), pension_monthly=None,
                                contact_name=None, contact_phone="call me",
                                services=("bingo",))

    with pytest.raises(ValidationError) as caught:
        retirees.create_record(worker, demo_db, person_id=person_id, facts=bad)

    assert set(caught.value.fields) == {"former_employer", "retired_on", "pension_monthly",
                                        "contact_phone", "contact_name", "services"}
    assert "monthly pension" in caught.value.field_texts("en")["pension_monthly"]


def test_a_contact_phone_needs_the_contact_persons_name(worker, demo_db, person_id):
    facts = dataclasses.replace(FACTS, contact_name="")

    with pytest.raises(ValidationError) as caught:
        retirees.create_record(worker, demo_db, person_id=person_id, facts=facts)

    assert set(caught.value.fields) == {"contact_name"}


def test_retirees_are_filtered_by_pension_status_and_service(worker, demo_db, person_id):
    retirees.create_record(worker, demo_db, person_id=person_id, facts=FACTS)

    assert row_of(worker, demo_db, person_id, pension_status="receiving") is not None
    assert row_of(worker, demo_db, person_id, pension_status="pending") is None
    assert row_of(worker, demo_db, person_id, service="health_check") is not None
    assert row_of(worker, demo_db, person_id, service="home_help") is None
    assert row_of(worker, demo_db, person_id, without_record=True) is None


def test_retirees_are_listed_by_street(actors, officer, demo_db, person_id):
    city = actors["city_officer"]
    street, community = other_street(city, officer, demo_db)
    elsewhere = retiree(city, demo_db, 63, community_id=community.id)

    ours = {r.person_id for r in retirees.retirees(city, demo_db, street_id=officer.unit_id,
                                                   limit=100_000)}
    theirs = {r.person_id for r in retirees.retirees(city, demo_db, street_id=street.id,
                                                     limit=100_000)}

    assert person_id in ours and elsewhere not in ours
    assert elsewhere in theirs and person_id not in theirs


def test_a_worker_cannot_record_a_retiree_of_another_street_and_the_attempt_is_audited(
        actors, worker, officer, demo_db):
    city = actors["city_officer"]
    _, community = other_street(city, officer, demo_db)
    elsewhere = retiree(city, demo_db, 64, community_id=community.id)

    with pytest.raises(AccessDenied):
        retirees.create_record(worker, demo_db, person_id=elsewhere, facts=FACTS)

    assert refusals(demo_db, "person", elsewhere) == [("create_retiree_record",
                                                       worker.username)]


def test_a_researcher_sees_no_names_or_contacts(actors, worker, demo_db, person_id):
    retirees.create_record(worker, demo_db, person_id=person_id, facts=FACTS)

    row = row_of(actors["researcher"], demo_db, person_id)

    assert (row.name, row.contact_name, row.contact_phone) == (None, None, None)
    assert row.former_employer == "连云港碱厂"


def test_the_demos_retirees_have_records(actors, demo_db):
    rows = retirees.retirees(actors["city_officer"], demo_db, limit=100_000)

    assert rows and all(r.record_id is not None for r in rows)
    assert {r.pension_status for r in rows} <= {"receiving", "suspended", "pending"}
