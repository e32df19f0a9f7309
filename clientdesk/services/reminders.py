"""Reminders, stay-in-touch cadences and the Today agenda. Each public method that writes is one transaction,
pushes an undo step and returns what changed (Changes.reminders); the reads may run on any thread.

The agenda is the engine's (domain/reminders): storage hands each source only what can fall due before the
agenda's end (storage/reminders_repository.py), and the engine applies the user's handling and the clients'
boundaries. Acting on an item is kept where its source keeps it:

| item          | done                                   | skipped                     | snoozed            |
|---------------|----------------------------------------|-----------------------------|--------------------|
| follow-up     | handling row; next_due_at cleared      | the same                    | handling row       |
| occurrence    | handling row; next_due_at moved on     | the same                    | the same           |
| cadence round | round skipped through (a logged contact moves it too) | round skipped through | handling row |
| plan review   | review skipped through (a client review recorded does it too) | the same | handling row   |
| reply-by      | the inquiry answered                   | handling row (stays in the queue) | handling row |
| birthday, holiday, thank-you | handling row            | handling row                | handling row       |

Done can log the interaction in the same transaction (`log=`): `log_prefill` says what the log dialog
should show.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from clientdesk.domain.boundaries import CHANNEL_LABELS, Channel, ClientBoundaries
from clientdesk.domain.errors import FieldProblem, InvalidInput, NotFound
from clientdesk.domain.interactions import Direction, Inquiry, InteractionDraft, answered, validate_interaction
from clientdesk.domain.reminders.agenda import Agenda, AgendaItem, build_agenda
from clientdesk.domain.reminders.cadences import Cadence, round_dues, validate_cadence
from clientdesk.domain.reminders.clock import agenda_end, last_day_before, local_day
from clientdesk.domain.reminders.follow_ups import (
    Reminder, ReminderDraft, first_open_occurrence, reminder_item_id, validate_reminder,
)
from clientdesk.domain.reminders.kinds import Due, Handling, ItemState, ReminderKind, kind_of
from clientdesk.domain.reminders.occasions import birthday_dues, birthday_keys, holiday_dues
from clientdesk.domain.reminders.plan_reviews import plan_review_dues
from clientdesk.domain.reminders.reply_deadlines import deadline_dues
from clientdesk.domain.reminders.settings import ReminderRules
from clientdesk.domain.reminders.snooze import SnoozeChoice, snooze_menu, snooze_until
from clientdesk.domain.reminders.suggestions import SuggestionMemo
from clientdesk.domain.reminders.thank_yous import thank_you_dues, thank_you_purchases
from clientdesk.services.boundaries import BoundariesService
from clientdesk.services.business import BusinessService
from clientdesk.services.changes import Changes
from clientdesk.services.collector import cycle_collector_paused
from clientdesk.services.undo import UndoStack, UndoStep
from clientdesk.storage import Database
from clientdesk.storage.reminders_repository import (
    AgendaFacts, AgendaReadMemo, ReminderRepository, StoredHandling, WindowMemo,
)

_TOKEN = "%Y%m%dT%H%M%SZ"
# How far ahead an item named on the command line is looked for when its id carries no date.
_FIND_DAYS = 366


@dataclass(frozen=True, slots=True)
class ReminderSaved:
    reminder: Reminder
    item_id: str  # "reminder:12": a follow-up's agenda id, a repeating reminder's occurrences' stem
    next_due_at: datetime | None
    changes: Changes = field(default_factory=lambda: Changes(reminders=True))


@dataclass(frozen=True, slots=True)
class CadenceSaved:
    cadence: Cadence
    changes: Changes = field(default_factory=lambda: Changes(reminders=True))


@dataclass(frozen=True, slots=True)
class Handled:
    """What done, skip or snooze did with an item."""

    item_id: str
    state: ItemState
    snoozed_until: datetime | None = None
    interaction_id: int | None = None  # the interaction logged with "done", if any
    changes: Changes = field(default_factory=lambda: Changes(reminders=True))


@dataclass(frozen=True, slots=True)
class LogPrefill:
    """What the log dialog shows when an item is done by logging the contact it was about."""

    contact_id: int
    channel: Channel | None
    direction: Direction
    summary: str
    answers_inquiry_id: int | None = None


@dataclass(frozen=True, slots=True)
class CameDue:
    """The items that came due between the last time ClientDesk ran (`since`) and now, still open."""

    since: datetime | None
    items: tuple[AgendaItem, ...]

    @property
    def message(self) -> str | None:
        """ "3 reminders came due while ClientDesk was closed", or None when none did."""
        count = len(self.items)
        if not count:
            return None
        return f"{count} reminder{'' if count == 1 else 's'} came due while ClientDesk was closed"


class ReminderService:
    def __init__(self, database: Database, business: BusinessService, boundaries: BoundariesService,
                 undo: UndoStack, clock: Callable[[], datetime], on_change: Callable[[], object] | None = None):
        self._db = database
        self._business = business
        self._boundaries = boundaries
        self._undo = undo
        self._clock = clock
        self._on_change = on_change
        self._parsed: dict[str, ClientBoundaries] = {}
        self._parsed_lock = threading.Lock()
        self._memo: tuple[object, SuggestionMemo, dict[int, AgendaReadMemo]] = (None, SuggestionMemo(), {})
        self._rules_memo: tuple[object, ReminderRules | None] = (None, None)

    # -- rules --------------------------------------------------------------------------------------------

    def rules(self) -> ReminderRules:
        with self._db.reading() as uow:
            return self._rules(ReminderRepository(uow.session))

    def save_rules(self, rules: ReminderRules | dict) -> Changes:
        """The birthday, holiday-greeting, thank-you and plan-review rules (a ReminderRules, or its JSON)."""
        today = self._today()
        if isinstance(rules, dict):
            rules = ReminderRules.from_json(rules, today)
        if rules.holidays is not None:
            from clientdesk.domain.reminders.occasions import validate_holiday_rule

            profile = self._business.profile()
            validate_holiday_rule(rules.holidays, profile.country, profile.subdivision or None, today)
        with self._db.writing() as uow:
            repository = ReminderRepository(uow.session)
            before = repository.settings()[0]
            repository.save_rules(rules.to_json())

        def put_back() -> Changes:
            with self._db.writing() as uow:
                ReminderRepository(uow.session).save_rules(before)
            return self._changed()

        self._undo.push(UndoStep("Reminder settings", put_back))
        return self._changed()

    # -- reminders the user sets up -----------------------------------------------------------------------

    def add(self, draft: ReminderDraft) -> ReminderSaved:
        """A follow-up (no repeat) or a repeating reminder (plain words or an RRULE in `draft.repeat`)."""
        zone = self._business.profile().time_zone
        reminder = validate_reminder(draft, zone)
        now = self._clock()
        with self._db.writing() as uow:
            repository = ReminderRepository(uow.session)
            self._ensure_rules(repository)
            name = ""
            if reminder.contact_id is not None:
                name = uow.contacts.get(reminder.contact_id).fields.display_name
            next_due = reminder.due if reminder.recurrence is None else first_open_occurrence(reminder.recurrence, ())
            reminder_id = repository.add(reminder, next_due, now)
        saved = replace(reminder, id=reminder_id, contact_name=name)
        self._undo.push(UndoStep(f"Add reminder “{saved.title}”", lambda: self._delete_quietly(reminder_id)))
        return ReminderSaved(saved, reminder_item_id(reminder_id), next_due, self._changed(reminder.contact_id))

    def update(self, reminder_id: int, draft: ReminderDraft) -> ReminderSaved:
        """A reminder changed; a repeating one starts afresh from its (new) first occurrence not yet handled."""
        reminder = validate_reminder(draft, self._business.profile().time_zone, reminder_id)
        now = self._clock()
        with self._db.writing() as uow:
            repository = ReminderRepository(uow.session)
            before = repository.get(reminder_id)
            if reminder.recurrence is None:
                handling = repository.handling(reminder_item_id(reminder_id))
                next_due = None if handling is not None and handling.handling.settled else reminder.due
            else:
                next_due = first_open_occurrence(reminder.recurrence,
                                                 repository.handled_occurrences(reminder_id, None))
            repository.update(reminder, next_due, now)

        def put_back() -> Changes:
            with self._db.writing() as uow:
                ReminderRepository(uow.session).update(before.reminder, before.next_due_at, self._clock())
            return self._changed(before.reminder.contact_id)

        self._undo.push(UndoStep(f"Edit reminder “{reminder.title}”", put_back))
        return ReminderSaved(reminder, reminder_item_id(reminder_id), next_due, self._changed(reminder.contact_id))

    def delete(self, reminder_id: int) -> Changes:
        with self._db.writing() as uow:
            repository = ReminderRepository(uow.session)
            before = repository.get(reminder_id)
            repository.delete(reminder_id)

        def put_back() -> Changes:
            with self._db.writing() as uow:
                ReminderRepository(uow.session).add(before.reminder, before.next_due_at, before.updated_at,
                                                    reminder_id=reminder_id, created_at=before.created_at)
            return self._changed(before.reminder.contact_id)

        self._undo.push(UndoStep(f"Delete reminder “{before.reminder.title}”", put_back))
        return self._changed(before.reminder.contact_id)

    def get(self, reminder_id: int) -> Reminder:
        with self._db.reading() as uow:
            return ReminderRepository(uow.session).get(reminder_id).reminder

    def reminders_for(self, contact_id: int) -> list[Reminder]:
        """The contact's reminders, the next due first (those with nothing left last)."""
        with self._db.reading() as uow:
            uow.contacts.require(contact_id)
            return [stored.reminder for stored in ReminderRepository(uow.session).for_contact(contact_id)]

    def _delete_quietly(self, reminder_id: int) -> Changes:
        with self._db.writing() as uow:
            repository = ReminderRepository(uow.session)
            contact_id = repository.get(reminder_id).reminder.contact_id
            repository.delete(reminder_id)
        return self._changed(contact_id)

    # -- stay-in-touch cadences ---------------------------------------------------------------------------

    def set_cadence(self, every_days: int | str, *, contact_id: int | None = None, tag: str | None = None,
                    channel: Channel | str | None = Channel.PHONE) -> CadenceSaved:
        """Keep in touch with a contact, or every contact with a tag, at least every N days (replacing the
        cadence it had). A new cadence counts from today for contacts never contacted."""
        every_days, tag = validate_cadence(every_days, contact_id=contact_id, tag=tag)
        channel = None if channel in (None, "") else _channel(channel)
        now = self._clock()
        with self._db.writing() as uow:
            repository = ReminderRepository(uow.session)
            self._ensure_rules(repository)
            if contact_id is not None:
                uow.contacts.require(contact_id)
            before = repository.cadence_for(contact_id=contact_id, tag=tag)
            starts_on = before.cadence.starts_on if before is not None else self._today()
            cadence_id = repository.set_cadence(every_days, starts_on, channel, now, contact_id=contact_id, tag=tag)
        cadence = Cadence(cadence_id, every_days, starts_on, contact_id, tag, channel)

        def put_back() -> Changes:
            with self._db.writing() as uow:
                repository = ReminderRepository(uow.session)
                if before is None:
                    repository.remove_cadence(cadence_id)
                else:
                    old = before.cadence
                    repository.set_cadence(old.every_days, old.starts_on, old.channel, before.created_at,
                                           contact_id=old.contact_id, tag=old.tag)
            return self._changed()

        self._undo.push(UndoStep(f"Cadence every {every_days} days", put_back))
        return CadenceSaved(cadence, self._changed(contact_id))

    def remove_cadence(self, *, contact_id: int | None = None, tag: str | None = None) -> Changes:
        _, tag = validate_cadence(1, contact_id=contact_id, tag=tag)
        with self._db.writing() as uow:
            repository = ReminderRepository(uow.session)
            before = repository.cadence_for(contact_id=contact_id, tag=tag)
            if before is None:
                whom = f"tag “{tag}”" if tag else f"contact {contact_id}"
                raise NotFound(f"There is no cadence for {whom}.")
            repository.remove_cadence(before.cadence.id)

        def put_back() -> Changes:
            old = before.cadence
            with self._db.writing() as uow:
                ReminderRepository(uow.session).set_cadence(old.every_days, old.starts_on, old.channel,
                                                            before.created_at, contact_id=old.contact_id, tag=old.tag,
                                                            cadence_id=old.id)
            return self._changed()

        self._undo.push(UndoStep("Remove cadence", put_back))
        return self._changed(contact_id)

    def cadences(self) -> list[Cadence]:
        with self._db.reading() as uow:
            return [stored.cadence for stored in ReminderRepository(uow.session).cadences()]

    # -- the agenda ---------------------------------------------------------------------------------------

    def agenda(self, now: datetime | None = None, days: int = 7) -> Agenda:
        """Overdue, today and the next `days` days as of `now`, grouped, counted and in order. Reads only (any
        thread)."""
        now = now or self._clock()
        calendar = self._business.calendar()
        end = agenda_end(now, calendar, days)
        with cycle_collector_paused():  # thousands of items, no cycles: see services/collector.py
            with self._db.reading() as uow:
                dues = self._dues(uow, now, end, memo=self._read_memo_for(calendar, days))
                handled, boundaries = self._handling_and_rules(uow, dues, end)
            return build_agenda(dues, now, calendar, handled=handled, boundaries=boundaries, days=days,
                                memo=self._memo_for(calendar))

    def due_between(self, start: datetime, end: datetime) -> list[AgendaItem]:
        """The open items whose (snoozed) due time falls in [start, end): what to notify about when the clock
        passes `end`. In order."""
        if end <= start:
            return []
        agenda = self.agenda(end, 0)
        return [item for item in agenda.overdue if item.due >= start]

    def came_due_while_closed(self, now: datetime | None = None) -> CameDue:
        """The open items that came due between the last instant recorded by mark_seen and now (none the first
        time ClientDesk runs)."""
        now = now or self._clock()
        with self._db.reading() as uow:
            since = ReminderRepository(uow.session).settings()[2]
        if since is None or since >= now:
            return CameDue(since, ())
        return CameDue(since, tuple(self.due_between(since, now)))

    def mark_seen(self, now: datetime | None = None) -> None:
        """Records that ClientDesk was running at `now`: at start (after came_due_while_closed), on each minute's
        tick and when closing. Not undoable."""
        with self._db.writing() as uow:
            repository = ReminderRepository(uow.session)
            self._ensure_rules(repository)
            repository.set_last_seen(now or self._clock())

    def snooze_menu(self, now: datetime | None = None) -> list[tuple[SnoozeChoice, datetime | None, str]]:
        return snooze_menu(now or self._clock(), self._business.calendar())

    # -- acting on an item --------------------------------------------------------------------------------

    def log_prefill(self, item_id: str, item: AgendaItem | Due | None = None) -> LogPrefill:
        """What the log dialog should show to do this item by logging a contact: the client, the item's channel,
        an outgoing contact, the item's title as the summary, and the inquiry it answers (reply-by)."""
        with self._db.reading() as uow:
            due = self._item(uow, item_id, item, self._clock())
        if due.contact_id is None:
            raise InvalidInput([FieldProblem("id", f"“{due.title}” is not about one contact; there is nothing to log.")])
        inquiry = int(item_id.split(":")[1]) if due.kind is ReminderKind.REPLY_BY else None
        return LogPrefill(due.contact_id, due.channel, Direction.OUT, due.title, inquiry)

    def done(self, item_id: str, *, log: InteractionDraft | None = None, item: AgendaItem | Due | None = None,
             now: datetime | None = None) -> Handled:
        """Marks an item done. With `log`, the interaction is logged in the same transaction (checked like the
        quick log: an outgoing contact outside the client's rules needs an override reason), and for a
        reply-by item it answers the inquiry. `item` is the agenda's line, when the caller has it."""
        from clientdesk.services.interactions import OutsideBoundaries

        now = now or self._clock()
        if log is not None:
            log = validate_interaction(log, now)
            if log.direction is Direction.OUT and not log.override_reason:
                check = self._boundaries.check(log.contact_id, log.channel, log.at, log.urgent)
                if not check.allowed:
                    raise OutsideBoundaries(CHANNEL_LABELS[log.channel], check)
        return self._act(item_id, ItemState.DONE, now, item=item, log=log)

    def skip(self, item_id: str, *, item: AgendaItem | Due | None = None, now: datetime | None = None) -> Handled:
        """Skips this occurrence: it leaves the agenda (a cadence or a plan review then counts from it)."""
        return self._act(item_id, ItemState.SKIPPED, now or self._clock(), item=item)

    def snooze(self, item_id: str, until: datetime | SnoozeChoice | str, *, item: AgendaItem | Due | None = None,
               now: datetime | None = None) -> Handled:
        """Snoozes an item until an instant, or a choice of the snooze menu ("hour", "tomorrow", "next_week")."""
        now = now or self._clock()
        calendar = self._business.calendar()
        if isinstance(until, datetime):
            moment = snooze_until(SnoozeChoice.CHOSEN, now, calendar, until)
        else:
            moment = snooze_until(until, now, calendar)
        return self._act(item_id, ItemState.SNOOZED, now, item=item, until=moment)

    def _act(self, item_id: str, state: ItemState, now: datetime, *, item: AgendaItem | Due | None = None,
             log: InteractionDraft | None = None, until: datetime | None = None) -> Handled:
        kind = kind_of(item_id)
        interaction_id = None
        with self._db.writing() as uow:
            repository = ReminderRepository(uow.session)
            self._ensure_rules(repository)
            due = self._item(uow, item_id, item, now)
            if log is not None:
                if log.contact_id != due.contact_id:
                    raise InvalidInput([FieldProblem("contact", "The interaction logged must be with the item's "
                                                                "contact.")])
                if kind is ReminderKind.REPLY_BY and log.answers_inquiry_id is None:
                    log = replace(log, answers_inquiry_id=int(item_id.split(":")[1]))
            undo = _Undo(item_id, repository.handling(item_id))
            reminder_id = None
            original_due = due.due
            if kind in (ReminderKind.FOLLOW_UP, ReminderKind.RECURRING):
                reminder_id = int(item_id.split(":")[1].split("@")[0])
                stored = repository.get(reminder_id)
                undo.next_due = (reminder_id, stored.next_due_at)
                if kind is ReminderKind.RECURRING:
                    original_due = _occurrence_instant(item_id)
            if log is not None:
                interaction_id = uow.interactions.add(log, now)
                undo.interaction_id = interaction_id
                if log.answers_inquiry_id is not None:
                    inquiry = uow.inquiries.get(log.answers_inquiry_id)
                    undo.inquiry = inquiry
                    uow.inquiries.save(answered(inquiry, log.at, interaction_id))

            if state is ItemState.SNOOZED:
                snapshot = Due(item_id, due.kind, due.contact_id, due.contact_name, due.title, original_due,
                               due.channel)
                repository.put_handling(Handling(item_id, state, until, snapshot), kind, original_due,
                                        due.contact_id, reminder_id, now)
            elif kind is ReminderKind.CADENCE:
                contact_id, day = item_id.split(":")[1:3]
                undo.cadence = (int(contact_id), repository.cadence_skipped_through(int(contact_id)))
                repository.set_cadence_skipped_through(int(contact_id), date.fromisoformat(day))
                repository.forget_handling(item_id)
            elif kind is ReminderKind.PLAN_REVIEW:
                agreement_id, day = item_id.split(":")[1:3]
                undo.review = (int(agreement_id), repository.review_skipped_through(int(agreement_id)))
                repository.set_review_skipped_through(int(agreement_id), date.fromisoformat(day))
                repository.forget_handling(item_id)
            elif kind is ReminderKind.REPLY_BY and state is ItemState.DONE:
                if undo.inquiry is None:  # done without a logged reply: answered now
                    inquiry = uow.inquiries.get(int(item_id.split(":")[1]))
                    undo.inquiry = inquiry
                    uow.inquiries.save(answered(inquiry, now))
            else:
                repository.put_handling(Handling(item_id, state), kind, original_due, due.contact_id, reminder_id, now)

            if reminder_id is not None:
                if kind is ReminderKind.FOLLOW_UP:
                    if state is not ItemState.SNOOZED:
                        repository.set_next_due(reminder_id, None)
                else:
                    stored = repository.get(reminder_id)
                    recurrence = stored.reminder.recurrence
                    assert recurrence is not None
                    since = stored.next_due_at
                    handled = repository.handled_occurrences(reminder_id, since)
                    repository.set_next_due(reminder_id, first_open_occurrence(recurrence, handled, since))

        verb = {ItemState.DONE: "Done", ItemState.SKIPPED: "Skip", ItemState.SNOOZED: "Snooze"}[state]
        self._undo.push(UndoStep(f"{verb} “{due.title}”", lambda: self._revert(undo)))
        changes = self._changed(due.contact_id, contacts=interaction_id is not None or undo.inquiry is not None)
        return Handled(item_id, state, until, interaction_id, changes)

    def _revert(self, undo: _Undo) -> Changes:
        contact_ids: set[int] = set()
        with self._db.writing() as uow:
            repository = ReminderRepository(uow.session)
            repository.restore_handling(undo.handling, undo.item_id)
            if undo.next_due is not None:
                repository.set_next_due(*undo.next_due)
            if undo.cadence is not None:
                repository.set_cadence_skipped_through(*undo.cadence)
                contact_ids.add(undo.cadence[0])
            if undo.review is not None:
                repository.set_review_skipped_through(*undo.review)
            if undo.inquiry is not None:
                uow.inquiries.save(undo.inquiry)
                contact_ids.add(undo.inquiry.contact_id)
            if undo.interaction_id is not None:
                repository.delete_interaction(undo.interaction_id)
        self._refresh_calendar()
        return Changes(reminders=True, contacts=bool(contact_ids), contact_ids=frozenset(contact_ids))

    # -- computing what falls due -------------------------------------------------------------------------

    def _dues(self, uow, now: datetime, end: datetime, kinds: set[ReminderKind] | None = None,
              contact_id: int | None = None, memo: AgendaReadMemo | None = None) -> list[Due]:
        """Every source's items due before `end` (only `kinds`, and for cadences and birthdays only
        `contact_id`, when given), from storage's narrowed reads; the large reads through `memo` when given
        (each kept for what its engine function depends on besides the rows: see RowMemo)."""
        calendar = self._business.calendar()
        profile = self._business.profile()
        facts = AgendaFacts.of(uow.session)
        rules = self._agenda_rules(facts.rules_json())
        today = local_day(now, calendar)

        def wanted(*asked: ReminderKind) -> bool:
            return kinds is None or any(kind in kinds for kind in asked)

        def kept(read: str, *window) -> WindowMemo | None:  # that read's RowMemo, kept for `window`
            return None if memo is None else getattr(memo, read).at(window)

        dues: list[Due] = []
        if wanted(ReminderKind.FOLLOW_UP, ReminderKind.RECURRING):
            dues += facts.reminder_dues(end, kept("reminders", end))
        last_day = last_day_before(end, calendar)
        if wanted(ReminderKind.CADENCE):
            dues += facts.round_dues(last_day, lambda rounds: round_dues(rounds, calendar, end), contact_id,
                                     kept("rounds", end))
        if wanted(ReminderKind.BIRTHDAY) and rules.birthdays is not None:
            birthdays = rules.birthdays
            keys = birthday_keys(birthdays, now, end, calendar)
            dues += facts.birthday_dues(keys, lambda people: birthday_dues(people, birthdays, now, end, calendar),
                                        contact_id, kept("birthdays", end, today, birthdays))
        if wanted(ReminderKind.HOLIDAY) and rules.holidays is not None:
            recipients: list[tuple[int, str]] = []
            if rules.holiday_tag:
                ids = uow.contacts.ids_tagged(rules.holiday_tag)
                names = uow.contacts.names(ids)
                recipients = [(cid, names.get(cid, "")) for cid in ids]
            if not rules.holiday_tag or recipients:
                dues += holiday_dues(rules.holidays, profile.country, profile.subdivision or None, now, end, calendar,
                                     recipients)
        if wanted(ReminderKind.THANK_YOU) and rules.thank_yous is not None:
            span = thank_you_purchases(rules.thank_yous, end, calendar)
            if span is not None:
                purchases = facts.thank_you_purchases(*span, rules.thank_yous.first_purchase, rules.thank_yous.above)
                dues += thank_you_dues(purchases, rules.thank_yous, calendar, end, profile.currency)
        if wanted(ReminderKind.PLAN_REVIEW):
            channel = rules.plan_review_channel
            dues += facts.plan_review_dues(last_day, today, calendar.zone,
                                           lambda reviews: plan_review_dues(reviews, calendar, end, channel),
                                           kept("plan_reviews", end, today, channel))
        if wanted(ReminderKind.REPLY_BY):
            dues += deadline_dues(facts.reply_deadlines(end), end)
        return dues

    def _handling_and_rules(self, uow, dues: list[Due], end: datetime) -> tuple[dict[str, Handling],
                                                                                 dict[int, ClientBoundaries]]:
        facts = AgendaFacts.of(uow.session)
        looked_up = _LOOKED_UP
        handled = facts.handlings([due[0] for due in dues if due[1] in looked_up])
        ids = {due[2] for due in dues if due[6] is not None and due[2] is not None}  # contact ids, if a channel
        ids.update(handling.item.contact_id for handling in handled.values()
                   if handling.item is not None and handling.item.contact_id is not None)
        stored = facts.boundaries_json(ids) if ids else {}
        return handled, {contact_id: self._parse(text) for contact_id, text in stored.items()}

    def _item(self, uow, item_id: str, given: AgendaItem | Due | None, now: datetime) -> Due:
        """The item an id names, as its source has it: from the caller's agenda line when given, else from the
        reminder row, a snooze's snapshot, or the item's source over the days its id names."""
        kind = kind_of(item_id)
        if given is not None:
            if given.id != item_id:
                raise ValueError(f"the item given is {given.id}, not {item_id}")
            return Due(given.id, given.kind, given.contact_id, given.contact_name, given.title, given.due,
                       given.channel)
        repository = ReminderRepository(uow.session)
        if kind in (ReminderKind.FOLLOW_UP, ReminderKind.RECURRING):
            reminder_id = _whole(item_id.split(":")[1].split("@")[0], item_id)
            reminder = repository.get(reminder_id).reminder
            if kind is ReminderKind.FOLLOW_UP:
                if reminder.recurrence is not None:
                    raise InvalidInput([FieldProblem("id", f"Reminder {reminder_id} repeats: name one occurrence, "
                                                           f"as the agenda lists it (reminder:{reminder_id}@…).")])
                return Due(item_id, kind, reminder.contact_id, reminder.contact_name, reminder.title, reminder.due,
                           reminder.channel)
            moment = _occurrence_instant(item_id)
            if reminder.recurrence is None or reminder.recurrence.next_after(moment, inclusive=True)[:1] != [moment]:
                raise NotFound(f"Reminder {reminder_id} does not fall due at {moment.isoformat()}.")
            return Due(item_id, kind, reminder.contact_id, reminder.contact_name, reminder.title, moment,
                       reminder.channel)
        stored = repository.handling(item_id)
        if stored is not None and stored.handling.item is not None:
            return stored.handling.item
        calendar = self._business.calendar()
        today = local_day(now, calendar)
        parts = item_id.split(":")
        contact_id = None
        last = today + timedelta(days=_FIND_DAYS)
        try:
            if kind is ReminderKind.CADENCE:
                contact_id, last = int(parts[1]), max(today, date.fromisoformat(parts[2]))
            elif kind is ReminderKind.PLAN_REVIEW:
                last = max(today, date.fromisoformat(parts[2]))
            elif kind is ReminderKind.HOLIDAY:
                last = max(today, date.fromisoformat(parts[1]))
            elif kind is ReminderKind.BIRTHDAY:
                contact_id, year = int(parts[1]), int(parts[2])
                last = max(today, date(year, 12, 31))
        except (IndexError, ValueError):
            raise NotFound(f"“{item_id}” is not on the agenda.") from None
        end = calendar.start_of_day(last + timedelta(days=1))
        for due in self._dues(uow, now, end, {kind}, contact_id):
            if due.id == item_id:
                return due
        raise NotFound(f"“{item_id}” is not on the agenda: it may have been done already, or its day has passed.")

    # -- helpers ------------------------------------------------------------------------------------------

    def _memo_for(self, calendar) -> SuggestionMemo:
        """What the agenda's Suggester learnt (rules never allowing a channel, which takes two years of days to
        find out; today's suggestions), kept while the business's calendar stays the same: the agenda is read
        again every minute. Keyed by what the answers depend on, so it is never stale (see SuggestionMemo)."""
        return self._memos(calendar)[0]

    def _read_memo_for(self, calendar, days: int) -> AgendaReadMemo:
        """What the agenda's large reads were made into (see RowMemo), one for each length of agenda asked for
        (the Today page's week, and the notifications' agenda up to now, each read every minute), kept while
        the business's calendar stays the same."""
        reads = self._memos(calendar)[1]
        with self._parsed_lock:
            return reads.setdefault(days, AgendaReadMemo())

    def _memos(self, calendar) -> tuple[SuggestionMemo, dict[int, AgendaReadMemo]]:
        with self._parsed_lock:
            if self._memo[0] is not calendar:
                self._memo = (calendar, SuggestionMemo(), {})
            return self._memo[1], self._memo[2]

    def _rules(self, repository: ReminderRepository) -> ReminderRules:
        stored = repository.settings()[0]
        today = self._today()
        return ReminderRules.from_json(stored, today) if stored else ReminderRules.defaults(today)

    def _agenda_rules(self, stored: str | None) -> ReminderRules:
        """_rules from the stored JSON text, parsed once per text and day (the agenda reads them every minute)."""
        key = (stored, self._today())
        memo = self._rules_memo
        if memo[0] != key:
            data = json.loads(stored or "{}")
            parsed = ReminderRules.from_json(data, key[1]) if data else ReminderRules.defaults(key[1])
            memo = self._rules_memo = (key, parsed)
        return memo[1]

    def _ensure_rules(self, repository: ReminderRepository) -> None:
        """The first write stores the default rules, so their `since` stays the day ClientDesk first ran."""
        if not repository.settings()[0]:
            repository.save_rules(ReminderRules.defaults(self._today()).to_json())

    def _today(self) -> date:
        return local_day(self._clock(), self._business.calendar())

    def _parse(self, text: str) -> ClientBoundaries:
        parsed = self._parsed.get(text)
        if parsed is None:
            parsed = ClientBoundaries.from_json(json.loads(text))
            with self._parsed_lock:
                self._parsed[text] = parsed
        return parsed

    def _changed(self, contact_id: int | None = None, *, contacts: bool = False) -> Changes:
        self._refresh_calendar()
        ids = frozenset() if contact_id is None else frozenset({contact_id})
        return Changes(reminders=True, contacts=contacts, contact_ids=ids if contacts else frozenset())

    def _refresh_calendar(self) -> None:
        if self._on_change is not None:
            self._on_change()


