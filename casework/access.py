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

LEDGER_WRITERS = frozenset(
    {"community_worker", "street_officer", "district_officer", "city_officer", "admin"}
)

# Capabilities beyond the ledger, and the roles that have them (city-wide, so no scope).
CAPABILITIES = {
    # De-identified research extracts, for analysis by researchers and the city.
    "write_extract": frozenset({"researcher", "city_officer"}),
    # The release log (who took which extract, for what purpose): overseen by the city.
    "list_extract_releases": frozenset({"city_officer", "admin"}),
    # Labour-security affairs agency (file custody, insurance continuation) is the street
    # office's duty (notice 四(四)); offices above it may act too. Also needs the person in scope.
    "affairs_agency": frozenset({"street_officer", "district_officer", "city_officer", "admin"}),
    # The Re-employment Preferential Certificate 《再就业优惠证》 is issued, checked yearly,
    # withdrawn and reissued by the street labour-security office (POLICY.md); the offices above
    # it may act too. Also needs the person in scope.
    "certificates": frozenset({"street_officer", "district_officer", "city_officer"}),
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
    return in_scope(actor, unit_path)


def may_write_ledger(actor: Actor, unit_path: str) -> bool:
    return actor.role in LEDGER_WRITERS and in_scope(actor, unit_path)


def may(actor: Actor, capability: str) -> bool:
    """Whether the actor's role has ``capability`` (a key of ``CAPABILITIES``)."""
    return actor.role in CAPABILITIES[capability]


def roles_with(capability: str) -> tuple[str, ...]:
    """The roles that have ``capability``, in the order of ``ROLES``."""
    return tuple(r for r in ROLES if r in CAPABILITIES[capability])


def may_manage_staff(actor: Actor) -> bool:
    return actor.role == "admin"
