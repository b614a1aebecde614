"""Placement subsidies on both databases: the conditions of the 500-yuan job-development subsidy
(who was placed, in what kind of new project, on what contract, insured how) and of the
differential purchase of jobs, a claim's steps to payment by the right roles, and the recovery
of a subsidy whose placement ended too early."""

import datetime as dt

import pytest
from sqlalchemy import select

from casework.db.models import (
    AuditEntry,
    EmploymentStatus,
    Placement,
    SubsidyClaim,
    SubsidyStep,
)
from casework.errors import StaleRecord, ValidationError
from casework.policy import add_months, load_policy
from casework.services import jobs, placements, subsidies
from casework.services.steps import StepRefused
from casework.services.subsidies import SubsidyConditionsNotMet
from tests.integration.helpers import count, days, refusals, trail
from tests.integration.test_job_services import post, register, register_hardship
from tests.integration.test_placement_services import pay_months, place

CLAIMED = dt.date(2026, 6, 10)  # three months (March to May) paid by then
POLICY = load_policy()


def new_project(worker, uow, **overrides) -> int:
    """A posting of a community service project the worker's community newly opened."""
    values = {"investor_kind": "service_project", "investor_name": "新海便民服务社",
              "investor_new": True, "openings": 8} | overrides
    return post(worker, uow, worker.unit_id, **values)


def insured(worker, uow, seq: int, *, late_days=(), category: str = "laid_off",
            posting: dict | None = None, **placement) -> int:
    """A placement of a new person of the worker's community, in a newly opened service project
    (or a posting made of ``posting``), with three months of insurance recorded (each paid
    five days after falling due unless ``late_days`` says otherwise)."""
    person_id = register(worker, uow, seq, category=category)
    placement = {"posting_id": new_project(worker, uow, **(posting or {}))} | placement
    placement_id = place(worker, uow, person_id, **placement)
    pay_months(worker, uow, placement_id, 3, late_days=late_days)
    return placement_id


def claim(actor, uow, placement_id: int, kind: str = "job_development",
          funding_level: str = "street") -> int:
    return subsidies.claim(actor, uow, placement_id=placement_id, kind=kind,
                           funding_level=funding_level, today=CLAIMED)


def claim_row(actor, uow, claim_id: int) -> subsidies.ClaimRow:
    [row] = [c for c in subsidies.claims(actor, uow) if c.id == claim_id]
    return row


def claims_of(actor, uow, placement_id: int) -> list[subsidies.ClaimRow]:
    return [c for c in subsidies.claims(actor, uow) if c.placement_id == placement_id]




@pytest.fixture
def district(actors):
    return actors["district_officer"]


@pytest.fixture
def city(actors):
    return actors["city_officer"]


@pytest.fixture
def placement_id(worker, demo_db) -> int:
    """A 36-month placement with three months paid on time."""
    return insured(worker, demo_db, 21)


# --- the job-development subsidy's conditions ---------------------------------------------------


def test_a_35_month_contract_does_not_qualify_and_the_refusal_names_the_contract(worker,
                                                                                 demo_db):
    short = insured(worker, demo_db, 22, contract_months=35)

    with pytest.raises(SubsidyConditionsNotMet) as caught:
        claim(worker, demo_db, short)

    assert caught.value.text("en") == (
        "The subsidy cannot be claimed: Labour contract of 35 months, shorter than the 36 "
        "(3 years) needed.")
    assert "不足 36 个月" in caught.value.text("zh")
    assert claims_of(worker, demo_db, short) == []


def test_a_36_month_contract_with_three_months_paid_on_time_is_claimed_for_500_yuan(
        worker, demo_db, placement_id):
    assert subsidies.check_claim(worker, demo_db, placement_id=placement_id,
                                 kind="job_development", today=CLAIMED).ok

    claim_id = claim(worker, demo_db, placement_id)

    row = claim_row(worker, demo_db, claim_id)
    assert (row.kind, row.amount, row.funding_level, row.status, row.claimed_on, row.paid_on,
            row.steps, row.next_step, row.version) == (
        "job_development", 500, "street", "claimed", CLAIMED, None, ("claimed",),
        "reviewed", 1)
    with demo_db:
        stored = demo_db.session.get(SubsidyClaim, claim_id)
        assert (stored.payee_unit_id, stored.policy_version) == (worker.unit_id, "2003-97/2")
        assert [r["key"] for r in stored.decision][:5] == [
            "money.subsidy.who.ok", "money.subsidy.investor_new.ok", "money.subsidy.contract.ok",
            "money.subsidy.insurance.ok", "money.subsidy.once.ok"]
    assert [(e["action"], e["username"]) for e in trail(demo_db, "subsidy_claim", claim_id)] == [
        ("claim_subsidy", worker.username)]


