"""The money rules at their boundaries: loan amount, term and certificate, the interest subsidy
of the 2002 rules, the fixed order of the five loan steps, social insurance on time, and the
500-yuan job-development subsidy."""

import datetime as dt

import pytest

from casework.certificates import Certificate, validity
from casework.money import (
    LOAN_STEPS,
    Contribution,
    annual_rate,
    differential_purchase,
    differential_purchase_claim,
    insurance_on_time,
    interest_subsidy,
    job_development_subsidy,
    loan_interest,
    loan_step,
    loan_terms,
    repayment_schedule,
)
from casework.policy import load_policy

POLICY = load_policy()
TODAY = dt.date(2026, 11, 27)


ISSUED = dt.date(2003, 5, 6)
VALID = validity(POLICY, Certificate("320703001-2003-00001", ISSUED), on=dt.date(2003, 9, 1))


def terms(**overrides):
    values = {"amount": 20_000, "term_months": 24, "category": "laid_off",
              "purpose": "self_employment", "certificate": VALID} | overrides
    return loan_terms(POLICY, **values)


def test_a_loan_of_exactly_20000_yuan_for_24_months_is_within_the_limits():
    decision = terms()

    assert decision.ok
    assert decision.policy_version == POLICY.version


def test_a_loan_of_20001_yuan_is_refused_and_says_why():
    decision = terms(amount=20_001)

    assert not decision.ok
    assert any("20001" in r and "20000" in r for r in decision.explain("en"))


def test_a_term_of_25_months_is_refused():
    decision = terms(term_months=25)

    assert not decision.ok
    assert any("25 months" in r for r in decision.explain("en"))


@pytest.mark.parametrize("amount", [0, -5])
def test_a_loan_amount_must_be_positive(amount):
    assert not terms(amount=amount).ok


def test_a_retiree_cannot_borrow_and_the_purpose_must_be_self_employment():
    assert not terms(category="retiree").ok
    decision = terms(purpose="consumption")
    assert not decision.ok
    assert "只能用于自谋职业" in "".join(decision.explain("zh"))


def test_the_loan_steps_go_in_the_notices_order():
    assert LOAN_STEPS == ("applied", "community_recommended", "agency_reviewed",
                          "guarantee_committed", "bank_approved")


def test_the_guarantee_step_cannot_be_skipped():
    decision = loan_step(POLICY, done=LOAN_STEPS[:2], refused=False,
                         step="guarantee_committed", role="district_officer")

    assert not decision.ok
    assert "labour-security agency reviewed" in decision.explain("en")[0]


def test_each_step_in_turn_by_a_role_allowed_to_take_it_is_accepted():
    roles = ("community_worker", "community_worker", "street_officer", "district_officer",
             "city_officer")
    for i, (step, role) in enumerate(zip(LOAN_STEPS, roles, strict=True)):
        assert loan_step(POLICY, done=LOAN_STEPS[:i], refused=False, step=step, role=role).ok


def test_a_step_cannot_be_repeated():
    decision = loan_step(POLICY, done=LOAN_STEPS[:2], refused=False,
                         step="community_recommended", role="community_worker")

    assert not decision.ok
    assert "already been taken" in decision.explain("en")[0]


def test_a_role_not_allowed_at_a_step_is_refused():
    decision = loan_step(POLICY, done=LOAN_STEPS[:4], refused=False, step="bank_approved",
                         role="community_worker")

    assert not decision.ok
    assert "community worker" in decision.explain("en")[0]


def test_nothing_follows_a_refusal():
    decision = loan_step(POLICY, done=LOAN_STEPS[:1], refused=True,
                         step="community_recommended", role="community_worker")

    assert not decision.ok


def test_an_unknown_step_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown loan step"):
        loan_step(POLICY, done=(), refused=False, step="lottery", role="admin")


def certificate_on(day: dt.date, **facts) -> object:
    return validity(POLICY, Certificate("320703001-2003-00001", ISSUED, **facts), on=day)


@pytest.mark.parametrize(("certificate", "says"), [
    (validity(POLICY, None, on=dt.date(2003, 9, 1)), "holds no Re-employment Preferential"),
    (certificate_on(dt.date(2003, 9, 1), withdrawn_on=dt.date(2003, 8, 1),
                    withdrawal_reason="stable_employment"), "withdrawn on 2003-08-01"),
    (certificate_on(dt.date(2003, 9, 1), lost_on=dt.date(2003, 8, 20)), "reported lost"),
    (certificate_on(dt.date(2004, 4, 1)), "annual check of 2004"),
], ids=["none", "withdrawn", "lost", "check_missed"])
def test_a_loan_without_a_valid_certificate_is_refused_naming_the_certificates_state(
        certificate, says):
    decision = terms(certificate=certificate)

    assert not decision.ok
    unmet = " ".join(r.text("en") for r in decision.unmet())
    assert "银发〔2002〕394号" in unmet and says in unmet
    assert [r.key for r in decision.unmet()][0] == "money.loan.certificate.no"


