"""home visits record the employment status of each working-age member

The free text of employment_status becomes employment_note; employment_status is now a list of
{"member": ..., "status": ...}, one entry per working-age member.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("home_visit") as batch_op:
        batch_op.alter_column("employment_status", new_column_name="employment_note",
                              existing_type=sa.Text(), nullable=True)
    with op.batch_alter_table("home_visit") as batch_op:
        batch_op.add_column(sa.Column("employment_status", sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))


def downgrade() -> None:
    op.execute("UPDATE home_visit SET employment_note = '' WHERE employment_note IS NULL")
    with op.batch_alter_table("home_visit") as batch_op:
        batch_op.drop_column("employment_status")
    with op.batch_alter_table("home_visit") as batch_op:
        batch_op.alter_column("employment_note", new_column_name="employment_status",
                              existing_type=sa.Text(), nullable=False)
