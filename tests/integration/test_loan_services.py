"""Small guaranteed loans on both databases: the notice's terms at their limits, the valid
Re-employment Preferential Certificate the 2002 rules require (银发〔2002〕394号), the five steps
in order by the roles allowed, the interest subsidy of the 2002 rules, instalments and overdue
repayments."""

import datetime as dt

import pytest
from sqlalchemy import select

from casework import money
from casework.db.models import AuditEntry, Loan, LoanStep
from casework.errors import StaleRecord, ValidationError
from casework.policy import load_policy
from casework.services import certificates, loans
from casework.services.certificates import IssueCertificate, RecordCheck, ReportLost, Withdraw
from casework.services.loans import LoanTermsNotMet
from casework.services.steps import StepRefused
from tests.integration.helpers import count, days, refusals, trail
from tests.integration.test_job_services import register

APPLIED = dt.date(2025, 12, 8)
APPROVED = dt.date(2026, 1, 10)  # instalments fall due on the 10th from February
CERTIFIED = dt.date(2025, 12, 2)  # the day after registration (test_job_services.REGISTERED)
POLICY = load_policy()


def apply(worker, uow, person_id: int, *, amount=20_000, term_months=24,
          purpose="self_employment", project_kind="catering", today=APPLIED) -> int:
    return loans.apply(worker, uow, person_id=person_id, amount=amount,
                       term_months=term_months, purpose=purpose, project_kind=project_kind,
                       business_plan="开设社区早餐店", today=today)


def certify(officer, uow, person_id: int) -> int:
    """Issue the person a Re-employment Preferential Certificate the day after registering."""
    return certificates.issue(officer, uow, IssueCertificate(person_id=person_id,
                                                             issued_on=CERTIFIED))


def certified(worker, officer, uow, seq: int, **kw) -> int:
    """Register a person and issue them a certificate; the person's id."""
    person_id = register(worker, uow, seq, **kw)
    certify(officer, uow, person_id)
    return person_id


def loan_row(actor, uow, loan_id: int, today: dt.date = APPROVED) -> loans.LoanRow:
    [row] = [r for r in loans.loans(actor, uow, today=today) if r.id == loan_id]
    return row




@pytest.fixture
def takers(actors) -> dict:
    """Who takes each step after the application: worker, street, district, city."""
    return {"community_recommended": actors["community_worker"],
            "agency_reviewed": actors["street_officer"],
            "guarantee_committed": actors["district_officer"],
            "bank_approved": actors["city_officer"]}


@pytest.fixture
def take(takers, demo_db):
    """``take(loan_id, version, step, ...)`` by the role whose step it is; the new version."""
    def _take(loan_id: int, version: int, step: str, **kw) -> int:
        return loans.take_step(takers[step], demo_db, loan_id=loan_id, expected_version=version,
                               step=step, today=APPROVED, **kw)

    return _take


@pytest.fixture
def borrower(worker, officer, demo_db) -> int:
    """A laid-off person holding a valid certificate."""
    return certified(worker, officer, demo_db, 31)


@pytest.fixture
def loan_id(worker, demo_db, borrower) -> int:
    """An application for 20,000 yuan over 24 months."""
    return apply(worker, demo_db, borrower)


def approve(take, loan_id: int) -> int:
    version = 1
    for step in money.LOAN_STEPS[1:]:
        version = take(loan_id, version, step)
    return version


# --- the terms ----------------------------------------------------------------------------------


def test_an_application_for_20000_yuan_over_24_months_is_accepted_with_its_interest_subsidy(
        worker, demo_db, borrower):
    loan_id = apply(worker, demo_db, borrower)

    row = loan_row(worker, demo_db, loan_id)
    # 833 a month for 23 months and 841 last: 250,092 yuan-months outstanding at 5.49% / 12,
    # all of it subsidised for a catering stall (a micro-profit project).
    by_hand = (24 * 20_000 - 833 * sum(range(24))) * 0.0549 / 12
    assert row.interest_subsidy == round(by_hand) == 1144
    assert (row.person_id, row.amount, row.term_months, row.status, row.applied_on,
            row.project_kind) == (borrower, 20_000, 24, "applied", APPLIED, "catering")
    assert "Micro-profit project: 100% of 1144.17 yuan" in row.subsidy_basis.text("en")
    assert (row.steps[0][:3], row.next_step, row.overdue, row.outstanding) == (
        ("applied", True, None), "community_recommended", 0, 0)
    held = certificates.status(worker, demo_db, person_id=borrower, on=APPLIED)
    with demo_db:
        stored = demo_db.session.get(Loan, loan_id)
        assert (stored.purpose, stored.business_plan, stored.policy_version) == (
            "self_employment", "开设社区早餐店", "2003-97/2")
        assert (stored.micro_profit, stored.certificate_id, stored.annual_rate) == (
            True, held.id, 0.0549)
        assert [r["key"] for r in stored.decision] == [
            "money.loan.amount.ok", "money.loan.term.ok", "money.loan.category.ok",
            "money.loan.purpose.ok", "money.loan.certificate.ok", "certificates.state.valid.ok"]
    assert [e["action"] for e in trail(demo_db, "loan", loan_id)] == ["apply_loan"]


