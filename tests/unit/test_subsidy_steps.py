"""The steps of a placement-subsidy claim: claimed → reviewed → approved → paid, in order, each
once, by the roles allowed, with the paying fund's own officer approving and paying; and the
recovery of a job-development subsidy whose placement ended too early."""

import datetime as dt

import pytest

from casework.money import (
    SUBSIDY_STEPS,
    Contribution,
    insurance_on_time,
    job_development_subsidy,
    subsidy_recovery,
    subsidy_step,
)
from casework.policy import add_months, load_policy

POLICY = load_policy()


def step(step: str, role: str, *, done=(), refused=False, funding_level="street"):
    return subsidy_step(POLICY, done=tuple(done), refused=refused, step=step, role=role,
                        funding_level=funding_level)


def test_the_subsidy_steps_go_claim_review_approve_pay():
    assert SUBSIDY_STEPS == ("claimed", "reviewed", "approved", "paid")


@pytest.mark.parametrize(("funding_level", "fund_officer"), [
    ("street", "street_officer"), ("district", "district_officer"), ("city", "city_officer"),
])
def test_each_step_in_turn_by_a_role_allowed_to_take_it_is_accepted(funding_level,
                                                                    fund_officer):
    roles = ("community_worker", "street_officer", fund_officer, fund_officer)
    for i, (name, role) in enumerate(zip(SUBSIDY_STEPS, roles, strict=True)):
        decision = step(name, role, done=SUBSIDY_STEPS[:i], funding_level=funding_level)

        assert decision.ok, (name, role, decision.explain("en"))
        assert decision.policy_version == POLICY.version


def test_a_street_officer_may_also_claim_and_a_district_officer_may_also_review():
    assert step("claimed", "street_officer").ok
    assert step("reviewed", "district_officer", done=SUBSIDY_STEPS[:1]).ok


def test_approval_cannot_skip_the_review():
    decision = step("approved", "street_officer", done=SUBSIDY_STEPS[:1])

    assert not decision.ok
    assert decision.explain("en") == ["No step may be skipped: 'reviewed' comes next, not "
                                      "'approved'."]


def test_payment_cannot_come_before_approval():
    decision = step("paid", "street_officer", done=SUBSIDY_STEPS[:2])

    assert not decision.ok
    assert "'approved' comes next" in decision.explain("en")[0]


def test_a_step_cannot_be_repeated():
    decision = step("reviewed", "street_officer", done=SUBSIDY_STEPS[:2])

    assert not decision.ok
    assert "already been taken" in decision.explain("en")[0]


def test_nothing_follows_a_refusal():
    decision = step("approved", "street_officer", done=SUBSIDY_STEPS[:2], refused=True)

    assert not decision.ok
    assert decision.reasons[0].key == "money.loan.step_closed"


def test_nothing_follows_a_paid_claim():
    assert not step("paid", "street_officer", done=SUBSIDY_STEPS).ok


@pytest.mark.parametrize(("name", "role"), [
    ("claimed", "district_officer"), ("claimed", "researcher"),
    ("reviewed", "community_worker"), ("reviewed", "city_officer"),
], ids=["district_claims", "researcher_claims", "worker_reviews", "city_reviews"])
def test_a_role_not_allowed_at_a_step_is_refused_and_named(name, role):
    done = SUBSIDY_STEPS[:SUBSIDY_STEPS.index(name)]

    decision = step(name, role, done=done)

    assert not decision.ok
    assert decision.reasons[0].key == "money.loan.step_wrong_role"
    assert role.replace("_", " ") in decision.explain("en")[0]


@pytest.mark.parametrize("name", ["approved", "paid"])
@pytest.mark.parametrize(("funding_level", "others"), [
    ("street", ("community_worker", "district_officer", "city_officer")),
    ("district", ("street_officer", "city_officer")),
    ("city", ("street_officer", "district_officer")),
])
def test_only_the_officer_of_the_paying_funds_level_approves_and_pays(name, funding_level,
                                                                      others):
    done = SUBSIDY_STEPS[:SUBSIDY_STEPS.index(name)]

    assert step(name, f"{funding_level}_officer", done=done, funding_level=funding_level).ok
    for role in others:
        assert not step(name, role, done=done, funding_level=funding_level).ok, role


def test_an_unknown_step_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown subsidy step 'lottery'"):
        step("lottery", "admin")


# --- recovery of the job-development subsidy --------------------------------------------------

START = dt.date(2003, 3, 15)
N = POLICY["subsidy"]["recovery_within_months"]


def recovery(ended_on: dt.date):
    return subsidy_recovery(POLICY, start=START, ended_on=ended_on)


def test_the_recovery_window_defaults_to_the_three_years_the_contract_must_run():
    assert N == POLICY["subsidy"]["min_contract_months"] == 36


def test_a_placement_ending_the_day_before_n_full_months_flags_its_claim_for_recovery():
    decision = recovery(add_months(START, N) - dt.timedelta(days=1))

    assert decision.ok
    assert decision.explain("en") == [
        "The placement started 2003-03-15 and ended 2006-03-14, before 36 full months "
        "(2006-03-15): the job-development subsidy is to be recovered."]
    assert "应予追回" in decision.explain("zh")[0]


def test_a_placement_ending_after_exactly_n_months_or_n_plus_one_keeps_its_subsidy():
    assert not recovery(add_months(START, N)).ok
    assert not recovery(add_months(START, N + 1)).ok
    assert recovery(add_months(START, N)).reasons[0].key == "money.subsidy.recovery.keep"


def test_a_placement_ending_after_n_minus_one_months_is_recovered():
    assert recovery(add_months(START, N - 1)).ok


@pytest.mark.parametrize("step", ["approved", "paid"])
def test_a_claim_flagged_for_recovery_is_neither_approved_nor_paid(step):
    done = SUBSIDY_STEPS[:SUBSIDY_STEPS.index(step)]

    decision = subsidy_step(POLICY, done=done, refused=False, step=step, role="street_officer",
                            funding_level="street", recovery_flagged=True)

    assert not decision.ok
    assert decision.reasons[0].key == "money.subsidy.recovery_blocks"
    assert "flagged for recovery" in decision.explain("en")[0]


def test_a_flagged_claim_may_still_be_reviewed():
    assert subsidy_step(POLICY, done=SUBSIDY_STEPS[:1], refused=False, step="reviewed",
                        role="street_officer", funding_level="street",
                        recovery_flagged=True).ok


def test_a_placement_that_ended_too_early_draws_no_subsidy_when_claimed_afterwards():
    insured = insurance_on_time(POLICY, [Contribution(add_months(START, m), add_months(START, m))
                                         for m in (1, 2, 3)], today=add_months(START, 6))
    early = recovery(add_months(START, 5))

    decision = job_development_subsidy(
        POLICY, category="laid_off", investor_kind="enterprise", investor_new=True,
        contract_months=36, insurance=insured, already_claimed=False, recovery=early)

    assert [r.key for r in decision.unmet()] == ["money.subsidy.lasted.no"]
    assert "before 36 full months" in decision.explain("en")[5]
