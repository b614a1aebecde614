"""The audit viewer's queries on both databases: filters, paging, scope and export."""

import datetime as dt
import io

import pandas as pd
import pytest

from casework.errors import AccessDenied, ValidationError
from casework.services import audit_queries, persons, staff_admin
from casework.services.audit_queries import AuditFilter
from tests.conftest import AS_OF

TODAY = dt.datetime.now(dt.UTC).date()


def _services(worker, uow, count: int) -> int:
    """Log ``count`` services for the worker's first person; returns that person's id."""
    person = persons.list_persons(worker, uow)[0]
    for _ in range(count):
        persons.log_service(worker, uow, person_id=person.id, kind="career_guidance",
                            service_date=AS_OF, notes="")
    return person.id


def test_the_trail_is_filtered_by_action_person_account_and_outcome(actors, demo_db):
    admin, worker = actors["admin"], actors["community_worker"]
    person = _services(worker, demo_db, 3)
    with pytest.raises(AccessDenied):
        staff_admin.staff_in_scope(worker, demo_db)

    by_action = audit_queries.search(admin, demo_db, AuditFilter(action="log_service"))
    by_person = audit_queries.search(admin, demo_db, AuditFilter(person=str(person)))
    by_account = audit_queries.search(admin, demo_db, AuditFilter(
        username="demo-community-worker", outcome="denied"))

    assert by_action.total == 3
    assert {(r.username, r.person_id, r.unit_path) for r in by_action.rows} == {
        ("demo-community-worker", person, worker.unit_path)}
    assert [r.action for r in by_person.rows] == ["log_service"] * 3
    assert [(r.action, r.outcome) for r in by_account.rows] == [("list_staff", "denied")]


def test_a_person_is_found_by_id_number_and_a_bad_number_is_explained(actors, demo_db):
    admin, worker = actors["admin"], actors["community_worker"]
    person = _services(worker, demo_db, 1)
    number = persons.get_person(admin, demo_db, person_id=person).values["id_number"]

    found = audit_queries.search(admin, demo_db, AuditFilter(person=number,
                                                             action="log_service"))
    with pytest.raises(ValidationError) as bad:
        audit_queries.search(admin, demo_db, AuditFilter(person="12345678901X"))

    assert [r.person_id for r in found.rows] == [person]
    assert bad.value.fields["person"].key == "admin.audit_bad_person"


def test_pages_hold_the_newest_entries_first_and_count_them_all(actors, demo_db):
    admin, worker = actors["admin"], actors["community_worker"]
    _services(worker, demo_db, 5)
    wanted = AuditFilter(action="log_service")

    first = audit_queries.search(admin, demo_db, wanted, page=1, page_size=2)
    last = audit_queries.search(admin, demo_db, wanted, page=3, page_size=2)
    beyond = audit_queries.search(admin, demo_db, wanted, page=9, page_size=2)

    assert (first.total, first.pages, len(first.rows), len(last.rows)) == (5, 3, 2, 1)
    ids = [r.id for r in first.rows] + [r.id for r in last.rows]
    assert ids == sorted(ids, reverse=True)
    assert beyond.page == 3


def test_the_dates_bound_the_trail(actors, demo_db):
    admin, worker = actors["admin"], actors["community_worker"]
    _services(worker, demo_db, 2)

    today = audit_queries.search(admin, demo_db, AuditFilter(
        action="log_service", date_from=TODAY, date_to=TODAY))
    yesterday = audit_queries.search(admin, demo_db, AuditFilter(
        action="log_service", date_to=TODAY - dt.timedelta(days=1)))
    tomorrow = audit_queries.search(admin, demo_db, AuditFilter(
        action="log_service", date_from=TODAY + dt.timedelta(days=1)))

    assert (today.total, yesterday.total, tomorrow.total) == (2, 0, 0)


def test_a_unit_narrows_the_trail_to_its_subtree(actors, demo_db):
    admin, worker = actors["admin"], actors["community_worker"]
    _services(worker, demo_db, 2)

    own = audit_queries.search(admin, demo_db, AuditFilter(unit_id=worker.unit_id,
                                                           action="log_service"))
    street = audit_queries.search(admin, demo_db, AuditFilter(
        unit_id=actors["street_officer"].unit_id, action="log_service"))
    other_district = audit_queries.search(admin, demo_db, AuditFilter(
        unit_id=_other_district(admin, demo_db), action="log_service"))

    assert (own.total, street.total, other_district.total) == (2, 2, 0)


def _other_district(admin, uow) -> int:
    from casework.services import org

    return next(u.id for u in org.units(admin, uow, level="district")
                if u.code != "320705")


def test_only_admins_and_the_city_read_the_trail_and_a_refusal_is_itself_audited(
        actors, demo_db):
    with pytest.raises(AccessDenied):
        audit_queries.search(actors["street_officer"], demo_db, AuditFilter())

    denied = audit_queries.search(actors["admin"], demo_db, AuditFilter(action="read_audit"))
    assert [(r.username, r.outcome) for r in denied.rows] == [("demo-street-officer",
                                                               "denied")]


def test_the_export_holds_every_matching_entry_with_translated_headings(actors, demo_db):
    admin, worker = actors["admin"], actors["community_worker"]
    person = _services(worker, demo_db, 3)

    rows = audit_queries.export_rows(admin, demo_db, AuditFilter(action="log_service"))
    frame = audit_queries.to_frame(rows, lang="en")
    back = pd.read_csv(io.BytesIO(audit_queries.csv_bytes(frame)), encoding="utf-8-sig")

    assert len(rows) == 3
    assert list(back.columns[:4]) == ["Time (UTC)", "Account", "Action", "Outcome"]
    assert back["Person"].tolist() == [person] * 3
    assert back["Outcome"].tolist() == ["done"] * 3
    assert back["Action"].tolist() == ["Log a service"] * 3
    assert back["Action code"].tolist() == ["log_service"] * 3
