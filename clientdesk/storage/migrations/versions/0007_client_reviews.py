"""client reviews produced: period, when, file name and hash

Revision ID: 0007_client_reviews
Revises: 0006_lifecycle
Create Date: 2026-12-02 10:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0007_client_reviews'
down_revision = '0006_lifecycle'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('client_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('produced_at', sa.DateTime(), nullable=False),
    sa.Column('file_name', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.CheckConstraint('period_to >= period_from', name=op.f('ck_client_review_period')),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_client_review_contact_id_contact'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_review'))
    )
    with op.batch_alter_table('client_review', schema=None) as batch_op:
        batch_op.create_index('ix_client_review_contact_id_produced_at', ['contact_id', 'produced_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('client_review', schema=None) as batch_op:
        batch_op.drop_index('ix_client_review_contact_id_produced_at')
    op.drop_table('client_review')