def test_a_project_that_is_not_micro_profit_gets_the_policys_share_at_the_term_bands_rate(
        worker, demo_db, borrower):
    loan_id = apply(worker, demo_db, borrower, amount=12_000, term_months=12,
                    project_kind="retail_store")

    row = loan_row(worker, demo_db, loan_id)
    # 1,000 a month: 78,000 yuan-months at 5.31% / 12 = 345.15 yuan, half of it subsidised.
    assert row.interest_subsidy == round(78_000 * 0.0531 / 12 * 0.5) == 173
    assert "Not a micro-profit project: 50% of 345.15 yuan interest at 5.31%" in (
        row.subsidy_basis.text("en"))
    with demo_db:
        assert demo_db.session.get(Loan, loan_id).micro_profit is False


# --- the certificate (银发〔2002〕394号) ------------------------------------------------------


def test_a_loan_without_a_certificate_is_refused_with_the_reason(worker, demo_db):
    person_id = register(worker, demo_db, 35)
    before = count(demo_db, Loan)

    with pytest.raises(LoanTermsNotMet) as caught:
        apply(worker, demo_db, person_id)

    text = caught.value.text("en")
    assert "needs a valid Re-employment Preferential Certificate (银发〔2002〕394号)" in text
    assert "The applicant holds no Re-employment Preferential Certificate." in text
    assert "小额担保贷款须持有有效的《再就业优惠证》" in caught.value.text("zh")
    assert count(demo_db, Loan) == before


def test_a_loan_on_a_withdrawn_certificate_is_refused_naming_the_withdrawal(
        worker, officer, demo_db, borrower):
    [held] = certificates.list_by_street(officer, demo_db, search="求职者31", on=APPLIED)
    certificates.withdraw(officer, demo_db, Withdraw(
        certificate_id=held.id, expected_version=1, reason="stable_employment",
        withdrawn_on=CERTIFIED + days(3)))

    with pytest.raises(LoanTermsNotMet) as caught:
        apply(worker, demo_db, borrower)

    assert f"{held.number} was withdrawn on 2025-12-05 (stable employment)" in (
        caught.value.text("en"))


def test_a_loan_on_a_lost_certificate_is_refused_but_its_replacement_is_valid(
        worker, officer, demo_db, borrower):
    [held] = certificates.list_by_street(officer, demo_db, search="求职者31", on=APPLIED)
    certificates.report_lost(officer, demo_db, ReportLost(
        certificate_id=held.id, expected_version=1, lost_on=CERTIFIED + days(2), reissue=False))

    with pytest.raises(LoanTermsNotMet) as caught:
        apply(worker, demo_db, borrower)
    assert f"{held.number} was reported lost on 2025-12-04" in caught.value.text("en")

    new_id = certificates.reissue(officer, demo_db, certificate_id=held.id,
                                  issued_on=CERTIFIED + days(4))
    loan_id = apply(worker, demo_db, borrower)
    with demo_db:
        assert demo_db.session.get(Loan, loan_id).certificate_id == new_id


def test_a_loan_after_a_missed_annual_check_is_refused_until_the_check_is_made(
        worker, officer, demo_db, borrower):
    [held] = certificates.list_by_street(officer, demo_db, search="求职者31", on=APPLIED)
    april = dt.date(2026, 4, 1)

    with pytest.raises(LoanTermsNotMet) as caught:
        apply(worker, demo_db, borrower, today=april)
    assert "missed its annual check of 2026 (due by 2026-03-31)" in caught.value.text("en")

    certificates.record_check(officer, demo_db, RecordCheck(
        certificate_id=held.id, expected_version=1, year=2026, passed=True,
        checked_on=april))
    assert apply(worker, demo_db, borrower, today=april)


@pytest.mark.parametrize(("terms", "says"), [
    ({"amount": 20_001}, "Amount 20001 yuan is above the limit of 20000"),
    ({"term_months": 25}, "Term 25 months is above the limit of 24"),
    ({"purpose": "consumption"}, "Small guaranteed loans are for self-employment only."),
], ids=["20001_yuan", "25_months", "for_consumption"])
def test_an_application_outside_the_terms_is_refused_naming_only_what_fails(
        worker, demo_db, borrower, terms, says):
    before = count(demo_db, Loan)

    with pytest.raises(LoanTermsNotMet) as caught:
        apply(worker, demo_db, borrower, **terms)

    text = caught.value.text("en")
    assert text.startswith("The loan application does not meet the terms: ")
    assert says in text
    assert "within the limit" not in text
    assert count(demo_db, Loan) == before


