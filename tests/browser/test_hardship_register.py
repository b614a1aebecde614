"""Registering a 特困家庭 with its members: both decisions on screen (registration by 132号,
employment aid per member by 三(七)), community verification, street confirmation."""

import datetime as dt

from playwright.sync_api import expect

from casework.policy import load_policy, working_age
from casework.services import hardship, org, persons
from casework.services.hardship import RELATIONS, SITUATIONS
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url
from tests.browser.widgets import pick_person, type_text

WORKER = "demo-community-worker"
SEXES = ("M", "F")


def after_blank(codes: tuple[str, ...], code: str) -> int:
    """The option index of ``code`` in a choice that starts with a blank."""
    return 1 + codes.index(code)


def _working_age_person(database_url: str, *, skip: int = 0) -> int:
    """Someone of the worker's community, out of work and of working age, in no household."""
    uow = UnitOfWork(url=database_url)
    worker = org.load_actor(uow, WORKER)
    in_group = {r.person_id for r in hardship.households(
        worker, uow, statuses=("pending_community", "pending_street", "registered"))}
    policy = load_policy()
    found = [p.id for p in persons.list_persons(worker, uow, limit=500)
             if p.id not in in_group and p.category in ("laid_off", "unemployed")
             and working_age(policy, birth_date=p.birth_date, sex=p.sex,
                             on=dt.date.today()).ok]
    return found[skip]


def _fill_household(register, person_id: int, *, income: str) -> None:
    pick_person(register, person_id)
    type_text(register.locator(".cw-field-household_size input"), "3")
    type_text(register.locator(".cw-field-household_income input"), income)
    type_text(register.locator(".cw-field-registration_remark textarea"),
              "Both laid off; a child at school; odd jobs only.")
    for answer in ("able_to_work", "willing", "accepts_any_job"):
        register.locator(f".cw-field-{answer} input").check()


def _fill_spouse_of_52(register) -> None:
    row = register.locator(".cw-member-row").first
    type_text(row.locator(".cw-field-member_name input"), "Liu Fang")
    row.locator(".cw-field-member_relation select").select_option(index=after_blank(
        RELATIONS[1:], "spouse"))
    row.locator(".cw-field-member_sex select").select_option(index=after_blank(SEXES, "F"))
    born = dt.date.today().replace(year=dt.date.today().year - 53) + dt.timedelta(days=20)
    row.locator(".cw-field-member_birth_date input").fill(born.isoformat())
    row.locator(".cw-field-member_birth_date input").press("Tab")
    row.locator(".cw-field-member_situation select").select_option(index=after_blank(
        SITUATIONS, "laid_off"))
    for answer in ("able_to_work", "willing", "accepts_any_job"):
        row.locator(f".cw-field-member_{answer} input").check()


