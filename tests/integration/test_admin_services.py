"""Administration on both databases: streets and communities are added, renamed and closed,
staff accounts opened, changed, deactivated and reactivated; every change is audited."""

import pytest
from sqlalchemy import select

from casework.db.models import AuditEntry, OrgUnit
from casework.errors import AccessDenied, ValidationError
from casework.ids import make_resident_id
from casework.services import org, persons, staff_admin, units_admin
from casework.services.org import InactiveUser
from casework.services.staff_admin import ChangeStaff, NewStaff, OwnAccount
from casework.services.units_admin import AddUnit, RenameUnit, UnitStillInUse
from tests.conftest import AS_OF
from tests.integration.helpers import refusals, trail

DISTRICT = "320705"


def _unit(uow, code: str) -> OrgUnit:
    with uow:
        unit = uow.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
        uow.session.expunge(unit)
        return unit


def _street_and_community(admin, uow) -> tuple[int, int]:
    district = _unit(uow, DISTRICT)
    street = units_admin.add_unit(admin, uow, AddUnit(district.id, "320705901", "新街道",
                                                      "New Street"))
    community = units_admin.add_unit(admin, uow, AddUnit(street, "320705901001", "新社区", ""))
    return street, community


def _worker(admin, uow, community: int, username: str = "new-worker") -> int:
    return staff_admin.add_staff(admin, uow, NewStaff(username, "新 社工", "community_worker",
                                                      community))


def test_an_admin_adds_a_street_under_a_district_and_a_community_under_it(actors, demo_db):
    street, community = _street_and_community(actors["admin"], demo_db)

    added = _unit(demo_db, "320705901001")
    assert (added.id, added.level, added.path) == (community, "community",
                                                   "/320700/320705/320705901/320705901001/")
    assert added.name_en == "新社区"  # no English name given: the Chinese one stands in
    assert _unit(demo_db, "320705901").level == "street"
    rows = trail(demo_db, "org_unit", community)
    assert [(r["action"], r["username"]) for r in rows] == [("add_unit", "demo-admin")]


def test_a_unit_needs_a_fresh_code_of_letters_and_digits_and_a_chinese_name(actors, demo_db):
    district = _unit(demo_db, DISTRICT)
    taken = _unit(demo_db, "320705001").code

    with pytest.raises(ValidationError) as bad:
        units_admin.add_unit(actors["admin"], demo_db, AddUnit(district.id, "a/b", " ", ""))
    with pytest.raises(ValidationError) as again:
        units_admin.add_unit(actors["admin"], demo_db, AddUnit(district.id, taken, "名", ""))

    assert set(bad.value.fields) == {"code", "name_zh"}
    assert bad.value.fields["code"].key == "admin.bad_code"
    assert again.value.fields["code"].key == "org.code_taken"


def test_a_community_worker_cannot_add_a_unit_and_the_attempt_is_audited(actors, demo_db):
    street = _unit(demo_db, "320705001")

    with pytest.raises(AccessDenied):
        units_admin.add_unit(actors["community_worker"], demo_db,
                             AddUnit(street.id, "320705001901", "社区", ""))

    with demo_db:
        denied = demo_db.session.scalars(select(AuditEntry).where(
            AuditEntry.outcome == "denied", AuditEntry.action == "add_unit")).all()
        assert [(d.username, d.unit_path) for d in denied] == [
            ("demo-community-worker", actors["community_worker"].unit_path)]


def test_renaming_keeps_the_code_and_path_and_audits_the_old_names(actors, demo_db):
    street, _community = _street_and_community(actors["admin"], demo_db)

    units_admin.rename_unit(actors["admin"], demo_db, RenameUnit(street, "改名街道", "Renamed"))

    renamed = _unit(demo_db, "320705901")
    assert (renamed.name_zh, renamed.name_en, renamed.path) == ("改名街道", "Renamed",
                                                                "/320700/320705/320705901/")
    last = trail(demo_db, "org_unit", street)[-1]
    assert last["action"] == "rename_unit"
    assert (last["before"]["name_zh"], last["after"]["name_zh"]) == ("新街道", "改名街道")


def test_a_unit_with_active_staff_or_open_units_under_it_cannot_close(actors, demo_db):
    admin = actors["admin"]
    street, community = _street_and_community(admin, demo_db)
    _worker(admin, demo_db, community)

    with pytest.raises(UnitStillInUse) as staffed:
        units_admin.close_unit(admin, demo_db, unit_id=community)
    with pytest.raises(UnitStillInUse) as parent:
        units_admin.close_unit(admin, demo_db, unit_id=street)

    assert "new-worker" in staffed.value.text("en")
    assert "Deactivate them or move them" in staffed.value.text("en")
    assert "新社区" in parent.value.text("zh") and "Close them first" in parent.value.text("en")
    assert _unit(demo_db, "320705901001").closed_on is None


