"""Reminders, cadences, the handling of agenda items and the reminder settings, in and out of the database;
and `AgendaFacts`, the narrowed reads the agenda is computed from. Never commits: the unit of work does.

What each read hands the engine is exactly what its function takes (see the docstrings of
domain/reminders/*.py, "What storage must do"), each through an index:

- reminders with next_due_at before the end (ix_reminder_next_due_at);
- contacts whose cadence round (cadence_round.round_on, kept by triggers) falls by the window's last day + 1,
  with the cadences covering them (ix_cadence_round_round_on);
- contacts whose birthday (month, day) is one of the window's (ix_contact_birthday_month_birthday_day);
- first and large purchases dated in the thank-you range not yet thanked (the contacts' first purchase dates,
  and the purchases' day index);
- agreements in force whose next review (agreement_review.due_on, kept by triggers with the agreement's ends_on)
  falls by the last day + 4;
- open inquiries with their deadline before the end;
- the handling of the items computed whose kind can be done or skipped while still listed (by primary key),
  and every snooze.

Reads go through the session's own sqlite3 connection: the ORM's per-row cost would be most of the agenda's.
The four large reads can go through a `RowMemo` the service keeps: their SQL runs every time, and only the rows
new or changed since the last read are converted and handed to the engine again.
Instants are stored as naive UTC text (storage/types.py), whose text order is time order.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime, time
from decimal import Decimal
from operator import itemgetter
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.errors import NotFound
from clientdesk.domain.reminders.cadences import Cadence, RoundRow
from clientdesk.domain.reminders.follow_ups import Reminder, stored_reminder_dues
from clientdesk.domain.reminders.kinds import Due, Handling, ItemState, ReminderKind
from clientdesk.domain.reminders.occasions import BirthdayContact
from clientdesk.domain.reminders.plan_reviews import PlanReviewFacts
from clientdesk.domain.reminders.recurrence import Recurrence, recurrence_of
from clientdesk.domain.reminders.thank_yous import PurchaseFacts
from clientdesk.domain.contacts import Birthday
from clientdesk.domain.services_catalogue import Agreement, BillingPeriod, from_minor, to_minor
from clientdesk.storage.models import (
    AgreementReviewRow,
    CadenceRoundRow,
    CadenceRow,
    ContactRow,
    InteractionRow,
    ReminderHandlingRow,
    ReminderRow,
    ReminderSettingsRow,
    TagRow,
)
from clientdesk.storage.types import from_utc_text, utc_text


@dataclass(frozen=True, slots=True)
class StoredReminder:
    """A reminder row as it is, for undo and for the calendar: the domain Reminder (with notes and the contact's
    name), its next_due_at and its times."""

    reminder: Reminder
    next_due_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredHandling:
    """A reminder_handling row: the domain Handling, and what the row keeps beside it."""

    handling: Handling
    kind: ReminderKind
    due_at: datetime
    contact_id: int | None
    reminder_id: int | None
    handled_at: datetime


@dataclass(frozen=True, slots=True)
class StoredCadence:
    cadence: Cadence
    created_at: datetime


class ReminderRepository:
    def __init__(self, session: Session):
        self._session = session

    # -- reminders ----------------------------------------------------------------------------------------

    def add(self, reminder: Reminder, next_due_at: datetime | None, now: datetime, *,
            reminder_id: int | None = None, created_at: datetime | None = None) -> int:
        """A new reminder (or, with `reminder_id`, one put back by an undo with its id and times)."""
        row = ReminderRow(id=reminder_id, created_at=created_at or now)
        self._fill(row, reminder, next_due_at, now)
        self._session.add(row)
        self._session.flush()
        return row.id

    def update(self, reminder: Reminder, next_due_at: datetime | None, now: datetime) -> None:
        row = self._row(reminder.id)
        self._fill(row, reminder, next_due_at, now)
        self._session.flush()

    def _fill(self, row: ReminderRow, reminder: Reminder, next_due_at: datetime | None, now: datetime) -> None:
        recurrence = reminder.recurrence
        row.contact_id, row.title, row.notes = reminder.contact_id, reminder.title, reminder.notes
        row.channel = None if reminder.channel is None else reminder.channel.value
        row.due_at = reminder.due
        row.rule = None if recurrence is None else recurrence.rule
        row.starts_on = None if recurrence is None else recurrence.starts_on
        row.at_time = None if recurrence is None else recurrence.at.isoformat()
        row.time_zone = None if recurrence is None else recurrence.time_zone
        row.next_due_at = next_due_at
        row.updated_at = now

    def set_next_due(self, reminder_id: int, next_due_at: datetime | None) -> None:
        self._row(reminder_id).next_due_at = next_due_at
        self._session.flush()

    def get(self, reminder_id: int) -> StoredReminder:
        row = self._row(reminder_id)
        name = "" if row.contact_id is None else (self._session.scalar(
            select(ContactRow.display_name).where(ContactRow.id == row.contact_id)) or "")
        return _stored_reminder(row, name)

    def delete(self, reminder_id: int) -> None:
        self._session.delete(self._row(reminder_id))
        self._session.flush()

    def for_contact(self, contact_id: int) -> list[StoredReminder]:
        name = self._session.scalar(select(ContactRow.display_name).where(ContactRow.id == contact_id)) or ""
        rows = self._session.scalars(select(ReminderRow).where(ReminderRow.contact_id == contact_id)
                                     .order_by(ReminderRow.next_due_at, ReminderRow.id))
        return [_stored_reminder(row, name) for row in rows]

    def every_open(self) -> Iterator[StoredReminder]:
        """Every reminder with something still to come or still open (next_due_at set), for the calendar file,
        by id, with its contact's name."""
        rows = self._session.execute(
            select(ReminderRow, ContactRow.display_name).outerjoin(ContactRow, ContactRow.id == ReminderRow.contact_id)
            .where(ReminderRow.next_due_at.is_not(None)).order_by(ReminderRow.id)
            .execution_options(yield_per=1000))
        for row, name in rows:
            yield _stored_reminder(row, name or "")

    def handled_occurrences(self, reminder_id: int, since: datetime | None) -> list[datetime]:
        """The due instants of a repeating reminder's occurrences done, skipped or snoozed, from `since` on."""
        query = select(ReminderHandlingRow.due_at).where(ReminderHandlingRow.reminder_id == reminder_id)
        if since is not None:
            query = query.where(ReminderHandlingRow.due_at >= since)
        return list(self._session.scalars(query))

    def _row(self, reminder_id: int) -> ReminderRow:
        row = self._session.get(ReminderRow, reminder_id)
        if row is None:
            raise NotFound(f"There is no reminder with id {reminder_id}.")
        return row

    # -- handling of agenda items -------------------------------------------------------------------------

    def handling(self, item_id: str) -> StoredHandling | None:
        row = self._session.get(ReminderHandlingRow, item_id)
        return None if row is None else _stored_handling(row)

    def put_handling(self, handling: Handling, kind: ReminderKind, due_at: datetime, contact_id: int | None,
                     reminder_id: int | None, now: datetime) -> None:
        """Records (or replaces) what was done with an item."""
        row = self._session.get(ReminderHandlingRow, handling.item_id) or ReminderHandlingRow(item_id=handling.item_id)
        row.kind, row.state, row.due_at = kind.value, handling.state.value, due_at
        row.snoozed_until = handling.snoozed_until
        row.item_json = None if handling.item is None else json.dumps(handling.item.to_json(), ensure_ascii=False)
        row.contact_id, row.reminder_id, row.handled_at = contact_id, reminder_id, now
        self._session.add(row)
        self._session.flush()

    def restore_handling(self, stored: StoredHandling | None, item_id: str) -> None:
        """Puts a handling back as it was (None: there was none)."""
        self.forget_handling(item_id)
        if stored is not None:
            self.put_handling(stored.handling, stored.kind, stored.due_at, stored.contact_id, stored.reminder_id,
                              stored.handled_at)

    def forget_handling(self, item_id: str) -> None:
        self._session.execute(delete(ReminderHandlingRow).where(ReminderHandlingRow.item_id == item_id))
        self._session.flush()

    # -- cadences -----------------------------------------------------------------------------------------

    def tag_id(self, name: str, create: bool = False) -> int | None:
        """The tag's id (names compare without case), created when asked and missing."""
        found = self._session.scalar(select(TagRow.id).where(TagRow.name == name))
        if found is None and create:
            row = TagRow(name=name)
            self._session.add(row)
            self._session.flush()
            found = row.id
        return found

    def cadence_for(self, *, contact_id: int | None = None, tag: str | None = None) -> StoredCadence | None:
        query = select(CadenceRow, TagRow.name).outerjoin(TagRow, TagRow.id == CadenceRow.tag_id)
        if contact_id is not None:
            query = query.where(CadenceRow.contact_id == contact_id)
        else:
            query = query.where(TagRow.name == tag)
        found = self._session.execute(query).first()
        return None if found is None else _stored_cadence(*found)

    def cadences(self) -> list[StoredCadence]:
        rows = self._session.execute(select(CadenceRow, TagRow.name).outerjoin(TagRow, TagRow.id == CadenceRow.tag_id)
                                     .order_by(CadenceRow.id))
        return [_stored_cadence(row, tag) for row, tag in rows]

    def set_cadence(self, every_days: int, starts_on: date, channel: Channel | None, now: datetime, *,
                    contact_id: int | None = None, tag: str | None = None, cadence_id: int | None = None) -> int:
        """The contact's (or tag's) cadence, replacing the one it had; triggers move the covered contacts' rounds."""
        tag_id = None if tag is None else self.tag_id(tag, create=True)
        row = self._session.scalar(select(CadenceRow).where(
            CadenceRow.contact_id == contact_id if contact_id is not None else CadenceRow.tag_id == tag_id))
        if row is None:
            row = CadenceRow(id=cadence_id, contact_id=contact_id, tag_id=tag_id, created_at=now)
            self._session.add(row)
        row.every_days, row.starts_on = every_days, starts_on
        row.channel = None if channel is None else Channel(channel).value
        self._session.flush()
        return row.id

    def remove_cadence(self, cadence_id: int) -> None:
        self._session.execute(delete(CadenceRow).where(CadenceRow.id == cadence_id))
        self._session.flush()

    def cadence_skipped_through(self, contact_id: int) -> date | None:
        row = self._session.get(CadenceRoundRow, contact_id)
        return None if row is None else row.skipped_through

    def set_cadence_skipped_through(self, contact_id: int, day: date | None) -> None:
        """The last round skipped (or done without a logged contact); a trigger moves the next round."""
        row = self._session.get(CadenceRoundRow, contact_id)
        if row is None:
            row = CadenceRoundRow(contact_id=contact_id)
            self._session.add(row)
        row.skipped_through = day
        self._session.flush()

    def round_on(self, contact_id: int) -> date | None:
        """cadence_round.round_on as the triggers keep it (for tests and diagnostics)."""
        self._session.flush()
        row = self._session.get(CadenceRoundRow, contact_id)
        if row is not None:
            self._session.refresh(row)
        return None if row is None else row.round_on

    # -- plan reviews -------------------------------------------------------------------------------------

    def review_skipped_through(self, agreement_id: int) -> date | None:
        row = self._session.get(AgreementReviewRow, agreement_id)
        return None if row is None else row.skipped_through

    def set_review_skipped_through(self, agreement_id: int, day: date | None) -> None:
        row = self._session.get(AgreementReviewRow, agreement_id)
        if row is None:
            row = AgreementReviewRow(agreement_id=agreement_id)
            self._session.add(row)
        row.skipped_through = day
        self._session.flush()

    # -- an interaction logged from the agenda, taken back by an undo ---------------------------------------

    def delete_interaction(self, interaction_id: int) -> None:
        """Deletes one interaction (the triggers of migration 0006 and 0008 put the totals and rounds back)."""
        self._session.execute(delete(InteractionRow).where(InteractionRow.id == interaction_id))
        self._session.flush()

    def contact_names(self, contact_ids: Iterable[int]) -> dict[int, str]:
        ids = list(contact_ids)
        if not ids:
            return {}
        return dict(self._session.execute(select(ContactRow.id, ContactRow.display_name)
                                          .where(ContactRow.id.in_(ids))).all())

    # -- settings -----------------------------------------------------------------------------------------

    def settings(self) -> tuple[dict, dict, datetime | None]:
        """(rules JSON, calendar JSON, last seen) — empty objects and None before anything is saved."""
        row = self._session.get(ReminderSettingsRow, 1)
        if row is None:
            return {}, {}, None
        return json.loads(row.rules_json or "{}"), json.loads(row.calendar_json or "{}"), row.last_seen_at

    def save_rules(self, rules: dict) -> None:
        self._settings_row().rules_json = json.dumps(rules, ensure_ascii=False, sort_keys=True)
        self._session.flush()

    def save_calendar(self, calendar: dict) -> None:
        self._settings_row().calendar_json = json.dumps(calendar, ensure_ascii=False, sort_keys=True)
        self._session.flush()

    def set_last_seen(self, moment: datetime) -> None:
        self._settings_row().last_seen_at = moment
        self._session.flush()

    def _settings_row(self) -> ReminderSettingsRow:
        row = self._session.get(ReminderSettingsRow, 1)
        if row is None:
            row = ReminderSettingsRow(id=1, rules_json="{}", calendar_json="{}")
            self._session.add(row)
        return row


