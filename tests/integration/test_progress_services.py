"""Progress against the yearly target and advanced-unit candidates, on both databases: the
people counted (laid-off and unemployed people placed, self-employed with or without a loan, or
in flexible employment, each once a year) roll up from the community to the city by the date of
their first event, the city's 8,000 is split down the tree, set targets override the split, and
candidates are ranked within the quotas."""

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import select

from casework.db.models import AuditEntry, Loan, PlacementTarget
from casework.errors import AccessDenied, ValidationError
from casework.ids import make_resident_id
from casework.policy import JOBSEEKERS, load_policy
from casework.services import org, persons, placements, progress, recognition
from tests.integration.helpers import count

YEAR = 2020  # the demo's own placements start in 2024, so this year holds only ours
TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def city(actors):
    return actors["city_officer"]


@pytest.fixture
def units(city, demo_db) -> dict[int, org.UnitView]:
    return {u.id: u for u in org.units(city, demo_db)}


class Placer:
    """Registers a jobseeker in a community and records their placement, as the given actor;
    ``person`` and ``status`` register someone and record their status changes."""

    def __init__(self, uow) -> None:
        self.uow, self.seq = uow, 0

    def __call__(self, actor, community_id: int, start: dt.date, *, stable: bool = False,
                 unit_id: int | None = None, person_id: int | None = None) -> int:
        person_id = person_id or self.person(actor, community_id)
        return placements.record_placement(actor, self.uow, today=TODAY, values={
            "person_id": person_id, "employer": "港口物流公司", "start_date": start,
            "unit_id": unit_id or community_id, "contract_months": 36 if stable else 12,
            "monthly_wage": 900, "social_insurance": stable})

    def person(self, actor, community_id: int, category: str = "laid_off") -> int:
        self.seq += 1
        return persons.register_person(actor, self.uow, today=dt.date(2019, 6, 1),
                                       confirm_similar=True, values={
            "name": f"安置{self.seq}", "category": category, "community_id": community_id,
            "id_number": make_resident_id("110101", dt.date(1975, 3, 9), self.seq, "M"),
            "household_members": 2, "out_of_work_since": dt.date(2019, 1, 1)})

    def status(self, actor, person_id: int, status: str, since: dt.date) -> None:
        persons.record_status(actor, self.uow, person_id=person_id, status=status, since=since,
                              today=TODAY)


@pytest.fixture
def place(demo_db) -> Placer:
    return Placer(demo_db)


def street_of(units, community_id: int) -> org.UnitView:
    path = units[community_id].path
    return next(u for u in units.values() if u.level == "street" and path.startswith(u.path))


def communities_under(units, unit_id: int) -> list[org.UnitView]:
    return [u for u in units.values()
            if u.level == "community" and u.path.startswith(units[unit_id].path)]


def by_id(report: progress.ProgressReport) -> dict[int, progress.UnitProgress]:
    return {u.unit_id: u for u in report.units}


def jobseeker_weights(city, uow, units) -> Counter:
    """Registered jobseekers under each unit (a community counts for every unit above it)."""
    per_community = Counter(p.community_id for p in persons.list_persons(city, uow, limit=5000)
                            if p.category in JOBSEEKERS)
    return Counter({unit_id: sum(n for c, n in per_community.items()
                                 if units[c].path.startswith(unit.path))
                    for unit_id, unit in units.items()})


def children(report: progress.ProgressReport, parent_id: int) -> list[progress.UnitProgress]:
    return [u for u in report.units if u.parent_id == parent_id]


# --- placements by unit and month -----------------------------------------------------------


def test_placements_count_for_the_persons_community_and_every_unit_above_it_by_start_month(
        actors, city, demo_db, units, place):
    worker, officer = actors["community_worker"], actors["street_officer"]
    district = actors["district_officer"].unit_id
    other = next(c for c in communities_under(units, district)
                 if street_of(units, c.id).id != officer.unit_id)
    far = next(u for u in units.values() if u.level == "community"
               and not u.path.startswith(units[district].path))
    # Recorded against the street, it still counts for the person's own community.
    place(city, worker.unit_id, dt.date(YEAR, 3, 5), unit_id=officer.unit_id)
    place(city, worker.unit_id, dt.date(YEAR, 3, 20))
    place(city, other.id, dt.date(YEAR, 7, 1), stable=True)
    place(city, far.id, dt.date(YEAR, 11, 30))
    place(city, far.id, dt.date(YEAR - 1, 12, 31))
    place(city, far.id, dt.date(YEAR + 1, 1, 1))

    report = progress.progress(city, demo_db, year=YEAR)

    rows = by_id(report)
    assert rows[worker.unit_id].placements == 2
    assert rows[officer.unit_id].placements == 2
    assert rows[other.id].placements == rows[street_of(units, other.id).id].placements == 1
    assert (rows[district].placements, rows[district].stable) == (3, 1)
    assert rows[far.id].placements == 1
    assert (report.home.level, report.home.placements, report.home.stable) == ("city", 4, 1)
    assert [m.counted for m in report.months] == [0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0]
    assert [m.cumulative for m in report.months] == [0, 0, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4]
    assert report.months[-1].target_to_date == pytest.approx(8000)


