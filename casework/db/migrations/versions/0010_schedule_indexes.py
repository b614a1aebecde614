"""covering indexes for the household list: last visit, next planned visit, members

The due and overdue list reads, per household, its last visit's date, the earliest next visit
planned on that day, and how many members it has and how many are targeted for aid. With these
indexes each is a seek in one index, not a sort of every visit in the street.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 20:10:00
"""

from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_home_visit_household_schedule", "home_visit",
                    ["household_id", "visit_date", "next_visit_date"])
    op.create_index("ix_hardship_member_household_targeted", "hardship_member",
                    ["household_id", "aid_targeted"])


def downgrade() -> None:
    op.drop_index("ix_hardship_member_household_targeted", table_name="hardship_member")
    op.drop_index("ix_home_visit_household_schedule", table_name="home_visit")