def test_a_valid_certificate_is_named_among_the_reasons_of_an_accepted_loan():
    decision = terms()

    assert decision.ok
    assert "320703001-2003-00001" in " ".join(decision.explain("en"))


@pytest.mark.parametrize(("months", "rate"), [(1, 0.0531), (12, 0.0531), (13, 0.0549),
                                              (24, 0.0549)])
def test_the_annual_rate_follows_the_term_band(months, rate):
    assert annual_rate(POLICY, term_months=months) == rate


def test_a_term_beyond_the_last_band_has_no_rate():
    with pytest.raises(ValueError, match="No rate band covers a term of 25 months"):
        annual_rate(POLICY, term_months=25)


def test_interest_runs_on_the_outstanding_balance_not_the_whole_principal():
    # 12,000 yuan over 12 months, 1,000 repaid a month: 12,000 outstanding in the first month,
    # 11,000 in the second … 1,000 in the last, 78,000 yuan-months at 5.31% / 12.
    by_hand = 78_000 * 0.0531 / 12

    assert loan_interest(amount=12_000, term_months=12, rate=0.0531) == pytest.approx(by_hand)
    assert by_hand == pytest.approx(345.15)
    assert by_hand < 12_000 * 0.0531  # simple interest on the whole principal: 637.20


def test_the_last_instalment_takes_the_remainder_in_the_interest_too():
    # 1,000 over 3 months: 333, 333, 334 repaid; outstanding 1,000, 667, 334.
    assert loan_interest(amount=1_000, term_months=3, rate=0.12) == pytest.approx(
        (1_000 + 667 + 334) * 0.01)


def test_a_micro_profit_project_has_its_whole_interest_subsidised():
    subsidy = interest_subsidy(POLICY, amount=12_000, term_months=12, project_kind="repair")

    assert (subsidy.micro_profit, subsidy.share, subsidy.annual_rate) == (True, 1.0, 0.0531)
    assert subsidy.yuan == 345  # 345.15 by hand, above
    assert "100%" in subsidy.basis.text("en") and "银发〔2002〕394号" in subsidy.basis.text("en")


def test_another_project_has_the_policys_share_subsidised_at_the_13_month_rate():
    # 13,000 over 13 months, 1,000 a month: 91,000 yuan-months at 5.49% / 12 = 416.325 yuan.
    subsidy = interest_subsidy(POLICY, amount=13_000, term_months=13,
                               project_kind="retail_store")

    assert (subsidy.micro_profit, subsidy.annual_rate) == (False, 0.0549)
    assert subsidy.interest == pytest.approx(416.325)
    assert POLICY["loan"]["interest_subsidy_share"] == 0.5
    assert subsidy.yuan == 208  # half of 416.325


def months_paid(n: int, *, late_days: int = 0) -> list[Contribution]:
    start = dt.date(2026, 1, 15)
    return [Contribution(due, due + dt.timedelta(days=late_days))
            for due in (start.replace(month=m) for m in range(1, n + 1))]


def test_contributions_paid_on_the_last_day_of_grace_are_on_time():
    grace = POLICY["subsidy"]["insurance_grace_days"]

    assert insurance_on_time(POLICY, months_paid(6, late_days=grace), today=TODAY).ok


def test_a_contribution_paid_one_day_after_the_grace_is_late():
    grace = POLICY["subsidy"]["insurance_grace_days"]

    decision = insurance_on_time(POLICY, months_paid(6, late_days=grace + 1), today=TODAY)

    assert not decision.ok
    assert "not paid within" in " ".join(decision.explain("en"))


def test_an_unpaid_month_past_its_grace_is_late_but_one_still_in_grace_is_not():
    grace = POLICY["subsidy"]["insurance_grace_days"]
    due = TODAY - dt.timedelta(days=grace)
    paid = months_paid(6)

    assert insurance_on_time(POLICY, [*paid, Contribution(due, None)], today=TODAY).ok
    overdue = Contribution(due - dt.timedelta(days=1), None)
    assert not insurance_on_time(POLICY, [*paid, overdue], today=TODAY).ok


def test_too_few_months_on_record_are_not_enough():
    need = POLICY["subsidy"]["insurance_min_months"]

    assert not insurance_on_time(POLICY, months_paid(need - 1), today=TODAY).ok
    assert insurance_on_time(POLICY, months_paid(need), today=TODAY).ok


def subsidy(**overrides):
    """A laid-off person placed in a new community service project on a 36-month contract,
    insured on time: every condition met unless overridden."""
    values = {"category": "laid_off", "investor_kind": "service_project", "investor_new": True,
              "contract_months": 36,
              "insurance": insurance_on_time(POLICY, months_paid(6), today=TODAY),
              "already_claimed": False} | overrides
    return job_development_subsidy(POLICY, **values)