def test_a_street_officer_sees_the_months_of_their_street_and_only_its_units(
        actors, city, demo_db, units, place):
    worker, officer = actors["community_worker"], actors["street_officer"]
    far = next(u for u in units.values() if u.level == "community"
               and street_of(units, u.id).id != officer.unit_id)
    place(city, worker.unit_id, dt.date(YEAR, 2, 14))
    place(city, far.id, dt.date(YEAR, 2, 15))

    report = progress.progress(officer, demo_db, year=YEAR)

    assert report.home.unit_id == officer.unit_id
    assert [m.cumulative for m in report.months][:3] == [0, 1, 1]
    assert {u.unit_id for u in report.units} == {officer.unit_id} | {
        c.id for c in communities_under(units, officer.unit_id)}
    assert report.level("district") == report.level("city") == []


# --- who counts, and once -------------------------------------------------------------------


def approve_loan(uow, person_id: int, applied_on: dt.date) -> None:
    """A bank-approved small guaranteed loan on record (its five steps are the loan tests'
    business; here only that the bank approved it matters)."""
    with uow:
        uow.session.add(Loan(person_id=person_id, amount=10_000, term_months=24,
                             purpose="self_employment", annual_rate=0.0549, interest_subsidy=0,
                             status="bank_approved", applied_on=applied_on, decision=[],
                             policy_version="2003-97/2"))
        uow.commit()


def home_kinds(report: progress.ProgressReport) -> dict[str, int]:
    return {kind: n for kind, n in report.home.by_kind.items() if n}


def test_a_person_placed_twice_in_a_year_counts_once(actors, city, demo_db, place):
    worker = actors["community_worker"]
    person = place.person(worker, worker.unit_id)
    place(worker, worker.unit_id, dt.date(YEAR, 2, 1), person_id=person)
    place(worker, worker.unit_id, dt.date(YEAR, 9, 1), person_id=person, stable=True)

    report = progress.progress(city, demo_db, year=YEAR)

    assert (report.home.counted, home_kinds(report)) == (1, {"placement": 1})
    assert [m.month for m in report.months if m.counted] == [2]
    assert report.home.stable == 0  # the first placement, the one counted, was not stable


def test_placed_in_december_and_self_employed_in_january_counts_once_in_each_year(
        actors, city, demo_db, place):
    worker = actors["community_worker"]
    person = place.person(worker, worker.unit_id)
    place(worker, worker.unit_id, dt.date(YEAR, 12, 20), person_id=person)
    place.status(worker, person, "self_employed", dt.date(YEAR + 1, 1, 8))

    this, following = (progress.progress(city, demo_db, year=y) for y in (YEAR, YEAR + 1))

    assert home_kinds(this) == {"placement": 1}
    assert home_kinds(following) == {"self_employed": 1}
    assert [m.counted for m in following.months][:2] == [1, 0]


def test_placed_then_self_employed_in_the_same_year_counts_once_as_the_first_event(
        actors, city, demo_db, place):
    worker = actors["community_worker"]
    person = place.person(worker, worker.unit_id)
    place(worker, worker.unit_id, dt.date(YEAR, 3, 1), person_id=person)
    place.status(worker, person, "self_employed", dt.date(YEAR, 5, 1))
    flexible_first = place.person(worker, worker.unit_id)
    place.status(worker, flexible_first, "flexible", dt.date(YEAR, 2, 1))
    place(worker, worker.unit_id, dt.date(YEAR, 6, 1), person_id=flexible_first)

    report = progress.progress(city, demo_db, year=YEAR)

    assert home_kinds(report) == {"placement": 1, "flexible": 1}
    assert [m.counted for m in report.months][:6] == [0, 1, 1, 0, 0, 0]


def test_a_retirees_or_new_entrants_employment_does_not_count(actors, city, demo_db, place):
    worker = actors["community_worker"]
    retiree = place.person(worker, worker.unit_id, "retiree")
    place.status(worker, retiree, "self_employed", dt.date(YEAR, 4, 1))
    entrant = place.person(worker, worker.unit_id, "new_entrant")
    place(worker, worker.unit_id, dt.date(YEAR, 4, 1), person_id=entrant)
    place.status(worker, entrant, "flexible", dt.date(YEAR, 8, 1))

    assert progress.progress(city, demo_db, year=YEAR).home.counted == 0