def test_a_unit_closes_once_its_staff_are_gone_and_its_units_are_closed(actors, demo_db):
    admin = actors["admin"]
    street, community = _street_and_community(admin, demo_db)
    _worker(admin, demo_db, community)
    staff_admin.set_active(admin, demo_db, username="new-worker", active=False)

    closed_community = units_admin.close_unit(admin, demo_db, unit_id=community)
    closed_street = units_admin.close_unit(admin, demo_db, unit_id=street)

    assert closed_community == closed_street == AS_OF  # the database's today
    assert _unit(demo_db, "320705901").closed_on == AS_OF
    assert [r["action"] for r in trail(demo_db, "org_unit", street)] == ["add_unit",
                                                                        "close_unit"]


def test_nobody_new_is_placed_in_a_closed_community_but_its_people_stay(actors, demo_db):
    admin = actors["admin"]
    street, community = _street_and_community(admin, demo_db)
    officer = org.load_actor(demo_db, "demo-city-officer")
    person = persons.register_person(officer, demo_db, values={
        "name": "钱文", "id_number": make_resident_id("320705", AS_OF.replace(year=1970), 301,
                                                      "F"),
        "category": "laid_off", "community_id": community}, today=AS_OF)
    units_admin.close_unit(admin, demo_db, unit_id=community)

    with pytest.raises(ValidationError) as register:
        persons.register_person(officer, demo_db, values={
            "name": "孙武", "id_number": make_resident_id("320705", AS_OF.replace(year=1971),
                                                          311, "M"),
            "category": "laid_off", "community_id": community}, today=AS_OF)
    with pytest.raises(ValidationError) as account:
        _worker(admin, demo_db, community)
    units_admin.close_unit(admin, demo_db, unit_id=street)
    with pytest.raises(ValidationError) as under:
        units_admin.add_unit(admin, demo_db, AddUnit(street, "320705901002", "x", ""))

    assert register.value.fields["community_id"].key == "admin.unit_closed"
    assert account.value.fields["unit"].key == "admin.unit_closed"
    assert under.value.fields["parent"].key == "admin.unit_closed"
    kept = persons.list_persons(officer, demo_db, community_id=community)
    assert [p.id for p in kept] == [person]


def test_an_account_needs_a_login_name_and_a_home_unit_that_fits_its_role(actors, demo_db):
    street = _unit(demo_db, "320705001")

    with pytest.raises(ValidationError) as bad:
        staff_admin.add_staff(actors["admin"], demo_db,
                              NewStaff("Big Name", "", "community_worker", street.id))
    with pytest.raises(ValidationError) as taken:
        staff_admin.add_staff(actors["admin"], demo_db,
                              NewStaff("demo-admin", "x", "street_officer", street.id))

    assert {f: m.key for f, m in bad.value.fields.items()} == {
        "username": "admin.bad_username", "display_name": "form.required",
        "unit": "org.bad_home_unit"}
    assert taken.value.fields["username"].key == "org.username_taken"


def test_a_new_account_can_act_and_its_opening_is_audited(actors, demo_db):
    _street, community = _street_and_community(actors["admin"], demo_db)
    staff_id = _worker(actors["admin"], demo_db, community)

    actor = org.load_actor(demo_db, "new-worker")

    assert (actor.staff_id, actor.role, actor.unit_id) == (staff_id, "community_worker",
                                                           community)
    assert persons.list_persons(actor, demo_db) == []
    rows = trail(demo_db, "staff", staff_id)
    assert [(r["action"], r["after"]["username"]) for r in rows] == [("create_staff",
                                                                      "new-worker")]


def test_an_account_changes_role_and_home_unit(actors, demo_db):
    street, community = _street_and_community(actors["admin"], demo_db)
    staff_id = _worker(actors["admin"], demo_db, community)

    with pytest.raises(ValidationError) as wrong_level:
        staff_admin.change_staff(actors["admin"], demo_db,
                                 ChangeStaff("new-worker", "street_officer", community))
    staff_admin.change_staff(actors["admin"], demo_db,
                             ChangeStaff("new-worker", "street_officer", street))

    assert wrong_level.value.fields["unit"].key == "org.bad_home_unit"
    actor = org.load_actor(demo_db, "new-worker")
    assert (actor.role, actor.unit_id) == ("street_officer", street)
    last = trail(demo_db, "staff", staff_id)[-1]
    assert (last["action"], last["before"]["role"], last["after"]["role"]) == (
        "change_staff", "community_worker", "street_officer")


