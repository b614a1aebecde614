"""indexes on the parts of a name after its first character, for the pickers' given-name search

A picker that finds too few people whose name begins with what was typed looks for it inside
the name too. ``LIKE '%…%'`` reads every row of the ledger (about 200 ms at a million people);
the part of the name from its 2nd, 3rd and 4th character, indexed and compared as a range,
is a seek (see casework.db.name_parts). PostgreSQL compares them in the "C" collation.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 20:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

POSITIONS = (2, 3, 4)


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for k in POSITIONS:
        part = f'(substr(name, {k}) COLLATE "C")' if postgresql else f"substr(name, {k})"
        op.create_index(f"ix_person_name_from_{k}", "person", [sa.text(part)])


def downgrade() -> None:
    for k in POSITIONS:
        op.drop_index(f"ix_person_name_from_{k}", table_name="person")
