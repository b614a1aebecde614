"""the notice read right: hardship members, preferential certificates, affairs agency,
retirees, loan and subsidy conditions, 15-digit ID numbers, the database's clock

Existing data is carried over: each hardship household's applicant becomes its first member
with the three answers given; each certificate typed on a ledger record becomes a certificate
record numbered in the order issued within its street and year.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 14:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _versioned(*columns):
    return (*columns, sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def _fk(column, table, name_table):
    return sa.ForeignKeyConstraint([column], [f'{table}.id'],
                                   name=op.f(f'fk_{name_table}_{column}_{table}'))


def upgrade() -> None:
    op.create_table(
        'app_setting',
        sa.Column('key', sa.String(60), nullable=False),
        sa.Column('value', sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_app_setting')))
    op.create_table(
        'hardship_member',
        *_versioned(
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('household_id', sa.Integer(), nullable=False),
            sa.Column('person_id', sa.Integer(), nullable=True),
            sa.Column('name', sa.String(60), nullable=False),
            sa.Column('relation', sa.String(20), nullable=False),
            sa.Column('sex', sa.String(1), nullable=False),
            sa.Column('birth_date', sa.Date(), nullable=False),
            sa.Column('female_cadre', sa.Boolean(), nullable=False),
            sa.Column('situation', sa.String(20), nullable=False),
            sa.Column('able_to_work', sa.Boolean(), nullable=False),
            sa.Column('willing', sa.Boolean(), nullable=False),
            sa.Column('accepts_any_job', sa.Boolean(), nullable=False),
            sa.Column('aid_targeted', sa.Boolean(), nullable=False),
            sa.Column('decision', sa.JSON(), nullable=False),
            sa.Column('policy_version', sa.String(40), nullable=False)),
        _fk('household_id', 'hardship_household', 'hardship_member'),
        _fk('person_id', 'person', 'hardship_member'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hardship_member')))
    op.create_index(op.f('ix_hardship_member_household_id'), 'hardship_member', ['household_id'])
    op.create_index(op.f('ix_hardship_member_person_id'), 'hardship_member', ['person_id'])
    op.create_table(
        'preferential_certificate',
        *_versioned(
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('person_id', sa.Integer(), nullable=False),
            sa.Column('street_id', sa.Integer(), nullable=False),
            sa.Column('year', sa.Integer(), nullable=False),
            sa.Column('serial', sa.Integer(), nullable=False),
            sa.Column('number', sa.String(40), nullable=False),
            sa.Column('issued_on', sa.Date(), nullable=False),
            sa.Column('issued_by', sa.Integer(), nullable=True),
            sa.Column('withdrawn_on', sa.Date(), nullable=True),
            sa.Column('withdrawal_reason', sa.String(30), nullable=True),
            sa.Column('withdrawal_remark', sa.Text(), nullable=True),
            sa.Column('lost_on', sa.Date(), nullable=True),
            sa.Column('replaces_id', sa.Integer(), nullable=True)),
        _fk('person_id', 'person', 'preferential_certificate'),
        sa.ForeignKeyConstraint(['street_id'], ['org_unit.id'],
                                name=op.f('fk_preferential_certificate_street_id_org_unit')),
        sa.ForeignKeyConstraint(['issued_by'], ['staff.id'],
                                name=op.f('fk_preferential_certificate_issued_by_staff')),
        _fk('replaces_id', 'preferential_certificate', 'preferential_certificate'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_preferential_certificate')),
        sa.UniqueConstraint('number', name=op.f('uq_preferential_certificate_number')),
        sa.UniqueConstraint('street_id', 'year', 'serial',
                            name='uq_preferential_certificate_street_year_serial'))
    op.create_index(op.f('ix_preferential_certificate_person_id'), 'preferential_certificate',
                    ['person_id'])
    op.create_index(op.f('ix_preferential_certificate_street_id'), 'preferential_certificate',
                    ['street_id'])
    op.create_table(
        'certificate_check',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('certificate_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('checked_on', sa.Date(), nullable=False),
        sa.Column('passed', sa.Boolean(), nullable=False),
        sa.Column('remark', sa.Text(), nullable=True),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        _fk('certificate_id', 'preferential_certificate', 'certificate_check'),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'],
                                name=op.f('fk_certificate_check_staff_id_staff')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_check')),
        sa.UniqueConstraint('certificate_id', 'year',
                            name='uq_certificate_check_certificate_year'))
    op.create_index(op.f('ix_certificate_check_certificate_id'), 'certificate_check',
                    ['certificate_id'])
    op.create_table(
        'personnel_file',
        *_versioned(
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('person_id', sa.Integer(), nullable=False),
            sa.Column('file_number', sa.String(40), nullable=False),
            sa.Column('holder_unit_id', sa.Integer(), nullable=False),
            sa.Column('opened_here', sa.Boolean(), nullable=False),
            sa.Column('received_on', sa.Date(), nullable=False),
            sa.Column('received_from', sa.String(100), nullable=True),
            sa.Column('released_on', sa.Date(), nullable=True),
            sa.Column('released_to', sa.String(100), nullable=True),
            sa.Column('annual_fee_yuan', sa.Integer(), nullable=False),
            sa.Column('remark', sa.Text(), nullable=True),
            sa.Column('created_by', sa.Integer(), nullable=True)),
        _fk('person_id', 'person', 'personnel_file'),
        sa.ForeignKeyConstraint(['holder_unit_id'], ['org_unit.id'],
                                name=op.f('fk_personnel_file_holder_unit_id_org_unit')),
        sa.ForeignKeyConstraint(['created_by'], ['staff.id'],
                                name=op.f('fk_personnel_file_created_by_staff')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_personnel_file')),
        sa.UniqueConstraint('file_number', name=op.f('uq_personnel_file_file_number')))
    op.create_index(op.f('ix_personnel_file_person_id'), 'personnel_file', ['person_id'])
    op.create_index(op.f('ix_personnel_file_holder_unit_id'), 'personnel_file',
                    ['holder_unit_id'])
    op.create_table(
        'insurance_continuation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('from_unit', sa.String(100), nullable=True),
        sa.Column('to_unit', sa.String(100), nullable=True),
        sa.Column('months_credited', sa.Integer(), nullable=True),
        sa.Column('continued_on', sa.Date(), nullable=False),
        sa.Column('fee_yuan', sa.Integer(), nullable=False),
        sa.Column('remark', sa.Text(), nullable=True),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        _fk('person_id', 'person', 'insurance_continuation'),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'],
                                name=op.f('fk_insurance_continuation_staff_id_staff')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_insurance_continuation')))
    op.create_index(op.f('ix_insurance_continuation_person_id'), 'insurance_continuation',
                    ['person_id'])
    op.create_table(
        'retiree_record',
        *_versioned(
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('person_id', sa.Integer(), nullable=False),
            sa.Column('former_employer', sa.String(100), nullable=False),
            sa.Column('retired_on', sa.Date(), nullable=True),
            sa.Column('pension_status', sa.String(20), nullable=False),
            sa.Column('pension_monthly', sa.Integer(), nullable=True),
            sa.Column('contact_name', sa.String(60), nullable=True),
            sa.Column('contact_phone', sa.String(30), nullable=True),
            sa.Column('services', sa.JSON(), nullable=False),
            sa.Column('remark', sa.Text(), nullable=True)),
        _fk('person_id', 'person', 'retiree_record'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_retiree_record')),
        sa.UniqueConstraint('person_id', name=op.f('uq_retiree_record_person_id')))

    _carry_over_applicants()
    _carry_over_certificates()

    with op.batch_alter_table('hardship_household') as batch:
        batch.add_column(sa.Column('household_size', sa.Integer(), nullable=False,
                                   server_default='1'))
        batch.add_column(sa.Column('household_income', sa.Integer(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('registration_remark', sa.Text(), nullable=True))
        batch.drop_column('able_to_work')
        batch.drop_column('willing')
        batch.drop_column('accepts_any_job')
    with op.batch_alter_table('person') as batch:
        batch.add_column(sa.Column('id_number_original', sa.String(15), nullable=True))
        batch.drop_constraint('fk_person_certificate_street_id_org_unit', type_='foreignkey')
        batch.drop_column('certificate_number')
        batch.drop_column('certificate_issued')
        batch.drop_column('certificate_street_id')
    with op.batch_alter_table('job_posting') as batch:
        batch.add_column(sa.Column('investor_new', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    with op.batch_alter_table('subsidy_claim') as batch:
        batch.add_column(sa.Column('recovery_flagged_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('recovery_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('loan') as batch:
        batch.add_column(sa.Column('project_kind', sa.String(30), nullable=True))
        batch.add_column(sa.Column('micro_profit', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column('certificate_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_loan_certificate_id_preferential_certificate',
                                 'preferential_certificate', ['certificate_id'], ['id'])


def _carry_over_applicants() -> None:
    op.execute("""
        INSERT INTO hardship_member (household_id, person_id, name, relation, sex, birth_date,
            female_cadre, situation, able_to_work, willing, accepts_any_job, aid_targeted,
            decision, policy_version, version)
        SELECT h.id, p.id, p.name, 'applicant', p.sex, p.birth_date, false,
            CASE WHEN p.category IN ('laid_off', 'unemployed', 'never_employed')
                 THEN p.category ELSE 'other' END,
            h.able_to_work, h.willing, h.accepts_any_job, h.eligible, h.decision,
            h.policy_version, 1
        FROM hardship_household h JOIN person p ON p.id = h.person_id""")


def _carry_over_certificates() -> None:
    op.execute("""
        INSERT INTO preferential_certificate (person_id, street_id, year, serial, number,
            issued_on, version)
        SELECT id, certificate_street_id, year, serial, certificate_number, certificate_issued, 1
        FROM (SELECT id, certificate_street_id, certificate_number, certificate_issued,
                     CAST(EXTRACT_YEAR AS INTEGER) AS year,
                     ROW_NUMBER() OVER (PARTITION BY certificate_street_id, EXTRACT_YEAR
                                        ORDER BY certificate_issued, id) AS serial
              FROM person WHERE certificate_number IS NOT NULL
                AND certificate_street_id IS NOT NULL AND certificate_issued IS NOT NULL) AS c
        """.replace("EXTRACT_YEAR", _year_of("certificate_issued")))


def _year_of(column: str) -> str:
    if op.get_bind().dialect.name == "sqlite":
        return f"strftime('%Y', {column})"
    return f"EXTRACT(YEAR FROM {column})"


def downgrade() -> None:
    with op.batch_alter_table('loan') as batch:
        batch.drop_constraint('fk_loan_certificate_id_preferential_certificate',
                              type_='foreignkey')
        batch.drop_column('certificate_id')
        batch.drop_column('micro_profit')
        batch.drop_column('project_kind')
    with op.batch_alter_table('subsidy_claim') as batch:
        batch.drop_column('recovery_reason')
        batch.drop_column('recovery_flagged_on')
    with op.batch_alter_table('job_posting') as batch:
        batch.drop_column('investor_new')
    with op.batch_alter_table('person') as batch:
        batch.add_column(sa.Column('certificate_number', sa.String(40), nullable=True))
        batch.add_column(sa.Column('certificate_issued', sa.Date(), nullable=True))
        batch.add_column(sa.Column('certificate_street_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_person_certificate_street_id_org_unit', 'org_unit',
                                 ['certificate_street_id'], ['id'])
        batch.drop_column('id_number_original')
    op.execute("""
        UPDATE person SET certificate_number = (SELECT number FROM preferential_certificate c
            WHERE c.person_id = person.id ORDER BY c.issued_on DESC LIMIT 1),
          certificate_issued = (SELECT issued_on FROM preferential_certificate c
            WHERE c.person_id = person.id ORDER BY c.issued_on DESC LIMIT 1),
          certificate_street_id = (SELECT street_id FROM preferential_certificate c
            WHERE c.person_id = person.id ORDER BY c.issued_on DESC LIMIT 1)""")
    with op.batch_alter_table('hardship_household') as batch:
        for name in ('able_to_work', 'willing', 'accepts_any_job'):
            batch.add_column(sa.Column(name, sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
        batch.drop_column('registration_remark')
        batch.drop_column('household_income')
        batch.drop_column('household_size')
    op.execute("""
        UPDATE hardship_household SET
          able_to_work = COALESCE((SELECT m.able_to_work FROM hardship_member m
              WHERE m.household_id = hardship_household.id AND m.relation = 'applicant'), false),
          willing = COALESCE((SELECT m.willing FROM hardship_member m
              WHERE m.household_id = hardship_household.id AND m.relation = 'applicant'), false),
          accepts_any_job = COALESCE((SELECT m.accepts_any_job FROM hardship_member m
              WHERE m.household_id = hardship_household.id AND m.relation = 'applicant'), false)""")
    for table in ('retiree_record', 'insurance_continuation', 'personnel_file',
                  'certificate_check', 'preferential_certificate', 'hardship_member',
                  'app_setting'):
        op.drop_table(table)
