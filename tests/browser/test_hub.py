"""Many users through JupyterHub, end to end on loopback: the Hub with deploy/'s configuration,
configurable-http-proxy, a test authenticator, local-process servers running standalone Voila,
one PostgreSQL database and headless Chromium.

Two community workers of different communities of one street, and that street's officer, log in.
Who sees what is worked out here with SQL on the database, not by the services under test.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from casework.i18n import t
from casework.services import org, staff_admin
from casework.services.staff_admin import NewStaff
from casework.services.uow import UnitOfWork
from tests.browser.hub import KERNEL_ID, cookie_header, start_hub, stop_hub, try_execute
from tests.browser.test_admin import _add_unit as add_unit
from tests.browser.widgets import choose, type_text
from tests.conftest import _pg_admin, _pg_url
from tests.integration.test_hardship_services import register_person, registered_household

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.slow]

WORKER_A, WORKER_B, OFFICER = "demo-community-worker", "worker-b", "demo-street-officer"


@pytest.fixture(scope="module")
def database(pg_demo_template):
    """A copy of the small demo on PostgreSQL, with a second community worker in another
    community of the demo worker's street, and registered households in both communities."""
    name = f"casework_hub_{uuid.uuid4().hex[:10]}"
    with _pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_demo_template}"')
    url = _pg_url(name)
    uow = UnitOfWork(url=url)
    worker_a, officer = org.load_actor(uow, WORKER_A), org.load_actor(uow, OFFICER)
    assert worker_a.unit_path.startswith(officer.unit_path)
    community_b = next(u for u in org.units(officer, uow, level="community")
                       if u.id != worker_a.unit_id)
    org.create_staff(org.SYSTEM, uow, username=WORKER_B, display_name="worker B",
                     role="community_worker", unit_id=community_b.id)
    worker_b = org.load_actor(uow, WORKER_B)
    today = uow.today()
    for sequence, worker in ((401, worker_a), (402, worker_b), (403, worker_b)):
        registered_household(worker, officer, uow, sequence=sequence, registered_on=today)
    register_person(worker_b, uow, sequence=404, on=today)  # on B's ledger only
    yield url
    create_engine(url).dispose()
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def hub(database, tmp_path_factory):
    site = start_hub(tmp_path_factory.mktemp("hub"), database)
    yield site
    stop_hub(site)


def query(url: str, sql: str, **params) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def unit_path(url: str, username: str) -> str:
    [(path,)] = query(url, "SELECT u.path FROM staff s JOIN org_unit u ON u.id = s.unit_id "
                           "WHERE s.username = :u", u=username)
    return path


def households_under(url: str, path: str) -> set[int]:
    """Households registered (confirmed by the street, not exited) in communities under path."""
    return {row[0] for row in query(
        url, "SELECT h.id FROM hardship_household h JOIN org_unit u ON u.id = h.community_id "
             "WHERE u.path LIKE :p AND h.street_confirmed_at IS NOT NULL "
             "AND h.exited_on IS NULL", p=f"{path}%")}


def persons_under(url: str, path: str) -> int:
    [(count,)] = query(url, "SELECT count(*) FROM person p "
                            "JOIN org_unit u ON u.id = p.community_id "
                            "WHERE u.path LIKE :p", p=f"{path}%")
    return count


def shown_households(page) -> set[int]:
    rows = page.locator(".cw-household")
    expect(rows.first).to_be_attached()
    return {int(h) for h in rows.evaluate_all("rs => rs.map(r => r.dataset.household)")}


def test_each_worker_sees_exactly_their_own_households_and_the_officer_sees_both(
        hub, browser, database):
    path_a, path_b = unit_path(database, WORKER_A), unit_path(database, WORKER_B)
    own_a, own_b = households_under(database, path_a), households_under(database, path_b)
    assert own_a and len(own_b) == 2 and not own_a & own_b
    for username, expected, path in ((WORKER_A, own_a, path_a), (WORKER_B, own_b, path_b),
                                     (OFFICER, own_a | own_b, unit_path(database, OFFICER))):
        context, page = hub.login(browser, username)
        assert page.url.startswith(hub.user_url(username, "voila/render/index.ipynb"))
        status = page.locator(".cw-status")
        expect(status).to_contain_text(username)
        expect(status).to_contain_text(str(persons_under(database, path)))
        page.goto(hub.user_url(username, "voila/render/home_visits.ipynb"), wait_until="commit")
        shown = shown_households(page)
        if username == OFFICER:  # the officer's street holds other communities too
            assert expected <= shown == households_under(database, path)
        else:
            assert shown == expected
        context.close()


