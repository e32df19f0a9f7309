"""reminders, their handling, stay-in-touch cadences, plan reviews' state, the reminder settings, and the
birthday and first-purchase indexes

Revision ID: 0008_reminders
Revises: 0007_client_reviews
Create Date: 2026-12-09 09:00:00

The agenda must read only what can fall due in its window, through indexes. Two dates are kept for it by
triggers, so every way the facts change (a call logged, a tag added, a cadence set, a client review recorded,
a review skipped) keeps them right without a scan:

- cadence_round.round_on: when a contact covered by a cadence is next due, from contact_activity's last
  interaction (itself kept by triggers since 0006), the last skipped round and the covering cadences
  (the contact's own and its tags'). Dates here are UTC dates, so the agenda reads one day further and
  the engine decides exactly. Beside it, everything the engine needs of the round, so the agenda reads each
  due contact from this one row and the small cadence table: the cadence that sets the round
  (cadence_id: the earliest round, then the shortest cadence, then the lowest id — the same choice as the
  engine's next_round, which no time zone can change, since every cadence of a contact counts from the same
  last contact), the last contact's instant (last_contact_at) and the contact's name (contact_name, kept
  by a trigger on contact too), with the cadence's every_days, starts_on and channel copied by a trigger on
  cadence_id; an index on round_on covers all of them. Reminders keep their contact's name (contact_name) the
  same way.
- agreement_review.due_on: an agreement's next plan review, from its start, the contact's latest client
  review and the last skipped review, by SQLite's month arithmetic (which puts 31 January + 1 month on
  3 March, a few days after the calendar's 28 February: the agenda reads a few days further), with the agreement's
  ends_on copied beside it, so the index leaves out the agreements that have ended.

Other triggers forget a snooze whose item has gone by itself: a cadence round once the contact is logged
again, a reply-by deadline once its inquiry is answered or closed, a thank-you whose purchase is deleted, a
plan review once a client review is recorded.
"""
from alembic import op
import sqlalchemy as sa

revision = '0008_reminders'
down_revision = '0007_client_reviews'
branch_labels = None
depends_on = None

# The date a contact's next round falls due (NULL when no cadence covers it), for the cadence_round row being
# updated: the earliest over its cadences of (the later of the last contact's date, or the cadence's start
# when never contacted, and the last skipped round) + every_days.
ROUND_ON = """(
    SELECT date(min(julianday(max(coalesce(
               (SELECT date(a.last_interaction_at) FROM contact_activity AS a
                WHERE a.contact_id = cadence_round.contact_id), c.starts_on),
               coalesce(cadence_round.skipped_through, ''))) + c.every_days))
    FROM cadence AS c
    WHERE c.contact_id = cadence_round.contact_id
       OR c.tag_id IN (SELECT ct.tag_id FROM contact_tag AS ct WHERE ct.contact_id = cadence_round.contact_id))"""

# The cadence that sets that round: the earliest round, then the shortest cadence, then the lowest id
# (domain.reminders.cadences.next_round). Counted from the last contact's UTC date like ROUND_ON; every cadence of
# a contact counts from the same last contact, so the choice is the one the business's local date would make.
# (SQLite cannot order a correlated subquery by the outer row's columns, so the three keys are spelled into one
# text, whose least value ends with the id.)
CADENCE_ID = """(
    SELECT CAST(substr(min(printf('%08d%05d%019d', julianday(max(coalesce(
                   (SELECT date(a.last_interaction_at) FROM contact_activity AS a
                    WHERE a.contact_id = cadence_round.contact_id), c.starts_on),
                   coalesce(cadence_round.skipped_through, ''))) + c.every_days, c.every_days, c.id)), 14) AS INTEGER)
    FROM cadence AS c
    WHERE c.contact_id = cadence_round.contact_id
       OR c.tag_id IN (SELECT ct.tag_id FROM contact_tag AS ct WHERE ct.contact_id = cadence_round.contact_id))"""

