"""Run Alembic migrations from code: used by ``casework init``, ``make serve`` and the tests."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.exc import OperationalError

from casework import settings
from casework.db.engine import display_url, normalise_url
from casework.errors import DatabaseUnavailable

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(url or settings.database_url()))
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the database to ``revision``; raises DatabaseUnavailable if it cannot be reached."""
    try:
        command.upgrade(alembic_config(url), revision)
    except OperationalError as exc:
        raise DatabaseUnavailable(url=display_url(url), detail=str(exc.orig)) from exc
