"""Home visits on both databases: validation, scope, corrections by the author, and history."""

import datetime as dt

import pytest

from casework.errors import AccessDenied, StaleRecord, ValidationError
from casework.ids import make_resident_id
from casework.services import hardship, org, persons, visits
from tests.conftest import AS_OF
from tests.integration.helpers import days, trail

REGISTERED_ON = AS_OF - dt.timedelta(days=60)



MEMBERS = [{"member": "户主", "status": "unemployed"}, {"member": "配偶", "status": "flexible"}]


def visit(visit_date: dt.date | None = AS_OF, **overrides) -> dict:
    base = visit_date or AS_OF
    values = {
        "visit_date": visit_date,
        "visitors": "张敏、李强",
        "present": "户主及配偶",
        "living_conditions": "两居室，冬季取暖困难",
        "employment_status": MEMBERS,
        "employment_note": "配偶在超市做临时工",
        "income_change": "decreased",
        "needs": ["job", "training"],
        "needs_note": "希望学习家政技能",
        "services": ["career_guidance", "training_referral"],
        "follow_up": "推荐参加街道家政培训班",
        "follow_up_due": base + days(14),
        "next_visit_date": base + days(30),
    }
    return values | overrides


def poor_household(person_id: int) -> hardship.Application:
    """Three people on 300 yuan a month, the applicant able, willing and not choosy."""
    return hardship.Application(
        person_id=person_id, household_size=3, household_income=300, remark="夫妻下岗，生活困难。",
        applicant=hardship.MemberInput(able_to_work=True, willing=True, accepts_any_job=True))


def record(actor, uow, household_id: int, values: dict) -> int:
    return visits.record_visit(actor, uow, household_id=household_id, values=values, today=AS_OF)





@pytest.fixture
def household_id(worker, officer, demo_db) -> int:
    """A 40-year-old's household in the worker's community, registered 60 days before AS_OF."""
    birth = dt.date(REGISTERED_ON.year - 40, 8, 3)
    person_id = persons.register_person(worker, demo_db, today=REGISTERED_ON, values={
        "name": "测试户主", "id_number": make_resident_id("320705", birth, 431, "M"),
        "category": "laid_off", "community_id": worker.unit_id}, confirm_similar=True)
    household = hardship.apply(worker, demo_db, application=poor_household(person_id),
                               today=REGISTERED_ON)
    version = hardship.verify_community(worker, demo_db, household_id=household,
                                        expected_version=1)
    hardship.confirm_street(officer, demo_db, household_id=household, expected_version=version,
                            today=REGISTERED_ON)
    return household


@pytest.fixture
def outsider(actors, officer, demo_db):
    """A community worker of a community in another street."""
    community = next(u for u in org.units(actors["city_officer"], demo_db, level="community")
                     if not u.path.startswith(officer.unit_path))
    org.create_staff(actors["admin"], demo_db, username="outside-worker",
                     display_name="outside worker", role="community_worker",
                     unit_id=community.id)
    return org.load_actor(demo_db, "outside-worker")


# --- recording -------------------------------------------------------------------------------


def test_a_worker_records_a_visit_to_a_registered_household(worker, household_id, demo_db):
    visit_id = record(worker, demo_db, household_id, visit())

    [saved] = visits.visits_of(worker, demo_db, household_id=household_id)
    assert saved["id"] == visit_id
    assert saved["visit_date"] == AS_OF.isoformat()
    assert saved["author_id"] == worker.staff_id
    assert saved["needs"] == ["job", "training"]
    assert saved["services"] == ["career_guidance", "training_referral"]
    assert saved["next_visit_date"] == (AS_OF + days(30)).isoformat()
    assert saved["version"] == 1
    [entry] = trail(demo_db, "home_visit", visit_id)
    assert (entry["action"], entry["outcome"], entry["username"]) == (
        "record_visit", "ok", worker.username)
    assert entry["after"]["living_conditions"] == "两居室，冬季取暖困难"


def test_a_visit_with_only_the_required_fields_is_saved(worker, household_id, demo_db):
    values = {"visit_date": AS_OF, "living_conditions": "住房简陋",
              "employment_status": [{"member": "户主", "status": "unemployed"}]}

    record(worker, demo_db, household_id, values)

    [saved] = visits.visits_of(worker, demo_db, household_id=household_id)
    assert (saved["needs"], saved["services"], saved["income_change"]) == ([], [], None)