def _stored_reminder(row: ReminderRow, name: str) -> StoredReminder:
    recurrence = None
    if row.rule is not None:
        recurrence = recurrence_of(row.rule, row.starts_on, time.fromisoformat(row.at_time), row.time_zone)
    reminder = Reminder(row.id, row.title, row.due_at, recurrence, row.contact_id, name,
                        None if row.channel is None else Channel(row.channel), row.notes,
                        row.next_due_at if recurrence is not None else None)
    return StoredReminder(reminder, row.next_due_at, row.created_at, row.updated_at)


def _stored_handling(row: ReminderHandlingRow) -> StoredHandling:
    item = None if row.item_json is None else Due.from_json(json.loads(row.item_json))
    handling = Handling(row.item_id, ItemState(row.state), row.snoozed_until, item)
    return StoredHandling(handling, ReminderKind(row.kind), row.due_at, row.contact_id, row.reminder_id,
                          row.handled_at)


def _stored_cadence(row: CadenceRow, tag: str | None) -> StoredCadence:
    cadence = Cadence(row.id, row.every_days, row.starts_on, row.contact_id, tag if row.contact_id is None else None,
                      None if row.channel is None else Channel(row.channel))
    return StoredCadence(cadence, row.created_at)


# -- the agenda's reads ---------------------------------------------------------------------------------------