def test_a_month_paid_after_the_grace_days_blocks_the_claim(worker, demo_db):
    late = insured(worker, demo_db, 23, late_days={1: 31})

    with pytest.raises(SubsidyConditionsNotMet) as caught:
        claim(worker, demo_db, late)

    text = caught.value.text("en")
    assert "Social insurance not paid on time and in full." in text
    assert "1 month(s) of social insurance were not paid within 30 days" in text
    assert "Labour contract" not in text


def test_a_month_paid_on_the_last_day_of_grace_still_counts_as_on_time(worker, demo_db):
    on_the_day = insured(worker, demo_db, 24, late_days={1: 30})

    assert claim_row(worker, demo_db, claim(worker, demo_db, on_the_day)).status == "claimed"


def test_a_second_job_development_claim_for_the_same_placement_is_refused(worker, demo_db,
                                                                          placement_id):
    claim(worker, demo_db, placement_id)

    with pytest.raises(SubsidyConditionsNotMet) as caught:
        claim(worker, demo_db, placement_id, funding_level="city")

    assert "paid once per person and placement" in caught.value.text("en")
    assert len(claims_of(worker, demo_db, placement_id)) == 1


def test_a_placement_may_be_claimed_again_after_its_claim_was_refused_at_review(
        worker, officer, demo_db, placement_id):
    first = claim(worker, demo_db, placement_id)
    subsidies.advance(officer, demo_db, claim_id=first, expected_version=1, step="reviewed",
                      approved=False, remark="合同复印件不清晰")

    second = claim(worker, demo_db, placement_id)

    assert [(c.id, c.status) for c in claims_of(worker, demo_db, placement_id)] == [
        (second, "claimed"), (first, "refused")]


@pytest.mark.parametrize(("category", "label"), [("retiree", "enterprise retiree"),
                                               ("new_entrant", "new labour-force entrant")])
def test_a_retirees_or_new_entrants_placement_draws_no_500_yuan(worker, demo_db, category,
                                                                label):
    placement_id = insured(worker, demo_db, 31, category=category)

    with pytest.raises(SubsidyConditionsNotMet) as caught:
        claim(worker, demo_db, placement_id)

    assert caught.value.text("en") == (
        f"The subsidy cannot be claimed: The person placed is registered as {label}; the "
        "subsidy is only for placing laid-off or unemployed people (the never-employed "
        "included), not retirees or new entrants.")
    assert claims_of(worker, demo_db, placement_id) == []


def test_a_never_employed_persons_placement_draws_the_500_yuan(worker, demo_db):
    placement_id = insured(worker, demo_db, 32, category="never_employed",
                           personnel_file_number="RS-2026-0032")

    assert claim_row(worker, demo_db, claim(worker, demo_db, placement_id)).amount == 500


def test_a_job_in_a_street_invested_posting_does_not_qualify(worker, demo_db):
    placement_id = insured(worker, demo_db, 33, posting={
        "investor_kind": "street", "investor_name": "新海街道办事处", "investor_new": False})

    with pytest.raises(SubsidyConditionsNotMet) as caught:
        claim(worker, demo_db, placement_id)

    assert "investing body is a street office" in caught.value.text("en")


def test_an_enterprise_not_recorded_as_new_does_not_qualify_until_it_is(worker, demo_db):
    old = insured(worker, demo_db, 34, posting={"investor_kind": "enterprise",
                                                "investor_new": False})
    new = insured(worker, demo_db, 35, posting={"investor_kind": "enterprise",
                                                "investor_new": True})

    assert [r.key for r in subsidies.check_claim(worker, demo_db, placement_id=old,
                                                 kind="job_development",
                                                 today=CLAIMED).unmet()] == [
        "money.subsidy.investor_new.no"]
    assert claim_row(worker, demo_db, claim(worker, demo_db, new)).status == "claimed"


