"""特困家庭 on both databases: registration by the 132号 criteria with members, employment aid
per member (三(七)), two-level verification, member changes, exit, and the visit schedule."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from casework.db.models import HardshipHousehold
from casework.errors import AccessDenied, StaleRecord, ValidationError
from casework.ids import make_resident_id
from casework.policy import load_policy
from casework.services import audit, hardship, org, persons, visits
from casework.services.hardship import (
    AlreadyInGroup,
    Application,
    MemberInput,
    VerificationOutOfOrder,
)
from tests.conftest import AS_OF
from tests.integration.helpers import days, trail

ALL_STATUSES = ("pending_community", "pending_street", "registered", "exited")
WILLING = MemberInput(able_to_work=True, willing=True, accepts_any_job=True)



def register_person(actor, uow, *, sequence: int, age: int = 40, sex: str = "M",
                    on: dt.date = AS_OF, community_id: int | None = None) -> int:
    birth = dt.date(on.year - age, 5, 14)
    values = {
        "name": f"测试{'男' if sex == 'M' else '女'}{sequence}",
        "id_number": make_resident_id("320705", birth, sequence, sex),
        "category": "laid_off",
        "household_members": 3,
        "dependants": 1,
        "community_id": community_id or actor.unit_id,
    }
    return persons.register_person(actor, uow, values=values, today=on, confirm_similar=True)


def application(person_id: int, **overrides) -> Application:
    """A household of three on 300 yuan a month, the applicant able, willing and not choosy."""
    values = {"person_id": person_id, "household_size": 3, "household_income": 300,
              "remark": "夫妻下岗，孩子上学，靠打零工维持生活。", "applicant": WILLING}
    return Application(**(values | overrides))


def apply(actor, uow, person_id: int, *, on: dt.date = AS_OF, **overrides) -> int:
    return hardship.apply(actor, uow, application=application(person_id, **overrides), today=on)


def member(name: str, sex: str, age: int, **overrides) -> MemberInput:
    values = {"name": name, "relation": "spouse", "sex": sex, "situation": "laid_off",
              "birth_date": dt.date(AS_OF.year - age, 1, 15), "able_to_work": True,
              "willing": True, "accepts_any_job": True}
    return MemberInput(**(values | overrides))


def detail(actor, uow, household_id: int):
    return hardship.household_detail(actor, uow, household_id=household_id, today=AS_OF)


def registered_household(worker, officer, uow, *, sequence: int, registered_on: dt.date) -> int:
    """A household verified by the community and confirmed by the street on ``registered_on``."""
    person_id = register_person(worker, uow, sequence=sequence, on=registered_on)
    household_id = apply(worker, uow, person_id, on=registered_on)
    version = hardship.verify_community(worker, uow, household_id=household_id,
                                        expected_version=1)
    hardship.confirm_street(officer, uow, household_id=household_id, expected_version=version,
                            today=registered_on)
    return household_id


def household(uow, household_id: int) -> dict:
    with uow:
        return audit.snapshot(uow.session.get(HardshipHousehold, household_id))


def status(uow, household_id: int) -> str:
    with uow:
        return hardship.status_of(uow.session.get(HardshipHousehold, household_id))


def count_households(uow) -> int:
    with uow:
        return uow.session.scalar(select(func.count(HardshipHousehold.id)))



def row_of(actor, uow, household_id: int, *, today: dt.date = AS_OF):
    [row] = [r for r in hardship.households(actor, uow, today=today, statuses=ALL_STATUSES)
             if r.id == household_id]
    return row


def visit_values(visit_date: dt.date, **overrides) -> dict:
    return {"visit_date": visit_date, "living_conditions": "两居室，生活困难",
            "employment_status": [{"member": "户主", "status": "unemployed"},
                                  {"member": "配偶", "status": "flexible"}]} | overrides


def other_district_staff(admin, city, officer, uow) -> tuple:
    """A community worker and street officer for a community outside the demo street's district."""
    demo_district = officer.unit_path.rstrip("/").rsplit("/", 1)[0] + "/"
    community = next(u for u in org.units(city, uow, level="community")
                     if not u.path.startswith(demo_district))
    street = next(u for u in org.units(city, uow, level="street")
                  if community.path.startswith(u.path))
    org.create_staff(admin, uow, username="other-worker", display_name="other worker",
                     role="community_worker", unit_id=community.id)
    org.create_staff(admin, uow, username="other-officer", display_name="other officer",
                     role="street_officer", unit_id=street.id)
    return org.load_actor(uow, "other-worker"), org.load_actor(uow, "other-officer")




