"""Database: SQLAlchemy 2 models, engine and session factory, Alembic migrations."""
