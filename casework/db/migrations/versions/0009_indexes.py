"""indexes for searching people by the beginning of a name, ID number or phone

The person pickers ask for LIKE 'typed%'. SQLite's LIKE ignores case, so its indexes use the
NOCASE collation; PostgreSQL's (C.UTF-8 here, any non-C collation) uses the pattern operator
class. Without them a search reads every row of the ledger.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 17:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

COLUMNS = ("name", "id_number", "id_number_original", "phone")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for column in COLUMNS:
            op.create_index(f"ix_person_{column}_nocase", "person",
                            [sa.text(f"{column} COLLATE NOCASE")])
    else:
        for column in COLUMNS:
            op.create_index(f"ix_person_{column}_pattern", "person", [column],
                            postgresql_ops={column: "text_pattern_ops"})


def downgrade() -> None:
    suffix = "nocase" if op.get_bind().dialect.name == "sqlite" else "pattern"
    for column in COLUMNS:
        op.drop_index(f"ix_person_{column}_{suffix}", table_name="person")