def test_a_term_of_exactly_24_months_and_one_of_a_single_month_are_accepted(worker, officer,
                                                                            demo_db):
    for seq, term in ((32, 24), (33, 1)):
        loan_id = apply(worker, demo_db, certified(worker, officer, demo_db, seq),
                        amount=5_000, term_months=term)
        assert loan_row(worker, demo_db, loan_id).term_months == term


@pytest.mark.parametrize(("category", "birth"), [
    ("retiree", dt.date(1963, 5, 10)), ("new_entrant", dt.date(2008, 5, 10)),
])
def test_a_retiree_or_new_entrant_cannot_borrow(worker, demo_db, category, birth):
    person_id = register(worker, demo_db, 34, category=category, birth=birth)
    before = count(demo_db, Loan)

    with pytest.raises(LoanTermsNotMet) as caught:
        apply(worker, demo_db, person_id, amount=5_000)

    assert "for registered laid-off and unemployed people only" in caught.value.text("en")
    assert count(demo_db, Loan) == before


def test_an_application_without_a_purpose_or_with_no_amount_is_refused_by_field(
        worker, demo_db, borrower):
    with pytest.raises(ValidationError) as caught:
        apply(worker, demo_db, borrower, amount=0, term_months=None, purpose=None,
              project_kind=None)

    assert {f: m.key for f, m in caught.value.fields.items()} == {
        "amount": "training.at_least", "term_months": "training.at_least",
        "purpose": "form.required", "project_kind": "form.required"}


def test_a_street_officer_may_record_an_application_but_a_district_officer_may_not(
        officer, actors, demo_db, borrower):
    assert loans.apply(officer, demo_db, person_id=borrower, amount=8_000, term_months=12,
                       purpose="self_employment", project_kind="repair", today=APPLIED)
    district = actors["district_officer"]
    before = count(demo_db, Loan)

    with pytest.raises(StepRefused):
        loans.apply(district, demo_db, person_id=borrower, amount=8_000, term_months=12,
                    purpose="self_employment", project_kind="repair", today=APPLIED)

    assert count(demo_db, Loan) == before
    with demo_db:
        [entry] = demo_db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "step_applied", AuditEntry.outcome == "denied",
            AuditEntry.username == district.username))
        assert (entry.entity, entry.entity_id, entry.username) == (
            "person", str(borrower), district.username)


# --- the five steps -------------------------------------------------------------------------------


def test_five_steps_by_the_right_roles_approve_the_loan_with_instalments_summing_to_it(
        worker, takers, demo_db, take, loan_id):
    version = approve(take, loan_id)

    row = loan_row(worker, demo_db, loan_id)
    assert (row.status, row.next_step, row.version, version) == ("bank_approved", None, 5, 5)
    assert [(step, ok, role) for step, ok, _, role in row.steps] == [
        ("applied", True, "community_worker"),
        ("community_recommended", True, "community_worker"),
        ("agency_reviewed", True, "street_officer"),
        ("guarantee_committed", True, "district_officer"),
        ("bank_approved", True, "city_officer")]
    plan = loans.instalments(worker, demo_db, loan_id=loan_id, today=APPROVED)
    assert len(plan) == 24
    assert sum(i.amount_due for i in plan) == 20_000
    assert [i.amount_due for i in plan[:2]] + [plan[-1].amount_due] == [833, 833, 841]
    assert [i.due_on for i in plan[:2]] + [plan[-1].due_on] == [
        dt.date(2026, 2, 10), dt.date(2026, 3, 10), dt.date(2028, 1, 10)]
    assert (row.outstanding, row.overdue) == (20_000, 0)
    assert [(e["action"], e["username"]) for e in trail(demo_db, "loan", loan_id)] == [
        ("apply_loan", worker.username)] + [
        (f"step_{step}", takers[step].username) for step in money.LOAN_STEPS[1:]]


def test_the_guarantee_step_cannot_be_skipped_and_the_attempt_is_audited(
        worker, takers, demo_db, take, loan_id):
    version = take(loan_id, 1, "community_recommended")
    version = take(loan_id, version, "agency_reviewed")

    with pytest.raises(StepRefused) as caught:
        take(loan_id, version, "bank_approved")

    assert "'guarantee agency committed' comes next, not 'bank approved'" in caught.value.text(
        "en")
    assert refusals(demo_db, "loan", loan_id) == [
        ("step_bank_approved", takers["bank_approved"].username)]
    row = loan_row(worker, demo_db, loan_id)
    assert (row.status, row.next_step, len(row.steps)) == (
        "agency_reviewed", "guarantee_committed", 3)
    assert loans.instalments(worker, demo_db, loan_id=loan_id) == []


