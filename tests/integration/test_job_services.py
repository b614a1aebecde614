"""Jobs developed in the community, on both databases: postings and who sees them, the public
board, ranked candidates, referrals and their outcomes, and service-demand notices."""

import datetime as dt

import pytest
from sqlalchemy import select

from casework.db.models import AuditEntry, DemandNotice, JobPosting, Referral
from casework.errors import AccessDenied, StaleRecord, ValidationError
from casework.ids import make_resident_id
from casework.matching import FACTORS
from casework.services import hardship, jobs, org, persons
from casework.services.jobs import AlreadyReferred
from tests.integration.helpers import count, days, trail

REGISTERED = dt.date(2025, 12, 1)
OPENED = dt.date(2026, 2, 2)
PERFECT = {name: 1.0 for name in FACTORS}


# --- builders the placement, subsidy and loan tests share -----------------------------------


def register(actor, uow, seq: int, *, category: str = "laid_off", skills=(), wishes=None,
             community_id: int | None = None, birth: dt.date = dt.date(1980, 5, 10),
             sex: str = "M") -> int:
    """Register a person (unemployed since mid-2025) in the actor's or the given community."""
    return persons.register_person(actor, uow, today=REGISTERED, confirm_similar=True, values={
        "name": f"求职者{seq}", "id_number": make_resident_id("110101", birth, seq, sex),
        "category": category, "community_id": community_id or actor.unit_id,
        "household_members": 3, "skills": list(skills), "job_wishes": wishes,
        "out_of_work_since": dt.date(2025, 6, 1)})


def register_hardship(worker, officer, uow, person_id: int) -> int:
    """Take the person's household through both verifications into the hardship group, the
    person targeted for employment aid."""
    application = hardship.Application(
        person_id=person_id, household_size=3, household_income=300, remark="夫妻下岗，生活困难。",
        applicant=hardship.MemberInput(able_to_work=True, willing=True, accepts_any_job=True))
    household_id = hardship.apply(worker, uow, application=application, today=REGISTERED)
    version = hardship.verify_community(worker, uow, household_id=household_id,
                                        expected_version=1)
    hardship.confirm_street(officer, uow, household_id=household_id, expected_version=version,
                            today=REGISTERED)
    return household_id


def posting_values(unit_id: int, /, **overrides) -> dict:
    """A two-opening cleaning job on a three-year contract."""
    return {"title": "社区保洁员", "field": "public_welfare_services",
            "occupation": "domestic_service", "skills": ["cleaning", "housekeeping"],
            "investor_kind": "community", "investor_name": "社区居委会", "unit_id": unit_id,
            "monthly_wage": 600, "contract_months": 36, "openings": 2,
            "public_welfare": True, "contact": "0518-85123456",
            "description": "负责小区公共区域保洁"} | overrides


def post(actor, uow, unit_id: int, /, **overrides) -> int:
    return jobs.create_posting(actor, uow, values=posting_values(unit_id, **overrides),
                               today=OPENED)


def sibling_community(officer, worker, uow) -> org.UnitView:
    """Another community of the worker's street."""
    return next(u for u in org.units(officer, uow, level="community") if u.id != worker.unit_id)


def other_street(city, officer, uow) -> tuple[org.UnitView, org.UnitView]:
    """A street other than the demo street, and its first community."""
    street = next(u for u in org.units(city, uow, level="street") if u.id != officer.unit_id)
    community = next(u for u in org.units(city, uow, level="community")
                     if u.path.startswith(street.path))
    return street, community


def posting_row(actor, uow, posting_id: int) -> jobs.PostingRow:
    [row] = [p for p in jobs.postings(actor, uow) if p.id == posting_id]
    return row


def denied(uow, action: str) -> list[AuditEntry]:
    with uow:
        rows = list(uow.session.scalars(select(AuditEntry).where(
            AuditEntry.action == action, AuditEntry.outcome == "denied")
            .order_by(AuditEntry.id)))
        uow.session.expunge_all()
        return rows


@pytest.fixture
def city(actors):
    return actors["city_officer"]


@pytest.fixture
def posting_id(worker, demo_db) -> int:
    """An open cleaning job of the worker's community."""
    return post(worker, demo_db, worker.unit_id)


