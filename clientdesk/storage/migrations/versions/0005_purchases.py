"""services, agreements, purchases, out-of-scope requests and relationships ended by hand

Revision ID: 0005_purchases
Revises: 0004_email_lookup
Create Date: 2026-12-08 10:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0005_purchases'
down_revision = '0004_email_lookup'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200, collation='NOCASE'), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('price_minor', sa.Integer(), nullable=True),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service')),
    sa.UniqueConstraint('name', name=op.f('uq_service_name'))
    )

    op.create_table('agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('renews_on', sa.Date(), nullable=True),
    sa.Column('fee_minor', sa.Integer(), nullable=True),
    sa.Column('billing_period', sa.String(length=10), nullable=False),
    sa.Column('review_every_months', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("billing_period IN ('one_off', 'weekly', 'monthly', 'quarterly', 'yearly')",
                       name=op.f('ck_agreement_billing_period')),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_agreement_contact_id_contact'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement'))
    )
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_contact_id'), ['contact_id'], unique=False)

    op.create_table('agreement_service',
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_agreement_service_agreement_id_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_agreement_service_service_id_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('agreement_id', 'service_id', name=op.f('pk_agreement_service'))
    )

    op.create_table('purchase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('amount_minor', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_purchase_contact_id_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_purchase_service_id_service'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase'))
    )
    with op.batch_alter_table('purchase', schema=None) as batch_op:
        batch_op.create_index('ix_purchase_contact_id_on', ['contact_id', 'on'], unique=False)
        batch_op.create_index('ix_purchase_on', ['on'], unique=False)

    op.create_table('out_of_scope_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('asked', sa.Text(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('extra_charge_minor', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("decision IN ('declined', 'quoted', 'accepted')", name=op.f('ck_out_of_scope_request_decision')),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_out_of_scope_request_contact_id_contact'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_out_of_scope_request'))
    )
    with op.batch_alter_table('out_of_scope_request', schema=None) as batch_op:
        batch_op.create_index('ix_out_of_scope_request_contact_id_at', ['contact_id', 'at'], unique=False)

    op.create_table('contact_ended',
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_contact_ended_contact_id_contact'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contact_id', name=op.f('pk_contact_ended'))
    )


def downgrade() -> None:
    op.drop_table('contact_ended')
    op.drop_table('out_of_scope_request')
    op.drop_table('purchase')
    op.drop_table('agreement_service')
    op.drop_table('agreement')
    op.drop_table('service')
