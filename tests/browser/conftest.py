"""Browser fixtures: a Voila server on a demo SQLite database, and headless Debian Chromium.

Under CI=true a missing Chromium fails the tests; elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from casework.voila_server import voila_arguments
from tests.conftest import CI

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
# How long an expectation waits for the page to get there (Playwright's default is 5 s). A
# kernel answering a choice, on two busy cores in CI, can take longer: a clean-clone run once
# found the ledger's record not yet drawn at 5 s. This bounds a wait; it asserts no duration.
EXPECT_TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    if not os.path.exists(CHROMIUM):
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
        if CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> str:
    """A demo SQLite database shared by the browser tests of one run."""
    path = tmp_path_factory.mktemp("browser") / "demo.db"
    url = f"sqlite:///{path}"
    from casework import demo
    from casework.db import migrate
    from casework.services.uow import UnitOfWork

    migrate.upgrade(url)
    demo.generate(UnitOfWork(url=url), persons=1500, seed=11, as_of=dt.date.today())
    return url


@pytest.fixture(scope="session")
def extracts_dir(tmp_path_factory) -> Path:
    """The servers' extracts folder (CASEWORK_EXTRACTS_DIR): ``?extract=NAME`` reads under it."""
    return tmp_path_factory.mktemp("extracts")


@pytest.fixture(scope="session")
def voila(demo_database, extracts_dir):
    """``voila(user)`` is the base URL of a Voila server acting as ``user``; one per user."""
    servers: dict[str, tuple[subprocess.Popen, str]] = {}

    def start(user: str) -> str:
        if user not in servers:
            servers[user] = _start_voila(user, demo_database, extracts_dir)
        return servers[user][1]

    yield start
    for process, _ in servers.values():
        process.terminate()
        process.wait(timeout=20)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_voila(user: str, database_url: str, extracts: Path | None = None
                 ) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "CASEWORK_DATABASE_URL": database_url, "CASEWORK_USER": user}
    if extracts is not None:
        env["CASEWORK_EXTRACTS_DIR"] = str(extracts)
    env.pop("CASEWORK_LANG", None)
    # Served as `casework serve` serves it (our template, local icon fonts, culled kernels).
    process = subprocess.Popen(
        [sys.executable, "-m", "casework.voila_server",
         *voila_arguments(notebooks=NOTEBOOKS, port=port, host="127.0.0.1",
                          show_tracebacks=True)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:  # a static file: the root would render the landing page
            urllib.request.urlopen(f"{base}/voila/static/fontawesomefree/css/fontawesome.min.css",
                                   timeout=2).close()
            return process, base
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"Voila exited with {process.returncode}") from None
            time.sleep(0.2)  # polling a starting server, not waiting on app behaviour
    process.terminate()
    raise RuntimeError("Voila did not start within 60 s")


def app_url(base: str, notebook: str, lang: str | None = None) -> str:
    query = f"?lang={lang}" if lang else ""
    return f"{base}/voila/render/{notebook}{query}"