# The contact's name is kept on the reminder by triggers (migration 0008): no contact row read per reminder.
_REMINDERS_SQL = (
    "SELECT id, title, due_at, rule, starts_on, at_time, time_zone, contact_id, coalesce(contact_name, ''), "
    "channel, next_due_at FROM reminder WHERE next_due_at < ?")
# Each due round from its own row (the triggers of migration 0008 keep the cadence that sets it, the last contact
# and the name there) and the cadence by primary key: no contact, activity or tag read per contact.
# Each due round, with everything the engine needs of it, from one index range (the triggers of migration 0008
# keep the cadence that sets the round, its fields, the last contact and the name beside it).
_ROUNDS_SQL = (
    "SELECT contact_id, contact_name, last_contact_at, skipped_through, every_days, starts_on, channel "
    "FROM cadence_round WHERE round_on <= ?")
_BIRTHDAYS_SQL = ("SELECT id, display_name, birthday_day, birthday_month, birthday_year FROM contact "
                  "WHERE {where}")
_PLAN_REVIEWS_SQL = (
    "SELECT ag.id, ag.contact_id, ag.starts_on, ag.ends_on, ag.renews_on, ag.fee_minor, ag.billing_period, "
    "ag.review_every_months, c.display_name, rv.skipped_through, "
    "(SELECT max(r.produced_at) FROM client_review AS r WHERE r.contact_id = ag.contact_id "
    "AND r.produced_at >= ag.starts_on), "
    "(SELECT group_concat(s.name, char(31)) FROM agreement_service AS link "
    "JOIN service AS s ON s.id = link.service_id WHERE link.agreement_id = ag.id) "
    "FROM agreement_review AS rv JOIN agreement AS ag ON ag.id = rv.agreement_id "
    "JOIN contact AS c ON c.id = ag.contact_id "
    "WHERE rv.due_on <= ? AND (rv.ends_on IS NULL OR rv.ends_on >= ?)")