# --- creating postings ------------------------------------------------------------------------


def test_a_worker_posts_a_job_for_their_community_and_it_opens_at_once(worker, demo_db):
    posting_id = post(worker, demo_db, worker.unit_id)

    row = posting_row(worker, demo_db, posting_id)
    assert (row.title, row.status, row.opened_on, row.openings, row.placed, row.version) == (
        "社区保洁员", "open", OPENED, 2, 0, 1)
    assert (row.skills, row.unit_id, row.public_welfare) == (
        ("cleaning", "housekeeping"), worker.unit_id, True)
    [entry] = trail(demo_db, "job_posting", posting_id)
    assert (entry["action"], entry["outcome"], entry["username"]) == (
        "create_posting", "ok", worker.username)


# Each bad value, the one field it is reported on, and the message it gets there.
INVALID_POSTINGS = [
    ({"title": None}, "title", "form.required"),
    ({"title": "岗" * 101}, "title", "form.too_long"),
    ({"investor_name": "  "}, "investor_name", "form.required"),
    ({"contact": "1" * 201}, "contact", "form.too_long"),
    ({"description": "长" * 2001}, "description", "form.too_long"),
    ({"field": None}, "field", "form.required"),
    ({"field": "astrology"}, "field", "form.bad_choice"),
    ({"occupation": "astronaut"}, "occupation", "form.bad_choice"),
    ({"investor_kind": "lottery"}, "investor_kind", "form.bad_choice"),
    ({"skills": ["cleaning", "juggling"]}, "skills", "form.bad_choice"),
    ({"monthly_wage": 0}, "monthly_wage", "training.at_least"),
    ({"contract_months": "36"}, "contract_months", "training.at_least"),
    ({"openings": 0}, "openings", "training.at_least"),
    ({"unit_id": None}, "unit_id", "jobs.choose_unit"),
]


def test_each_invalid_field_of_a_posting_is_refused_with_its_own_message(worker, demo_db):
    before = count(demo_db, JobPosting)

    for overrides, field, key in INVALID_POSTINGS:
        with pytest.raises(ValidationError) as caught:
            jobs.create_posting(worker, demo_db, today=OPENED,
                                values=posting_values(worker.unit_id) | overrides)

        assert {f: m.key for f, m in caught.value.fields.items()} == {field: key}, overrides
    assert count(demo_db, JobPosting) == before


def test_every_problem_of_a_posting_is_reported_at_once_in_the_readers_language(worker,
                                                                                demo_db):
    values = posting_values(worker.unit_id, title="", field="astrology", openings=0)

    with pytest.raises(ValidationError) as caught:
        jobs.create_posting(worker, demo_db, values=values, today=OPENED)

    assert caught.value.field_texts("en") == {
        "title": "Required.", "field": "Choose a value from the list.",
        "openings": "Must be a whole number of at least 1."}
    assert set(caught.value.field_texts("zh")) == {"title", "field", "openings"}


def test_a_posting_must_belong_to_a_street_or_community_not_a_district(city, actors, demo_db):
    district = actors["district_officer"].unit_id

    with pytest.raises(ValidationError) as caught:
        post(city, demo_db, district)

    assert set(caught.value.fields) == {"unit_id"}
    assert caught.value.field_texts("en")["unit_id"] == (
        "Choose the street or community of the investing body.")


def test_a_worker_cannot_post_for_another_streets_community_and_the_refusal_is_audited(
        worker, officer, city, demo_db):
    _, elsewhere = other_street(city, officer, demo_db)
    before = count(demo_db, JobPosting)

    with pytest.raises(AccessDenied):
        post(worker, demo_db, elsewhere.id)

    assert count(demo_db, JobPosting) == before
    assert [(e.entity, e.username, e.staff_id) for e in denied(demo_db, "create_posting")] == [
        ("job_posting", worker.username, worker.staff_id)]


def test_a_trainer_or_researcher_may_not_post_a_job(actors, worker, demo_db):
    for role in ("trainer", "researcher"):
        with pytest.raises(AccessDenied):
            post(actors[role], demo_db, worker.unit_id)

    assert [e.username for e in denied(demo_db, "create_posting")] == [
        actors["trainer"].username, actors["researcher"].username]