def unmet(decision) -> list[str]:
    return [r.key for r in decision.unmet()]


def test_a_contract_of_36_months_qualifies_for_the_subsidy():
    assert subsidy().ok


@pytest.mark.parametrize("category", ["laid_off", "unemployed", "never_employed"])
def test_laid_off_and_unemployed_people_the_never_employed_included_qualify(category):
    decision = subsidy(category=category)

    assert decision.ok
    assert decision.reasons[0].key == "money.subsidy.who.ok"


def test_a_retirees_placement_draws_no_500_yuan_and_the_reason_says_who_qualifies():
    decision = subsidy(category="retiree")

    assert not decision.ok
    assert unmet(decision) == ["money.subsidy.who.no"]
    assert decision.explain("en")[0] == (
        "The person placed is registered as enterprise retiree; the subsidy is only for placing "
        "laid-off or unemployed people (the never-employed included), not retirees or new "
        "entrants.")
    assert "离退休人员" in decision.explain("zh")[0]


def test_a_new_entrants_placement_draws_no_500_yuan_either():
    assert unmet(subsidy(category="new_entrant")) == ["money.subsidy.who.no"]


@pytest.mark.parametrize("kind", ["street", "community"])
def test_a_job_in_the_street_or_communitys_own_office_does_not_qualify(kind):
    decision = subsidy(investor_kind=kind, investor_new=False)

    assert unmet(decision) == ["money.subsidy.investor_kind.no"]
    assert "new community service project or a new enterprise" in decision.explain("en")[1]


@pytest.mark.parametrize("kind", ["service_project", "enterprise"])
def test_a_new_service_project_or_new_enterprise_qualifies_but_an_old_one_does_not(kind):
    assert subsidy(investor_kind=kind, investor_new=True).ok
    assert unmet(subsidy(investor_kind=kind, investor_new=False)) == [
        "money.subsidy.investor_new.no"]


def test_a_placement_without_a_posting_has_no_investor_and_is_told_what_to_record():
    decision = subsidy(investor_kind=None, investor_new=False)

    assert unmet(decision) == ["money.subsidy.investor_unknown.no"]
    assert "Record it against the posting" in decision.explain("en")[1]


def test_every_condition_is_explained_when_all_are_met():
    assert [r.key for r in subsidy().reasons][:5] == [
        "money.subsidy.who.ok", "money.subsidy.investor_new.ok", "money.subsidy.contract.ok",
        "money.subsidy.insurance.ok", "money.subsidy.once.ok"]


def test_a_contract_of_35_months_does_not_and_the_reason_names_the_contract():
    decision = subsidy(contract_months=35)

    assert not decision.ok
    assert any("35 months" in r and "shorter" in r for r in decision.explain("en"))


def test_a_24_month_contract_is_refused_naming_the_missing_condition_in_chinese():
    decision = subsidy(contract_months=24)

    assert not decision.ok
    assert any("不足 36 个月" in r for r in decision.explain("zh"))


def test_a_second_claim_for_the_same_placement_is_refused():
    decision = subsidy(already_claimed=True)

    assert not decision.ok
    assert any("only" in r or "once" in r for r in decision.explain("en"))


def test_late_insurance_blocks_the_subsidy():
    late = insurance_on_time(POLICY, months_paid(6, late_days=90), today=TODAY)

    assert not subsidy(insurance=late).ok


def test_the_differential_purchase_is_due_only_for_hardship_or_policy_placements():
    p = POLICY["differential_purchase"]

    assert differential_purchase(POLICY, hardship_or_policy_placement=True) == (
        p["monthly_yuan"], p["months"])
    assert differential_purchase(POLICY, hardship_or_policy_placement=False) == (0, 0)


def test_the_differential_purchase_is_claimable_once_and_only_for_targeted_placements():
    def claim(targeted, claimed):
        return differential_purchase_claim(POLICY, hardship_or_policy_placement=targeted,
                                           already_claimed=claimed)

    assert claim(True, False).ok
    assert [r.key for r in claim(False, False).unmet()] == ["money.purchase.who.no"]
    assert [r.key for r in claim(True, True).unmet()] == ["money.purchase.once.no"]


def test_a_loan_is_repaid_in_equal_monthly_shares_with_the_remainder_last():
    schedule = repayment_schedule(amount=20_000, term_months=24, approved_on=dt.date(2026, 1, 10))

    assert schedule[0] == (dt.date(2026, 2, 10), 833)
    assert schedule[-1] == (dt.date(2028, 1, 10), 20_000 - 833 * 23)
    assert sum(amount for _, amount in schedule) == 20_000