_DEADLINES_SQL = (
    "SELECT q.id, q.contact_id, c.display_name, coalesce(q.target_at, q.limit_at), i.channel "
    "FROM inquiry AS q JOIN contact AS c ON c.id = q.contact_id "
    "LEFT JOIN interaction AS i ON i.id = q.opened_by_interaction_id "
    "WHERE q.status = 'open' AND coalesce(q.target_at, q.limit_at) < ?")
_HANDLING_COLUMNS = "item_id, state, snoozed_until, item_json"
# The keys given are probed in the order given (a join from json_each, not an IN list): sorted, each probe lands
# next to the one before, on pages already read, which halves the time for thousands of them.
_HANDLINGS_SQL = (f"SELECT {', '.join('h.' + column for column in _HANDLING_COLUMNS.split(', '))} "
                  "FROM json_each(?) AS wanted JOIN reminder_handling AS h ON h.item_id = wanted.value")
_SNOOZED_SQL = f"SELECT {_HANDLING_COLUMNS} FROM reminder_handling WHERE state = 'snoozed'"
_BOUNDARIES_SQL = ("SELECT b.contact_id, b.rules_json FROM json_each(?) AS wanted "
                   "JOIN contact_boundaries AS b ON b.contact_id = wanted.value")


_Row = TypeVar("_Row")
# What the service makes of a read's rows: the engine's function for them, with the window it depends on.
MakeDues = Callable[[Iterable[_Row]], list[Due]]


