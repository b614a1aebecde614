"""The Re-employment Preferential Certificate's rules at their boundaries: who may hold one, its
number, its validity on a day (issue, withdrawal, loss, the annual check falling due at the end
of the due month), and which steps of its life may be taken."""

import datetime as dt

import pytest

from casework import vocab
from casework.certificates import (
    STATES,
    WITHDRAWAL_REASONS,
    Certificate,
    Check,
    check_deadline,
    may_check,
    may_hold,
    may_reissue,
    may_report_lost,
    may_withdraw,
    number,
    state,
    validity,
)
from casework.i18n import catalogue
from casework.policy import load_policy

POLICY = load_policy()
ISSUED = dt.date(2003, 5, 6)
NUMBER = "320703001-2003-00001"


def cert(**facts) -> Certificate:
    return Certificate(NUMBER, ISSUED, **facts)


def holder(**overrides):
    values = {"category": "laid_off", "registered": True, "employed": False,
              "valid_number": None} | overrides
    return may_hold(POLICY, **values)


# --- who may hold one ---------------------------------------------------------------------------


@pytest.mark.parametrize("category", ["laid_off", "unemployed"])
def test_a_registered_laid_off_or_unemployed_person_out_of_work_may_hold_one(category):
    decision = holder(category=category)

    assert decision.ok
    assert decision.policy_version == POLICY.version


@pytest.mark.parametrize("category", ["retiree", "new_entrant", "never_employed"])
def test_retirees_new_entrants_and_the_never_employed_hold_none(category):
    decision = holder(category=category)

    assert not decision.ok
    assert [r.key for r in decision.unmet()] == ["certificates.holder.category.no"]


def test_someone_holding_a_valid_certificate_is_not_issued_a_second_and_is_told_its_number():
    decision = holder(valid_number=NUMBER)

    assert not decision.ok
    assert NUMBER in decision.unmet()[0].text("en")


def test_someone_in_a_job_is_not_issued_one():
    assert [r.key for r in holder(employed=True).unmet()] == ["certificates.holder.employed.no"]


def test_someone_not_yet_registered_on_the_day_of_issue_is_not_issued_one():
    assert not holder(registered=False).ok


# --- the number ---------------------------------------------------------------------------------


def test_the_number_is_the_street_code_the_year_and_a_five_digit_serial():
    assert number(POLICY, street_code="320703001", year=2003, serial=1) == NUMBER
    assert number(POLICY, street_code="320703001", year=2004, serial=12345) == (
        "320703001-2004-12345")


def test_a_serial_counts_from_one():
    with pytest.raises(ValueError, match="counts from 1"):
        number(POLICY, street_code="320703001", year=2003, serial=0)


# --- validity on a day --------------------------------------------------------------------------


def test_no_certificate_is_not_valid_and_says_so():
    decision = validity(POLICY, None, on=ISSUED)

    assert not decision.ok
    assert decision.explain("en") == ["The applicant holds no Re-employment Preferential "
                                      "Certificate."]


def test_a_certificate_is_valid_from_its_day_of_issue_and_not_the_day_before():
    assert validity(POLICY, cert(), on=ISSUED).ok
    assert state(POLICY, cert(), on=ISSUED - dt.timedelta(days=1)) == "not_issued"


def test_the_issue_year_needs_no_annual_check():
    assert validity(POLICY, cert(), on=dt.date(2003, 12, 31)).ok


def test_the_next_years_check_is_due_by_the_end_of_the_due_month():
    assert POLICY["certificate"]["annual_check_due_month"] == 3
    assert check_deadline(POLICY, 2004) == dt.date(2004, 3, 31)
    assert state(POLICY, cert(), on=dt.date(2004, 3, 31)) == "valid"

    missed = validity(POLICY, cert(), on=dt.date(2004, 4, 1))

    assert not missed.ok
    assert "annual check of 2004 (due by 2004-03-31)" in missed.explain("en")[0]


def test_a_passed_check_keeps_it_valid_until_the_next_years_deadline():
    checked = cert(checks=(Check(2004, dt.date(2004, 2, 10), True),))

    assert state(POLICY, checked, on=dt.date(2005, 3, 31)) == "valid"
    assert state(POLICY, checked, on=dt.date(2005, 4, 1)) == "check_missed"