def test_a_placement_without_a_posting_names_no_investor_and_says_what_to_record(worker,
                                                                                 demo_db):
    placement_id = insured(worker, demo_db, 36, posting_id=None)

    decision = subsidies.check_claim(worker, demo_db, placement_id=placement_id,
                                     kind="job_development", today=CLAIMED)

    assert [r.key for r in decision.unmet()] == ["money.subsidy.investor_unknown.no"]
    assert "Record it against the posting" in " ".join(decision.explain("en"))


def test_a_posting_records_a_newly_opened_project_and_a_street_office_cannot_be_new(worker,
                                                                                   demo_db):
    posting_id = new_project(worker, demo_db)

    assert next(p for p in jobs.postings(worker, demo_db) if p.id == posting_id).investor_new
    with pytest.raises(ValidationError) as caught:
        post(worker, demo_db, worker.unit_id, investor_kind="street", investor_new=True)
    assert set(caught.value.fields) == {"investor_new"}
    assert "a street or community office is not" in caught.value.field_texts("en")[
        "investor_new"]


# --- recovery when the placement ends too early ---------------------------------------------

BEGAN = dt.date(2023, 5, 10)  # three years before the tests' today
N = POLICY["subsidy"]["recovery_within_months"]


def claimed_long_ago(worker, uow, seq: int) -> tuple[int, int]:
    """A placement begun on BEGAN with its job-development claim made half a year later."""
    placement_id = place(worker, uow, register(worker, uow, seq), start_date=BEGAN,
                         posting_id=new_project(worker, uow))
    pay_months(worker, uow, placement_id, 3, first_due=dt.date(2023, 6, 10))
    claim_id = subsidies.claim(worker, uow, placement_id=placement_id, kind="job_development",
                               funding_level="street", today=dt.date(2023, 11, 10))
    return placement_id, claim_id


def end(actor, uow, placement_id: int, on: dt.date) -> list[int]:
    """End the placement through the service, at the version last read."""
    with uow:
        version = uow.session.get(Placement, placement_id).version
    return placements.end_placement(actor, uow, placement_id=placement_id,
                                    expected_version=version, ended_on=on, remark="合同解除")


def test_an_ended_placement_puts_the_person_out_of_work_again_from_that_day(worker, demo_db):
    placement_id, _claim = claimed_long_ago(worker, demo_db, 46)

    end(worker, demo_db, placement_id, dt.date(2024, 2, 1))

    with demo_db:
        placement = demo_db.session.get(Placement, placement_id)
        latest = demo_db.session.scalars(select(EmploymentStatus).where(
            EmploymentStatus.person_id == placement.person_id)
            .order_by(EmploymentStatus.id.desc())).first()
        ended_on, status = placement.ended_on, (latest.status, latest.since, latest.note)
    assert ended_on == dt.date(2024, 2, 1)
    assert status[:2] == ("unemployed", dt.date(2024, 2, 1))
    assert "合同解除" in status[2]
    assert trail(demo_db, "placement", placement_id)[-1]["action"] == "end_placement"


def test_a_placement_cannot_end_before_it_began_or_end_twice_or_from_a_stale_read(worker,
                                                                                  demo_db):
    placement_id, _claim = claimed_long_ago(worker, demo_db, 47)

    with pytest.raises(ValidationError) as early:
        end(worker, demo_db, placement_id, BEGAN - days(1))
    end(worker, demo_db, placement_id, BEGAN + days(30))
    with pytest.raises(ValidationError) as twice:
        end(worker, demo_db, placement_id, BEGAN + days(60))
    with pytest.raises(StaleRecord):
        placements.end_placement(worker, demo_db, placement_id=placement_id,
                                 expected_version=1, ended_on=BEGAN + days(60))

    assert "before the placement started on 2023-05-10" in early.value.field_texts("en")["ended_on"]
    assert "already ended on 2023-06-09" in twice.value.field_texts("en")["ended_on"]


