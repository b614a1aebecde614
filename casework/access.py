"""Who may see and change what. Pure rules over the acting account and a unit's path."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = (
    "community_worker",
    "street_officer",
    "district_officer",
    "city_officer",
    "trainer",
    "researcher",
    "admin",
)

# The level of home unit each role must have; trainers sit at a street or the city.
HOME_LEVELS = {
    "community_worker": ("community",),
    "street_officer": ("street",),
    "district_officer": ("district", "county"),
    "city_officer": ("city",),
    "trainer": ("street", "district", "county", "city"),
    "researcher": ("city",),
    "admin": ("city",),
}

_OFFICERS = frozenset({"street_officer", "district_officer", "city_officer", "admin"})
_LEDGER_STAFF = _OFFICERS | {"community_worker"}
_TRAINING = frozenset({"street_officer", "trainer", "district_officer", "city_officer", "admin"})
_ALL = frozenset(ROLES)

# The scope rules. "home": the unit lies under the actor's home unit (or is it). "line": it lies
# under the home unit or above it (a trainer at a street organises for that street's district
# course; a worker sees their own street). "city": no unit check (city-wide work, de-identified).
SCOPES = ("home", "line", "city")


@dataclass(frozen=True)
class Permission:
    """The roles that have a capability, and the scope rule its unit must meet."""

    roles: frozenset[str]
    scope: str = "home"


# THE permission table: every decision of who may do what reads it, and nothing else decides.
# Keys are capabilities; apps name the capability that opens them (casework/ui/apps.py).
PERMISSIONS: dict[str, Permission] = {
    # The ledger 台帐 of laid-off and unemployed people. Everyone reads within their home unit
    # (researchers see no identities: Actor.sees_identities).
    "read_ledger": Permission(_ALL),
    "write_ledger": Permission(_LEDGER_STAFF),
    # De-identified research extracts, for analysis by researchers and the city.
    "write_extract": Permission(frozenset({"researcher", "city_officer"}), "city"),
    # The release log (who took which extract, for what purpose): overseen by the city.
    "list_extract_releases": Permission(frozenset({"city_officer", "admin"}), "city"),
    # The evaluation pages read research extracts (de-identified) only; trainers read how past
    # courses placed their trainees (POLICY.md, "what the software must let people answer").
    "read_research": Permission(frozenset({"researcher", "trainer", "city_officer", "admin"}),
                                "city"),
    # Labour-security affairs agency (file custody, insurance continuation) is the street
    # office's duty (notice 四(四)); offices above it may act too. Also needs the person in scope.
    "affairs_agency": Permission(_OFFICERS),
    # The Re-employment Preferential Certificate 《再就业优惠证》 is issued, checked yearly,
    # withdrawn and reissued by the street labour-security office (POLICY.md); the offices above
    # it may act too. Also needs the person in scope.
    "certificates": Permission(frozenset({"street_officer", "district_officer", "city_officer"})),
    # The organisation tree and staff accounts (admin app, `casework units|staff`), and the
    # audit trail, for administrators and the city's officers.
    "manage_units": Permission(frozenset({"admin", "city_officer"})),
    "manage_staff": Permission(frozenset({"admin", "city_officer"})),
    "read_audit": Permission(frozenset({"admin", "city_officer"})),
    # Jobs developed in the community: the ledger staff post jobs and service-demand notices for
    # a street or community of their area, match and refer. Trainers also read the postings of
    # their line (what the jobs on offer ask for), but never post.
    "post_jobs": Permission(_LEDGER_STAFF),
    "read_postings": Permission(_LEDGER_STAFF | {"trainer"}, "line"),
    # Courses are set up, filled and followed up by the street office and trainers, for a
    # street of their line (a trainer at a street organises for that street's district).
    "organise_training": Permission(_TRAINING, "line"),
    # Trainees' outcome follow-ups at 3, 6 and 12 months (the tracking service that follows each
    # client, POLICY.md): besides the course's organisers, the community station of the
    # trainee's own community, which knows the household. The unit is the trainee's community.
    "follow_up_trainees": Permission(_TRAINING | {"community_worker"}),
    # Curriculum planning: which subjects the jobs ask for and who lacks them (the trainer's
    # question in POLICY.md), and the demand figures it reads.
    "plan_curriculum": Permission(_TRAINING, "line"),
    "read_demand": Permission(_TRAINING, "line"),
    # The 特困家庭 register: the community verifies, the street confirms (two levels, 132号);
    # an officer takes a household out of the group. Officers see the overdue visits rolled up.
    "hardship_verify_community": Permission(frozenset({"community_worker"})),
    "hardship_confirm_street": Permission(frozenset({"street_officer"})),
    "hardship_exit": Permission(_OFFICERS),
    "visit_rollup": Permission(_OFFICERS),
    # Progress against the 8,000 target: officers read it, the city sets the targets.
    "set_targets": Permission(frozenset({"admin", "city_officer"})),
    "view_progress": Permission(_OFFICERS),
    # The five steps of a small guaranteed loan, each by its own office (POLICY.md money rule
    # 1; the order is casework.money.LOAN_STEPS): applied, recommended by the community,
    # reviewed by the agency, guaranteed, approved by the bank.
    "loan_step.applied": Permission(frozenset({"community_worker", "street_officer"})),
    "loan_step.community_recommended": Permission(frozenset({"community_worker"})),
    "loan_step.agency_reviewed": Permission(frozenset({"street_officer", "district_officer"})),
    "loan_step.guarantee_committed": Permission(frozenset({"district_officer", "city_officer"})),
    "loan_step.bank_approved": Permission(frozenset({"city_officer"})),
    # A placement subsidy is claimed and reviewed below; the officer of the paying fund's level
    # approves and pays what that fund pays (subsidy_pay.<funding level>).
    "subsidy_step.claimed": Permission(frozenset({"community_worker", "street_officer"})),
    "subsidy_step.reviewed": Permission(frozenset({"street_officer", "district_officer"})),
    "subsidy_pay.street": Permission(frozenset({"street_officer"})),
    "subsidy_pay.district": Permission(frozenset({"district_officer"})),
    "subsidy_pay.city": Permission(frozenset({"city_officer"})),
}


@dataclass(frozen=True)
class Actor:
    """The staff account on whose behalf a use case runs."""

    staff_id: int | None
    username: str
    role: str
    unit_id: int
    unit_path: str
    unit_level: str

    @property
    def sees_identities(self) -> bool:
        """Researchers work on de-identified data only: no names, ID numbers or phones."""
        return self.role != "researcher"


def in_scope(actor: Actor, unit_path: str) -> bool:
    """A unit is in scope when it lies under the actor's home unit (or is that unit)."""
    return unit_path.startswith(actor.unit_path)