@pytest.fixture
def applied(worker, demo_db) -> int:
    """A 40-year-old man of the worker's community, applied for on AS_OF."""
    person_id = register_person(worker, demo_db, sequence=401)
    return apply(worker, demo_db, person_id)


# --- apply and verify ------------------------------------------------------------------------


def test_an_eligible_application_awaits_community_verification(worker, demo_db, applied):
    values = household(demo_db, applied)

    assert status(demo_db, applied) == "pending_community"
    assert row_of(worker, demo_db, applied).status == "pending_community"
    assert values["version"] == 1
    assert values["applied_on"] == AS_OF.isoformat()
    assert values["community_id"] == worker.unit_id
    assert values["policy_version"] == load_policy().version
    assert values["registered_on"] is None


def test_a_street_officer_cannot_verify_at_community_level(officer, demo_db, applied):
    with pytest.raises(AccessDenied):
        hardship.verify_community(officer, demo_db, household_id=applied, expected_version=1)

    assert status(demo_db, applied) == "pending_community"
    denied = [e for e in trail(demo_db, "hardship_household", applied)
              if e["outcome"] == "denied"]
    assert [(e["action"], e["username"]) for e in denied] == [
        ("hardship_community", officer.username)]


def test_the_street_cannot_confirm_before_the_community_has_verified(officer, demo_db, applied):
    with pytest.raises(VerificationOutOfOrder) as caught:
        hardship.confirm_street(officer, demo_db, household_id=applied, expected_version=1,
                                today=AS_OF)

    assert "street confirmation" in caught.value.text("en")
    assert "awaiting community verification" in caught.value.text("en")
    assert status(demo_db, applied) == "pending_community"
    assert household(demo_db, applied)["version"] == 1


def test_community_verification_then_street_confirmation_registers_the_household(
        worker, officer, demo_db, applied):
    version = hardship.verify_community(worker, demo_db, household_id=applied,
                                        expected_version=1, remark="家访核实属实")
    assert version == 2
    assert status(demo_db, applied) == "pending_street"

    version = hardship.confirm_street(officer, demo_db, household_id=applied,
                                      expected_version=version, remark="街道审核同意",
                                      today=AS_OF)

    values = household(demo_db, applied)
    assert version == 3
    assert status(demo_db, applied) == "registered"
    assert row_of(worker, demo_db, applied).status == "registered"
    assert values["registered_on"] == AS_OF.isoformat()
    assert (values["community_remark"], values["community_verified_by"]) == (
        "家访核实属实", worker.staff_id)
    assert (values["street_remark"], values["street_confirmed_by"]) == (
        "街道审核同意", officer.staff_id)


def test_each_step_writes_an_audit_row_saying_who_did_it(worker, officer, demo_db, applied):
    version = hardship.verify_community(worker, demo_db, household_id=applied,
                                        expected_version=1, remark="核实")
    hardship.confirm_street(officer, demo_db, household_id=applied, expected_version=version,
                            remark="确认", today=AS_OF)

    entries = trail(demo_db, "hardship_household", applied)

    assert [(e["action"], e["outcome"], e["username"], e["staff_id"]) for e in entries] == [
        ("hardship_apply", "ok", worker.username, worker.staff_id),
        ("hardship_community", "ok", worker.username, worker.staff_id),
        ("hardship_street", "ok", officer.username, officer.staff_id),
    ]
    assert entries[1]["before"]["community_remark"] is None
    assert entries[1]["after"]["community_remark"] == "核实"
    assert entries[2]["before"]["registered_on"] is None
    assert entries[2]["after"]["street_remark"] == "确认"
    assert entries[2]["after"]["registered_on"] == AS_OF.isoformat()


