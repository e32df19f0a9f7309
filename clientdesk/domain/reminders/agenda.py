"""The Today agenda: everything due, grouped into overdue, today and the next days, with counts.

The agenda is assembled from what every source has due before `agenda_end(now, calendar, days)` — each
source works on inputs storage has already narrowed (see each module's docstring) — plus the user's handling
of those items, keyed by id:

    dues = reminder_dues(...) + cadence_dues(...) + birthday_dues(...) + holiday_dues(...)
           + thank_you_dues(...) + plan_review_dues(...) + reply_by_dues(...)
    agenda = build_agenda(dues, now, calendar, handled=…, boundaries=…, days=7)

The handling comes from storage, by index: the Handling rows of the dues (keep each row's original due
instant beside its item_id, and read `due_at < end`, or read by item_id), and every snoozed row with
snoozed_until before the end (an index on (state, snoozed_until)), whose snapshot brings back an item its
source no longer lists.

Done and skipped items leave; a snoozed item is due again at its snooze time. An item is overdue when its
due time has passed, and stays so until it is done, skipped or snoozed (greetings excepted: their sources
let them go stale after `keep_days`, see occasions.py). Items are ordered by due time, then suggested time,
then kind (reply-by deadlines first), then name.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from clientdesk.domain.boundaries import Channel, ClientBoundaries
from clientdesk.domain.hours import BusinessCalendar, require_aware
from clientdesk.domain.reminders.clock import DEFAULT_DAYS, agenda_end, local_day
from clientdesk.domain.reminders.kinds import KIND_ORDER, Due, Handling, ItemState, ReminderKind
from clientdesk.domain.reminders.suggestions import Suggester

UTC = timezone.utc
_DEFAULT_BOUNDARIES = ClientBoundaries.default()


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """One line of the agenda. Instants are UTC. `suggested` is when the client's rules allow acting on it
    (None when its channel is never allowed; the due time itself for items without a channel or a contact);
    `reason` says why suggested is later than due (or why there is none)."""

    id: str
    kind: ReminderKind
    contact_id: int | None
    contact_name: str
    title: str
    due: datetime
    suggested: datetime | None
    channel: Channel | None
    reason: str | None
    overdue: bool
    snoozed: bool = False

    def to_json(self, zone: ZoneInfo | None = None) -> dict:
        """The command line's shape: {"id", "kind", "contact", "title", "due", "suggested", "channel", "overdue"},
        instants as ISO 8601 with their offset (in `zone` when given, else UTC), contact as {"id", "name"}."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "contact": None if self.contact_id is None else {"id": self.contact_id, "name": self.contact_name},
            "title": self.title,
            "due": _iso(self.due, zone),
            "suggested": None if self.suggested is None else _iso(self.suggested, zone),
            "channel": None if self.channel is None else self.channel.value,
            "overdue": self.overdue,
        }


def _iso(moment: datetime, zone: ZoneInfo | None) -> str:
    return moment.astimezone(zone or UTC).isoformat()


@dataclass(frozen=True, slots=True)
class AgendaCounts:
    overdue: int
    today: int
    upcoming: int

    @property
    def total(self) -> int:
        return self.overdue + self.today + self.upcoming

    def to_json(self) -> dict:
        return {"overdue": self.overdue, "today": self.today, "upcoming": self.upcoming, "total": self.total}


@dataclass(frozen=True, slots=True)
class Agenda:
    """Overdue (due before now), today (due from now to the end of the local day) and upcoming (the next
    `days` days), each in order."""

    now: datetime
    end: datetime
    days: int
    time_zone: str
    overdue: tuple[AgendaItem, ...]
    today: tuple[AgendaItem, ...]
    upcoming: tuple[AgendaItem, ...]

    @property
    def counts(self) -> AgendaCounts:
        return AgendaCounts(len(self.overdue), len(self.today), len(self.upcoming))

    @property
    def items(self) -> tuple[AgendaItem, ...]:
        return self.overdue + self.today + self.upcoming

    def upcoming_by_day(self) -> list[tuple[date, tuple[AgendaItem, ...]]]:
        """The upcoming items under their local dates, for a view with a heading per day."""
        zone = ZoneInfo(self.time_zone)
        days: dict[date, list[AgendaItem]] = {}
        for item in self.upcoming:
            days.setdefault(item.due.astimezone(zone).date(), []).append(item)
        return [(day, tuple(items)) for day, items in days.items()]

    def to_json(self) -> dict:
        zone = ZoneInfo(self.time_zone)
        return {
            "now": _iso(self.now, zone), "until": _iso(self.end, zone), "days": self.days,
            "counts": self.counts.to_json(),
            "overdue": [item.to_json(zone) for item in self.overdue],
            "today": [item.to_json(zone) for item in self.today],
            "upcoming": [item.to_json(zone) for item in self.upcoming],
        }


