"""The migrations and the models agree, and every migration can be undone and redone."""

from alembic import command
from sqlalchemy import inspect

from casework.db import engine as db_engine
from casework.db.migrate import alembic_config, upgrade


def test_the_models_need_no_migration_that_is_not_written(db_url):
    command.check(alembic_config(db_url))  # raises if autogenerate would add operations


def test_every_migration_downgrades_and_upgrades_again(db_url):
    command.downgrade(alembic_config(db_url), "base")
    tables_at_base = set(inspect(db_engine.get_engine(db_url)).get_table_names())
    upgrade(db_url)
    tables_at_head = set(inspect(db_engine.get_engine(db_url)).get_table_names())

    assert tables_at_base == {"alembic_version"}
    assert {"person", "hardship_household", "home_visit", "draft"} <= tables_at_head
