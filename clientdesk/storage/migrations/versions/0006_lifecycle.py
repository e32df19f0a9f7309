"""running totals per contact, stage history, the list's stage column, and the trailing-year index

Revision ID: 0006_lifecycle
Revises: 0005_purchases
Create Date: 2026-12-02 09:00:00

The totals are kept by triggers, so every way a purchase or an interaction is written (a form, the quick
log, an import, the demo, an undo) keeps them right. The same triggers mark the contact in stage_pending;
the stage history itself is worked out in Python (storage/lifecycle.py) from the domain's rules, on the
next write transaction's commit (the marks set here leave every existing contact to be settled once).
"""
from alembic import op
import sqlalchemy as sa

revision = '0006_lifecycle'
down_revision = '0005_purchases'
branch_labels = None
depends_on = None

_PURCHASE_TOTALS = """
    (purchase_count, first_purchase_on, last_purchase_on, net_minor) = (
        SELECT count(CASE WHEN amount_minor > 0 THEN 1 END), min(CASE WHEN amount_minor > 0 THEN "on" END),
               max(CASE WHEN amount_minor > 0 THEN "on" END), coalesce(sum(amount_minor), 0)
        FROM purchase WHERE purchase.contact_id = contact_activity.contact_id)"""
_LAST_INTERACTION = """
    last_interaction_at = (SELECT max(at) FROM interaction WHERE interaction.contact_id = contact_activity.contact_id)"""

TRIGGERS = [
    # A new purchase adds to the totals without reading the contact's other purchases.
    """CREATE TRIGGER tr_purchase_insert_activity AFTER INSERT ON purchase BEGIN
        INSERT INTO contact_activity (contact_id, purchase_count, first_purchase_on, last_purchase_on, net_minor)
        VALUES (NEW.contact_id, NEW.amount_minor > 0, CASE WHEN NEW.amount_minor > 0 THEN NEW."on" END,
                CASE WHEN NEW.amount_minor > 0 THEN NEW."on" END, NEW.amount_minor)
        ON CONFLICT (contact_id) DO UPDATE SET
            purchase_count = purchase_count + excluded.purchase_count,
            first_purchase_on = coalesce(min(first_purchase_on, excluded.first_purchase_on), first_purchase_on,
                                         excluded.first_purchase_on),
            last_purchase_on = coalesce(max(last_purchase_on, excluded.last_purchase_on), last_purchase_on,
                                        excluded.last_purchase_on),
            net_minor = net_minor + excluded.net_minor;
        INSERT OR IGNORE INTO stage_pending (contact_id) VALUES (NEW.contact_id);
    END""",
    # UPDATE, never INSERT, on the way out: when a deleted contact's purchases go with it, its totals row
    # has gone already and must not come back.
    f"""CREATE TRIGGER tr_purchase_delete_activity AFTER DELETE ON purchase BEGIN
        UPDATE contact_activity SET {_PURCHASE_TOTALS} WHERE contact_id = OLD.contact_id;
        INSERT OR IGNORE INTO stage_pending (contact_id) VALUES (OLD.contact_id);
    END""",
    f"""CREATE TRIGGER tr_purchase_update_activity AFTER UPDATE OF contact_id, "on", amount_minor ON purchase BEGIN
        INSERT OR IGNORE INTO contact_activity (contact_id) VALUES (NEW.contact_id);
        UPDATE contact_activity SET {_PURCHASE_TOTALS} WHERE contact_id IN (OLD.contact_id, NEW.contact_id);
        INSERT OR IGNORE INTO stage_pending (contact_id) VALUES (OLD.contact_id), (NEW.contact_id);
    END""",
    """CREATE TRIGGER tr_interaction_insert_activity AFTER INSERT ON interaction BEGIN
        INSERT INTO contact_activity (contact_id, last_interaction_at) VALUES (NEW.contact_id, NEW.at)
        ON CONFLICT (contact_id) DO UPDATE SET
            last_interaction_at = coalesce(max(last_interaction_at, excluded.last_interaction_at),
                                           excluded.last_interaction_at);
        INSERT OR IGNORE INTO stage_pending (contact_id) VALUES (NEW.contact_id);
    END""",
    f"""CREATE TRIGGER tr_interaction_delete_activity AFTER DELETE ON interaction BEGIN
        UPDATE contact_activity SET {_LAST_INTERACTION} WHERE contact_id = OLD.contact_id;
        INSERT OR IGNORE INTO stage_pending (contact_id) VALUES (OLD.contact_id);
    END""",
    f"""CREATE TRIGGER tr_interaction_update_activity AFTER UPDATE OF contact_id, at ON interaction BEGIN
        INSERT OR IGNORE INTO contact_activity (contact_id) VALUES (NEW.contact_id);
        UPDATE contact_activity SET {_LAST_INTERACTION} WHERE contact_id IN (OLD.contact_id, NEW.contact_id);
        INSERT OR IGNORE INTO stage_pending (contact_id) VALUES (OLD.contact_id), (NEW.contact_id);
    END""",
]
for _table in ("agreement", "contact_ended"):
    TRIGGERS += [
        f"""CREATE TRIGGER tr_{_table}_insert_stage AFTER INSERT ON {_table} BEGIN
            INSERT OR IGNORE INTO stage_pending (contact_id) VALUES (NEW.contact_id);
        END""",
        f"""CREATE TRIGGER tr_{_table}_delete_stage AFTER DELETE ON {_table} BEGIN
            INSERT OR IGNORE INTO stage_pending (contact_id) VALUES (OLD.contact_id);
        END""",
        f"""CREATE TRIGGER tr_{_table}_update_stage AFTER UPDATE ON {_table} BEGIN
            INSERT OR IGNORE INTO stage_pending (contact_id) VALUES (OLD.contact_id), (NEW.contact_id);
        END""",
    ]