# The kinds whose items can be done or skipped and still be listed by their source, so their handling is looked
# up by id. The others' rows are only ever snoozes (which the agenda reads all of): a cadence round or a plan
# review done or skipped moves its skipped_through (and forgets the handling), a follow-up done or skipped has
# its next_due_at cleared (storage lists only those with one), and a thank-you done or skipped is left out by
# its read.
_LOOKED_UP = frozenset({ReminderKind.RECURRING, ReminderKind.BIRTHDAY, ReminderKind.HOLIDAY,
                        ReminderKind.REPLY_BY})


@dataclass(slots=True)
class _Undo:
    """What acting on an item changed, to put back."""

    item_id: str
    handling: StoredHandling | None
    next_due: tuple[int, datetime | None] | None = None
    cadence: tuple[int, date | None] | None = None
    review: tuple[int, date | None] | None = None
    inquiry: Inquiry | None = None
    interaction_id: int | None = None


def _occurrence_instant(item_id: str) -> datetime:
    token = item_id.rpartition("@")[2]
    try:
        return datetime.strptime(token, _TOKEN).replace(tzinfo=UTC)
    except ValueError:
        raise InvalidInput([FieldProblem("id", f"“{item_id}” does not name an occurrence such as "
                                               "reminder:12@20270301T090000Z.")]) from None


def _whole(text: str, item_id: str) -> int:
    if not text.isdigit():
        raise InvalidInput([FieldProblem("id", f"“{item_id}” is not an agenda item id such as reminder:12.")])
    return int(text)


def _channel(value: Channel | str) -> Channel:
    try:
        return Channel(value)
    except ValueError:
        names = ", ".join(channel.value for channel in Channel)
        raise InvalidInput([FieldProblem("channel", f"“{value}” is not a channel; use {names}.")]) from None


__all__ = ["CadenceSaved", "CameDue", "Handled", "LogPrefill", "ReminderSaved", "ReminderService"]
