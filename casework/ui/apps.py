"""The apps that the landing page lists: notebook, title key, and the capability that opens it
(a key of ``access.PERMISSIONS``; who has it is decided there and nowhere else)."""

from __future__ import annotations

from dataclasses import dataclass

from casework import access, settings


@dataclass(frozen=True)
class AppInfo:
    name: str  # notebook stem and catalogue key under "apps."
    capability: str | None = None  # None: every role

    @property
    def notebook(self) -> str:
        return f"{self.name}.ipynb"

    def opens_for(self, role: str | None) -> bool:
        """Whether an account of ``role`` may open the app (no account: only open apps)."""
        if self.capability is None:
            return True
        return role is not None and role in access.roles_with(self.capability)


APPS = (
    AppInfo("index"),
    AppInfo("ledger", "read_ledger"),
    # The ledger staff's apps: the community worker and the offices above them.
    AppInfo("hardship_register", "write_ledger"),
    AppInfo("home_visits", "write_ledger"),
    AppInfo("training_enrolment", "organise_training"),
    AppInfo("follow_ups", "follow_up_trainees"),
    AppInfo("curriculum_planning", "plan_curriculum"),
    AppInfo("job_postings", "read_postings"),
    AppInfo("placements", "write_ledger"),
    AppInfo("certificates", "write_ledger"),
    AppInfo("loans", "write_ledger"),
    AppInfo("agency", "write_ledger"),
    AppInfo("retirees", "write_ledger"),
    AppInfo("progress", "view_progress"),
    AppInfo("job_board"),
    AppInfo("evaluation_training", "read_research"),
    AppInfo("evaluation_subsidy_cost", "read_research"),
    AppInfo("extract_releases", "list_extract_releases"),
    AppInfo("administration", "manage_units"),
    AppInfo("audit_trail", "read_audit"),
)


def available_apps(role: str | None) -> list[AppInfo]:
    """Apps whose notebook exists and that the role may open; the index itself is not listed."""
    folder = settings.notebooks_dir()
    return [a for a in APPS if a.name != "index" and (folder / a.notebook).exists()
            and a.opens_for(role)]
