"""boundaries: business hours, closures, reply policy, client rules

Revision ID: 0002_boundaries
Revises: 0001_initial
Create Date: 2026-11-23 19:27:32
"""
from alembic import op
import sqlalchemy as sa

# Frozen here: later changes to the models' defaults must not change what this upgrade wrote.
OFFICE_HOURS_JSON = ('{"mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]], "wed": [["09:00", "17:00"]], '
                     '"thu": [["09:00", "17:00"]], "fri": [["09:00", "17:00"]], "sat": [], "sun": []}')
REPLY_JSON = '{"target_hours": 24, "limit_hours": 48, "clock": "calendar"}'

revision = '0002_boundaries'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contact_boundaries',
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('rules_json', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_contact_boundaries_contact_id_contact'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contact_id', name=op.f('pk_contact_boundaries'))
    )
    with op.batch_alter_table('business_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subdivision', sa.String(length=10), server_default=sa.text("''"), nullable=False))
        batch_op.add_column(sa.Column('hours_json', sa.Text(), server_default=OFFICE_HOURS_JSON, nullable=False))
        batch_op.add_column(sa.Column('closures_json', sa.Text(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('public_holidays', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('reply_json', sa.Text(), server_default=REPLY_JSON, nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('business_profile', schema=None) as batch_op:
        batch_op.drop_column('reply_json')
        batch_op.drop_column('public_holidays')
        batch_op.drop_column('closures_json')
        batch_op.drop_column('hours_json')
        batch_op.drop_column('subdivision')
    op.drop_table('contact_boundaries')