def test_the_street_cannot_confirm_a_registered_household_twice(
        worker, officer, demo_db, applied):
    version = hardship.verify_community(worker, demo_db, household_id=applied,
                                        expected_version=1)
    version = hardship.confirm_street(officer, demo_db, household_id=applied,
                                      expected_version=version, today=AS_OF)

    with pytest.raises(VerificationOutOfOrder):
        hardship.confirm_street(officer, demo_db, household_id=applied, expected_version=version,
                                today=AS_OF)


def test_verifying_with_a_stale_version_raises_and_changes_nothing(worker, demo_db, applied):
    hardship.verify_community(worker, demo_db, household_id=applied, expected_version=1,
                              remark="第一次")

    with pytest.raises(StaleRecord) as caught:
        hardship.verify_community(worker, demo_db, household_id=applied, expected_version=1,
                                  remark="第二次")

    assert "version 1" in caught.value.text("en")
    assert household(demo_db, applied)["community_remark"] == "第一次"
    assert household(demo_db, applied)["version"] == 2


def test_confirming_with_a_stale_version_raises_and_leaves_it_unregistered(
        worker, officer, demo_db, applied):
    hardship.verify_community(worker, demo_db, household_id=applied, expected_version=1)

    with pytest.raises(StaleRecord):
        hardship.confirm_street(officer, demo_db, household_id=applied, expected_version=1,
                                today=AS_OF)

    assert status(demo_db, applied) == "pending_street"


# --- registration and employment aid ---------------------------------------------------------


def test_a_poor_household_of_a_laid_off_woman_of_52_is_registered_but_she_is_not_targeted(
        worker, demo_db):
    person_id = register_person(worker, demo_db, sequence=402, age=52, sex="F")

    household_id = apply(worker, demo_db, person_id)

    found = detail(worker, demo_db, household_id)
    assert found.registration.ok is True
    assert (found.household_size, found.household_income) == (3, 300)
    [applicant] = found.members
    assert (applicant.person_id, applicant.relation, applicant.situation) == (
        person_id, "applicant", "laid_off")
    assert applicant.aid_targeted is False
    assert "Age 52 is above 50" in applicant.reasons[0].text("en")


def test_a_female_cadre_of_54_is_targeted_for_aid(worker, demo_db):
    person_id = register_person(worker, demo_db, sequence=403, age=54, sex="F")

    household_id = apply(worker, demo_db, person_id,
                         applicant=MemberInput(female_cadre=True, able_to_work=True, willing=True,
                                               accepts_any_job=True))

    [applicant] = detail(worker, demo_db, household_id).members
    assert (applicant.female_cadre, applicant.aid_targeted) == (True, True)
    assert "女干部" in applicant.reasons[0].text("zh")


def test_members_typed_in_are_recorded_each_with_their_own_targeting(worker, demo_db):
    person_id = register_person(worker, demo_db, sequence=404, age=45)
    members = (member("刘芳", "F", 52), member("张小明", "M", 12, relation="child",
                                               situation="student", able_to_work=False,
                                               willing=False, accepts_any_job=False))

    household_id = apply(worker, demo_db, person_id, members=members)

    found = detail(worker, demo_db, household_id)
    assert [(m.name, m.relation, m.aid_targeted) for m in found.members] == [
        ("测试男404", "applicant", True), ("刘芳", "spouse", False), ("张小明", "child", False)]
    assert found.members[2].reasons[0].text("en").startswith("Age 12 is below")
    entries = [e for e in trail(demo_db, "hardship_member", found.members[1].id)]
    assert [(e["action"], e["after"]["aid_targeted"]) for e in entries] == [
        ("hardship_member_add", False)]


def test_a_household_at_the_income_threshold_is_refused_with_the_reason_and_nothing_is_written(
        worker, demo_db):
    person_id = register_person(worker, demo_db, sequence=405)
    threshold = load_policy()["hardship"]["income_threshold_yuan"]
    before = count_households(demo_db)

    with pytest.raises(hardship.RegistrationRefused) as caught:
        apply(worker, demo_db, person_id, household_income=3 * threshold)

    assert f"is not below the standard of {threshold} yuan" in caught.value.text("en")
    assert "不符合收入条件" in caught.value.text("zh")
    assert count_households(demo_db) == before
    [denied] = [e for e in trail(demo_db, "person", person_id) if e["outcome"] == "denied"]
    assert denied["action"] == "hardship_apply"
    assert denied["after"]["reasons"][0]["key"] == "policy.hardship.income.no"


