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


def acting_username() -> str | None:
    return os.environ.get("CASEWORK_USER") or None
