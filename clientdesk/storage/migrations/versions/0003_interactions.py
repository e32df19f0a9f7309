"""interactions and inquiries

Revision ID: 0003_interactions
Revises: 0002_boundaries
Create Date: 2026-11-23 20:05:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0003_interactions'
down_revision = '0002_boundaries'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('interaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('logged_by', sa.String(length=100), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=False),
    sa.Column('request_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_interaction_contact_id_contact'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interaction')),
    sa.UniqueConstraint('request_key', name=op.f('uq_interaction_request_key')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.create_index('ix_interaction_contact_id_at', ['contact_id', 'at'], unique=False)
        batch_op.create_index('ix_interaction_at', ['at'], unique=False)

    op.create_table('inquiry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('received', sa.DateTime(), nullable=False),
    sa.Column('target_at', sa.DateTime(), nullable=True),
    sa.Column('limit_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('close_reason', sa.Text(), nullable=False),
    sa.Column('opened_by_interaction_id', sa.Integer(), nullable=True),
    sa.Column('answered_by_interaction_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'answered', 'closed')", name=op.f('ck_inquiry_status')),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_inquiry_contact_id_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opened_by_interaction_id'], ['interaction.id'], name=op.f('fk_inquiry_opened_by_interaction_id_interaction'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['answered_by_interaction_id'], ['interaction.id'], name=op.f('fk_inquiry_answered_by_interaction_id_interaction'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.create_index('ix_inquiry_status_limit_at', ['status', 'limit_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_inquiry_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inquiry_opened_by_interaction_id'), ['opened_by_interaction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inquiry_answered_by_interaction_id'), ['answered_by_interaction_id'], unique=False)


def downgrade() -> None:
    op.drop_table('inquiry')
    op.drop_table('interaction')