def test_a_household_one_yuan_below_the_threshold_is_accepted(worker, demo_db):
    person_id = register_person(worker, demo_db, sequence=406)
    threshold = load_policy()["hardship"]["income_threshold_yuan"]

    household_id = apply(worker, demo_db, person_id, household_income=3 * threshold - 1)

    assert status(demo_db, household_id) == "pending_community"


def test_a_household_with_no_member_out_of_work_is_refused_with_the_reason(worker, demo_db):
    person_id = register_person(worker, demo_db, sequence=407)
    before = count_households(demo_db)

    with pytest.raises(hardship.RegistrationRefused) as caught:
        apply(worker, demo_db, person_id, applicant=MemberInput(situation="employed"),
              members=(member("刘芳", "F", 40, situation="employed"),))

    assert "No member is laid off, unemployed or never employed" in caught.value.text("en")
    assert "income" not in caught.value.text("en")
    assert count_households(demo_db) == before


def test_a_household_without_a_remark_is_refused_with_the_reason(worker, demo_db):
    person_id = register_person(worker, demo_db, sequence=408)

    with pytest.raises(hardship.RegistrationRefused) as caught:
        apply(worker, demo_db, person_id, remark="  ")

    assert "a remark is required" in caught.value.text("en")
    assert "须填写说明" in caught.value.text("zh")


def test_the_assessment_gives_both_decisions_without_writing(worker, demo_db):
    person_id = register_person(worker, demo_db, sequence=409, age=52, sex="F")
    before = count_households(demo_db)

    found = hardship.assess(worker, demo_db, today=AS_OF, application=application(
        person_id, members=(member("张军", "M", 50),)))

    assert found.registration.ok is True
    assert [d.ok for _, d in found.members] == [False, True]
    assert found.targeted == 1
    assert count_households(demo_db) == before


def test_bad_household_figures_and_an_incomplete_member_are_refused_beside_their_fields(
        worker, demo_db):
    person_id = register_person(worker, demo_db, sequence=410)

    with pytest.raises(ValidationError) as caught:
        apply(worker, demo_db, person_id, household_size=1, household_income=-5,
              members=(member("", "F", 40),))

    assert set(caught.value.fields) == {"household_size", "household_income", "members"}
    texts = caught.value.field_texts("en")
    assert "2 members listed" in texts["household_size"]
    assert texts["members"].startswith("Member 1, Name")


def test_a_man_cannot_be_recorded_as_a_female_cadre(worker, demo_db):
    person_id = register_person(worker, demo_db, sequence=411)

    with pytest.raises(ValidationError) as caught:
        apply(worker, demo_db, person_id, applicant=MemberInput(female_cadre=True))

    assert set(caught.value.fields) == {"female_cadre"}


def test_a_second_application_for_the_same_person_is_refused(worker, demo_db):
    person_id = register_person(worker, demo_db, sequence=404)
    apply(worker, demo_db, person_id)
    before = count_households(demo_db)

    with pytest.raises(AlreadyInGroup):
        apply(worker, demo_db, person_id)

    assert count_households(demo_db) == before


# --- members after the application, and who gets aid ----------------------------------------


def test_a_member_added_while_pending_is_decided_and_audited(worker, demo_db, applied):
    member_id = hardship.add_member(worker, demo_db, household_id=applied, today=AS_OF,
                                    member=member("王丽", "F", 54, female_cadre=True))

    found = detail(worker, demo_db, applied)
    [added] = [m for m in found.members if m.id == member_id]
    assert (added.name, added.female_cadre, added.aid_targeted) == ("王丽", True, True)
    assert trail(demo_db, "hardship_member", member_id)[-1]["action"] == "hardship_member_add"