class RowMemo:
    """What the rows of one of the agenda's reads were made into, looked up by each row's whole content. The agenda
    is read again every minute and most rows come back as they were, so only the new and changed ones are
    converted and handed to the engine again; a changed row (a round moved by a logged call, a contact renamed) is
    another key, so nothing made is ever stale. Kept for one window (see `at`): what the making depends on
    besides the row. Only the rows of the latest read are kept."""

    __slots__ = ("_kept",)

    def __init__(self) -> None:
        # (window, {row: items}) in one attribute, replaced whole: two threads reading at once each see a window
        # with its own rows' items, never one with the other's.
        self._kept: tuple[object, dict[tuple, tuple[Due, ...]]] = (None, {})

    def at(self, window: object) -> WindowMemo:
        """This memo for `window`: what was made for another is not used, and is forgotten once this is used."""
        return WindowMemo(self, window)

    def _dues(self, window: object, rows: list[tuple], make: Callable[[Iterable[tuple]], list[Due]],
              owner: Callable[[Due], object]) -> list[Due]:
        kept_window, made = self._kept
        if kept_window != window:
            made = {}
        known = [made.get(row) for row in rows]
        fresh: dict[object, list[Due]] = {}
        missing = [row for row, dues in zip(rows, known) if dues is None]
        if missing:
            for due in make(missing):
                fresh.setdefault(owner(due), []).append(due)
        kept: dict[tuple, tuple[Due, ...]] = {}
        found: list[Due] = []
        for row, dues in zip(rows, known):
            if dues is None:
                dues = tuple(fresh.get(row[0], ()))
            kept[row] = dues
            found += dues
        self._kept = (window, kept)
        return found


@dataclass(frozen=True, slots=True)
class WindowMemo:
    memo: RowMemo
    window: object

    def dues(self, rows: list[tuple], make: Callable[[Iterable[tuple]], list[Due]],
             owner: Callable[[Due], object]) -> list[Due]:
        """The items made from `rows`, in their order: `make` is given only the rows not known, and `owner` says
        which of them (by its first column, a primary key) each item it makes comes from."""
        return self.memo._dues(self.window, rows, make, owner)  # noqa: SLF001 - its own memo's


@dataclass(slots=True)
class AgendaReadMemo:
    """The RowMemos of the agenda's large reads, kept by the service from one agenda to the next."""

    reminders: RowMemo = field(default_factory=RowMemo)
    rounds: RowMemo = field(default_factory=RowMemo)
    birthdays: RowMemo = field(default_factory=RowMemo)
    plan_reviews: RowMemo = field(default_factory=RowMemo)


