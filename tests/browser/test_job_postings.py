"""A community worker posts a job, refers the best-ranked jobseeker and records what came of it."""

import datetime as dt
import re
import uuid

from playwright.sync_api import expect

from casework import matching, vocab
from casework.i18n import t
from casework.policy import JOBSEEKERS
from casework.services import jobs, org, persons
from casework.services.uow import UnitOfWork
from tests.browser.conftest import app_url
from tests.browser.widgets import choose, pick_person, type_text

WORKER = "demo-community-worker"
COLUMNS = (*matching.FACTORS, "score")


def _post_job(page, title: str, *, field: str = "convenience_services") -> None:
    form = page.locator(".cw-form-posting")
    type_text(form.locator(".cw-field-title input"), title)
    form.locator(".cw-field-field select").select_option(
        index=vocab.COMMUNITY_FIELDS.index(field))
    form.locator(".cw-field-investor_kind select").select_option(index=0)
    type_text(form.locator(".cw-field-investor_name input"), "Lunan street office")
    form.locator(".cw-field-unit_id select").select_option(index=0)
    form.locator(".cw-field-occupation select").select_option(index=0)
    type_text(form.locator(".cw-field-monthly_wage input"), "650")
    type_text(form.locator(".cw-field-contract_months input"), "12")
    type_text(form.locator(".cw-field-openings input"), "2")
    form.locator(".cw-field-public_welfare input").check()
    type_text(form.locator(".cw-field-contact input"), "Lunan street employment window")
    form.locator(".cw-action-create-posting").click()
    expect(form.locator(".cw-status .cw-status-ok")).to_be_visible()


def _posting(database_url: str, title: str) -> jobs.PostingRow:
    uow = UnitOfWork(url=database_url)
    return next(p for p in jobs.postings(org.load_actor(uow, WORKER), uow) if p.title == title)


def _newest_jobseeker(database_url: str) -> int:
    uow = UnitOfWork(url=database_url)
    return max(p.id for p in persons.list_persons(org.load_actor(uow, WORKER), uow, limit=5000)
               if p.category in JOBSEEKERS)


def _post_through_the_service(database_url: str, title: str) -> int:
    uow = UnitOfWork(url=database_url)
    worker = org.load_actor(uow, WORKER)
    return jobs.create_posting(worker, uow, values={
        "title": title, "field": "culture", "investor_kind": "community",
        "investor_name": "Community service station", "unit_id": worker.unit_id,
        "occupation": next(iter(vocab.occupations())), "monthly_wage": 500,
        "contract_months": 6, "openings": 1})


def test_a_worker_posts_a_job_refers_the_top_candidate_and_records_the_outcome(
        voila, demo_database, page):
    title = f"Neighbourhood cleaner {uuid.uuid4().hex[:6]}"
    page.goto(app_url(voila(WORKER), "job_postings.ipynb", lang="en"))

    _post_job(page, title)
    posting = _posting(demo_database, title)
    expect(page.locator(f'.cw-posting-list .cw-posting[data-posting="{posting.id}"]')
           ).to_contain_text(title)
    choose(page.locator(".cw-field-posting select"), lambda label: label.endswith(
        f" · #{posting.id}"))

    candidates = page.locator(".cw-candidate-list .cw-candidate")
    expect(candidates.first).to_be_visible()
    for column in COLUMNS:
        expect(page.locator(f".cw-candidate-list th.cw-col-{column}")).to_have_count(1)
    count = candidates.count()
    for factor in matching.FACTORS:
        expect(page.locator(f".cw-candidate-list .cw-candidate .cw-factor-{factor}")
               ).to_have_count(count)
    scores = [float(s) for s in page.locator(".cw-candidate-list .cw-score").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)
    expect(page.locator(".cw-matching-legend")).to_contain_text(
        t("jobs_ui.factor_help.distance", "en"))

    top = int(candidates.first.get_attribute("data-person"))
    refer = page.locator(".cw-form-refer")
    refer.locator(".cw-field-candidate select").select_option(index=0)
    refer.locator(".cw-action-refer").click()
    expect(refer.locator(".cw-status .cw-status-ok")).to_be_visible()
    referral = page.locator(f'.cw-referral-list .cw-referral[data-person="{top}"]')
    expect(referral).to_have_class(re.compile(r"\bcw-referral-pending\b"))
    expect(page.locator(f'.cw-candidate-list .cw-candidate[data-person="{top}"]')
           ).to_have_class(re.compile(r"\bcw-candidate-referred\b"))

    uow = UnitOfWork(url=demo_database)
    worker = org.load_actor(uow, WORKER)
    [kept] = jobs.referrals(worker, uow, posting_id=posting.id)
    assert (kept.person_id, kept.outcome) == (top, "pending")
    assert set(kept.factors) == set(matching.FACTORS)
    assert kept.score == scores[0]

    outcome = page.locator(".cw-form-outcome")
    outcome.locator(".cw-field-referral select").select_option(index=0)
    outcome.locator(".cw-field-outcome select").select_option(index=0)  # hired
    outcome.locator(".cw-action-record-outcome").click()
    expect(outcome.locator(".cw-status .cw-status-ok")).to_be_visible()
    expect(referral).to_have_class(re.compile(r"\bcw-referral-hired\b"))
    assert [r.outcome for r in jobs.referrals(worker, uow, posting_id=posting.id)] == ["hired"]


