"""Small guaranteed loans in the Voila app: five steps by the right roles, no step skipped, the
notice's limits, the certificate of 银发〔2002〕394号 and the project's interest subsidy with its
basis, repayments with overdue instalments flagged, and the English page."""

import datetime as dt
import re

from playwright.sync_api import expect

from casework import vocab
from casework.i18n import Message, t
from casework.money import LOAN_STEPS
from casework.policy import load_policy
from casework.services import certificates, loans, org, persons
from casework.services.uow import UnitOfWork
from casework.ui import format
from casework.ui.loans import build_loans
from casework.ui.shell import AppContext
from tests.browser.conftest import app_url
from tests.browser.widgets import choose, labels, pick_person, type_text

WORKER, STREET = "demo-community-worker", "demo-street-officer"
DISTRICT, CITY = "demo-district-officer", "demo-city-officer"
# Who takes each step after the application in the walk-through.
TAKERS = {"community_recommended": WORKER, "agency_reviewed": STREET,
          "guarantee_committed": DISTRICT, "bank_approved": CITY}


def _as(database_url: str, user: str):
    uow = UnitOfWork(url=database_url)
    return org.load_actor(uow, user), uow


def _borrowers(database_url: str, count: int, *, on: tuple[dt.date, ...] = (),
               certified: bool = True) -> list[int]:
    """Laid-off or unemployed people of the worker's community who have no loan yet and hold a
    certificate valid today and on each day of ``on`` (or, with ``certified=False``, none)."""
    worker, uow = _as(database_url, WORKER)
    borrowing = {row.person_id for row in loans.loans(worker, uow)}

    def fits(person_id: int) -> bool:
        held = [certificates.status(worker, uow, person_id=person_id, on=day)
                for day in (None, *on)]
        if not certified:
            return held[0] is None
        return all(h is not None and h.state == "valid" for h in held)

    found = [p.id for p in persons.list_persons(worker, uow, limit=5000)
             if p.category in ("laid_off", "unemployed") and p.id not in borrowing
             and fits(p.id)][:count]
    assert len(found) == count, "the demo community must have enough laid-off people"
    return found


def _loan_of(database_url: str, person_id: int, user: str = WORKER) -> loans.LoanRow:
    actor, uow = _as(database_url, user)
    return next(row for row in loans.loans(actor, uow) if row.person_id == person_id)


def _loan_through(database_url: str, person_id: int, last_step: str,
                  on: dt.date | None = None) -> int:
    """Arrange, through the services, a loan that has come as far as ``last_step``."""
    worker, uow = _as(database_url, WORKER)
    loan_id = loans.apply(worker, uow, person_id=person_id, amount=12000, term_months=12,
                          purpose="self_employment", project_kind="repair", today=on)
    version = _loan_of(database_url, person_id).version
    for step in LOAN_STEPS[1:LOAN_STEPS.index(last_step) + 1]:
        actor, uow = _as(database_url, TAKERS[step])
        version = loans.take_step(actor, uow, loan_id=loan_id, expected_version=version,
                                  step=step, today=on)
    return loan_id


def _steps(database_url: str, person_id: int) -> list[tuple[str, bool, str]]:
    return [(step, approved, role) for step, approved, _remark, role
            in _loan_of(database_url, person_id).steps]


def _take_step(page, loan_id: int, step: str, remark: str = ""):
    """Choose the loan and the step, approve, and save; returns the step form."""
    form = page.locator(".cw-form-step")
    choose(form.locator(".cw-field-loan select"), lambda label: label.endswith(f"#{loan_id}"))
    form.locator(".cw-field-step select").select_option(index=LOAN_STEPS.index(step))
    if remark:
        type_text(form.locator(".cw-field-remark textarea"), remark)
    form.locator(".cw-action-take-step").click()
    return form


def _fill_application(page, person_id: int, amount: str, term: str, plan: str,
                      kind: str = "catering"):
    form = page.locator(".cw-form-apply")
    pick_person(form, person_id)
    type_text(form.locator(".cw-field-amount input"), amount)
    type_text(form.locator(".cw-field-term_months input"), term)
    form.locator(".cw-field-purpose select").select_option(index=0)  # self-employment
    form.locator(".cw-field-project_kind select").select_option(
        index=vocab.LOAN_PROJECT_KINDS.index(kind))
    type_text(form.locator(".cw-field-business_plan textarea"), plan)
    form.locator(".cw-action-apply").click()
    return form


def _step_name(step: str) -> str:
    return t(f"money.step.{step}", "zh")