def test_a_placement_ending_a_day_before_n_months_flags_its_claim_for_recovery(worker,
                                                                              demo_db):
    placement_id, claim_id = claimed_long_ago(worker, demo_db, 41)

    flagged = end(worker, demo_db, placement_id, add_months(BEGAN, N) - days(1))

    row = claim_row(worker, demo_db, claim_id)
    assert flagged == [claim_id]
    assert row.recovery_flagged_on == demo_db.today()
    assert row.recovery_reason.text("en") == (
        "The placement started 2023-05-10 and ended 2026-05-09, before 36 full months "
        "(2026-05-10): the job-development subsidy is to be recovered.")
    assert [c.id for c in subsidies.recoveries(worker, demo_db)] == [claim_id]
    flag = trail(demo_db, "subsidy_claim", claim_id)[-1]
    assert (flag["action"], flag["username"], flag["before"]["recovery_flagged_on"]) == (
        "flag_recovery", worker.username, None)


def test_a_placement_ending_after_exactly_n_months_keeps_its_subsidy(worker, demo_db):
    placement_id, claim_id = claimed_long_ago(worker, demo_db, 42)

    assert end(worker, demo_db, placement_id, add_months(BEGAN, N)) == []

    assert claim_row(worker, demo_db, claim_id).recovery_flagged_on is None
    assert subsidies.recoveries(worker, demo_db) == []


def test_a_flagged_claim_is_not_approved_but_may_be_refused(worker, officer, demo_db):
    placement_id, claim_id = claimed_long_ago(worker, demo_db, 43)
    version = subsidies.advance(officer, demo_db, claim_id=claim_id, expected_version=1,
                                step="reviewed")
    end(worker, demo_db, placement_id, add_months(BEGAN, 8))
    version = claim_row(worker, demo_db, claim_id).version

    with pytest.raises(StepRefused) as caught:
        subsidies.advance(officer, demo_db, claim_id=claim_id, expected_version=version,
                          step="approved")
    subsidies.advance(officer, demo_db, claim_id=claim_id, expected_version=version,
                      step="approved", approved=False, remark="安置未满三年，追回")

    assert "flagged for recovery" in caught.value.text("en")
    assert claim_row(worker, demo_db, claim_id).status == "refused"


def test_a_refused_claim_is_not_flagged(worker, officer, demo_db):
    placement_id, claim_id = claimed_long_ago(worker, demo_db, 44)
    subsidies.advance(officer, demo_db, claim_id=claim_id, expected_version=1,
                      step="reviewed", approved=False, remark="材料不全")

    assert end(worker, demo_db, placement_id, add_months(BEGAN, 8)) == []


def test_no_claim_is_accepted_for_a_placement_that_already_ended_too_early(worker, demo_db):
    placement_id = place(worker, demo_db, register(worker, demo_db, 45), start_date=BEGAN,
                         posting_id=new_project(worker, demo_db))
    pay_months(worker, demo_db, placement_id, 3, first_due=dt.date(2023, 6, 10))
    end(worker, demo_db, placement_id, add_months(BEGAN, 10))

    with pytest.raises(SubsidyConditionsNotMet) as caught:
        claim(worker, demo_db, placement_id)

    assert "ended on 2024-03-10, before 36 full months" in caught.value.text("en")


# --- the differential purchase of jobs ------------------------------------------------------------


def test_the_differential_purchase_is_refused_for_an_ordinary_placement(worker, demo_db,
                                                                        placement_id):
    with pytest.raises(SubsidyConditionsNotMet) as caught:
        claim(worker, demo_db, placement_id, kind="differential_purchase")

    assert caught.value.text("en").startswith(
        "The subsidy cannot be claimed: The differential purchase of jobs applies only to ")


def test_a_policy_placement_gets_the_monthly_amount_for_the_months_of_the_policy(worker,
                                                                                 demo_db):
    placement_id = insured(worker, demo_db, 25, policy_placement=True)
    p = POLICY["differential_purchase"]

    claim_id = claim(worker, demo_db, placement_id, kind="differential_purchase")

    assert claim_row(worker, demo_db, claim_id).amount == p["monthly_yuan"] * p["months"] == 1200
    with demo_db:
        stored = demo_db.session.get(SubsidyClaim, claim_id)
        assert (stored.monthly_amount, stored.months) == (p["monthly_yuan"], p["months"])


