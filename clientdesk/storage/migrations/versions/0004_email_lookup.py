"""emails looked up without case

Revision ID: 0004_email_lookup
Revises: 0003_interactions
Create Date: 2026-12-01 23:10:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0004_email_lookup'
down_revision = '0003_interactions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contact_email', schema=None) as batch_op:
        batch_op.create_index('ix_contact_email_lower_address', [sa.text('lower(address)')], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('contact_email', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_email_lower_address')