def test_a_posting_is_filled_then_closed_then_reopened(voila, demo_database, page):
    title = f"Reading room attendant {uuid.uuid4().hex[:6]}"
    posting_id = _post_through_the_service(demo_database, title)
    page.goto(app_url(voila(WORKER), "job_postings.ipynb", lang="en"))
    row = page.locator(f'.cw-posting-list .cw-posting[data-posting="{posting_id}"]')
    expect(row).to_have_class(re.compile(r"\bcw-posting-open\b"))
    choose(page.locator(".cw-field-posting select"), lambda label: label.endswith(
        f" · #{posting_id}"))

    for action, status in (("fill", "filled"), ("close", "closed"), ("reopen", "open")):
        page.locator(f".cw-action-{action}-posting").click()
        expect(row).to_have_class(re.compile(rf"\bcw-posting-{status}\b"))
        expect(page.locator(".cw-posting-manage .cw-status .cw-status-ok")).to_be_visible()
    assert _posting(demo_database, title).status == "open"


def test_a_jobseeker_sees_open_postings_ranked_with_every_factor(voila, demo_database, page):
    posting_id = _post_through_the_service(demo_database, f"Choir helper {uuid.uuid4().hex[:6]}")
    page.goto(app_url(voila(WORKER), "job_postings.ipynb", lang="en"))
    pick_person(page, _newest_jobseeker(demo_database))

    match = page.locator(f'.cw-person-matches .cw-person-match[data-posting="{posting_id}"]')
    expect(match).to_be_visible()
    for column in COLUMNS:
        expect(page.locator(f".cw-person-matches th.cw-col-{column}")).to_have_count(1)
        expect(match.locator(f".cw-{'score' if column == 'score' else 'factor-' + column}")
               ).to_have_count(1)


def test_a_service_demand_notice_is_published(voila, demo_database, page):
    title = f"Evening care for the elderly {uuid.uuid4().hex[:6]}"
    page.goto(app_url(voila(WORKER), "job_postings.ipynb", lang="en"))
    notice = page.locator(".cw-form-notice")
    notice.locator(".cw-field-unit_id select").select_option(index=0)
    notice.locator(".cw-field-field select").select_option(
        index=vocab.COMMUNITY_FIELDS.index("retiree_services"))
    type_text(notice.locator(".cw-field-title input"), title)
    notice.locator(".cw-field-closes_on input").fill(
        (dt.date.today() + dt.timedelta(days=30)).isoformat())
    notice.locator(".cw-action-publish-notice").click()

    expect(notice.locator(".cw-status .cw-status-ok")).to_be_visible()
    published = jobs.public_notices(UnitOfWork(url=demo_database), field="retiree_services")
    assert title in [n.title for n in published]


