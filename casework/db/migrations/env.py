"""Alembic environment: the URL comes from the Config set up by casework.db.migrate."""

from alembic import context

from casework.db.engine import get_engine
from casework.db.models import Base
from casework.db.name_parts import INDEXES as NAME_PART_INDEXES

config = context.config


def _made_here(dialect: str):
    """Autogenerate compares only what this database would create: an index declared for
    another database (``Index.ddl_if(dialect=...)``, migration 0009) is neither expected
    nor dropped here.

    PostgreSQL reflects the name-part indexes (migration 0011) without their ``COLLATE "C"``,
    so autogenerate would always see them as changed; they are left out of its comparison
    there, and tests/integration/test_person_search.py checks them on PostgreSQL instead."""
    def include(obj, name, type_, reflected, compare_to) -> bool:
        if type_ == "index" and dialect == "postgresql" and name in NAME_PART_INDEXES:
            return False
        ddl_if = getattr(obj, "_ddl_if", None)
        if type_ == "index" and ddl_if is not None and ddl_if.dialect is not None:
            return ddl_if.dialect == dialect
        return True
    return include


def run_migrations_online() -> None:
    engine = get_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by copy, drop and rename; with foreign keys enforced
            # the drop fails while other tables' rows refer to it. SQLite ignores this pragma
            # inside a transaction, so it is set before the migrations' transaction begins,
            # and the keys are checked once they have run. The driver itself runs it: through
            # SQLAlchemy it would first begin a transaction (see casework.db.engine).
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
            include_object=_made_here(connection.dialect.name),
        )
        try:
            with context.begin_transaction():
                context.run_migrations()
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("The migration left rows whose foreign keys point "
                                       "nowhere.")
        finally:
            if sqlite:
                connection.rollback()
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


run_migrations_online()