@pytest.mark.parametrize(("overrides", "field"), [
    ({"visit_date": AS_OF + days(1)}, "visit_date"),
    ({"visit_date": REGISTERED_ON - days(1), "follow_up_due": None, "next_visit_date": None},
     "visit_date"),
    ({"visit_date": None}, "visit_date"),
    ({"living_conditions": None}, "living_conditions"),
    ({"living_conditions": "   "}, "living_conditions"),
    ({"employment_status": []}, "employment_status"),
    ({"employment_status": [{"member": "", "status": "unemployed"}]}, "employment_status"),
    ({"employment_status": [{"member": "户主", "status": None}]}, "employment_status"),
    ({"employment_status": [{"member": "户主", "status": "astronaut"}]}, "employment_status"),
    ({"next_visit_date": AS_OF}, "next_visit_date"),
    ({"next_visit_date": AS_OF - days(1)}, "next_visit_date"),
    ({"follow_up_due": AS_OF}, "follow_up_due"),
    ({"follow_up": None}, "follow_up"),
    ({"needs": ["job", "lottery_ticket"]}, "needs"),
    ({"services": ["free_money"]}, "services"),
    ({"income_change": "doubled"}, "income_change"),
], ids=["future", "before_registration", "no_date", "no_living_conditions",
        "blank_living_conditions", "no_employment_status", "member_without_name",
        "member_without_status", "member_with_unknown_status", "next_visit_same_day",
        "next_visit_before", "follow_up_due_same_day", "follow_up_due_without_action",
        "unknown_need", "unknown_service", "unknown_income_change"])
def test_an_invalid_visit_is_refused_naming_the_field(worker, household_id, demo_db, overrides,
                                                      field):
    with pytest.raises(ValidationError) as caught:
        record(worker, demo_db, household_id, visit(**overrides))

    assert set(caught.value.fields) == {field}
    assert visits.visits_of(worker, demo_db, household_id=household_id) == []


def test_a_visit_before_registration_names_the_registration_date(worker, household_id, demo_db):
    values = visit(REGISTERED_ON - days(1), follow_up_due=None, next_visit_date=None)

    with pytest.raises(ValidationError) as caught:
        record(worker, demo_db, household_id, values)

    assert REGISTERED_ON.isoformat() in caught.value.field_texts("en")["visit_date"]
    assert REGISTERED_ON.isoformat() in caught.value.field_texts("zh")["visit_date"]


def test_every_problem_of_a_visit_is_reported_at_once(worker, household_id, demo_db):
    values = visit(AS_OF + days(1), living_conditions=None, employment_status=None,
                   needs=["unknown"])

    with pytest.raises(ValidationError) as caught:
        record(worker, demo_db, household_id, values)

    assert {"visit_date", "living_conditions", "employment_status", "needs"} <= set(
        caught.value.fields)


def test_a_visit_on_the_registration_day_is_accepted(worker, household_id, demo_db):
    record(worker, demo_db, household_id, visit(REGISTERED_ON))

    [saved] = visits.visits_of(worker, demo_db, household_id=household_id)
    assert saved["visit_date"] == REGISTERED_ON.isoformat()


def test_a_worker_of_another_community_may_not_record_a_visit(outsider, household_id, demo_db):
    with pytest.raises(AccessDenied):
        record(outsider, demo_db, household_id, visit())

    denied = [e for e in trail(demo_db, "hardship_household", household_id)
              if e["outcome"] == "denied"]
    assert [(e["action"], e["username"], e["staff_id"]) for e in denied] == [
        ("record_visit", outsider.username, outsider.staff_id)]


def test_a_worker_of_another_community_may_not_read_the_visits(
        worker, outsider, household_id, demo_db):
    record(worker, demo_db, household_id, visit())

    with pytest.raises(AccessDenied):
        visits.visits_of(outsider, demo_db, household_id=household_id)


def test_a_visit_to_a_household_not_yet_registered_is_refused(worker, demo_db):
    birth = dt.date(1986, 2, 11)
    person_id = persons.register_person(worker, demo_db, today=AS_OF, values={
        "name": "待核实户", "id_number": make_resident_id("320705", birth, 432, "F"),
        "category": "unemployed", "community_id": worker.unit_id}, confirm_similar=True)
    pending = hardship.apply(worker, demo_db, application=poor_household(person_id),
                             today=AS_OF)

    with pytest.raises(ValidationError) as caught:
        record(worker, demo_db, pending, visit())

    assert set(caught.value.fields) == {"person"}


# --- corrections -----------------------------------------------------------------------------


def test_the_author_corrects_a_visit_and_the_audit_row_holds_before_and_after(
        worker, household_id, demo_db):
    visit_id = record(worker, demo_db, household_id, visit())

    version = visits.correct_visit(worker, demo_db, visit_id=visit_id, expected_version=1,
                                   values={"living_conditions": "两居室，已申请取暖补贴"},
                                   today=AS_OF)

    assert version == 2
    [saved] = visits.visits_of(worker, demo_db, household_id=household_id)
    assert (saved["living_conditions"], saved["version"]) == ("两居室，已申请取暖补贴", 2)
    assert saved["employment_status"] == MEMBERS
    entry = trail(demo_db, "home_visit", visit_id)[-1]
    assert (entry["action"], entry["outcome"], entry["username"]) == (
        "correct_visit", "ok", worker.username)
    assert (entry["before"]["living_conditions"], entry["before"]["version"]) == (
        "两居室，冬季取暖困难", 1)
    assert (entry["after"]["living_conditions"], entry["after"]["version"]) == (
        "两居室，已申请取暖补贴", 2)


