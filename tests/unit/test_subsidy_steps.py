"""The steps of a placement-subsidy claim: claimed → reviewed → approved → paid, in order, each
once, by the roles allowed, with the paying fund's own officer approving and paying."""

import pytest

from casework.money import SUBSIDY_STEPS, subsidy_step
from casework.policy import load_policy

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
