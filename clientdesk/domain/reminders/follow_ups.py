"""Reminders the user sets up: one-off follow-ups and call-backs, and repeating reminders.

A one-off follow-up is one item, "reminder:12". A repeating reminder is one item per occurrence,
"reminder:12@20270301T090000Z", the occurrence named by its due instant (UTC), so doing or skipping one
occurrence is a Handling of that id and leaves the others alone.

Storage narrows before the engine runs. Each reminder row keeps `next_due_at`: for a follow-up its due
instant while it is open (NULL once done or skipped), for a repeating reminder its first occurrence not yet
handled (`first_open_occurrence`), NULL once the rule has run out. The agenda reads only the rows with
`next_due_at < agenda_end(...)` (an index on next_due_at), and passes that same instant as `open_from`, so
expanding a rule starts there rather than at its start years ago. The service recomputes next_due_at when
a reminder is saved and whenever one of its occurrences is done, skipped or snoozed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.contacts import clean_line, clean_notes
from clientdesk.domain.errors import FieldProblem, InvalidInput
from clientdesk.domain.hours import require_aware, zone_named
from clientdesk.domain.reminders.kinds import Due, ReminderKind, instant_token, new_due
from clientdesk.domain.reminders.plain_words import rule_from_text
from clientdesk.domain.reminders.recurrence import Recurrence

UTC = timezone.utc
MAX_TITLE = 200
MAX_NOTES = 10_000
# A repeating reminder left undone for a long time would fill the agenda with its past occurrences; past this
# many in one agenda the earliest are shown and the rest wait (the service can skip missed ones in bulk).
MAX_OCCURRENCES = 100
_DAY = timedelta(days=1)
_CLOCK_CHANGE = timedelta(hours=2)  # more than any zone's clock change: instants of one wall time drift by that


@dataclass(frozen=True, slots=True)
class Reminder:
    """A stored reminder: a follow-up when `due` is set, a repeating reminder when `recurrence` is.

    `open_from` (repeating only) is the earliest occurrence that may still be open, i.e. storage's
    next_due_at, and must be one of the rule's occurrences; None means from the rule's start."""

    id: int
    title: str
    due: datetime | None = None
    recurrence: Recurrence | None = None
    contact_id: int | None = None
    contact_name: str = ""
    channel: Channel | None = None
    notes: str = ""
    open_from: datetime | None = None

    def __post_init__(self) -> None:
        if (self.due is None) == (self.recurrence is None):
            raise ValueError(f"reminder {self.id} needs either a due instant or a recurrence, not "
                             f"{'both' if self.due else 'neither'}")
        if self.due is not None and self.due.tzinfo is not UTC:
            object.__setattr__(self, "due", require_aware(self.due, "due").astimezone(UTC))
        if self.open_from is not None and self.open_from.tzinfo is not UTC:
            object.__setattr__(self, "open_from", require_aware(self.open_from, "open_from").astimezone(UTC))
        if self.channel is not None and type(self.channel) is not Channel:
            object.__setattr__(self, "channel", Channel(self.channel))

    @property
    def kind(self) -> ReminderKind:
        return ReminderKind.FOLLOW_UP if self.recurrence is None else ReminderKind.RECURRING


def occurrence_id(reminder_id: int, due: datetime) -> str:
    """ "reminder:12@20270301T090000Z": one occurrence of a repeating reminder."""
    return f"{reminder_item_id(reminder_id)}@{instant_token(due)}"


def reminder_item_id(reminder_id: int) -> str:
    """ "reminder:12": a follow-up, and the stem of every occurrence id of a repeating reminder. Both kinds
    share the "reminder:" stem because they share storage's reminders table and its ids."""
    return f"reminder:{reminder_id}"


def reminder_dues(reminder: Reminder, end: datetime, *, limit: int = MAX_OCCURRENCES) -> list[Due]:
    """What the reminder has due before `end`: the follow-up itself, or each occurrence from `open_from` on
    (at most `limit`, the earliest). Handling (done, skipped, snoozed) is applied by the agenda."""
    return stored_reminder_dues([(reminder.id, reminder.title, reminder.contact_id, reminder.contact_name,
                                  reminder.channel, reminder.due, reminder.recurrence, reminder.open_from)],
                                require_aware(end, "end"), limit)


# A reminder as the agenda reads it, a Reminder's fields already checked (UTC instants, a Channel), without the
# Reminder: (id, title, contact_id, contact_name, channel, due — a follow-up's —, recurrence and open_from — a
# repeating one's).
StoredReminder = tuple[int, str, "int | None", str, "Channel | None", "datetime | None", "Recurrence | None",
                       "datetime | None"]


