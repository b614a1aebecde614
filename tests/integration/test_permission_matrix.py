"""The whole role × capability matrix, walked against the services on SQLite and PostgreSQL.

The expected matrix below is written out from issue 14 and POLICY.md, not read from
``access.PERMISSIONS``; one test checks that the table says the same. Then, for every
capability, one representative service call (tests/integration/permission_cases.py) is made as
each of the seven demo accounts: the roles that have the capability succeed, every other role
is refused and the refusal is audited. Last, an account of an allowed role from another
district is refused too (or, for a list, does not see the record).
"""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select

from casework import access
from casework.db.models import AuditEntry
from casework.errors import AccessDenied
from casework.services import org
from casework.services.steps import StepRefused
from tests.integration.permission_cases import CASES, World

CW, SO, DO, CO = "community_worker", "street_officer", "district_officer", "city_officer"
TR, RE, AD = "trainer", "researcher", "admin"
EVERYONE = {CW, SO, DO, CO, TR, RE, AD}
OFFICERS = {SO, DO, CO, AD}  # the offices from the street up, and the administrator
LEDGER_STAFF = OFFICERS | {CW}
TRAINING = {SO, TR, DO, CO, AD}  # the street office, trainers, and the offices above

# capability: (roles that have it, scope rule of its unit)
EXPECTED = {
    "read_ledger": (EVERYONE, "home"),
    "write_ledger": (LEDGER_STAFF, "home"),
    "write_extract": ({RE, CO}, "city"),
    "list_extract_releases": ({CO, AD}, "city"),
    "read_research": ({RE, TR, CO, AD}, "city"),  # trainers: how past courses placed people
    "affairs_agency": (OFFICERS, "home"),
    "certificates": ({SO, DO, CO}, "home"),
    "manage_units": ({AD, CO}, "home"),
    "manage_staff": ({AD, CO}, "home"),
    "read_audit": ({AD, CO}, "home"),
    "post_jobs": (LEDGER_STAFF, "home"),
    "read_postings": (LEDGER_STAFF | {TR}, "line"),  # trainers read, never post
    "organise_training": (TRAINING, "line"),
    # trainees' follow-ups: the organisers, and the station of the trainee's own community
    "follow_up_trainees": (TRAINING | {CW}, "home"),
    "plan_curriculum": (TRAINING, "line"),
    "read_demand": (TRAINING, "line"),
    "hardship_verify_community": ({CW}, "home"),  # first level: the community station
    "hardship_confirm_street": ({SO}, "home"),  # second level: the street office
    "hardship_exit": (OFFICERS, "home"),
    "visit_rollup": (OFFICERS, "home"),
    "set_targets": ({AD, CO}, "home"),
    "view_progress": (OFFICERS, "home"),
    # individual applies → community recommends → agency reviews → guarantee → bank approves
    "loan_step.applied": ({CW, SO}, "home"),
    "loan_step.community_recommended": ({CW}, "home"),
    "loan_step.agency_reviewed": ({SO, DO}, "home"),
    "loan_step.guarantee_committed": ({DO, CO}, "home"),
    "loan_step.bank_approved": ({CO}, "home"),
    # claimed and reviewed below; each government level's fund approves and pays its own
    "subsidy_step.claimed": ({CW, SO}, "home"),
    "subsidy_step.reviewed": ({SO, DO}, "home"),
    "subsidy_pay.street": ({SO}, "home"),
    "subsidy_pay.district": ({DO}, "home"),
    "subsidy_pay.city": ({CO}, "home"),
}
STEPS = tuple(c for c in EXPECTED if c.startswith(("loan_step.", "subsidy_")))


def test_the_permission_table_is_the_expected_matrix():
    table = {cap: (set(p.roles), p.scope) for cap, p in access.PERMISSIONS.items()}

    assert table == EXPECTED


def test_every_capability_has_a_service_call_in_the_matrix_test():
    assert set(CASES) == set(EXPECTED)


@pytest.fixture
def world(demo_db, actors, tmp_path) -> World:
    return World(demo_db, actors, tmp_path, itertools.count(200))


def denied(uow, username: str) -> int:
    with uow:
        return uow.session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.username == username, AuditEntry.outcome == "denied"))


def assert_refused(case, actor, world, target, capability: str) -> None:
    before = denied(world.uow, actor.username)
    with pytest.raises((AccessDenied, StepRefused)) as refused:
        case.act(actor, world, target)
    if isinstance(refused.value, StepRefused):  # a step's rule names the wrong role
        assert capability in STEPS
        assert [r.key for r in refused.value.decision.reasons] == ["money.loan.step_wrong_role"]
    assert denied(world.uow, actor.username) == before + 1


@pytest.mark.parametrize("capability", list(EXPECTED))
def test_each_role_may_or_may_not_as_the_matrix_says(capability, world, actors):
    case, (allowed, _scope) = CASES[capability], EXPECTED[capability]
    for role in access.ROLES:
        target = case.arrange(world)
        if role in allowed:
            case.act(actors[role], world, target)
        else:
            assert_refused(case, actors[role], world, target, capability)


@pytest.fixture
def stranger(world, actors):
    """``stranger(role)``: an account of ``role`` in a street of another district."""
    city, uow = actors[CO], world.uow
    street = next(u for u in org.units(city, uow, level="street")
                  if not u.path.startswith(actors[DO].unit_path))
    district = next(u for u in org.units(city, uow) if street.path.startswith(u.path)
                    and u.level in ("district", "county"))
    community = next(u for u in org.units(city, uow, level="community")
                     if u.path.startswith(street.path))
    home = {CW: community, SO: street, TR: street, DO: district}

    def make(role: str):
        org.create_staff(org.SYSTEM, uow, username=f"other-{role}", display_name=role,
                         role=role, unit_id=home[role].id)
        return org.load_actor(uow, f"other-{role}")
    return make


SCOPED = [c for c, case in CASES.items() if case.stranger]


def test_the_scope_half_covers_every_capability_a_unit_below_the_city_may_hold():
    below_city = {c for c, (roles, scope) in EXPECTED.items()
                  if scope != "city" and roles & {CW, SO, TR, DO}}
    unitless = {"visit_rollup", "view_progress", "plan_curriculum"}  # the actor's own area
    assert set(SCOPED) == below_city - unitless


@pytest.mark.parametrize("capability", SCOPED)
def test_an_allowed_role_from_another_district_is_refused(capability, world, stranger):
    case = CASES[capability]
    assert case.stranger in EXPECTED[capability][0]
    other, target = stranger(case.stranger), case.arrange(world)
    if case.listing:
        assert target not in case.act(other, world, target)
        assert target in case.act(world.worker, world, target)
    else:
        assert_refused(case, other, world, target, capability)
