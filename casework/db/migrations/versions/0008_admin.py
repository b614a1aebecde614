"""administration: closing units, and whom and where each audit entry concerns

org_unit.closed_on marks a closed street or community (its history stays). audit_log gains
person_id and unit_path, which casework.services.audit fills from now on; existing entries get
them here: the person of an entry about a person, with the path of their community; the path of
a unit for an entry about a unit or a staff account; otherwise the acting account's home unit.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('org_unit') as batch:
        batch.add_column(sa.Column('closed_on', sa.Date(), nullable=True))
    with op.batch_alter_table('audit_log') as batch:
        batch.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('unit_path', sa.String(200), nullable=True))
    op.create_index(op.f('ix_audit_log_person_id'), 'audit_log', ['person_id'])
    op.create_index(op.f('ix_audit_log_unit_path'), 'audit_log', ['unit_path'])
    _fill_existing_entries()


def _fill_existing_entries() -> None:
    # Compared as text: an entity_id is text, and a refused attempt may name no number at all.
    op.execute("""
        UPDATE audit_log SET person_id = (SELECT p.id FROM person p
            WHERE CAST(p.id AS VARCHAR(40)) = audit_log.entity_id)
        WHERE entity = 'person'""")
    op.execute("""
        UPDATE audit_log SET unit_path = (SELECT u.path FROM person p
            JOIN org_unit u ON u.id = p.community_id WHERE p.id = audit_log.person_id)
        WHERE person_id IS NOT NULL""")
    op.execute("""
        UPDATE audit_log SET unit_path = (SELECT u.path FROM org_unit u
            WHERE CAST(u.id AS VARCHAR(40)) = audit_log.entity_id)
        WHERE entity = 'org_unit' AND unit_path IS NULL""")
    op.execute("""
        UPDATE audit_log SET unit_path = (SELECT u.path FROM staff s
            JOIN org_unit u ON u.id = s.unit_id
            WHERE CAST(s.id AS VARCHAR(40)) = audit_log.entity_id)
        WHERE entity = 'staff' AND unit_path IS NULL""")
    op.execute("""
        UPDATE audit_log SET unit_path = (SELECT u.path FROM staff s
            JOIN org_unit u ON u.id = s.unit_id WHERE s.id = audit_log.staff_id)
        WHERE unit_path IS NULL AND staff_id IS NOT NULL""")


def downgrade() -> None:
    op.drop_index(op.f('ix_audit_log_unit_path'), table_name='audit_log')
    op.drop_index(op.f('ix_audit_log_person_id'), table_name='audit_log')
    with op.batch_alter_table('audit_log') as batch:
        batch.drop_column('unit_path')
        batch.drop_column('person_id')
    with op.batch_alter_table('org_unit') as batch:
        batch.drop_column('closed_on')
