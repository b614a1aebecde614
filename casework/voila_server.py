"""Serving the apps with standalone Voila: for one office, or as one user's server behind
JupyterHub (``python -m casework.voila_server --hub``, the Spawner's command; deploy/).

Standalone Voila, not a Jupyter server with the Voila extension: it has no /lab, no terminals
and no code-running kernel API, and it passes only widget messages to a kernel. Behind the Hub it
authenticates every request and websocket with the Hub's own OAuth handlers (JupyterHub's
``JupyterHubIdentityProvider``), so no wrapper process stands in front of it.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

SHARE = Path(__file__).resolve().parent / "share"
TEMPLATE = "casework"  # the lab template, with its icon fonts served from here, not a CDN
# Kept away from kernels: the Hub's API token would let page code act as the user's server.
HUB_SECRETS = ("JUPYTERHUB_API_TOKEN", "JPY_API_TOKEN")
CULL_IDLE_SECONDS = 900  # a kernel whose page was closed goes after 15 minutes
CULL_INTERVAL_SECONDS = 60


def is_loopback(host: str) -> bool:
    """Whether ``host`` can be reached only from this computer."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def fontawesome_static() -> str:
    """The folder that holds ``fontawesomefree/css`` and its web fonts (the fontawesomefree
    package), served under ``voila/static/`` for the template's icons."""
    import fontawesomefree

    return str(Path(fontawesomefree.__file__).resolve().parent / "static")


def voila_arguments(*, notebooks: Path, port: int, host: str, token: str | None = None,
                    base_url: str = "/", show_tracebacks: bool = False,
                    cull_idle_seconds: int = CULL_IDLE_SECONDS,
                    cull_interval_seconds: int = CULL_INTERVAL_SECONDS) -> list[str]:
    """Voila's command line: our template, culled kernels, and no tracebacks for users."""
    return [
        str(notebooks), "--no-browser", f"--port={port}", f"--Voila.ip={host}",
        f"--Voila.base_url={base_url}", f"--Voila.server_url={base_url}",
        f"--template={TEMPLATE}", f"--show_tracebacks={show_tracebacks}",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_seconds}",
        f"--MappingKernelManager.cull_interval={cull_interval_seconds}",
        *([f"--Voila.token={token}"] if token else []),
    ]


def hub_arguments(notebooks: Path, config_dir: Path | None) -> list[str]:
    """The arguments for one user's server, from the environment the Spawner gives it."""
    service = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    prefix = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    args = voila_arguments(notebooks=notebooks, port=service.port or 8888,
                           host=service.hostname or "127.0.0.1", base_url=prefix)
    args.append("--Voila.identity_provider_class=casework.voila_server.HubIdentityProvider")
    if config_dir is not None:  # voila.json: preheated kernels
        args.append(f"--Voila.config_file_paths={config_dir}")
    return args


@cache
def _identity_provider_class():
    from jupyter_server.utils import url_path_join
    from jupyterhub.singleuser.extension import JupyterHubIdentityProvider

    class HubIdentityProvider(JupyterHubIdentityProvider):
        """The Hub's OAuth, with its callback and logout routes under this server's prefix
        (standalone Voila does not prefix an identity provider's routes itself)."""

        def get_handlers(self):
            return [(url_path_join(self.hub_auth.base_url, path), *rest)
                    for path, *rest in super().get_handlers()]

    return HubIdentityProvider


def __getattr__(name: str):
    # Imported lazily: jupyterhub is needed only behind the Hub.
    if name == "HubIdentityProvider":
        return _identity_provider_class()
    raise AttributeError(name)


@cache
def _app_class():
    from jupyter_server.utils import url_path_join
    from tornado.web import RedirectHandler
    from voila.app import Voila

    class CaseworkVoila(Voila):
        """Voila with the icon fonts served locally, the landing page at the root, and the Hub's
        secrets read once and then removed from the environment that kernels inherit."""

        def setup_template_dirs(self):
            super().setup_template_dirs()
            self.static_paths.append(fontawesome_static())

        def init_settings(self):
            # Taken out before anything starts a kernel (the preheated pool starts one as soon
            # as the kernel manager exists), then handed to the Hub's OAuth client only.
            secrets = [os.environ.pop(name) for name in HUB_SECRETS if name in os.environ]
            settings = super().init_settings()
            hub_auth = getattr(self.identity_provider, "hub_auth", None)
            if hub_auth is not None and secrets:
                hub_auth.api_token = secrets[0]
            return settings

        def init_handlers(self):
            landing = url_path_join(self.server_url, "voila/render/index.ipynb")
            return [(self.server_url, RedirectHandler, {"url": landing}),
                    *super().init_handlers()]

    return CaseworkVoila


def main(argv: list[str] | None = None) -> None:
    """``--hub``: one user's server behind JupyterHub; otherwise Voila's own arguments."""
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(SHARE), os.environ.get("JUPYTER_PATH", "")) if p)
    if argv[:1] == ["--hub"]:
        from casework import settings

        config_dir = os.environ.get("CASEWORK_VOILA_CONFIG_DIR")
        argv = hub_arguments(settings.notebooks_dir(), Path(config_dir) if config_dir else None)
    _app_class().launch_instance(argv)


if __name__ == "__main__":
    main()