def test_correcting_a_member_after_registration_decides_the_targeting_again(
        worker, officer, demo_db):
    household_id = registered_household(worker, officer, demo_db, sequence=430,
                                        registered_on=AS_OF - days(10))
    member_id = hardship.add_member(worker, demo_db, household_id=household_id, today=AS_OF,
                                    member=member("王丽", "F", 54))
    assert detail(worker, demo_db, household_id).members[1].aid_targeted is False

    version = hardship.update_member(worker, demo_db, member_id=member_id, expected_version=1,
                                     member=member("王丽", "F", 54, female_cadre=True),
                                     today=AS_OF)

    assert version == 2
    assert detail(worker, demo_db, household_id).members[1].aid_targeted is True
    last = trail(demo_db, "hardship_member", member_id)[-1]
    assert (last["action"], last["before"]["aid_targeted"], last["after"]["aid_targeted"]) == (
        "hardship_member_update", False, True)


def test_a_member_on_the_ledger_keeps_the_ledgers_name_and_birth_date(worker, demo_db, applied):
    [applicant] = detail(worker, demo_db, applied).members

    hardship.update_member(worker, demo_db, member_id=applicant.id, expected_version=1,
                           today=AS_OF, member=MemberInput(
                               name="改名", relation="applicant", sex="F",
                               birth_date=dt.date(1950, 1, 1), situation="laid_off"))

    [after] = detail(worker, demo_db, applied).members
    assert (after.name, after.sex, after.birth_date) == (
        applicant.name, applicant.sex, applicant.birth_date)
    assert after.aid_targeted is False  # the answers were not given this time
    assert [r.key for r in after.reasons[1:]] == ["policy.hardship.able_to_work.no",
                                                 "policy.hardship.willing.no",
                                                 "policy.hardship.accepts_any_job.no"]


def test_the_applicants_relation_cannot_change(worker, demo_db, applied):
    [applicant] = detail(worker, demo_db, applied).members

    with pytest.raises(ValidationError) as caught:
        hardship.update_member(worker, demo_db, member_id=applicant.id, expected_version=1,
                               today=AS_OF, member=MemberInput(relation="spouse",
                                                               situation="laid_off"))

    assert set(caught.value.fields) == {"relation"}


def test_a_stale_member_correction_is_refused(worker, demo_db, applied):
    [applicant] = detail(worker, demo_db, applied).members
    again = MemberInput(relation="applicant", able_to_work=True, willing=False,
                        accepts_any_job=True)
    hardship.update_member(worker, demo_db, member_id=applicant.id, expected_version=1,
                           today=AS_OF, member=again)

    with pytest.raises(StaleRecord):
        hardship.update_member(worker, demo_db, member_id=applicant.id, expected_version=1,
                               today=AS_OF, member=MemberInput(relation="applicant"))


def test_members_of_a_household_that_left_cannot_change(worker, officer, demo_db):
    household_id = registered_household(worker, officer, demo_db, sequence=431,
                                        registered_on=AS_OF - days(10))
    hardship.exit_group(officer, demo_db, household_id=household_id, expected_version=3,
                        reason="moved", on=AS_OF)

    with pytest.raises(hardship.HouseholdClosed):
        hardship.add_member(worker, demo_db, household_id=household_id, today=AS_OF,
                            member=member("王丽", "F", 40))


def test_only_targeted_members_of_registered_households_get_the_hardship_priority(
        worker, officer, demo_db):
    from casework.services import scope

    targeted = register_person(worker, demo_db, sequence=432, on=AS_OF - days(10))
    not_targeted = register_person(worker, demo_db, sequence=433, age=52, sex="F",
                                   on=AS_OF - days(10))
    first = apply(worker, demo_db, targeted, on=AS_OF - days(10))
    second = apply(worker, demo_db, not_targeted, on=AS_OF - days(10))
    with demo_db:
        assert scope.aid_targeted(demo_db, targeted) is False  # not registered yet

    for household_id in (first, second):
        version = hardship.verify_community(worker, demo_db, household_id=household_id,
                                            expected_version=1)
        hardship.confirm_street(officer, demo_db, household_id=household_id,
                                expected_version=version, today=AS_OF)

    with demo_db:
        assert scope.aid_targeted(demo_db, targeted) is True
        assert scope.aid_targeted(demo_db, not_targeted) is False
        people = scope.aid_targeted_people(demo_db)
    assert targeted in people and not_targeted not in people