def test_a_deactivated_account_can_no_longer_act_until_reactivated(actors, demo_db):
    _street, community = _street_and_community(actors["admin"], demo_db)
    staff_id = _worker(actors["admin"], demo_db, community)

    staff_admin.set_active(actors["admin"], demo_db, username="new-worker", active=False)
    with pytest.raises(InactiveUser) as refused:
        org.load_actor(demo_db, "new-worker")
    staff_admin.set_active(actors["admin"], demo_db, username="new-worker", active=True)

    assert "deactivated" in refused.value.text("en")
    assert org.load_actor(demo_db, "new-worker").staff_id == staff_id
    assert [r["action"] for r in trail(demo_db, "staff", staff_id)] == [
        "create_staff", "deactivate_staff", "reactivate_staff"]


def test_nobody_deactivates_their_own_account(actors, demo_db):
    with pytest.raises(OwnAccount):
        staff_admin.set_active(actors["admin"], demo_db, username="demo-admin", active=False)

    assert org.load_actor(demo_db, "demo-admin").username == "demo-admin"


def test_only_admins_and_the_city_manage_staff_and_refusals_are_audited(actors, demo_db):
    officer = actors["street_officer"]
    worker_id = actors["community_worker"].staff_id

    with pytest.raises(AccessDenied):
        staff_admin.set_active(officer, demo_db, username="demo-community-worker",
                               active=False)
    with pytest.raises(AccessDenied):
        staff_admin.staff_in_scope(officer, demo_db)

    assert refusals(demo_db, "staff", worker_id) == [("deactivate_staff",
                                                      "demo-street-officer")]
    assert org.load_actor(demo_db, "demo-community-worker").staff_id == worker_id


def test_the_city_officer_lists_every_account_and_the_tree_counts_staff_and_people(
        actors, demo_db):
    listed = staff_admin.staff_in_scope(actors["city_officer"], demo_db)
    tree = units_admin.unit_tree(actors["city_officer"], demo_db)
    by_code = {u.code: u for u in tree}
    community = actors["community_worker"].unit_id

    assert sorted(s.username for s in listed) == sorted(
        f"demo-{role.replace('_', '-')}" for role in actors)
    assert tree[0].level == "city" and tree[0].depth == 0
    assert by_code[DISTRICT].depth == 1
    home = next(u for u in tree if u.id == community)
    assert home.active_staff == 1  # the demo worker
    assert home.persons == len(persons.list_persons(actors["city_officer"], demo_db,
                                                    community_id=community, limit=10_000))


def test_an_audit_entry_about_a_person_names_the_person_and_their_community(actors, demo_db):
    worker = actors["community_worker"]
    person = persons.list_persons(worker, demo_db)[0]
    persons.log_service(worker, demo_db, person_id=person.id, kind="career_guidance",
                        service_date=AS_OF, notes="")

    with demo_db:
        entry = demo_db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (entry.person_id, entry.unit_path) == (person.id, worker.unit_path)


@pytest.mark.parametrize("bad_id", ["x", 2**40, None, -1, 1.5])
def test_an_id_that_cannot_be_one_is_refused_beside_its_field(actors, demo_db, bad_id):
    admin = actors["admin"]

    with pytest.raises(ValidationError) as unit:
        units_admin.add_unit(admin, demo_db, AddUnit(bad_id, "320705950", "名", ""))
    with pytest.raises(ValidationError) as home:
        staff_admin.add_staff(admin, demo_db, NewStaff("ok-name", "名", "admin", bad_id))

    assert unit.value.fields["parent"].key == "admin.choose_parent"
    assert home.value.fields["unit"].key == "admin.choose_unit"


def test_invisible_marks_in_a_name_are_refused_and_a_long_name_too(actors, demo_db):
    district = _unit(demo_db, DISTRICT)

    with pytest.raises(ValidationError) as marks:
        units_admin.add_unit(actors["admin"], demo_db,
                             AddUnit(district.id, "320705950", "街\u202e道", "x" * 101))

    assert marks.value.fields["name_zh"].key == "validation.control_characters"
    assert marks.value.fields["name_en"].key == "form.too_long"