class AgendaFacts:
    """The agenda's reads for one window, on a plain sqlite3 connection (a session's, or a reader's)."""

    def __init__(self, connection: sqlite3.Connection):
        self._connection = connection

    @classmethod
    def of(cls, session: Session) -> AgendaFacts:
        session.flush()
        return cls(session.connection().connection.driver_connection)

    def _rows(self, sql: str, parameters: Sequence = ()) -> list[tuple]:
        return self._connection.execute(sql, parameters).fetchall()

    def _each(self, sql: str, parameters: Sequence = ()) -> sqlite3.Cursor:
        """The rows one at a time, for the reads of thousands: each is let go once made into what the engine takes,
        so they do not all wait, as objects the garbage collector walks, for the last."""
        return self._connection.execute(sql, parameters)

    def _made(self, sql: str, parameters: Sequence, make: Callable[[Iterable[tuple]], list[Due]],
              memo: WindowMemo | None, owner: Callable[[Due], object]) -> list[Due]:
        if memo is None:
            return make(self._each(sql, parameters))
        return memo.dues(self._rows(sql, parameters), make, owner)

    def rules_json(self) -> str | None:
        """The reminder rules' stored JSON text (None before anything is saved)."""
        found = self._rows("SELECT rules_json FROM reminder_settings WHERE id = 1")
        return found[0][0] if found else None

    def reminder_dues(self, end: datetime, memo: WindowMemo | None = None) -> list[Due]:
        """What the reminders with something open before `end` have due: domain reminder_dues for each, a repeating
        one from its next_due_at on (its open_from), made from the rows (stored_reminder_dues) without building a
        Reminder for each. With `memo` (kept for this `end`), only new and changed rows are made again."""
        def make(rows: Iterable[tuple]) -> list[Due]:
            return stored_reminder_dues(_stored_reminders(rows), end)

        return self._made(_REMINDERS_SQL, (utc_text(end),), make, memo, _reminder_of)

    def round_dues(self, last_day: date, make: MakeDues[RoundRow], contact_id: int | None = None,
                   memo: WindowMemo | None = None) -> list[Due]:
        """make(the contacts whose round can fall by `last_day`, each with the cadence that sets its round, as
        domain round_dues takes them): the round dates kept in SQL are UTC dates, so one day further is read.
        With `contact_id`, that contact alone; with `memo` (kept for what `make` depends on), only the rounds new
        or changed since the last read are made."""
        return self._made(*_rounds_query(last_day, contact_id), lambda rows: make(_round_rows(rows)), memo,
                          _contact_of)

    def birthday_dues(self, keys: Iterable[tuple[int, int]], make: MakeDues[BirthdayContact],
                      contact_id: int | None = None, memo: WindowMemo | None = None) -> list[Due]:
        """make(the contacts whose birthday is one of the (month, day) pairs, through the (month, day) index): with
        `contact_id`, that contact alone; with `memo` (kept for what `make` depends on), only the contacts new or
        changed since the last read are made."""
        query = _birthdays_query(keys, contact_id)
        if query is None:
            return []
        return self._made(*query, lambda rows: make(_birthday_rows(rows)), memo, _contact_of)

    def thank_you_purchases(self, first: date, last: date, first_purchases: bool,
                            above: Decimal | None) -> list[PurchaseFacts]:
        """Purchases dated first..last that are the contact's first or above the amount, not yet thanked
        (done or skipped). First purchases are found from the contacts' first purchase dates (an index on
        contact_activity.first_purchase_on), not by reading every purchase of those days; large ones by the
        purchases' day index. Their handling is looked up once they are known."""
        parts, parameters = [], []
        if first_purchases:
            parts.append('SELECT p.id, p.contact_id, p."on", p.amount_minor, 1 AS is_first '
                         "FROM contact_activity AS a JOIN purchase AS p ON p.contact_id = a.contact_id "
                         'AND p."on" = a.first_purchase_on '
                         "WHERE a.first_purchase_on BETWEEN ? AND ? AND p.amount_minor > 0")
            parameters += [first.isoformat(), last.isoformat()]
        if above is not None:
            parts.append('SELECT p.id, p.contact_id, p."on", p.amount_minor, p."on" = a.first_purchase_on '
                         "FROM purchase AS p JOIN contact_activity AS a ON a.contact_id = p.contact_id "
                         'WHERE p."on" BETWEEN ? AND ? AND p.amount_minor > 0 AND p.amount_minor > ?')
            parameters += [first.isoformat(), last.isoformat(), to_minor(above)]
        if not parts:
            return []
        sql = (f"WITH thanked AS MATERIALIZED ({' UNION '.join(parts)}) "
               'SELECT t.id, t.contact_id, c.display_name, t."on", t.amount_minor, t.is_first '
               "FROM thanked AS t JOIN contact AS c ON c.id = t.contact_id "
               "WHERE NOT EXISTS (SELECT 1 FROM reminder_handling AS h WHERE h.item_id = 'thank_you:' || t.id "
               "AND h.state IN ('done', 'skipped'))")
        return [PurchaseFacts(pid, cid, name, date.fromisoformat(on), from_minor(amount), bool(is_first))
                for pid, cid, name, on, amount, is_first in self._rows(sql, parameters)]

    def plan_review_dues(self, last_day: date, today: date, zone: ZoneInfo, make: MakeDues[PlanReviewFacts],
                         memo: WindowMemo | None = None) -> list[Due]:
        """make(the agreements in force today whose next review can fall by `last_day`, with the date of the
        contact's latest client review since the agreement started): agreement_review.due_on is SQLite's month
        arithmetic on UTC dates, up to three days later than the calendar's, so four days further are read. With
        `memo` (kept for what `make` depends on and the zone), only the agreements new or changed since the last
        read are made."""
        return self._made(*_plan_reviews_query(last_day, today), lambda rows: make(_plan_review_rows(rows, zone)),
                          memo, _agreement_of)

    def reply_deadlines(self, end: datetime) -> list[tuple[int, int, str, datetime, Channel | None]]:
        """Open inquiries whose deadline (the target, else the limit) is before `end`, as domain deadline_dues
        takes them: (inquiry id, contact id, name, deadline, the channel of the interaction that opened them —
        the one to reply on)."""
        channels = _CHANNELS
        return [(qid, cid, name, from_utc_text(deadline), channels.get(channel))
                for qid, cid, name, deadline, channel in self._rows(_DEADLINES_SQL, (utc_text(end),))]

    def handlings(self, item_ids: Iterable[str]) -> dict[str, Handling]:
        """The handling of the items given, by primary key, and every snooze (through the (state, snoozed_until)
        index; a user's snoozes are few): one ending before the agenda's end brings back, from its snapshot, an
        item its source no longer lists, one ending later keeps its item off the agenda. So the items of kinds
        whose only handling rows are snoozes need not be looked up (see the service's _LOOKED_UP)."""
        found: dict[str, Handling] = {}
        rows = self._rows(_HANDLINGS_SQL, (json.dumps(sorted(set(item_ids))),)) + self._rows(_SNOOZED_SQL)
        settled = (ItemState.DONE, ItemState.SKIPPED)
        for item_id, state, snoozed_until, item_json in rows:
            if item_id in found:
                continue
            state = ItemState(state)
            if state in settled:
                found[item_id] = Handling(item_id, state)
            else:
                found[item_id] = Handling(item_id, state, from_utc_text(snoozed_until),
                                          None if item_json is None else Due.from_json(json.loads(item_json)))
        return found

    def boundaries_json(self, contact_ids: Iterable[int]) -> dict[int, str]:
        """The stored rules' JSON text of the contacts given that have rules of their own."""
        return dict(self._rows(_BOUNDARIES_SQL, (json.dumps(sorted(set(contact_ids))),)))