def test_a_registered_household_with_no_targeted_member_is_still_visited(
        worker, officer, demo_db):
    person_id = register_person(worker, demo_db, sequence=434, age=52, sex="F",
                                on=AS_OF - days(10))
    household_id = apply(worker, demo_db, person_id, on=AS_OF - days(10))
    version = hardship.verify_community(worker, demo_db, household_id=household_id,
                                        expected_version=1)
    hardship.confirm_street(officer, demo_db, household_id=household_id,
                            expected_version=version, today=AS_OF - days(10))

    visits.record_visit(worker, demo_db, household_id=household_id,
                        values=visit_values(AS_OF), today=AS_OF)

    row = row_of(worker, demo_db, household_id)
    assert (row.status, row.members, row.targeted, row.last_visit) == (
        "registered", 1, 0, AS_OF)


def test_a_ledger_person_already_in_a_household_cannot_join_another(worker, demo_db, applied):
    other = register_person(worker, demo_db, sequence=435)
    in_first = household(demo_db, applied)["person_id"]

    with pytest.raises(AlreadyInGroup):
        apply(worker, demo_db, other, members=(MemberInput(person_id=in_first,
                                                           relation="spouse"),))


# --- exit ------------------------------------------------------------------------------------


def test_a_community_worker_may_not_take_a_household_out_of_the_group(worker, officer, demo_db):
    household_id = registered_household(worker, officer, demo_db, sequence=405,
                                        registered_on=AS_OF - days(10))

    with pytest.raises(AccessDenied):
        hardship.exit_group(worker, demo_db, household_id=household_id, expected_version=3,
                            reason="employed", on=AS_OF)

    assert status(demo_db, household_id) == "registered"


def test_a_street_officer_takes_an_employed_household_out_of_the_group(
        worker, officer, demo_db):
    household_id = registered_household(worker, officer, demo_db, sequence=406,
                                        registered_on=AS_OF - days(10))

    version = hardship.exit_group(officer, demo_db, household_id=household_id,
                                  expected_version=3, reason="employed", remark="进厂上班",
                                  on=AS_OF)

    values = household(demo_db, household_id)
    assert version == 4
    assert status(demo_db, household_id) == "exited"
    assert (values["exit_reason"], values["exit_remark"], values["exited_by"]) == (
        "employed", "进厂上班", officer.staff_id)
    assert values["exited_on"] == AS_OF.isoformat()
    assert household_id not in {r.id for r in hardship.households(worker, demo_db, today=AS_OF)}
    assert trail(demo_db, "hardship_household", household_id)[-1]["action"] == "hardship_exit"


def test_leaving_the_group_needs_a_reason_from_the_list(worker, officer, demo_db):
    household_id = registered_household(worker, officer, demo_db, sequence=407,
                                        registered_on=AS_OF - days(10))

    with pytest.raises(ValidationError) as caught:
        hardship.exit_group(officer, demo_db, household_id=household_id, expected_version=3,
                            reason="bored", on=AS_OF)

    assert "exit_reason" in caught.value.fields
    assert status(demo_db, household_id) == "registered"


def test_a_household_that_left_cannot_leave_again(worker, officer, demo_db):
    household_id = registered_household(worker, officer, demo_db, sequence=408,
                                        registered_on=AS_OF - days(10))
    version = hardship.exit_group(officer, demo_db, household_id=household_id,
                                  expected_version=3, reason="moved", on=AS_OF)

    with pytest.raises(ValidationError) as caught:
        hardship.exit_group(officer, demo_db, household_id=household_id,
                            expected_version=version, reason="employed", on=AS_OF)

    assert "exit_reason" in caught.value.fields
    assert household(demo_db, household_id)["exit_reason"] == "moved"


def test_a_person_whose_household_left_may_apply_again(worker, officer, demo_db):
    household_id = registered_household(worker, officer, demo_db, sequence=409,
                                        registered_on=AS_OF - days(10))
    person_id = household(demo_db, household_id)["person_id"]
    hardship.exit_group(officer, demo_db, household_id=household_id, expected_version=3,
                        reason="not_eligible", on=AS_OF)

    again = apply(worker, demo_db, person_id)

    assert again != household_id
    assert status(demo_db, again) == "pending_community"


# --- visit schedule --------------------------------------------------------------------------