# Everything a cadence_round row keeps, worked out again for the row being updated.
ROUND = f"""round_on = {ROUND_ON},
        cadence_id = {CADENCE_ID},
        last_contact_at = (SELECT a.last_interaction_at FROM contact_activity AS a
                           WHERE a.contact_id = cadence_round.contact_id),
        contact_name = (SELECT n.display_name FROM contact AS n WHERE n.id = cadence_round.contact_id)"""

# An agreement's next review date for the agreement_review row being updated (NULL without a frequency).
DUE_ON = """(
    SELECT CASE WHEN ag.review_every_months IS NULL THEN NULL ELSE date(max(ag.starts_on,
               coalesce(agreement_review.skipped_through, ''),
               coalesce((SELECT date(max(r.produced_at)) FROM client_review AS r
                         WHERE r.contact_id = ag.contact_id AND r.produced_at >= ag.starts_on), '')),
               '+' || ag.review_every_months || ' months') END
    FROM agreement AS ag WHERE ag.id = agreement_review.agreement_id)"""

# Everything an agreement_review row keeps: the next review, and the agreement's end (so the agenda leaves out the
# agreements no longer in force in the index, without reading each agreement).
REVIEW = f"""due_on = {DUE_ON},
        ends_on = (SELECT ag.ends_on FROM agreement AS ag WHERE ag.id = agreement_review.agreement_id)"""

_TAGGED = "SELECT contact_id FROM contact_tag WHERE tag_id = {}"