def test_a_step_cannot_be_repeated(worker, demo_db, take, loan_id):
    version = take(loan_id, 1, "community_recommended")

    with pytest.raises(StepRefused) as caught:
        take(loan_id, version, "community_recommended")

    assert "has already been taken" in caught.value.text("en")
    assert refusals(demo_db, "loan", loan_id) == [("step_community_recommended", worker.username)]


def test_a_step_by_a_role_not_allowed_to_take_it_is_refused(worker, officer, demo_db,
                                                             loan_id):
    with pytest.raises(StepRefused) as caught:
        loans.take_step(officer, demo_db, loan_id=loan_id, expected_version=1,
                        step="community_recommended")

    assert "A street officer may not take the step 'community recommended'." in (
        caught.value.text("en"))
    assert loan_row(worker, demo_db, loan_id).status == "applied"


def test_a_refusal_ends_the_application_and_later_steps_are_refused(worker, officer, takers,
                                                                     demo_db, take, loan_id):
    version = take(loan_id, 1, "community_recommended")
    version = take(loan_id, version, "agency_reviewed", approved=False,
                   remark="经营计划不可行")

    with pytest.raises(StepRefused) as caught:
        take(loan_id, version, "guarantee_committed")

    assert "refused at an earlier step" in caught.value.text("en")
    row = loan_row(worker, demo_db, loan_id)
    assert (row.status, row.next_step) == ("refused", None)
    assert row.steps[-1] == ("agency_reviewed", False, "经营计划不可行", "street_officer")
    assert loans.instalments(worker, demo_db, loan_id=loan_id) == []


def test_refusing_at_a_step_needs_a_remark(worker, demo_db, take, loan_id):
    with pytest.raises(ValidationError) as caught:
        take(loan_id, 1, "community_recommended", approved=False)

    assert set(caught.value.fields) == {"remark"}
    with demo_db:
        assert [s.step for s in demo_db.session.scalars(
            select(LoanStep).where(LoanStep.loan_id == loan_id))] == ["applied"]


def test_a_step_on_a_stale_version_is_refused(worker, demo_db, take, loan_id):
    take(loan_id, 1, "community_recommended")

    with pytest.raises(StaleRecord):
        take(loan_id, 1, "agency_reviewed")

    assert loan_row(worker, demo_db, loan_id).status == "community_recommended"


# --- repayment ----------------------------------------------------------------------------------


def test_an_unpaid_instalment_past_its_due_date_is_overdue_until_it_is_repaid(
        worker, demo_db, take, loan_id):
    approve(take, loan_id)
    today = dt.date(2026, 3, 1)
    first, second = loans.instalments(worker, demo_db, loan_id=loan_id, today=today)[:2]
    assert (first.due_on, first.overdue, second.overdue) == (dt.date(2026, 2, 10), True, False)
    assert loan_row(worker, demo_db, loan_id, today).overdue == 1
    assert loan_row(worker, demo_db, loan_id, first.due_on).overdue == 0

    loans.record_repayment(worker, demo_db, repayment_id=first.id, paid_on=dt.date(2026, 2, 20))

    repaid = loans.instalments(worker, demo_db, loan_id=loan_id, today=today)[0]
    assert (repaid.paid_on, repaid.overdue) == (dt.date(2026, 2, 20), False)
    row = loan_row(worker, demo_db, loan_id, today)
    assert (row.overdue, row.outstanding) == (0, 20_000 - 833)
    [entry] = trail(demo_db, "loan_repayment", first.id)
    assert (entry["action"], entry["before"]["paid_on"], entry["after"]["amount_paid"]) == (
        "record_repayment", None, 833)


def test_a_repayment_dated_after_today_is_refused(worker, demo_db, take, loan_id):
    approve(take, loan_id)
    first = loans.instalments(worker, demo_db, loan_id=loan_id)[0]

    with pytest.raises(ValidationError) as caught:
        loans.record_repayment(worker, demo_db, repayment_id=first.id,
                               paid_on=dt.date.today() + days(1))

    assert set(caught.value.fields) == {"paid_on"}
    assert loans.instalments(worker, demo_db, loan_id=loan_id)[0].paid_on is None


def test_an_instalment_already_repaid_cannot_be_repaid_again(worker, demo_db, take, loan_id):
    approve(take, loan_id)
    first = loans.instalments(worker, demo_db, loan_id=loan_id)[0]
    loans.record_repayment(worker, demo_db, repayment_id=first.id, paid_on=first.due_on)

    with pytest.raises(ValidationError) as caught:
        loans.record_repayment(worker, demo_db, repayment_id=first.id,
                               paid_on=first.due_on + days(3))

    assert set(caught.value.fields) == {"instalment"}
    assert loans.instalments(worker, demo_db, loan_id=loan_id)[0].paid_on == first.due_on