def test_a_household_of_two_shows_both_decisions_and_is_registered_after_community_and_street(
        voila, demo_database, page):
    person_id = _working_age_person(demo_database)
    page.goto(app_url(voila(WORKER), "hardship_register.ipynb", lang="en"), wait_until="commit")
    register = page.locator(".cw-form-register")
    register.locator(".cw-field-person select").wait_for()
    _fill_household(register, person_id, income="300")
    _fill_spouse_of_52(register)
    page.locator(".cw-action-check").click()

    decision = page.locator(".cw-decision")
    expect(decision.locator(".cw-decision-registration.cw-decision-ok")).to_contain_text(
        "132号")
    expect(decision.locator(".cw-decision-aid")).to_contain_text("三(七)")
    expect(decision.locator(".cw-member-decision")).to_have_count(2)
    expect(decision.locator(".cw-member-decision").nth(0)).to_have_class(
        "cw-member-decision cw-targeted-yes")
    expect(decision.locator(".cw-member-decision").nth(1)).to_have_class(
        "cw-member-decision cw-targeted-no")
    expect(decision.locator(".cw-member-decision").nth(1)).to_contain_text("Age 52 is above 50")

    register.locator(".cw-action-register").click()
    expect(register.locator(".cw-status .cw-status-ok")).to_contain_text("awaiting community")
    expect(decision.locator(".cw-member-decision.cw-targeted-no")).to_contain_text("Liu Fang")

    verify = page.locator(".cw-form-verify")
    pick_person(verify, person_id, field="household")  # found by the applicant's number
    type_text(verify.locator(".cw-field-remark input"), "Visited; circumstances confirmed.")
    verify.locator(".cw-action-verify").click()
    expect(verify.locator(".cw-status .cw-status-ok")).to_contain_text("awaiting street")

    page.goto(app_url(voila("demo-street-officer"), "hardship_register.ipynb", lang="en"),
              wait_until="commit")
    confirm = page.locator(".cw-form-verify")
    pick_person(confirm, person_id, field="household")
    confirm.locator(".cw-action-confirm").click()
    expect(confirm.locator(".cw-status .cw-status-ok")).to_contain_text("registered")

    uow = UnitOfWork(url=demo_database)
    officer = org.load_actor(uow, "demo-street-officer")
    [row] = [r for r in hardship.households(officer, uow) if r.person_id == person_id]
    assert (row.status, row.members, row.targeted) == ("registered", 2, 1)


def test_a_household_at_the_income_standard_is_refused_with_the_reason_on_screen(
        voila, demo_database, page):
    person_id = _working_age_person(demo_database, skip=1)
    threshold = load_policy()["hardship"]["income_threshold_yuan"]
    page.goto(app_url(voila(WORKER), "hardship_register.ipynb", lang="zh"), wait_until="commit")
    register = page.locator(".cw-form-register")
    register.locator(".cw-field-person select").wait_for()
    _fill_household(register, person_id, income=str(3 * threshold))

    register.locator(".cw-action-register").click()

    expect(register.locator(".cw-status .cw-status-error")).to_contain_text("不符合收入条件")
    expect(page.locator(".cw-decision .cw-decision-registration.cw-decision-no")).to_be_visible()
    expect(register.locator(".cw-field-household_income input")).to_have_value(
        str(3 * threshold))


def test_a_female_cadre_of_54_added_to_a_registered_household_is_targeted(
        voila, demo_database, page):
    uow = UnitOfWork(url=demo_database)
    [household] = hardship.households(org.load_actor(uow, WORKER), uow)[:1]
    page.goto(app_url(voila(WORKER), "hardship_register.ipynb", lang="en"), wait_until="commit")
    form = page.locator(".cw-form-member")
    pick_person(form, household.person_id, field="household")
    expect(page.locator(".cw-household-members .cw-decision-registration")).to_be_visible()
    form.locator(".cw-field-member select").select_option(index=0)  # a new member
    type_text(form.locator(".cw-field-name input"), "Wang Li")
    form.locator(".cw-field-relation select").select_option(index=after_blank(RELATIONS,
                                                                              "other"))
    form.locator(".cw-field-sex select").select_option(index=after_blank(SEXES, "F"))
    born = dt.date.today().replace(year=dt.date.today().year - 54) - dt.timedelta(days=10)
    form.locator(".cw-field-birth_date input").fill(born.isoformat())
    form.locator(".cw-field-birth_date input").press("Tab")
    form.locator(".cw-field-situation select").select_option(index=after_blank(SITUATIONS,
                                                                               "laid_off"))
    for answer in ("female_cadre", "able_to_work", "willing", "accepts_any_job"):
        form.locator(f".cw-field-{answer} input").check()

    form.locator(".cw-action-save-member").click()

    expect(form.locator(".cw-status .cw-status-ok")).to_contain_text(
        "Wang Li added (targeted for employment aid)")
    expect(page.locator(".cw-household-members .cw-member-decision.cw-targeted-yes",
                        has_text="Wang Li")).to_contain_text("Age 54 is within")