def test_only_registered_households_are_listed_by_default(worker, officer, demo_db, applied):
    registered = registered_household(worker, officer, demo_db, sequence=410,
                                      registered_on=AS_OF - days(3))

    ids = {r.id for r in hardship.households(worker, demo_db, today=AS_OF)}

    assert registered in ids
    assert applied not in ids
    assert row_of(worker, demo_db, applied).due is None


def test_a_household_registered_31_days_ago_and_never_visited_is_overdue_by_one_day(
        worker, officer, demo_db):
    household_id = registered_household(worker, officer, demo_db, sequence=411,
                                        registered_on=AS_OF - days(31))

    row = row_of(worker, demo_db, household_id)

    assert (row.due.state, row.due.days_overdue, row.due.never_visited) == ("overdue", 1, True)
    assert row.due.due_on == AS_OF - days(1)
    assert row.last_visit is None


def test_a_visit_today_means_the_household_is_no_longer_overdue(worker, officer, demo_db):
    household_id = registered_household(worker, officer, demo_db, sequence=412,
                                        registered_on=AS_OF - days(31))

    visits.record_visit(worker, demo_db, household_id=household_id,
                        values=visit_values(AS_OF), today=AS_OF)

    row = row_of(worker, demo_db, household_id)
    assert row.due.state == "upcoming"
    assert (row.due.days_overdue, row.due.never_visited) == (0, False)
    assert row.last_visit == AS_OF
    assert row.due.due_on == AS_OF + days(load_policy()["visits"]["interval_days"])


def test_the_due_state_is_computed_for_the_day_asked_about(worker, officer, demo_db):
    household_id = registered_household(worker, officer, demo_db, sequence=413,
                                        registered_on=AS_OF - days(31))

    earlier = row_of(worker, demo_db, household_id, today=AS_OF - days(1))
    now = row_of(worker, demo_db, household_id, today=AS_OF)

    assert (earlier.due.state, earlier.due.days_overdue) == ("due", 0)
    assert (now.due.state, now.due.days_overdue) == ("overdue", 1)


def test_a_next_visit_planned_at_the_last_visit_brings_the_due_date_forward(
        worker, officer, demo_db):
    household_id = registered_household(worker, officer, demo_db, sequence=414,
                                        registered_on=AS_OF - days(40))
    visits.record_visit(worker, demo_db, household_id=household_id, today=AS_OF,
                        values=visit_values(AS_OF - days(20), next_visit_date=AS_OF - days(1)))
    # Another household visited later: each household's plan is read at its own last visit,
    # not at the latest visit anywhere.
    later = registered_household(worker, officer, demo_db, sequence=419,
                                 registered_on=AS_OF - days(40))
    visits.record_visit(worker, demo_db, household_id=later, today=AS_OF,
                        values=visit_values(AS_OF - days(5), next_visit_date=AS_OF + days(25)))

    row = row_of(worker, demo_db, household_id)

    assert (row.due.due_on, row.due.state, row.due.days_overdue) == (
        AS_OF - days(1), "overdue", 1)
    assert row_of(worker, demo_db, later).due.due_on == AS_OF + days(25)


def test_overdue_households_come_first_most_overdue_first(worker, officer, demo_db):
    upcoming = registered_household(worker, officer, demo_db, sequence=415,
                                    registered_on=AS_OF - days(10))
    due_today = registered_household(worker, officer, demo_db, sequence=416,
                                     registered_on=AS_OF - days(30))
    overdue_1 = registered_household(worker, officer, demo_db, sequence=417,
                                     registered_on=AS_OF - days(31))
    overdue_10 = registered_household(worker, officer, demo_db, sequence=418,
                                      registered_on=AS_OF - days(40))
    mine = {upcoming, due_today, overdue_1, overdue_10}

    rows = hardship.households(worker, demo_db, today=AS_OF)

    assert [r.id for r in rows if r.id in mine] == [overdue_10, overdue_1, due_today, upcoming]
    states = [r.due.state for r in rows]
    assert states == sorted(states, key=["overdue", "due", "upcoming"].index)


