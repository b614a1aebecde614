"""JupyterHub on loopback, as deploy/ configures it: configurable-http-proxy from npm, a test
authenticator, the local-process spawner, one PostgreSQL database, and standalone Voila servers.

``HubSite`` starts the Hub with deploy/jupyterhub_config.py and only environment variables (as
docs/deployment.md does), and offers logins in separate browser contexts and raw websockets.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import CI

REPO = Path(__file__).resolve().parents[2]
HUB_CONFIG = REPO / "deploy" / "jupyterhub_config.py"
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


def proxy_command() -> str:
    """configurable-http-proxy: from CASEWORK_CHP, ``make install-test``'s copy, or PATH."""
    for candidate in (os.environ.get("CASEWORK_CHP"),
                      str(REPO / ".venv" / "chp" / "node_modules" / ".bin"
                          / "configurable-http-proxy"),
                      shutil.which("configurable-http-proxy")):
        if candidate and os.path.exists(candidate):
            return candidate
    message = "configurable-http-proxy is not installed (make install-test installs it from npm)"
    if CI:
        pytest.fail(message)
    pytest.skip(message)


# Below Linux's ephemeral range (32768-60999), from which kernels and every bind(0) take
# theirs: a port picked there was once taken by another test's kernel before the Hub's proxy
# bound it. Picked at random, so the two test workers do not pick the same one.
SERVICE_PORTS = range(20000, 32000)


def free_port() -> int:
    """A port of SERVICE_PORTS that is free now, for a server the test starts."""
    for port in random.sample(SERVICE_PORTS, 200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("No free port between 20000 and 32000")


def hub_environment(*, state: Path, database_url: str, ports: dict[str, int]) -> dict[str, str]:
    """The Hub's environment, exactly the variables docs/deployment.md sets."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CASEWORK_", "JUPYTERHUB_"))}
    env.update({
        "CASEWORK_DATABASE_URL": database_url,
        "CASEWORK_HUB_STATE": str(state),
        "CASEWORK_HUB_URL": f"http://127.0.0.1:{ports['public']}",
        "CASEWORK_HUB_API_URL": f"http://127.0.0.1:{ports['hub']}",
        "CASEWORK_PROXY_API_URL": f"http://127.0.0.1:{ports['proxy_api']}",
        "CASEWORK_HUB_AUTH": "dummy",  # any password: a test authenticator
        "CASEWORK_HUB_SPAWNER": "simple",  # every user as this account: tests only
        "CASEWORK_CHP": proxy_command(),
    })
    return env


@dataclass
class HubSite:
    base: str
    process: subprocess.Popen
    database_url: str
    log: Path

    def login(self, browser, username: str):
        """A new browser context signed in at the Hub as ``username``, on their landing page."""
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(90_000)
        page.goto(f"{self.base}/hub/login", wait_until="commit")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "any password")
        page.click("[type=submit]")
        page.wait_for_selector(".cw-status", state="attached")
        return context, page

    def user_url(self, username: str, path: str = "") -> str:
        return f"{self.base}/user/{username}/{path}"


def start_hub(tmp: Path, database_url: str) -> HubSite:
    ports = {name: free_port() for name in ("public", "hub", "proxy_api")}
    state = tmp / "hub-state"
    state.mkdir()
    log = tmp / "hub.log"
    env = hub_environment(state=state, database_url=database_url, ports=ports)
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(HUB_CONFIG)], cwd=state, env=env,
        stdout=log.open("w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{ports['public']}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/hub/api", timeout=2).close()
            return HubSite(base, process, database_url, log)
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited:\n{log.read_text()[-3000:]}") from None
            time.sleep(0.3)  # polling a starting server, not waiting on app behaviour
    process.terminate()
    raise RuntimeError(f"JupyterHub did not start within 90 s:\n{log.read_text()[-3000:]}")


def stop_hub(site: HubSite) -> None:
    site.process.terminate()
    try:
        site.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        site.process.kill()


def cookie_header(cookies: list[dict]) -> str:
    return "; ".join(f"{c['name']}={c['value']}" for c in cookies)


def shell_message(msg_type: str, content: dict) -> str:
    msg_id = uuid.uuid4().hex
    return json.dumps({
        "channel": "shell", "buffers": [], "metadata": {}, "parent_header": {},
        "content": content,
        "header": {"msg_id": msg_id, "msg_type": msg_type, "session": uuid.uuid4().hex,
                   "username": "test", "version": "5.3", "date": "2026-11-30T00:00:00Z"}})


def try_execute(url: str, *, cookies: str, origin: str, code: str) -> list[str]:
    """Send ``execute_request`` with ``code`` to a kernel's websocket, then a
    ``kernel_info_request`` as a fence (the kernel answers shell requests in order); returns
    the message types that came back before the fence's reply. Raises on a refused handshake."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    async def run() -> list[str]:
        request = HTTPRequest(url, headers={"Cookie": cookies, "Origin": origin})
        connection = await asyncio.wait_for(websocket_connect(request), 30)
        connection.write_message(shell_message("execute_request", {
            "code": code, "silent": False, "store_history": False, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True}))
        connection.write_message(shell_message("kernel_info_request", {}))
        seen = []
        while True:
            raw = await asyncio.wait_for(connection.read_message(), 60)
            if raw is None:
                raise ConnectionError("the kernel's websocket closed")
            kind = json.loads(raw)["header"]["msg_type"] if isinstance(raw, str) else "binary"
            if kind == "kernel_info_reply":
                connection.close()
                return seen
            seen.append(kind)

    # In a thread of its own: Playwright's sync API already runs an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()