def stored_reminder_dues(reminders: Iterable[StoredReminder], end: datetime,
                         limit: int = MAX_OCCURRENCES) -> list[Due]:
    """reminder_dues for many reminders at once, as storage reads them: the agenda reads a thousand or more, and
    what they share (the instants in their ids, how soon each kind of rule can fall again) is worked out once."""
    found: list[Due] = []
    add = found.append
    follow_up, recurring = ReminderKind.FOLLOW_UP, ReminderKind.RECURRING
    tokens: dict[datetime, str] = {}
    alone_from: dict[int, datetime] = {}  # by a rule's fewest days between occurrences: see below
    for reminder_id, title, contact_id, name, channel, due, recurrence, start in reminders:
        if recurrence is None:
            assert due is not None
            if due < end:
                add(new_due(f"reminder:{reminder_id}", follow_up, contact_id, name, title, due, channel))
            continue
        if start is not None and limit >= 1:
            # open_from is an occurrence (storage's next_due_at): when the rule cannot fall again before `end`, it
            # is the only one, and dateutil need not be asked. Most repeating reminders are monthly or rarer. The
            # next occurrence is at least min_gap_days (less a clock change) later, so from `alone_from` on it is
            # at or after `end`.
            if start >= end:
                continue
            gap = recurrence.min_gap_days
            threshold = alone_from.get(gap)
            if threshold is None:
                threshold = alone_from[gap] = end - (gap * _DAY - _CLOCK_CHANGE)
            if start >= threshold:
                token = tokens.get(start)
                if token is None:
                    token = tokens[start] = instant_token(start)
                add(new_due(f"reminder:{reminder_id}@{token}", recurring, contact_id, name, title, start, channel))
                continue
        if start is None:
            start = recurrence.first()
            if start is None:
                continue
        for moment in _occurrences(recurrence, start, end, limit):
            add(new_due(f"reminder:{reminder_id}@{instant_token(moment)}", recurring, contact_id, name, title,
                        moment, channel))
    return found


@lru_cache(maxsize=4096)
def _occurrences(recurrence: Recurrence, start: datetime, end: datetime, limit: int) -> tuple[datetime, ...]:
    """A rule's occurrences in [start, end), remembered: the agenda asks the same of every weekly reminder each
    minute (start is the reminder's next_due_at, end the end of the agenda's last day), and dateutil takes some
    tens of microseconds to answer. Recurrences are immutable values, so an answer never goes stale."""
    return tuple(recurrence.occurrences(start, end, limit=limit))


def first_open_occurrence(recurrence: Recurrence, handled: Iterable[datetime],
                          open_from: datetime | None = None) -> datetime | None:
    """The first occurrence at or after `open_from` (or the rule's start) that is not in `handled` — the
    occurrences done, skipped or snoozed, by due instant. What storage keeps as next_due_at; None once the
    rule has no open occurrence left."""
    if open_from is None:
        open_from = recurrence.first()
        if open_from is None:
            return None
    found = recurrence.next_after(open_from, inclusive=True, skip=handled)
    return found[0] if found else None


# --- a new or edited reminder -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ReminderDraft:
    """A reminder as a form or the command line gives it. `due` is when (a repeating reminder's first time:
    its local date and wall time in the business's zone are the rule's start); `repeat` is empty for a
    one-off follow-up, else plain words ("every week on Tuesday") or an RRULE."""

    title: str
    due: datetime
    repeat: str = ""
    contact_id: int | None = None
    channel: Channel | str | None = None
    notes: str = ""


def validate_reminder(draft: ReminderDraft, time_zone: str, reminder_id: int = 0) -> Reminder:
    """A Reminder ready to store (id `reminder_id`, 0 for a new one), or InvalidInput with every problem.
    A naive `due` is a programming error (ValueError), not something the user typed."""
    zone = zone_named(time_zone, "timezone")
    due = require_aware(draft.due, "due").astimezone(UTC)
    problems: list[FieldProblem] = []
    title = clean_line(draft.title)
    if not title:
        problems.append(FieldProblem("title", "Say what the reminder is for."))
    elif len(title) > MAX_TITLE:
        problems.append(FieldProblem("title", f"The title is {len(title):,} characters long; the limit is "
                                              f"{MAX_TITLE}."))
    notes = clean_notes(draft.notes)
    if len(notes) > MAX_NOTES:
        problems.append(FieldProblem("notes", f"The notes are {len(notes):,} characters long; the limit is "
                                              f"{MAX_NOTES:,}."))
    channel = None
    if draft.channel not in (None, ""):
        try:
            channel = Channel(draft.channel)
        except ValueError:
            names = ", ".join(c.value for c in Channel)
            problems.append(FieldProblem("channel", f"“{draft.channel}” is not a channel; use {names}."))
    recurrence = None
    if draft.repeat.strip():
        local = due.astimezone(zone)
        try:
            rule = rule_from_text(draft.repeat, zone)
            recurrence = Recurrence(rule, local.date(), local.time().replace(tzinfo=None), time_zone)
        except InvalidInput as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidInput(problems)
    return Reminder(reminder_id, title, None if recurrence else due, recurrence, draft.contact_id, "", channel,
                    notes)


__all__ = [
    "MAX_OCCURRENCES", "MAX_TITLE", "Reminder", "ReminderDraft", "first_open_occurrence", "occurrence_id",
    "StoredReminder", "reminder_dues", "reminder_item_id", "stored_reminder_dues", "validate_reminder",
]
