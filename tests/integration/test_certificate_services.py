"""The Re-employment Preferential Certificate on both databases: issued by the street office with
the street's next serial of the year (also when two officers issue at once), refused with the
reason to those who may not hold one, checked yearly, withdrawn on stable employment, and lost
and reissued under a new number."""

import datetime as dt
import threading

import pytest
from sqlalchemy import select

from casework import demo
from casework.certificates import validity
from casework.db.models import Loan, Person
from casework.db.models_notice import CertificateCheck, PreferentialCertificate
from casework.errors import AccessDenied, StaleRecord, ValidationError
from casework.ids import make_resident_id
from casework.policy import load_policy
from casework.services import certificates, persons
from casework.services.certificate_queries import facts
from casework.services.certificates import (
    CertificateRefused,
    IssueCertificate,
    RecordCheck,
    ReportLost,
    Withdraw,
)
from casework.services.uow import UnitOfWork
from tests.integration.helpers import count, refusals, trail

REGISTERED = dt.date(2019, 3, 1)  # a year the demo issues no certificates in
ISSUED = dt.date(2019, 6, 3)


def register(worker, uow, seq: int, *, category: str = "laid_off") -> int:
    return persons.register_person(worker, uow, today=REGISTERED, confirm_similar=True, values={
        "name": f"持证人{seq}", "id_number": make_resident_id("320703", dt.date(1968, 4, 2), seq,
                                                          "M"),
        "category": category, "community_id": worker.unit_id, "household_members": 3,
        "out_of_work_since": dt.date(2018, 10, 1)})


def issue(officer, uow, person_id: int, on: dt.date = ISSUED) -> int:
    return certificates.issue(officer, uow, IssueCertificate(person_id=person_id, issued_on=on))


def stored(uow, certificate_id: int) -> PreferentialCertificate:
    with uow:
        row = uow.session.get(PreferentialCertificate, certificate_id)
        uow.session.expunge(row)
        return row


def status(actor, uow, person_id: int, on: dt.date):
    return certificates.status(actor, uow, person_id=person_id, on=on)


@pytest.fixture
def holder(worker, demo_db) -> int:
    return register(worker, demo_db, 41)


@pytest.fixture
def certificate_id(officer, demo_db, holder) -> int:
    return issue(officer, demo_db, holder)


def test_two_issues_in_the_same_street_and_year_get_serials_1_and_2(worker, officer, demo_db):
    first, second = register(worker, demo_db, 41), register(worker, demo_db, 42)

    a, b = issue(officer, demo_db, first), issue(officer, demo_db, second)

    one, two = stored(demo_db, a), stored(demo_db, b)
    assert (one.year, one.serial, two.serial) == (2019, 1, 2)
    street_code = one.number.split("-")[0]
    assert (one.number, two.number) == (f"{street_code}-2019-00001", f"{street_code}-2019-00002")
    assert one.street_id == officer.unit_id
    assert [e["action"] for e in trail(demo_db, "preferential_certificate", a)] == [
        "issue_certificate"]


def test_two_officers_issuing_at_once_get_different_serials(worker, officer, db_url, demo_db):
    people = [register(worker, demo_db, 50 + i) for i in range(2)]
    start, ids, errors = threading.Barrier(2), [], []

    def issue_one(person_id: int) -> None:
        start.wait()
        try:
            ids.append(issue(officer, UnitOfWork(url=db_url), person_id))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=issue_one, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sorted(stored(demo_db, i).serial for i in ids) == [1, 2]


@pytest.mark.parametrize("category", ["retiree", "new_entrant", "never_employed"])
def test_a_person_who_may_not_hold_one_is_refused_with_the_reason_and_the_refusal_audited(
        worker, officer, demo_db, category):
    person_id = register(worker, demo_db, 43, category=category)
    before = count(demo_db, PreferentialCertificate)

    with pytest.raises(CertificateRefused) as caught:
        issue(officer, demo_db, person_id)

    assert "laid-off and unemployed people only" in caught.value.text("en")
    assert count(demo_db, PreferentialCertificate) == before
    assert refusals(demo_db, "person", person_id) == [("issue_certificate", officer.username)]