def test_overdue_counts_roll_up_from_community_to_city(actors, worker, officer, demo_db):
    city, admin = actors["city_officer"], actors["admin"]
    other_worker, other_officer = other_district_staff(admin, city, officer, demo_db)
    before = {r.unit_id: r for r in hardship.overdue_rollup(city, demo_db, today=AS_OF)}
    registered_household(worker, officer, demo_db, sequence=420, registered_on=AS_OF - days(31))
    registered_household(worker, officer, demo_db, sequence=421, registered_on=AS_OF - days(5))
    registered_household(other_worker, other_officer, demo_db, sequence=422,
                         registered_on=AS_OF - days(45))

    rows = hardship.overdue_rollup(city, demo_db, today=AS_OF)

    paths = {u.id: u.path for u in org.units(city, demo_db)}
    by_id = {r.unit_id: r for r in rows}
    gained = {uid: (r.registered - before[uid].registered, r.overdue - before[uid].overdue)
              for uid, r in by_id.items()}
    chain = [uid for uid, path in paths.items() if worker.unit_path.startswith(path)]
    assert {by_id[uid].level for uid in chain} == {"community", "street", "district", "city"}
    for uid in chain:
        expected = (3, 2) if by_id[uid].level == "city" else (2, 1)
        assert gained[uid] == expected, by_id[uid].level
    assert gained[other_worker.unit_id] == (1, 1)
    assert gained[other_officer.unit_id] == (1, 1)
    [top] = [r for r in rows if r.depth == 0]
    assert (top.unit_id, top.level) == (city.unit_id, "city")
    districts = [r for r in rows if r.depth == 1]
    assert {r.level for r in districts} <= {"district", "county"}
    assert top.registered == sum(r.registered for r in districts)
    assert top.overdue == sum(r.overdue for r in districts)
    for street in (r for r in rows if r.level == "street"):
        communities = [r for r in rows if r.level == "community"
                       and paths[r.unit_id].startswith(paths[street.unit_id])]
        assert street.registered == sum(r.registered for r in communities)
        assert street.overdue == sum(r.overdue for r in communities)


def test_a_street_officer_sees_the_rollup_of_their_street_only(worker, officer, demo_db):
    registered_household(worker, officer, demo_db, sequence=423, registered_on=AS_OF - days(31))

    rows = hardship.overdue_rollup(officer, demo_db, today=AS_OF)

    assert (rows[0].unit_id, rows[0].level, rows[0].depth) == (officer.unit_id, "street", 0)
    assert {r.level for r in rows[1:]} == {"community"}
    assert {r.depth for r in rows[1:]} == {1}
    mine = next(r for r in rows if r.unit_id == worker.unit_id)
    assert mine.overdue >= 1
    assert rows[0].overdue == sum(r.overdue for r in rows[1:])


def test_a_researcher_sees_registered_households_without_names(actors, worker, officer, demo_db):
    household_id = registered_household(worker, officer, demo_db, sequence=424,
                                        registered_on=AS_OF - days(31))

    [row] = [r for r in hardship.households(actors["researcher"], demo_db, today=AS_OF)
             if r.id == household_id]

    assert row.name is None
    assert (row.due.state, row.due.days_overdue) == ("overdue", 1)
    assert row_of(worker, demo_db, household_id).name == "测试男424"


# --- the demo ----------------------------------------------------------------------------------


def test_the_demo_registers_a_woman_of_52_untargeted_and_targets_a_female_cadre_of_54(demo_db):
    from casework.db.models_notice import HardshipMember
    from casework.policy import age_on

    with demo_db:
        rows = demo_db.session.execute(
            select(HardshipMember, HardshipHousehold)
            .join(HardshipHousehold, HardshipMember.household_id == HardshipHousehold.id)
            .where(HardshipMember.sex == "F", HardshipHousehold.registered_on.is_not(None))).all()
        women = {(age_on(m.birth_date, h.applied_on), m.female_cadre, m.aid_targeted)
                 for m, h in rows}
        households = demo_db.session.scalars(select(HardshipHousehold)).all()
        assert all(h.household_size >= 1 and h.registration_remark for h in households)
        threshold = load_policy()["hardship"]["income_threshold_yuan"]
        assert all(h.household_income < threshold * h.household_size for h in households)

    assert (52, False, False) in women
    assert (54, True, True) in women
