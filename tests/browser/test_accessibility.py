"""Every app passes axe-core (axe-playwright-python, which bundles axe.min.js: nothing is
downloaded) in Chinese and in English with no serious or critical violation, and leaves a
screenshot of itself at desktop width in Chinese (tests/browser/artifacts.py).

Every rule runs, the contrast rule (WCAG AA, 4.5:1) among them: the test checks that axe
actually judged some text by it, so a page with no text checked cannot pass by accident. The
labels axe checks are the widgets' own (casework.js names no input)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from casework.services import org
from casework.services.uow import UnitOfWork
from casework.ui.apps import APPS
from evaluation.extract import write_extract
from tests.browser.artifacts import save_screenshot
from tests.browser.conftest import NOTEBOOKS, app_url

pytestmark = pytest.mark.slow  # among the slowest files of the suite (make test lists them)

EXTRACT = "accessibility"
# Who opens each app (a role that may), and what shows it is drawn.
OPENER = {"index": "demo-community-worker", "training_enrolment": "demo-trainer",
          "curriculum_planning": "demo-trainer", "progress": "demo-city-officer",
          "evaluation_training": "demo-researcher", "evaluation_subsidy_cost": "demo-researcher",
          "extract_releases": "demo-city-officer", "administration": "demo-admin",
          "audit_trail": "demo-admin"}
READY = {"index": ".cw-landing", "job_board": ".cw-job-board", "evaluation_training": ".cw-effects",
         "evaluation_subsidy_cost": ".cw-cost-additional"}
SERIOUS = ("serious", "critical")
NAMES = sorted({a.name for a in APPS} | {p.stem for p in NOTEBOOKS.glob("*.ipynb")})


def test_every_app_notebook_is_checked():
    assert {p.stem for p in NOTEBOOKS.glob("*.ipynb")} <= set(NAMES)


@pytest.fixture(scope="module")
def extract(demo_database, extracts_dir):
    folder = extracts_dir / EXTRACT
    if not folder.exists():
        uow = UnitOfWork(url=demo_database)
        write_extract(org.load_actor(uow, "demo-researcher"), uow, out=folder,
                      purpose="accessibility check")
    return folder


def axe(page) -> dict:
    """axe-core's full response, every rule enabled (none is turned off here)."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page).response


def serious_violations(page, response: dict) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(_where(page, n["target"][0]) for n in v["nodes"][:5])
            for v in response["violations"] if v["impact"] in SERIOUS]


def judged(response: dict, rule: str) -> int:
    """How many elements ``rule`` passed or failed (not those it could not decide)."""
    return sum(len(r["nodes"]) for key in ("passes", "violations") for r in response[key]
               if r["id"] == rule)


def _where(page, target: str) -> str:
    """The element's nearest ``cw-*`` hook, which says more than a generated id."""
    hook = page.evaluate("""t => { const e = document.querySelector(t);
        const h = e && e.closest('[class*="cw-"]');
        return h ? Array.from(h.classList).filter(c => c.startsWith('cw-')).join('.') : ''; }""",
                         target)
    return f"{target} in .{hook}" if hook else target


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", NAMES)
def test_the_app_has_no_serious_accessibility_violation(voila, page, extract, name, lang):
    url = app_url(voila(OPENER.get(name, "demo-community-worker")), f"{name}.ipynb", lang=lang)
    page.goto(f"{url}&extract={EXTRACT}" if name.startswith("evaluation") else url)
    expect(page.locator(READY.get(name, ".cw-header")).first).to_be_visible(timeout=240_000)
    if lang == "zh":
        save_screenshot(page, f"{name}-zh-desktop")

    response = axe(page)

    assert serious_violations(page, response) == []
    assert judged(response, "color-contrast") > 0
