"""docs/deployment.md, run as written, as far as loopback allows: every block marked
``<!-- run -->`` runs in order (``<!-- run: background -->`` is the Hub, started and left
running); the blocks left out are only those that install packages or enable services."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.browser.hub import free_port, proxy_command
from tests.conftest import _pg_admin, require_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

DOC = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"
BLOCK = re.compile(r"(?:<!-- (run(?:: background)?) -->\n)?```bash\n(.*?)```", re.S)
# What a block that the test does not run may do: need root or the internet, or serve forever.
NOT_RUN = re.compile(r"^(apt-get|npm install -g|useradd|git clone|python3\.11 -m venv|\S+/pip "
                     r"install|cat > /etc/systemd|systemctl|casework serve)")


def blocks() -> list[tuple[str | None, str]]:
    return [(mark, body) for mark, body in BLOCK.findall(DOC.read_text("utf-8"))]


def test_the_blocks_the_test_leaves_out_only_install_or_enable_things():
    for mark, body in blocks():
        if mark is None:
            first_lines = [line for line in body.splitlines()
                           if line and not line.startswith((" ", "[", "Description", "After",
                                                            "Environment", "Working", "Exec",
                                                            "Restart", "Wanted", "EOF"))]
            assert all(NOT_RUN.match(line) for line in first_lines), first_lines


@pytest.fixture
def names():
    require_postgres()
    tag = uuid.uuid4().hex[:8]
    yield {"db": f"casework_doc_{tag}", "user": f"casework_doc_{tag}"}
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{"casework_doc_" + tag}" WITH (FORCE)')
        conn.execute(f'DROP ROLE IF EXISTS "{"casework_doc_" + tag}"')


def test_the_deployment_guide_runs_to_a_hub_that_answers(names, tmp_path):
    repo = DOC.parents[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASEWORK_", "JUPYTERHUB_"))}
    env.update({
        "CASEWORK_HOME": str(repo), "CASEWORK_ETC": str(tmp_path / "etc"),
        "CASEWORK_DB_NAME": names["db"], "CASEWORK_DB_USER": names["user"],
        "CASEWORK_DB_PASSWORD": "doc-test-password",
        "CASEWORK_HUB_URL": f"http://127.0.0.1:{free_port()}",
        "CASEWORK_HUB_API_URL": f"http://127.0.0.1:{free_port()}",
        "CASEWORK_PROXY_API_URL": f"http://127.0.0.1:{free_port()}",
        "CASEWORK_HUB_AUTH": "dummy", "CASEWORK_HUB_SPAWNER": "simple",
        "CASEWORK_CHP": proxy_command(),
    })
    run = [(mark, body) for mark, body in blocks() if mark]
    [background] = [i for i, (mark, _) in enumerate(run) if mark == "run: background"]
    settings = run[0][1]  # the variables every later step reads
    before = "set -euo pipefail\n" + "\n".join(body for _, body in run[:background])
    setup = subprocess.run(["bash", "-c", before], env=env, capture_output=True, text=True,
                           timeout=300)
    assert setup.returncode == 0, setup.stderr[-3000:]
    assert "city-admin" in setup.stdout and "example-worker" in setup.stdout

    log = (tmp_path / "hub.log").open("w")
    hub = subprocess.Popen(["bash", "-c", f"set -euo pipefail\n{settings}\n"
                            f"{run[background][1]}"], env=env, stdout=log,
                           stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for(f"{env['CASEWORK_HUB_URL']}/hub/api", hub, tmp_path / "hub.log")
        after = "set -euo pipefail\n" + settings + "\n" + "\n".join(
            body for _, body in run[background + 1:])
        check = subprocess.run(["bash", "-c", after], env=env, capture_output=True, text=True,
                               timeout=120)
        assert check.returncode == 0, check.stderr[-3000:]
        assert '"version"' in check.stdout
    finally:
        with contextlib.suppress(ProcessLookupError):  # it may have ended already
            os.killpg(hub.pid, signal.SIGTERM)
        hub.wait(timeout=30)
    hub_env = (tmp_path / "etc" / "hub.env").read_text()
    assert "doc-test-password" in hub_env  # the one place the password is written
    assert oct((tmp_path / "etc" / "hub.env").stat().st_mode & 0o777) == "0o600"


def _wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if process.poll() is not None:
                raise AssertionError(f"the Hub exited:\n{log.read_text()[-3000:]}") from None
            time.sleep(0.3)  # polling a starting server, not waiting on app behaviour
    raise AssertionError(f"the Hub did not answer within 90 s:\n{log.read_text()[-3000:]}")