def test_both_subsidies_stack_on_a_hardship_placement_and_each_is_paid_once(worker, officer,
                                                                            demo_db):
    person_id = register(worker, demo_db, 26)
    register_hardship(worker, officer, demo_db, person_id)
    placement_id = place(worker, demo_db, person_id, posting_id=new_project(worker, demo_db))
    pay_months(worker, demo_db, placement_id, 3)

    claim(worker, demo_db, placement_id, kind="job_development")
    claim(worker, demo_db, placement_id, kind="differential_purchase", funding_level="city")

    assert sorted((c.kind, c.amount, c.funding_level)
                  for c in claims_of(worker, demo_db, placement_id)) == [
        ("differential_purchase", 1200, "city"), ("job_development", 500, "street")]
    with pytest.raises(SubsidyConditionsNotMet) as caught:
        claim(worker, demo_db, placement_id, kind="differential_purchase")
    assert "already been claimed" in caught.value.text("en")


def test_a_claim_of_an_unknown_kind_or_fund_is_refused_naming_both(worker, demo_db,
                                                                   placement_id):
    with pytest.raises(ValidationError) as caught:
        claim(worker, demo_db, placement_id, kind="bonus", funding_level="province")

    assert set(caught.value.fields) == {"kind", "funding_level"}


# --- steps to payment --------------------------------------------------------------------------


def test_a_district_funded_claim_is_reviewed_approved_and_paid_by_the_right_officers(
        worker, officer, district, demo_db, placement_id):
    claim_id = claim(worker, demo_db, placement_id, funding_level="district")

    version = subsidies.advance(officer, demo_db, claim_id=claim_id, expected_version=1,
                                step="reviewed")
    version = subsidies.advance(district, demo_db, claim_id=claim_id, expected_version=version,
                                step="approved", remark="同意")
    version = subsidies.advance(district, demo_db, claim_id=claim_id, expected_version=version,
                                step="paid", today=CLAIMED + days(20))

    row = claim_row(district, demo_db, claim_id)
    assert (row.status, row.paid_on, row.steps, row.next_step, row.version) == (
        "paid", CLAIMED + days(20), ("claimed", "reviewed", "approved", "paid"), None, 4)
    assert version == 4
    assert [(e["action"], e["username"], (e["before"] or {}).get("status"),
             e["after"]["status"]) for e in trail(demo_db, "subsidy_claim", claim_id)] == [
        ("claim_subsidy", worker.username, None, "claimed"),
        ("step_reviewed", officer.username, "claimed", "reviewed"),
        ("step_approved", district.username, "reviewed", "approved"),
        ("step_paid", district.username, "approved", "paid")]
    paid = trail(demo_db, "subsidy_claim", claim_id)[-1]
    assert (paid["before"]["paid_on"], paid["after"]["paid_on"]) == (
        None, (CLAIMED + days(20)).isoformat())
    with demo_db:
        steps = demo_db.session.scalars(select(SubsidyStep).where(
            SubsidyStep.claim_id == claim_id).order_by(SubsidyStep.id))
        assert [(s.step, s.approved, s.role, s.staff_id, s.remark) for s in steps] == [
            ("claimed", True, "community_worker", worker.staff_id, None),
            ("reviewed", True, "street_officer", officer.staff_id, None),
            ("approved", True, "district_officer", district.staff_id, "同意"),
            ("paid", True, "district_officer", district.staff_id, None)]


def test_approval_cannot_skip_the_review_and_the_attempt_is_audited(officer, demo_db,
                                                                     placement_id, worker):
    claim_id = claim(worker, demo_db, placement_id)

    with pytest.raises(StepRefused) as caught:
        subsidies.advance(officer, demo_db, claim_id=claim_id, expected_version=1,
                          step="approved")

    assert caught.value.text("en") == (
        "This step cannot be taken: No step may be skipped: 'reviewed' comes next, not "
        "'approved'.")
    assert refusals(demo_db, "subsidy_claim", claim_id) == [("step_approved", officer.username)]
    row = claim_row(worker, demo_db, claim_id)
    assert (row.status, row.steps, row.version) == ("claimed", ("claimed",), 1)


