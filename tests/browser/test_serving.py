"""One office's server (`casework serve`'s Voila): pages fetch nothing from the internet, a
token is enforced when given, and the kernel of a closed page is culled."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from casework.voila_server import voila_arguments
from tests.browser.conftest import NOTEBOOKS, _free_port, app_url

pytestmark = pytest.mark.browser


def test_a_page_fetches_nothing_from_outside_this_server(voila, page):
    base = voila("demo-community-worker")
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    page.goto(app_url(base, "ledger.ipynb"), wait_until="load")
    expect(page.locator(".cw-ledger")).to_be_attached()
    assert hosts <= {urlparse(base).netloc, ""}, hosts
    icons = page.evaluate("() => [...document.styleSheets].map(s => s.href).filter(Boolean)")
    assert any(href.endswith("/voila/static/fontawesomefree/css/all.min.css") for href in icons)


def _serve(demo_database: str, *, token: str | None = None, cull_idle_seconds: int = 900):
    port = _free_port()
    env = {**os.environ, "CASEWORK_DATABASE_URL": demo_database,
           "CASEWORK_USER": "demo-community-worker"}
    process = subprocess.Popen(
        [sys.executable, "-m", "casework.voila_server",
         *voila_arguments(notebooks=NOTEBOOKS, port=port, host="127.0.0.1", token=token,
                          cull_idle_seconds=cull_idle_seconds, cull_interval_seconds=1)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, f"http://127.0.0.1:{port}"


def _status(url: str) -> int:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _wait(predicate, what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)  # polling a server's state, not waiting on app behaviour
    raise AssertionError(f"{what} did not happen within {seconds} s")


def _answers(base: str) -> bool:
    try:
        urllib.request.urlopen(f"{base}/voila/static/fontawesomefree/css/fontawesome.min.css",
                               timeout=2).close()
        return True
    except OSError:
        return False


def test_with_a_token_a_page_needs_it(demo_database):
    process, base = _serve(demo_database, token="office-token")
    try:
        _wait(lambda: _answers(base), "the server starting")
        assert _status(f"{base}/voila/render/index.ipynb") in (302, 403)
        assert _status(f"{base}/voila/render/index.ipynb?token=office-token") == 200
    finally:
        process.terminate()
        process.wait(timeout=30)


def _kernels(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = []
    for child in children.read_text().split() if children.exists() else []:
        try:
            if b"ipykernel" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(int(child))
        except OSError:
            continue
    return found


def test_the_kernel_of_a_closed_page_is_culled(demo_database, browser):
    process, base = _serve(demo_database, cull_idle_seconds=3)
    try:
        _wait(lambda: _answers(base), "the server starting")
        context = browser.new_context()
        page = context.new_page()
        page.goto(app_url(base, "index.ipynb"), wait_until="commit")
        expect(page.locator(".cw-status")).to_be_attached(timeout=60_000)
        assert len(_kernels(process.pid)) == 1
        context.close()
        _wait(lambda: not _kernels(process.pid), "culling the closed page's kernel")
    finally:
        process.terminate()
        process.wait(timeout=30)