def test_a_loan_is_taken_through_all_five_steps_by_the_right_roles(voila, demo_database, page):
    (person_id,) = _borrowers(demo_database, 1)
    page.goto(app_url(voila(WORKER), "loans.ipynb"))

    form = _fill_application(page, person_id, "15000", "18", "早点铺：租门面、购置炉灶")
    expect(form.locator(".cw-status .cw-status-ok")).to_be_visible()
    loan_id = _loan_of(demo_database, person_id).id
    expect(page.locator(f'.cw-loan-list tr[data-loan="{loan_id}"]')).to_contain_text(
        _step_name("applied"))

    for step, user in TAKERS.items():
        if user != WORKER:
            page.goto(app_url(voila(user), "loans.ipynb"))
        form = _take_step(page, loan_id, step, remark=f"{step} 材料齐全")
        expect(form.locator(".cw-status .cw-status-ok")).to_contain_text(_step_name(step))
        row = page.locator(f'.cw-loan-list tr[data-loan="{loan_id}"]')
        expect(row).to_have_class(re.compile(rf"\bcw-loan-{step}\b"))

    expect(row).to_contain_text(f"{step} 材料齐全")
    expect(row.locator("td").nth(6)).to_have_text(_step_name("bank_approved"))
    expect(row.locator("td").nth(6).locator(".cw-state-done")).to_have_count(1)
    loan = _loan_of(demo_database, person_id)
    assert loan.status == "bank_approved"
    assert _steps(demo_database, person_id) == [
        ("applied", True, "community_worker"), ("community_recommended", True, "community_worker"),
        ("agency_reviewed", True, "street_officer"),
        ("guarantee_committed", True, "district_officer"), ("bank_approved", True, "city_officer")]
    assert loan.outstanding == 15000


def test_the_project_kind_and_the_subsidys_basis_are_shown_with_the_loan(voila, demo_database,
                                                                         page):
    (person_id,) = _borrowers(demo_database, 1)
    page.goto(app_url(voila(WORKER), "loans.ipynb", lang="en"))

    form = _fill_application(page, person_id, "12000", "12", "Hairdresser's shop", "hairdressing")

    expect(form.locator(".cw-status .cw-status-ok")).to_be_visible()
    loan = _loan_of(demo_database, person_id)
    row = page.locator(f'.cw-loan-list tr[data-loan="{loan.id}"]')
    expect(row.locator("td").nth(3)).to_have_text(
        f"{t('vocab.loan_project_kind.hairdressing', 'en')} ({t('loans_ui.micro_profit', 'en')})")
    # 1,000 a month for 12 months: 78,000 yuan-months at 5.31% / 12 = 345.15, all subsidised.
    expect(row.locator("td").nth(4)).to_have_text(format.yuan(345, "en"))
    expect(row.locator("td").nth(5)).to_contain_text("100% of 345.15 yuan interest at 5.31%")
    assert loan.interest_subsidy == 345


def test_an_applicant_without_a_certificate_is_refused_with_the_reason(voila, demo_database,
                                                                        page):
    (person_id,) = _borrowers(demo_database, 1, certified=False)
    page.goto(app_url(voila(WORKER), "loans.ipynb"))

    form = _fill_application(page, person_id, "8000", "12", "修车铺", "repair")

    rule = load_policy()["loan"]["certificate_rule"]
    status = form.locator(".cw-status .cw-status-error")
    expect(status).to_contain_text(Message("money.loan.certificate.no", rule=rule).text("zh"))
    expect(status).to_contain_text(t("certificates.state.none.no", "zh"))
    expect(form.locator(".cw-field-business_plan textarea")).to_have_value("修车铺")
    worker, uow = _as(demo_database, WORKER)
    assert person_id not in {row.person_id for row in loans.loans(worker, uow)}


def test_skipping_the_guarantee_step_or_acting_in_the_wrong_role_is_refused_with_the_reason(
        voila, demo_database, page):
    skipper, early = _borrowers(demo_database, 2)
    skip_loan = _loan_through(demo_database, skipper, "agency_reviewed")
    early_loan = _loan_through(demo_database, early, "community_recommended")
    page.goto(app_url(voila(CITY), "loans.ipynb"))

    form = _take_step(page, skip_loan, "bank_approved")
    skipped = Message("money.loan.step_out_of_order", step=Message("money.step.bank_approved"),
                      expected=Message("money.step.guarantee_committed")).text("zh")
    expect(form.locator(".cw-status .cw-status-error")).to_contain_text(skipped)
    expect(form.locator(".cw-status")).to_contain_text(_step_name("guarantee_committed"))
    assert [s for s, _ok, _role in _steps(demo_database, skipper)] == list(LOAN_STEPS[:3])

    form = _take_step(page, early_loan, "agency_reviewed")
    wrong_role = Message("money.loan.step_wrong_role", step=Message("money.step.agency_reviewed"),
                         role=Message("role.city_officer")).text("zh")
    expect(form.locator(".cw-status .cw-status-error")).to_contain_text(wrong_role)
    assert [s for s, _ok, _role in _steps(demo_database, early)] == list(LOAN_STEPS[:2])


