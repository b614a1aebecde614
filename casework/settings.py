"""Settings from the environment; the defaults work on a fresh checkout."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LANG = "zh"
DEFAULT_SERVE_USER = "demo-city-officer"


def data_dir() -> Path:
    """Where data/ lives: resolved from the package, never from the working directory."""
    return Path(os.environ.get("CASEWORK_DATA_DIR", REPO_ROOT / "data"))


def extracts_dir() -> Path:
    """The folder under which the evaluation pages' ``?extract=NAME`` may name an extract."""
    return Path(os.environ.get("CASEWORK_EXTRACTS_DIR", data_dir() / "extracts"))


def notebooks_dir() -> Path:
    return Path(os.environ.get("CASEWORK_NOTEBOOKS_DIR", REPO_ROOT / "notebooks"))


def database_url() -> str:
    url = os.environ.get("CASEWORK_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_dir() / 'casework.db'}"


def policy_path() -> Path:
    return Path(os.environ.get("CASEWORK_POLICY_FILE", data_dir() / "policy.toml"))


def language() -> str:
    lang = os.environ.get("CASEWORK_LANG", DEFAULT_LANG)
    return lang if lang in ("zh", "en") else DEFAULT_LANG


def hub_user() -> str | None:
    """The JupyterHub user this server was spawned for; set only behind the Hub."""
    return os.environ.get("JUPYTERHUB_USER") or None


def acting_username() -> str | None:
    """Behind JupyterHub the acting account is the Hub's login, and ``CASEWORK_USER`` cannot
    change it; elsewhere (one office's ``casework serve``, the command line) it names it."""
    return hub_user() or os.environ.get("CASEWORK_USER") or None