def test_a_check_made_late_restores_it_but_only_from_the_day_it_was_made():
    late = cert(checks=(Check(2004, dt.date(2004, 5, 20), True),))

    assert state(POLICY, late, on=dt.date(2004, 5, 19)) == "check_missed"
    assert state(POLICY, late, on=dt.date(2004, 5, 20)) == "valid"


def test_a_failed_check_makes_it_invalid_naming_the_year():
    failed = validity(POLICY, cert(checks=(Check(2004, dt.date(2004, 2, 10), False),)),
                      on=dt.date(2004, 2, 10))

    assert not failed.ok
    assert "failed its annual check of 2004" in failed.explain("en")[0]


def test_a_withdrawn_certificate_is_invalid_from_the_day_of_withdrawal_naming_the_reason():
    withdrawn = cert(withdrawn_on=dt.date(2003, 9, 1), withdrawal_reason="stable_employment")

    assert state(POLICY, withdrawn, on=dt.date(2003, 8, 31)) == "valid"
    decision = validity(POLICY, withdrawn, on=dt.date(2003, 9, 1))
    assert not decision.ok
    assert decision.explain("zh") == [f"优惠证 {NUMBER} 已于 2003-09-01 收回（已稳定就业）。"]


def test_a_lost_certificate_is_invalid_from_the_day_it_was_reported():
    lost = cert(lost_on=dt.date(2003, 10, 8))

    assert state(POLICY, lost, on=dt.date(2003, 10, 7)) == "valid"
    assert state(POLICY, lost, on=dt.date(2003, 10, 8)) == "lost"


# --- the steps of its life ----------------------------------------------------------------------


def test_the_annual_check_is_for_a_year_after_the_issue_year_and_not_a_future_one():
    today = dt.date(2004, 2, 1)

    assert may_check(POLICY, cert(), year=2004, on=today).ok
    assert not may_check(POLICY, cert(), year=2003, on=today).ok
    assert not may_check(POLICY, cert(), year=2005, on=today).ok


def test_a_year_is_checked_once():
    checked = cert(checks=(Check(2004, dt.date(2004, 2, 10), True),))

    decision = may_check(POLICY, checked, year=2004, on=dt.date(2004, 6, 1))

    assert [r.key for r in decision.unmet()] == ["certificates.rule.check_once.no"]


def test_a_withdrawn_certificate_is_neither_checked_withdrawn_again_nor_reported_lost():
    gone = cert(withdrawn_on=dt.date(2003, 9, 1), withdrawal_reason="moved")
    today = dt.date(2004, 2, 1)

    assert not may_check(POLICY, gone, year=2004, on=today).ok
    assert not may_withdraw(POLICY, gone, reason="retired", on=today).ok
    assert not may_report_lost(POLICY, gone, on=today).ok


def test_a_withdrawal_needs_a_listed_reason():
    decision = may_withdraw(POLICY, cert(), reason="bored", on=dt.date(2003, 9, 1))

    assert [r.key for r in decision.unmet()] == ["certificates.rule.reason.no"]
    assert may_withdraw(POLICY, cert(), reason="stable_employment", on=dt.date(2003, 9, 1)).ok


def test_only_a_lost_certificate_is_reissued_and_only_once():
    lost = cert(lost_on=dt.date(2003, 10, 8))

    assert may_reissue(POLICY, lost, replaced=False).ok
    assert not may_reissue(POLICY, lost, replaced=True).ok
    assert not may_reissue(POLICY, cert(), replaced=False).ok


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_state_reason_and_project_kind_has_a_label_in_both_languages(lang):
    keys = ([f"certificates.status.{s}" for s in STATES]
            + [f"certificates.reason.{r}" for r in WITHDRAWAL_REASONS]
            + [f"vocab.loan_project_kind.{k}" for k in vocab.LOAN_PROJECT_KINDS])

    assert [k for k in keys if k not in catalogue(lang)] == []
    assert set(POLICY["loan"]["micro_profit_kinds"]) < set(vocab.LOAN_PROJECT_KINDS)
