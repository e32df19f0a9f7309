"""ORM models. The `list_*` columns copy what the contact list shows so it can sort any column by an index."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, MetaData, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from clientdesk.storage.types import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ContactRow(Base):
    __tablename__ = "contact"
    # AUTOINCREMENT: an id is never handed out twice, so undoing a delete can bring the same id back.
    __table_args__ = (
        CheckConstraint("kind IN ('person', 'organisation')", name="kind"),
        Index("ix_contact_sort_name_id", "sort_name", "id"),
        Index("ix_contact_list_organisation_id", text("list_organisation COLLATE NOCASE"), "id"),
        Index("ix_contact_list_phone_id", "list_phone", "id"),
        Index("ix_contact_list_email_id", text("list_email COLLATE NOCASE"), "id"),
        Index("ix_contact_list_tags_id", text("list_tags COLLATE NOCASE"), "id"),
        Index("ix_contact_updated_at_id", "updated_at", "id"),
        CheckConstraint("list_stage IN ('prospect', 'customer', 'client', 'lapsed', 'former')", name="list_stage"),
        Index("ix_contact_list_stage_sort_name_id", "list_stage", "sort_name", "id"),
        Index("ix_contact_list_stage_id", "list_stage", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="person")
    given_name: Mapped[str] = mapped_column(String(200), default="")
    family_name: Mapped[str] = mapped_column(String(200), default="")
    display_name: Mapped[str] = mapped_column(String(200))
    sort_name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"), index=True)
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"), index=True)
    birthday_day: Mapped[int | None]
    birthday_month: Mapped[int | None]
    birthday_year: Mapped[int | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    list_organisation: Mapped[str] = mapped_column(String(200), default="")
    list_phone: Mapped[str] = mapped_column(String(50), default="")
    list_email: Mapped[str] = mapped_column(String(320), default="")
    list_tags: Mapped[str] = mapped_column(String(500), default="")
    # The stage on the day lifecycle_state.stages_on, copied from stage_change so the list can show,
    # filter and count it through an index (storage/lifecycle.py keeps it current).
    list_stage: Mapped[str] = mapped_column(String(10), default="prospect", server_default="prospect")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    phones: Mapped[list[PhoneRow]] = relationship(
        order_by="PhoneRow.position", cascade="all, delete-orphan", passive_deletes=True)
    emails: Mapped[list[EmailRow]] = relationship(
        order_by="EmailRow.position", cascade="all, delete-orphan", passive_deletes=True)
    addresses: Mapped[list[AddressRow]] = relationship(
        order_by="AddressRow.position", cascade="all, delete-orphan", passive_deletes=True)
    tags: Mapped[list[TagRow]] = relationship(secondary="contact_tag", order_by="TagRow.name")


class PhoneRow(Base):
    __tablename__ = "contact_phone"
    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(40))
    raw: Mapped[str] = mapped_column(String(60))
    e164: Mapped[str] = mapped_column(String(20), index=True)


class EmailRow(Base):
    __tablename__ = "contact_email"
    # Addresses compare without case (an import matches duplicates by email); the index makes that a seek.
    __table_args__ = (Index("ix_contact_email_lower_address", text("lower(address)")),)
    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(320), index=True)


class AddressRow(Base):
    __tablename__ = "contact_address"
    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(40))
    street: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    region: Mapped[str] = mapped_column(String(120), default="")
    postcode: Mapped[str] = mapped_column(String(30), default="")
    country: Mapped[str] = mapped_column(String(120), default="")


class TagRow(Base):
    __tablename__ = "tag"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60, collation="NOCASE"), unique=True)


class ContactTagRow(Base):
    __tablename__ = "contact_tag"
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True)


OFFICE_HOURS_JSON = ('{"mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]], "wed": [["09:00", "17:00"]], '
                     '"thu": [["09:00", "17:00"]], "fri": [["09:00", "17:00"]], "sat": [], "sun": []}')
REPLY_JSON = '{"target_hours": 24, "limit_hours": 48, "clock": "calendar"}'


class BusinessProfileRow(Base):
    """Hours, closures and the reply policy are kept as the JSON the domain reads and writes: they are
    always read and written whole, and the domain validates them."""

    __tablename__ = "business_profile"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    country: Mapped[str] = mapped_column(String(2))
    time_zone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    subdivision: Mapped[str] = mapped_column(String(10), default="", server_default=text("''"))
    hours_json: Mapped[str] = mapped_column(Text, default=OFFICE_HOURS_JSON, server_default=OFFICE_HOURS_JSON)
    closures_json: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    public_holidays: Mapped[bool] = mapped_column(default=False, server_default="0")
    reply_json: Mapped[str] = mapped_column(Text, default=REPLY_JSON, server_default=REPLY_JSON)
    retention_json: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")


class ContactBoundariesRow(Base):
    """A client's rules (channels, urgent line, window, do-not-contact-until, notes) as the domain's JSON.
    No row means the defaults: every channel while the business is open."""

    __tablename__ = "contact_boundaries"
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    rules_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class InteractionRow(Base):
    """One contact with a client, in either direction, on any channel."""

    __tablename__ = "interaction"
    __table_args__ = (
        Index("ix_interaction_contact_id_at", "contact_id", "at"),
        Index("ix_interaction_at", "at"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(3))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    duration_minutes: Mapped[int | None]
    summary: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    urgent: Mapped[bool] = mapped_column(default=False)
    logged_by: Mapped[str] = mapped_column(String(100), default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")
    # The form's one-off key: pressing Save twice logs the call once.
    request_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class InquiryRow(Base):
    """A question waiting for a reply, with the deadlines the business promised."""

    __tablename__ = "inquiry"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'answered', 'closed')", name="status"),
        Index("ix_inquiry_status_limit_at", "status", "limit_at"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    received: Mapped[datetime] = mapped_column(UtcDateTime)
    target_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    limit_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(10), default="open")
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    close_reason: Mapped[str] = mapped_column(Text, default="")
    opened_by_interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interaction.id", ondelete="SET NULL"), index=True)
    answered_by_interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interaction.id", ondelete="SET NULL"), index=True)


class ServiceRow(Base):
    """A service in the business's catalogue. The price, like every sum of money, is in minor units (pence)."""

    __tablename__ = "service"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200, collation="NOCASE"), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    price_minor: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AgreementRow(Base):
    """What a client has agreed to: a retainer, a maintenance contract, a one-off job with a scope."""

    __tablename__ = "agreement"
    __table_args__ = (
        CheckConstraint("billing_period IN ('one_off', 'weekly', 'monthly', 'quarterly', 'yearly')",
                        name="billing_period"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    renews_on: Mapped[date | None] = mapped_column(Date)
    fee_minor: Mapped[int | None] = mapped_column(Integer)
    billing_period: Mapped[str] = mapped_column(String(10))
    review_every_months: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AgreementServiceRow(Base):
    __tablename__ = "agreement_service"
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)


class PurchaseRow(Base):
    """A sale, or a refund (a negative amount)."""

    __tablename__ = "purchase"
    __table_args__ = (
        Index("ix_purchase_contact_id_on", "contact_id", "on"),
        # Covers the trailing-year sums: a range of days read from the index alone.
        Index("ix_purchase_on_contact_id_amount_minor", "on", "contact_id", "amount_minor"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    on: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OutOfScopeRequestRow(Base):
    """Something a client asked for beyond their agreement, and what the business decided."""

    __tablename__ = "out_of_scope_request"
    __table_args__ = (
        CheckConstraint("decision IN ('declined', 'quoted', 'accepted')", name="decision"),
        Index("ix_out_of_scope_request_contact_id_at", "contact_id", "at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    asked: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(10))
    extra_charge_minor: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ContactEndedRow(Base):
    """A relationship ended by hand: the contact is "former" from that day. Kept apart from the contact row."""

    __tablename__ = "contact_ended"
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    ended_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")


class ContactActivityRow(Base):
    """Running totals per contact, kept by triggers on purchase and interaction (migration 0006), so the
    figures of today and "last in touch" need no scan of a million rows. Purchases count only positive
    amounts; `net_minor` is every amount, refunds included."""

    __tablename__ = "contact_activity"
    __table_args__ = (Index("ix_contact_activity_last_interaction_at", "last_interaction_at"),)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    purchase_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    first_purchase_on: Mapped[date | None] = mapped_column(Date)
    last_purchase_on: Mapped[date | None] = mapped_column(Date)
    net_minor: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_interaction_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class StageChangeRow(Base):
    """A day on which a contact's stage changed, and the stage from then on, including the changes the
    calendar will bring by itself (a lapse a year after the last activity, an agreement running out):
    the stage on any day is the latest change on or before it."""

    __tablename__ = "stage_change"
    __table_args__ = (
        CheckConstraint("stage IN ('prospect', 'customer', 'client', 'lapsed', 'former')", name="stage"),
        Index("ix_stage_change_on", "on"),
    )
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    on: Mapped[date] = mapped_column(Date, primary_key=True)
    stage: Mapped[str] = mapped_column(String(10))


class StagePendingRow(Base):
    """Contacts whose purchases, interactions, agreements or end changed since their stages were worked out,
    marked by triggers; no foreign key, so a deleted contact's mark simply finds nothing to settle."""

    __tablename__ = "stage_pending"
    contact_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class LifecycleStateRow(Base):
    """The day contact.list_stage describes."""

    __tablename__ = "lifecycle_state"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    stages_on: Mapped[date | None] = mapped_column(Date)


class ClientReviewRow(Base):
    """A client review produced: the period it covered, when, the file written and its SHA-256, so the
    timeline can show it and a plan review counts as done from its day."""

    __tablename__ = "client_review"
    __table_args__ = (
        CheckConstraint("period_to >= period_from", name="period"),
        Index("ix_client_review_contact_id_produced_at", "contact_id", "produced_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    produced_at: Mapped[datetime] = mapped_column(UtcDateTime)
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    notes: Mapped[str] = mapped_column(Text, default="")


# -- reminders (migration 0008) ----------------------------------------------------------------------------

# The birthday query asks for a few dozen (month, day) pairs: an index walk, not a scan of every contact, that
# reads the index alone (it carries the year and the name the greeting needs).
Index("ix_contact_birthday_month_birthday_day", ContactRow.birthday_month, ContactRow.birthday_day,
      ContactRow.birthday_year, ContactRow.display_name)


class ReminderRow(Base):
    """A reminder the user set up: a one-off follow-up (`due_at`) or a repeating one (`rule` from `starts_on`
    at `at_time` in `time_zone`, the wall time it keeps across clock changes). `next_due_at` is what the agenda
    reads through its index: a follow-up's due instant while it is open, a repeating reminder's first occurrence
    not yet done, skipped or snoozed; NULL once nothing is left (see domain/reminders/follow_ups.py)."""

    __tablename__ = "reminder"
    __table_args__ = (
        CheckConstraint("(due_at IS NULL) <> (rule IS NULL)", name="one_off_or_repeating"),
        # Covering the agenda's read (all but the notes).
        Index("ix_reminder_next_due_at", "next_due_at", "id", "title", "due_at", "rule", "starts_on", "at_time",
              "time_zone", "contact_id", "contact_name", "channel"),
        Index("ix_reminder_contact_id", "contact_id"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str | None] = mapped_column(String(20))
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    rule: Mapped[str | None] = mapped_column(Text)
    starts_on: Mapped[date | None] = mapped_column(Date)
    at_time: Mapped[str | None] = mapped_column(String(8))  # "09:00:00", the wall time of every occurrence
    time_zone: Mapped[str | None] = mapped_column(String(64))
    next_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The contact's display name, kept by triggers (migration 0008) for the agenda's read; never written here.
    contact_name: Mapped[str | None] = mapped_column(String(200))


class ReminderHandlingRow(Base):
    """What the user did with one agenda item, by the engine's item id ("birthday:345:2027"): done, skipped,
    or snoozed until an instant with a snapshot of the item (domain Handling). `due_at` is the item's own due
    instant; `contact_id` and `reminder_id` let a contact's or a reminder's rows go with it, and let triggers
    drop a snooze whose item has gone (a cadence round moved on by a logged contact, an inquiry answered)."""

    __tablename__ = "reminder_handling"
    __table_args__ = (
        CheckConstraint("state IN ('done', 'skipped', 'snoozed')", name="state"),
        Index("ix_reminder_handling_state_snoozed_until", "state", "snoozed_until"),
        Index("ix_reminder_handling_reminder_id_due_at", "reminder_id", "due_at"),
        Index("ix_reminder_handling_contact_id_kind", "contact_id", "kind"),
    )
    item_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(10))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    snoozed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    item_json: Mapped[str | None] = mapped_column(Text)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminder.id", ondelete="CASCADE"))
    handled_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CadenceRow(Base):
    """Keep in touch at least every `every_days` days with one contact, or with every contact with a tag (one
    cadence per contact and per tag)."""

    __tablename__ = "cadence"
    __table_args__ = (
        CheckConstraint("(contact_id IS NULL) <> (tag_id IS NULL)", name="contact_or_tag"),
        CheckConstraint("every_days BETWEEN 1 AND 3650", name="every_days"),
        Index("ix_cadence_contact_id", "contact_id", unique=True),
        Index("ix_cadence_tag_id", "tag_id", unique=True),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    tag_id: Mapped[int | None] = mapped_column(ForeignKey("tag.id", ondelete="CASCADE"))
    every_days: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CadenceRoundRow(Base):
    """Per contact a cadence covers: the last round skipped (or marked done without a logged contact), and
    `round_on`, the date its next round falls due, kept by triggers (migration 0008) from the last logged
    contact, the skipped round and the cadences covering the contact. `round_on` counts the last contact's UTC
    date, so it may be a day off the business's local date: the agenda reads `round_on <= last day + 1` through
    its index and the engine decides exactly."""

    __tablename__ = "cadence_round"
    __table_args__ = (Index("ix_cadence_round_round_on", "round_on", "contact_id", "contact_name", "last_contact_at",
                            "skipped_through", "every_days", "starts_on", "channel"),)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    skipped_through: Mapped[date | None] = mapped_column(Date)
    round_on: Mapped[date | None] = mapped_column(Date)
    # Kept by the same triggers, so the agenda reads a due round from its index alone: the cadence that sets the
    # round (next_round's choice) and its every_days, starts_on and channel, the last contact's instant and the
    # contact's name.
    cadence_id: Mapped[int | None] = mapped_column(Integer)
    last_contact_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    every_days: Mapped[int | None] = mapped_column(Integer)
    starts_on: Mapped[date | None] = mapped_column(Date)
    channel: Mapped[str | None] = mapped_column(String(20))


class AgreementReviewRow(Base):
    """Per agreement with a review frequency: the last review skipped (or marked done without a client review
    recorded), and `due_on`, the next review's date as SQLite's month arithmetic puts it (up to three days
    later than the calendar's, and the last client review's UTC date), kept by triggers on agreements, client
    reviews and this row, so the agenda reads the few due soon through an index."""

    __tablename__ = "agreement_review"
    __table_args__ = (Index("ix_agreement_review_due_on", "due_on", "ends_on"),)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), primary_key=True)
    skipped_through: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)  # the agreement's, copied by the same triggers


class ReminderSettingsRow(Base):
    """The reminder rules as JSON (birthdays, holiday greetings, thank-yous, plan reviews' channel), the
    calendar file kept up to date, and when the app last ran (for "came due while ClientDesk was closed")."""

    __tablename__ = "reminder_settings"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    rules_json: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    calendar_json: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


# Migration 0008: the first purchases of a few days, for the agenda's thank-yous, without reading every purchase of
# those days (contact_activity, migration 0006, keeps each contact's first purchase date).
Index("ix_contact_activity_first_purchase_on", ContactActivityRow.first_purchase_on)