def test_refusing_a_step_needs_a_remark_and_then_ends_the_application(voila, demo_database, page):
    (person_id,) = _borrowers(demo_database, 1)
    loan_id = _loan_through(demo_database, person_id, "applied")
    page.goto(app_url(voila(WORKER), "loans.ipynb"))

    form = page.locator(".cw-form-step")
    choose(form.locator(".cw-field-loan select"), lambda label: label.endswith(f"#{loan_id}"))
    form.locator(".cw-field-step select").select_option(index=1)  # community_recommended
    form.locator(".cw-field-approved select").select_option(index=1)  # refuse
    form.locator(".cw-action-take-step").click()
    expect(form.locator(".cw-error-remark")).to_contain_text(t("steps.reason_needed", "zh"))

    type_text(form.locator(".cw-field-remark textarea"), "经营计划不可行")
    form.locator(".cw-action-take-step").click()
    expect(form.locator(".cw-status .cw-status-ok")).to_be_visible()
    row = page.locator(f'.cw-loan-list tr[data-loan="{loan_id}"]')
    expect(row).to_have_class(re.compile(r"\bcw-loan-refused\b"))
    expect(row.locator("td").nth(6).locator(".cw-state-refused")).to_have_count(1)
    expect(row).to_contain_text("经营计划不可行")
    assert _loan_of(demo_database, person_id).status == "refused"


def test_an_amount_above_the_limit_is_refused_with_the_reason_and_what_was_typed_stays(
        voila, demo_database, page):
    (person_id,) = _borrowers(demo_database, 1)
    limit = load_policy()["loan"]["max_amount_yuan"]
    page.goto(app_url(voila(WORKER), "loans.ipynb"))

    form = _fill_application(page, person_id, str(limit + 1), "24", "修车铺")

    reason = Message("money.loan.amount.no", amount=limit + 1, limit=limit).text("zh")
    expect(form.locator(".cw-status .cw-status-error")).to_contain_text(reason)
    expect(form.locator(".cw-field-amount input")).to_have_value(str(limit + 1))
    expect(form.locator(".cw-field-term_months input")).to_have_value("24")
    expect(form.locator(".cw-field-business_plan textarea")).to_have_value("修车铺")
    worker, uow = _as(demo_database, WORKER)
    assert person_id not in {row.person_id for row in loans.loans(worker, uow)}


def test_overdue_instalments_are_flagged_and_a_repayment_is_recorded(voila, demo_database, page):
    approved_on = dt.date.today() - dt.timedelta(days=100)  # three instalments fell due since
    (person_id,) = _borrowers(demo_database, 1, on=(approved_on,))
    loan_id = _loan_through(demo_database, person_id, "bank_approved", on=approved_on)
    page.goto(app_url(voila(WORKER), "loans.ipynb"))

    expect(page.locator(f'.cw-loan-list tr[data-loan="{loan_id}"]')).to_have_class(
        re.compile(r"\bcw-overdue\b"))
    choose(page.locator(".cw-field-repayment_loan select"),
            lambda label: label.endswith(f"#{loan_id}"))
    expect(page.locator(".cw-instalment-list .cw-instalment")).to_have_count(12)
    expect(page.locator(".cw-instalment-list .cw-overdue")).to_have_count(3)
    expect(page.locator(".cw-instalment-list .cw-overdue .cw-state-overdue")).to_have_count(3)
    form = page.locator(".cw-form-repayment")
    form.locator(".cw-field-instalment select").select_option(index=0)  # the earliest unpaid
    form.locator(".cw-action-record-repayment").click()

    expect(form.locator(".cw-status .cw-status-ok")).to_be_visible()
    expect(page.locator(".cw-instalment-list .cw-overdue")).to_have_count(2)
    loan = _loan_of(demo_database, person_id)
    assert (loan.overdue, loan.outstanding) == (2, 11000)


def test_the_english_page_shows_the_application_form(voila, page):
    page.goto(app_url(voila(WORKER), "loans.ipynb", lang="en"))

    form = page.locator(".cw-form-apply")
    expect(form.locator(".cw-action-apply")).to_have_text(t("loans_ui.apply", "en"))
    expect(form).to_contain_text(t("loans_ui.field.term_months", "en"))
    purposes = labels(form.locator(".cw-field-purpose select"))
    assert purposes[0] == t("vocab.loan_purpose.self_employment", "en")
    expect(page.locator(".cw-form-step .cw-action-take-step")).to_have_text(
        t("loans_ui.take_step", "en"))


def test_a_researcher_sees_the_list_without_names_and_no_forms(demo_database):
    (person_id,) = _borrowers(demo_database, 1)
    _loan_through(demo_database, person_id, "applied")
    name = _loan_of(demo_database, person_id).name
    researcher, uow = _as(demo_database, "demo-researcher")

    app = build_loans(AppContext("en", researcher, uow))

    assert app.forms == {}
    assert f"<td>#{person_id}</td>" in app.loan_list.value
    assert name not in app.loan_list.value
    assert t("loans_ui.read_only", "en") in app.children[-1].value