TRIGGER_NAMES = [statement.split()[2] for statement in TRIGGERS]


def upgrade() -> None:
    op.create_table('contact_activity',
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('purchase_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('first_purchase_on', sa.Date(), nullable=True),
    sa.Column('last_purchase_on', sa.Date(), nullable=True),
    sa.Column('net_minor', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_interaction_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_contact_activity_contact_id_contact'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contact_id', name=op.f('pk_contact_activity'))
    )
    with op.batch_alter_table('contact_activity', schema=None) as batch_op:
        batch_op.create_index('ix_contact_activity_last_interaction_at', ['last_interaction_at'], unique=False)

    op.create_table('stage_change',
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.CheckConstraint("stage IN ('prospect', 'customer', 'client', 'lapsed', 'former')", name=op.f('ck_stage_change_stage')),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_stage_change_contact_id_contact'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contact_id', 'on', name=op.f('pk_stage_change'))
    )
    with op.batch_alter_table('stage_change', schema=None) as batch_op:
        batch_op.create_index('ix_stage_change_on', ['on'], unique=False)

    op.create_table('stage_pending',
    sa.Column('contact_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('contact_id', name=op.f('pk_stage_pending'))
    )
    op.create_table('lifecycle_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stages_on', sa.Date(), nullable=True),
    sa.CheckConstraint('id = 1', name=op.f('ck_lifecycle_state_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lifecycle_state'))
    )
    op.execute("INSERT INTO lifecycle_state (id, stages_on) VALUES (1, NULL)")

    # A plain ADD COLUMN (no table rebuild): SQLite allows a CHECK on an added column.
    op.execute("ALTER TABLE contact ADD COLUMN list_stage VARCHAR(10) DEFAULT 'prospect' NOT NULL "
               "CONSTRAINT ck_contact_list_stage CHECK (list_stage IN ('prospect', 'customer', 'client', 'lapsed', 'former'))")
    op.create_index('ix_contact_list_stage_sort_name_id', 'contact', ['list_stage', 'sort_name', 'id'], unique=False)
    op.create_index('ix_contact_list_stage_id', 'contact', ['list_stage', 'id'], unique=False)

    op.add_column('business_profile', sa.Column('retention_json', sa.Text(), server_default='{}', nullable=False))

    op.drop_index('ix_purchase_on', table_name='purchase')
    op.create_index('ix_purchase_on_contact_id_amount_minor', 'purchase', ['on', 'contact_id', 'amount_minor'],
                    unique=False)

    op.execute(f"""INSERT INTO contact_activity (contact_id, purchase_count, first_purchase_on, last_purchase_on, net_minor)
        SELECT contact_id, count(CASE WHEN amount_minor > 0 THEN 1 END), min(CASE WHEN amount_minor > 0 THEN "on" END),
               max(CASE WHEN amount_minor > 0 THEN "on" END), sum(amount_minor)
        FROM purchase GROUP BY contact_id""")
    op.execute("""INSERT INTO contact_activity (contact_id, last_interaction_at)
        SELECT contact_id, max(at) FROM interaction WHERE true GROUP BY contact_id
        ON CONFLICT (contact_id) DO UPDATE SET last_interaction_at = excluded.last_interaction_at""")
    op.execute("INSERT INTO stage_pending (contact_id) SELECT id FROM contact")
    for statement in TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for name in reversed(TRIGGER_NAMES):
        op.execute(f"DROP TRIGGER {name}")
    op.drop_index('ix_purchase_on_contact_id_amount_minor', table_name='purchase')
    op.create_index('ix_purchase_on', 'purchase', ['on'], unique=False)
    with op.batch_alter_table('business_profile', schema=None) as batch_op:
        batch_op.drop_column('retention_json')
    op.drop_index('ix_contact_list_stage_id', table_name='contact')
    op.drop_index('ix_contact_list_stage_sort_name_id', table_name='contact')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_column('list_stage')
    op.drop_table('lifecycle_state')
    op.drop_table('stage_pending')
    op.drop_table('stage_change')
    op.drop_table('contact_activity')