TRIGGERS = [
    # A logged contact (any direction, any channel) moves the round on, and a snoozed round goes with it.
    f"""CREATE TRIGGER tr_contact_activity_insert_cadence AFTER INSERT ON contact_activity BEGIN
        UPDATE cadence_round SET {ROUND} WHERE contact_id = NEW.contact_id;
        DELETE FROM reminder_handling WHERE contact_id = NEW.contact_id AND kind = 'cadence' AND state = 'snoozed';
    END""",
    f"""CREATE TRIGGER tr_contact_activity_update_cadence AFTER UPDATE OF last_interaction_at ON contact_activity
        WHEN NEW.last_interaction_at IS NOT OLD.last_interaction_at BEGIN
        UPDATE cadence_round SET {ROUND} WHERE contact_id = NEW.contact_id;
        DELETE FROM reminder_handling WHERE contact_id = NEW.contact_id AND kind = 'cadence' AND state = 'snoozed';
    END""",
    # A tag with a cadence added to or taken from a contact.
    f"""CREATE TRIGGER tr_contact_tag_insert_cadence AFTER INSERT ON contact_tag
        WHEN EXISTS (SELECT 1 FROM cadence WHERE tag_id = NEW.tag_id) BEGIN
        INSERT OR IGNORE INTO cadence_round (contact_id) VALUES (NEW.contact_id);
        UPDATE cadence_round SET {ROUND} WHERE contact_id = NEW.contact_id;
    END""",
    f"""CREATE TRIGGER tr_contact_tag_delete_cadence AFTER DELETE ON contact_tag
        WHEN EXISTS (SELECT 1 FROM cadence WHERE tag_id = OLD.tag_id) BEGIN
        UPDATE cadence_round SET {ROUND} WHERE contact_id = OLD.contact_id;
    END""",
    # A cadence set, changed or removed: the contacts it covers (one, or everyone with the tag).
    f"""CREATE TRIGGER tr_cadence_insert_round AFTER INSERT ON cadence BEGIN
        INSERT OR IGNORE INTO cadence_round (contact_id)
            SELECT NEW.contact_id WHERE NEW.contact_id IS NOT NULL UNION ALL {_TAGGED.format('NEW.tag_id')};
        UPDATE cadence_round SET {ROUND}
            WHERE contact_id = NEW.contact_id OR contact_id IN ({_TAGGED.format('NEW.tag_id')});
    END""",
    f"""CREATE TRIGGER tr_cadence_update_round AFTER UPDATE ON cadence BEGIN
        INSERT OR IGNORE INTO cadence_round (contact_id)
            SELECT NEW.contact_id WHERE NEW.contact_id IS NOT NULL UNION ALL {_TAGGED.format('NEW.tag_id')};
        UPDATE cadence_round SET {ROUND}
            WHERE contact_id IN (OLD.contact_id, NEW.contact_id) OR contact_id IN ({_TAGGED.format('OLD.tag_id')})
               OR contact_id IN ({_TAGGED.format('NEW.tag_id')});
    END""",
    f"""CREATE TRIGGER tr_cadence_delete_round AFTER DELETE ON cadence BEGIN
        UPDATE cadence_round SET {ROUND}
            WHERE contact_id = OLD.contact_id OR contact_id IN ({_TAGGED.format('OLD.tag_id')});
    END""",
    # A contact renamed: the name its round and its reminders show.
    """CREATE TRIGGER tr_contact_name_reminders AFTER UPDATE OF display_name ON contact
        WHEN NEW.display_name IS NOT OLD.display_name BEGIN
        UPDATE cadence_round SET contact_name = NEW.display_name WHERE contact_id = NEW.id;
        UPDATE reminder SET contact_name = NEW.display_name WHERE contact_id = NEW.id;
    END""",
    # The round's cadence copied beside it whenever the round is worked out again (every statement above that
    # does sets cadence_id, which fires this, whether or not it changed: an edited cadence is copied again).
    """CREATE TRIGGER tr_cadence_round_cadence AFTER UPDATE OF cadence_id ON cadence_round BEGIN
        UPDATE cadence_round SET
            every_days = (SELECT c.every_days FROM cadence AS c WHERE c.id = NEW.cadence_id),
            starts_on = (SELECT c.starts_on FROM cadence AS c WHERE c.id = NEW.cadence_id),
            channel = (SELECT c.channel FROM cadence AS c WHERE c.id = NEW.cadence_id)
        WHERE contact_id = NEW.contact_id;
    END""",
    # A reminder's contact's name, for the agenda to read with the reminder.
    """CREATE TRIGGER tr_reminder_insert_name AFTER INSERT ON reminder WHEN NEW.contact_id IS NOT NULL BEGIN
        UPDATE reminder SET contact_name = (SELECT display_name FROM contact WHERE id = NEW.contact_id)
        WHERE id = NEW.id;
    END""",
    """CREATE TRIGGER tr_reminder_contact_name AFTER UPDATE OF contact_id ON reminder BEGIN
        UPDATE reminder SET contact_name = (SELECT display_name FROM contact WHERE id = NEW.contact_id)
        WHERE id = NEW.id;
    END""",
    # A round skipped (or done without a logged contact).
    f"""CREATE TRIGGER tr_cadence_round_insert AFTER INSERT ON cadence_round BEGIN
        UPDATE cadence_round SET {ROUND} WHERE contact_id = NEW.contact_id;
    END""",
    f"""CREATE TRIGGER tr_cadence_round_skip AFTER UPDATE OF skipped_through ON cadence_round BEGIN
        UPDATE cadence_round SET {ROUND} WHERE contact_id = NEW.contact_id;
    END""",
    # Plan reviews: agreements with a frequency, their skipped reviews and the client reviews recorded.
    """CREATE TRIGGER tr_agreement_insert_review AFTER INSERT ON agreement
        WHEN NEW.review_every_months IS NOT NULL BEGIN
        INSERT OR IGNORE INTO agreement_review (agreement_id) VALUES (NEW.id);
    END""",
    f"""CREATE TRIGGER tr_agreement_update_review AFTER UPDATE OF contact_id, starts_on, ends_on,
        review_every_months ON agreement BEGIN
        INSERT OR IGNORE INTO agreement_review (agreement_id) SELECT NEW.id WHERE NEW.review_every_months IS NOT NULL;
        UPDATE agreement_review SET {REVIEW} WHERE agreement_id = NEW.id;
    END""",
    """CREATE TRIGGER tr_agreement_delete_review AFTER DELETE ON agreement BEGIN
        DELETE FROM reminder_handling WHERE contact_id = OLD.contact_id AND kind = 'plan_review'
            AND item_id LIKE 'plan_review:' || OLD.id || ':%';
    END""",
    f"""CREATE TRIGGER tr_agreement_review_insert AFTER INSERT ON agreement_review BEGIN
        UPDATE agreement_review SET {REVIEW} WHERE agreement_id = NEW.agreement_id;
    END""",
    f"""CREATE TRIGGER tr_agreement_review_skip AFTER UPDATE OF skipped_through ON agreement_review BEGIN
        UPDATE agreement_review SET {REVIEW} WHERE agreement_id = NEW.agreement_id;
    END""",
    f"""CREATE TRIGGER tr_client_review_insert_plan AFTER INSERT ON client_review BEGIN
        UPDATE agreement_review SET {REVIEW}
            WHERE agreement_id IN (SELECT id FROM agreement WHERE contact_id = NEW.contact_id);
        DELETE FROM reminder_handling WHERE contact_id = NEW.contact_id AND kind = 'plan_review' AND state = 'snoozed';
    END""",
    f"""CREATE TRIGGER tr_client_review_delete_plan AFTER DELETE ON client_review BEGIN
        UPDATE agreement_review SET {REVIEW}
            WHERE agreement_id IN (SELECT id FROM agreement WHERE contact_id = OLD.contact_id);
    END""",
    f"""CREATE TRIGGER tr_client_review_update_plan AFTER UPDATE OF contact_id, produced_at ON client_review BEGIN
        UPDATE agreement_review SET {REVIEW}
            WHERE agreement_id IN (SELECT id FROM agreement WHERE contact_id IN (OLD.contact_id, NEW.contact_id));
    END""",
    # Items whose source settles them by itself: their handling has nothing left to say.
    """CREATE TRIGGER tr_inquiry_settled_reminder AFTER UPDATE OF status ON inquiry
        WHEN NEW.status <> 'open' BEGIN
        DELETE FROM reminder_handling WHERE item_id = 'reply_by:' || NEW.id;
    END""",
    """CREATE TRIGGER tr_purchase_delete_reminder AFTER DELETE ON purchase BEGIN
        DELETE FROM reminder_handling WHERE item_id = 'thank_you:' || OLD.id;
    END""",
]
TRIGGER_NAMES = [statement.split()[2] for statement in TRIGGERS]