def test_a_worker_may_not_review_and_a_street_officer_may_not_approve_city_money(
        worker, officer, demo_db, placement_id):
    claim_id = claim(worker, demo_db, placement_id, funding_level="city")

    with pytest.raises(StepRefused) as by_worker:
        subsidies.advance(worker, demo_db, claim_id=claim_id, expected_version=1,
                          step="reviewed")
    version = subsidies.advance(officer, demo_db, claim_id=claim_id, expected_version=1,
                                step="reviewed")
    with pytest.raises(StepRefused) as by_officer:
        subsidies.advance(officer, demo_db, claim_id=claim_id, expected_version=version,
                          step="approved")

    assert "A community worker may not take the step 'reviewed'." in by_worker.value.text("en")
    assert "A street officer may not take the step 'approved'." in by_officer.value.text("en")
    assert refusals(demo_db, "subsidy_claim", claim_id) == [("step_reviewed", worker.username),
                                         ("step_approved", officer.username)]
    assert claim_row(worker, demo_db, claim_id).status == "reviewed"


def test_a_district_officer_may_not_make_the_claim_and_the_attempt_is_audited(
        district, demo_db, placement_id):
    before = count(demo_db, SubsidyClaim)

    with pytest.raises(StepRefused):
        claim(district, demo_db, placement_id)

    assert count(demo_db, SubsidyClaim) == before
    with demo_db:
        [entry] = demo_db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "step_claimed", AuditEntry.outcome == "denied",
            AuditEntry.username == district.username))
        assert (entry.entity, entry.entity_id, entry.username) == (
            "placement", str(placement_id), district.username)


def test_a_step_cannot_be_taken_twice(worker, officer, demo_db, placement_id):
    claim_id = claim(worker, demo_db, placement_id)
    version = subsidies.advance(officer, demo_db, claim_id=claim_id, expected_version=1,
                                step="reviewed")

    with pytest.raises(StepRefused) as caught:
        subsidies.advance(officer, demo_db, claim_id=claim_id, expected_version=version,
                          step="reviewed")

    assert "already been taken" in caught.value.text("en")


def test_refusing_a_claim_needs_a_remark(worker, officer, demo_db, placement_id):
    claim_id = claim(worker, demo_db, placement_id)

    with pytest.raises(ValidationError) as caught:
        subsidies.advance(officer, demo_db, claim_id=claim_id, expected_version=1,
                          step="reviewed", approved=False, remark="  ")

    assert caught.value.field_texts("en") == {"remark": "Give the reason for the refusal."}
    assert claim_row(worker, demo_db, claim_id).status == "claimed"


def test_a_refused_claim_goes_no_further(worker, officer, demo_db, placement_id):
    claim_id = claim(worker, demo_db, placement_id)
    version = subsidies.advance(officer, demo_db, claim_id=claim_id, expected_version=1,
                                step="reviewed", approved=False, remark="未按时缴纳社保")

    with pytest.raises(StepRefused) as caught:
        subsidies.advance(officer, demo_db, claim_id=claim_id, expected_version=version,
                          step="approved")

    assert "refused at an earlier step" in caught.value.text("en")
    row = claim_row(worker, demo_db, claim_id)
    assert (row.status, row.steps, row.next_step, row.paid_on) == (
        "refused", ("claimed", "reviewed"), None, None)
    with demo_db:
        step = demo_db.session.scalar(select(SubsidyStep).where(
            SubsidyStep.claim_id == claim_id, SubsidyStep.step == "reviewed"))
        assert (step.approved, step.remark) == (False, "未按时缴纳社保")


def test_a_step_on_a_stale_version_is_refused(worker, officer, demo_db, placement_id):
    claim_id = claim(worker, demo_db, placement_id)
    subsidies.advance(officer, demo_db, claim_id=claim_id, expected_version=1, step="reviewed")

    with pytest.raises(StaleRecord):
        subsidies.advance(officer, demo_db, claim_id=claim_id, expected_version=1,
                          step="approved")

    assert claim_row(worker, demo_db, claim_id).status == "reviewed"