# --- status and visibility ----------------------------------------------------------------------


def test_closing_a_posting_dates_it_and_bumps_its_version(worker, demo_db, posting_id):
    version = jobs.set_status(worker, demo_db, posting_id=posting_id, expected_version=1,
                              status="closed", today=OPENED + days(30))

    assert version == 2
    with demo_db:
        posting = demo_db.session.get(JobPosting, posting_id)
        assert (posting.status, posting.closed_on) == ("closed", OPENED + days(30))
    entry = trail(demo_db, "job_posting", posting_id)[-1]
    assert (entry["action"], entry["before"]["status"], entry["after"]["status"]) == (
        "posting_closed", "open", "closed")


def test_reopening_a_posting_clears_its_closing_date(worker, demo_db, posting_id):
    version = jobs.set_status(worker, demo_db, posting_id=posting_id, expected_version=1,
                              status="closed", today=OPENED + days(30))

    jobs.set_status(worker, demo_db, posting_id=posting_id, expected_version=version,
                    status="open")

    with demo_db:
        posting = demo_db.session.get(JobPosting, posting_id)
        assert (posting.status, posting.closed_on, posting.version) == ("open", None, 3)


def test_changing_the_status_with_a_stale_version_raises_and_changes_nothing(
        worker, officer, demo_db, posting_id):
    jobs.set_status(officer, demo_db, posting_id=posting_id, expected_version=1,
                    status="filled", today=OPENED + days(3))

    with pytest.raises(StaleRecord):
        jobs.set_status(worker, demo_db, posting_id=posting_id, expected_version=1,
                        status="closed", today=OPENED + days(4))

    row = posting_row(worker, demo_db, posting_id)
    assert (row.status, row.version) == ("filled", 2)


def test_a_status_outside_the_list_is_refused(worker, demo_db, posting_id):
    with pytest.raises(ValidationError) as caught:
        jobs.set_status(worker, demo_db, posting_id=posting_id, expected_version=1,
                        status="paused")

    assert set(caught.value.fields) == {"status"}


def test_postings_are_visible_up_and_down_the_line_but_not_sideways(worker, officer, city,
                                                                     demo_db):
    own = post(worker, demo_db, worker.unit_id)
    street = post(officer, demo_db, officer.unit_id, investor_kind="street")
    sibling = post(officer, demo_db, sibling_community(officer, worker, demo_db).id)
    far_street, far_community = other_street(city, officer, demo_db)
    elsewhere = post(city, demo_db, far_community.id)
    mine = {own, street, sibling, elsewhere}

    def seen(actor):
        return {p.id for p in jobs.postings(actor, demo_db)} & mine

    assert seen(worker) == {own, street}
    assert seen(officer) == {own, street, sibling}
    assert seen(city) == mine
    assert far_street.id != officer.unit_id


def test_postings_can_be_listed_by_status(worker, demo_db):
    kept = post(worker, demo_db, worker.unit_id)
    closed = post(worker, demo_db, worker.unit_id, title="楼道保洁")
    jobs.set_status(worker, demo_db, posting_id=closed, expected_version=1, status="closed")

    def listed(status):
        found = jobs.postings(worker, demo_db, status=status)
        assert {p.status for p in found} == {status}
        return [p.id for p in found if p.id in (kept, closed)]

    assert listed("open") == [kept]
    assert listed("closed") == [closed]


def test_the_public_board_shows_only_open_postings_and_filters_by_field_and_street(
        worker, officer, city, demo_db):
    cleaning = post(worker, demo_db, worker.unit_id)
    watch = post(officer, demo_db, officer.unit_id, field="public_security",
                 title="治安巡逻员", occupation="security", skills=["security"])
    closed = post(worker, demo_db, worker.unit_id, title="楼道保洁")
    jobs.set_status(worker, demo_db, posting_id=closed, expected_version=1, status="closed")
    far_street, far_community = other_street(city, officer, demo_db)
    far = post(city, demo_db, far_community.id)

    mine = (cleaning, watch, closed, far)

    def board(**filters):
        found = jobs.public_postings(demo_db, **filters)
        assert {p.status for p in found} <= {"open"}
        return [p.id for p in found if p.id in mine]

    assert sorted(board()) == [cleaning, watch, far]
    assert sorted(board(field="public_welfare_services")) == [cleaning, far]
    assert {p.field for p in jobs.public_postings(demo_db, field="public_security")} == {
        "public_security"}
    assert board(street_id=officer.unit_id) == [cleaning, watch]
    assert board(street_id=far_street.id) == [far]
    assert board(field="public_security", street_id=far_street.id) == []