_CHANNELS = {channel.value: channel for channel in Channel}
_PERIODS = {period.value: period for period in BillingPeriod}


@lru_cache(maxsize=65536)
def _birthday(day: int, month: int, year: int | None) -> Birthday:
    """A stored birthday, built once per distinct date (building one checks it, which costs more than the rest of
    a birthday's greeting)."""
    return Birthday(day, month, year)


@lru_cache(maxsize=8192)
def _recurrence(rule: str, starts_on: str, at_time: str, time_zone: str) -> Recurrence:
    """recurrence_of from the row's text, without parsing the date and time again on every read."""
    return recurrence_of(rule, date.fromisoformat(starts_on), time.fromisoformat(at_time), time_zone)


# -- the rows of the memoised reads, as the engine takes them ------------------------------------------------

def _stored_reminders(rows: Iterable[tuple]) -> Iterator[tuple]:
    channels = _CHANNELS
    return ((reminder_id, title, contact_id, name, channels.get(channel), from_utc_text(due), None, None)
            if rule is None else
            (reminder_id, title, contact_id, name, channels.get(channel), None,
             _recurrence(rule, starts_on, at_time, zone), from_utc_text(next_due))
            for reminder_id, title, due, rule, starts_on, at_time, zone, contact_id, name, channel, next_due in rows)


def _rounds_query(last_day: date, contact_id: int | None) -> tuple[str, list]:
    sql, parameters = _ROUNDS_SQL, [date.fromordinal(last_day.toordinal() + 1).isoformat()]
    if contact_id is not None:
        sql += " AND contact_id = ?"
        parameters.append(contact_id)
    return sql, parameters


def _round_rows(rows: Iterable[tuple]) -> Iterator[RoundRow]:
    channels, day = _CHANNELS, date.fromisoformat
    return ((cid, name or "", from_utc_text(last), None if skipped is None else day(skipped), every, day(starts),
             channels.get(channel))
            for cid, name, last, skipped, every, starts, channel in rows)


def _birthdays_query(keys: Iterable[tuple[int, int]], contact_id: int | None) -> tuple[str, list] | None:
    by_month: dict[int, list[int]] = {}
    for month, day in keys:
        by_month.setdefault(month, []).append(day)
    if not by_month:
        return None
    where, parameters = [], []
    for month, days in sorted(by_month.items()):
        where.append(f"(birthday_month = ? AND birthday_day IN ({', '.join('?' * len(days))}))")
        parameters += [month, *sorted(days)]
    condition = " OR ".join(where)
    if contact_id is not None:
        condition = f"id = ? AND ({condition})"
        parameters.insert(0, contact_id)
    return _BIRTHDAYS_SQL.format(where=condition), parameters


def _birthday_rows(rows: Iterable[tuple]) -> Iterator[BirthdayContact]:
    return (BirthdayContact(cid, name, _birthday(day, month, year)) for cid, name, day, month, year in rows)


def _plan_reviews_query(last_day: date, today: date) -> tuple[str, tuple]:
    return _PLAN_REVIEWS_SQL, (date.fromordinal(last_day.toordinal() + 4).isoformat(), today.isoformat())


