"""Labour-security affairs agency as pure rules, no database: fees at the low standard of
policy.toml [agency] (notice 四(四), 按低标准准入) and who may have a personnel file opened here
(可为他们建立: never-employed people only, and only without a file already in custody)."""

import dataclasses
from types import MappingProxyType

import pytest

from casework.agency_rules import fee, low_fees, may_open_file
from casework.policy import load_policy


@pytest.fixture(scope="module")
def policy():
    return load_policy()


@pytest.fixture(scope="module")
def custody_low(policy) -> int:
    return policy["agency"]["file_custody_annual_yuan"]


def test_the_low_standard_fees_come_from_policy_toml(policy):
    assert low_fees(policy) == {"file_custody": policy["agency"]["file_custody_annual_yuan"],
                                "continuation": policy["agency"]["continuation_yuan"]}


def test_a_blank_fee_is_the_low_standard(policy, custody_low):
    amount, decision = fee(policy, kind="file_custody", charged=None)

    assert (amount, decision.ok) == (custody_low, True)
    assert decision.policy_version == policy.version


def test_a_fee_at_exactly_the_low_standard_is_allowed(policy, custody_low):
    assert fee(policy, kind="file_custody", charged=custody_low)[1].ok


def test_a_fee_one_yuan_above_the_low_standard_is_refused_with_the_reason(policy, custody_low):
    amount, decision = fee(policy, kind="file_custody", charged=custody_low + 1)

    assert amount == custody_low + 1 and not decision.ok
    [reason] = decision.explain("en")
    assert f"{custody_low + 1} yuan is above the low standard of {custody_low} yuan" in reason


def test_a_waived_fee_is_allowed_but_a_negative_one_is_not(policy):
    assert fee(policy, kind="continuation", charged=0)[1].ok
    assert not fee(policy, kind="continuation", charged=-1)[1].ok


def test_the_continuation_fee_has_its_own_low_standard(policy):
    low = policy["agency"]["continuation_yuan"]

    assert fee(policy, kind="continuation", charged=None)[0] == low
    assert not fee(policy, kind="continuation", charged=low + 1)[1].ok


def test_a_changed_low_standard_is_used(policy):
    raised = dataclasses.replace(policy, params=MappingProxyType(
        dict(policy.params) | {"agency": {"file_custody_annual_yuan": 80,
                                          "continuation_yuan": 10}}))

    assert fee(raised, kind="file_custody", charged=80)[1].ok
    assert fee(raised, kind="file_custody", charged=None)[0] == 80


def test_a_file_may_be_opened_for_a_never_employed_person_without_one(policy):
    decision = may_open_file(policy, category="never_employed", held_file=None)

    assert decision.ok
    assert "may set up a personnel file" in decision.explain("en")[0]


@pytest.mark.parametrize("category", ["laid_off", "unemployed", "retiree", "new_entrant"])
def test_a_file_is_not_opened_here_for_someone_who_has_worked_or_is_not_never_employed(
        policy, category):
    decision = may_open_file(policy, category=category, held_file=None)

    assert not decision.ok


def test_a_laid_off_persons_file_is_received_from_the_former_employer_not_opened(policy):
    decision = may_open_file(policy, category="laid_off", held_file=None)

    assert "receive it from the former employer" in decision.explain("en")[0]


def test_no_second_file_is_opened_for_a_never_employed_person_whose_file_is_held(policy):
    decision = may_open_file(policy, category="never_employed", held_file="DA-2004-0001")

    assert not decision.ok
    assert [r.key for r in decision.unmet()] == ["agency.rule.file_held.no"]
    assert "DA-2004-0001" in decision.explain("en")[1]