def test_self_employment_with_and_without_a_loan_and_flexible_employment_count(
        actors, city, demo_db, place):
    worker = actors["community_worker"]
    borrower, alone, flexible = (place.person(worker, worker.unit_id) for _ in range(3))
    never = place.person(worker, worker.unit_id, "never_employed")
    approve_loan(demo_db, borrower, dt.date(YEAR, 2, 10))
    place.status(worker, borrower, "self_employed", dt.date(YEAR, 4, 1))
    place.status(worker, alone, "self_employed", dt.date(YEAR, 5, 1))
    place.status(worker, flexible, "flexible", dt.date(YEAR, 6, 1))
    place.status(worker, never, "flexible", dt.date(YEAR, 6, 2))
    place.status(worker, alone, "employed", dt.date(YEAR, 7, 1))  # not counted on its own

    report = progress.progress(city, demo_db, year=YEAR)

    assert home_kinds(report) == {"self_employed_loan": 1, "self_employed": 1, "flexible": 2}
    assert report.home.counted == 4
    assert by_id(report)[worker.unit_id].by_kind == report.home.by_kind


def test_the_kinds_add_up_to_the_count_at_every_level_and_month(actors, city, demo_db, place):
    worker, district = actors["community_worker"], actors["district_officer"]
    other = next(c for c in communities_under(place_units(city, demo_db), district.unit_id)
                 if c.id != worker.unit_id)
    for community, day, status in ((worker.unit_id, 3, "flexible"), (other.id, 3, None),
                                   (other.id, 7, "self_employed"), (worker.unit_id, 9, None)):
        person = place.person(city, community)
        if status:
            place.status(city, person, status, dt.date(YEAR, day, 5))
        else:
            place(city, community, dt.date(YEAR, day, 5), person_id=person)

    report = progress.progress(city, demo_db, year=YEAR)

    for unit in report.units:
        assert sum(unit.by_kind.values()) == unit.counted, unit.code
    for month in report.months:
        assert sum(month.by_kind.values()) == month.counted
    assert report.home.counted == 4
    assert by_id(report)[district.unit_id].counted == 4


def place_units(city, uow) -> dict[int, org.UnitView]:
    return {u.id: u for u in org.units(city, uow)}


@pytest.mark.parametrize("role", ["community_worker", "trainer", "researcher"])
def test_roles_outside_supervision_may_not_read_progress_and_the_attempt_is_audited(
        actors, demo_db, role):
    with pytest.raises(AccessDenied):
        progress.progress(actors[role], demo_db, year=YEAR)

    with demo_db:
        denied = demo_db.session.scalars(select(AuditEntry.username).where(
            AuditEntry.action == "read_progress", AuditEntry.outcome == "denied")).all()
    assert denied == [actors[role].username]


# --- targets --------------------------------------------------------------------------------


def test_the_city_target_of_8000_is_split_down_the_tree_in_proportion_to_jobseekers(
        city, demo_db, units):
    weights = jobseeker_weights(city, demo_db, units)

    report = progress.progress(city, demo_db, year=YEAR)

    assert (report.home.target, report.home.target_source) == (8000, "notice")
    assert sum(u.target for u in report.level("district")) == pytest.approx(8000)
    for parent in report.units:
        kids = children(report, parent.unit_id)
        total = sum(weights[k.unit_id] for k in kids)
        for kid in kids:
            share = weights[kid.unit_id] / total if total else 1 / len(kids)
            assert (kid.target, kid.target_source) == (pytest.approx(parent.target * share),
                                                       "split")
    assert sum(u.target for u in report.level("community")) == pytest.approx(8000)


@pytest.mark.parametrize("role", ["admin", "city_officer"])
def test_a_set_target_overrides_the_split_and_its_siblings_share_the_rest(
        actors, city, demo_db, units, role):
    street, district = actors["street_officer"].unit_id, actors["district_officer"].unit_id
    weights = jobseeker_weights(city, demo_db, units)

    progress.set_target(actors[role], demo_db, unit_id=street, year=YEAR, placements=500)

    report = progress.progress(city, demo_db, year=YEAR)
    rows = by_id(report)
    assert (rows[street].target, rows[street].target_source) == (500, "set")
    siblings = [s for s in children(report, district) if s.unit_id != street]
    rest = rows[district].target - 500
    total = sum(weights[s.unit_id] for s in siblings)
    assert [s.target for s in siblings] == pytest.approx(
        [rest * weights[s.unit_id] / total for s in siblings])
    assert sum(c.target for c in children(report, street)) == pytest.approx(500)
    assert report.home.target == 8000
    next_year = by_id(progress.progress(city, demo_db, year=YEAR + 1))[street]
    assert next_year.target_source == "split"