def test_a_correction_is_validated_like_a_new_visit(worker, household_id, demo_db):
    visit_id = record(worker, demo_db, household_id, visit())

    with pytest.raises(ValidationError) as caught:
        visits.correct_visit(worker, demo_db, visit_id=visit_id, expected_version=1,
                             values={"employment_status": []}, today=AS_OF)

    assert set(caught.value.fields) == {"employment_status"}
    [saved] = visits.visits_of(worker, demo_db, household_id=household_id)
    assert saved["version"] == 1


def test_someone_other_than_the_author_may_not_correct_a_visit(
        worker, officer, household_id, demo_db):
    visit_id = record(worker, demo_db, household_id, visit())

    with pytest.raises(AccessDenied):
        visits.correct_visit(officer, demo_db, visit_id=visit_id, expected_version=1,
                             values={"living_conditions": "改写"}, today=AS_OF)

    [saved] = visits.visits_of(worker, demo_db, household_id=household_id)
    assert (saved["living_conditions"], saved["version"]) == ("两居室，冬季取暖困难", 1)
    entry = trail(demo_db, "home_visit", visit_id)[-1]
    assert (entry["action"], entry["outcome"], entry["username"]) == (
        "correct_visit", "denied", officer.username)


def test_a_correction_from_a_stale_version_raises_and_keeps_the_newer_one(
        worker, household_id, demo_db):
    visit_id = record(worker, demo_db, household_id, visit())
    visits.correct_visit(worker, demo_db, visit_id=visit_id, expected_version=1,
                         values={"present": "户主"}, today=AS_OF)

    with pytest.raises(StaleRecord):
        visits.correct_visit(worker, demo_db, visit_id=visit_id, expected_version=1,
                             values={"present": "户主及子女"}, today=AS_OF)

    [saved] = visits.visits_of(worker, demo_db, household_id=household_id)
    assert (saved["present"], saved["version"]) == ("户主", 2)


# --- history ---------------------------------------------------------------------------------


def test_visits_are_listed_newest_first(worker, household_id, demo_db):
    dates = [AS_OF - days(40), AS_OF - days(10), AS_OF - days(25)]
    for visit_date in dates:
        record(worker, demo_db, household_id, visit(visit_date))

    listed = visits.visits_of(worker, demo_db, household_id=household_id)

    assert [v["visit_date"] for v in listed] == [d.isoformat() for d in sorted(dates,
                                                                                 reverse=True)]


def test_two_visits_on_the_same_day_list_the_later_recorded_first(worker, household_id, demo_db):
    first = record(worker, demo_db, household_id, visit(AS_OF - days(5)))
    second = record(worker, demo_db, household_id, visit(AS_OF - days(5)))

    listed = visits.visits_of(worker, demo_db, household_id=household_id)

    assert [v["id"] for v in listed] == [second, first]


def test_the_street_officer_reads_the_visits_of_the_street(
        worker, officer, household_id, demo_db):
    visit_id = record(worker, demo_db, household_id, visit())

    listed = visits.visits_of(officer, demo_db, household_id=household_id)

    assert [v["id"] for v in listed] == [visit_id]


def test_correcting_only_the_needs_found_makes_a_new_version(worker, household_id, demo_db):
    visit_id = record(worker, demo_db, household_id, visit())

    version = visits.correct_visit(worker, demo_db, visit_id=visit_id, expected_version=1,
                                   values={"needs": ["job", "training", "medical"]},
                                   today=AS_OF)

    assert version == 2
    [saved] = visits.visits_of(worker, demo_db, household_id=household_id)
    assert saved["needs"] == ["job", "medical", "training"]
    entry = trail(demo_db, "home_visit", visit_id)[-1]
    assert (entry["before"]["needs"], entry["after"]["needs"]) == (
        ["job", "training"], ["job", "medical", "training"])


def test_blank_member_rows_are_dropped_and_the_rest_kept(worker, household_id, demo_db):
    rows = [{"member": "", "status": None}, {"member": " 户主 ", "status": "employed"},
            {"member": "", "status": None}]

    record(worker, demo_db, household_id, visit(employment_status=rows))

    [saved] = visits.visits_of(worker, demo_db, household_id=household_id)
    assert saved["employment_status"] == [{"member": "户主", "status": "employed"}]