def upgrade() -> None:
    op.create_table('reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=True),
    sa.Column('due_at', sa.DateTime(), nullable=True),
    sa.Column('rule', sa.Text(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('at_time', sa.String(length=8), nullable=True),
    sa.Column('time_zone', sa.String(length=64), nullable=True),
    sa.Column('next_due_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.CheckConstraint('(due_at IS NULL) <> (rule IS NULL)', name=op.f('ck_reminder_one_off_or_repeating')),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_reminder_contact_id_contact'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        # Covering the agenda's read of the reminders open before its end (all but the notes), in one index range.
        batch_op.create_index('ix_reminder_next_due_at', ['next_due_at', 'id', 'title', 'due_at', 'rule', 'starts_on',
                                                          'at_time', 'time_zone', 'contact_id', 'contact_name',
                                                          'channel'], unique=False)
        batch_op.create_index('ix_reminder_contact_id', ['contact_id'], unique=False)

    op.create_table('reminder_handling',
    sa.Column('item_id', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('snoozed_until', sa.DateTime(), nullable=True),
    sa.Column('item_json', sa.Text(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('reminder_id', sa.Integer(), nullable=True),
    sa.Column('handled_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("state IN ('done', 'skipped', 'snoozed')", name=op.f('ck_reminder_handling_state')),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_reminder_handling_contact_id_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reminder_id'], ['reminder.id'], name=op.f('fk_reminder_handling_reminder_id_reminder'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', name=op.f('pk_reminder_handling'))
    )
    with op.batch_alter_table('reminder_handling', schema=None) as batch_op:
        batch_op.create_index('ix_reminder_handling_state_snoozed_until', ['state', 'snoozed_until'], unique=False)
        batch_op.create_index('ix_reminder_handling_reminder_id_due_at', ['reminder_id', 'due_at'], unique=False)
        batch_op.create_index('ix_reminder_handling_contact_id_kind', ['contact_id', 'kind'], unique=False)

    op.create_table('cadence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('tag_id', sa.Integer(), nullable=True),
    sa.Column('every_days', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(contact_id IS NULL) <> (tag_id IS NULL)', name=op.f('ck_cadence_contact_or_tag')),
    sa.CheckConstraint('every_days BETWEEN 1 AND 3650', name=op.f('ck_cadence_every_days')),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_cadence_contact_id_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], name=op.f('fk_cadence_tag_id_tag'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cadence'))
    )
    with op.batch_alter_table('cadence', schema=None) as batch_op:
        batch_op.create_index('ix_cadence_contact_id', ['contact_id'], unique=True)
        batch_op.create_index('ix_cadence_tag_id', ['tag_id'], unique=True)

    op.create_table('cadence_round',
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('skipped_through', sa.Date(), nullable=True),
    sa.Column('round_on', sa.Date(), nullable=True),
    sa.Column('cadence_id', sa.Integer(), nullable=True),
    sa.Column('last_contact_at', sa.DateTime(), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('every_days', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_cadence_round_contact_id_contact'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contact_id', name=op.f('pk_cadence_round'))
    )
    with op.batch_alter_table('cadence_round', schema=None) as batch_op:
        # Covering the agenda's read: the rounds due by a day, with all it needs of them, in one index range.
        batch_op.create_index('ix_cadence_round_round_on', ['round_on', 'contact_id', 'contact_name', 'last_contact_at',
                                                            'skipped_through', 'every_days', 'starts_on', 'channel'],
                              unique=False)

    op.create_table('agreement_review',
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('skipped_through', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_agreement_review_agreement_id_agreement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('agreement_id', name=op.f('pk_agreement_review'))
    )
    with op.batch_alter_table('agreement_review', schema=None) as batch_op:
        batch_op.create_index('ix_agreement_review_due_on', ['due_on', 'ends_on'], unique=False)

    op.create_table('reminder_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rules_json', sa.Text(), server_default='{}', nullable=False),
    sa.Column('calendar_json', sa.Text(), server_default='{}', nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('id = 1', name=op.f('ck_reminder_settings_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_settings'))
    )

    op.create_index('ix_contact_birthday_month_birthday_day', 'contact',
                    ['birthday_month', 'birthday_day', 'birthday_year', 'display_name'], unique=False)
    # The thank-yous' first purchases of a few days, found from the contacts' first purchase dates.
    op.create_index('ix_contact_activity_first_purchase_on', 'contact_activity', ['first_purchase_on'], unique=False)

    for statement in TRIGGERS:
        op.execute(statement)
    # The agreements already recorded: their rows (and, by trigger, their next review dates).
    op.execute("INSERT INTO agreement_review (agreement_id) SELECT id FROM agreement "
               "WHERE review_every_months IS NOT NULL")


def downgrade() -> None:
    for name in reversed(TRIGGER_NAMES):
        op.execute(f"DROP TRIGGER {name}")
    op.drop_index('ix_contact_activity_first_purchase_on', table_name='contact_activity')
    op.drop_index('ix_contact_birthday_month_birthday_day', table_name='contact')
    op.drop_table('reminder_settings')
    op.drop_table('agreement_review')
    op.drop_table('cadence_round')
    op.drop_table('cadence')
    op.drop_table('reminder_handling')
    op.drop_table('reminder')