def in_line(actor: Actor, unit_path: str) -> bool:
    """The unit is in scope, or is above the actor's home unit (a worker's own street)."""
    return unit_path.startswith(actor.unit_path) or actor.unit_path.startswith(unit_path)


def may_read_ledger(actor: Actor, unit_path: str) -> bool:
    return may(actor, "read_ledger", unit_path)


def may_write_ledger(actor: Actor, unit_path: str) -> bool:
    return may(actor, "write_ledger", unit_path)


def may(actor: Actor, capability: str, unit_path: str | None = None) -> bool:
    """Whether the actor's role has ``capability`` (a key of ``PERMISSIONS``) and, when a unit
    is named, whether that unit meets the capability's scope rule."""
    return actor.role in PERMISSIONS[capability].roles and (
        unit_path is None or reaches(actor, capability, unit_path))


def reaches(actor: Actor, capability: str, unit_path: str) -> bool:
    """Whether the unit meets ``capability``'s scope rule for the actor, whatever the role: for
    a use case whose wrong-role refusal is a rule's explained decision (loan and subsidy steps,
    casework.money), while a unit out of scope is an access refusal."""
    scope = PERMISSIONS[capability].scope
    if scope == "city":
        return True
    return in_line(actor, unit_path) if scope == "line" else in_scope(actor, unit_path)


def roles_with(capability: str) -> tuple[str, ...]:
    """The roles that have ``capability``, in the order of ``ROLES``."""
    return tuple(r for r in ROLES if r in PERMISSIONS[capability].roles)


def may_manage_staff(actor: Actor) -> bool:
    return may(actor, "manage_staff")


# The account that seeds the organisation tree and the demo (never a person; no staff row).
SYSTEM_ACTOR = Actor(staff_id=None, username="system", role="admin", unit_id=0, unit_path="/",
                     unit_level="city")
