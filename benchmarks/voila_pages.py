"""Voila in headless Chromium: navigation until the home-visit form is interactive (a cold
kernel, and a preheated one from a voila.json pool), and the memory of one kernel for the form
apps and for the analysis pages; prints JSON.

A demo of ``BENCH_PAGE_PERSONS`` people (default 5,000, as ``make serve`` seeds) and a research
extract of it are written to a temporary folder; each server is ``python -m
casework.voila_server`` with the arguments ``casework serve`` uses. "Interactive" is the first
``cw-field-*`` input, select or text area of the form being enabled. Each timing is the median
of five navigations: the keys are those of a browser that has opened the app before (its HTTP
cache holds Voila's 4 MB of JavaScript, as a caseworker's browser does after the first visit of
the day); ``*_first_visit_s`` are those of a fresh browser context each time. A kernel's
memory is the RSS (from /proc) of the newest ipykernel process under the server once the page
has drawn.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

from benchmarks.common import SEED
from casework.voila_server import voila_arguments

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
RUNS = 5
FORM = "home_visits.ipynb"
READY = ('[class*="cw-field-"] input:enabled, [class*="cw-field-"] textarea:enabled, '
         '[class*="cw-field-"] select:enabled')
EXTRACT = "bench"
# Page, account and what shows it has drawn.
FORM_PAGES = ((FORM, "demo-community-worker", READY),
              ("ledger.ipynb", "demo-community-worker", READY))
ANALYSIS_PAGES = (
    (f"evaluation_training.ipynb?extract={EXTRACT}", "demo-researcher", ".cw-effects"),
    ("progress.ipynb", "demo-city-officer", ".cw-progress-summary"),
    (f"curriculum_planning.ipynb?extract={EXTRACT}", "demo-trainer", ".cw-plan .cw-plan-row"),
)
POOL_REFILL_S = 20  # a used preheated kernel is replaced in the background; let that finish


def _prepare(folder: Path) -> tuple[str, Path]:
    import datetime as dt

    from casework import demo
    from casework.db import migrate
    from casework.services import org
    from casework.services.uow import UnitOfWork
    from evaluation.extract import write_extract

    url = f"sqlite:///{folder / 'pages.db'}"
    migrate.upgrade(url)
    uow = UnitOfWork(url=url)
    persons = int(os.environ.get("BENCH_PAGE_PERSONS", "5000"))
    demo.generate(uow, persons=persons, seed=SEED, as_of=dt.date.today())
    extracts = folder / "extracts"
    write_extract(org.load_actor(uow, "demo-researcher"), uow, out=extracts / EXTRACT,
                  purpose="benchmarks/voila_pages.py")
    return url, extracts


def _serve(url: str, extracts: Path, user: str, port: int, config: Path | None = None
           ) -> subprocess.Popen:
    env = {**os.environ, "CASEWORK_DATABASE_URL": url, "CASEWORK_USER": user,
           "CASEWORK_EXTRACTS_DIR": str(extracts)}
    env.pop("CASEWORK_LANG", None)
    args = voila_arguments(notebooks=NOTEBOOKS, port=port, host="127.0.0.1")
    if config is not None:
        args.append(f"--Voila.config_file_paths={config}")
    process = subprocess.Popen([sys.executable, "-m", "casework.voila_server", *args], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/static/fontawesomefree/css/"
                                   "fontawesome.min.css", timeout=2).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("Voila did not start within 90 s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


def _kernels(process: subprocess.Popen) -> list[psutil.Process]:
    found = []
    for child in psutil.Process(process.pid).children(recursive=True):
        try:
            if "ipykernel" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return sorted(found, key=lambda p: p.create_time())


def _open(browser_or_context, url: str, ready: str):
    """Seconds from navigation until ``ready`` is visible, and the page's context; the page is
    left open. A browser gives each page a fresh context (an empty HTTP cache: a first visit);
    a context gives a new page in it (the cache of earlier visits: how a caseworker who opens
    the apps every day navigates)."""
    fresh = not hasattr(browser_or_context, "browser")
    context = (browser_or_context.new_context(viewport={"width": 1280, "height": 900})
               if fresh else browser_or_context)
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=180_000)
    page.locator(ready).first.wait_for(state="visible", timeout=180_000)
    seconds = time.perf_counter() - started
    page.wait_for_load_state("load")
    return seconds, (context if fresh else page)


def _median_form(browser, base: str, *, pause: float = 0) -> dict[str, object]:
    """Median of five first visits (each in a fresh context) and of five later visits (new
    pages of one context that has opened the form once before)."""
    url = f"{base}/voila/render/{FORM}"
    first = []
    for _ in range(RUNS):
        seconds, context = _open(browser, url, READY)
        first.append(round(seconds, 3))
        context.close()
        time.sleep(pause)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    later = []
    try:
        _, page = _open(context, url, READY)  # the visit that fills the cache, not timed
        page.close()
        time.sleep(pause)
        for _ in range(RUNS):
            seconds, page = _open(context, url, READY)
            later.append(round(seconds, 3))
            page.close()
            time.sleep(pause)
    finally:
        context.close()
    return {"later": round(statistics.median(later), 3), "later_runs": later,
            "first": round(statistics.median(first), 3), "first_runs": first}


def _rss_mb(browser, server, base: str, page: str, ready: str) -> float:
    _, context = _open(browser, f"{base}/voila/render/{page}", ready)
    time.sleep(2)  # let the kernel settle after its last output
    rss = _kernels(server)[-1].memory_info().rss / 2**20
    context.close()
    return round(rss, 1)


def _pool_config(folder: Path) -> Path:
    config = folder / "voila-config"
    config.mkdir()
    deploy = json.loads((ROOT / "deploy" / "voila.json").read_text())
    deploy["VoilaKernelManager"]["kernel_pools_config"][FORM] = {"pool_size": 1}
    (config / "voila.json").write_text(json.dumps(deploy))
    return config


def main() -> dict:
    from playwright.sync_api import sync_playwright

    from benchmarks.common import free_port

    with tempfile.TemporaryDirectory() as name, sync_playwright() as pw:
        folder = Path(name)
        url, extracts = _prepare(folder)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        rss: dict[str, float] = {}
        servers: dict[str, tuple[subprocess.Popen, str]] = {}
        try:
            for page, user, ready in FORM_PAGES + ANALYSIS_PAGES:
                if user not in servers:
                    port = free_port()
                    servers[user] = (_serve(url, extracts, user, port), f"http://127.0.0.1:{port}")
                rss[page.split("?")[0]] = _rss_mb(browser, *servers[user], page, ready)
            cold = _median_form(browser, servers["demo-community-worker"][1])
            for process, _ in servers.values():
                _stop(process)
            port = free_port()
            preheated_server = _serve(url, extracts, "demo-community-worker", port,
                                      _pool_config(folder))
            base = f"http://127.0.0.1:{port}"
            time.sleep(POOL_REFILL_S)  # the pool's first kernel renders the form at start
            try:
                warm = _median_form(browser, base, pause=POOL_REFILL_S)
            finally:
                _stop(preheated_server)
        finally:
            browser.close()
    forms = [rss[p.split("?")[0]] for p, _, _ in FORM_PAGES]
    analysis = [rss[p.split("?")[0]] for p, _, _ in ANALYSIS_PAGES]
    return {"benchmark": "voila_pages", "form_interactive_cold_s": cold["later"],
            "form_interactive_preheated_s": warm["later"], "kernel_rss_mb": max(forms),
            "kernel_rss_analysis_mb": max(analysis), "cold_runs_s": cold["later_runs"],
            "preheated_runs_s": warm["later_runs"],
            "form_interactive_cold_first_visit_s": cold["first"],
            "form_interactive_preheated_first_visit_s": warm["first"],
            "cold_first_visit_runs_s": cold["first_runs"],
            "preheated_first_visit_runs_s": warm["first_runs"], "kernel_rss_by_page_mb": rss}


if __name__ == "__main__":
    print(json.dumps(main()))