def test_the_acting_account_is_the_hub_login_whatever_the_page_asks(hub, browser):
    context, page = hub.login(browser, WORKER_B)
    page.goto(hub.user_url(WORKER_B, f"voila/render/index.ipynb?user={WORKER_A}"
                                      f"&CASEWORK_USER={WORKER_A}"), wait_until="commit")
    expect(page.locator(".cw-status")).to_contain_text(WORKER_B)
    expect(page.locator(".cw-status")).not_to_contain_text(WORKER_A)
    context.close()


def test_another_communitys_person_is_refused_and_the_refusal_audited(hub, browser, database):
    [(person_id,)] = query(database, "SELECT p.id FROM person p JOIN org_unit u "
                                     "ON u.id = p.community_id WHERE u.path = :p "
                                     "ORDER BY p.id LIMIT 1", p=unit_path(database, WORKER_B))
    context, page = hub.login(browser, WORKER_A)
    page.goto(hub.user_url(WORKER_A, f"voila/render/ledger.ipynb?person={person_id}"),
              wait_until="commit")
    expect(page.locator(".cw-person-detail .cw-refused")).to_be_attached()
    context.close()
    denied = query(database, "SELECT action FROM audit_log WHERE username = :u AND "
                             "outcome = 'denied' AND entity = 'person' AND entity_id = :e",
                   u=WORKER_A, e=str(person_id))
    assert denied == [("read_person",)]


