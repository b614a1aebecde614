"""Alembic environment: the URL comes from the Config set up by casework.db.migrate."""

from alembic import context

from casework.db.engine import get_engine
from casework.db.models import Base

config = context.config


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