# --- candidates and referrals -----------------------------------------------------------------


@pytest.fixture
def seekers(worker, officer, demo_db) -> dict[str, int]:
    """People of the worker's community in each situation that matters to matching, and one
    person of a sibling community of the same street."""
    people = {
        "best": register(worker, demo_db, 1, skills=["cleaning", "housekeeping"],
                         wishes="想做家政服务"),
        "plain": register(worker, demo_db, 2),
        "trainee": register(worker, demo_db, 3, skills=["cleaning"]),
        "employed": register(worker, demo_db, 4, skills=["cleaning", "housekeeping"]),
        "back": register(worker, demo_db, 5),
        "retiree": register(worker, demo_db, 6, category="retiree",
                            birth=dt.date(1960, 5, 10)),
        "neighbour": register(officer, demo_db, 7, skills=["cleaning", "housekeeping"],
                              community_id=sibling_community(officer, worker, demo_db).id),
    }
    register_hardship(worker, officer, demo_db, people["best"])
    for who, changes in (("trainee", ["in_training"]), ("employed", ["employed"]),
                         ("back", ["employed", "unemployed"])):
        for n, status in enumerate(changes):
            persons.record_status(worker, demo_db, person_id=people[who], status=status,
                                  since=dt.date(2026, 1, 5) + days(n * 10), today=OPENED)
    return people


def test_candidates_are_ranked_best_first_with_every_factor(worker, demo_db, posting_id,
                                                            seekers):
    found = jobs.candidates(worker, demo_db, posting_id=posting_id)

    assert found[0].person_id == seekers["best"]
    assert (found[0].score, found[0].factors) == (100.0, PERFECT)
    assert found[0].name == "求职者1"
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert all(tuple(m.factors) == FACTORS for m in found)
    assert {m.posting_id for m in found} == {posting_id}
    [plain] = [m for m in found if m.person_id == seekers["plain"]]
    assert plain.factors == {"skills": 0.0, "wishes": 0.5, "distance": 1.0, "hardship": 0.0}
    assert plain.score == 35.0


def test_only_jobseekers_in_scope_still_looking_for_work_are_candidates(
        worker, demo_db, posting_id, seekers):
    found = {m.person_id for m in jobs.candidates(worker, demo_db, posting_id=posting_id)}

    assert {seekers[w] for w in ("best", "plain", "trainee", "back")} <= found
    assert not {seekers[w] for w in ("employed", "retiree", "neighbour")} & found


def test_the_street_officer_sees_candidates_of_every_community_of_the_street(
        officer, demo_db, posting_id, seekers):
    found = {m.person_id: m for m in jobs.candidates(officer, demo_db, posting_id=posting_id)}

    assert found[seekers["neighbour"]].factors["distance"] == 0.6
    assert seekers["employed"] not in found


def test_a_researcher_sees_candidates_without_names(actors, demo_db, posting_id, seekers):
    found = jobs.candidates(actors["researcher"], demo_db, posting_id=posting_id)

    assert found and {m.name for m in found} == {None}


def test_a_posting_of_another_street_cannot_be_matched(worker, officer, city, demo_db):
    _, far_community = other_street(city, officer, demo_db)
    far = post(city, demo_db, far_community.id)

    with pytest.raises(AccessDenied):
        jobs.candidates(worker, demo_db, posting_id=far)

    assert [e.entity_id for e in denied(demo_db, "match")] == [str(far)]


def test_open_postings_for_a_person_are_ranked_best_first(worker, officer, demo_db, seekers):
    cleaning = post(worker, demo_db, worker.unit_id)
    watch = post(officer, demo_db, officer.unit_id, field="public_security",
                 title="治安巡逻员", occupation="security", skills=["security"])

    found = jobs.postings_for_person(worker, demo_db, person_id=seekers["best"])

    assert [m.posting_id for m in found if m.posting_id in (cleaning, watch)] == [
        cleaning, watch]
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert {m.person_id for m in found} == {seekers["best"]}
    [mine] = [m for m in found if m.posting_id == cleaning]
    assert (mine.score, mine.factors) == (100.0, PERFECT)


