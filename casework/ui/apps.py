"""The apps that the landing page lists: notebook, title key, and who they are for."""

from __future__ import annotations

from dataclasses import dataclass

from casework import access, settings


@dataclass(frozen=True)
class AppInfo:
    name: str  # notebook stem and catalogue key under "apps."
    roles: tuple[str, ...] | None = None  # None: every role

    @property
    def notebook(self) -> str:
        return f"{self.name}.ipynb"


APPS = (
    AppInfo("index"),
    AppInfo("ledger", ("community_worker", "street_officer", "district_officer", "city_officer",
                       "trainer", "researcher", "admin")),
    AppInfo("hardship_register", ("community_worker", "street_officer", "district_officer",
                                  "city_officer", "admin")),
    AppInfo("home_visits", ("community_worker", "street_officer", "district_officer",
                            "city_officer", "admin")),
    AppInfo("training_enrolment", ("street_officer", "trainer", "district_officer",
                                   "city_officer", "admin")),
    AppInfo("job_postings", ("community_worker", "street_officer", "district_officer",
                             "city_officer", "admin")),
    AppInfo("placements", ("community_worker", "street_officer", "district_officer",
                           "city_officer", "admin")),
    AppInfo("certificates", ("community_worker", "street_officer", "district_officer",
                             "city_officer", "admin")),
    AppInfo("loans", ("community_worker", "street_officer", "district_officer", "city_officer",
                      "admin")),
    AppInfo("agency", ("community_worker", "street_officer", "district_officer",
                       "city_officer", "admin")),
    AppInfo("retirees", ("community_worker", "street_officer", "district_officer",
                         "city_officer", "admin")),
    AppInfo("progress", ("street_officer", "district_officer", "city_officer", "admin")),
    AppInfo("job_board"),
    AppInfo("evaluation_training", ("researcher", "city_officer", "admin")),
    AppInfo("evaluation_subsidy_cost", ("researcher", "city_officer", "admin")),
    AppInfo("extract_releases", access.roles_with("list_extract_releases")),
)


def available_apps(role: str | None) -> list[AppInfo]:
    """Apps whose notebook exists and that the role may open; the index itself is not listed."""
    folder = settings.notebooks_dir()
    return [a for a in APPS if a.name != "index" and (folder / a.notebook).exists()
            and (a.roles is None or role in a.roles)]