BoundariesLookup = Mapping[int, ClientBoundaries] | Callable[[int], ClientBoundaries | None]


def build_agenda(dues: Iterable[Due], now: datetime, calendar: BusinessCalendar, *,
                 handled: Mapping[str, Handling] | Iterable[Handling] = (),
                 boundaries: BoundariesLookup | None = None, days: int = DEFAULT_DAYS,
                 never: dict | None = None) -> Agenda:
    """The agenda as of `now` for today and the next `days` days.

    `handled`: the user's handling of items, by id (a mapping, or Handlings to index). `boundaries`: each
    contact's rules, by contact id (a mapping or a function); a contact without an entry has the default rules.
    Items without a contact or a channel are not shifted. `never` is the Suggester's cache of rules never
    allowing a channel, kept by a caller that builds agendas again and again on the same calendar.
    """
    now = require_aware(now, "now").astimezone(UTC)
    end = agenda_end(now, calendar, days)
    today_end = calendar.start_of_day(local_day(now, calendar) + timedelta(days=1))
    by_id: dict[str, Handling] = (dict(handled) if isinstance(handled, Mapping)
                                  else {handling.item_id: handling for handling in handled})
    rules_of = _lookup(boundaries)
    suggester = Suggester(calendar, now, never)

    items: list[AgendaItem] = []
    seen: set[str] = set()
    snapshots = [handling.item for handling in by_id.values()
                 if handling.state is ItemState.SNOOZED and handling.item is not None]
    snoozed_state = ItemState.SNOOZED
    for due_item in itertools.chain(dues, snapshots):  # one loop, locals only: it runs for every item
        identifier = due_item.id
        if identifier in seen:
            continue
        seen.add(identifier)
        due, snoozed = due_item.due, False
        handling = by_id.get(identifier)
        if handling is not None:
            if handling.settled:
                continue
            if handling.state is snoozed_state:
                due, snoozed = handling.snoozed_until, True
        if due >= end:
            continue
        channel, contact_id = due_item.channel, due_item.contact_id
        suggested, reason = due, None
        if channel is not None and contact_id is not None:
            suggestion = suggester(rules_of(contact_id), channel, due)
            suggested, reason = suggestion.at, suggestion.reason
        items.append(AgendaItem(identifier, due_item.kind, contact_id, due_item.contact_name, due_item.title, due,
                                suggested, channel, reason, due < now, snoozed))

    items.sort(key=lambda item: (item.due, item.suggested or item.due, KIND_ORDER[item.kind],
                                 item.contact_name.casefold(), item.id))
    overdue = tuple(item for item in items if item.overdue)
    today = tuple(item for item in items if not item.overdue and item.due < today_end)
    upcoming = tuple(item for item in items if item.due >= today_end)
    return Agenda(now, end, days, calendar.time_zone, overdue, today, upcoming)


def _lookup(boundaries: BoundariesLookup | None) -> Callable[[int], ClientBoundaries]:
    if boundaries is None:
        return lambda contact_id: _DEFAULT_BOUNDARIES
    if isinstance(boundaries, Mapping):
        return lambda contact_id: boundaries.get(contact_id) or _DEFAULT_BOUNDARIES
    return lambda contact_id: boundaries(contact_id) or _DEFAULT_BOUNDARIES


__all__ = ["Agenda", "AgendaCounts", "AgendaItem", "BoundariesLookup", "build_agenda"]