def test_a_referral_keeps_the_score_and_factors_shown_at_the_time(worker, demo_db,
                                                                  posting_id, seekers):
    [shown] = [m for m in jobs.candidates(worker, demo_db, posting_id=posting_id)
               if m.person_id == seekers["trainee"]]

    referral_id = jobs.refer(worker, demo_db, posting_id=posting_id,
                             person_id=seekers["trainee"], today=OPENED + days(1))

    [row] = jobs.referrals(worker, demo_db, posting_id=posting_id)
    assert (row.id, row.person_id, row.referred_on, row.outcome, row.version) == (
        referral_id, seekers["trainee"], OPENED + days(1), "pending", 1)
    assert (row.score, row.factors) == (shown.score, shown.factors)
    assert row.factors["skills"] == 0.5
    [entry] = trail(demo_db, "referral", referral_id)
    assert (entry["action"], entry["username"], entry["after"]["score"]) == (
        "refer", worker.username, shown.score)


def test_a_second_referral_of_the_same_person_to_the_same_posting_is_refused(
        worker, demo_db, posting_id, seekers):
    jobs.refer(worker, demo_db, posting_id=posting_id, person_id=seekers["plain"],
               today=OPENED)

    with pytest.raises(AlreadyReferred) as caught:
        jobs.refer(worker, demo_db, posting_id=posting_id, person_id=seekers["plain"],
                   today=OPENED + days(1))

    assert caught.value.text("en") == "This person has already been referred to this posting."
    assert len(jobs.referrals(worker, demo_db, person_id=seekers["plain"])) == 1


@pytest.mark.parametrize("status", ["closed", "filled"])
def test_a_referral_to_a_posting_that_is_no_longer_open_is_refused(
        worker, demo_db, posting_id, seekers, status):
    jobs.set_status(worker, demo_db, posting_id=posting_id, expected_version=1, status=status)

    with pytest.raises(ValidationError) as caught:
        jobs.refer(worker, demo_db, posting_id=posting_id, person_id=seekers["plain"],
                   today=OPENED)

    assert caught.value.fields["posting_id"].key == "jobs.posting_not_open"
    assert jobs.referrals(worker, demo_db, posting_id=posting_id) == []


def test_a_worker_cannot_refer_someone_of_another_community(worker, demo_db, posting_id,
                                                            seekers):
    before = count(demo_db, Referral)

    with pytest.raises(AccessDenied):
        jobs.refer(worker, demo_db, posting_id=posting_id, person_id=seekers["neighbour"],
                   today=OPENED)

    assert count(demo_db, Referral) == before
    assert [e.action for e in denied(demo_db, "refer")] == ["refer"]


def test_the_outcome_of_a_referral_is_recorded_and_audited(worker, demo_db, posting_id,
                                                           seekers):
    referral_id = jobs.refer(worker, demo_db, posting_id=posting_id,
                             person_id=seekers["plain"], today=OPENED)

    version = jobs.record_outcome(worker, demo_db, referral_id=referral_id, expected_version=1,
                                  outcome="declined", on=OPENED + days(7))

    [row] = jobs.referrals(worker, demo_db, person_id=seekers["plain"])
    assert (row.outcome, row.version, version) == ("declined", 2, 2)
    entry = trail(demo_db, "referral", referral_id)[-1]
    assert (entry["action"], entry["before"]["outcome"], entry["after"]["outcome"],
            entry["after"]["outcome_on"]) == (
        "referral_outcome", "pending", "declined", (OPENED + days(7)).isoformat())


