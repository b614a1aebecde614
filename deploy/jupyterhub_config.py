"""JupyterHub for the casework apps: each staff member logs in and gets their own standalone
Voila server (casework.voila_server --hub) on the one shared database. See docs/deployment.md.

Everything site-specific comes from the Hub's environment:
  CASEWORK_DATABASE_URL   the shared PostgreSQL database (postgresql+psycopg://user:pw@host/db);
                          passed to the users' servers, never written in a notebook
  CASEWORK_HUB_URL        where the Hub listens (default http://127.0.0.1:8000)
  CASEWORK_HUB_API_URL, CASEWORK_PROXY_API_URL  internal addresses (defaults :8081 and :8001)
  CASEWORK_HUB_STATE      folder for the Hub's own database and cookie secret
  CASEWORK_HUB_AUTH       pam (default) | ldap | shared (one password, for trials) | dummy (tests)
  CASEWORK_HUB_PASSWORD   the password for "shared"
  CASEWORK_HUB_SPAWNER    localprocess (default: one OS account per user) | simple (tests only)
  CASEWORK_CHP            the configurable-http-proxy command, if it is not on PATH
  CASEWORK_LANG, CASEWORK_DATA_DIR, CASEWORK_EXTRACTS_DIR, CASEWORK_TODAY: passed on as given
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub's config loader provides it)

HERE = Path(__file__).resolve().parent
STATE = Path(os.environ.get("CASEWORK_HUB_STATE", HERE / "state"))
STATE.mkdir(parents=True, exist_ok=True)

c.JupyterHub.bind_url = os.environ.get("CASEWORK_HUB_URL", "http://127.0.0.1:8000")
# The Hub's own API and the proxy's API, for the users' servers and the Hub (not public).
c.JupyterHub.hub_bind_url = os.environ.get("CASEWORK_HUB_API_URL", "http://127.0.0.1:8081")
c.ConfigurableHTTPProxy.api_url = os.environ.get("CASEWORK_PROXY_API_URL", "http://127.0.0.1:8001")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
if os.environ.get("CASEWORK_CHP"):
    c.ConfigurableHTTPProxy.command = [os.environ["CASEWORK_CHP"]]

# --- Who may log in. The staff account of the same username decides what they may do; a
# login without an active staff account gets a "no staff account" page, nothing else.
auth = os.environ.get("CASEWORK_HUB_AUTH", "pam")
if auth == "pam":
    c.JupyterHub.authenticator_class = "pam"
elif auth == "ldap":  # pip install jupyterhub-ldapauthenticator; set LDAPAuthenticator.* below
    c.JupyterHub.authenticator_class = "ldapauthenticator.LDAPAuthenticator"
elif auth == "shared":
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ["CASEWORK_HUB_PASSWORD"]
elif auth == "dummy":
    c.JupyterHub.authenticator_class = "dummy"
else:
    raise ValueError(f"CASEWORK_HUB_AUTH must be pam, ldap, shared or dummy, not {auth!r}")
c.Authenticator.allow_all = True
# Hub administrators may not open staff members' servers.
c.JupyterHub.admin_access = False

# --- Each user's server: standalone Voila, behind the Hub's OAuth.
spawner = os.environ.get("CASEWORK_HUB_SPAWNER", "localprocess")
if spawner not in ("localprocess", "simple"):
    raise ValueError(f"CASEWORK_HUB_SPAWNER must be localprocess or simple, not {spawner!r}")
c.JupyterHub.spawner_class = spawner
c.Spawner.cmd = [sys.executable, "-m", "casework.voila_server", "--hub"]
c.Spawner.environment = {
    "CASEWORK_VOILA_CONFIG_DIR": str(HERE),  # voila.json: preheated kernels
    **{name: os.environ[name] for name in (
        "CASEWORK_DATABASE_URL", "CASEWORK_LANG", "CASEWORK_DATA_DIR", "CASEWORK_EXTRACTS_DIR",
        "CASEWORK_NOTEBOOKS_DIR", "CASEWORK_POLICY_FILE", "CASEWORK_TODAY")
       if name in os.environ},
}
if spawner == "simple":  # every user runs as the Hub's own account: for tests only
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "home" / "{username}")
c.Spawner.start_timeout = 60
c.Spawner.http_timeout = 60
# Memory per user (Voila and one or two kernels; see docs/deployment.md for sizing).
c.Spawner.mem_limit = os.environ.get("CASEWORK_HUB_MEM_LIMIT", "1G")

# --- Idle servers are stopped (kernels are culled by Voila itself: casework/voila_server.py).
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                f"--timeout={os.environ.get('CASEWORK_HUB_IDLE_SECONDS', '3600')}"],
}]