def test_a_second_certificate_is_refused_while_the_first_is_valid(officer, demo_db, holder,
                                                                 certificate_id):
    with pytest.raises(CertificateRefused) as caught:
        issue(officer, demo_db, holder, ISSUED + dt.timedelta(days=30))

    assert stored(demo_db, certificate_id).number in caught.value.text("en")


def test_a_community_worker_may_not_issue_one(worker, demo_db, holder):
    with pytest.raises(AccessDenied):
        issue(worker, demo_db, holder)

    assert refusals(demo_db, "person", holder) == [("issue_certificate", worker.username)]


def test_the_annual_check_keeps_it_valid_and_a_missed_one_ends_that(officer, worker, demo_db,
                                                                    holder, certificate_id):
    assert status(worker, demo_db, holder, dt.date(2020, 4, 1)).state == "check_missed"

    certificates.record_check(officer, demo_db, RecordCheck(
        certificate_id=certificate_id, expected_version=1, year=2020, passed=True,
        checked_on=dt.date(2020, 3, 2)))

    row = status(worker, demo_db, holder, dt.date(2020, 4, 1))
    assert (row.state, row.last_check) == ("valid", (2020, True, dt.date(2020, 3, 2)))
    assert status(worker, demo_db, holder, dt.date(2021, 4, 1)).state == "check_missed"
    with demo_db:
        assert demo_db.session.scalar(select(CertificateCheck.staff_id)) == officer.staff_id


def test_a_failed_check_needs_a_remark_and_a_year_is_checked_once(officer, demo_db,
                                                                  certificate_id):
    check = RecordCheck(certificate_id=certificate_id, expected_version=1, year=2020,
                        passed=False, checked_on=dt.date(2020, 3, 2))
    with pytest.raises(ValidationError) as caught:
        certificates.record_check(officer, demo_db, check)
    assert set(caught.value.fields) == {"remark"}

    certificates.record_check(officer, demo_db, RecordCheck(
        certificate_id=certificate_id, expected_version=1, year=2020, passed=False,
        remark="本人未到场", checked_on=dt.date(2020, 3, 2)))
    with pytest.raises(CertificateRefused) as again:
        certificates.record_check(officer, demo_db, RecordCheck(
            certificate_id=certificate_id, expected_version=1, year=2020, passed=True,
            checked_on=dt.date(2020, 3, 9)))
    assert "already been recorded" in again.value.text("en")


def test_withdrawal_on_stable_employment_keeps_the_reason_and_ends_validity(
        officer, worker, demo_db, holder, certificate_id):
    version = certificates.withdraw(officer, demo_db, Withdraw(
        certificate_id=certificate_id, expected_version=1, reason="stable_employment",
        remark="在港口公司签订三年劳动合同", withdrawn_on=dt.date(2019, 11, 4)))

    row = status(worker, demo_db, holder, dt.date(2019, 11, 4))
    assert (version, row.state, row.withdrawal_reason, row.withdrawal_remark) == (
        2, "withdrawn", "stable_employment", "在港口公司签订三年劳动合同")
    assert "withdrawn on 2019-11-04 (stable employment)" in row.reason.text("en")
    with pytest.raises(StaleRecord):
        certificates.withdraw(officer, demo_db, Withdraw(
            certificate_id=certificate_id, expected_version=1, reason="moved"))


def test_lost_then_reissued_the_old_number_is_invalid_and_the_new_one_points_back(
        officer, worker, demo_db, holder, certificate_id):
    lost_on = dt.date(2019, 9, 9)

    new_id = certificates.report_lost(officer, demo_db, ReportLost(
        certificate_id=certificate_id, expected_version=1, lost_on=lost_on))

    old, new = stored(demo_db, certificate_id), stored(demo_db, new_id)
    assert (old.lost_on, new.replaces_id, new.person_id, new.serial) == (
        lost_on, certificate_id, holder, old.serial + 1)
    assert new.number != old.number
    current = status(worker, demo_db, holder, lost_on)
    assert (current.id, current.state, current.replaces) == (new_id, "valid", old.number)
    [listed_old] = [r for r in certificates.list_by_street(officer, demo_db, on=lost_on)
                    if r.id == certificate_id]
    assert (listed_old.state, listed_old.replaced_by) == ("lost", new.number)
    with pytest.raises(CertificateRefused):
        certificates.reissue(officer, demo_db, certificate_id=certificate_id)