def test_setting_a_target_again_replaces_it_and_both_changes_are_audited(
        actors, city, demo_db):
    admin, street = actors["admin"], actors["street_officer"].unit_id

    progress.set_target(admin, demo_db, unit_id=street, year=YEAR, placements=500)
    progress.set_target(admin, demo_db, unit_id=street, year=YEAR, placements=650)

    assert by_id(progress.progress(city, demo_db, year=YEAR))[street].target == 650
    assert count(demo_db, PlacementTarget) == 1
    with demo_db:
        changes = demo_db.session.execute(select(AuditEntry.outcome, AuditEntry.after).where(
            AuditEntry.action == "set_target").order_by(AuditEntry.id)).all()
    assert [(outcome, after["placements"]) for outcome, after in changes] == [("ok", 500),
                                                                             ("ok", 650)]


@pytest.mark.parametrize("role", ["street_officer", "district_officer"])
def test_an_officer_below_the_city_may_not_set_a_target_and_the_attempt_is_audited(
        actors, demo_db, role):
    officer = actors[role]

    with pytest.raises(AccessDenied):
        progress.set_target(officer, demo_db, unit_id=actors["street_officer"].unit_id,
                            year=YEAR, placements=10)

    assert count(demo_db, PlacementTarget) == 0
    with demo_db:
        denied = demo_db.session.execute(select(AuditEntry.username, AuditEntry.entity).where(
            AuditEntry.action == "set_target", AuditEntry.outcome == "denied")).all()
    assert [tuple(row) for row in denied] == [(officer.username, "placement_target")]


@pytest.mark.parametrize("placements", [-1, "many", None])
def test_a_target_that_is_not_a_whole_number_of_at_least_zero_is_refused(
        actors, demo_db, placements):
    with pytest.raises(ValidationError) as refused:
        progress.set_target(actors["admin"], demo_db, unit_id=actors["street_officer"].unit_id,
                            year=YEAR, placements=placements)

    assert set(refused.value.field_texts("en")) == {"placements"}
    assert count(demo_db, PlacementTarget) == 0


# --- advanced-unit candidates ---------------------------------------------------------------


def test_candidates_are_ranked_by_score_and_only_those_who_placed_someone_fill_the_quota(
        actors, city, demo_db, units, place):
    district = actors["district_officer"].unit_id
    communities = communities_under(units, district)
    # More communities placed someone than the district may name (its upper quota is 4); all
    # on stable contracts, so each outscores every community that placed nobody.
    for i, community in enumerate(communities[:6]):
        for month in range(1, i + 2):
            place(city, community.id, dt.date(YEAR, month, 10), stable=True)
    policy = load_policy()["advanced_units"]

    found = recognition.candidates(city, demo_db, year=YEAR, today=TODAY)

    placed = {u.name_zh for u in progress.progress(city, demo_db, year=YEAR).units
              if u.placements}
    groups: dict[tuple, list] = {}
    for c in found:
        groups.setdefault((c.parent_name_zh, c.kind), []).append(c)
    for rows in groups.values():
        assert [c.rank for c in rows] == list(range(1, len(rows) + 1))
        assert [c.score for c in rows] == sorted((c.score for c in rows), reverse=True)
    for c in found:
        if c.kind != "individuals":
            assert c.score == pytest.approx(round(sum(
                policy["score"][part] * value for part, value in c.parts.items()), 1))
            assert set(c.parts) == {"attainment", "stable", "visits"}
            if c.name_zh not in placed:
                assert not c.within_quota
    home = units[district].name_zh
    mine = [c for c in found if c.parent_name_zh == home and c.kind == "communities"]
    quota = policy["district"]["communities"][1]
    assert [c.within_quota for c in mine] == [True] * quota + [False] * (len(mine) - quota)
    assert {c.name_zh for c in mine if c.within_quota} <= placed
    elsewhere = [c for c in found if c.parent_name_zh != home]
    assert elsewhere and not any(c.within_quota for c in elsewhere)


def test_individuals_are_ranked_by_the_placements_they_recorded(actors, demo_db, units, place):
    officer, district = actors["street_officer"], actors["district_officer"]
    other = next(c for c in communities_under(units, district.unit_id)
                 if street_of(units, c.id).id != officer.unit_id)
    for day in (1, 2):
        place(officer, actors["community_worker"].unit_id, dt.date(YEAR, 5, day))
    for day in (1, 2, 3):
        place(district, other.id, dt.date(YEAR, 6, day))

    found = recognition.candidates(district, demo_db, year=YEAR, today=TODAY)

    people = [(c.name_zh, c.rank, c.score, c.within_quota) for c in found
              if c.kind == "individuals"]
    assert people == [(district.username, 1, 3.0, True), (officer.username, 2, 2.0, True)]