def test_a_posting_without_a_title_and_with_no_openings_is_refused_beside_those_fields(
        voila, page):
    page.goto(app_url(voila(WORKER), "job_postings.ipynb"))
    form = page.locator(".cw-form-posting")
    expect(form.locator(".cw-action-create-posting")).to_have_text(
        t("jobs_ui.create_posting", "zh"))
    type_text(form.locator(".cw-field-investor_name input"), "路南街道办事处")
    type_text(form.locator(".cw-field-monthly_wage input"), "800")
    type_text(form.locator(".cw-field-openings input"), "0")
    form.locator(".cw-action-create-posting").click()

    expect(form.locator(".cw-error-title")).to_contain_text(t("form.required", "zh"))
    expect(form.locator(".cw-error-openings")).to_contain_text(
        t("training.at_least", "zh", low=1))
    expect(form.locator(".cw-status .cw-status-error")).to_be_visible()
    expect(form.locator(".cw-error-investor_name")).to_have_text("")
    expect(form.locator(".cw-field-investor_name input")).to_have_value("路南街道办事处")
    expect(form.locator(".cw-field-monthly_wage input")).to_have_value("800")
    expect(form.locator(".cw-field-openings input")).to_have_value("0")


def test_the_english_page_names_every_form_and_the_matching_factors_in_english(voila, page):
    page.goto(app_url(voila(WORKER), "job_postings.ipynb", lang="en"))
    for action, key in (("create-posting", "create_posting"), ("refer", "refer"),
                        ("record-outcome", "record_outcome"),
                        ("publish-notice", "publish_notice")):
        expect(page.locator(f".cw-action-{action}")).to_have_text(t(f"jobs_ui.{key}", "en"))
    for factor in matching.FACTORS:
        expect(page.locator(".cw-matching-legend")).to_contain_text(
            t(f"jobs_ui.factor_help.{factor}", "en"))
    expect(page.locator(".cw-action-language")).to_have_attribute("href", "?lang=zh")


def test_a_trainer_reads_the_postings_of_their_street_but_posts_nothing(voila, demo_database,
                                                                         page):
    posting_id = _post_through_the_service(demo_database, f"Trainer can read {uuid.uuid4().hex}")
    page.goto(app_url(voila("demo-trainer"), "job_postings.ipynb", lang="en"))

    expect(page.locator(f'.cw-posting-list .cw-posting[data-posting="{posting_id}"]')
           ).to_be_visible()
    expect(page.locator(".cw-job-postings")).to_contain_text(t("jobs_ui.read_only", "en"))
    expect(page.locator(".cw-form-posting")).to_have_count(0)
    expect(page.locator(".cw-form-refer")).to_have_count(0)


def test_a_researcher_is_told_which_roles_read_the_postings(voila, page):
    page.goto(app_url(voila("demo-researcher"), "job_postings.ipynb", lang="en"))

    status = page.locator(".cw-status")
    expect(status).to_contain_text("trainer")
    expect(status).to_contain_text("researcher")
    expect(page.locator(".cw-posting-list")).to_have_count(0)


def test_a_worker_sorts_and_filters_the_postings_and_finds_one_by_its_state(
        voila, demo_database, page):
    token = uuid.uuid4().hex[:6]
    low = _post_through_the_service(demo_database, f"Library helper {token}")
    high = _post_through_the_service(demo_database, f"Park keeper {token}")
    uow = UnitOfWork(url=demo_database)
    worker = org.load_actor(uow, WORKER)
    row = _posting(demo_database, f"Park keeper {token}")
    jobs.set_status(worker, uow, posting_id=high, expected_version=row.version,
                    status="filled", today=dt.date.today())
    page.goto(app_url(voila(WORKER), "job_postings.ipynb", lang="en"))
    rows = page.locator(".cw-posting-list tr.cw-posting")
    expect(rows.first).to_be_visible()

    type_text(page.locator(".cw-field-postings-filter input"), token)
    expect(rows).to_have_count(2)
    choose(page.locator(".cw-field-postings-sort select"),
           lambda label: label == t("jobs_ui.col.title", "en"))
    choose(page.locator(".cw-field-postings-order select"),
           lambda label: label == t("look.sort_desc", "en"))
    expect(rows.first).to_have_attribute("data-posting", str(high))
    expect(page.locator(".cw-posting-list th.cw-col-title")).to_have_class(
        re.compile(r"\bcw-sorted-desc\b"))
    expect(rows.nth(1).locator("td.cw-posting-status .cw-state-due")).to_have_text(
        t("vocab.posting_status.open", "en"))

    choose(page.locator(".cw-field-postings-state select"),
           lambda label: label == t("vocab.posting_status.filled", "en"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-posting", str(high))
    expect(rows.first).to_have_class(re.compile(r"\bcw-state-done\b"))
    expect(rows.first.locator("td.cw-posting-status .cw-state-done")).to_have_text(
        t("vocab.posting_status.filled", "en"))
    assert low != high