def _plan_review_rows(rows: Iterable[tuple], zone: ZoneInfo) -> list[PlanReviewFacts]:
    found = []
    for (agreement_id, contact_id, starts, ends, renews, fee, period, months, name, skipped, reviewed,
         services) in rows:
        agreement = Agreement(agreement_id, contact_id, date.fromisoformat(starts),
                              None if ends is None else date.fromisoformat(ends),
                              None if renews is None else date.fromisoformat(renews), from_minor(fee),
                              _PERIODS[period], months, "",
                              tuple(sorted(services.split("\x1f"))) if services else ())
        last_review = None if reviewed is None else from_utc_text(reviewed).astimezone(zone).date()
        found.append(PlanReviewFacts(agreement, name, last_review,
                                     None if skipped is None else date.fromisoformat(skipped)))
    return found


# Which row of its read each item was made from: the row's first column, its primary key.
def _reminder_of(due: Due) -> int:
    return int(due[0][len("reminder:"):].partition("@")[0])


def _agreement_of(due: Due) -> int:
    return int(due[0].split(":")[1])


_contact_of = itemgetter(2)


# -- bulk loads (the demo) ----------------------------------------------------------------------------------

_REMINDER_INSERT = ("INSERT INTO reminder (id, contact_id, title, notes, channel, due_at, rule, starts_on, at_time, "
                    "time_zone, next_due_at, created_at, updated_at) VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_HANDLING_INSERT = ("INSERT INTO reminder_handling (item_id, kind, state, due_at, snoozed_until, item_json, contact_id, "
                    "reminder_id, handled_at) VALUES (?, ?, ?, ?, NULL, NULL, ?, ?, ?)")


class BulkReminderWriter:
    """Fast inserts of generated reminders, their handling, cadences and skipped rounds and reviews: executemany of
    plain tuples as stored (instants as naive UTC text, days as ISO text). Never commits."""

    def __init__(self, session: Session):
        self._session = session

    def _run(self, sql: str, rows: Sequence[tuple]) -> None:
        if rows:
            self._session.connection().exec_driver_sql(sql, rows)

    def next_reminder_id(self) -> int:
        connection = self._session.connection()
        return (connection.exec_driver_sql("SELECT max(id) FROM reminder").scalar() or 0) + 1

    def add_reminders(self, rows: Sequence[tuple]) -> None:
        """(id, contact_id, title, channel, due_at, rule, starts_on, at_time, time_zone, next_due_at, created_at,
        updated_at) rows."""
        self._run(_REMINDER_INSERT, rows)

    def add_handlings(self, rows: Sequence[tuple]) -> None:
        """(item_id, kind, state, due_at, contact_id, reminder_id, handled_at) rows: done or skipped items."""
        self._run(_HANDLING_INSERT, rows)

    def add_skipped_rounds(self, rows: Sequence[tuple[int, str]]) -> None:
        """(contact_id, skipped_through) rows, before the cadences: the triggers then work each round out once."""
        self._run("INSERT OR REPLACE INTO cadence_round (contact_id, skipped_through) VALUES (?, ?)", rows)

    def add_cadences(self, rows: Sequence[tuple]) -> None:
        """(contact_id, tag_id, every_days, starts_on, channel, created_at) rows."""
        self._run("INSERT OR IGNORE INTO cadence (contact_id, tag_id, every_days, starts_on, channel, created_at) "
                  "VALUES (?, ?, ?, ?, ?, ?)", rows)

    def reviewed_agreements(self, today: date) -> list[tuple[int, int]]:
        """(agreement id, review_every_months) of the agreements in force with a review frequency."""
        return [tuple(row) for row in self._session.connection().exec_driver_sql(
            "SELECT id, review_every_months FROM agreement WHERE review_every_months IS NOT NULL "
            "AND (ends_on IS NULL OR ends_on >= ?) ORDER BY id", (today.isoformat(),)).all()]

    def skip_reviews(self, rows: Sequence[tuple[str, int]]) -> None:
        """(skipped_through, agreement_id) rows; triggers move each next review."""
        self._run("UPDATE agreement_review SET skipped_through = ? WHERE agreement_id = ?", rows)

    def save_rules(self, rules: dict) -> None:
        ReminderRepository(self._session).save_rules(rules)


__all__ = ["AgendaFacts", "AgendaReadMemo", "BulkReminderWriter", "MakeDues", "ReminderRepository", "RowMemo",
           "StoredCadence", "StoredHandling", "StoredReminder", "WindowMemo"]