def test_a_browser_without_a_login_is_sent_to_the_login_page(hub, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(hub.user_url(WORKER_A, "voila/render/index.ipynb"))
    assert re.search(r"/hub/login", page.url)
    expect(page.locator("input[name=username]")).to_be_visible()
    context.close()


def test_an_account_the_staff_table_does_not_know_gets_a_plain_no_account_page(hub, browser):
    context, page = hub.login(browser, "nobody-here")
    expect(page.locator(".cw-status")).to_contain_text(
        t("hub.no_staff_account", "zh", user="nobody-here"))
    expect(page.locator(".cw-app-ledger")).to_have_count(0)  # public pages only, if any
    context.close()


def test_a_deactivated_account_gets_the_no_account_page_at_its_next_page(hub, browser, database):
    uow = UnitOfWork(url=database)
    staff_admin.add_staff(org.SYSTEM, uow, NewStaff(
        username="leaving-worker", display_name="leaving", role="community_worker",
        unit_id=org.load_actor(uow, WORKER_A).unit_id))
    context, page = hub.login(browser, "leaving-worker")
    expect(page.locator(".cw-status")).to_contain_text("leaving-worker")
    expect(page.locator(".cw-app-ledger")).to_have_count(1)
    staff_admin.set_active(org.load_actor(uow, "demo-admin"), uow, username="leaving-worker",
                           active=False)
    page.goto(hub.user_url("leaving-worker", "voila/render/ledger.ipynb"), wait_until="commit")
    expect(page.locator("body")).to_contain_text(
        t("hub.no_staff_account", "zh", user="leaving-worker"))
    expect(page.locator(".cw-ledger")).to_have_count(0)
    context.close()


def _status(url: str, *, method: str = "GET", cookies: str = "") -> int:
    request = urllib.request.Request(url, method=method, headers={"Cookie": cookies},
                                     data=b"{}" if method == "POST" else None)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_a_caseworker_gets_no_lab_no_terminal_and_no_way_to_run_code(hub, browser, tmp_path):
    context, page = hub.login(browser, WORKER_A)
    cookies = cookie_header(context.cookies())
    for path, method in (("lab", "GET"), ("tree", "GET"), ("terminals/1", "GET"),
                         ("api/terminals", "POST"), ("api/kernels", "POST"),
                         ("api/contents", "GET"), ("api/sessions", "POST")):
        assert _status(hub.user_url(WORKER_A, path), method=method, cookies=cookies) in (
            403, 404, 405), path
    kernel_id = KERNEL_ID.search(page.content()).group(1)
    marker = tmp_path / "ran.txt"
    seen = try_execute(
        f"ws://{hub.base.removeprefix('http://')}/user/{WORKER_A}/api/kernels/{kernel_id}"
        "/channels", cookies=cookies, origin=hub.base,
        code=f"open({str(marker)!r}, 'w').write('ran'); print('ran')")
    assert "execute_reply" not in seen and "stream" not in seen and "execute_input" not in seen
    assert not marker.exists()
    context.close()


def test_a_kernel_websocket_needs_its_own_users_hub_login(hub, browser):
    context, page = hub.login(browser, WORKER_A)
    kernel_id = KERNEL_ID.search(page.content()).group(1)
    other, _ = hub.login(browser, WORKER_B)
    url = (f"ws://{hub.base.removeprefix('http://')}/user/{WORKER_A}/api/kernels/{kernel_id}"
           "/channels")
    for cookies in ("", cookie_header(other.cookies())):
        with pytest.raises(Exception) as refused:
            try_execute(url, cookies=cookies, origin=hub.base, code="1")
        assert "403" in str(refused.value) or "302" in str(refused.value)
    context.close()
    other.close()


def test_kernels_do_not_inherit_the_hubs_api_token(hub, browser):
    context, _ = hub.login(browser, WORKER_A)
    kernels = [env for env in _process_environments()
               if env.get("JUPYTERHUB_USER") == WORKER_A and env.get("_cmd", "").find(
                   "ipykernel") >= 0]
    assert kernels, "no kernel of the user's server was found"
    for env in kernels:
        assert "JUPYTERHUB_API_TOKEN" not in env and "JPY_API_TOKEN" not in env
        assert env["CASEWORK_DATABASE_URL"] == hub.database_url
    context.close()


def _process_environments() -> list[dict[str, str]]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            raw = (proc / "environ").read_bytes()
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        env = dict(item.split("=", 1) for item in raw.decode(errors="replace").split("\0")
                   if "=" in item)
        env["_cmd"] = cmd
        found.append(env)
    return found


def test_an_admin_opens_a_community_and_a_worker_who_logs_in_to_find_it_empty(
        hub, browser, database):
    context, page = hub.login(browser, "demo-admin")
    page.goto(hub.user_url("demo-admin", "voila/render/administration.ipynb?lang=en"),
              wait_until="commit")
    street = add_unit(page, "320706", "登录测试街道", "Login Test Street")
    community = add_unit(page, street, "登录测试社区", "Login Test Community")
    form = page.locator(".cw-form-create")
    type_text(form.locator(".cw-field-username input"), "hub-new-worker")
    type_text(form.locator(".cw-field-display_name input"), "新社工")
    choose(form.locator(".cw-field-role select"), lambda label: label == "community worker")
    choose(form.locator(".cw-field-unit select"), lambda label: label.endswith(f"({community})"))
    form.locator(".cw-action-create-staff").click()
    expect(form.locator(".cw-status .cw-status-ok")).to_contain_text("hub-new-worker")
    context.close()

    context, page = hub.login(browser, "hub-new-worker")
    status = page.locator(".cw-status")
    expect(status).to_contain_text("hub-new-worker")
    expect(status).to_contain_text("登录测试社区")
    assert persons_under(database, unit_path(database, "hub-new-worker")) == 0
    expect(status).to_contain_text(t("app.persons_in_scope", "zh", count=0))
    page.goto(hub.user_url("hub-new-worker", "voila/render/home_visits.ipynb"),
              wait_until="commit")
    expect(page.locator(".cw-home-visits")).to_contain_text("hub-new-worker")
    expect(page.locator(".cw-home-visits .cw-household")).to_have_count(0)
    context.close()