def test_an_outcome_outside_the_list_or_on_a_stale_version_is_refused(worker, demo_db,
                                                                      posting_id, seekers):
    referral_id = jobs.refer(worker, demo_db, posting_id=posting_id,
                             person_id=seekers["plain"], today=OPENED)
    jobs.record_outcome(worker, demo_db, referral_id=referral_id, expected_version=1,
                        outcome="no_show", on=OPENED + days(7))

    with pytest.raises(ValidationError):
        jobs.record_outcome(worker, demo_db, referral_id=referral_id, expected_version=2,
                            outcome="vanished")
    with pytest.raises(StaleRecord):
        jobs.record_outcome(worker, demo_db, referral_id=referral_id, expected_version=1,
                            outcome="hired")

    [row] = jobs.referrals(worker, demo_db, person_id=seekers["plain"])
    assert row.outcome == "no_show"


# --- service-demand notices -----------------------------------------------------------------------


def notice_values(unit_id: int, **overrides) -> dict:
    return {"unit_id": unit_id, "field": "convenience_services", "title": "招聘钟点工",
            "body": "为社区老人提供上门家政", "closes_on": OPENED + days(14)} | overrides


def test_a_published_notice_is_on_the_board_until_the_day_it_closes(worker, demo_db):
    notice_id = jobs.publish_notice(worker, demo_db, values=notice_values(worker.unit_id),
                                    today=OPENED)

    def board(today):
        return [n.id for n in jobs.public_notices(demo_db, today=today)]

    assert notice_id in board(OPENED)
    assert notice_id in board(OPENED + days(14))
    assert notice_id not in board(OPENED + days(15))
    [notice] = [n for n in jobs.public_notices(demo_db, today=OPENED) if n.id == notice_id]
    assert (notice.title, notice.field, notice.published_on) == (
        "招聘钟点工", "convenience_services", OPENED)
    assert [e["action"] for e in trail(demo_db, "demand_notice", notice_id)] == [
        "publish_notice"]


def test_notices_without_a_closing_date_stay_and_filter_by_field_and_street(
        worker, officer, city, demo_db):
    lasting = jobs.publish_notice(worker, demo_db, today=OPENED, values=notice_values(
        worker.unit_id, closes_on=None))
    culture = jobs.publish_notice(officer, demo_db, today=OPENED, values=notice_values(
        officer.unit_id, field="culture", title="文艺辅导员"))
    far_street, far_community = other_street(city, officer, demo_db)
    far = jobs.publish_notice(city, demo_db, today=OPENED, values=notice_values(
        far_community.id))
    mine = {lasting, culture, far}

    def board(today=OPENED, **filters):
        return {n.id for n in jobs.public_notices(demo_db, today=today, **filters)} & mine

    assert board() == mine
    assert board(OPENED + days(365)) == {lasting}
    assert board(field="culture") == {culture}
    assert {n.field for n in jobs.public_notices(demo_db, today=OPENED, field="culture")} == {
        "culture"}
    assert board(street_id=officer.unit_id) == {lasting, culture}
    assert board(street_id=far_street.id) == {far}


def test_a_notice_closing_before_today_or_without_title_or_field_is_refused(worker, demo_db):
    before = count(demo_db, DemandNotice)

    with pytest.raises(ValidationError) as caught:
        jobs.publish_notice(worker, demo_db, today=OPENED, values=notice_values(
            worker.unit_id, title=" ", field=None, closes_on=OPENED - days(1)))

    assert caught.value.field_texts("en") == {
        "title": "Required.", "field": "Required.",
        "closes_on": "The closing date cannot be before today."}
    assert count(demo_db, DemandNotice) == before


def test_a_worker_cannot_publish_for_another_street(worker, officer, city, demo_db):
    _, far_community = other_street(city, officer, demo_db)

    with pytest.raises(AccessDenied):
        jobs.publish_notice(worker, demo_db, today=OPENED,
                            values=notice_values(far_community.id))

    assert [e.username for e in denied(demo_db, "publish_notice")] == [worker.username]


def test_nobody_can_be_referred_to_a_posting_of_another_street(worker, officer, city, demo_db,
                                                                seekers):
    _, far_community = other_street(city, officer, demo_db)
    far = post(city, demo_db, far_community.id)
    person_id = next(iter(seekers.values()))

    with pytest.raises(AccessDenied):
        jobs.refer(worker, demo_db, posting_id=far, person_id=person_id)

    assert [e.entity_id for e in denied(demo_db, "refer")] == [str(far)]
    assert jobs.referrals(worker, demo_db, person_id=person_id) == []