def test_a_loss_reported_without_reissue_can_be_reissued_later_once(officer, demo_db, holder,
                                                                   certificate_id):
    assert certificates.report_lost(officer, demo_db, ReportLost(
        certificate_id=certificate_id, expected_version=1, lost_on=dt.date(2019, 9, 9),
        reissue=False)) is None

    new_id = certificates.reissue(officer, demo_db, certificate_id=certificate_id,
                                  issued_on=dt.date(2019, 9, 20))

    assert stored(demo_db, new_id).replaces_id == certificate_id
    with pytest.raises(CertificateRefused) as caught:
        certificates.reissue(officer, demo_db, certificate_id=certificate_id)
    assert "already been replaced" in caught.value.text("en")


def test_the_street_list_finds_by_number_or_name_and_hides_names_from_researchers(
        officer, actors, demo_db, holder, certificate_id):
    number = stored(demo_db, certificate_id).number

    by_number = certificates.list_by_street(officer, demo_db, street_id=officer.unit_id,
                                            search=number, on=ISSUED)
    by_name = certificates.list_by_street(officer, demo_db, search="持证人41", on=ISSUED)

    assert [r.id for r in by_number] == [r.id for r in by_name] == [certificate_id]
    assert (by_number[0].name, by_number[0].state) == ("持证人41", "valid")
    [seen] = [r for r in certificates.list_by_street(actors["researcher"], demo_db, on=ISSUED)
              if r.id == certificate_id]
    assert (seen.name, seen.number, seen.state) == (None, "—", "valid")
    assert number not in seen.reason.text("en")


def test_a_future_day_is_refused_beside_its_field(officer, demo_db, holder):
    with pytest.raises(ValidationError) as caught:
        issue(officer, demo_db, holder, dt.date(2100, 1, 1))

    assert set(caught.value.fields) == {"issued_on"}


def test_candidates_are_laid_off_or_unemployed_people_without_a_certificate_in_force(
        worker, officer, demo_db):
    laid_off, retiree = register(worker, demo_db, 44), register(worker, demo_db, 45,
                                                               category="retiree")

    def found() -> set[int]:
        return {c.id for c in certificates.candidates(officer, demo_db, search="持证人4")}

    assert found() == {laid_off}
    certificate_id = issue(officer, demo_db, laid_off)
    assert found() == set()
    certificates.withdraw(officer, demo_db, Withdraw(
        certificate_id=certificate_id, expected_version=1, reason="moved",
        withdrawn_on=ISSUED + dt.timedelta(days=1)))
    assert found() == {laid_off}
    assert retiree not in found()


def test_the_demo_issues_checks_withdraws_and_reissues_and_every_borrower_held_a_valid_one(uow):
    demo.generate(uow, persons=600, seed=3, as_of=dt.date(2004, 6, 30))

    policy = load_policy()
    with uow:
        rows = uow.session.scalars(select(PreferentialCertificate)).all()
        holders = {p.category for p in uow.session.scalars(
            select(Person).where(Person.id.in_({r.person_id for r in rows})))}
        checks = uow.session.scalars(select(CertificateCheck)).all()
        loans = uow.session.scalars(select(Loan)).all()
        assert holders <= {"laid_off", "unemployed"}
        assert {r.withdrawal_reason for r in rows if r.withdrawn_on} == {"stable_employment"}
        lost = {r.id for r in rows if r.lost_on}
        assert lost and lost == {r.replaces_id for r in rows if r.replaces_id}
        assert sum(c.passed for c in checks) > 100
        assert loans
        for loan in loans:
            held = uow.session.get(PreferentialCertificate, loan.certificate_id)
            assert held.person_id == loan.person_id
            assert validity(policy, facts(uow.session, held), on=loan.applied_on).ok
        assert {loan.project_kind for loan in loans} > {"catering", "repair"}
        assert len({loan.business_plan for loan in loans}) == len(loans)
